//! One item of a person's plan: what it is and where it stands, its
//! progress update (status, evidence, due date, cost) and its edit (kind,
//! title, competency); part of the person's growth page.
use super::parts::{
    RetiredBadge, competency_options, is_retired, kind_label, kind_options, money, name_of,
};
use crate::growth::api::{EditPlanItem, UpdatePlanItem};
use crate::growth::model::{Competency, ItemStatus, PlanItem, money_input};
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, TextField, action_error, error_text, focus_first_invalid,
};
use crate::ui::icons::Icon;
use crate::ui::is_zh;
use crate::ui::page::use_reload;
use leptos::prelude::*;

pub(super) fn item_status_label(locale: Locale, s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Planned => td_string!(locale, growth.status.planned),
        ItemStatus::InProgress => td_string!(locale, growth.status.in_progress),
        ItemStatus::Done => td_string!(locale, growth.status.done),
        ItemStatus::Dropped => td_string!(locale, growth.status.dropped),
    }
}

#[component]
pub(super) fn ItemView(
    item: PlanItem,
    comps: Vec<Competency>,
    currency: String,
    editable: bool,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<UpdatePlanItem>::new();
    let error = action_error(action);
    let status = RwSignal::new(item.status.as_str().to_string());
    let evidence = RwSignal::new(item.evidence.clone());
    let due = RwSignal::new(item.due_date.clone());
    let cost = RwSignal::new(money_input(item.cost));
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.bump();
        }
    });
    let id = StoredValue::new(item.id.clone());
    let version = item.version;
    let fid = format!("item-{}", item.id);
    let comp = StoredValue::new(comps);
    let cid = item.competency_id.clone();
    let retired_competency = comp.with_value(|c| is_retired(c, &cid));
    let kind = item.kind;
    let st = item.status;
    let msg = move |name: &'static str| {
        let fid = fid.clone();
        view! {
            <p class="field-msg" id=format!("{fid}-{name}-msg")>
                {move || error.get().filter(|e| e.is_for(name)).map(|e| view! { <span class="field-error"><Icon name="alert"/>{error_text(i18n.get_locale(), e.code)}</span> })}
            </p>
        }
    };
    let fid = format!("item-{}", item.id);
    let edit_item = item.clone();
    let evidence_text = item.evidence.clone();
    let is_link = evidence_text.starts_with("https://") || evidence_text.starts_with("http://");
    view! {
        <li class="plan-item" class:overdue=item.overdue data-testid="plan-item" data-title=item.title.clone() data-status=st.as_str()>
            <div class="plan-item-head">
                <span class="chip">{move || kind_label(i18n.get_locale(), kind)}</span>
                <span class="plan-item-title">{item.title.clone()}</span>
                <span class=format!("badge status-{}", st.as_str()) data-testid="item-status">{move || item_status_label(i18n.get_locale(), st)}</span>
                {item.overdue.then(|| view! { <span class="badge badge-bad" data-testid="item-overdue"><Icon name="alert"/>{t!(i18n, growth.overdue)}</span> })}
            </div>
            {item.carried_from.clone().map(|from| view! {
                <p class="muted small" data-testid="item-carried-from">{t!(i18n, growth.carried_from)} " " {from}</p>
            })}
            {item.carried_to.clone().map(|to| view! {
                <p class="muted small" data-testid="item-carried-to">{t!(i18n, growth.carried_to)} " " {to}</p>
            })}
            <div class="plan-item-meta">
                <span data-testid="item-competency">{move || comp.with_value(|c| name_of(c, &cid, is_zh(i18n)))} {retired_competency.then(|| view! { " " <RetiredBadge/> })}</span>
                <span>{t!(i18n, growth.due)} " " <span class="num">{item.due_date.clone()}</span></span>
                <span>{t!(i18n, growth.cost)} " " <span class="num">{money(item.cost, &currency)}</span></span>
                {(!evidence_text.is_empty()).then(|| view! {
                    <span data-testid="item-evidence">{t!(i18n, growth.evidence)} ": "
                        {if is_link { view! { <a href=evidence_text.clone() rel="noopener noreferrer" target="_blank">{evidence_text.clone()}</a> }.into_any() } else { view! { {evidence_text.clone()} }.into_any() }}
                    </span>
                })}
            </div>
            {editable.then(|| view! {
                <details>
                    <summary class="summary-button">{t!(i18n, growth.update_item)}</summary>
                    <form class="form-grid subform" id=fid.clone() on:submit=move |ev| {
                        ev.prevent_default();
                        action.dispatch(UpdatePlanItem { id: id.get_value(), version, status: status.get_untracked(), evidence: evidence.get_untracked(), due_date: due.get_untracked(), cost: cost.get_untracked() });
                    }>
                        <FormAlert error/>
                        <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("status")))>
                            <label for=format!("{fid}-status")>{t!(i18n, growth.item_status)}</label>
                            <select id=format!("{fid}-status") prop:value=move || status.get() on:change=move |ev| status.set(event_target_value(&ev)) aria-describedby=format!("{fid}-status-msg")>
                                {ItemStatus::ALL.iter().map(|s| {
                                    let v = s.as_str();
                                    let s = *s;
                                    view! { <option value=v selected=move || status.get() == v>{move || item_status_label(i18n.get_locale(), s)}</option> }
                                }).collect_view()}
                            </select>
                            {msg("status")}
                        </div>
                        <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("evidence")))>
                            <label for=format!("{fid}-evidence")>{t!(i18n, growth.evidence_label)}</label>
                            <input id=format!("{fid}-evidence") type="text" prop:value=move || evidence.get() on:input=move |ev| evidence.set(event_target_value(&ev)) aria-describedby=format!("{fid}-evidence-msg")/>
                            {msg("evidence")}
                        </div>
                        <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("due_date")))>
                            <label for=format!("{fid}-due")>{t!(i18n, growth.due)}</label>
                            <input id=format!("{fid}-due") type="date" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev)) aria-describedby=format!("{fid}-due_date-msg")/>
                            {msg("due_date")}
                        </div>
                        <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("cost")))>
                            <label for=format!("{fid}-cost")>{t!(i18n, growth.cost)}</label>
                            <input id=format!("{fid}-cost") type="text" inputmode="decimal" prop:value=move || cost.get() on:input=move |ev| cost.set(event_target_value(&ev)) aria-describedby=format!("{fid}-cost-msg")/>
                            {msg("cost")}
                        </div>
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary" data-testid="save-item">{t!(i18n, common.save)}</button>
                        </div>
                    </form>
                </details>
                <ItemEditForm item=edit_item comps=comp.get_value()/>
            })}
        </li>
    }
}

