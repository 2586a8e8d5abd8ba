//! A person's plan of the period (its items, budget and approval) and the
//! catalog entries suggested for their largest gaps; part of the person's
//! growth page.
use super::parts::{competency_options, kind_label, kind_options, money, name_of, pct};
use super::plan_item::ItemView;
use crate::growth::api::{AddPlanItem, ApprovePlan};
use crate::growth::model::{Approval, ItemForm, PersonGrowth, money_input};
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, TextField, action_error, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::page::use_reload;
use crate::ui::{is_zh, new_id};
use leptos::prelude::*;

/// The plan of the period: completion, overdue, budget with the approval
/// state, its items and the form for a new one.
#[component]
pub(super) fn PlanSection(growth: PersonGrowth) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let plan = growth.plan.clone();
    let cur = growth.currency.clone();
    let approve = ServerAction::<ApprovePlan>::new();
    let approve_error = action_error(approve);
    Effect::new(move |_| {
        if let Some(Ok(_)) = approve.value().get() {
            reload.bump();
        }
    });
    let comps = StoredValue::new(growth.competencies.clone());
    let budget_text = match plan.budget {
        Some(b) => format!("{} {}", t_string!(i18n, growth.budget), money(b, &cur)),
        None => t_string!(i18n, growth.no_budget).to_string(),
    };
    let used_ratio = plan
        .budget
        .filter(|b| *b > 0)
        .map(|b| plan.spent as f64 / b as f64);
    let plan_id = StoredValue::new(plan.id.clone().unwrap_or_default());
    let version = plan.version;
    let can_approve = growth.rights.approve;
    let editable = growth.rights.edit_plan;
    let items = plan.items.clone();
    let empty = items.is_empty();
    let currency = StoredValue::new(cur.clone());
    view! {
        <section class="card section" aria-labelledby="plan-title" data-testid="plan">
            <h2 id="plan-title">{t!(i18n, growth.plan)} {growth.period.as_ref().map(|p| format!(" · {}", p.name))}</h2>
            {growth.period.as_ref().filter(|p| p.is_closed()).map(|_| view! {
                <p class="alert alert-info" data-testid="plan-read-only"><Icon name="lock"/> {t!(i18n, growth.plan_read_only)}</p>
            })}
            <div class="stat-tiles">
                <div class="stat-tile">
                    <div class="stat-value" data-testid="plan-completion">{pct(plan.completion)}</div>
                    <div class="stat-label">{t!(i18n, growth.completion)}</div>
                    <div class="meter" aria-hidden="true"><span style=format!("width: {}%", (plan.completion.unwrap_or(0.0) * 100.0).round())></span></div>
                </div>
                <div class="stat-tile">
                    <div class="stat-value" data-testid="plan-overdue">{plan.overdue}</div>
                    <div class="stat-label">{t!(i18n, growth.overdue_items)}</div>
                </div>
                <div class="stat-tile">
                    <div class="stat-value" data-testid="plan-spent">{money(plan.spent, &cur)}</div>
                    <div class="stat-label">{t!(i18n, growth.spent)} " · " {budget_text}</div>
                    {used_ratio.map(|r| { let over = r > 1.0; view! {
                        <div class="meter" class:over=over aria-hidden="true"><span style=format!("width: {}%", (r.min(1.0) * 100.0).round())></span></div>
                    }})}
                </div>
            </div>
            {match plan.approval {
                Approval::Waiting => view! {
                    <div class="alert alert-warn" role="status" data-testid="plan-waiting">
                        <Icon name="alert"/>
                        <div>
                            <strong>{t!(i18n, growth.over_budget)}</strong> " "
                            {t!(i18n, growth.waits_for_approval)}
                            {plan.team_budget.filter(|b| plan.team_spent > *b).map(|b| view! {
                                " " {t!(i18n, growth.team_over)} " " <span class="num">{money(plan.team_spent, &cur)} " / " {money(b, &cur)}</span>
                            })}
                            <FormAlert error=approve_error/>
                            {can_approve.then(|| view! {
                                <div class="form-actions">
                                    <button type="button" class="btn btn-primary" data-testid="approve-plan"
                                        on:click=move |_| { approve.dispatch(ApprovePlan { plan_id: plan_id.get_value(), version }); }>
                                        {t!(i18n, growth.approve)}
                                    </button>
                                </div>
                            })}
                        </div>
                    </div>
                }.into_any(),
                Approval::Approved => view! {
                    <div class="alert alert-ok" role="status" data-testid="plan-approved">
                        <Icon name="check"/>
                        <span>{t!(i18n, growth.approved_by)} " " {plan.approved_by.clone().unwrap_or_default()} " · " {money(plan.approved_cost.unwrap_or(0), &cur)}</span>
                    </div>
                }.into_any(),
                Approval::WithinBudget => ().into_any(),
            }}
            {if empty {
                view! { <p class="muted" data-testid="plan-empty">{t!(i18n, growth.plan_empty)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plan-items" role="list">
                        {items.into_iter().map(|item| {
                            let comp = comps.with_value(|c| c.clone());
                            view! { <ItemView item comps=comp currency=currency.get_value() editable/> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {editable.then(|| view! { <NewItemForm growth=growth.clone()/> })}
        </section>
    }
}

#[component]
fn NewItemForm(growth: PersonGrowth) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<AddPlanItem>::new();
    let error = action_error(action);
    let kind = RwSignal::new("course".to_string());
    let title = RwSignal::new(String::new());
    let comp = RwSignal::new(
        growth
            .competencies
            .iter()
            .find(|c| !c.retired)
            .map(|c| c.id.clone())
            .unwrap_or_default(),
    );
    let due = RwSignal::new(
        growth
            .period
            .as_ref()
            .map(|p| p.end_date.clone())
            .unwrap_or_default(),
    );
    let cost = RwSignal::new(String::new());
    let pending_id = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            title.set(String::new());
            cost.set(String::new());
            pending_id.set(new_id());
            reload.bump();
        }
    });
    focus_first_invalid("item-form", error);
    let comps = growth.competencies.clone();
    let person = StoredValue::new(growth.person_id.clone());
    let period = StoredValue::new(
        growth
            .period
            .as_ref()
            .map(|p| p.id.clone())
            .unwrap_or_default(),
    );
    view! {
        <details class="subform">
            <summary class="summary-button" data-testid="add-item-toggle">{t!(i18n, growth.add_item)}</summary>
            <form id="item-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(AddPlanItem {
                    id: pending_id.get_untracked(),
                    person_id: person.get_value(),
                    period_id: period.get_value(),
                    form: ItemForm { kind: kind.get_untracked(), title: title.get_untracked(), competency_id: comp.get_untracked(), due_date: due.get_untracked(), cost: cost.get_untracked(), evidence: String::new(), catalog_id: String::new() },
                });
            }>
                <FormAlert error/>
                <SelectField form="item-form" name="kind" value=kind options=Signal::derive(move || kind_options(i18n.get_locale())) error>{t!(i18n, growth.kind_label)}</SelectField>
                <TextField form="item-form" name="title" value=title error>{t!(i18n, growth.item_title)}</TextField>
                <SelectField form="item-form" name="competency_id" value=comp options=Signal::derive(move || competency_options(&comps, i18n.get_locale(), None)) error>{t!(i18n, growth.competency)}</SelectField>
                <TextField form="item-form" name="due_date" kind="date" value=due error>{t!(i18n, growth.due)}</TextField>
                <TextField form="item-form" name="cost" value=cost error hint=Signal::derive(move || growth.currency.clone())>{t!(i18n, growth.cost)}</TextField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="add-item">{t!(i18n, growth.add_item)}</button>
                </div>
            </form>
        </details>
    }
}

