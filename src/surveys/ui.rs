//! Pages of surveys: the list of rounds, a new round, a round's page for
//! its owner, the answer page (phone-first, with a draft kept in the
//! browser) and the results (groups, questions, heatmap, trend, actions).
use super::api::{
    AddRoundQuestion, CloseRound, CreateRound, CreateSurveyAction, FollowUpSurveyAction,
    SetRoundThresholds, StopPulse, SubmitAnswers, load_round, load_survey_results, load_surveys,
    new_round_options,
};
use super::model::{
    ActionPlan, ActionStatus, AnswerInput, GroupRef, OVERALL, Pulse, Question, QuestionKind,
    QuestionResult, RoundDetail, RoundStatus, RoundSummary, SurveyResults, Theme, Visibility,
    diff_tone, is_distress,
};
use crate::app::PageHeader;
use crate::i18n::*;
use crate::ui::charts::{Bar, BarList, HEAT_NO_VALUE, HeatCell, Heatmap, LineChart};
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, error_box, error_text,
    focus_first_invalid,
};
use crate::ui::icons::Icon;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::{is_zh, new_id};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use std::collections::BTreeMap;

pub fn theme_label(locale: Locale, t: Theme) -> &'static str {
    match t {
        Theme::Engagement => td_string!(locale, surveys.theme.engagement),
        Theme::Culture => td_string!(locale, surveys.theme.culture),
        Theme::Safety => td_string!(locale, surveys.theme.safety),
        Theme::Balance => td_string!(locale, surveys.theme.balance),
        Theme::Environment => td_string!(locale, surveys.theme.environment),
        Theme::Wellbeing => td_string!(locale, surveys.theme.wellbeing),
    }
}

fn status_label(locale: Locale, s: RoundStatus) -> &'static str {
    match s {
        RoundStatus::Scheduled => td_string!(locale, surveys.status.scheduled),
        RoundStatus::Open => td_string!(locale, surveys.status.open),
        RoundStatus::Closed => td_string!(locale, surveys.status.closed),
    }
}

fn pulse_label(locale: Locale, p: Pulse) -> &'static str {
    match p {
        Pulse::None => td_string!(locale, surveys.pulse.none),
        Pulse::Weekly => td_string!(locale, surveys.pulse.weekly),
        Pulse::Fortnightly => td_string!(locale, surveys.pulse.fortnightly),
        Pulse::Monthly => td_string!(locale, surveys.pulse.monthly),
        Pulse::Quarterly => td_string!(locale, surveys.pulse.quarterly),
    }
}

fn visibility_label(locale: Locale, v: Visibility) -> &'static str {
    match v {
        Visibility::Private => td_string!(locale, surveys.visibility.private),
        Visibility::Team => td_string!(locale, surveys.visibility.team),
        Visibility::Organisation => td_string!(locale, surveys.visibility.organisation),
    }
}

fn kind_label(locale: Locale, k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::Likert => td_string!(locale, surveys.kind.likert),
        QuestionKind::Enps => td_string!(locale, surveys.kind.enps),
        QuestionKind::Single => td_string!(locale, surveys.kind.single),
        QuestionKind::Multiple => td_string!(locale, surveys.kind.multiple),
        QuestionKind::Text => td_string!(locale, surveys.kind.text),
    }
}

fn likert_label(locale: Locale, v: i64) -> &'static str {
    match v {
        1 => td_string!(locale, surveys.likert.l1),
        2 => td_string!(locale, surveys.likert.l2),
        3 => td_string!(locale, surveys.likert.l3),
        4 => td_string!(locale, surveys.likert.l4),
        _ => td_string!(locale, surveys.likert.l5),
    }
}

fn signed(n: i32) -> String {
    match n {
        0 => "0".into(),
        n if n > 0 => format!("+{n}"),
        n => format!("−{}", -n),
    }
}

fn pct(v: Option<i32>) -> String {
    v.map(|v| format!("{v}%")).unwrap_or_else(|| "—".into())
}

#[component]
fn StatusBadge(status: RoundStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (class, icon) = match status {
        RoundStatus::Scheduled => ("badge badge-info", "clock"),
        RoundStatus::Open => ("badge badge-ok", "edit"),
        RoundStatus::Closed => ("badge", "lock"),
    };
    view! {
        <span class=class data-testid="round-status" data-status=status.as_str()>
            <Icon name=icon/>
            {move || status_label(i18n.get_locale(), status)}
        </span>
    }
}

// ---------------------------------------------------------------- home card

