//! The shell, router, layout and navigation, and the dashboard.
use crate::auth::api::{current_user, logout, set_language};
use crate::auth::{Language, Role, SessionUser};
use crate::i18n::*;
use crate::ui::icons::Icon;
pub use crate::ui::page::PageHeader;
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
                    <ParentRoute path=path!("") view=AppLayout>
                        <Route path=path!("") view=Dashboard/>
                        <Route path=path!("kpis") view=crate::kpi::ui::KpisPage/>
                        <Route path=path!("kpis/new") view=crate::kpi::ui::NewKpiPage/>
                        <Route path=path!("kpis/goals") view=crate::kpi::ui::GoalsPage/>
                        <Route path=path!("kpis/charters") view=crate::kpi::ui::ChartersPage/>
                        <Route path=path!("kpis/charters/:id") view=crate::kpi::ui::CharterPage/>
                        <Route path=path!("kpis/:id") view=crate::kpi::ui::KpiPage/>
                        <Route path=path!("backlog") view=crate::backlog::ui::BacklogPage/>
                        <Route path=path!("backlog/mine") view=crate::backlog::pages::MyRequirementsPage/>
                        <Route path=path!("backlog/requirements/:id") view=crate::backlog::pages::RequirementPage/>
                        <Route path=path!("backlog/poker/:id") view=crate::backlog::pages::PokerRoundPage/>
                        <Route path=path!("growth") view=crate::growth::ui::MyGrowthPage/>
                        <Route path=path!("growth/people/:id") view=crate::growth::ui::PersonGrowthPage/>
                        <Route path=path!("growth/dashboard") view=crate::growth::ui::GrowthDashboardPage/>
                        <Route path=path!("growth/catalog") view=crate::growth::ui::GrowthCatalogPage/>
                        <Route path=path!("growth/mentoring") view=crate::growth::ui::GrowthMentoringPage/>
                        <Route path=path!("growth/framework") view=crate::growth::ui::GrowthFrameworkPage/>
                        <Route path=path!("growth/settings") view=crate::growth::ui::GrowthSettingsPage/>
                        <Route path=path!("surveys") view=crate::surveys::ui::SurveysPage/>
                        <Route path=path!("surveys/new") view=crate::surveys::ui::NewRoundPage/>
                        <Route path=path!("surveys/:id") view=crate::surveys::ui::RoundPage/>
                        <Route path=path!("surveys/:id/answer") view=crate::surveys::ui::AnswerPage/>
                        <Route path=path!("surveys/:id/results") view=crate::surveys::ui::ResultsPage/>
                        <Route path=path!("people") view=crate::people::ui::PeoplePage/>
                        <Route path=path!("profile") view=crate::auth::ui::ProfilePage/>
                    </ParentRoute>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

/// The capabilities in the navigation.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Section {
    Dashboard,
    Kpis,
    Backlog,
    Growth,
    Surveys,
    People,
}

impl Section {
    fn href(self) -> &'static str {
        match self {
            Section::Dashboard => "/",
            Section::Kpis => "/kpis",
            Section::Backlog => "/backlog",
            Section::Growth => "/growth",
            Section::Surveys => "/surveys",
            Section::People => "/people",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            Section::Dashboard => "home",
            Section::Kpis => "target",
            Section::Backlog => "list",
            Section::Growth => "growth",
            Section::Surveys => "survey",
            Section::People => "people",
        }
    }

    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Section::Dashboard => td_string!(locale, nav.dashboard),
            Section::Kpis => td_string!(locale, nav.kpis),
            Section::Backlog => td_string!(locale, nav.backlog),
            Section::Growth => td_string!(locale, nav.growth),
            Section::Surveys => td_string!(locale, nav.surveys),
            Section::People => td_string!(locale, nav.people),
        }
    }

    fn blurb(self, locale: Locale) -> &'static str {
        match self {
            Section::Dashboard => "",
            Section::Kpis => td_string!(locale, dashboard.kpis_blurb),
            Section::Backlog => td_string!(locale, dashboard.backlog_blurb),
            Section::Growth => td_string!(locale, dashboard.growth_blurb),
            Section::Surveys => td_string!(locale, dashboard.surveys_blurb),
            Section::People => td_string!(locale, dashboard.people_blurb),
        }
    }
}

