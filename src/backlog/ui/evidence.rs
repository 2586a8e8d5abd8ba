//! Evidence on a requirement.
use super::*;
use crate::backlog::api::{AddEvidence, DeleteEvidence, EditEvidence};
use crate::backlog::model::EvidenceKind;
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, SuccessNote, TextField, focus_first_invalid};
use crate::ui::page::use_reload;
use leptos::prelude::*;

/// The options of the evidence kind field.
fn kind_options(locale: Locale) -> Vec<(String, String)> {
    EvidenceKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_string(),
                evidence_label(locale, *k).to_string(),
            )
        })
        .collect()
}

/// One piece of evidence; its author can correct or delete it.
#[component]
fn EvidenceItem(e: crate::backlog::model::Evidence) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let edit = ServerAction::<EditEvidence>::new();
    let delete = ServerAction::<DeleteEvidence>::new();
    let editing = RwSignal::new(false);
    let kind = RwSignal::new(e.kind.as_str().to_string());
    let body = RwSignal::new(e.body.clone());
    let source = RwSignal::new(e.source.clone());
    let error = Signal::derive(move || {
        edit.value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| delete.value().get().and_then(|r| r.err()))
    });
    let form_id = format!("evidence-edit-{}", e.id);
    focus_first_invalid(form_id.clone(), error);
    Effect::new(move |_| {
        // Both read, so that the effect follows both actions.
        let (first, second) = (
            matches!(edit.value().get(), Some(Ok(_))),
            matches!(delete.value().get(), Some(Ok(_))),
        );
        if first || second {
            reload.bump();
        }
    });
    let k = e.kind;
    let id = StoredValue::new(e.id.clone());
    let form = StoredValue::new(form_id);
    let on_delete = move |_| {
        if crate::ui::confirm(td_string!(
            i18n.get_locale_untracked(),
            backlog.evidence.delete_confirm
        )) {
            delete.dispatch(DeleteEvidence { id: id.get_value() });
        }
    };
    view! {
        <li data-testid="evidence-item">
            <span class="badge">{move || evidence_label(i18n.get_locale(), k)}</span>
            <blockquote>{e.body.clone()}</blockquote>
            <span class="muted small">
                {e.source.clone()} {(!e.author_name.is_empty()).then(|| " · ")} {e.author_name.clone()} " · " {day(&e.created_at)}
                {e.edited_at.is_some().then(|| view! { " · " {t!(i18n, backlog.evidence.edited)} })}
            </span>
            {e.mine.then(|| view! {
                <div class="form-actions">
                    <button type="button" class="btn btn-small" aria-expanded=move || if editing.get() { "true" } else { "false" }
                        on:click=move |_| editing.update(|v| *v = !*v)>{t!(i18n, backlog.evidence.edit)}</button>
                    <button type="button" class="btn btn-small btn-danger" on:click=on_delete>{t!(i18n, backlog.evidence.delete)}</button>
                </div>
                <Show when=move || editing.get()>
                    <form id=form.get_value() class="form-row" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        edit.dispatch(EditEvidence { id: id.get_value(), kind: kind.get_untracked(), body: body.get_untracked(), source: source.get_untracked() });
                    }>
                        <FormAlert error/>
                        <SelectField form=form.get_value() name="kind" value=kind error options=Signal::derive(move || kind_options(i18n.get_locale()))>{t!(i18n, backlog.evidence.kind)}</SelectField>
                        <TextField form=form.get_value() name="body" value=body error>{t!(i18n, backlog.evidence.body)}</TextField>
                        <TextField form=form.get_value() name="source" value=source error>{t!(i18n, backlog.evidence.source)}</TextField>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary" disabled=move || edit.pending().get()>{t!(i18n, backlog.evidence.save)}</button>
                            <button type="button" class="btn btn-ghost" on:click=move |_| editing.set(false)>{t!(i18n, backlog.evidence.cancel)}</button>
                        </div>
                    </form>
                </Show>
            })}
            {move || (!editing.get()).then(|| view! { <FormAlert error/> })}
        </li>
    }
}

#[component]
pub(super) fn EvidenceSection(
    requirement_id: String,
    evidence: Vec<crate::backlog::model::Evidence>,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let add = ServerAction::<AddEvidence>::new();
    let id = RwSignal::new(crate::ui::new_id());
    let kind = RwSignal::new("research_finding".to_string());
    let body = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let error = Signal::derive(move || add.value().get().and_then(|r| r.err()));
    let done = Signal::derive(move || matches!(add.value().get(), Some(Ok(_))));
    focus_first_invalid("evidence-form", error);
    Effect::new(move |_| {
        if done.get() {
            id.set(crate::ui::new_id());
            body.set(String::new());
            source.set(String::new());
            reload.bump();
        }
    });
    let empty = evidence.is_empty();
    view! {
        <section class="card section" aria-labelledby="evidence-title">
            <h2 id="evidence-title">{t!(i18n, backlog.evidence.title)}</h2>
            {empty.then(|| view! { <p class="muted">{t!(i18n, backlog.evidence.none)}</p> })}
            <ul class="evidence" data-testid="evidence-list">
                {evidence.into_iter().map(|e| view! { <EvidenceItem e/> }).collect_view()}
            </ul>
            <form id="evidence-form" class="form-row" novalidate on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(AddEvidence { id: id.get_untracked(), requirement_id: requirement_id.clone(), kind: kind.get_untracked(), body: body.get_untracked(), source: source.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="evidence-form" name="kind" value=kind error options=Signal::derive(move || kind_options(i18n.get_locale()))>{t!(i18n, backlog.evidence.kind)}</SelectField>
                <TextField form="evidence-form" name="body" value=body error>{t!(i18n, backlog.evidence.body)}</TextField>
                <TextField form="evidence-form" name="source" value=source error>{t!(i18n, backlog.evidence.source)}</TextField>
                <div class="form-actions">
                    <button type="submit" class="btn" disabled=move || add.pending().get()>{t!(i18n, backlog.evidence.add)}</button>
                    <SuccessNote show=done>{move || t_string!(i18n, backlog.evidence.added)}</SuccessNote>
                </div>
            </form>
        </section>
    }
}
