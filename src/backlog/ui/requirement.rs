//! A requirement's page: details, owner and labels, duplicates.
use super::*;
use crate::backlog::api::{
    ChangeStatus, SetVote, UndoMerge, UpdateRequirement, list_requirements, load_requirement,
};
use crate::backlog::model::{RequirementDetail, Status, round2};
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, TextField, error_text, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::page::{PageHeader, PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;

/// `/backlog/requirements/:id`: everything about one requirement.
#[component]
pub fn RequirementPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = Reload::provide();
    let history = crate::ui::pager::query_value("history");
    let detail = page_resource(
        move || (id(), history.get(), reload.get()),
        |(id, history, _)| load_requirement(id, history.parse().unwrap_or(0)),
    );
    view! {
        <PageScaffold data=detail let:d><RequirementView detail=d/></PageScaffold>
    }
}

#[component]
pub(super) fn RequirementView(detail: RequirementDetail) -> impl IntoView {
    let d = detail;
    let reload = use_reload();
    let i18n = use_i18n();
    let r = d.row.clone();
    let vote = ServerAction::<SetVote>::new();
    let undo = ServerAction::<UndoMerge>::new();
    Effect::new(move |_| {
        // Both read, so that the effect follows both actions.
        let (first, second) = (
            matches!(vote.value().get(), Some(Ok(_))),
            matches!(undo.value().get(), Some(Ok(_))),
        );
        if first || second {
            reload.bump();
        }
    });
    let undo_error = Signal::derive(move || undo.value().get().and_then(|r| r.err()));
    let status = r.status;
    let source = r.source;
    let title = r.title.clone();
    let why = r.score_input.as_ref().and_then(|i| i.explain().ok());
    let rid = r.id.clone();
    let rid2 = r.id.clone();
    let version = r.version;
    let backlog_link = format!("/backlog?b={}", d.backlog.id);
    let framework = d.backlog.framework;
    let fact = |label: AnyView, value: String| {
        (!value.is_empty()).then(|| view! { <dt>{label}</dt><dd>{value}</dd> })
    };
    view! {
        <PageHeader title=Signal::derive(move || title.clone())/>
        <p class="page-links">
            <a href=backlog_link class="btn btn-small">"← " {d.backlog.name.clone()}</a>
        </p>
        <div class="detail-grid">
            <section class="card section" aria-labelledby="facts-title">
                <h2 id="facts-title" class="sr-only">{t!(i18n, backlog.details)}</h2>
                <div class="req-meta big">
                    <span class=format!("badge status-{}", status.as_str()) data-testid="detail-status">{move || status_label(i18n.get_locale(), status)}</span>
                    <span class="badge">{move || source_label(i18n.get_locale(), source)}</span>
                    <span class="muted" data-testid="position">
                        {move || t_string!(i18n, backlog.position)} " " {d.position} " / " {d.total}
                    </span>
                    {r.pinned.then(|| view! { <span class="badge"><Icon name="pin"/> {t!(i18n, backlog.pinned)}</span> })}
                </div>
                <p class="score-line">
                    <strong>{t!(i18n, backlog.score)} ": "</strong>
                    <span class="num" data-testid="detail-score">{r.score.map(|s| round2(s).to_string()).unwrap_or_else(|| "—".into())}</span>
                    {why.map(|w| view! { <span class="muted small" data-testid="why"> " · " {w}</span> })}
                </p>
                {d.extra.duplicate_of.clone().map(|(kid, ktitle)| view! {
                    <div class="alert alert-info" data-testid="duplicate-of">
                        {t!(i18n, backlog.duplicate_of)} ": " <a href=format!("/backlog/requirements/{kid}")>{ktitle}</a>
                        {d.can_undo_merge.then(|| view! {
                            " "
                            <button type="button" class="btn btn-small" on:click={
                                let rid = rid.clone();
                                move |_| { undo.dispatch(UndoMerge { id: rid.clone(), version }); }
                            }>{t!(i18n, backlog.undo_merge)}</button>
                        })}
                    </div>
                })}
                <FormAlert error=undo_error/>
                {d.extra.reject_reason.clone().map(|reason| view! {
                    <p class="alert alert-error" data-testid="reject-reason">{t!(i18n, backlog.reason)} ": " {reason}</p>
                })}
                {(!r.description.is_empty()).then(|| view! { <p class="description">{r.description.clone()}</p> })}
                <dl class="facts">
                    {fact(t!(i18n, backlog.requester).into_any(), d.extra.requester.clone())}
                    {fact(t!(i18n, backlog.customer).into_any(), d.extra.customer.clone())}
                    {fact(t!(i18n, backlog.segment).into_any(), d.extra.segment.clone())}
                    {fact(t!(i18n, backlog.submitted_by).into_any(), format!("{} · {}", d.extra.submitted_by_name, day(&r.created_at)))}
                    {fact(t!(i18n, backlog.req_owner).into_any(), r.owner_name.clone().unwrap_or_default())}
                    {fact(t!(i18n, backlog.labels).into_any(), r.labels.join(", "))}
                    {fact(t!(i18n, backlog.in_state_since).into_any(), day(&r.status_changed_at))}
                </dl>
                {(!d.extra.links.is_empty()).then(|| view! {
                    <ul class="links">
                        {d.extra.links.iter().map(|l| view! { <li><a href=l.clone() rel="noopener noreferrer" target="_blank">{l.clone()}</a></li> }).collect_view()}
                    </ul>
                })}
                {(!d.merged_here.is_empty()).then(|| view! {
                    <p class="muted">{t!(i18n, backlog.merged_here)} ": "
                        {d.merged_here.iter().map(|(mid, mt)| view! { <a href=format!("/backlog/requirements/{mid}")>{mt.clone()}</a> " " }).collect_view()}
                    </p>
                })}
                <button
                    type="button"
                    class="btn btn-small"
                    class:btn-on=r.voted
                    aria-pressed=if r.voted { "true" } else { "false" }
                    on:click={ let voted = !r.voted; move |_| { vote.dispatch(SetVote { id: rid2.clone(), voted }); } }
                >
                    {if r.voted { t!(i18n, backlog.voted).into_any() } else { t!(i18n, backlog.vote).into_any() }}
                    " · " <span class="num">{r.votes}</span>
                </button>
            </section>
            {d.can_edit.then(|| {
                let row = r.clone();
                view! {
                    <section class="card section" aria-labelledby="edit-title">
                        <h2 id="edit-title">{t!(i18n, backlog.edit)}</h2>
                        <RequirementEditor row=row.clone() framework/>
                        <OwnerLabelsForm row=row.clone() owners=d.owners.clone()/>
                        {(!matches!(row.status, Status::Done | Status::Duplicate)).then(|| view! { <DuplicateForm row=row.clone()/> })}
                    </section>
                }
            })}
        </div>
        {d.can_edit_fields.then(|| view! { <FieldsForm detail=d.clone()/> })}
        <EvidenceSection requirement_id=r.id.clone() evidence=d.evidence.clone()/>
        <WhyMoved requirement_id=r.id.clone()/>
        <section class="card section" aria-labelledby="history-title" data-testid="history">
            <h2 id="history-title">{t!(i18n, backlog.history.title)}</h2>
            <HistoryList entries=d.history.clone()/>
            {(d.history_total > d.history.len() as i64).then(|| {
                let more = crate::ui::pager::history_shown(d.history.len() as i64 + crate::ui::pager::PAGE_SIZE);
                view! {
                    <p class="pager">
                        <span class="muted small" data-testid="history-shown">
                            {t!(i18n, backlog.history.shown)} " " {d.history.len()} " / " {d.history_total}
                        </span>
                        <a class="btn btn-small" href=format!("/backlog/requirements/{}?history={more}#history-title", r.id) data-testid="history-older">
                            {t!(i18n, backlog.history.show_older)}
                        </a>
                    </p>
                }
            })}
        </section>
    }
}

