//! The shell, router, layout and navigation. Everything a page shares lives
//! in `ui`; the home page in `home`; each capability's pages in its `ui`.
use crate::auth::api::logout;
use crate::auth::{Role, SessionUser};
use crate::i18n::*;
use crate::ui::icons::Icon;
use crate::ui::language::{LanguageToggle, role_label};
use crate::ui::nav::Section;
use crate::ui::page::NotFound;
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The HTML document around every page (server only).
pub fn shell(options: leptos::config::LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let (Some(nonce), Some(res)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) {
        if let Ok(v) = axum::http::HeaderValue::from_str(&crate::server::http::page_csp(&nonce)) {
            res.insert_header(axum::http::header::CONTENT_SECURITY_POLICY, v);
        }
    }
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <meta name="theme-color" content="#f7f7f8" media="(prefers-color-scheme: light)"/>
                <meta name="theme-color" content="#16171b" media="(prefers-color-scheme: dark)"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="icon" href="/icons/icon.svg" type="image/svg+xml"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options=options.clone()/>
                <leptos_meta::HashedStylesheet options=options id="leptos"/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

fn cookie_options() -> leptos_i18n::context::CookieOptions<Locale> {
    leptos_i18n::context::CookieOptions::default()
        .path("/")
        .max_age(365_i64 * 24 * 3600 * 1000)
}

/// The kinds of edit that wait in the outbox, one sender per capability.
static OUTBOX_SENDERS: [crate::ui::outbox::Sender; 1] = [crate::kpi::ui::CHECKIN_SENDER];

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    crate::ui::outbox::provide_outbox(&OUTBOX_SENDERS);
    view! {
        <I18nContextProvider cookie_options=cookie_options()>
            <Title formatter=crate::ui::page::document_title/>
            <Router>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/login") view=crate::auth::ui::LoginPage/>
                    <Route path=path!("/setup") view=crate::auth::ui::SetupPage/>
                    <Route path=path!("/invite") view=crate::auth::ui::InvitePage/>
                    <ParentRoute path=path!("") view=AppLayout>
                        <Route path=path!("") view=crate::home::Dashboard/>
                        <Route path=path!("kpis") view=crate::kpi::ui::KpisPage/>
                        <Route path=path!("kpis/new") view=crate::kpi::ui::NewKpiPage/>
                        <Route path=path!("kpis/goals") view=crate::kpi::ui::GoalsPage/>
                        <Route path=path!("kpis/charters") view=crate::kpi::ui::ChartersPage/>
                        <Route path=path!("kpis/charters/:id") view=crate::kpi::ui::CharterPage/>
                        <Route path=path!("kpis/:id") view=crate::kpi::ui::KpiPage/>
                        <Route path=path!("backlog") view=crate::backlog::ui::BacklogPage/>
                        <Route path=path!("backlog/mine") view=crate::backlog::ui::MyRequirementsPage/>
                        <Route path=path!("backlog/requirements/:id") view=crate::backlog::ui::RequirementPage/>
                        <Route path=path!("backlog/poker/:id") view=crate::backlog::ui::PokerRoundPage/>
                        <Route path=path!("growth") view=crate::growth::ui::MyGrowthPage/>
                        <Route path=path!("growth/people/:id") view=crate::growth::ui::PersonGrowthPage/>
                        <Route path=path!("growth/dashboard") view=crate::growth::ui::GrowthDashboardPage/>
                        <Route path=path!("growth/catalog") view=crate::growth::ui::GrowthCatalogPage/>
                        <Route path=path!("growth/mentoring") view=crate::growth::ui::GrowthMentoringPage/>
                        <Route path=path!("growth/framework") view=crate::growth::ui::GrowthFrameworkPage/>
                        <Route path=path!("growth/settings") view=crate::growth::ui::GrowthSettingsPage/>
                        <Route path=path!("growth/periods/:id/summary") view=crate::growth::ui::PeriodSummaryPage/>
                        <Route path=path!("surveys") view=crate::surveys::ui::SurveysPage/>
                        <Route path=path!("surveys/new") view=crate::surveys::ui::NewRoundPage/>
                        <Route path=path!("surveys/:id") view=crate::surveys::ui::RoundPage/>
                        <Route path=path!("surveys/:id/answer") view=crate::surveys::ui::AnswerPage/>
                        <Route path=path!("surveys/:id/results") view=crate::surveys::ui::ResultsPage/>
                        <Route path=path!("people") view=crate::people::ui::PeoplePage/>
                        <Route path=path!("people/:id/handover") view=crate::people::handover::HandoverPage/>
                        <Route path=path!("profile") view=crate::auth::ui::ProfilePage/>
                        <Route path=path!("notifications") view=crate::notify::ui::NotificationsPage/>
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

#[component]
fn AppLayout() -> impl IntoView {
    let i18n = use_i18n();
    let user = crate::ui::session::provide_me().0;
    let menu_open = RwSignal::new(false);
    crate::notify::ui::BellRefresh::provide();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, nav.skip)}</a>
        <div
            class="app"
            class:menu-open=move || menu_open.get()
            on:keydown=move |ev| {
                if ev.key() == "Escape" && menu_open.get_untracked() {
                    menu_open.set(false);
                }
            }
        >
            <header class="sidebar">
                <div class="brand-row">
                    <A href="/" attr:class="brand">
                        <img src="/icons/icon.svg" alt="" width="28" height="28"/>
                        <span>{t!(i18n, app.name)}</span>
                    </A>
                    <crate::notify::ui::Bell/>
                    <button
                        type="button"
                        class="btn btn-ghost menu-button"
                        aria-controls="main-nav"
                        aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                        data-testid="menu-button"
                        on:click=move |_| menu_open.update(|o| *o = !*o)
                    >
                        <Icon name="menu"/>
                        <span>{t!(i18n, nav.menu)}</span>
                    </button>
                </div>
                <Suspense fallback=|| view! { <div class="nav-skeleton" aria-hidden="true"></div> }>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(u)) => view! { <Navigation user=u menu_open/> }.into_any(),
                            _ => view! { <SignedOutNotice/> }.into_any(),
                        }
                    })}
                </Suspense>
            </header>
            <main id="main" class="content" tabindex="-1">
                <Outlet/>
            </main>
        </div>
    }
}