/// Changes what an item is: its kind, title and competency. The competency
/// it holds stays choosable when it has been retired since.
#[component]
fn ItemEditForm(item: PlanItem, comps: Vec<Competency>) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<EditPlanItem>::new();
    let error = action_error(action);
    let kind = RwSignal::new(item.kind.as_str().to_string());
    let title = RwSignal::new(item.title.clone());
    let competency = RwSignal::new(item.competency_id.clone());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.bump();
        }
    });
    let form_id = format!("item-edit-{}", item.id);
    focus_first_invalid(form_id.clone(), error);
    let id = StoredValue::new(item.id.clone());
    let version = item.version;
    let held = item.competency_id.clone();
    let options =
        Signal::derive(move || competency_options(&comps, i18n.get_locale(), Some(&held)));
    view! {
        <details>
            <summary class="summary-button">{t!(i18n, growth.edit_item)}</summary>
            <form class="form-grid subform" id=form_id.clone() on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(EditPlanItem { id: id.get_value(), version, kind: kind.get_untracked(), title: title.get_untracked(), competency_id: competency.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form=form_id.clone() name="kind" value=kind options=Signal::derive(move || kind_options(i18n.get_locale())) error>{t!(i18n, growth.kind_label)}</SelectField>
                <TextField form=form_id.clone() name="title" value=title error>{t!(i18n, growth.item_title)}</TextField>
                <SelectField form=form_id.clone() name="competency_id" value=competency options error>{t!(i18n, growth.competency)}</SelectField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="edit-item">{t!(i18n, growth.apply_changes)}</button>
                </div>
            </form>
        </details>
    }
}