/// Catalog entries for the largest gaps, each one click from the plan.
#[component]
pub(super) fn Suggestions(growth: PersonGrowth) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<AddPlanItem>::new();
    let error = action_error(action);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.bump();
        }
    });
    let comps = StoredValue::new(growth.competencies.clone());
    let person = StoredValue::new(growth.person_id.clone());
    let period = StoredValue::new(
        growth
            .period
            .as_ref()
            .map(|p| p.id.clone())
            .unwrap_or_default(),
    );
    let due = StoredValue::new(
        growth
            .period
            .as_ref()
            .map(|p| p.end_date.clone())
            .unwrap_or_default(),
    );
    let cur = growth.currency.clone();
    let list = growth.suggestions.clone();
    view! {
        <section class="card section" aria-labelledby="suggestions-title" data-testid="suggestions">
            <h2 id="suggestions-title">{t!(i18n, growth.suggestions)}</h2>
            <p class="muted small">{t!(i18n, growth.suggestions_hint)}</p>
            <FormAlert error/>
            {if list.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.no_suggestions)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plan-items" role="list">
                        {list.into_iter().map(|s| {
                            let e = s.entry.clone();
                            let kind = e.kind;
                            let cid = s.competency_id.clone();
                            let cid2 = cid.clone();
                            let title = e.title.clone();
                            let cost = e.cost;
                            let cat = e.id.clone();
                            view! {
                                <li class="plan-item" data-testid="suggestion" data-title=e.title.clone()>
                                    <div class="plan-item-head">
                                        <span class="chip">{move || kind_label(i18n.get_locale(), kind)}</span>
                                        <span class="plan-item-title">{e.title.clone()}</span>
                                        <span class="badge badge-warn">{move || comps.with_value(|c| name_of(c, &cid, is_zh(i18n)))} " +" {s.gap}</span>
                                    </div>
                                    <div class="plan-item-meta">
                                        <span>{t!(i18n, growth.cost)} " " <span class="num">{money(e.cost, &cur)}</span></span>
                                        <span>{e.language.to_uppercase()}</span>
                                        {(!e.link.is_empty()).then(|| view! { <a href=e.link.clone() rel="noopener noreferrer" target="_blank">{t!(i18n, growth.open_link)}</a> })}
                                    </div>
                                    <button type="button" class="btn btn-small" data-testid="add-suggestion" on:click=move |_| {
                                        action.dispatch(AddPlanItem {
                                            id: new_id(),
                                            person_id: person.get_value(),
                                            period_id: period.get_value(),
                                            form: ItemForm { kind: kind.as_str().into(), title: title.clone(), competency_id: cid2.clone(), due_date: due.get_value(), cost: money_input(cost), evidence: String::new(), catalog_id: cat.clone() },
                                        });
                                    }>{t!(i18n, growth.add_to_plan)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
