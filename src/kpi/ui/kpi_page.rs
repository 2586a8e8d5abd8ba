//! `/kpis/:id`: one KPI with its trend, facts, check-ins (and those waiting
//! in the outbox or refused), the check-in form, editing and reassigning;
//! and the outbox's sender of check-ins.
use super::parts::{
    KpiFormView, ProgressBar, StatusBadge, direction_label, percent, visibility_label,
};
use crate::error::AppError;
use crate::i18n::*;
use crate::kpi::api::{AddCheckin, ReassignKpi, load_kpi};
use crate::kpi::model::{Direction, KpiDetail, day_number};
use crate::ui::charts::{Trend, TrendChart, short_number};
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, focus_first_invalid, url_done,
    url_error,
};
use crate::ui::icons::Icon;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// `/kpis/:id`: trend, facts, check-ins and the check-in form.
#[component]
pub fn KpiPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = Reload::provide();
    let delivered = crate::ui::outbox::use_outbox().delivered;
    let detail = page_resource(
        move || (id(), reload.get(), delivered.get()),
        |(id, ..)| load_kpi(id),
    );
    // What the last check-in came back with: a plain post's (sent before the
    // page was interactive, from the address) or the form's. Kept here, above
    // the record's view that each reload makes anew, until the form is sent
    // again.
    let plain = RwSignal::new(
        url_error()
            .map(Err)
            .or_else(|| url_done("add_checkin").then_some(Ok(()))),
    );
    view! {
        <PageScaffold data=detail let:d><KpiView detail=d plain/></PageScaffold>
    }
}

/// The result of a plain form post, from the page's address.
type PlainResult = RwSignal<Option<Result<(), AppError>>>;