#[component]
pub(super) fn OwnerLabelsForm(
    row: crate::backlog::model::RequirementRow,
    owners: Vec<(String, String)>,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let update = ServerAction::<UpdateRequirement>::new();
    let owner = RwSignal::new(row.owner_id.clone().unwrap_or_default());
    let labels = RwSignal::new(row.labels.join(", "));
    let error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    focus_first_invalid("owner-form", error);
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_))) {
            reload.bump();
        }
    });
    let id = row.id.clone();
    let version = row.version;
    view! {
        <form id="owner-form" class="form-row" novalidate on:submit=move |ev| {
            ev.prevent_default();
            update.dispatch(UpdateRequirement { id: id.clone(), version, owner_id: owner.get_untracked(), labels: labels.get_untracked() });
        }>
            <FormAlert error/>
            <SelectField form="owner-form" name="owner_id" value=owner error options=Signal::derive(move || {
                let mut v = vec![(String::new(), t_string!(i18n, backlog.no_owner).to_string())];
                v.extend(owners.iter().cloned());
                v
            })>{t!(i18n, backlog.req_owner)}</SelectField>
            <TextField form="owner-form" name="labels" value=labels error hint=Signal::derive(move || t_string!(i18n, backlog.labels_hint).to_string())>
                {t!(i18n, backlog.labels)}
            </TextField>
            <div class="form-actions">
                <button type="submit" class="btn">{t!(i18n, backlog.save)}</button>
            </div>
        </form>
    }
}

