//! Correcting a requirement's intake fields, and withdrawing it.
use super::*;
use crate::backlog::api::{EditRequirement, WithdrawRequirement};
use crate::backlog::model::RequirementDetail;
use crate::i18n::*;
use crate::ui::form::{FormAlert, SuccessNote, focus_first_invalid, form_done, form_error};
use crate::ui::page::use_reload;
use leptos::prelude::*;

/// The intake fields as the submit form has them, filled with the current
/// values. A plain form post before the page is interactive; the same call
/// without a reload after. The submitter (while it is new) can also
/// withdraw it, after one confirmation.
#[component]
pub(super) fn FieldsForm(detail: RequirementDetail) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let edit = ServerAction::<EditRequirement>::new();
    let withdraw = ServerAction::<WithdrawRequirement>::new();
    let r = &detail.row;
    let x = &detail.extra;
    let intake = Intake::new([
        r.title.clone(),
        r.description.clone(),
        r.source.as_str().to_string(),
        x.requester.clone(),
        x.customer.clone(),
        x.segment.clone(),
        x.links.join(" "),
    ]);
    let error = form_error(edit);
    let withdraw_error = Signal::derive(move || withdraw.value().get().and_then(|r| r.err()));
    let done = form_done(edit);
    const FORM: &str = "fields-form";
    focus_first_invalid(FORM, error);
    Effect::new(move |_| {
        // Both read, so that the effect follows both actions.
        let (first, second) = (
            matches!(edit.value().get(), Some(Ok(_))),
            matches!(withdraw.value().get(), Some(Ok(_))),
        );
        if first || second {
            reload.bump();
        }
    });
    let id = StoredValue::new(r.id.clone());
    let version = r.version;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.dispatch(EditRequirement {
            id: id.get_value(),
            version,
            title: intake.title.get_untracked(),
            description: intake.description.get_untracked(),
            source: intake.source.get_untracked(),
            requester: intake.requester.get_untracked(),
            customer: intake.customer.get_untracked(),
            segment: intake.segment.get_untracked(),
            links: intake.links.get_untracked(),
        });
    };
    let on_withdraw = move |_| {
        if crate::ui::confirm(td_string!(
            i18n.get_locale_untracked(),
            backlog.withdraw_confirm
        )) {
            withdraw.dispatch(WithdrawRequirement {
                id: id.get_value(),
                version,
            });
        }
    };
    let plain_action = <EditRequirement as leptos::server_fn::ServerFn>::url();
    let submitter_only = !detail.can_edit;
    view! {
        <section class="card section" aria-labelledby="fields-title">
            <details class="inline-details" data-testid="edit-fields" open=error.get_untracked().is_some()>
                <summary class="summary-button"><h2 id="fields-title" class="inline-title">{t!(i18n, backlog.edit_fields)}</h2></summary>
                {submitter_only.then(|| view! { <p class="muted small">{t!(i18n, backlog.submitter_hint)}</p> })}
                <form id=FORM method="post" action=plain_action novalidate on:submit=on_submit>
                    <input type="hidden" name="id" value=id.get_value()/>
                    <input type="hidden" name="version" value=version/>
                    <FormAlert error/>
                    <IntakeFields form=FORM intake error>{t!(i18n, backlog.title_field)}</IntakeFields>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="save-fields" disabled=move || edit.pending().get()>{t!(i18n, backlog.save_fields)}</button>
                        {detail.can_withdraw.then(|| view! {
                            <button type="button" class="btn btn-danger" data-testid="withdraw" on:click=on_withdraw>{t!(i18n, backlog.withdraw)}</button>
                        })}
                        <SuccessNote show=done>{move || t_string!(i18n, backlog.fields_saved)}</SuccessNote>
                    </div>
                    <FormAlert error=withdraw_error/>
                </form>
            </details>
        </section>
    }
}
