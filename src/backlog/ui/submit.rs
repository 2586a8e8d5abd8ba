//! The form anyone uses to submit a requirement.
use super::*;
use crate::backlog::api::SubmitRequirement;
use crate::backlog::model::Source;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, focus_first_invalid, form_done, form_error,
};
use crate::ui::page::use_reload;
use leptos::prelude::*;

#[component]
pub(super) fn SubmitForm(backlog_id: String) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitRequirement>::new();
    let id = RwSignal::new(crate::ui::new_id());
    let intake = Intake::new(["", "", "customer", "", "", "", ""].map(String::from));
    // The call's result, else the one a plain form post (before the page was
    // interactive) came back with.
    let error = form_error(submit);
    let done = form_done(submit);
    focus_first_invalid("requirement-form", error);
    Effect::new(move |_| {
        if matches!(submit.value().get(), Some(Ok(_))) {
            id.set(crate::ui::new_id());
            intake.clear();
            reload.bump();
        }
    });
    let backlog = StoredValue::new(backlog_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(SubmitRequirement {
            id: id.get_untracked(),
            backlog_id: backlog.get_value(),
            title: intake.title.get_untracked(),
            description: intake.description.get_untracked(),
            source: intake.source.get_untracked(),
            requester: intake.requester.get_untracked(),
            customer: intake.customer.get_untracked(),
            segment: intake.segment.get_untracked(),
            links: intake.links.get_untracked(),
        });
    };
    let plain_action = <SubmitRequirement as leptos::server_fn::ServerFn>::url();
    view! {
        <section class="card section" aria-labelledby="submit-title">
            <h2 id="submit-title">{t!(i18n, backlog.new_requirement)}</h2>
            // A real POST before the page is interactive; once hydrated,
            // `on_submit` sends the same call without reloading.
            <form id="requirement-form" method="post" action=plain_action novalidate on:submit=on_submit>
                <input type="hidden" name="id" value=move || id.get()/>
                <input type="hidden" name="backlog_id" value=backlog.get_value()/>
                <FormAlert error/>
                <IntakeFields form="requirement-form" intake error>{t!(i18n, backlog.requirement)}</IntakeFields>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || submit.pending().get()>{t!(i18n, backlog.submit)}</button>
                    <SuccessNote show=done>{move || t_string!(i18n, backlog.submitted)}</SuccessNote>
                </div>
            </form>
        </section>
    }
}

/// A requirement's intake fields as a form holds them: title, description,
/// source, requester, customer, segment and links (space separated).
#[derive(Clone, Copy)]
pub(super) struct Intake {
    pub title: RwSignal<String>,
    pub description: RwSignal<String>,
    pub source: RwSignal<String>,
    pub requester: RwSignal<String>,
    pub customer: RwSignal<String>,
    pub segment: RwSignal<String>,
    pub links: RwSignal<String>,
}

impl Intake {
    /// The fields with these values, in the order above.
    pub fn new(values: [String; 7]) -> Intake {
        let [
            title,
            description,
            source,
            requester,
            customer,
            segment,
            links,
        ] = values.map(RwSignal::new);
        Intake {
            title,
            description,
            source,
            requester,
            customer,
            segment,
            links,
        }
    }

    /// Empties every field but the source, for the next requirement.
    pub fn clear(&self) {
        for s in [
            self.title,
            self.description,
            self.requester,
            self.customer,
            self.segment,
            self.links,
        ] {
            s.set(String::new());
        }
    }
}

/// The intake fields, as the submit form and the edit form show them; the
/// title's label is the children.
#[component]
pub(super) fn IntakeFields(
    form: &'static str,
    intake: Intake,
    error: Signal<Option<AppError>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="form-row">
            <TextField form=form name="title" value=intake.title error>{children()}</TextField>
            <SelectField
                form=form
                name="source"
                value=intake.source
                error
                options=Signal::derive(move || Source::ALL.iter().map(|s| (s.as_str().to_string(), source_label(i18n.get_locale(), *s).to_string())).collect())
            >
                {t!(i18n, backlog.source)}
            </SelectField>
            <TextField form=form name="description" value=intake.description error>{t!(i18n, backlog.description)}</TextField>
            <TextField form=form name="requester" value=intake.requester error>{t!(i18n, backlog.requester)}</TextField>
            <TextField form=form name="customer" value=intake.customer error>{t!(i18n, backlog.customer)}</TextField>
            <TextField form=form name="segment" value=intake.segment error>{t!(i18n, backlog.segment)}</TextField>
            <TextField
                form=form
                name="links"
                value=intake.links
                error
                hint=Signal::derive(move || t_string!(i18n, backlog.links_hint).to_string())
            >
                {t!(i18n, backlog.links)}
            </TextField>
        </div>
    }
}
