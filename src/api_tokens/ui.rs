//! The API tokens section of `/profile`: one's tokens (name, start of the
//! token, scope, expiry, last use, revoke), a form that makes one (it works
//! before the page is interactive too), and the new token shown once, with
//! a copy button.
use super::api::{CreateApiToken, RevokeApiToken, list_api_tokens};
use super::model::{EXPIRY_DAYS, NewToken, TOKEN_PREFIX, TokenRow, TokenState};
use crate::auth::ApiScope;
use crate::calendar::{day_part, minute_part};
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, TextField, action_error, focus_first_invalid, form_error,
};
use crate::ui::icons::Icon;
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;

fn scope_label(locale: Locale, scope: ApiScope) -> &'static str {
    match scope {
        ApiScope::Read => td_string!(locale, api_tokens.scope_read),
        ApiScope::CheckIns => td_string!(locale, api_tokens.scope_checkins),
    }
}

fn state_label(locale: Locale, state: TokenState) -> &'static str {
    match state {
        TokenState::Active => td_string!(locale, api_tokens.state_active),
        TokenState::Expired => td_string!(locale, api_tokens.state_expired),
        TokenState::Revoked => td_string!(locale, api_tokens.state_revoked),
    }
}

#[component]
pub fn TokensSection() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::provide();
    let create = ServerAction::<CreateApiToken>::new();
    // Read on the server too: a token made by a plain form post waits in
    // the session for this list, which shows it once.
    let data = Resource::new(move || reload.get(), |_| list_api_tokens());
    // The token just made by this page's call, else one a plain post made.
    let made = Signal::derive(move || create.value().get().and_then(|r| r.ok()));
    view! {
        <section class="card section" aria-labelledby="api-tokens-title" data-testid="api-tokens">
            <h2 id="api-tokens-title">
                <Icon name="lock"/>
                {t!(i18n, api_tokens.title)}
            </h2>
            <p class="muted">{t!(i18n, api_tokens.intro)}</p>
            <Transition fallback=|| view! { <div class="skeleton line"></div> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(view) => {
                            let fresh = made.get_untracked().or(view.fresh);
                            view! {
                                {fresh.map(|t| view! { <FreshToken token=t/> })}
                                <TokenList tokens=view.tokens/>
                            }
                                .into_any()
                        }
                        Err(e) => crate::ui::form::error_box(e),
                    }
                })}
            </Transition>
            <CreateForm create/>
        </section>
    }
}

/// The new token, shown this once.
#[component]
fn FreshToken(token: NewToken) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    let secret = StoredValue::new(token.token.clone());
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let _ = window()
                .navigator()
                .clipboard()
                .write_text(&secret.get_value());
            copied.set(true);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = secret;
    };
    view! {
        <div class="alert alert-warn fresh-token" role="status" data-testid="fresh-token">
            <p>
                <strong>{t!(i18n, api_tokens.fresh_title)}</strong>
                " · " {token.name.clone()}
            </p>
            <p>
                <code class="mono token-secret" data-testid="new-token">{token.token.clone()}</code>
            </p>
            <p>{t!(i18n, api_tokens.fresh_warning)}</p>
            <div class="form-actions">
                <button type="button" class="btn btn-small" on:click=copy>{t!(i18n, api_tokens.copy)}</button>
                <span role="status" aria-live="polite">
                    {move || copied.get().then(|| t_string!(i18n, api_tokens.copied))}
                </span>
            </div>
        </div>
    }
}

