//! The form anyone uses to submit a requirement.
use super::*;
use crate::backlog::api::SubmitRequirement;
use crate::backlog::model::Source;
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, focus_first_invalid, form_error, url_done,
};
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
    // The call's result, else the one a plain form post (before the page was
    // interactive) came back with.
    let error = form_error(submit);
    let done_plain = url_done("submit_requirement");
    let done = Signal::derive(move || match submit.value().get() {
        Some(r) => r.is_ok(),
        None => done_plain,
    });
    focus_first_invalid("requirement-form", error);
    Effect::new(move |_| {
        if matches!(submit.value().get(), Some(Ok(_))) {
            id.set(crate::ui::new_id());
            for s in [title, description, requester, customer, segment, links] {
                s.set(String::new());
            }
            reload.bump();
        }
    });
    let backlog = StoredValue::new(backlog_id);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(SubmitRequirement {
            id: id.get_untracked(),
            backlog_id: backlog.get_value(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            source: source.get_untracked(),
            requester: requester.get_untracked(),
            customer: customer.get_untracked(),
            segment: segment.get_untracked(),
            links: links.get_untracked(),
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
