//! Form fields that show the server's message at the field, translated.
use crate::error::{AppError, ErrorCode};
use crate::i18n::*;
use leptos::prelude::*;

/// The translated text of an error code.
pub fn error_text(locale: Locale, code: ErrorCode) -> &'static str {
    use ErrorCode::*;
    match code {
        Required => td_string!(locale, errors.required),
        TooLong => td_string!(locale, errors.too_long),
        InvalidEmail => td_string!(locale, errors.invalid_email),
        PasswordTooShort => td_string!(locale, errors.password_too_short),
        PasswordTooLong => td_string!(locale, errors.password_too_long),
        PasswordMismatch => td_string!(locale, errors.password_mismatch),
        InvalidTimeZone => td_string!(locale, errors.invalid_time_zone),
        InvalidCurrency => td_string!(locale, errors.invalid_currency),
        InvalidCredentials => td_string!(locale, errors.invalid_credentials),
        AccountLocked => td_string!(locale, errors.account_locked),
        TooManyAttempts => td_string!(locale, errors.too_many_attempts),
        InvalidSetupToken => td_string!(locale, errors.invalid_setup_token),
        AccountInactive => td_string!(locale, errors.account_inactive),
        NotSignedIn => td_string!(locale, errors.not_signed_in),
        Forbidden => td_string!(locale, errors.forbidden),
        NotFound => td_string!(locale, errors.not_found),
        StaleVersion => td_string!(locale, errors.stale_version),
        EmailTaken => td_string!(locale, errors.email_taken),
        SetupDone => td_string!(locale, errors.setup_done),
        WrongOldPassword => td_string!(locale, errors.wrong_old_password),
        TeamCycle => td_string!(locale, errors.team_cycle),
        InvalidChoice => td_string!(locale, errors.invalid_choice),
        OutOfScale => td_string!(locale, errors.out_of_scale),
        MustBePositive => td_string!(locale, errors.must_be_positive),
        UnreadableFile => td_string!(locale, errors.unreadable_file),
        FileTooLarge => td_string!(locale, errors.file_too_large),
        MissingColumn => td_string!(locale, errors.missing_column),
        InvalidLink => td_string!(locale, errors.invalid_link),
        InvalidTransition => td_string!(locale, errors.invalid_transition),
        IdConflict => td_string!(locale, errors.id_conflict),
        CannotChangeSelf => td_string!(locale, errors.cannot_change_self),
        CrossSite => td_string!(locale, errors.cross_site),
        InvalidCode => td_string!(locale, errors.invalid_code),
        NotANumber => td_string!(locale, errors.not_a_number),
        InvalidDate => td_string!(locale, errors.invalid_date),
        InFuture => td_string!(locale, errors.in_future),
        TargetIsBaseline => td_string!(locale, errors.target_is_baseline),
        TargetWrongWay => td_string!(locale, errors.target_wrong_way),
        DueBeforeStart => td_string!(locale, errors.due_before_start),
        GoalNotEmpty => td_string!(locale, errors.goal_not_empty),
        GoalCycle => td_string!(locale, errors.goal_cycle),
        Archived => td_string!(locale, errors.archived),
        NothingToUndo => td_string!(locale, errors.nothing_to_undo),
        InvitationInvalid => td_string!(locale, errors.invitation_invalid),
        CodeTaken => td_string!(locale, errors.code_taken),
        Negative => td_string!(locale, errors.negative),
        NameTaken => td_string!(locale, errors.name_taken),
        AwaitingApproval => td_string!(locale, errors.awaiting_approval),
        RoundLocked => td_string!(locale, errors.round_locked),
        RoundNotOpen => td_string!(locale, errors.round_not_open),
        AlreadyAnswered => td_string!(locale, errors.already_answered),
        ResultsAfterClose => td_string!(locale, errors.results_after_close),
        OutOfRange => td_string!(locale, errors.out_of_range),
        NobodyToAsk => td_string!(locale, errors.nobody_to_ask),
        TooFewOptions => td_string!(locale, errors.too_few_options),
        InPast => td_string!(locale, errors.in_past),
        ClosesBeforeOpens => td_string!(locale, errors.closes_before_opens),
        RoundCancelled => td_string!(locale, errors.round_cancelled),
        PulseNotStopped => td_string!(locale, errors.pulse_not_stopped),
        LastQuestion => td_string!(locale, errors.last_question),
        PeriodClosed => td_string!(locale, errors.period_closed),
        NoNextPeriod => td_string!(locale, errors.no_next_period),
        ChangedSinceExport => td_string!(locale, errors.changed_since_export),
        RepeatedInFile => td_string!(locale, errors.repeated_in_file),
        TokenInvalid => td_string!(locale, errors.token_invalid),
        Network => td_string!(locale, errors.network),
        Internal => td_string!(locale, errors.internal),
    }
}

/// An error that stands for a whole page section (a failed load).
pub fn error_box(e: AppError) -> AnyView {
    let i18n = use_i18n();
    view! { <div class="alert alert-error" role="alert">{move || error_text(i18n.get_locale(), e.code)}</div> }.into_any()
}

/// The bytes of the file chosen in a file input (browser only). A file over
/// the import limit is not read (nor sent) whole: only its first
/// `MAX_IMPORT_BYTES + 1` bytes, which the import refuses at once with
/// `file_too_large` at the file field, as it would the whole file.
#[cfg(feature = "hydrate")]
pub async fn read_file(input: web_sys::HtmlInputElement) -> Option<Vec<u8>> {
    let file = input.files()?.get(0)?;
    let limit = crate::csv_cell::MAX_IMPORT_BYTES as f64 + 1.0;
    let blob: web_sys::Blob = if file.size() > limit {
        file.slice_with_f64_and_f64(0.0, limit).ok()?
    } else {
        file.into()
    };
    let buf = wasm_bindgen_futures::JsFuture::from(blob.array_buffer())
        .await
        .ok()?;
    Some(js_sys::Uint8Array::new(&buf).to_vec())
}

