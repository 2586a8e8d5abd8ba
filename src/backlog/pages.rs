//! The backlog's other pages: a requirement with its history, the
//! submitter's own requirements, the dashboard and group scoring.
use super::api::{
    AcceptEstimate, AddEvidence, ChangeStatus, ClosePokerRound, OpenPokerRound, SaveEstimates,
    SetVote, UndoMerge, UpdateRequirement, list_requirements, load_overview, load_poker_round,
    load_requirement, my_requirements, poker_rounds, why_moved,
};
use super::model::{
    Agreement, Backlog, EvidenceKind, FieldSummary, Framework, HistoryEntry, Moscow, PokerRound,
    RequirementDetail, ScoreInput, Status, round2,
};
use super::ui::{RequirementEditor, field_label, source_label, status_label};
use crate::app::PageHeader;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::charts::{Bar, BarList, Stack, StackedColumns};
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, error_box, error_text, focus_first_invalid,
};
use crate::ui::icons::Icon;
use crate::ui::page::{PageScaffold, page_resource};
use leptos::prelude::*;

/// A date-time as its date (YYYY-MM-DD).
fn day(at: &str) -> String {
    crate::calendar::day_part(at)
}

/// A date-time as "YYYY-MM-DD HH:MM" (the server sends instants in the
/// organisation's offset).
fn minute(at: &str) -> String {
    crate::calendar::minute_part(at)
}

pub fn agreement_label(locale: Locale, a: Option<Agreement>) -> &'static str {
    match a {
        Some(Agreement::High) => td_string!(locale, backlog.poker.high),
        Some(Agreement::Medium) => td_string!(locale, backlog.poker.medium),
        Some(Agreement::Low) => td_string!(locale, backlog.poker.low),
        None => "—",
    }
}

fn evidence_label(locale: Locale, k: EvidenceKind) -> &'static str {
    match k {
        EvidenceKind::ResearchFinding => td_string!(locale, backlog.evidence.research_finding),
        EvidenceKind::CustomerQuote => td_string!(locale, backlog.evidence.customer_quote),
        EvidenceKind::Metric => td_string!(locale, backlog.evidence.metric),
    }
}

/// A value of one input as people read it (a MoSCoW weight as its category).
fn show_value(locale: Locale, field: &str, v: f64) -> String {
    if field == "category" {
        match Moscow::from_weight(v) {
            Some(Moscow::Must) => td_string!(locale, backlog.moscow.must).to_string(),
            Some(Moscow::Should) => td_string!(locale, backlog.moscow.should).to_string(),
            Some(Moscow::Could) => td_string!(locale, backlog.moscow.could).to_string(),
            Some(Moscow::Wont) => td_string!(locale, backlog.moscow.wont).to_string(),
            None => v.to_string(),
        }
    } else {
        round2(v).to_string()
    }
}

/// One history line in words.
fn history_text(locale: Locale, h: &HistoryEntry) -> String {
    let status = |s: &Option<String>| {
        s.as_deref()
            .and_then(Status::parse)
            .map(|s| status_label(locale, s).to_string())
            .unwrap_or_default()
    };
    match h.kind.as_str() {
        "created" => td_string!(locale, backlog.history.created).to_string(),
        "status" => format!(
            "{}: {} → {}",
            td_string!(locale, backlog.history.status),
            status(&h.from),
            status(&h.to)
        ),
        "score" => {
            let parts: Vec<String> = h
                .changes
                .iter()
                .map(|c| {
                    let from = c
                        .from
                        .map(|f| show_value(locale, &c.field, f))
                        .unwrap_or_else(|| "—".into());
                    format!(
                        "{} {} → {}",
                        field_label(locale, &c.field),
                        from,
                        show_value(locale, &c.field, c.to)
                    )
                })
                .collect();
            format!(
                "{}: {}",
                td_string!(locale, backlog.history.score),
                parts.join(", ")
            )
        }
        "move" => td_string!(locale, backlog.history.moved).to_string(),
        "reset" => td_string!(locale, backlog.history.reset).to_string(),
        "merge" => td_string!(locale, backlog.history.merged).to_string(),
        "unmerge" => td_string!(locale, backlog.history.unmerged).to_string(),
        "owner" => td_string!(locale, backlog.history.owner).to_string(),
        _ => h.kind.clone(),
    }
}

