//! Evidence on a requirement.
use super::*;
use crate::backlog::api::AddEvidence;
use crate::backlog::model::EvidenceKind;
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, SuccessNote, TextField, focus_first_invalid};
use crate::ui::page::use_reload;
use leptos::prelude::*;

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
                {evidence.into_iter().map(|e| {
                    let k = e.kind;
                    view! {
                        <li>
                            <span class="badge">{move || evidence_label(i18n.get_locale(), k)}</span>
                            <blockquote>{e.body}</blockquote>
                            <span class="muted small">{e.source} {(!e.author_name.is_empty()).then(|| " · ")} {e.author_name} " · " {day(&e.created_at)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form id="evidence-form" class="form-row" novalidate on:submit=move |ev| {
                ev.prevent_default();
                add.dispatch(AddEvidence { id: id.get_untracked(), requirement_id: requirement_id.clone(), kind: kind.get_untracked(), body: body.get_untracked(), source: source.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="evidence-form" name="kind" value=kind error options=Signal::derive(move || {
                    let l = i18n.get_locale();
                    [EvidenceKind::ResearchFinding, EvidenceKind::CustomerQuote, EvidenceKind::Metric]
                        .iter()
                        .map(|k| (k.as_str().to_string(), evidence_label(l, *k).to_string()))
                        .collect()
                })>{t!(i18n, backlog.evidence.kind)}</SelectField>
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