/// Marks the requirement a duplicate of one found by search.
#[component]
pub(super) fn DuplicateForm(row: crate::backlog::model::RequirementRow) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let change = ServerAction::<ChangeStatus>::new();
    let query = RwSignal::new(String::new());
    let kept = RwSignal::new(String::new());
    let backlog_id = row.backlog_id.clone();
    let self_id = row.id.clone();
    let found = Resource::new(
        move || query.get(),
        move |q| {
            let b = backlog_id.clone();
            async move {
                if q.trim().is_empty() {
                    return Ok(vec![]);
                }
                list_requirements(
                    b,
                    q,
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                    "rank".into(),
                    0,
                )
                .await
                .map(|p| {
                    p.rows
                        .into_iter()
                        .take(8)
                        .map(|r| (r.id, r.title, r.status))
                        .collect::<Vec<_>>()
                })
            }
        },
    );
    let error = Signal::derive(move || change.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if matches!(change.value().get(), Some(Ok(_))) {
            reload.bump();
        }
    });
    let id = row.id.clone();
    let version = row.version;
    view! {
        <form id="duplicate-form" class="subform" novalidate on:submit=move |ev| {
            ev.prevent_default();
            change.dispatch(ChangeStatus { id: id.clone(), version, status: "duplicate".into(), reason: String::new(), duplicate_of: kept.get_untracked() });
        }>
            <h3>{t!(i18n, backlog.mark_duplicate)}</h3>
            <FormAlert error/>
            <TextField form="duplicate-form" name="find" value=query error>{t!(i18n, backlog.find_kept)}</TextField>
            <fieldset class="choices">
                <legend class="sr-only">{t!(i18n, backlog.duplicate_of)}</legend>
                <Transition fallback=|| ()>
                    {move || {
                        let self_id = self_id.clone();
                        Suspend::new(async move {
                            let list = found.await.unwrap_or_default();
                            list.into_iter()
                                .filter(|(k, _, s)| *k != self_id && *s != Status::Duplicate)
                                .map(|(k, t, _)| {
                                    let k2 = k.clone();
                                    view! {
                                        <label class="check">
                                            <input type="radio" name="duplicate_of" value=k.clone() on:change=move |_| kept.set(k2.clone())/>
                                            {t}
                                        </label>
                                    }
                                })
                                .collect_view()
                        })
                    }}
                </Transition>
                <p class="field-msg" id="duplicate-form-duplicate_of-msg">
                    {move || error.get().filter(|e| e.is_for("duplicate_of")).map(|e| view! {
                        <span class="field-error"><Icon name="alert"/>{error_text(i18n.get_locale(), e.code)}</span>
                    })}
                </p>
            </fieldset>
            <p class="muted small">{t!(i18n, backlog.merge_hint)}</p>
            <div class="form-actions">
                <button type="submit" class="btn">{t!(i18n, backlog.mark_duplicate)}</button>
            </div>
        </form>
    }
}
