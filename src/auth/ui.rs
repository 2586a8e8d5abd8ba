//! Sign-in, first-admin setup and profile pages.
use super::Language;
use super::api::{
    ChangePassword, Login, SetupFirstAdmin, dismiss_sign_in_alerts, set_language, sign_in_alerts,
};
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, focus_first_invalid, form_done, form_error,
};
use crate::ui::icons::Icon;
use crate::ui::language::{LanguageToggle, language_of, locale_of, role_label};
use crate::ui::page::PageHeader;
use leptos::prelude::*;
use leptos_meta::Title;

fn go_to(path: &str) {
    let _ = window().location().set_href(path);
}

#[component]
fn AuthFrame(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <main class="auth-page" id="main">
            <div class="auth-top">
                <span class="brand">
                    <img src="/icons/icon.svg" alt="" width="28" height="28"/>
                    <span>{t!(i18n, app.name)}</span>
                </span>
                <LanguageToggle/>
            </div>
            <div class="auth-card card">{children()}</div>
            <p class="auth-tagline muted">{t!(i18n, app.tagline)}</p>
        </main>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let login = ServerAction::<Login>::new();
    // After a plain post (before the page was interactive) the server sends
    // the typed email back with the error; never the password.
    let typed = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("email")
        .unwrap_or_default();
    let email = RwSignal::new(typed);
    let password = RwSignal::new(String::new());
    let error = form_error(login);
    focus_first_invalid("login", error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = login.value().get() {
            go_to("/");
        }
    });
    let pending = login.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        login.dispatch(Login {
            email: email.get_untracked(),
            password: password.get_untracked(),
        });
    };
    view! {
        <Title text=move || t_string!(i18n, login.title).to_string()/>
        <AuthFrame>
            <h1>{t!(i18n, login.title)}</h1>
            <p class="muted">{t!(i18n, login.subtitle)}</p>
            // A real POST form: it signs in before the page is interactive too.
            <form id="login" method="post" action="/api/login" novalidate on:submit=submit>
                <FormAlert error/>
                <TextField form="login" name="email" kind="email" autocomplete="username" value=email error>
                    {t!(i18n, login.email)}
                </TextField>
                <TextField form="login" name="password" kind="password" autocomplete="current-password" value=password error>
                    {t!(i18n, login.password)}
                </TextField>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                    {move || if pending.get() { t_string!(i18n, login.busy) } else { t_string!(i18n, login.submit) }}
                </button>
            </form>
        </AuthFrame>
    }
}

pub fn language_options(locale: Locale) -> Vec<(String, String)> {
    vec![
        ("en".to_string(), td_string!(locale, lang.en).to_string()),
        ("zh".to_string(), td_string!(locale, lang.zh).to_string()),
    ]
}

