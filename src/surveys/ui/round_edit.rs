//! Changing a round before it opens (its settings, the order and set of its
//! questions, cancelling it) and restarting a stopped pulse, on the round's
//! page. The settings, the moves and the restart are plain form posts
//! before the page is interactive; removing a question and cancelling ask
//! once, so they act once the page is interactive.
use super::parts::{pulse_options, visibility_options};
use crate::i18n::*;
use crate::surveys::api::{
    CancelRound, EditRound, MoveRoundQuestion, RemoveRoundQuestion, RestartPulse,
};
use crate::surveys::model::{Pulse, RoundSummary};
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, error_text, focus_first_invalid,
    form_done, form_error,
};
use crate::ui::icons::Icon;
use crate::ui::page::use_reload;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The round's settings while it has not opened: title, window, teams (those
/// the caller may survey), visibility and support contacts.
#[component]
pub(super) fn EditRoundForm(
    round: RoundSummary,
    teams: Vec<(String, String, u32)>,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let edit = ServerAction::<EditRound>::new();
    let error = form_error(edit);
    let done = form_done(edit);
    const FORM: &str = "edit-round-form";
    focus_first_invalid(FORM, error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = edit.value().get() {
            reload.bump();
        }
    });
    let title = RwSignal::new(round.title.clone());
    let chosen = RwSignal::new(round.team_ids.clone());
    // The page shows "YYYY-MM-DD HH:MM"; the field takes "YYYY-MM-DDTHH:MM".
    let opens = RwSignal::new(round.opens.replacen(' ', "T", 1));
    let closes = RwSignal::new(round.closes.replacen(' ', "T", 1));
    let visibility = RwSignal::new(round.visibility.as_str().to_string());
    let support = RwSignal::new(round.support_note.clone());
    let id = StoredValue::new(round.id.clone());
    let version = round.version;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.dispatch(EditRound {
            round_id: id.get_value(),
            version,
            title: title.get_untracked(),
            teams: chosen.get_untracked(),
            opens: opens.get_untracked(),
            closes: closes.get_untracked(),
            visibility: visibility.get_untracked(),
            support_note: support.get_untracked(),
        });
    };
    let visibilities = visibility_options();
    let teams_invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("teams")));
    let plain_action = <EditRound as ServerFn>::url();
    view! {
        <section class="card section" aria-labelledby="edit-round-title">
            <details class="inline-details" data-testid="edit-round" open={error.get_untracked().is_some() || done.get_untracked()}>
                <summary class="summary-button"><h2 id="edit-round-title" class="inline-title">{t!(i18n, surveys.edit_round)}</h2></summary>
                <p class="muted small">{t!(i18n, surveys.edit_round_hint)}</p>
                <form id=FORM class="form-grid" method="post" action=plain_action novalidate on:submit=on_submit>
                    <input type="hidden" name="round_id" value=id.get_value()/>
                    <input type="hidden" name="version" value=version/>
                    <FormAlert error/>
                    <TextField form=FORM name="title" value=title error>{t!(i18n, surveys.round_title)}</TextField>
                    <fieldset class="field" class:invalid=teams_invalid aria-describedby=format!("{FORM}-teams-msg")>
                        <legend>{t!(i18n, surveys.teams)}</legend>
                        {teams.into_iter().map(|(tid, name, depth)| {
                            let (tid2, tid3) = (tid.clone(), tid.clone());
                            let on = chosen.with_untracked(|v| v.contains(&tid));
                            view! {
                                <label class="check" style=format!("padding-left: {}rem", depth as f32 * 1.25)>
                                    // `checked` in the HTML too, for the form before hydration.
                                    <input type="checkbox" name="teams[]" value=tid.clone() checked=on
                                        aria-invalid=move || if teams_invalid() { "true" } else { "false" }
                                        prop:checked=move || chosen.with(|v| v.contains(&tid2))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            chosen.update(|v| { v.retain(|x| *x != tid3); if on { v.push(tid3.clone()); } });
                                        }/>
                                    {name}
                                </label>
                            }
                        }).collect_view()}
                        <p class="field-msg" id=format!("{FORM}-teams-msg")>{move || error.get().filter(|e| e.is_for("teams")).map(|e| view! {
                            <span class="field-error"><Icon name="alert"/>{error_text(i18n.get_locale(), e.code)}</span>
                        })}</p>
                    </fieldset>
                    <TextField form=FORM name="opens" kind="datetime-local" value=opens error>{t!(i18n, surveys.opens)}</TextField>
                    <TextField form=FORM name="closes" kind="datetime-local" value=closes error>{t!(i18n, surveys.closes_label)}</TextField>
                    <SelectField form=FORM name="visibility" value=visibility options=visibilities error>{t!(i18n, surveys.visibility_label)}</SelectField>
                    <TextField form=FORM name="support_note" value=support error hint=Signal::derive(move || t_string!(i18n, surveys.support_note_hint).to_string())>{t!(i18n, surveys.support_note)}</TextField>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="save-round" disabled=move || edit.pending().get()>{t!(i18n, surveys.save_round)}</button>
                        <SuccessNote show=done>{move || t_string!(i18n, surveys.round_saved)}</SuccessNote>
                    </div>
                </form>
            </details>
        </section>
    }
}

/// The actions on a round's questions while it has not opened: moving
/// them (shared by every question's buttons) and removing them.
#[derive(Clone, Copy)]
pub(super) struct QuestionActions {
    moves: ServerAction<MoveRoundQuestion>,
    removes: ServerAction<RemoveRoundQuestion>,
}