#[component]
fn HistoryList(
    entries: Vec<HistoryEntry>,
    #[prop(optional)] own_id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {entries
                .into_iter()
                .map(|h| {
                    let other = own_id.as_ref().is_some_and(|o| *o != h.requirement_id);
                    let link = format!("/backlog/requirements/{}", h.requirement_id);
                    let title = h.requirement_title.clone();
                    let at = minute(&h.at);
                    let actor = h.actor_name.clone();
                    let place = h.now_above;
                    view! {
                        <li data-testid="history-entry">
                            <time class="muted small">{at}</time>
                            <span>
                                {other.then(|| view! { <a href=link>{title}</a> })}
                                {place.map(|above| view! {
                                    " "
                                    <span class="chip" data-testid="now-place">
                                        {move || if above {
                                            td_string!(i18n.get_locale(), backlog.why.now_above)
                                        } else {
                                            td_string!(i18n.get_locale(), backlog.why.now_below)
                                        }}
                                    </span>
                                })}
                                {other.then(|| ": ")}
                                {move || history_text(i18n.get_locale(), &h)}
                            </span>
                            <span class="muted small">{actor}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// `/backlog/requirements/:id`: everything about one requirement.
#[component]
pub fn RequirementPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let detail = page_resource(move || (id(), reload.get()), |(id, _)| load_requirement(id));
    view! {
        <PageScaffold data=detail let:d><RequirementView d reload/></PageScaffold>
    }
}

#[component]
fn RequirementView(d: RequirementDetail, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let r = d.row.clone();
    let vote = ServerAction::<SetVote>::new();
    let undo = ServerAction::<UndoMerge>::new();
    Effect::new(move |_| {
        if matches!(vote.value().get(), Some(Ok(_))) || matches!(undo.value().get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
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
                        <RequirementEditor row=row.clone() framework reload/>
                        <OwnerLabelsForm row=row.clone() reload owners=d.owners.clone()/>
                        {(!matches!(row.status, Status::Done | Status::Duplicate)).then(|| view! { <DuplicateForm row=row.clone() reload/> })}
                    </section>
                }
            })}
        </div>
        <EvidenceSection requirement_id=r.id.clone() evidence=d.evidence.clone() reload/>
        <WhyMoved requirement_id=r.id.clone()/>
        <section class="card section" aria-labelledby="history-title" data-testid="history">
            <h2 id="history-title">{t!(i18n, backlog.history.title)}</h2>
            <HistoryList entries=d.history.clone()/>
        </section>
    }
}

#[component]
fn OwnerLabelsForm(
    row: super::model::RequirementRow,
    reload: RwSignal<u32>,
    owners: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let update = ServerAction::<UpdateRequirement>::new();
    let owner = RwSignal::new(row.owner_id.clone().unwrap_or_default());
    let labels = RwSignal::new(row.labels.join(", "));
    let error = Signal::derive(move || update.value().get().and_then(|r| r.err()));
    focus_first_invalid("owner-form", error);
    Effect::new(move |_| {
        if matches!(update.value().get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
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
fn DuplicateForm(row: super::model::RequirementRow, reload: RwSignal<u32>) -> impl IntoView {
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
            reload.update(|n| *n += 1);
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

#[component]
fn EvidenceSection(
    requirement_id: String,
    evidence: Vec<super::model::Evidence>,
    reload: RwSignal<u32>,
) -> impl IntoView {
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
            reload.update(|n| *n += 1);
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

/// "Why did this move since …": the changes since a chosen date.
#[component]
fn WhyMoved(requirement_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let since = RwSignal::new(String::new());
    let asked = RwSignal::new(None::<String>);
    let rid = requirement_id.clone();
    let answer = Resource::new(
        move || asked.get(),
        move |d| {
            let rid = rid.clone();
            async move {
                match d {
                    Some(d) => why_moved(rid, d).await.map(Some),
                    None => Ok(None),
                }
            }
        },
    );
    let error = Signal::derive(move || answer.get().and_then(|r| r.err()));
    view! {
        <section class="card section" aria-labelledby="why-title">
            <h2 id="why-title">{t!(i18n, backlog.why.title)}</h2>
            <form id="why-form" class="form-row" novalidate on:submit=move |ev| {
                ev.prevent_default();
                asked.set(Some(since.get_untracked()));
            }>
                <TextField form="why-form" name="since" kind="date" value=since error>{t!(i18n, backlog.why.since)}</TextField>
                <div class="form-actions">
                    <button type="submit" class="btn">{t!(i18n, backlog.why.explain)}</button>
                </div>
            </form>
            <Transition fallback=|| view! { <div class="skeleton line"></div> }>
                {move || {
                    let rid = requirement_id.clone();
                    Suspend::new(async move {
                        match answer.await {
                            Ok(Some(list)) if list.is_empty() => view! { <p class="muted" data-testid="why-answer">{t!(i18n, backlog.why.nothing)}</p> }.into_any(),
                            Ok(Some(list)) => view! {
                                <div data-testid="why-answer">
                                    <p class="muted small">{t!(i18n, backlog.why.explainer)}</p>
                                    <HistoryList entries=list own_id=rid/>
                                </div>
                            }.into_any(),
                            _ => ().into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}

/// `/backlog/mine`: what happened to the requirements I submitted.
#[component]
pub fn MyRequirementsPage() -> impl IntoView {
    let i18n = use_i18n();
    let mine = Resource::new(|| (), |_| my_requirements());
    view! {
        <PageHeader
            title=Signal::derive(move || t_string!(i18n, backlog.mine.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, backlog.mine.subtitle).to_string())
        />
        <p class="page-links"><a href="/backlog" class="btn btn-small">"← " {t!(i18n, backlog.title)}</a></p>
        <Transition fallback=|| view! { <div class="card skeleton tall" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match mine.await {
                    Err(e) => error_box(e),
                    Ok(list) if list.is_empty() => view! {
                        <div class="empty-state">
                            <span class="empty-icon"><Icon name="list"/></span>
                            <h2>{t!(i18n, backlog.mine.none)}</h2>
                            <p class="muted">{t!(i18n, backlog.mine.none_body)}</p>
                        </div>
                    }.into_any(),
                    Ok(list) => view! {
                        <ul class="card-list" data-testid="my-requirements">
                            {list.into_iter().map(|m| {
                                let status = m.status;
                                view! {
                                    <li class="card">
                                        <a class="req-title" href=format!("/backlog/requirements/{}", m.id)>{m.title.clone()}</a>
                                        <span class="req-meta">
                                            <span class=format!("badge status-{}", status.as_str())>{move || status_label(i18n.get_locale(), status)}</span>
                                            <span class="muted">{m.backlog_name.clone()}</span>
                                            <span class="muted">{t!(i18n, backlog.in_state_since)} " " {day(&m.status_changed_at)}</span>
                                            {m.position.map(|p| view! { <span class="muted">{t!(i18n, backlog.position)} " " {p} " / " {m.total}</span> })}
                                            <span class="muted">{t!(i18n, backlog.votes)} " " {m.votes}</span>
                                        </span>
                                        {m.reject_reason.clone().map(|r| view! { <p class="small">{t!(i18n, backlog.reason)} ": " {r}</p> })}
                                        {m.duplicate_of.clone().map(|(kid, kt)| view! {
                                            <p class="small">{t!(i18n, backlog.duplicate_of)} ": " <a href=format!("/backlog/requirements/{kid}")>{kt}</a></p>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// The backlog dashboard.
#[component]
pub fn Overview(backlog_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(move || backlog_id.clone(), load_overview);
    view! {
        <Transition fallback=|| view! { <div class="skeleton tall"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_box(e),
                    Ok(o) => {
                        let l = i18n.get_locale_untracked();
                        let bars: Vec<Bar> = o.counts.iter().map(|(s, n)| Bar { label: status_label(l, *s).to_string(), value: *n as f64 }).collect();
                        let series: Vec<String> = super::model::Source::ALL.iter().map(|s| source_label(l, *s).to_string()).collect();
                        let columns: Vec<Stack> = o.weeks.iter().map(|w| Stack { label: w.start[5..].to_string(), parts: w.counts.iter().map(|c| c.1 as f64).collect() }).collect();
                        view! {
                            <div class="overview" data-testid="overview">
                                <p class="muted">{t!(i18n, backlog.overview.total)} " " <strong class="num">{o.total}</strong></p>
                                <div class="overview-grid">
                                    <BarList caption=Signal::derive(move || t_string!(i18n, backlog.overview.by_status).to_string()) bars testid="status-counts"/>
                                    <div>
                                        <h3>{t!(i18n, backlog.overview.top)}</h3>
                                        {o.top.is_empty().then(|| view! { <p class="muted">{t!(i18n, backlog.overview.none_scored)}</p> })}
                                        <ol class="top-list" data-testid="top-ten">
                                            {o.top.iter().map(|(id, title, score)| view! {
                                                <li><a href=format!("/backlog/requirements/{id}")>{title.clone()}</a> " " <span class="num muted">{round2(*score)}</span></li>
                                            }).collect_view()}
                                        </ol>
                                    </div>
                                </div>
                                <h3>{t!(i18n, backlog.overview.time_in_state)}</h3>
                                <div class="table-wrap">
                                    <table class="table" data-testid="time-in-state">
                                        <thead>
                                            <tr>
                                                <th scope="col">{t!(i18n, backlog.state)}</th>
                                                <th scope="col" class="num">{t!(i18n, backlog.overview.count)}</th>
                                                <th scope="col" class="num">{t!(i18n, backlog.overview.median_days)}</th>
                                                <th scope="col" class="num">{t!(i18n, backlog.overview.max_days)}</th>
                                            </tr>
                                        </thead>
                                        <tbody>
                                            {o.time_in_state.iter().map(|a| {
                                                let s = a.status;
                                                view! {
                                                    <tr>
                                                        <th scope="row">{move || status_label(i18n.get_locale(), s)}</th>
                                                        <td class="num">{a.count}</td>
                                                        <td class="num">{a.median_days}</td>
                                                        <td class="num">{a.max_days}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                                <StackedColumns
                                    caption=Signal::derive(move || t_string!(i18n, backlog.overview.intake).to_string())
                                    series
                                    columns
                                    table_label=Signal::derive(move || t_string!(i18n, backlog.matrix.as_table).to_string())
                                    testid="intake"
                                />
                            </div>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Group scoring on the backlog page: the rounds and, for editors, a form
/// to open one.
#[component]
pub fn PokerPanel(
    backlog: Backlog,
    can_open: bool,
    people: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let bid = backlog.id.clone();
    let rounds = Resource::new(
        move || (bid.clone(), reload.get()),
        |(b, _)| poker_rounds(b),
    );
    view! {
        <div data-testid="poker-panel">
            <p class="muted small">{t!(i18n, backlog.poker.intro)}</p>
            <Transition fallback=|| view! { <div class="skeleton line"></div> }>
                {move || Suspend::new(async move {
                    match rounds.await {
                        Err(e) => error_box(e),
                        Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, backlog.poker.none)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="card-list">
                                {list.into_iter().map(|r| view! {
                                    <li class="card">
                                        <a class="req-title" href=format!("/backlog/poker/{}", r.id)>{r.title.clone()}</a>
                                        <span class="req-meta">
                                            <span class="muted">{r.owner_name.clone()}</span>
                                            <span class="muted">{r.items} " " {t!(i18n, backlog.poker.items)}</span>
                                            <span class="muted">{r.submitted} " / " {r.participants} " " {t!(i18n, backlog.poker.submitted_count)}</span>
                                            {r.closed.then(|| view! { <span class="badge badge-muted">{t!(i18n, backlog.poker.closed)}</span> })}
                                            {r.awaiting_me.then(|| view! { <span class="badge badge-warn">{t!(i18n, backlog.poker.your_turn)}</span> })}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
            {can_open.then(|| view! { <OpenRoundForm backlog_id=backlog.id.clone() people=people.clone()/> })}
        </div>
    }
}

#[component]
fn OpenRoundForm(backlog_id: String, people: Vec<(String, String)>) -> impl IntoView {
    let i18n = use_i18n();
    let open = ServerAction::<OpenPokerRound>::new();
    let id = RwSignal::new(crate::ui::new_id());
    let title = RwSignal::new(String::new());
    let chosen = RwSignal::new(Vec::<String>::new());
    let invited = RwSignal::new(Vec::<String>::new());
    let bid = backlog_id.clone();
    let candidates = Resource::new(
        move || bid.clone(),
        |b| {
            list_requirements(
                b,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                "rank".into(),
                0,
            )
        },
    );
    let error = Signal::derive(move || open.value().get().and_then(|r| r.err()));
    focus_first_invalid("poker-form", error);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(rid)) = open.value().get() {
            navigate(&format!("/backlog/poker/{rid}"), Default::default());
        }
    });
    let toggle = |list: RwSignal<Vec<String>>, v: String| {
        list.update(|l| {
            if let Some(i) = l.iter().position(|x| *x == v) {
                l.remove(i);
            } else {
                l.push(v);
            }
        })
    };
    let field_error = move |name: &'static str| {
        move || {
            error.get().filter(|e| e.is_for(name)).map(|e| view! {
            <span class="field-error"><Icon name="alert"/>{error_text(i18n.get_locale(), e.code)}</span>
        })
        }
    };
    view! {
        <details class="subform">
            <summary class="summary-button"><Icon name="plus"/> {t!(i18n, backlog.poker.open)}</summary>
            <form id="poker-form" novalidate on:submit=move |ev| {
                ev.prevent_default();
                open.dispatch(OpenPokerRound { id: id.get_untracked(), backlog_id: backlog_id.clone(), title: title.get_untracked(), requirement_ids: chosen.get_untracked(), invitees: invited.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form="poker-form" name="title" value=title error>{t!(i18n, backlog.poker.round_title)}</TextField>
                <fieldset class="choices" aria-describedby="poker-form-requirements-msg">
                    <legend>{t!(i18n, backlog.poker.choose_requirements)}</legend>
                    <Transition fallback=|| view! { <div class="skeleton line"></div> }>
                        {move || Suspend::new(async move {
                            let rows = candidates.await.map(|p| p.rows).unwrap_or_default();
                            rows.into_iter()
                                .filter(|r| !matches!(r.status, Status::Done | Status::Rejected | Status::Duplicate))
                                .map(|r| {
                                    let v = r.id.clone();
                                    view! {
                                        <label class="check">
                                            <input type="checkbox" name="requirements" value=r.id.clone() on:change=move |_| toggle(chosen, v.clone())/>
                                            {r.title}
                                        </label>
                                    }
                                })
                                .collect_view()
                        })}
                    </Transition>
                    <p class="field-msg" id="poker-form-requirements-msg">{field_error("requirements")}</p>
                </fieldset>
                <fieldset class="choices" aria-describedby="poker-form-invitees-msg">
                    <legend>{t!(i18n, backlog.poker.invite)}</legend>
                    {people.into_iter().map(|(pid, name)| {
                        let v = pid.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" name="invitees" value=pid on:change=move |_| toggle(invited, v.clone())/>
                                {name}
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-msg" id="poker-form-invitees-msg">{field_error("invitees")}</p>
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || open.pending().get()>{t!(i18n, backlog.poker.open)}</button>
                </div>
            </form>
        </details>
    }
}

/// Input values typed per field into a `ScoreInput` JSON (a MoSCoW category
/// given as its name or its weight).
pub fn input_json(framework: Framework, values: &[(&'static str, String)]) -> String {
    let mut map = serde_json::Map::new();
    map.insert("framework".into(), framework.as_str().into());
    for (f, raw) in values {
        let value = if *f == "category" {
            let name = raw
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(Moscow::from_weight)
                .and_then(|m| serde_json::to_value(m).ok())
                .unwrap_or_else(|| serde_json::Value::String(raw.clone()));
            name
        } else {
            raw.trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null)
        };
        map.insert((*f).into(), value);
    }
    serde_json::Value::Object(map).to_string()
}

/// The inputs of one requirement as editable fields (selects on a scale).
#[component]
pub fn ScoreFields(
    /// Makes the fields' ids unique on the page.
    #[prop(into)]
    id_prefix: String,
    framework: Framework,
    values: Vec<(&'static str, RwSignal<String>)>,
    #[prop(into)] error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let scales = framework.fields();
    values
        .into_iter()
        .map(|(f, v)| {
            let scale = scales.iter().find(|s| s.0 == f).map(|s| s.1.clone()).unwrap_or_default();
            let id = format!("{id_prefix}-{f}");
            let opts: Vec<(String, String)> = if f == "category" {
                vec![]
            } else {
                scale.iter().map(|x| (x.to_string(), x.to_string())).collect()
            };
            let invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(f)));
            view! {
                <div class="field" class:invalid=invalid>
                    <label for=id.clone()>{move || field_label(i18n.get_locale(), f)}</label>
                    {if f == "category" {
                        view! {
                            <select id=id.clone() on:change=move |ev| v.set(event_target_value(&ev)) prop:value=move || v.get()>
                                {[(4.0, "must"), (3.0, "should"), (2.0, "could"), (1.0, "wont")].into_iter().map(|(w, _)| {
                                    let ws = w.to_string();
                                    let ws2 = ws.clone();
                                    view! { <option value=ws selected=move || v.get() == ws2>{move || show_value(i18n.get_locale(), "category", w)}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    } else if opts.is_empty() {
                        view! { <input id=id.clone() type="number" min="0" step="any" bind:value=v/> }.into_any()
                    } else {
                        view! {
                            <select id=id.clone() on:change=move |ev| v.set(event_target_value(&ev)) prop:value=move || v.get()>
                                {opts.into_iter().map(|(val, label)| {
                                    let val2 = val.clone();
                                    view! { <option value=val selected=move || v.get() == val2>{label}</option> }
                                }).collect_view()}
                            </select>
                        }.into_any()
                    }}
                </div>
            }
        })
        .collect_view()
}

/// Starting values of a framework's fields: from an input, else the scale's
/// first point (a free number starts empty).
fn initial_values(
    framework: Framework,
    from: Option<&ScoreInput>,
) -> Vec<(&'static str, RwSignal<String>)> {
    let have = from.map(|i| i.values()).unwrap_or_default();
    framework
        .fields()
        .into_iter()
        .map(|(f, scale)| {
            let v = have
                .iter()
                .find(|(n, _)| *n == f)
                .map(|(_, v)| v.to_string())
                .or_else(|| {
                    if f == "category" {
                        Some("3".into())
                    } else {
                        scale.first().map(|x| x.to_string())
                    }
                })
                .unwrap_or_default();
            (f, RwSignal::new(v))
        })
        .collect()
}

/// `/backlog/poker/:id`: one group-scoring round.
#[component]
pub fn PokerRoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = leptos_router::hooks::use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let round = page_resource(move || (id(), reload.get()), |(id, _)| load_poker_round(id));
    view! {
        <PageScaffold
            data=round
            refused_title=Signal::derive(move || t_string!(i18n, backlog.poker.title).to_string())
            let:r
        >
            <RoundView r reload/>
        </PageScaffold>
    }
}

#[component]
fn RoundView(r: PokerRound, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let framework = r.backlog.framework;
    let save = ServerAction::<SaveEstimates>::new();
    let close = ServerAction::<ClosePokerRound>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    focus_first_invalid("estimate-form", error);
    Effect::new(move |_| {
        if matches!(save.value().get(), Some(Ok(()))) || matches!(close.value().get(), Some(Ok(())))
        {
            reload.update(|n| *n += 1);
        }
    });
    let title = r.title.clone();
    let estimating = r.invited && !r.closed;
    let fields: Vec<(String, Vec<(&'static str, RwSignal<String>)>)> = r
        .items
        .iter()
        .map(|i| {
            (
                i.requirement_id.clone(),
                initial_values(framework, i.mine.as_ref()),
            )
        })
        .collect();
    let fields = StoredValue::new(fields);
    let round_id = r.id.clone();
    let round_id2 = r.id.clone();
    let dispatch = move |submit: bool| {
        let estimates = fields.with_value(|fs| {
            fs.iter()
                .map(|(rid, vs)| {
                    let raw: Vec<(&'static str, String)> =
                        vs.iter().map(|(f, v)| (*f, v.get_untracked())).collect();
                    (rid.clone(), input_json(framework, &raw))
                })
                .collect()
        });
        save.dispatch(SaveEstimates {
            round_id: round_id.clone(),
            estimates,
            submit,
        });
    };
    let dispatch2 = dispatch.clone();
    let backlog_link = format!("/backlog?b={}", r.backlog.id);
    view! {
        <PageHeader title=Signal::derive(move || title.clone())/>
        <p class="page-links"><a href=backlog_link class="btn btn-small">"← " {r.backlog.name.clone()}</a></p>
        <section class="card section" aria-labelledby="participants-title">
            <h2 id="participants-title">{t!(i18n, backlog.poker.participants)}</h2>
            <p class="muted small">{t!(i18n, backlog.poker.opened_by)} " " {r.owner_name.clone()}</p>
            <ul class="people-status" data-testid="participants">
                {r.participants.iter().map(|(name, done)| {
                    let done = *done;
                    view! {
                        <li>
                            {name.clone()} " · "
                            {if done {
                                view! { <span class="badge badge-ok"><Icon name="check"/> {t!(i18n, backlog.poker.has_submitted)}</span> }.into_any()
                            } else {
                                view! { <span class="badge badge-muted">{t!(i18n, backlog.poker.waiting)}</span> }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {r.closed.then(|| view! { <p class="badge badge-muted">{t!(i18n, backlog.poker.closed)}</p> })}
            {(r.can_accept && !r.closed).then(|| {
                let rid = round_id2.clone();
                view! {
                    <button type="button" class="btn" on:click=move |_| { close.dispatch(ClosePokerRound { round_id: rid.clone() }); }>
                        {t!(i18n, backlog.poker.close)}
                    </button>
                }
            })}
        </section>
        {estimating.then(|| view! {
            <section class="card section" aria-labelledby="estimate-title">
                <h2 id="estimate-title">{t!(i18n, backlog.poker.your_estimates)}</h2>
                <p class="muted small">
                    {if r.submitted { t!(i18n, backlog.poker.submitted_note).into_any() } else { t!(i18n, backlog.poker.hidden_note).into_any() }}
                </p>
                <form id="estimate-form" novalidate on:submit=move |ev| { ev.prevent_default(); dispatch(true); }>
                    <FormAlert error/>
                    {fields.with_value(|fs| fs.iter().zip(r.items.iter()).enumerate().map(|(n, ((_, vs), item))| {
                        let prefix = format!("estimate-form-r{n}");
                        view! {
                            <fieldset class="estimate" data-testid="estimate-item">
                                <legend>{item.title.clone()}</legend>
                                <div class="form-row">
                                    <ScoreFields id_prefix=prefix framework values=vs.clone() error/>
                                </div>
                            </fieldset>
                        }
                    }).collect_view())}
                    <div class="form-actions">
                        <button type="button" class="btn" on:click=move |_| dispatch2(false)>{t!(i18n, backlog.poker.save_draft)}</button>
                        <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{t!(i18n, backlog.poker.submit)}</button>
                    </div>
                </form>
            </section>
        })}
        {(!r.revealed && !estimating).then(|| view! { <p class="muted">{t!(i18n, backlog.poker.hidden_note)}</p> })}
        {r.revealed.then(|| {
            let items = r.items.clone();
            let can_accept = r.can_accept;
            let round_id = r.id.clone();
            view! {
                <section class="card section" aria-labelledby="results-title">
                    <h2 id="results-title">{t!(i18n, backlog.poker.results)}</h2>
                    {items.into_iter().map(|item| view! { <ItemResult item framework can_accept round_id=round_id.clone() reload/> }).collect_view()}
                </section>
            }
        })}
    }
}

#[component]
fn ItemResult(
    item: super::model::PokerItem,
    framework: Framework,
    can_accept: bool,
    round_id: String,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let accept = ServerAction::<AcceptEstimate>::new();
    let error = Signal::derive(move || accept.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if matches!(accept.value().get(), Some(Ok(()))) {
            reload.update(|n| *n += 1);
        }
    });
    let suggested: Vec<(&'static str, f64)> = framework
        .fields()
        .into_iter()
        .filter_map(|(f, _)| {
            item.summary
                .iter()
                .find(|s| s.field == f)
                .map(|s| (f, s.suggested))
        })
        .collect();
    let start = item
        .accepted
        .clone()
        .or_else(|| ScoreInput::from_values(framework, &suggested));
    let values = initial_values(framework, start.as_ref());
    let values_store = StoredValue::new(values.clone());
    let rid = item.requirement_id.clone();
    let form_id = format!("accept-{}", item.requirement_id);
    let summary: Vec<FieldSummary> = item.summary.clone();
    let names: Vec<String> = item.estimates.iter().map(|e| e.name.clone()).collect();
    let estimates = item.estimates.clone();
    view! {
        <div class="poker-item" data-testid="poker-result">
            <h3><a href=format!("/backlog/requirements/{}", item.requirement_id)>{item.title.clone()}</a></h3>
            {estimates.is_empty().then(|| view! { <p class="muted">{t!(i18n, backlog.poker.no_estimates)}</p> })}
            {(!estimates.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table">
                        <thead>
                            <tr>
                                <th scope="col"></th>
                                {names.iter().map(|n| view! { <th scope="col" class="num">{n.clone()}</th> }).collect_view()}
                                <th scope="col" class="num">{t!(i18n, backlog.poker.spread)}</th>
                                <th scope="col">{t!(i18n, backlog.poker.agreement)}</th>
                                <th scope="col" class="num">{t!(i18n, backlog.poker.suggested)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {summary.into_iter().map(|s| {
                                let f = s.field.clone();
                                let f2 = f.clone();
                                let f3 = f.clone();
                                let f4 = f.clone();
                                let per: Vec<String> = estimates.iter().map(|e| {
                                    e.input.values().into_iter().find(|(n, _)| *n == f).map(|(_, v)| show_value(i18n.get_locale_untracked(), &f, v)).unwrap_or_default()
                                }).collect();
                                let a = s.agreement;
                                let (min, max, sug) = (s.min, s.max, s.suggested);
                                view! {
                                    <tr data-testid=format!("summary-{}", f)>
                                        <th scope="row">{move || field_label(i18n.get_locale(), &f2)}</th>
                                        {per.into_iter().map(|v| view! { <td class="num">{v}</td> }).collect_view()}
                                        <td class="num">{move || format!("{} – {}", show_value(i18n.get_locale(), &f3, min), show_value(i18n.get_locale(), &f3, max))}</td>
                                        <td><span class=format!("badge agreement-{}", match a { Some(Agreement::High) => "high", Some(Agreement::Medium) => "medium", _ => "low" })>{move || agreement_label(i18n.get_locale(), a)}</span></td>
                                        <td class="num">{move || show_value(i18n.get_locale(), &f4, sug)}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
            {item.accepted.as_ref().and_then(|a| a.explain().ok()).map(|e| view! {
                <p class="alert alert-ok" data-testid="accepted"><Icon name="check"/> {t!(i18n, backlog.poker.accepted)} ": " {e}</p>
            })}
            {can_accept.then(|| view! {
                <form id=form_id.clone() class="form-row" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    let raw: Vec<(&'static str, String)> = values_store.with_value(|vs| vs.iter().map(|(f, v)| (*f, v.get_untracked())).collect());
                    accept.dispatch(AcceptEstimate { round_id: round_id.clone(), requirement_id: rid.clone(), input: input_json(framework, &raw) });
                }>
                    <FormAlert error/>
                    <ScoreFields id_prefix=form_id.clone() framework values=values.clone() error/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">{t!(i18n, backlog.poker.accept)}</button>
                    </div>
                </form>
            })}
        </div>
    }
}