#[component]
pub fn SetupPage() -> impl IntoView {
    let i18n = use_i18n();
    let setup = ServerAction::<SetupFirstAdmin>::new();
    let organisation = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let setup_token = RwSignal::new(String::new());
    let language = RwSignal::new(
        language_of(i18n.get_locale_untracked())
            .as_str()
            .to_string(),
    );
    let error = form_error(setup);
    focus_first_invalid("setup", error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = setup.value().get() {
            go_to("/");
        }
    });
    // Choosing a language here shows the page in it at once.
    Effect::new(move |_| {
        if let Ok(lang) = Language::parse(&language.get()) {
            i18n.set_locale(locale_of(lang));
        }
    });
    let pending = setup.pending();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        setup.dispatch(SetupFirstAdmin {
            organisation: organisation.get_untracked(),
            display_name: display_name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            language: Language::parse(&language.get_untracked()).unwrap_or(Language::En),
            setup_token: setup_token.get_untracked(),
        });
    };
    view! {
        <Title text=move || t_string!(i18n, setup.title).to_string()/>
        <AuthFrame>
            <h1>{t!(i18n, setup.title)}</h1>
            <p class="muted">{t!(i18n, setup.intro)}</p>
            <form id="setup" method="post" action="/api/setup" novalidate on:submit=submit>
                <FormAlert error/>
                <TextField
                    form="setup"
                    name="setup_token"
                    value=setup_token
                    error
                    hint=Signal::derive(move || t_string!(i18n, setup.token_hint).to_string())
                >
                    {t!(i18n, setup.token)}
                </TextField>
                <TextField form="setup" name="organisation" value=organisation error autocomplete="organization">
                    {t!(i18n, setup.organisation)}
                </TextField>
                <TextField form="setup" name="display_name" value=display_name error autocomplete="name">
                    {t!(i18n, setup.display_name)}
                </TextField>
                <TextField form="setup" name="email" kind="email" value=email error autocomplete="username">
                    {t!(i18n, setup.email)}
                </TextField>
                <TextField
                    form="setup"
                    name="password"
                    kind="password"
                    value=password
                    error
                    autocomplete="new-password"
                    hint=Signal::derive(move || t_string!(i18n, setup.password_hint).to_string())
                >
                    {t!(i18n, setup.password)}
                </TextField>
                <SelectField
                    form="setup"
                    name="language"
                    value=language
                    options=Signal::derive(move || language_options(i18n.get_locale()))
                    error
                >
                    {t!(i18n, setup.language)}
                </SelectField>
                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                    {t!(i18n, setup.submit)}
                </button>
            </form>
        </AuthFrame>
    }
}

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let me = crate::ui::session::use_me().0;
    let change = ServerAction::<ChangePassword>::new();
    let old_password = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let error = form_error(change);
    focus_first_invalid("password-form", error);
    let changed = form_done(change);
    Effect::new(move |_| {
        if changed.get() {
            old_password.set(String::new());
            new_password.set(String::new());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(ChangePassword {
            old_password: old_password.get_untracked(),
            new_password: new_password.get_untracked(),
        });
    };
    let language = RwSignal::new(
        language_of(i18n.get_locale_untracked())
            .as_str()
            .to_string(),
    );
    let language_saved = RwSignal::new(false);
    let save_language = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Ok(lang) = Language::parse(&language.get_untracked()) {
            i18n.set_locale(locale_of(lang));
            leptos::task::spawn_local(async move {
                if set_language(lang).await.is_ok() {
                    language_saved.set(true);
                }
            });
        }
    };
    let no_error = Signal::derive(|| None);
    let pending = change.pending();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, profile.title).to_string())/>
        <div class="grid two">
            <section class="card" aria-labelledby="account-title">
                <h2 id="account-title">{t!(i18n, profile.account)}</h2>
                <Suspense fallback=|| view! { <div class="skeleton line"></div> }>
                    {move || Suspend::new(async move {
                        me.await
                            .ok()
                            .flatten()
                            .map(|u| {
                                let role = u.role;
                                view! {
                                    <dl class="facts">
                                        <dt>{t!(i18n, people.display_name)}</dt>
                                        <dd>{u.display_name.clone()}</dd>
                                        <dt>{t!(i18n, people.email)}</dt>
                                        <dd>{u.email.clone()}</dd>
                                        <dt>{t!(i18n, people.role)}</dt>
                                        <dd>{move || role_label(i18n.get_locale(), role)}</dd>
                                    </dl>
                                }
                            })
                    })}
                </Suspense>
                <h2 id="language-title">{t!(i18n, profile.language)}</h2>
                <form id="language-form" on:submit=save_language>
                    <SelectField
                        form="language-form"
                        name="language"
                        value=language
                        options=Signal::derive(move || language_options(i18n.get_locale()))
                        error=no_error
                    >
                        {t!(i18n, profile.language)}
                    </SelectField>
                    <button type="submit" class="btn">{t!(i18n, common.save)}</button>
                    <SuccessNote show=language_saved>{move || t_string!(i18n, profile.language_saved)}</SuccessNote>
                </form>
            </section>
            <section class="card" aria-labelledby="password-title">
                <h2 id="password-title">
                    <Icon name="lock"/>
                    {t!(i18n, profile.change_password)}
                </h2>
                <form id="password-form" method="post" action="/api/change_password" novalidate on:submit=submit>
                    <FormAlert error/>
                    <TextField
                        form="password-form"
                        name="old_password"
                        kind="password"
                        autocomplete="current-password"
                        value=old_password
                        error
                    >
                        {t!(i18n, profile.old_password)}
                    </TextField>
                    <TextField
                        form="password-form"
                        name="new_password"
                        kind="password"
                        autocomplete="new-password"
                        value=new_password
                        error
                        hint=Signal::derive(move || t_string!(i18n, setup.password_hint).to_string())
                    >
                        {t!(i18n, profile.new_password)}
                    </TextField>
                    <button type="submit" class="btn btn-primary" disabled=move || pending.get()>
                        {t!(i18n, profile.change_password)}
                    </button>
                    <SuccessNote show=changed>{move || t_string!(i18n, profile.password_changed)}</SuccessNote>
                </form>
            </section>
        </div>
        <crate::api_tokens::ui::TokensSection/>
    }
}

