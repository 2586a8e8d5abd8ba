//! Priority poker: opening a round, estimating, the results.
use super::*;
use crate::backlog::api::{
    AcceptEstimate, ClosePokerRound, OpenPokerRound, SaveEstimates, list_requirements,
    load_poker_round, poker_rounds,
};
use crate::backlog::model::{Agreement, Backlog, FieldSummary, Framework, PokerRound, ScoreInput};
use crate::i18n::*;
use crate::ui::form::{FormAlert, TextField, error_box, error_text, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::page::{PageHeader, PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;

/// Group scoring on the backlog page: the rounds and, for editors, a form
/// to open one.
#[component]
pub fn PokerPanel(
    backlog: Backlog,
    can_open: bool,
    people: Vec<(String, String)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::provide();
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
pub(super) fn OpenRoundForm(backlog_id: String, people: Vec<(String, String)>) -> impl IntoView {
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
                                .filter(|r| !r.status.is_closed())
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

/// `/backlog/poker/:id`: one group-scoring round.
#[component]
pub fn PokerRoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = leptos_router::hooks::use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = Reload::provide();
    let round = page_resource(move || (id(), reload.get()), |(id, _)| load_poker_round(id));
    view! {
        <PageScaffold
            data=round
            refused_title=Signal::derive(move || t_string!(i18n, backlog.poker.title).to_string())
            let:r
        >
            <RoundView round=r/>
        </PageScaffold>
    }
}

#[component]
pub(super) fn RoundView(round: PokerRound) -> impl IntoView {
    let r = round;
    let reload = use_reload();
    let i18n = use_i18n();
    let framework = r.backlog.framework;
    let save = ServerAction::<SaveEstimates>::new();
    let close = ServerAction::<ClosePokerRound>::new();
    let error = Signal::derive(move || save.value().get().and_then(|r| r.err()));
    focus_first_invalid("estimate-form", error);
    Effect::new(move |_| {
        // Both read, so that the effect follows both actions.
        let (first, second) = (
            matches!(save.value().get(), Some(Ok(()))),
            matches!(close.value().get(), Some(Ok(()))),
        );
        if first || second {
            reload.bump();
        }
    });
    let title = r.title.clone();
    let estimating = r.invited && !r.closed;
    let fields: Vec<(String, ScoreDraft)> = r
        .items
        .iter()
        .map(|i| {
            (
                i.requirement_id.clone(),
                ScoreDraft::new(framework, i.mine.as_ref()),
            )
        })
        .collect();
    let fields = StoredValue::new(fields);
    let round_id = r.id.clone();
    let round_id2 = r.id.clone();
    let dispatch = move |submit: bool| {
        let estimates = fields.with_value(|fs| {
            fs.iter()
                .map(|(rid, draft)| (rid.clone(), draft.to_json()))
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
                    {fields.with_value(|fs| fs.iter().zip(r.items.iter()).enumerate().map(|(n, ((_, draft), item))| {
                        let prefix = format!("estimate-form-r{n}");
                        view! {
                            <fieldset class="estimate" data-testid="estimate-item">
                                <legend>{item.title.clone()}</legend>
                                <div class="form-row">
                                    <ScoreFields form=prefix draft=draft.clone() error/>
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
                    {items.into_iter().map(|item| view! { <ItemResult item framework can_accept round_id=round_id.clone()/> }).collect_view()}
                </section>
            }
        })}
    }
}

#[component]
pub(super) fn ItemResult(
    item: crate::backlog::model::PokerItem,
    framework: Framework,
    can_accept: bool,
    round_id: String,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let accept = ServerAction::<AcceptEstimate>::new();
    let error = Signal::derive(move || accept.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if matches!(accept.value().get(), Some(Ok(()))) {
            reload.bump();
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
    let draft = ScoreDraft::new(framework, start.as_ref());
    let draft_store = StoredValue::new(draft.clone());
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
                    let input = draft_store.with_value(|d| d.to_json());
                    accept.dispatch(AcceptEstimate { round_id: round_id.clone(), requirement_id: rid.clone(), input });
                }>
                    <FormAlert error/>
                    <ScoreFields form=form_id.clone() draft=draft.clone() error/>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">{t!(i18n, backlog.poker.accept)}</button>
                    </div>
                </form>
            })}
        </div>
    }
}