pub fn role_label(locale: Locale, role: Role) -> &'static str {
    match role {
        Role::Admin => td_string!(locale, role.admin),
        Role::Leader => td_string!(locale, role.leader),
        Role::Pm => td_string!(locale, role.pm),
        Role::Member => td_string!(locale, role.member),
    }
}

pub fn locale_of(lang: Language) -> Locale {
    match lang {
        Language::En => Locale::en,
        Language::Zh => Locale::zh,
    }
}

pub fn language_of(locale: Locale) -> Language {
    match locale {
        Locale::en => Language::En,
        Locale::zh => Language::Zh,
    }
}

/// Switches the language at once in the browser and remembers it (per person
/// when signed in, in a cookie otherwise).
pub fn switch_language(i18n: leptos_i18n::I18nContext<Locale>, to: Locale) {
    i18n.set_locale(to);
    leptos::task::spawn_local(async move {
        let _ = set_language(language_of(to)).await;
    });
}

#[component]
pub fn LanguageToggle() -> impl IntoView {
    let i18n = use_i18n();
    let other = move || match i18n.get_locale() {
        Locale::en => Locale::zh,
        Locale::zh => Locale::en,
    };
    view! {
        <button
            type="button"
            class="btn btn-ghost lang-toggle"
            data-testid="language-toggle"
            lang=move || other().as_str()
            aria-label=move || t_string!(i18n, nav.switch_language_label)
            on:click=move |_| switch_language(i18n, other())
        >
            <Icon name="globe"/>
            <span>{t!(i18n, nav.switch_language)}</span>
        </button>
    }
}