/// Failed sign-in attempts on the person's account since their last
/// sign-in (when, from where), until they dismiss them.
#[component]
pub fn SignInAlerts() -> impl IntoView {
    let i18n = use_i18n();
    let dismissed = RwSignal::new(false);
    let alerts = Resource::new(|| (), |_| sign_in_alerts());
    let dismiss = move |_| {
        dismissed.set(true);
        leptos::task::spawn_local(async move {
            let _ = dismiss_sign_in_alerts().await;
        });
    };
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // Read (and tracked) before the await: leaving the page can
                // dispose the signal while the alerts load.
                let dismissed = dismissed.get();
                let list = alerts.await.unwrap_or_default();
                (!list.is_empty() && !dismissed)
                    .then(|| {
                        view! {
                            <section class="alert alert-warn sign-in-alerts" role="alert" data-testid="sign-in-alerts">
                                <h2>
                                    <Icon name="alert"/>
                                    {t!(i18n, login.alerts_title)}
                                </h2>
                                <p>{t!(i18n, login.alerts_intro)}</p>
                                <ul>
                                    {list
                                        .into_iter()
                                        .map(|a| {
                                            view! {
                                                <li>
                                                    <time>{a.at}</time>
                                                    " " {t!(i18n, login.alerts_from)} " "
                                                    <code>{a.address}</code>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                                <button type="button" class="btn btn-small" on:click=dismiss>
                                    {t!(i18n, login.alerts_dismiss)}
                                </button>
                            </section>
                        }
                    })
            })}
        </Suspense>
    }
}

/// `/invite#<secret>`: a person sets their own password from an invitation
/// link, then is signed in. The secret is read from the fragment by the page
/// (it is never sent as part of an address), so this needs the page to be
/// interactive; until then it says it is loading.
#[component]
pub fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let token = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        {
            let hash = window().location().hash().unwrap_or_default();
            token.set(Some(hash.trim_start_matches('#').to_string()));
        }
    });
    let details = Resource::new(
        move || token.get(),
        |t| async move {
            match t {
                Some(t) => super::api::invitation_details(t).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let accept = ServerAction::<super::api::AcceptInvitation>::new();
    let password = RwSignal::new(String::new());
    let error = Signal::derive(move || accept.value().get().and_then(|r| r.err()));
    focus_first_invalid("invite", error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = accept.value().get() {
            go_to("/");
        }
    });
    let pending = accept.pending();
    view! {
        <Title text=move || t_string!(i18n, invite.title).to_string()/>
        <AuthFrame>
            <h1>{t!(i18n, invite.title)}</h1>
            <Transition fallback=move || view! { <p class="muted" aria-busy="true">{t!(i18n, common.loading)}</p> }>
                {move || Suspend::new(async move {
                    match details.await {
                        Ok(None) => view! { <p class="muted" aria-busy="true">{t!(i18n, common.loading)}</p> }.into_any(),
                        Err(e) => view! {
                            <div class="alert alert-error" role="alert" data-testid="invitation-invalid">
                                {move || crate::ui::form::error_text(i18n.get_locale(), e.code)}
                            </div>
                            <p><a href="/login" class="btn">{t!(i18n, login.submit)}</a></p>
                        }.into_any(),
                        Ok(Some(info)) => view! {
                            <p class="muted">{t!(i18n, invite.intro)}</p>
                            <p data-testid="invited-person"><strong>{info.display_name}</strong> " · " <span class="mono">{info.email.clone()}</span></p>
                            <form id="invite" novalidate on:submit=move |ev| {
                                ev.prevent_default();
                                accept.dispatch(super::api::AcceptInvitation {
                                    token: token.get_untracked().unwrap_or_default(),
                                    password: password.get_untracked(),
                                });
                            }>
                                <FormAlert error/>
                                <input type="email" name="username" autocomplete="username" value=info.email hidden/>
                                <TextField form="invite" name="password" kind="password" autocomplete="new-password" value=password error>
                                    {t!(i18n, invite.password)}
                                </TextField>
                                <button type="submit" class="btn btn-primary btn-block" disabled=move || pending.get()>
                                    {t!(i18n, invite.submit)}
                                </button>
                            </form>
                        }.into_any(),
                    }
                })}
            </Transition>
        </AuthFrame>
    }
}
