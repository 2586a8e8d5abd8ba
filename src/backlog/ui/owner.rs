//! Who owns a backlog, and handing it to another PM.
use crate::backlog::model::{Backlog, Framework};
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, TextField, focus_first_invalid};
use crate::ui::icons::Icon;
use leptos::prelude::*;

/// The backlog's owner, and for admins and the team's leaders a way to hand
/// it to another PM (needed when its owner is deactivated).
#[component]
pub(super) fn OwnerBar(
    backlog: Backlog,
    owners: Vec<(String, String)>,
    can_reassign: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let reassign = ServerAction::<crate::backlog::api::ReassignBacklog>::new();
    let owner = RwSignal::new(backlog.owner_id.clone());
    let error = Signal::derive(move || reassign.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if let Some(Ok(b)) = reassign.value().get() {
            super::show_backlog(&b.id);
        }
    });
    let name = owners
        .iter()
        .find(|o| o.0 == backlog.owner_id)
        .map(|o| o.1.clone());
    let active = name.is_some();
    let (id, version) = (backlog.id.clone(), backlog.version);
    view! {
        <div class="owner-bar">
            <span data-testid="backlog-owner">
                <span class="muted">{t!(i18n, backlog.owner)} ": "</span>
                {match name {
                    Some(n) => view! { <strong>{n}</strong> }.into_any(),
                    None => view! { <span class="badge badge-warn"><Icon name="alert"/> {t!(i18n, backlog.owner_inactive)}</span> }.into_any(),
                }}
            </span>
            {can_reassign.then(|| view! {
                <details class="inline-details" open=!active>
                    <summary class="summary-button">{t!(i18n, backlog.reassign)}</summary>
                    <form id="reassign-form" class="form-row" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        reassign.dispatch(crate::backlog::api::ReassignBacklog { id: id.clone(), version, owner_id: owner.get_untracked() });
                    }>
                        <FormAlert error/>
                        <SelectField form="reassign-form" name="owner_id" value=owner error options=Signal::derive(move || owners.clone())>
                            {t!(i18n, backlog.new_owner)}
                        </SelectField>
                        <div class="form-actions">
                            <button type="submit" class="btn">{t!(i18n, backlog.reassign)}</button>
                        </div>
                    </form>
                </details>
            })}
        </div>
    }
}

/// Renaming a backlog and changing its framework (the team's PMs, leaders,
/// admins). A new framework asks once: it clears every score.
#[component]
pub(super) fn BacklogSettings(backlog: Backlog) -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<crate::backlog::api::UpdateBacklog>::new();
    let name = RwSignal::new(backlog.name.clone());
    let framework = RwSignal::new(backlog.framework.as_str().to_string());
    let error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    focus_first_invalid("settings-form", error);
    Effect::new(move |_| {
        if let Some(Ok(b)) = update.value().get() {
            super::show_backlog(&b.id);
        }
    });
    let (id, version, current) = (backlog.id.clone(), backlog.version, backlog.framework);
    view! {
        <details class="inline-details" data-testid="backlog-settings">
            <summary class="summary-button">{t!(i18n, backlog.settings)}</summary>
            <form id="settings-form" class="form-row" novalidate on:submit=move |ev| {
                ev.prevent_default();
                let changes = framework.get_untracked() != current.as_str();
                if changes && !crate::ui::confirm(td_string!(i18n.get_locale_untracked(), backlog.framework_change_confirm)) {
                    return;
                }
                update.dispatch(crate::backlog::api::UpdateBacklog { id: id.clone(), version, name: name.get_untracked(), framework: framework.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form="settings-form" name="name" value=name error>{t!(i18n, backlog.name)}</TextField>
                <SelectField form="settings-form" name="framework" value=framework error options=Signal::derive(move || {
                    Framework::ALL.iter().map(|f| (f.as_str().to_string(), super::framework_label(i18n.get_locale(), *f).to_string())).collect()
                })>{t!(i18n, backlog.framework)}</SelectField>
                <p class="muted small">{t!(i18n, backlog.framework_change_note)}</p>
                <div class="form-actions">
                    <button type="submit" class="btn" disabled=move || update.pending().get()>{t!(i18n, backlog.save_settings)}</button>
                </div>
            </form>
        </details>
    }
}