/// The home page's card: open rounds waiting for the caller's answer. The
/// dashboard loads the list with its other cards, under its one Suspense.
#[component]
pub fn SurveysAwaiting(
    list: Result<Vec<super::model::Awaiting>, crate::error::AppError>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="card-surveys" data-testid="surveys-awaiting">
            <h2 id="card-surveys">{t!(i18n, surveys.awaiting_title)}</h2>
            {match list {
                Err(e) => error_box(e),
                Ok(l) if l.is_empty() => view! { <p class="muted">{t!(i18n, surveys.nothing_awaiting)}</p> }.into_any(),
                Ok(l) => view! {
                    <ul class="plain-list" role="list">
                        {l.into_iter().map(|r| view! {
                            <li data-testid="awaiting-round">
                                <a href=format!("/surveys/{}/answer", r.id)>{r.title.clone()}</a>
                                <span class="muted small">" · " {t!(i18n, surveys.closes)} " " {r.closes.clone()}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

// ---------------------------------------------------------------- list

/// `/surveys`: rounds waiting for the caller, then every round they may see.
#[component]
pub fn SurveysPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = Resource::new(|| (), |_| load_surveys());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, surveys.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, surveys.subtitle).to_string())/>
        <Transition fallback=|| view! { <div class="card skeleton tall" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_box(e),
                    Ok(p) => {
                        let waiting: Vec<RoundSummary> = p.rounds.iter().filter(|r| r.asked && !r.done && r.status == RoundStatus::Open).cloned().collect();
                        view! {
                            {p.can_create.then(|| view! {
                                <p class="page-actions"><a class="btn btn-primary" href="/surveys/new" data-testid="new-round"><Icon name="plus"/>{t!(i18n, surveys.new_round)}</a></p>
                            })}
                            {(!waiting.is_empty()).then(|| view! {
                                <section class="card section" aria-labelledby="waiting-title">
                                    <h2 id="waiting-title">{t!(i18n, surveys.awaiting_title)}</h2>
                                    <ul class="plain-list" role="list">
                                        {waiting.into_iter().map(|r| view! {
                                            <li>
                                                <a class="btn btn-primary" href=format!("/surveys/{}/answer", r.id) data-testid="answer-link">{t!(i18n, surveys.answer)} " · " {r.title.clone()}</a>
                                                <span class="muted small">" " {t!(i18n, surveys.closes)} " " {r.closes.clone()}</span>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                </section>
                            })}
                            {if p.rounds.is_empty() {
                                view! {
                                    <div class="empty-state">
                                        <span class="empty-icon"><Icon name="survey"/></span>
                                        <h2>{t!(i18n, surveys.empty_title)}</h2>
                                        <p class="muted">{t!(i18n, surveys.empty_body)}</p>
                                    </div>
                                }.into_any()
                            } else {
                                view! { <RoundsTable rounds=p.rounds/> }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn RoundsTable(rounds: Vec<RoundSummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="rounds-table">
                <caption class="sr-only">{t!(i18n, surveys.rounds)}</caption>
                <thead><tr>
                    <th scope="col">{t!(i18n, surveys.round_title)}</th>
                    <th scope="col">{t!(i18n, surveys.status_label)}</th>
                    <th scope="col">{t!(i18n, surveys.teams)}</th>
                    <th scope="col">{t!(i18n, surveys.window)}</th>
                    <th scope="col">{t!(i18n, surveys.responses)}</th>
                    <th scope="col"><span class="sr-only">{t!(i18n, surveys.links)}</span></th>
                </tr></thead>
                <tbody>
                    {rounds.into_iter().map(|r| {
                        let id = r.id.clone();
                        let pulse = r.pulse;
                        view! {
                            <tr data-testid="round-row">
                                <th scope="row">
                                    {if r.can_manage { view! { <a href=format!("/surveys/{id}")>{r.title.clone()}</a> }.into_any() } else { view! { {r.title.clone()} }.into_any() }}
                                    {(pulse != Pulse::None).then(|| view! { <span class="chip small">{move || pulse_label(i18n.get_locale(), pulse)}</span> })}
                                </th>
                                <td><StatusBadge status=r.status/></td>
                                <td>{r.teams.join(", ")}</td>
                                <td class="small nowrap" title=format!("{} → {}", r.opens, r.closes)>{r.opens.chars().take(10).collect::<String>()} " → " {r.closes.chars().take(10).collect::<String>()}</td>
                                <td class="num">{r.answered} " / " {r.invited}</td>
                                <td><div class="row-links">
                                    {(r.asked && !r.done && r.status == RoundStatus::Open).then(|| view! { <a href=format!("/surveys/{id}/answer")>{t!(i18n, surveys.answer)}</a> })}
                                    {(r.done).then(|| view! { <span class="muted small"><Icon name="check"/>{t!(i18n, surveys.answered)}</span> })}
                                    {(r.can_see_results && r.status == RoundStatus::Closed).then(|| view! { <a href=format!("/surveys/{id}/results") data-testid="results-link">{t!(i18n, surveys.results)}</a> })}
                                </div></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

// ---------------------------------------------------------------- new round

/// `/surveys/new`: a round from templates for teams the caller may survey.
#[component]
pub fn NewRoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let data = page_resource(|| (), |_| new_round_options());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, surveys.new_round).to_string())/>
        <PageScaffold data let:o><NewRoundForm o/></PageScaffold>
    }
}

#[component]
fn NewRoundForm(o: super::model::NewRoundForm) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateRound>::new();
    let error = action_error(action);
    let title = RwSignal::new(String::new());
    let themes = RwSignal::new(vec!["engagement".to_string()]);
    let teams = RwSignal::new(Vec::<String>::new());
    let opens = RwSignal::new(o.opens.clone());
    let closes = RwSignal::new(o.closes.clone());
    let pulse = RwSignal::new("none".to_string());
    let visibility = RwSignal::new("private".to_string());
    let k = RwSignal::new("5".to_string());
    let comment_min = RwSignal::new("5".to_string());
    let support = RwSignal::new(String::new());
    let pending = new_id();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(id)) = action.value().get() {
            navigate(&format!("/surveys/{id}"), Default::default());
        }
    });
    focus_first_invalid("round-form", error);
    let pulses = Signal::derive(move || {
        Pulse::ALL
            .iter()
            .map(|p| {
                (
                    p.as_str().to_string(),
                    pulse_label(i18n.get_locale(), *p).to_string(),
                )
            })
            .collect()
    });
    let visibilities = Signal::derive(move || {
        Visibility::ALL
            .iter()
            .map(|v| {
                (
                    v.as_str().to_string(),
                    visibility_label(i18n.get_locale(), *v).to_string(),
                )
            })
            .collect()
    });
    let checks = move |field: &'static str,
                       list: RwSignal<Vec<String>>,
                       items: Vec<(String, String, u32)>| {
        view! {
            <fieldset class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(field)))
                aria-describedby=format!("round-form-{field}-msg")>
                <legend>{move || if field == "themes" { t_string!(i18n, surveys.templates) } else { t_string!(i18n, surveys.teams) }}</legend>
                {items.into_iter().map(|(id, name, depth)| {
                    let id2 = id.clone();
                    view! {
                        <label class="check" style=format!("padding-left: {}rem", depth as f32 * 1.25)>
                            <input type="checkbox" name=field value=id.clone() prop:checked=move || list.with(|v| v.contains(&id)) on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                list.update(|v| { v.retain(|x| *x != id2); if on { v.push(id2.clone()); } });
                            }/>
                            {name}
                        </label>
                    }
                }).collect_view()}
                <p class="field-msg" id=format!("round-form-{field}-msg")>{move || error.get().filter(|e| e.is_for(field)).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
            </fieldset>
        }
    };
    let theme_items = Signal::derive(move || {
        Theme::ALL
            .iter()
            .map(|t| {
                (
                    t.as_str().to_string(),
                    theme_label(i18n.get_locale(), *t).to_string(),
                    0,
                )
            })
            .collect::<Vec<_>>()
    });
    let can_set_k = o.can_set_k;
    view! {
        <form id="round-form" class="card section form-grid" on:submit=move |ev| {
            ev.prevent_default();
            action.dispatch(CreateRound {
                id: pending.clone(), title: title.get_untracked(), themes: themes.get_untracked(), teams: teams.get_untracked(),
                opens: opens.get_untracked(), closes: closes.get_untracked(), pulse: pulse.get_untracked(), visibility: visibility.get_untracked(),
                k: k.get_untracked(), comment_min: comment_min.get_untracked(), support_note: support.get_untracked(),
            });
        }>
            <FormAlert error/>
            <TextField form="round-form" name="title" value=title error>{t!(i18n, surveys.round_title)}</TextField>
            {move || checks("themes", themes, theme_items.get())}
            {checks("teams", teams, o.teams.clone())}
            <TextField form="round-form" name="opens" kind="datetime-local" value=opens error>{t!(i18n, surveys.opens)}</TextField>
            <TextField form="round-form" name="closes" kind="datetime-local" value=closes error>{t!(i18n, surveys.closes_label)}</TextField>
            <SelectField form="round-form" name="pulse" value=pulse options=pulses error>{t!(i18n, surveys.repeat)}</SelectField>
            <SelectField form="round-form" name="visibility" value=visibility options=visibilities error>{t!(i18n, surveys.visibility_label)}</SelectField>
            {can_set_k.then(|| view! {
                <TextField form="round-form" name="k" kind="number" value=k error hint=Signal::derive(move || t_string!(i18n, surveys.k_hint).to_string())>{t!(i18n, surveys.k_label)}</TextField>
                <TextField form="round-form" name="comment_min" kind="number" value=comment_min error>{t!(i18n, surveys.comment_min_label)}</TextField>
            })}
            <TextField form="round-form" name="support_note" value=support error hint=Signal::derive(move || t_string!(i18n, surveys.support_note_hint).to_string())>{t!(i18n, surveys.support_note)}</TextField>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="create-round" disabled=move || action.pending().get()>{t!(i18n, surveys.create_round)}</button>
            </div>
        </form>
    }
}

// ---------------------------------------------------------------- round page

/// `/surveys/:id`: a round for its owner: its settings, questions, and
/// closing it early.
#[component]
pub fn RoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let data = page_resource(move || (id(), reload.get()), |(id, _)| load_round(id));
    view! {
        <PageScaffold
            data
            refused_title=Signal::derive(move || t_string!(i18n, surveys.title).to_string())
            let:d
        >
            <RoundManage d reload/>
        </PageScaffold>
    }
}

#[component]
fn RoundManage(d: RoundDetail, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let r = d.round.clone();
    let title = r.title.clone();
    let close = ServerAction::<CloseRound>::new();
    let close_error = action_error(close);
    let stop = ServerAction::<StopPulse>::new();
    Effect::new(move |_| {
        if matches!(close.value().get(), Some(Ok(_))) || matches!(stop.value().get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
        }
    });
    let rid = r.id.clone();
    let rid2 = r.id.clone();
    let version = r.version;
    let status = r.status;
    let pulse = r.pulse;
    let vis = r.visibility;
    let scheduled = status == RoundStatus::Scheduled;
    view! {
        <PageHeader title=Signal::derive(move || title.clone())/>
        <section class="card section" aria-labelledby="round-facts">
            <h2 id="round-facts" class="sr-only">{t!(i18n, surveys.round_facts)}</h2>
            <dl class="facts">
                <dt>{t!(i18n, surveys.status_label)}</dt><dd><StatusBadge status/></dd>
                <dt>{t!(i18n, surveys.window)}</dt><dd>{r.opens.clone()} " → " {r.closes.clone()}</dd>
                <dt>{t!(i18n, surveys.teams)}</dt><dd>{r.teams.join(", ")}</dd>
                <dt>{t!(i18n, surveys.repeat)}</dt><dd>{move || pulse_label(i18n.get_locale(), pulse)}</dd>
                <dt>{t!(i18n, surveys.visibility_label)}</dt><dd>{move || visibility_label(i18n.get_locale(), vis)}</dd>
                <dt>{t!(i18n, surveys.k_label)}</dt><dd class="num" data-testid="round-k">{r.k}</dd>
                <dt>{t!(i18n, surveys.comment_min_label)}</dt><dd class="num">{r.comment_min}</dd>
                <dt>{t!(i18n, surveys.responses)}</dt><dd class="num" data-testid="round-turnout">{r.answered} " / " {r.invited}</dd>
            </dl>
            <div class="form-actions">
                {(status == RoundStatus::Open && r.can_manage).then(|| view! {
                    <button type="button" class="btn" data-testid="close-round" on:click=move |_| {
                        let ok = window().confirm_with_message(&t_string!(i18n, surveys.close_confirm)).unwrap_or(false);
                        if ok { close.dispatch(CloseRound { round_id: rid.clone(), version }); }
                    }><Icon name="lock"/>{t!(i18n, surveys.close_now)}</button>
                })}
                {(pulse != Pulse::None && r.can_manage).then(|| view! {
                    <button type="button" class="btn btn-ghost" data-testid="stop-pulse" on:click=move |_| { stop.dispatch(StopPulse { round_id: rid2.clone() }); }>{t!(i18n, surveys.stop_pulse)}</button>
                })}
                {(r.asked && !r.done && status == RoundStatus::Open).then(|| view! { <a class="btn btn-primary" href=format!("/surveys/{}/answer", r.id)>{t!(i18n, surveys.answer)}</a> })}
                {(status == RoundStatus::Closed && r.can_see_results).then(|| view! { <a class="btn btn-primary" href=format!("/surveys/{}/results", r.id) data-testid="results-link">{t!(i18n, surveys.results)}</a> })}
            </div>
            <FormAlert error=close_error/>
            {(status != RoundStatus::Closed).then(|| view! { <p class="muted small">{t!(i18n, surveys.results_after_close)}</p> })}
        </section>
        {(scheduled && r.can_manage).then(|| view! { <ThresholdsForm round=r.clone() reload/> })}
        <section class="card section" aria-labelledby="questions-title">
            <h2 id="questions-title">{t!(i18n, surveys.questions)} " (" {d.questions.len()} ")"</h2>
            <ol class="question-list">
                {d.questions.iter().map(|q| {
                    let q = q.clone();
                    let (th, kind) = (q.theme, q.kind);
                    view! {
                        <li data-testid="round-question">
                            <span>{let q = q.clone(); move || q.text(is_zh(i18n)).to_string()}</span>
                            " "
                            <span class="chip small">{move || theme_label(i18n.get_locale(), th)}</span>
                            <span class="chip small">{move || kind_label(i18n.get_locale(), kind)}</span>
                            {q.distress_at.map(|t| view! { <span class="chip small">{t!(i18n, surveys.distress_at)} " ≤ " {t}</span> })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            {if scheduled && r.can_manage {
                view! { <AddQuestionForm round_id=r.id.clone() reload/> }.into_any()
            } else {
                view! { <p class="muted small">{t!(i18n, surveys.questions_locked)}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn ThresholdsForm(round: RoundSummary, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetRoundThresholds>::new();
    let error = action_error(action);
    let k = RwSignal::new(round.k.to_string());
    let c = RwSignal::new(round.comment_min.to_string());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let (id, version) = (round.id.clone(), round.version);
    view! {
        <section class="card section" aria-labelledby="k-title">
            <h2 id="k-title">{t!(i18n, surveys.thresholds)}</h2>
            <p class="muted small">{t!(i18n, surveys.k_hint)}</p>
            <form id="k-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SetRoundThresholds { round_id: id.clone(), version, k: k.get_untracked(), comment_min: c.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form="k-form" name="k" kind="number" value=k error>{t!(i18n, surveys.k_label)}</TextField>
                <TextField form="k-form" name="comment_min" kind="number" value=c error>{t!(i18n, surveys.comment_min_label)}</TextField>
                <div class="form-actions"><button type="submit" class="btn">{t!(i18n, common.save)}</button></div>
            </form>
        </section>
    }
}

#[component]
fn AddQuestionForm(round_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddRoundQuestion>::new();
    let error = action_error(action);
    let theme = RwSignal::new("engagement".to_string());
    let kind = RwSignal::new("likert".to_string());
    let en = RwSignal::new(String::new());
    let zh_text = RwSignal::new(String::new());
    let options = RwSignal::new(String::new());
    let distress = RwSignal::new(String::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            en.set(String::new());
            zh_text.set(String::new());
            options.set(String::new());
            distress.set(String::new());
            pending.set(new_id());
            reload.update(|n| *n += 1);
        }
    });
    focus_first_invalid("question-form", error);
    let themes = Signal::derive(move || {
        Theme::ALL
            .iter()
            .map(|t| {
                (
                    t.as_str().to_string(),
                    theme_label(i18n.get_locale(), *t).to_string(),
                )
            })
            .collect()
    });
    let kinds = Signal::derive(move || {
        QuestionKind::ALL
            .iter()
            .map(|k| {
                (
                    k.as_str().to_string(),
                    kind_label(i18n.get_locale(), *k).to_string(),
                )
            })
            .collect()
    });
    view! {
        <details class="add-question">
            <summary>{t!(i18n, surveys.add_question)}</summary>
            <form id="question-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(AddRoundQuestion { round_id: round_id.clone(), id: pending.get_untracked(), theme: theme.get_untracked(), kind: kind.get_untracked(), text_en: en.get_untracked(), text_zh: zh_text.get_untracked(), options: options.get_untracked(), distress_at: distress.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="question-form" name="theme" value=theme options=themes error>{t!(i18n, surveys.theme_label)}</SelectField>
                <SelectField form="question-form" name="kind" value=kind options=kinds error>{t!(i18n, surveys.kind_label)}</SelectField>
                <TextField form="question-form" name="text_en" value=en error>{t!(i18n, surveys.text_en)}</TextField>
                <TextField form="question-form" name="text_zh" value=zh_text error>{t!(i18n, surveys.text_zh)}</TextField>
                <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("options")))>
                    <label for="question-form-options">{t!(i18n, surveys.options)}</label>
                    <textarea id="question-form-options" rows="3" bind:value=options aria-describedby="question-form-options-msg"></textarea>
                    <p class="field-msg" id="question-form-options-msg">{move || match error.get().filter(|e| e.is_for("options")) {
                        Some(e) => view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> }.into_any(),
                        None => view! { <span class="hint">{t!(i18n, surveys.options_hint)}</span> }.into_any(),
                    }}</p>
                </div>
                <TextField form="question-form" name="distress_at" kind="number" value=distress error hint=Signal::derive(move || t_string!(i18n, surveys.distress_hint).to_string())>{t!(i18n, surveys.distress_at)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary" data-testid="add-question">{t!(i18n, surveys.add_question)}</button></div>
            </form>
        </details>
    }
}

// ---------------------------------------------------------------- answer

/// Where the answer page keeps its draft (in this browser only).
fn draft_key(round: &str) -> String {
    format!("keel.survey-draft.{round}")
}

fn load_draft(round: &str) -> BTreeMap<String, AnswerInput> {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::get(draft_key(round)).unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = draft_key(round);
        BTreeMap::new()
    }
}

fn save_draft(round: &str, draft: &BTreeMap<String, AnswerInput>) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        let _ = gloo_storage::LocalStorage::set(draft_key(round), draft);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (round, draft);
}

fn clear_draft(round: &str) {
    #[cfg(feature = "hydrate")]
    {
        use gloo_storage::Storage;
        gloo_storage::LocalStorage::delete(draft_key(round));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = round;
}

/// `/surveys/:id/answer`: one person's answer to a round.
#[component]
pub fn AnswerPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = page_resource(id, load_round);
    view! {
        <PageScaffold
            data
            refused_title=Signal::derive(move || t_string!(i18n, surveys.title).to_string())
            let:d
        >
            <AnswerForm d/>
        </PageScaffold>
    }
}

#[component]
fn SupportResources(note: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <aside class="support card" role="alert" data-testid="support-resources" aria-labelledby="support-title">
            <h2 id="support-title"><Icon name="heart"/>{t!(i18n, surveys.support_title)}</h2>
            <p>{t!(i18n, surveys.support_body)}</p>
            <ul>
                <li>{t!(i18n, surveys.support_1)}</li>
                <li>{t!(i18n, surveys.support_2)}</li>
                <li>{t!(i18n, surveys.support_3)}</li>
            </ul>
            {(!note.is_empty()).then(|| view! { <p class="support-note">{note.clone()}</p> })}
            <p class="muted small">{t!(i18n, surveys.support_private)}</p>
        </aside>
    }
}

#[component]
fn AnswerForm(d: RoundDetail) -> impl IntoView {
    let i18n = use_i18n();
    let r = d.round.clone();
    let rid = r.id.clone();
    let title = r.title.clone();
    let questions = StoredValue::new(d.questions.clone());
    let draft = RwSignal::new(BTreeMap::<String, AnswerInput>::new());
    // The draft is read after hydration (the server has none).
    {
        let rid = rid.clone();
        Effect::new(move |_| draft.set(load_draft(&rid)));
    }
    let set_answer = {
        let rid = rid.clone();
        move |qid: String, f: Box<dyn FnOnce(&mut AnswerInput)>| {
            draft.update(|m| {
                let a = m.entry(qid.clone()).or_insert_with(|| AnswerInput {
                    question_id: qid.clone(),
                    ..Default::default()
                });
                f(a);
            });
            draft.with_untracked(|m| save_draft(&rid, m));
        }
    };
    let total = d.questions.len();
    let answered = move || {
        draft.with(|m| {
            questions.with_value(|qs| {
                qs.iter()
                    .filter(|q| {
                        m.get(&q.id)
                            .is_some_and(|a| !a.values.is_empty() || !a.text.trim().is_empty())
                    })
                    .count()
            })
        })
    };
    let distress = move || {
        draft.with(|m| {
            questions.with_value(|qs| {
                qs.iter().any(|q| {
                    m.get(&q.id)
                        .is_some_and(|a| a.values.iter().any(|v| is_distress(q, *v)))
                })
            })
        })
    };
    let submission = StoredValue::new(new_id());
    let action = ServerAction::<SubmitAnswers>::new();
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let done = RwSignal::new(r.done);
    {
        let rid = r.id.clone();
        Effect::new(move |_| {
            if let Some(Ok(_)) = action.value().get() {
                clear_draft(&rid);
                done.set(true);
            }
        });
    }
    Effect::new(move |_| {
        if let Some(e) = error.get() {
            let _ = e;
            #[cfg(feature = "hydrate")]
            request_animation_frame(move || {
                if let Some(el) = document()
                    .query_selector(
                        "#answer-form [aria-invalid='true'] input, #answer-form .alert-slot .alert",
                    )
                    .ok()
                    .flatten()
                {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            });
        }
    });
    let open = r.status == RoundStatus::Open;
    let (k, closes, note) = (r.k, r.closes.clone(), r.support_note.clone());
    let note2 = note.clone();
    let mut by_theme: Vec<(Theme, Vec<Question>)> = Vec::new();
    for q in d.questions.iter() {
        match by_theme.iter_mut().find(|(t, _)| *t == q.theme) {
            Some((_, v)) => v.push(q.clone()),
            None => by_theme.push((q.theme, vec![q.clone()])),
        }
    }
    view! {
        <PageHeader title=Signal::derive(move || title.clone())/>
        <div class="answer-page">
            <aside class="note card" role="note" data-testid="anonymity-note">
                <h2><Icon name="lock"/>{t!(i18n, surveys.anonymity_title)}</h2>
                <p>{t!(i18n, surveys.anonymity_1)}</p>
                <p>{t!(i18n, surveys.anonymity_2)} " " <strong>{k}</strong> " " {t!(i18n, surveys.anonymity_2b)}</p>
                <p>{t!(i18n, surveys.anonymity_3)} " " <strong>{closes.clone()}</strong>{t!(i18n, surveys.anonymity_3b)}</p>
            </aside>
            <Show when=move || distress() fallback=|| ()>
                <SupportResources note=note.clone()/>
            </Show>
            {move || if done.get() {
                view! {
                    <div class="card section thanks" role="status" data-testid="answer-thanks">
                        <h2><Icon name="check"/>{t!(i18n, surveys.thanks_title)}</h2>
                        <p>{t!(i18n, surveys.thanks_body)}</p>
                        <a href="/surveys" class="btn">{t!(i18n, surveys.back_to_surveys)}</a>
                    </div>
                }.into_any()
            } else if !open {
                view! { <div class="alert alert-warn" role="status" data-testid="round-not-open">{t!(i18n, errors.round_not_open)}</div> }.into_any()
            } else {
                let set_answer = set_answer.clone();
                let groups = by_theme.clone();
                let rid = rid.clone();
                view! {
                    <div class="answer-progress" data-testid="answer-progress">
                        <span>{move || answered()} " / " {total} " " {t!(i18n, surveys.answered_count)}</span>
                        <progress max=total value=move || answered()></progress>
                    </div>
                    <form id="answer-form" class="answer-form" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        let answers: Vec<AnswerInput> = draft.get_untracked().into_values().collect();
                        action.dispatch(SubmitAnswers { round_id: rid.clone(), submission: submission.get_value(), answers });
                    }>
                        <FormAlert error/>
                        {groups.into_iter().map(|(theme, qs)| {
                            let set_answer = set_answer.clone();
                            view! {
                                <section class="card section theme-block">
                                    <h2>{move || theme_label(i18n.get_locale(), theme)}</h2>
                                    {qs.into_iter().map(|q| view! { <QuestionInput q draft error set_answer=set_answer.clone()/> }).collect_view()}
                                </section>
                            }
                        }).collect_view()}
                        <div class="form-actions submit-row">
                            <button type="submit" class="btn btn-primary" data-testid="submit-answers" disabled=move || action.pending().get()>{t!(i18n, surveys.submit)}</button>
                            <span class="small">{move || answered()} " / " {total} " " {t!(i18n, surveys.answered_count)}</span>
                            <span class="muted small">{t!(i18n, surveys.draft_note)}</span>
                        </div>
                    </form>
                }.into_any()
            }}
            {move || (done.get() && action.value().get().is_some_and(|r| r.is_ok_and(|s| s.distress)) && !distress()).then(|| view! { <SupportResources note=note2.clone()/> })}
        </div>
    }
}

type SetAnswer = std::sync::Arc<dyn Fn(String, Box<dyn FnOnce(&mut AnswerInput)>) + Send + Sync>;

#[component]
fn QuestionInput(
    q: Question,
    draft: RwSignal<BTreeMap<String, AnswerInput>>,
    error: Signal<Option<crate::error::AppError>>,
    set_answer: impl Fn(String, Box<dyn FnOnce(&mut AnswerInput)>) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let set: SetAnswer = std::sync::Arc::new(set_answer);
    let qid = q.id.clone();
    let invalid = {
        let qid = qid.clone();
        move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(&qid)))
    };
    let msg_id = format!("q-{}-msg", q.id);
    let name = format!("q-{}", q.id);
    let values = {
        let qid = qid.clone();
        move || draft.with(|m| m.get(&qid).map(|a| a.values.clone()).unwrap_or_default())
    };
    let text_q = q.clone();
    let label = move || text_q.text(is_zh(i18n)).to_string();
    let body = match q.kind {
        QuestionKind::Likert | QuestionKind::Enps | QuestionKind::Single => {
            let choices: Vec<(i64, Box<dyn Fn() -> String + Send + Sync>)> = match q.kind {
                QuestionKind::Likert => (1..=5).map(|v| (v, Box::new(move || format!("{v} · {}", likert_label(i18n.get_locale(), v))) as Box<dyn Fn() -> String + Send + Sync>)).collect(),
                QuestionKind::Enps => (0..=10).map(|v| (v, Box::new(move || v.to_string()) as Box<dyn Fn() -> String + Send + Sync>)).collect(),
                _ => q.options.iter().enumerate().map(|(i, (en, zh_o))| {
                    let (en, zh_o) = (en.clone(), zh_o.clone());
                    (i as i64, Box::new(move || if is_zh(i18n) { zh_o.clone() } else { en.clone() }) as Box<dyn Fn() -> String + Send + Sync>)
                }).collect(),
            };
            let class = if q.kind == QuestionKind::Enps { "answer-choices scale-11" } else if q.kind == QuestionKind::Likert { "answer-choices scale-5" } else { "answer-choices" };
            view! {
                <div class=class role="radiogroup" aria-labelledby=format!("q-{}-label", q.id)>
                    {choices.into_iter().map(|(v, text)| {
                        let (set, qid, values) = (set.clone(), qid.clone(), values.clone());
                        view! {
                            <label class="choice">
                                <input type="radio" name=name.clone() value=v.to_string()
                                    prop:checked=move || values().first() == Some(&v)
                                    on:change=move |_| set(qid.clone(), Box::new(move |a| { a.values = vec![v]; }))/>
                                <span>{text}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                {(q.kind == QuestionKind::Enps).then(|| view! {
                    <div class="scale-ends muted small" aria-hidden="true"><span>{t!(i18n, surveys.enps_low)}</span><span>{t!(i18n, surveys.enps_high)}</span></div>
                })}
            }.into_any()
        }
        QuestionKind::Multiple => view! {
            <div class="answer-choices" role="group" aria-labelledby=format!("q-{}-label", q.id)>
                {q.options.iter().enumerate().map(|(i, (en, zh_o))| {
                    let (en, zh_o) = (en.clone(), zh_o.clone());
                    let (set, qid, values) = (set.clone(), qid.clone(), values.clone());
                    let v = i as i64;
                    view! {
                        <label class="choice">
                            <input type="checkbox" name=name.clone() value=v.to_string()
                                prop:checked=move || values().contains(&v)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    set(qid.clone(), Box::new(move |a| { a.values.retain(|x| *x != v); if on { a.values.push(v); a.values.sort(); } }));
                                }/>
                            <span>{move || if is_zh(i18n) { zh_o.clone() } else { en.clone() }}</span>
                        </label>
                    }
                }).collect_view()}
            </div>
        }.into_any(),
        QuestionKind::Text => {
            let (set, qid2) = (set.clone(), qid.clone());
            let current = {
                let qid = qid.clone();
                move || draft.with(|m| m.get(&qid).map(|a| a.text.clone()).unwrap_or_default())
            };
            view! {
                <textarea id=format!("q-{}-input", q.id) rows="3" maxlength="2000" aria-labelledby=format!("q-{}-label", q.id)
                    prop:value=current
                    on:input=move |ev| { let t = event_target_value(&ev); set(qid2.clone(), Box::new(move |a| { a.text = t; })); }></textarea>
            }.into_any()
        }
    };
    let optional = !q.required();
    view! {
        <div class="question" data-testid="question" data-kind=q.kind.as_str() aria-invalid=move || if invalid() { "true" } else { "false" } aria-describedby=msg_id.clone()>
            <p class="question-text" id=format!("q-{}-label", q.id)>
                {label}
                {optional.then(|| view! { <span class="muted small">" (" {t!(i18n, surveys.optional)} ")"</span> })}
            </p>
            {body}
            <p class="field-msg" id=msg_id.clone()>{move || error.get().filter(|e| e.is_for(&qid)).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
        </div>
    }
}

// ---------------------------------------------------------------- results

/// `/surveys/:id/results?group=`: a closed round's results for one group.
#[component]
pub fn ResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let group = move || query.with(|q| q.get("group").unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let saved = RwSignal::new(false);
    let data = page_resource(
        move || (id(), group(), reload.get()),
        |(id, g, _)| load_survey_results(id, g),
    );
    view! {
        <PageScaffold
            data
            refused_title=Signal::derive(move || t_string!(i18n, surveys.results).to_string())
            refused_testid="results-refused"
            let:r
        >
            <Results r reload saved/>
        </PageScaffold>
    }
}

#[component]
fn Results(r: SurveyResults, reload: RwSignal<u32>, saved: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let title = r.round.title.clone();
    let rid = r.round.id.clone();
    let navigate = use_navigate();
    let g = r.group.clone();
    let k = r.round.k;
    let focus = RwSignal::new(
        r.themes
            .first()
            .map(|t| t.0.as_str().to_string())
            .unwrap_or_else(|| "engagement".into()),
    );
    let options = r.groups.clone();
    let current = g.id.clone();
    let group_name = |g: &GroupRef, locale: Locale| {
        if g.id == OVERALL {
            td_string!(locale, surveys.overall).to_string()
        } else {
            g.name.clone()
        }
    };
    let rate = match (g.respondents, g.invited) {
        (Some(n), Some(i)) if i > 0 => Some((n, i, (100.0 * n as f64 / i as f64).round() as i32)),
        _ => None,
    };
    let rid_nav = rid.clone();
    view! {
        <PageHeader title=Signal::derive(move || title.clone()) subtitle=Signal::derive(move || t_string!(i18n, surveys.results).to_string())/>
        <div class="results-bar card section">
            <div class="field">
                <label for="results-group">{t!(i18n, surveys.group)}</label>
                <select id="results-group" data-testid="group-select" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    navigate(&format!("/surveys/{rid_nav}/results?group={}", crate::ui::url_encode(&v)), Default::default());
                }>
                    {options.into_iter().map(|o| {
                        let selected = o.id == current;
                        let o2 = o.clone();
                        view! {
                            <option value=o.id.clone() selected=selected>
                                {"\u{a0}\u{a0}".repeat(o.depth as usize)}
                                {move || group_name(&o2, i18n.get_locale())}
                                {(!o.shown).then(|| view! { " · " {t!(i18n, surveys.hidden_short)} })}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
            <a class="btn btn-ghost" href=format!("/surveys/{rid}/export.csv") data-testid="export-results" download><Icon name="download"/>{t!(i18n, surveys.export)}</a>
        </div>
        {if !g.shown {
            view! {
                <div class="alert alert-warn" role="status" data-testid="not-enough">
                    <strong>{t!(i18n, surveys.not_enough)}</strong>
                    <p>{t!(i18n, surveys.not_enough_body_1)} " " {k} " " {t!(i18n, surveys.not_enough_body_2)}</p>
                </div>
            }.into_any()
        } else {
            let enps = r.enps;
            view! {
                <div class="stat-tiles">
                    <div class="stat-tile"><span class="stat-label">{t!(i18n, surveys.response_rate)}</span>
                        <span class="stat-value" data-testid="response-rate">{rate.map(|(n, i, p)| format!("{p}% ({n}/{i})")).unwrap_or_else(|| "—".into())}</span></div>
                    <div class="stat-tile"><span class="stat-label">"eNPS"</span>
                        <span class="stat-value" data-testid="enps">{enps.map(signed).unwrap_or_else(|| "—".into())}</span></div>
                </div>
                <ThemeTable themes=r.themes.clone() focus can_act=!r.act_for.is_empty()/>
                <QuestionResults questions=r.questions.clone() k=r.round.comment_min.max(k)/>
            }.into_any()
        }}
        <HeatSection r=r.clone()/>
        <TrendSection r=r.clone()/>
        <ActionsSection r=r.clone() focus reload saved/>
    }
}

#[component]
fn ThemeTable(
    themes: Vec<(Theme, Option<i32>)>,
    focus: RwSignal<String>,
    can_act: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card section" aria-labelledby="themes-title">
            <h2 id="themes-title">{t!(i18n, surveys.by_theme)}</h2>
            <div class="table-wrap"><table class="table" data-testid="theme-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, surveys.theme_label)}</th>
                    <th scope="col">{t!(i18n, surveys.favourability)}</th>
                    {can_act.then(|| view! { <th scope="col"><span class="sr-only">{t!(i18n, surveys.act)}</span></th> })}
                </tr></thead>
                <tbody>
                    {themes.into_iter().map(|(t, s)| view! {
                        <tr data-testid="theme-row">
                            <th scope="row">{move || theme_label(i18n.get_locale(), t)}</th>
                            <td class="num">
                                <span class="meter inline" aria-hidden="true"><span style=format!("width: {}%", s.unwrap_or(0).clamp(0, 100))></span></span>
                                " " {pct(s)}
                            </td>
                            {can_act.then(|| view! {
                                <td><a href="#actions-title" class="btn btn-ghost small" on:click=move |_| focus.set(t.as_str().to_string())>{t!(i18n, surveys.act)}</a></td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table></div>
            <p class="muted small">{t!(i18n, surveys.favourability_hint)}</p>
        </section>
    }
}

#[component]
fn QuestionResults(questions: Vec<QuestionResult>, k: u32) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card section" aria-labelledby="questions-results-title">
            <h2 id="questions-results-title">{t!(i18n, surveys.by_question)}</h2>
            {questions.into_iter().map(|q| {
                let kind = q.question.kind;
                let qq = q.question.clone();
                let text = move || qq.text(is_zh(i18n)).to_string();
                let dist = q.distribution.clone();
                let opts = q.question.options.clone();
                let bars = move |locale: Locale| -> Vec<Bar> {
                    dist.iter().enumerate().map(|(i, n)| Bar {
                        label: match kind {
                            QuestionKind::Likert => format!("{} {}", i + 1, likert_label(locale, i as i64 + 1)),
                            QuestionKind::Enps => i.to_string(),
                            _ => opts.get(i).map(|(en, z)| if locale == Locale::zh { z.clone() } else { en.clone() }).unwrap_or_default(),
                        },
                        value: *n as f64,
                    }).collect()
                };
                view! {
                    <article class="question-result" data-testid="question-result" data-kind=kind.as_str()>
                        <h3>{text}</h3>
                        {match kind {
                            QuestionKind::Text => match q.comments.clone() {
                                None => view! { <p class="muted" data-testid="comments-hidden">{t!(i18n, surveys.comments_hidden)} " " {k}</p> }.into_any(),
                                Some(c) if c.is_empty() => view! { <p class="muted">{t!(i18n, surveys.no_comments)}</p> }.into_any(),
                                Some(c) => view! {
                                    <ul class="comments" data-testid="comments">
                                        {c.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                                    </ul>
                                    <p class="muted small">{t!(i18n, surveys.comments_shuffled)}</p>
                                }.into_any(),
                            },
                            _ => view! {
                                <p class="result-line">
                                    {q.favourability.map(|f| view! { <span class="badge" data-testid="q-favourability">{t!(i18n, surveys.favourability)} " " {f} "%"</span> })}
                                    {q.enps.map(|e| view! { <span class="badge" data-testid="q-enps">"eNPS " {signed(e)}</span> })}
                                    <span class="muted small">" " {q.answers} " " {t!(i18n, surveys.answers)}</span>
                                </p>
                                {match kind {
                                    QuestionKind::Likert | QuestionKind::Enps => view! { <Stack kind dist=q.distribution.clone()/> }.into_any(),
                                    _ => view! { {move || view! { <BarList caption=Signal::derive(move || t_string!(i18n, surveys.distribution).to_string()) bars=bars(i18n.get_locale())/> }} }.into_any(),
                                }}
                            }.into_any(),
                        }}
                    </article>
                }
            }).collect_view()}
        </section>
    }
}

/// A Likert or eNPS distribution as one stacked bar (unfavourable to
/// favourable), with every count written beneath it.
#[component]
fn Stack(kind: QuestionKind, dist: Vec<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let n: u32 = dist.iter().sum::<u32>().max(1);
    // (class, label, count)
    let parts: Vec<(
        &'static str,
        Box<dyn Fn(Locale) -> String + Send + Sync>,
        u32,
    )> = if kind == QuestionKind::Enps {
        let sum = |r: std::ops::RangeInclusive<usize>| {
            r.map(|i| dist.get(i).copied().unwrap_or(0)).sum::<u32>()
        };
        vec![
            (
                "seg-bad",
                Box::new(|l| td_string!(l, surveys.detractors).to_string()),
                sum(0..=6),
            ),
            (
                "seg-mid",
                Box::new(|l| td_string!(l, surveys.passives).to_string()),
                sum(7..=8),
            ),
            (
                "seg-good",
                Box::new(|l| td_string!(l, surveys.promoters).to_string()),
                sum(9..=10),
            ),
        ]
    } else {
        let class = ["seg-bad", "seg-low", "seg-mid", "seg-high", "seg-good"];
        dist.iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    class[i.min(4)],
                    Box::new(move |l| likert_label(l, i as i64 + 1).to_string())
                        as Box<dyn Fn(Locale) -> String + Send + Sync>,
                    *c,
                )
            })
            .collect()
    };
    let parts = std::sync::Arc::new(parts);
    let p2 = parts.clone();
    view! {
        <div class="stack" aria-hidden="true">
            {parts.iter().filter(|p| p.2 > 0).map(|(class, _, c)| view! {
                <span class=*class style=format!("width: {:.2}%", 100.0 * *c as f64 / n as f64)>{format!("{}%", (100.0 * *c as f64 / n as f64).round())}</span>
            }).collect_view()}
        </div>
        <p class="stack-legend small">
            {move || p2.iter().map(|(class, label, c)| view! {
                <span class="stack-key"><span class=format!("swatch {class}")></span>{label(i18n.get_locale())} " " <strong>{*c}</strong></span>
            }).collect_view()}
        </p>
    }
}

#[component]
fn HeatSection(r: SurveyResults) -> impl IntoView {
    let i18n = use_i18n();
    if r.heat.is_empty() || r.heat_themes.is_empty() {
        return ().into_any();
    }
    let themes = r.heat_themes.clone();
    let heat = r.heat.clone();
    let (table_themes, table_rows) = (r.heat_themes.clone(), r.heat.clone());
    // Without the organisation-level group, cells hold each team's own score.
    let relative = r.groups.iter().any(|g| g.id == OVERALL);
    view! {
        <section class="card section" aria-labelledby="heat-title">
            <h2 id="heat-title">{move || if relative { t_string!(i18n, surveys.heatmap) } else { t_string!(i18n, surveys.heatmap_abs) }}</h2>
            <p class="muted small">{move || if relative { t_string!(i18n, surveys.heatmap_hint) } else { t_string!(i18n, surveys.heatmap_abs_hint) }}</p>
            {move || {
                let locale = i18n.get_locale();
                let cols: Vec<String> = themes.iter().map(|t| theme_label(locale, *t).to_string()).collect();
                let rows: Vec<String> = heat.iter().map(|h| match h.respondents {
                    Some(n) => format!("{} ({n})", h.name),
                    None => h.name.clone(),
                }).collect();
                let cells: Vec<Vec<HeatCell>> = heat.iter().map(|h| {
                    h.cells.iter().zip(&cols).map(|(c, col)| match (h.shown, c) {
                        (false, _) => HeatCell { text: "—".into(), tone: HEAT_NO_VALUE, hidden: true, title: format!("{} · {col}: {}", h.name, td_string!(locale, surveys.not_enough)) },
                        (true, None) => HeatCell { text: "—".into(), tone: HEAT_NO_VALUE, hidden: false, title: format!("{} · {col}", h.name) },
                        (true, Some((abs, Some(diff)))) => HeatCell { text: signed(*diff), tone: diff_tone(*diff), hidden: false, title: format!("{} · {col}: {abs}% ({})", h.name, signed(*diff)) },
                        (true, Some((abs, None))) => HeatCell { text: format!("{abs}%"), tone: 0, hidden: false, title: format!("{} · {col}: {abs}%", h.name) },
                    }).collect()
                }).collect();
                view! { <Heatmap rows cols cells label=td_string!(locale, surveys.heatmap).to_string()/> }
            }}
            <ul class="heat-legend">
                <li><span class="heat-swatch heat-m2"></span>"≤ −10 " {t!(i18n, surveys.legend_far_below)}</li>
                <li><span class="heat-swatch heat-m1"></span>"−5…−9 " {t!(i18n, surveys.legend_below)}</li>
                <li><span class="heat-swatch heat-0"></span>"±4 " {t!(i18n, surveys.legend_near)}</li>
                <li><span class="heat-swatch heat-p1"></span>"≥ +5 " {t!(i18n, surveys.legend_above)}</li>
                <li><span class="heat-swatch heat-hidden"></span>"— " {t!(i18n, surveys.legend_hidden)}</li>
            </ul>
            <details>
                <summary class="summary-button">{t!(i18n, surveys.as_table)}</summary>
                <div class="table-wrap">
                    <table class="table" data-testid="heat-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, surveys.group)}</th>
                            {table_themes.iter().map(|t| { let t = *t; view! { <th scope="col">{move || theme_label(i18n.get_locale(), t)}</th> } }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {table_rows.into_iter().map(|h| view! {
                                <tr>
                                    <th scope="row">{h.name.clone()} {h.respondents.map(|n| format!(" ({n})"))}</th>
                                    {h.cells.iter().map(|c| match (h.shown, c) {
                                        (false, _) => view! { <td class="muted">{t!(i18n, surveys.hidden_short)}</td> }.into_any(),
                                        (true, None) => view! { <td class="num">"—"</td> }.into_any(),
                                        (true, Some((abs, Some(diff)))) => view! { <td class="num">{format!("{abs}% ({})", signed(*diff))}</td> }.into_any(),
                                        (true, Some((abs, None))) => view! { <td class="num">{format!("{abs}%")}</td> }.into_any(),
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
    }
    .into_any()
}

#[component]
fn TrendSection(r: SurveyResults) -> impl IntoView {
    let i18n = use_i18n();
    if r.trend.len() < 2 {
        return view! {
            <section class="card section" aria-labelledby="trend-title">
                <h2 id="trend-title">{t!(i18n, surveys.trend)}</h2>
                <p class="muted" data-testid="trend-empty">{t!(i18n, surveys.trend_empty)}</p>
            </section>
        }
        .into_any();
    }
    let themes = r.trend_themes.clone();
    let points = r.trend.clone();
    view! {
        <section class="card section" aria-labelledby="trend-title">
            <h2 id="trend-title">{t!(i18n, surveys.trend)}</h2>
            {move || {
                let locale = i18n.get_locale();
                let labels: Vec<String> = points.iter().map(|p| p.closed.clone()).collect();
                let mut series: Vec<(String, Vec<Option<f64>>)> = themes.iter().enumerate().map(|(i, t)| {
                    (theme_label(locale, *t).to_string(), points.iter().map(|p| p.themes.get(i).copied().flatten().map(f64::from)).collect())
                }).collect();
                series.push(("eNPS".to_string(), points.iter().map(|p| p.enps.map(f64::from)).collect()));
                view! { <LineChart labels series caption=td_string!(locale, surveys.trend_caption).to_string()/> }
            }}
        </section>
    }
    .into_any()
}

#[component]
fn ActionsSection(
    r: SurveyResults,
    focus: RwSignal<String>,
    reload: RwSignal<u32>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let can_act = !r.act_for.is_empty();
    view! {
        <section class="card section" aria-labelledby="actions-title">
            <h2 id="actions-title">{t!(i18n, surveys.actions)}</h2>
            {if r.actions.is_empty() {
                view! { <p class="muted">{t!(i18n, surveys.no_actions)}</p> }.into_any()
            } else {
                view! {
                    <ul class="action-list" role="list">
                        {r.actions.into_iter().map(|a| view! { <ActionItem a reload/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_act.then(|| view! { <NewActionForm round_id=r.round.id.clone() act_for=r.act_for.clone() owners=r.owners.clone() themes=r.themes.iter().map(|t| t.0).collect() focus reload saved/> })}
        </section>
    }
}

#[component]
fn ActionItem(a: ActionPlan, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<FollowUpSurveyAction>::new();
    let error = action_error(action);
    let text = RwSignal::new(a.follow_up.clone());
    let done = RwSignal::new(a.status == ActionStatus::Done);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let focus = a.focus;
    let (id, version) = (a.id.clone(), a.version);
    let form_id = format!("follow-{}", a.id);
    let status = a.status;
    view! {
        <li class="action-item" data-testid="action-item">
            <p>
                <span class=if status == ActionStatus::Done { "badge badge-ok" } else { "badge" } data-testid="action-status">
                    <Icon name=if status == ActionStatus::Done { "check" } else { "clock" }/>
                    {move || if status == ActionStatus::Done { t_string!(i18n, surveys.action_done) } else { t_string!(i18n, surveys.action_open) }}
                </span>
                " " <strong>{a.action.clone()}</strong>
            </p>
            <p class="muted small">
                {move || theme_label(i18n.get_locale(), focus)}
                {(!a.team.is_empty()).then(|| format!(" · {}", a.team))}
                " · " {t!(i18n, surveys.owner)} " " {a.owner.clone()} " · " {t!(i18n, surveys.due)} " " {a.due_date.clone()}
            </p>
            {(!a.follow_up.is_empty()).then(|| view! { <p class="follow-up" data-testid="follow-up"><Icon name="message"/>{a.follow_up.clone()}</p> })}
            {a.can_follow_up.then(|| {
                let fid = form_id.clone();
                view! {
                    <details>
                        <summary>{t!(i18n, surveys.record_follow_up)}</summary>
                        <form id=fid.clone() class="form-grid" on:submit=move |ev| {
                            ev.prevent_default();
                            action.dispatch(FollowUpSurveyAction { id: id.clone(), version, status: if done.get_untracked() { "done".into() } else { "open".into() }, follow_up: text.get_untracked() });
                        }>
                            <FormAlert error/>
                            <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("follow_up")))>
                                <label for=format!("{fid}-text")>{t!(i18n, surveys.follow_up)}</label>
                                <textarea id=format!("{fid}-text") rows="2" bind:value=text></textarea>
                                <p class="field-msg">{move || error.get().filter(|e| e.is_for("follow_up")).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
                            </div>
                            <label class="check"><input type="checkbox" bind:checked=done/>{t!(i18n, surveys.mark_done)}</label>
                            <div class="form-actions"><button type="submit" class="btn" data-testid="save-follow-up">{t!(i18n, common.save)}</button></div>
                        </form>
                    </details>
                }
            })}
        </li>
    }
}

#[component]
fn NewActionForm(
    round_id: String,
    act_for: Vec<(String, String)>,
    owners: Vec<(String, String)>,
    themes: Vec<Theme>,
    focus: RwSignal<String>,
    reload: RwSignal<u32>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateSurveyAction>::new();
    let error = action_error(action);
    let team = RwSignal::new(act_for.first().map(|t| t.0.clone()).unwrap_or_default());
    let text = RwSignal::new(String::new());
    let owner = RwSignal::new(owners.first().map(|o| o.0.clone()).unwrap_or_default());
    let due = RwSignal::new(String::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            text.set(String::new());
            due.set(String::new());
            pending.set(new_id());
            saved.set(true);
            reload.update(|n| *n += 1);
        }
    });
    focus_first_invalid("action-form", error);
    let scopes = Signal::derive(move || {
        act_for
            .iter()
            .map(|(id, n)| {
                (
                    id.clone(),
                    if id.is_empty() {
                        format!("{} · {n}", t_string!(i18n, surveys.whole_round))
                    } else {
                        n.clone()
                    },
                )
            })
            .collect()
    });
    let focus_opts = Signal::derive(move || {
        themes
            .iter()
            .map(|t| {
                (
                    t.as_str().to_string(),
                    theme_label(i18n.get_locale(), *t).to_string(),
                )
            })
            .collect()
    });
    let owner_opts = Signal::derive(move || owners.clone());
    view! {
        <form id="action-form" class="form-grid" on:submit=move |ev| {
            ev.prevent_default();
            saved.set(false);
            action.dispatch(CreateSurveyAction { id: pending.get_untracked(), round_id: round_id.clone(), team_id: team.get_untracked(), focus: focus.get_untracked(), action: text.get_untracked(), owner_id: owner.get_untracked(), due_date: due.get_untracked() });
        }>
            <h3>{t!(i18n, surveys.new_action)}</h3>
            <FormAlert error/>
            <SelectField form="action-form" name="team_id" value=team options=scopes error>{t!(i18n, surveys.for_group)}</SelectField>
            <SelectField form="action-form" name="focus" value=focus options=focus_opts error>{t!(i18n, surveys.focus)}</SelectField>
            <TextField form="action-form" name="action" value=text error>{t!(i18n, surveys.action_text)}</TextField>
            <SelectField form="action-form" name="owner_id" value=owner options=owner_opts error>{t!(i18n, surveys.owner)}</SelectField>
            <TextField form="action-form" name="due_date" kind="date" value=due error>{t!(i18n, surveys.due)}</TextField>
            <div class="form-actions"><button type="submit" class="btn btn-primary" data-testid="add-action">{t!(i18n, surveys.commit)}</button></div>
            <SuccessNote show=saved>{t!(i18n, surveys.action_added)}</SuccessNote>
        </form>
    }
}