#[component]
fn AppLayout() -> impl IntoView {
    let i18n = use_i18n();
    let user = Resource::new_blocking(|| (), |_| current_user());
    let menu_open = RwSignal::new(false);
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

#[component]
fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let summary = Resource::new(|| (), |_| crate::people::api::dashboard_summary());
    let user = Resource::new(|| (), |_| current_user());
    // Every card's data loads here, under one Suspense: a Suspense nested in
    // this one's Suspend sometimes broke hydration (about one page in fifty).
    let due = Resource::new(|| (), |_| crate::kpi::api::checkins_due());
    let awaiting = Resource::new(|| (), |_| crate::surveys::api::surveys_awaiting());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, dashboard.title).to_string())/>
        <crate::auth::ui::SignInAlerts/>
        <Suspense fallback=|| view! { <DashboardSkeleton/> }>
            {move || Suspend::new(async move {
                // Every resource is taken before the first await: leaving
                // the page can dispose them while the first one loads.
                let (due, awaiting, summary) = (due.into_future(), awaiting.into_future(), summary.into_future());
                let me = user.await.ok().flatten();
                let (due, awaiting) = (due.await, awaiting.await);
                match summary.await {
                    Ok(s) => view! { <DashboardCards s me due awaiting/> }.into_any(),
                    Err(e) => {
                        view! {
                            <div class="alert alert-error" role="alert">
                                {move || crate::ui::form::error_text(i18n.get_locale(), e.code)}
                            </div>
                        }
                            .into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn DashboardSkeleton() -> impl IntoView {
    view! {
        <div class="grid cards" aria-busy="true">
            <div class="card skeleton"></div>
            <div class="card skeleton"></div>
            <div class="card skeleton"></div>
        </div>
    }
}

#[component]
fn DashboardCards(
    s: crate::people::api::DashboardFacts,
    me: Option<SessionUser>,
    due: Result<Vec<crate::kpi::model::DueKpi>, crate::error::AppError>,
    awaiting: Result<Vec<crate::surveys::model::Awaiting>, crate::error::AppError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_admin = me.as_ref().is_some_and(|u| u.role == Role::Admin);
    let show_due = me
        .as_ref()
        .is_some_and(|u| matches!(u.role, Role::Pm | Role::Leader));
    let name = me.map(|u| u.display_name).unwrap_or_default();
    let mut modules = vec![
        Section::Kpis,
        Section::Backlog,
        Section::Growth,
        Section::Surveys,
    ];
    if is_admin {
        modules.push(Section::People);
    }
    let teammates = s.teammates.clone();
    let led = s.led_teams.clone();
    view! {
        <p class="welcome">
            {t!(i18n, dashboard.welcome)} " " <strong>{name}</strong>
            <span class="today">
                " · " {s.today.clone()} " · " {t!(i18n, dashboard.week)} " " {s.iso_week}
            </span>
        </p>
        <div class="grid cards">
            <section class="card" aria-labelledby="card-team">
                <h2 id="card-team">{t!(i18n, dashboard.your_team)}</h2>
                {match s.team_name.clone() {
                    Some(team) => {
                        view! {
                            <p class="card-big" data-testid="my-team">{team}</p>
                            <dl class="facts">
                                <dt>{t!(i18n, dashboard.leader)}</dt>
                                <dd>
                                    {s.leader_name.clone().map(|n| n.into_any()).unwrap_or_else(|| view! { <span class="muted">{t!(i18n, dashboard.no_leader)}</span> }.into_any())}
                                </dd>
                            </dl>
                            <h3>{t!(i18n, dashboard.teammates)}</h3>
                            {if teammates.is_empty() {
                                view! { <p class="muted">{t!(i18n, dashboard.no_teammates)}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="people-list" role="list">
                                        {teammates
                                            .into_iter()
                                            .map(|(n, r)| {
                                                view! {
                                                    <li>
                                                        <span class="avatar" aria-hidden="true">{n.chars().next().unwrap_or('?').to_string()}</span>
                                                        <span>{n}</span>
                                                        <span class="badge">{move || role_label(i18n.get_locale(), r)}</span>
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                    .into_any()
                            }}
                        }
                            .into_any()
                    }
                    None => view! { <p class="muted">{t!(i18n, dashboard.no_team)}</p> }.into_any(),
                }}
            </section>
            <section class="card" aria-labelledby="card-org">
                <h2 id="card-org">{t!(i18n, dashboard.organisation)}</h2>
                <p class="card-big">{s.organisation.clone()}</p>
                <dl class="facts">
                    <dt>{t!(i18n, dashboard.teams)}</dt>
                    <dd class="num">{s.team_count}</dd>
                    <dt>{t!(i18n, dashboard.people)}</dt>
                    <dd class="num">{s.people_count}</dd>
                    <dt>{t!(i18n, dashboard.time_zone)}</dt>
                    <dd>{s.time_zone.clone()}</dd>
                    <dt>{t!(i18n, dashboard.currency)}</dt>
                    <dd>{s.currency.clone()}</dd>
                </dl>
            </section>
            {show_due.then(|| view! { <crate::kpi::ui::CheckinsDue due/> })}
            <crate::surveys::ui::SurveysAwaiting list=awaiting/>
            {(!led.is_empty())
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="card-led">
                            <h2 id="card-led">{t!(i18n, dashboard.you_lead)}</h2>
                            <ul class="plain-list" role="list">
                                {led.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                            </ul>
                        </section>
                    }
                })}
        </div>
        <h2 class="section-title">{t!(i18n, dashboard.modules)}</h2>
        <div class="grid modules">
            {modules
                .into_iter()
                .map(|m| {
                    view! {
                        <A href=m.href() attr:class="card module">
                            <span class="module-icon"><Icon name=m.icon()/></span>
                            <span class="module-title">{move || m.label(i18n.get_locale())}</span>
                            <span class="module-blurb">{move || m.blurb(i18n.get_locale())}</span>
                        </A>
                    }
                })
                .collect_view()}
        </div>
    }
}

#[component]
pub fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::FORBIDDEN);
    }
    view! {
        <div class="empty-state" data-testid="forbidden">
            <span class="empty-icon"><Icon name="lock"/></span>
            <h1>{t!(i18n, forbidden.title)}</h1>
            <p>{t!(i18n, forbidden.body)}</p>
            <A href="/" attr:class="btn btn-primary">{t!(i18n, not_found.home)}</A>
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=move || t_string!(i18n, not_found.title).to_string()/>
        <main class="center-page" id="main">
            <div class="empty-state">
                <h1>{t!(i18n, not_found.title)}</h1>
                <p>{t!(i18n, not_found.body)}</p>
                <a href="/" class="btn btn-primary">{t!(i18n, not_found.home)}</a>
            </div>
        </main>
    }
}
