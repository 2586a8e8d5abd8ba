//! The form anyone uses to submit a requirement.
use super::*;
use crate::backlog::api::SubmitRequirement;
use crate::backlog::model::Source;
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, SuccessNote, TextField, focus_first_invalid};
use crate::ui::page::use_reload;
use leptos::prelude::*;

#[component]
pub(super) fn SubmitForm(backlog_id: String) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitRequirement>::new();
    let id = RwSignal::new(crate::ui::new_id());
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let source = RwSignal::new("customer".to_string());
    let requester = RwSignal::new(String::new());
    let customer = RwSignal::new(String::new());
    let segment = RwSignal::new(String::new());
    let links = RwSignal::new(String::new());
    let error = Signal::derive(move || submit.value().get().and_then(|r| r.err()));
    let done = Signal::derive(move || matches!(submit.value().get(), Some(Ok(_))));
    focus_first_invalid("requirement-form", error);
    Effect::new(move |_| {
        if done.get() {
            id.set(crate::ui::new_id());
            for s in [title, description, requester, customer, segment, links] {
                s.set(String::new());
            }
            reload.bump();
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(SubmitRequirement {
            id: id.get_untracked(),
            backlog_id: backlog_id.clone(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            source: source.get_untracked(),
            requester: requester.get_untracked(),
            customer: customer.get_untracked(),
            segment: segment.get_untracked(),
            links: links.get_untracked(),
        });
    };
    view! {
        <section class="card section" aria-labelledby="submit-title">
            <h2 id="submit-title">{t!(i18n, backlog.new_requirement)}</h2>
            <form id="requirement-form" novalidate on:submit=on_submit>
                <FormAlert error/>
                <div class="form-row">
                    <TextField form="requirement-form" name="title" value=title error>{t!(i18n, backlog.requirement)}</TextField>
                    <SelectField
                        form="requirement-form"
                        name="source"
                        value=source
                        error
                        options=Signal::derive(move || Source::ALL.iter().map(|s| (s.as_str().to_string(), source_label(i18n.get_locale(), *s).to_string())).collect())
                    >
                        {t!(i18n, backlog.source)}
                    </SelectField>
                    <TextField form="requirement-form" name="description" value=description error>{t!(i18n, backlog.description)}</TextField>
                    <TextField form="requirement-form" name="requester" value=requester error>{t!(i18n, backlog.requester)}</TextField>
                    <TextField form="requirement-form" name="customer" value=customer error>{t!(i18n, backlog.customer)}</TextField>
                    <TextField form="requirement-form" name="segment" value=segment error>{t!(i18n, backlog.segment)}</TextField>
                    <TextField
                        form="requirement-form"
                        name="links"
                        value=links
                        error
                        hint=Signal::derive(move || t_string!(i18n, backlog.links_hint).to_string())
                    >
                        {t!(i18n, backlog.links)}
                    </TextField>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || submit.pending().get()>{t!(i18n, backlog.submit)}</button>
                    <SuccessNote show=done>{move || t_string!(i18n, backlog.submitted)}</SuccessNote>
                </div>
            </form>
        </section>
    }
}
