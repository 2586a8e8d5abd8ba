//! The action plans on a round's results page: those committed to, their
//! follow-ups and corrections, and the form for a new one.
use super::parts::theme_label;
use crate::i18n::*;
use crate::surveys::api::{CreateSurveyAction, EditSurveyAction, FollowUpSurveyAction};
use crate::surveys::model::{ActionPlan, ActionStatus, SurveyResults, Theme};
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, error_text, focus_first_invalid,
    url_done, url_error,
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
    let themes: Vec<Theme> = results.themes.iter().map(|t| t.0).collect();
    let owners = results.owners.clone();
    view! {
        <section class="card section" aria-labelledby="actions-title">
            <h2 id="actions-title">{t!(i18n, surveys.actions)}</h2>
            <PlainEditOutcome/>
            {if results.actions.is_empty() {
                view! { <p class="muted">{t!(i18n, surveys.no_actions)}</p> }.into_any()
            } else {
                view! {
                    <ul class="action-list" role="list">
                        {results.actions.into_iter().map(|a| view! { <ActionItem plan=a themes=themes.clone() owners=owners.clone()/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {can_act.then(|| view! { <NewActionForm round_id=results.round.id.clone() act_for=results.act_for.clone() owners=results.owners.clone() themes=results.themes.iter().map(|t| t.0).collect() focus saved/> })}
        </section>
    }
}

#[component]
fn ActionItem(
    plan: ActionPlan,
    themes: Vec<Theme>,
    owners: Vec<(String, String)>,
) -> impl IntoView {
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
            {plan.can_edit.then(|| view! { <EditActionForm plan=plan.clone() themes owners/> })}
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

/// Correcting an action's focus, text, owner and due date (those who may
/// commit to actions for its group); a plain form post before hydration.
#[component]
fn EditActionForm(
    plan: ActionPlan,
    themes: Vec<Theme>,
    owners: Vec<(String, String)>,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let edit = ServerAction::<EditSurveyAction>::new();
    // A plain post's answer is shown once for the section (`PlainEditOutcome`):
    // it does not say which of the page's actions it was.
    let error = action_error(edit);
    let done = Signal::derive(move || matches!(edit.value().get(), Some(Ok(_))));
    let form_id = format!("edit-action-{}", plan.id);
    focus_first_invalid(form_id.clone(), error);
    Effect::new(move |_| {
        if let Some(Ok(_)) = edit.value().get() {
            reload.bump();
        }
    });
    let focus = RwSignal::new(plan.focus.as_str().to_string());
    let text = RwSignal::new(plan.action.clone());
    let owner = RwSignal::new(plan.owner_id.clone());
    let due = RwSignal::new(plan.due_date.clone());
    let current = plan.focus;
    let focus_opts = Signal::derive(move || {
        let mut list = themes.clone();
        if !list.contains(&current) {
            list.push(current);
        }
        list.iter()
            .map(|t| {
                (
                    t.as_str().to_string(),
                    theme_label(i18n.get_locale(), *t).to_string(),
                )
            })
            .collect()
    });
    let owner_opts = Signal::derive(move || owners.clone());
    let id = StoredValue::new(plan.id.clone());
    let version = plan.version;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        edit.dispatch(EditSurveyAction {
            id: id.get_value(),
            version,
            focus: focus.get_untracked(),
            action: text.get_untracked(),
            owner_id: owner.get_untracked(),
            due_date: due.get_untracked(),
        });
    };
    let plain_action = <EditSurveyAction as leptos::server_fn::ServerFn>::url();
    let fid = form_id.clone();
    view! {
        <details data-testid="edit-action" open=error.get_untracked().is_some()>
            <summary>{t!(i18n, surveys.edit_action)}</summary>
            <form id=fid.clone() class="form-grid" method="post" action=plain_action novalidate on:submit=on_submit>
                <input type="hidden" name="id" value=id.get_value()/>
                <input type="hidden" name="version" value=version/>
                <FormAlert error/>
                <SelectField form=fid.clone() name="focus" value=focus options=focus_opts error>{t!(i18n, surveys.focus)}</SelectField>
                <TextField form=fid.clone() name="action" value=text error>{t!(i18n, surveys.action_text)}</TextField>
                <SelectField form=fid.clone() name="owner_id" value=owner options=owner_opts error>{t!(i18n, surveys.owner)}</SelectField>
                <TextField form=fid.clone() name="due_date" kind="date" value=due error>{t!(i18n, surveys.due)}</TextField>
                <div class="form-actions">
                    <button type="submit" class="btn" data-testid="save-action" disabled=move || edit.pending().get()>{t!(i18n, common.save)}</button>
                    <SuccessNote show=done>{move || t_string!(i18n, surveys.action_saved)}</SuccessNote>
                </div>
            </form>
        </details>
    }
}

/// What an action's correction sent as a plain form post (before the page
/// was interactive) came back with: saved, or the refusal with the field it
/// names, for the section (the answer does not say which action it was).
#[component]
fn PlainEditOutcome() -> impl IntoView {
    let i18n = use_i18n();
    let endpoint =
        <EditSurveyAction as leptos::server_fn::ServerFn>::url().trim_start_matches("/api/");
    let failed = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("failed");
    let error = url_error().filter(|_| failed.as_deref() == Some(endpoint));
    let saved = url_done(endpoint);
    view! {
        {error.map(|e| {
            let field = e.field.clone().map(|f| match f.as_str() {
                "focus" => t_string!(i18n, surveys.focus),
                "action" => t_string!(i18n, surveys.action_text),
                "owner_id" => t_string!(i18n, surveys.owner),
                "due_date" => t_string!(i18n, surveys.due),
                _ => "",
            });
            view! {
                <div class="alert alert-error" role="alert" data-testid="action-edit-error">
                    <Icon name="alert"/>
                    <span>{field.filter(|f| !f.is_empty()).map(|f| format!("{f}: "))}{move || error_text(i18n.get_locale(), e.code)}</span>
                </div>
            }
        })}
        <SuccessNote show=saved>{move || t_string!(i18n, surveys.action_saved)}</SuccessNote>
    }
}