#[component]
fn KpiView(detail: KpiDetail, plain: PlainResult) -> impl IntoView {
    // A refused check-in the person chose to fix, for the form to take up.
    let to_fix = RwSignal::new(None::<(AddCheckin, Option<AppError>)>);
    let i18n = use_i18n();
    let c = detail.card.clone();
    let title = format!("{} · {}", c.code, c.name);
    let trend = Trend {
        series: c.series.clone(),
        baseline: c.baseline,
        target: c.target,
        start: day_number(&c.start_date).unwrap_or(0),
        due: day_number(&c.due_date).unwrap_or(0),
        expected_line: matches!(c.direction, Direction::Increase | Direction::Decrease),
        forecast: c.forecast,
        unit: c.unit.clone(),
    };
    let unit = c.unit.clone();
    let num = move |v: f64| format!("{} {}", short_number(v), unit);
    let caption = {
        let n = c.series.len();
        let current = c.current.map(&num).unwrap_or_else(|| "—".into());
        let target = num(c.target);
        move || {
            format!(
                "{}: {} · {}: {} · {}: {}",
                t_string!(i18n, kpis.checkins),
                n,
                t_string!(i18n, kpis.current),
                current,
                t_string!(i18n, kpis.target),
                target
            )
        }
    };
    let direction = c.direction;
    let visibility = c.visibility;
    let status = c.status;
    let goal = detail.goal_title.clone().zip(c.goal_id.clone());
    view! {
        <PageHeader title=Signal::derive(move || title.clone())/>
        <p class="page-links"><a href="/kpis" class="btn btn-small">"← " {t!(i18n, kpis.title)}</a></p>
        <div class="kpi-head">
            <StatusBadge status=c.status stale=c.stale/>
            <span class="num kpi-progress-text">{t!(i18n, kpis.progress)} " " {percent(c.progress)} " · " {t!(i18n, kpis.expected)} " " {percent(c.expected)}</span>
        </div>
        <ProgressBar progress=c.progress status=Some(status)/>
        {
            let outbox = crate::ui::outbox::use_outbox();
            let record = c.id.clone();
            let waiting = move || outbox.pending_for(&record);
            view! {
                <div role="status" aria-live="polite" class="status-slot">
                    {move || (waiting() > 0).then(|| view! {
                        <div class="alert alert-info" data-testid="outbox-waiting">
                            <Icon name="alert"/>
                            <span><span class="num">{waiting()}</span> " " {t!(i18n, kpis.waiting)}</span>
                        </div>
                    })}
                </div>
            }
        }
        <div class="detail-grid">
            <section class="card section">
                {move || view! { <TrendChart trend=trend.clone() caption=caption()/> }}
            </section>
            <section class="card section">
                <dl class="facts">
                    <dt>{t!(i18n, kpis.owner)}</dt><dd data-testid="kpi-owner">{c.owner_name.clone()}</dd>
                    <dt>{t!(i18n, kpis.team)}</dt><dd>{c.team_name.clone()}</dd>
                    <dt>{t!(i18n, kpis.direction_label)}</dt><dd>{move || direction_label(i18n.get_locale(), direction)}</dd>
                    <dt>{t!(i18n, kpis.baseline)}</dt><dd class="num">{num(c.baseline)}</dd>
                    <dt>{t!(i18n, kpis.target)}</dt><dd class="num">{num(c.target)}</dd>
                    <dt>{t!(i18n, kpis.current)}</dt><dd class="num">{c.current.map(&num).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, kpis.forecast)}</dt><dd class="num" data-testid="kpi-forecast">{c.forecast.map(&num).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, kpis.period)}</dt><dd class="num">{c.start_date.clone()} " → " {c.due_date.clone()}</dd>
                    <dt>{t!(i18n, kpis.cadence)}</dt><dd class="num">{c.cadence_days}</dd>
                    <dt>{t!(i18n, kpis.last_checkin)}</dt><dd class="num">{c.last_day.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, kpis.visibility_label)}</dt><dd>{move || visibility_label(i18n.get_locale(), visibility)}</dd>
                    {goal.map(|(t, _)| view! { <dt>{t!(i18n, kpis.parent_goal)}</dt><dd><a href="/kpis/goals">{t}</a></dd> })}
                </dl>
            </section>
        </div>
        <RefusedCheckins record=c.id.clone() can_edit=detail.can_edit to_fix/>
        {detail.can_edit.then(|| view! { <CheckInForm detail=detail.clone() to_fix plain/> })}
        {detail.can_edit.then(|| {
            let choices = crate::kpi::api::KpiFormChoices {
                owners: Vec::new(),
                goals: detail.goals.clone(),
                today: detail.today.clone(),
            };
            let existing = (detail.card.id.clone(), detail.card.version, detail.card.form());
            view! {
                <details class="card section" data-testid="edit-kpi">
                    <summary class="summary-button">{t!(i18n, kpis.edit)}</summary>
                    <KpiFormView choices existing/>
                </details>
            }
        })}
        {detail.can_reassign.then(|| view! { <ReassignForm detail=detail.clone()/> })}
        {(detail.can_edit || detail.can_delete).then(|| view! { <KpiLifecycle detail=detail.clone()/> })}
        <section class="card section" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, kpis.history)}</h2>
            {if detail.checkins.is_empty() {
                view! { <p class="muted" data-testid="no-checkins">{t!(i18n, kpis.no_checkins)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="checkin-history">
                            <thead><tr>
                                <th scope="col">{t!(i18n, kpis.csv.date)}</th>
                                <th scope="col" class="num">{t!(i18n, kpis.csv.value)}</th>
                                <th scope="col" class="num">{t!(i18n, kpis.csv.confidence)}</th>
                                <th scope="col">{t!(i18n, kpis.csv.note)}</th>
                                <th scope="col">{t!(i18n, kpis.author)}</th>
                            </tr></thead>
                            <tbody>
                                {detail.checkins.iter().map(|r| {
                                    let corrected = r.corrected;
                                    let is_correction = r.corrects.is_some();
                                    view! {
                                        <tr class:corrected=corrected data-testid="checkin-row">
                                            <td class="num">{r.day.clone()}</td>
                                            <td class="num">{short_number(r.value)}</td>
                                            <td class="num">{r.confidence} "%"</td>
                                            <td>
                                                {is_correction.then(|| view! { <span class="chip">{t!(i18n, kpis.correction)}</span> " " })}
                                                {corrected.then(|| view! { <span class="chip">{t!(i18n, kpis.corrected)}</span> " " })}
                                                {r.note.clone()}
                                            </td>
                                            <td>{r.author_name.clone()} " " <span class="muted small">{crate::calendar::minute_part(&r.at)}</span></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// Check-ins saved on this device that the server refused: each stays, with
/// the server's reason, until the person fixes it (its values go back into
/// the form) or discards it. Shown whether or not the person may still
/// check in (a refusal is often that they no longer may).
#[component]
fn RefusedCheckins(
    record: String,
    can_edit: bool,
    to_fix: RwSignal<Option<(AddCheckin, Option<AppError>)>>,
) -> impl IntoView {
    use crate::ui::outbox::{Queued, discard, use_outbox};
    let i18n = use_i18n();
    let outbox = use_outbox();
    let record = StoredValue::new(record);
    let refused = Signal::derive(move || outbox.refused_for(&record.get_value()));
    let fix = move |q: Queued| {
        if let Ok(a) = serde_json::from_value::<AddCheckin>(q.payload.clone()) {
            to_fix.set(Some((a, q.refused.clone())));
        }
        discard(&q.id);
    };
    view! {
        <div class="refused-list">
            {move || refused.get().into_iter().map(|q| {
                let reason = q.refused.clone().map(|e| e.code);
                let args = serde_json::from_value::<AddCheckin>(q.payload.clone()).ok();
                let what = args.map(|a| format!("{} · {}", a.day, a.value)).unwrap_or_default();
                let (for_fix, qid) = (q.clone(), q.id.clone());
                view! {
                    <div class="alert alert-error outbox-refused" role="alert" data-testid="outbox-refused">
                        <Icon name="alert"/>
                        <div>
                            <p>
                                {t!(i18n, kpis.refused_checkin)} " "
                                <span class="num">{what}</span>
                            </p>
                            <p data-testid="refused-reason">
                                {move || reason.map(|c| crate::ui::form::error_text(i18n.get_locale(), c)).unwrap_or_default()}
                            </p>
                            <div class="form-actions">
                                {can_edit.then(|| view! {
                                    <button type="button" class="btn btn-small" data-testid="refused-fix" on:click=move |_| fix(for_fix.clone())>
                                        {t!(i18n, kpis.refused_fix)}
                                    </button>
                                })}
                                <button type="button" class="btn btn-small" data-testid="refused-discard" on:click=move |_| discard(&qid)>
                                    {t!(i18n, kpis.refused_discard)}
                                </button>
                            </div>
                        </div>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn CheckInForm(
    detail: KpiDetail,
    to_fix: RwSignal<Option<(AddCheckin, Option<AppError>)>>,
    plain: PlainResult,
) -> impl IntoView {
    let reload = use_reload();
    use crate::ui::outbox::{Queued, enqueue, is_network, offline};
    let i18n = use_i18n();
    let action = ServerAction::<AddCheckin>::new();
    let id = RwSignal::new(crate::ui::new_id());
    let server_error = action_error(action);
    // A value refused in the browser before it is queued (offline).
    let local_error: RwSignal<Option<AppError>> = RwSignal::new(None);
    // Not reaching the server is no error: the check-in waits in the outbox.
    let error = Signal::derive(move || {
        local_error
            .get()
            .or_else(|| server_error.get().filter(|e| !is_network(e)))
            .or_else(|| plain.get().and_then(|r| r.err()))
    });
    let today_number = crate::kpi::model::day_number(&detail.today).unwrap_or(0);
    focus_first_invalid("checkin-form", error);
    let day = RwSignal::new(detail.today.clone());
    let value = RwSignal::new(String::new());
    let confidence = RwSignal::new("70".to_string());
    let note = RwSignal::new(String::new());
    let corrects = RwSignal::new(String::new());
    // Saved by a plain form post: the server sent the page back with `?done=`.
    let saved = RwSignal::new(plain.get_untracked().is_some_and(|r| r.is_ok()));
    let queued = RwSignal::new(false);
    let last: StoredValue<Option<AddCheckin>> = StoredValue::new(None);
    let clear = move || {
        value.set(String::new());
        note.set(String::new());
        corrects.set(String::new());
        id.set(crate::ui::new_id());
    };
    // Checked with the server's own rule before it waits, so that a value
    // the server would refuse is refused here, at its field, offline too.
    let queue = move |args: AddCheckin| {
        if let Err(e) = crate::kpi::model::check_checkin(
            &args.day,
            &args.value,
            &args.confidence,
            &args.note,
            today_number,
        ) {
            local_error.set(Some(e));
            return;
        }
        enqueue(Queued {
            kind: CHECKIN_SENDER.kind.into(),
            id: args.id.clone(),
            record: args.kpi_id.clone(),
            payload: serde_json::to_value(&args).unwrap_or_default(),
            refused: None,
        });
        queued.set(true);
        clear();
    };
    // "Fix": a refused edit's values come back into the form (with their
    // client id, which the server never stored), with the server's reason.
    Effect::new(move |_| {
        if let Some((a, reason)) = to_fix.get() {
            id.set(a.id);
            day.set(a.day);
            value.set(a.value);
            confidence.set(a.confidence);
            note.set(a.note);
            corrects.set(a.corrects);
            plain.set(None);
            local_error.set(reason);
        }
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            saved.set(true);
            // The reload draws this form anew: the page-level result keeps
            // "Check-in saved" showing in the new one.
            plain.set(Some(Ok(())));
            clear();
            reload.bump();
        }
        Some(Err(e)) if is_network(&e) => {
            if let Some(args) = last.get_value() {
                queue(args);
            }
        }
        _ => {}
    });
    let mut options = vec![(String::new(), String::new())];
    options.extend(
        detail
            .checkins
            .iter()
            .filter(|c| c.corrects.is_none())
            .map(|c| {
                (
                    c.id.clone(),
                    format!("{} · {}", c.day, short_number(c.value)),
                )
            }),
    );
    let options = Signal::derive(move || {
        let none = t_string!(i18n, kpis.new_value).to_string();
        options
            .iter()
            .map(|(v, l)| {
                (
                    v.clone(),
                    if v.is_empty() {
                        none.clone()
                    } else {
                        l.clone()
                    },
                )
            })
            .collect::<Vec<_>>()
    });
    let kpi_id = StoredValue::new(detail.card.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        queued.set(false);
        local_error.set(None);
        plain.set(None);
        let args = AddCheckin {
            id: id.get_untracked(),
            kpi_id: kpi_id.get_value(),
            day: day.get_untracked(),
            value: value.get_untracked(),
            confidence: confidence.get_untracked(),
            note: note.get_untracked(),
            corrects: corrects.get_untracked(),
        };
        if offline() {
            queue(args);
        } else {
            last.set_value(Some(args.clone()));
            action.dispatch(args);
        }
    };
    let plain_action = <AddCheckin as leptos::server_fn::ServerFn>::url();
    view! {
        <section class="card section" aria-labelledby="checkin-title">
            <h2 id="checkin-title">{t!(i18n, kpis.add_checkin)}</h2>
            // A real POST before the page is interactive; once hydrated,
            // `submit` sends the call (or queues it offline) without reloading.
            <form id="checkin-form" class="form-grid" method="post" action=plain_action on:submit=submit novalidate>
                <input type="hidden" name="id" value=move || id.get()/>
                <input type="hidden" name="kpi_id" value=kpi_id.get_value()/>
                <FormAlert error/>
                <TextField form="checkin-form" name="value" value=value error>{t!(i18n, kpis.csv.value)}</TextField>
                <TextField form="checkin-form" name="day" value=day error kind="date">{t!(i18n, kpis.csv.date)}</TextField>
                <TextField form="checkin-form" name="confidence" value=confidence error kind="number" hint=Signal::derive(move || t_string!(i18n, kpis.confidence_hint).to_string())>{t!(i18n, kpis.csv.confidence)}</TextField>
                <TextField form="checkin-form" name="note" value=note error>{t!(i18n, kpis.csv.note)}</TextField>
                <SelectField form="checkin-form" name="corrects" value=corrects options error>{t!(i18n, kpis.corrects)}</SelectField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-checkin" disabled=move || action.pending().get()>{t!(i18n, kpis.save_checkin)}</button>
                </div>
                <SuccessNote show=saved>{t!(i18n, kpis.checkin_saved)}</SuccessNote>
                <SuccessNote show=queued>{t!(i18n, kpis.checkin_queued)}</SuccessNote>
            </form>
        </section>
    }
}

#[component]
fn ReassignForm(detail: KpiDetail) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<ReassignKpi>::new();
    let error = action_error(action);
    let owner = RwSignal::new(detail.card.owner.key());
    let owners = detail.owners.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.bump();
        }
    });
    let id = StoredValue::new(detail.card.id.clone());
    let version = detail.card.version;
    view! {
        <details class="card section">
            <summary class="summary-button">{t!(i18n, kpis.reassign)}</summary>
            <form id="reassign-form" class="subform" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(ReassignKpi { id: id.get_value(), version, owner: owner.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="reassign-form" name="owner" value=owner options=Signal::derive(move || owners.clone()) error>{t!(i18n, kpis.owner)}</SelectField>
                <button type="submit" class="btn" data-testid="reassign-kpi">{t!(i18n, kpis.reassign)}</button>
            </form>
        </details>
    }
}

/// Check-ins wait in the outbox under this kind.
pub const CHECKIN_SENDER: crate::ui::outbox::Sender = crate::ui::outbox::Sender {
    kind: "checkin",
    send: send_queued_checkin,
};

/// Sends a check-in that waited in the outbox.
fn send_queued_checkin(payload: serde_json::Value) -> crate::ui::outbox::SendFuture {
    Box::pin(async move {
        let a: AddCheckin = serde_json::from_value(payload).map_err(|_| AppError::internal())?;
        crate::kpi::api::add_checkin(
            a.id,
            a.kpi_id,
            a.day,
            a.value,
            a.confidence,
            a.note,
            a.corrects,
        )
        .await
        .map(|_| ())
    })
}

/// Archiving a KPI (it leaves the dashboard and reminders, keeps its page
/// and history) or restoring it, for its editors; deleting it for good,
/// for admins. Both ask once.
#[component]
fn KpiLifecycle(detail: crate::kpi::model::KpiDetail) -> impl IntoView {
    use crate::kpi::api::{ArchiveKpi, DeleteKpi};
    let i18n = use_i18n();
    let reload = crate::ui::page::use_reload();
    let archive = ServerAction::<ArchiveKpi>::new();
    let delete = ServerAction::<DeleteKpi>::new();
    let error = Signal::derive(move || {
        archive
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| delete.value().get().and_then(|r| r.err()))
    });
    Effect::new(move |_| {
        if matches!(archive.value().get(), Some(Ok(()))) {
            reload.bump();
        }
    });
    Effect::new(move |_| {
        if matches!(delete.value().get(), Some(Ok(()))) {
            #[cfg(feature = "hydrate")]
            let _ = window().location().set_href("/kpis");
        }
    });
    let id = StoredValue::new(detail.card.id.clone());
    let version = detail.card.version;
    let archived = detail.archived_at.is_some();
    let on_archive = move |_| {
        if archived
            || crate::ui::confirm(td_string!(
                i18n.get_locale_untracked(),
                kpis.archive_confirm
            ))
        {
            archive.dispatch(ArchiveKpi {
                id: id.get_value(),
                version,
                archived: !archived,
            });
        }
    };
    let on_delete = move |_| {
        if crate::ui::confirm(td_string!(
            i18n.get_locale_untracked(),
            kpis.delete_kpi_confirm
        )) {
            delete.dispatch(DeleteKpi {
                id: id.get_value(),
                version,
            });
        }
    };
    view! {
        <section class="card section" aria-labelledby="lifecycle-title" data-testid="kpi-lifecycle">
            <h2 id="lifecycle-title">{t!(i18n, kpis.lifecycle)}</h2>
            {detail.archived_at.clone().map(|at| view! {
                <p class="alert alert-info" data-testid="kpi-archived"><Icon name="lock"/> {t!(i18n, kpis.archived_on)} " " {at}</p>
            })}
            {detail.final_status.then(|| view! {
                <p class="muted small" data-testid="kpi-final-status">{t!(i18n, kpis.final_status_note)}</p>
            })}
            <FormAlert error/>
            <div class="form-actions">
                {detail.can_edit.then(|| view! {
                    <button type="button" class="btn" data-testid="archive-kpi" on:click=on_archive>
                        {if archived { t!(i18n, kpis.restore).into_any() } else { t!(i18n, kpis.archive).into_any() }}
                    </button>
                })}
                {detail.can_delete.then(|| view! {
                    <button type="button" class="btn btn-danger" data-testid="delete-kpi" on:click=on_delete>{t!(i18n, kpis.delete_kpi)}</button>
                })}
            </div>
        </section>
    }
}
