//! `/surveys/:id`: a round for its owner: its settings, questions, and
//! closing it early; before it opens, changing or cancelling it
//! (`round_edit`).
use super::parts::{StatusBadge, pulse_label, theme_label, visibility_label};
use super::round_edit::{
    CancelRoundButton, EditRoundForm, QuestionActions, QuestionTools, RestartPulseForm,
};
use crate::i18n::*;
use crate::surveys::api::{
    AddRoundQuestion, CloseRound, SetRoundThresholds, StopPulse, load_round,
};
use crate::surveys::model::{Pulse, QuestionKind, RoundDetail, RoundStatus, RoundSummary, Theme};
use crate::ui::form::{
    FormAlert, SelectField, TextField, action_error, error_text, focus_first_invalid,
};
use crate::ui::icons::Icon;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use crate::ui::{is_zh, new_id};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

fn kind_label(locale: Locale, k: QuestionKind) -> &'static str {
    match k {
        QuestionKind::Likert => td_string!(locale, surveys.kind.likert),
        QuestionKind::Enps => td_string!(locale, surveys.kind.enps),
        QuestionKind::Single => td_string!(locale, surveys.kind.single),
        QuestionKind::Multiple => td_string!(locale, surveys.kind.multiple),
        QuestionKind::Text => td_string!(locale, surveys.kind.text),
    }
}

/// `/surveys/:id`: a round for its owner: its settings, questions, and
/// closing it early.
#[component]
pub fn RoundPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = Reload::provide();
    let data = page_resource(move || (id(), reload.get()), |(id, _)| load_round(id));
    view! {
        <PageScaffold
            data
            refused_title=Signal::derive(move || t_string!(i18n, surveys.title).to_string())
            let:d
        >
            <RoundManage detail=d/>
        </PageScaffold>
    }
}

#[component]
fn RoundManage(detail: RoundDetail) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let r = detail.round.clone();
    let title = r.title.clone();
    let close = ServerAction::<CloseRound>::new();
    let close_error = action_error(close);
    let stop = ServerAction::<StopPulse>::new();
    Effect::new(move |_| {
        // Both read, so that the effect follows both actions.
        let (first, second) = (
            matches!(close.value().get(), Some(Ok(_))),
            matches!(stop.value().get(), Some(Ok(_))),
        );
        if first || second {
            reload.bump();
        }
    });
    let rid = r.id.clone();
    let rid2 = r.id.clone();
    let version = r.version;
    let status = r.status;
    let pulse = r.pulse;
    let vis = r.visibility;
    let scheduled = status == RoundStatus::Scheduled;
    let cancelled = status == RoundStatus::Cancelled;
    let editable = r.editable();
    let restart_from = r
        .stopped_pulse
        .filter(|_| r.can_manage && pulse == Pulse::None && !cancelled);
    let questions = QuestionActions::new();
    let question_error = questions.error();
    let n = detail.questions.len();
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
                        if crate::ui::confirm(&t_string!(i18n, surveys.close_confirm)) { close.dispatch(CloseRound { round_id: rid.clone(), version }); }
                    }><Icon name="lock"/>{t!(i18n, surveys.close_now)}</button>
                })}
                {editable.then(|| view! { <CancelRoundButton round_id=r.id.clone() version/> })}
                {(pulse != Pulse::None && r.can_manage && !cancelled).then(|| view! {
                    <button type="button" class="btn btn-ghost" data-testid="stop-pulse" on:click=move |_| { stop.dispatch(StopPulse { round_id: rid2.clone() }); }>{t!(i18n, surveys.stop_pulse)}</button>
                })}
                {(r.asked && !r.done && status == RoundStatus::Open).then(|| view! { <a class="btn btn-primary" href=format!("/surveys/{}/answer", r.id)>{t!(i18n, surveys.answer)}</a> })}
                {(status == RoundStatus::Closed && r.can_see_results).then(|| view! { <a class="btn btn-primary" href=format!("/surveys/{}/results", r.id) data-testid="results-link">{t!(i18n, surveys.results)}</a> })}
            </div>
            <FormAlert error=close_error/>
            {if cancelled {
                view! { <p class="muted small" data-testid="cancelled-note">{t!(i18n, surveys.cancelled_note)}</p> }.into_any()
            } else {
                (status != RoundStatus::Closed).then(|| view! { <p class="muted small">{t!(i18n, surveys.results_after_close)}</p> }).into_any()
            }}
        </section>
        {restart_from.map(|stopped| view! { <RestartPulseForm round=r.clone() stopped/> })}
        {editable.then(|| view! { <EditRoundForm round=r.clone() teams=detail.pickable_teams.clone()/> })}
        {(scheduled && r.can_manage).then(|| view! { <ThresholdsForm round=r.clone()/> })}
        <section class="card section" aria-labelledby="questions-title">
            <h2 id="questions-title">{t!(i18n, surveys.questions)} " (" {detail.questions.len()} ")"</h2>
            <ol class="question-list">
                {detail.questions.iter().enumerate().map(|(i, q)| {
                    let q = q.clone();
                    let (th, kind) = (q.theme, q.kind);
                    let text = Signal::derive({
                        let q = q.clone();
                        move || q.text(is_zh(i18n)).to_string()
                    });
                    let rid = r.id.clone();
                    view! {
                        <li data-testid="round-question">
                            <span>{text}</span>
                            " "
                            <span class="chip small">{move || theme_label(i18n.get_locale(), th)}</span>
                            <span class="chip small">{move || kind_label(i18n.get_locale(), kind)}</span>
                            {q.distress_at.map(|t| view! { <span class="chip small">{t!(i18n, surveys.distress_at)} " ≤ " {t}</span> })}
                            {editable.then(|| view! {
                                <QuestionTools actions=questions round_id=rid version question_id=q.id.clone() text first={i == 0} last={i + 1 == n}/>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ol>
            <FormAlert error=question_error/>
            {if editable {
                view! { <AddQuestionForm round_id=r.id.clone() version/> }.into_any()
            } else {
                view! { <p class="muted small">{t!(i18n, surveys.questions_locked)}</p> }.into_any()
            }}
        </section>
    }
}

#[component]
fn ThresholdsForm(round: RoundSummary) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<SetRoundThresholds>::new();
    let error = action_error(action);
    let k = RwSignal::new(round.k.to_string());
    let c = RwSignal::new(round.comment_min.to_string());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.bump();
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
fn AddQuestionForm(round_id: String, version: i64) -> impl IntoView {
    let reload = use_reload();
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
            reload.bump();
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
                action.dispatch(AddRoundQuestion { round_id: round_id.clone(), id: pending.get_untracked(), theme: theme.get_untracked(), kind: kind.get_untracked(), text_en: en.get_untracked(), text_zh: zh_text.get_untracked(), options: options.get_untracked(), distress_at: distress.get_untracked(), version: Some(version) });
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
