//! The action plans on a round's results page: those committed to, their
//! follow-ups, and the form for a new one.
use super::parts::theme_label;
use crate::i18n::*;
use crate::surveys::api::{CreateSurveyAction, FollowUpSurveyAction};
use crate::surveys::model::{ActionPlan, ActionStatus, SurveyResults, Theme};
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, error_text, focus_first_invalid,
};
use crate::ui::icons::Icon;
use crate::ui::new_id;
use crate::ui::page::use_reload;
use leptos::prelude::*;

#[component]
pub(super) fn ActionsSection(
    results: SurveyResults,
    focus: RwSignal<String>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let can_act = !results.act_for.is_empty();
    view! {
        <section class="card section" aria-labelledby="actions-title">
            <h2 id="actions-title">{t!(i18n, surveys.actions)}</h2>
            {if results.actions.is_empty() {
                view! { <p class="muted">{t!(i18n, surveys.no_actions)}</p> }.into_any()
            } else {
                view! {
                    <ul class="action-list" role="list">
                        {results.actions.into_iter().map(|a| view! { <ActionItem plan=a/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_act.then(|| view! { <NewActionForm round_id=results.round.id.clone() act_for=results.act_for.clone() owners=results.owners.clone() themes=results.themes.iter().map(|t| t.0).collect() focus saved/> })}
        </section>
    }
}

#[component]
fn ActionItem(plan: ActionPlan) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<FollowUpSurveyAction>::new();
    let error = action_error(action);
    let text = RwSignal::new(plan.follow_up.clone());
    let done = RwSignal::new(plan.status == ActionStatus::Done);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.bump();
        }
    });
    let focus = plan.focus;
    let (id, version) = (plan.id.clone(), plan.version);
    let form_id = format!("follow-{}", plan.id);
    let status = plan.status;
    view! {
        <li class="action-item" data-testid="action-item">
            <p>
                <span class=if status == ActionStatus::Done { "badge badge-ok" } else { "badge" } data-testid="action-status">
                    <Icon name=if status == ActionStatus::Done { "check" } else { "clock" }/>
                    {move || if status == ActionStatus::Done { t_string!(i18n, surveys.action_done) } else { t_string!(i18n, surveys.action_open) }}
                </span>
                " " <strong>{plan.action.clone()}</strong>
            </p>
            <p class="muted small">
                {move || theme_label(i18n.get_locale(), focus)}
                {(!plan.team.is_empty()).then(|| format!(" · {}", plan.team))}
                " · " {t!(i18n, surveys.owner)} " " {plan.owner.clone()} " · " {t!(i18n, surveys.due)} " " {plan.due_date.clone()}
            </p>
            {(!plan.follow_up.is_empty()).then(|| view! { <p class="follow-up" data-testid="follow-up"><Icon name="message"/>{plan.follow_up.clone()}</p> })}
            {plan.can_follow_up.then(|| {
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
    saved: RwSignal<bool>,
) -> impl IntoView {
    let reload = use_reload();
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
            reload.bump();
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