impl QuestionActions {
    /// New actions, with the page reloaded after each one that succeeds.
    pub(super) fn new() -> QuestionActions {
        let reload = use_reload();
        let moves = ServerAction::<MoveRoundQuestion>::new();
        let removes = ServerAction::<RemoveRoundQuestion>::new();
        Effect::new(move |_| {
            // Both read, so that the effect follows both actions.
            let (first, second) = (
                matches!(moves.value().get(), Some(Ok(_))),
                matches!(removes.value().get(), Some(Ok(_))),
            );
            if first || second {
                reload.bump();
            }
        });
        QuestionActions { moves, removes }
    }

    /// The last refusal of a move (also one sent before hydration) or a removal.
    pub(super) fn error(self) -> Signal<Option<crate::error::AppError>> {
        let moved = form_error(self.moves);
        let removed = action_error(self.removes);
        Signal::derive(move || removed.get().or_else(|| moved.get()))
    }
}

/// One question's buttons: up, down (plain forms before hydration) and remove.
#[component]
pub(super) fn QuestionTools(
    actions: QuestionActions,
    round_id: String,
    version: i64,
    question_id: String,
    /// The question's text (named by each button for screen readers).
    #[prop(into)]
    text: Signal<String>,
    first: bool,
    last: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let plain_action = <MoveRoundQuestion as ServerFn>::url();
    let ids = (round_id.clone(), question_id.clone());
    let mover = move |up: bool| {
        let (rid, qid) = ids.clone();
        let (rid2, qid2) = (rid.clone(), qid.clone());
        let direction = if up { "up" } else { "down" };
        let label = move || {
            let verb = if up {
                t_string!(i18n, surveys.move_up)
            } else {
                t_string!(i18n, surveys.move_down)
            };
            format!("{verb}: {}", text.get())
        };
        view! {
            <form method="post" action=plain_action on:submit=move |ev: leptos::ev::SubmitEvent| {
                ev.prevent_default();
                actions.moves.dispatch(MoveRoundQuestion { round_id: rid2.clone(), version, question_id: qid2.clone(), direction: direction.to_string() });
            }>
                <input type="hidden" name="round_id" value=rid/>
                <input type="hidden" name="version" value=version/>
                <input type="hidden" name="question_id" value=qid/>
                <input type="hidden" name="direction" value=direction/>
                <button type="submit" class="btn btn-ghost btn-small" data-testid=format!("move-{direction}")
                    disabled=if up { first } else { last } aria-label=label title=label>
                    {if up { "↑" } else { "↓" }}
                </button>
            </form>
        }
    };
    let (rid, qid) = (round_id, question_id);
    let on_remove = move |_| {
        let question = text.get_untracked();
        let ask = format!(
            "{} {question}",
            td_string!(i18n.get_locale_untracked(), surveys.remove_question_confirm)
        );
        if crate::ui::confirm(&ask) {
            actions.removes.dispatch(RemoveRoundQuestion {
                round_id: rid.clone(),
                version,
                question_id: qid.clone(),
            });
        }
    };
    let remove_label = move || {
        format!(
            "{}: {}",
            t_string!(i18n, surveys.remove_question),
            text.get()
        )
    };
    view! {
        <span class="question-tools">
            {mover(true)}
            {mover(false)}
            <button type="button" class="btn btn-ghost btn-small btn-danger" data-testid="remove-question"
                aria-label=remove_label on:click=on_remove>
                {t!(i18n, surveys.remove_question)}
            </button>
        </span>
    }
}

/// Cancelling a round that has not opened, after one confirmation.
#[component]
pub(super) fn CancelRoundButton(round_id: String, version: i64) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let cancel = ServerAction::<CancelRound>::new();
    let error = action_error(cancel);
    Effect::new(move |_| {
        if let Some(Ok(_)) = cancel.value().get() {
            reload.bump();
        }
    });
    let on_click = move |_| {
        if crate::ui::confirm(td_string!(
            i18n.get_locale_untracked(),
            surveys.cancel_confirm
        )) {
            cancel.dispatch(CancelRound {
                round_id: round_id.clone(),
                version,
            });
        }
    };
    view! {
        <button type="button" class="btn btn-danger" data-testid="cancel-round" on:click=on_click disabled=move || cancel.pending().get()>
            {t!(i18n, surveys.cancel_round)}
        </button>
        <FormAlert error/>
    }
}

/// Restarting a stopped pulse at a cadence (its former one by default).
#[component]
pub(super) fn RestartPulseForm(round: RoundSummary, stopped: Pulse) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let restart = ServerAction::<RestartPulse>::new();
    let error = form_error(restart);
    const FORM: &str = "restart-pulse-form";
    focus_first_invalid(FORM, error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = restart.value().get() {
            reload.bump();
        }
    });
    let cadence = RwSignal::new(stopped.as_str().to_string());
    let cadences = pulse_options(true);
    let id = StoredValue::new(round.id.clone());
    let version = round.version;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        restart.dispatch(RestartPulse {
            round_id: id.get_value(),
            version,
            pulse: cadence.get_untracked(),
        });
    };
    let plain_action = <RestartPulse as ServerFn>::url();
    view! {
        <section class="card section" aria-labelledby="restart-title">
            <h2 id="restart-title">{t!(i18n, surveys.restart_title)}</h2>
            <p class="muted small">{t!(i18n, surveys.restart_hint)}</p>
            <form id=FORM class="inline-form" method="post" action=plain_action novalidate on:submit=on_submit>
                <input type="hidden" name="round_id" value=id.get_value()/>
                <input type="hidden" name="version" value=version/>
                <SelectField form=FORM name="pulse" value=cadence options=cadences error>{t!(i18n, surveys.repeat)}</SelectField>
                <button type="submit" class="btn" data-testid="restart-pulse" disabled=move || restart.pending().get()>{t!(i18n, surveys.restart_pulse)}</button>
            </form>
            <FormAlert error/>
        </section>
    }
}