/// The error of an action's last result, if any.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// The error a plain form post (sent before the page was interactive) was
/// answered with: the server redirects back with `?error=code&field=name`.
pub fn url_error() -> Option<AppError> {
    use leptos_router::hooks::use_query_map;
    let q = use_query_map().get_untracked();
    let code: ErrorCode =
        serde_json::from_value(serde_json::Value::String(q.get("error")?)).ok()?;
    Some(AppError {
        code,
        field: q.get("field"),
    })
}

/// Whether a plain form post to `endpoint` succeeded (`?done=endpoint`).
pub fn url_done(endpoint: &str) -> bool {
    use leptos_router::hooks::use_query_map;
    use_query_map().get_untracked().get("done").as_deref() == Some(endpoint)
}

/// A form's error: its action's last one, else the one a plain post to the
/// same endpoint came back with (`?failed=` names the form that failed, so a
/// page with several forms shows it at that one only).
pub fn form_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    use leptos_router::hooks::use_query_map;
    let endpoint = I::url().trim_start_matches("/api/");
    let failed = use_query_map().get_untracked().get("failed");
    let from_url = url_error().filter(|_| failed.as_deref().is_none_or(|f| f == endpoint));
    Signal::derive(move || match action.value().get() {
        Some(r) => r.err(),
        None => from_url.clone(),
    })
}

/// Whether a form's action succeeded: its last call, else a plain post to
/// the same endpoint (before the page was interactive) that came back with
/// `?done=`.
pub fn form_done<I, O>(action: ServerAction<I>) -> Signal<bool>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let plain = url_done(I::url().trim_start_matches("/api/"));
    Signal::derive(move || match action.value().get() {
        Some(r) => r.is_ok(),
        None => plain,
    })
}

/// Moves focus to the first invalid field of a form after an error, so that
/// keyboard and screen-reader users land where the problem is.
pub fn focus_first_invalid(form_id: impl Into<String>, error: Signal<Option<AppError>>) {
    let form_id: String = form_id.into();
    Effect::new(move |_| {
        if error.get().is_some() {
            #[cfg(feature = "hydrate")]
            let form_id = form_id.clone();
            #[cfg(feature = "hydrate")]
            request_animation_frame(move || {
                let doc = document();
                let selector = format!("#{form_id} [aria-invalid=\"true\"]");
                if let Ok(Some(el)) = doc.query_selector(&selector) {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = form_id;
        }
    });
}

/// A labelled input whose server message shows beneath it.
#[component]
pub fn TextField(
    #[prop(into)] form: Oco<'static, str>,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<AppError>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] hint: Option<Signal<String>>,
    children: Children,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let message_id = format!("{id}-msg");
    let invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(name)));
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{children()}</label>
            <input
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby=message_id.clone()
                // The initial value in the HTML too, so that a page rendered
                // after a plain form post shows what was typed.
                value=value.get_untracked()
                bind:value=value
            />
            <FieldMessage id=message_id name error hint/>
        </div>
    }
}

/// The line under a field: the server's message for it, else its hint.
#[component]
fn FieldMessage(
    id: String,
    name: &'static str,
    error: Signal<Option<AppError>>,
    hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="field-msg" id=id>
            {move || match error.get().filter(|e| e.is_for(name)) {
                Some(e) => {
                    view! {
                        <span class="field-error">
                            <crate::ui::icons::Icon name="alert"/>
                            {error_text(i18n.get_locale(), e.code)}
                        </span>
                    }
                        .into_any()
                }
                None => view! { <span class="field-hint">{hint.map(|h| h.get())}</span> }.into_any(),
            }}
        </p>
    }
}

/// A labelled select over (value, label) options.
#[component]
pub fn SelectField(
    #[prop(into)] form: Oco<'static, str>,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into)] error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    let id = format!("{form}-{name}");
    let message_id = format!("{id}-msg");
    let invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(name)));
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{children()}</label>
            <select
                id=id
                name=name
                aria-invalid=move || if invalid() { "true" } else { "false" }
                aria-describedby=message_id.clone()
                on:change=move |ev| value.set(event_target_value(&ev))
                prop:value=move || value.get()
            >
                <For each=move || options.get() key=|(v, l)| (v.clone(), l.clone()) let((v, l))>
                    <option value=v.clone() selected=move || value.get() == v>
                        {l}
                    </option>
                </For>
            </select>
            <FieldMessage id=message_id name error hint=None/>
        </div>
    }
}

/// A banner for errors that belong to no single field.
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" class="alert-slot">
            {move || {
                error
                    .get()
                    .filter(|e| e.field.is_none())
                    .map(|e| {
                        view! {
                            <div class="alert alert-error">
                                <crate::ui::icons::Icon name="alert"/>
                                <span>{error_text(i18n.get_locale(), e.code)}</span>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

/// A polite success note.
#[component]
pub fn SuccessNote(#[prop(into)] show: Signal<bool>, children: ChildrenFn) -> impl IntoView {
    view! {
        <div role="status" aria-live="polite" class="status-slot">
            <Show when=move || show.get()>
                <div class="alert alert-ok">
                    <crate::ui::icons::Icon name="check"/>
                    <span>{children()}</span>
                </div>
            </Show>
        </div>
    }
}