#[component]
fn SignedOutNotice() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="nav" aria-label=move || t_string!(i18n, nav.main)>
            <a class="nav-link" href="/login">
                <Icon name="lock"/>
                <span>{t!(i18n, login.title)}</span>
            </a>
        </nav>
    }
}

#[component]
fn Navigation(user: SessionUser, menu_open: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let mut sections = vec![
        Section::Dashboard,
        Section::Kpis,
        Section::Backlog,
        Section::Growth,
        Section::Surveys,
    ];
    if user.role == Role::Admin {
        sections.push(Section::People);
    }
    let role = user.role;
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            let _ = logout().await;
            crate::ui::pwa::clear_personal_data().await;
            let _ = window().location().set_href("/login");
        });
    };
    view! {
        <nav id="main-nav" class="nav" aria-label=move || t_string!(i18n, nav.main)>
            <ul role="list">
                {sections
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li>
                                <A
                                    href=s.href()
                                    exact=true
                                    attr:class="nav-link"
                                    on:click=move |_| menu_open.set(false)
                                >
                                    <Icon name=s.icon()/>
                                    <span>{move || s.label(i18n.get_locale())}</span>
                                </A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <div class="nav-footer">
                <A href="/profile" attr:class="nav-link me" on:click=move |_| menu_open.set(false)>
                    <Icon name="user"/>
                    <span class="me-text">
                        <span class="me-name" data-testid="me-name">{user.display_name.clone()}</span>
                        <span class="me-role">{move || role_label(i18n.get_locale(), role)}</span>
                    </span>
                </A>
                <LanguageToggle/>
                <button type="button" class="btn btn-ghost" data-testid="sign-out" on:click=sign_out>
                    <Icon name="logout"/>
                    <span>{t!(i18n, nav.sign_out)}</span>
                </button>
            </div>
        </nav>
    }
}