#[component]
fn TokenList(tokens: Vec<TokenRow>) -> impl IntoView {
    let i18n = use_i18n();
    if tokens.is_empty() {
        return view! { <p class="muted" data-testid="no-tokens">{t!(i18n, api_tokens.none)}</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, api_tokens.name)}</th>
                        <th scope="col">{t!(i18n, api_tokens.token)}</th>
                        <th scope="col">{t!(i18n, api_tokens.scope)}</th>
                        <th scope="col">{t!(i18n, api_tokens.expires)}</th>
                        <th scope="col">{t!(i18n, api_tokens.last_used)}</th>
                        <th scope="col">{t!(i18n, common.status)}</th>
                        <th scope="col"><span class="sr-only">{t!(i18n, common.actions)}</span></th>
                    </tr>
                </thead>
                <tbody>
                    {tokens.into_iter().map(|t| view! { <TokenLine token=t/> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn TokenLine(token: TokenRow) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_reload();
    let revoke = ServerAction::<RevokeApiToken>::new();
    let error = action_error(revoke);
    Effect::new(move |_| {
        if let Some(Ok(_)) = revoke.value().get() {
            reload.bump();
        }
    });
    let id = StoredValue::new(token.id.clone());
    let on_revoke = move |_| {
        if crate::ui::confirm(td_string!(
            i18n.get_locale_untracked(),
            api_tokens.revoke_confirm
        )) {
            revoke.dispatch(RevokeApiToken { id: id.get_value() });
        }
    };
    let scope = token.scope;
    let state = token.state;
    let name = token.name.clone();
    view! {
        <tr data-testid="api-token">
            <td>{token.name.clone()}</td>
            <td><code class="mono">{format!("{TOKEN_PREFIX}{}…", token.shown)}</code></td>
            <td>{move || scope_label(i18n.get_locale(), scope)}</td>
            <td><span class="num">{day_part(&token.expires_at)}</span></td>
            <td>
                {match token.last_used_at.as_deref() {
                    Some(at) => view! { <span class="num">{minute_part(at)}</span> }.into_any(),
                    None => view! { <span class="muted">{t!(i18n, api_tokens.never_used)}</span> }.into_any(),
                }}
            </td>
            <td>{move || state_label(i18n.get_locale(), state)}</td>
            <td>
                {(state == TokenState::Active).then(|| view! {
                    <button
                        type="button"
                        class="btn btn-small btn-danger"
                        aria-label=move || format!("{} {}", t_string!(i18n, api_tokens.revoke), name)
                        on:click=on_revoke
                        disabled=move || revoke.pending().get()
                    >
                        {t!(i18n, api_tokens.revoke)}
                    </button>
                })}
                <FormAlert error/>
            </td>
        </tr>
    }
}

#[component]
fn CreateForm(create: ServerAction<CreateApiToken>) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_reload();
    let id = RwSignal::new(crate::ui::new_id());
    let name = RwSignal::new(String::new());
    let scope = RwSignal::new(ApiScope::Read.as_str().to_string());
    let expires = RwSignal::new("90".to_string());
    let error = form_error(create);
    focus_first_invalid("api-token-form", error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            id.set(crate::ui::new_id());
            name.set(String::new());
            reload.bump();
        }
    });
    let scopes = Signal::derive(move || {
        let locale = i18n.get_locale();
        ApiScope::ALL
            .iter()
            .map(|s| (s.as_str().to_string(), scope_label(locale, *s).to_string()))
            .collect::<Vec<_>>()
    });
    let lifetimes = Signal::derive(move || {
        let locale = i18n.get_locale();
        EXPIRY_DAYS
            .iter()
            .map(|d| {
                let label = match d {
                    30 => td_string!(locale, api_tokens.days_30),
                    90 => td_string!(locale, api_tokens.days_90),
                    _ => td_string!(locale, api_tokens.days_365),
                };
                (d.to_string(), label.to_string())
            })
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateApiToken {
            id: id.get_untracked(),
            name: name.get_untracked(),
            scope: scope.get_untracked(),
            expires_days: expires.get_untracked(),
        });
    };
    let plain_action = <CreateApiToken as leptos::server_fn::ServerFn>::url();
    view! {
        <h3 id="new-api-token-title">{t!(i18n, api_tokens.new)}</h3>
        // A real POST before the page is interactive (the new token then
        // comes back through the session, once); once hydrated, `submit`
        // sends the same call without reloading.
        <form id="api-token-form" class="form-grid" method="post" action=plain_action novalidate on:submit=submit aria-labelledby="new-api-token-title">
            <input type="hidden" name="id" value=move || id.get()/>
            <FormAlert error/>
            <TextField form="api-token-form" name="name" value=name error hint=Signal::derive(move || t_string!(i18n, api_tokens.name_hint).to_string())>
                {t!(i18n, api_tokens.name)}
            </TextField>
            <SelectField form="api-token-form" name="scope" value=scope options=scopes error>
                {t!(i18n, api_tokens.scope)}
            </SelectField>
            <SelectField form="api-token-form" name="expires_days" value=expires options=lifetimes error>
                {t!(i18n, api_tokens.expires_in)}
            </SelectField>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || create.pending().get()>
                    {t!(i18n, api_tokens.create)}
                </button>
            </div>
        </form>
    }
}
