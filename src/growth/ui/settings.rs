//! `/growth/settings`: periods (admins add and edit them) and training budgets.
use super::parts::{GrowthTabs, PeriodPicker, money};
use crate::growth::api::{
    ClosePeriod, CreatePeriod, SetBudget, UpdatePeriod, load_growth_settings,
};
use crate::growth::model::{BudgetRow, ClosePreview, Period, money_input};
use crate::i18n::*;
use crate::kpi::ui::StatusBadge;
use crate::ui::form::{
    FormAlert, SuccessNote, TextField, action_error, error_text, focus_first_invalid, form_error,
    url_done,
};
use crate::ui::icons::Icon;
use crate::ui::new_id;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// `/growth/settings`: periods (admins add them) and training budgets.
#[component]
pub fn GrowthSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reload = Reload::provide();
    // Whose budget was saved last; lives outside the view the save's reload replaces.
    let saved_budget = RwSignal::new(None::<String>);
    let saved_period = RwSignal::new(None::<String>);
    // A period was closed (here, or by a plain post before hydration).
    let closed = RwSignal::new(url_done("close_period"));
    let data = page_resource(
        move || {
            (
                query.with(|q| q.get("period").unwrap_or_default()),
                reload.get(),
            )
        },
        |(p, _)| load_growth_settings(p),
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.settings_title).to_string())/>
        <GrowthTabs current="settings"/>
        <div data-testid="budget-saved">
            <SuccessNote show=Signal::derive(move || saved_budget.with(|s| s.is_some()))>
                {move || saved_budget.get().map(|name| view! { {t!(i18n, growth.budget_saved)} " " {name} })}
            </SuccessNote>
        </div>
        <div data-testid="period-closed">
            <SuccessNote show=Signal::derive(move || closed.get())>{t!(i18n, growth.period_closed_done)}</SuccessNote>
        </div>
        <div data-testid="period-saved">
            <SuccessNote show=Signal::derive(move || saved_period.with(|s| s.is_some()))>
                {move || saved_period.get().map(|name| view! { {t!(i18n, growth.period_saved)} " " {name} })}
            </SuccessNote>
        </div>
        <PageScaffold data let:s>
            {
                let period_id = s.period.as_ref().map(|p| p.id.clone()).unwrap_or_default();
                let cur = s.currency.clone();
                view! {
                    <section class="card section" aria-labelledby="periods-title">
                        <h2 id="periods-title">{t!(i18n, growth.periods)}</h2>
                        {if s.periods.is_empty() {
                            view! { <p class="muted">{t!(i18n, growth.no_period)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="plain-list" role="list">
                                    {s.periods.iter().map(|p| {
                                        let preview = s.closing.iter().find(|c| c.period.id == p.id).cloned();
                                        view! { <PeriodRow period=p.clone() can_edit=s.can_add_period saved=saved_period preview closed/> }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {s.can_add_period.then(|| view! { <NewPeriodForm/> })}
                    </section>
                    {s.period.clone().map(|p| {
                        let budgets = s.budgets.clone();
                        let periods = s.periods.clone();
                        let pid = period_id.clone();
                        let cur = cur.clone();
                        view! {
                            <section class="card section" aria-labelledby="budgets-title">
                                <div class="section-head">
                                    <h2 id="budgets-title">{t!(i18n, growth.budgets)} " · " {p.name.clone()}</h2>
                                    <PeriodPicker periods current=Some(pid.clone())/>
                                </div>
                                <p class="muted small">{t!(i18n, growth.budgets_hint)} " (" {cur.clone()} ")"</p>
                                <div class="table-wrap">
                                    <table class="table" data-testid="budget-table">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, growth.budget_for)}</th>
                                            <th scope="col">{t!(i18n, growth.spent)}</th>
                                            <th scope="col">{t!(i18n, growth.budget)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {budgets.into_iter().map(|b| view! { <BudgetRowView budget=b period_id=pid.clone() currency=cur.clone() saved=saved_budget/> }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            </section>
                        }
                    })}
                }
            }
        </PageScaffold>
    }
}

#[component]
fn BudgetRowView(
    budget: BudgetRow,
    period_id: String,
    currency: String,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<SetBudget>::new();
    let error = action_error(action);
    let amount = RwSignal::new(budget.amount.map(money_input).unwrap_or_default());
    let who = StoredValue::new(budget.name.clone());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            saved.set(Some(who.get_value()));
            reload.bump();
        }
    });
    let fid = format!("budget-{}-{}", budget.scope, budget.subject_id);
    let period = StoredValue::new(period_id);
    let scope = StoredValue::new(budget.scope.clone());
    let subject = StoredValue::new(budget.subject_id.clone());
    let version = budget.version;
    let over = budget.amount.is_some_and(|a| budget.spent > a);
    let is_team = budget.scope == "team";
    view! {
        <tr data-testid="budget-row" data-name=budget.name.clone()>
            <th scope="row">{budget.name.clone()} " " <span class="chip">{move || if is_team { t_string!(i18n, growth.team) } else { t_string!(i18n, growth.person) }}</span></th>
            <td class="num">{money(budget.spent, &currency)} {over.then(|| view! { " " <span class="badge badge-bad"><Icon name="alert"/>{t!(i18n, growth.over_budget)}</span> })}</td>
            <td>
                <form class="inline-form" id=fid.clone() on:submit=move |ev| {
                    ev.prevent_default();
                    action.dispatch(SetBudget { period_id: period.get_value(), scope: scope.get_value(), subject_id: subject.get_value(), amount: amount.get_untracked(), version });
                }>
                    <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("amount")))>
                        <label class="sr-only" for=format!("{fid}-amount")>{t!(i18n, growth.budget)} " " {budget.name.clone()}</label>
                        <input id=format!("{fid}-amount") type="text" inputmode="decimal" size="10" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                        <p class="field-msg" role="alert">{move || error.get().map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
                    </div>
                    <button type="submit" class="btn btn-small" data-testid="save-budget">{t!(i18n, common.save)}</button>
                </form>
            </td>
        </tr>
    }
}

/// One period; admins edit its name and dates in place and close it. A
/// closed period says when and by whom, and links to its summary.
#[component]
fn PeriodRow(
    period: Period,
    can_edit: bool,
    saved: RwSignal<Option<String>>,
    preview: Option<ClosePreview>,
    closed: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_closed = period.is_closed();
    view! {
        <li data-testid="period" data-name=period.name.clone() data-closed=if is_closed { "true" } else { "false" }>
            <strong>{period.name.clone()}</strong> " " <span class="muted num">{period.start_date.clone()} " – " {period.end_date.clone()}</span>
            {period.closed_at.clone().map(|at| view! {
                " " <span class="badge" data-testid="period-closed-badge"><Icon name="lock"/>{t!(i18n, growth.closed)}</span>
                " " <span class="muted small">{t!(i18n, growth.closed_on)} " " <span class="num">{crate::calendar::minute_part(&at)}</span>
                    {period.closed_by.clone().map(|by| view! { " " {t!(i18n, growth.closed_by)} " " {by} })}
                </span>
                " " <a href=format!("/growth/periods/{}/summary", period.id) data-testid="period-summary-link">{t!(i18n, growth.view_summary)} " · " {period.name.clone()}</a>
            })}
            {(can_edit && !is_closed).then(|| view! { <PeriodEditForm period=period.clone() saved/> })}
            {preview.map(|preview| view! { <ClosePeriodForm preview closed/> })}
        </li>
    }
}

/// Closing a period (admins): one confirmation that says what the close
/// does (the KPIs it archives by the status they end on, the unfinished
/// items) with the choice to carry those into the next period. A plain
/// form post before the page is interactive.
#[component]
fn ClosePeriodForm(preview: ClosePreview, closed: RwSignal<bool>) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<ClosePeriod>::new();
    let error = form_error(action);
    let p = preview.period.clone();
    let can_carry = preview.next.is_some();
    let carry = RwSignal::new(can_carry && preview.unfinished > 0);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            closed.set(true);
            reload.bump();
        }
    });
    let id = StoredValue::new(p.id.clone());
    let version = p.version;
    let form_id = format!("close-{}", p.id);
    let plain_action = <ClosePeriod as leptos::server_fn::ServerFn>::url();
    let name = p.name.clone();
    let label_name = p.name.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        closed.set(false);
        action.dispatch(ClosePeriod {
            period_id: id.get_value(),
            version,
            carry_over: carry.get_untracked(),
        });
    };
    let kpis = preview.kpis.clone();
    let initially = carry.get_untracked();
    view! {
        // Open again when a plain post came back refused, to show why.
        <details class="period-close" data-testid="close-period" open=error.get_untracked().is_some()>
            <summary class="summary-button small" aria-label=move || format!("{} {}", t_string!(i18n, growth.close_period), label_name)>{t!(i18n, growth.close_period)}</summary>
            <form id=form_id class="subform" method="post" action=plain_action novalidate on:submit=submit>
                <input type="hidden" name="period_id" value=id.get_value()/>
                <input type="hidden" name="version" value=version.to_string()/>
                <p class="muted small">{t!(i18n, growth.close_hint)}</p>
                <h3>{t!(i18n, growth.close_kpis)}</h3>
                {if kpis.is_empty() {
                    view! { <p class="muted" data-testid="close-no-kpis">{t!(i18n, growth.close_no_kpis)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list" role="list" data-testid="close-kpis">
                            {kpis.into_iter().map(|(s, n)| view! {
                                <li data-status=s.as_str()><StatusBadge status=s/> " " <span class="num" data-testid="close-kpi-count">{n}</span></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <p>{t!(i18n, growth.close_unfinished)} ": " <strong class="num" data-testid="close-unfinished">{preview.unfinished}</strong></p>
                {match preview.next.clone() {
                    Some((_, next)) => view! {
                        <label class="check">
                            // `checked` in the HTML too, for the form before hydration.
                            <input type="checkbox" name="carry_over" value="true" checked=initially
                                prop:checked=move || carry.get()
                                on:change=move |ev| carry.set(event_target_checked(&ev))/>
                            {t!(i18n, growth.carry_over_to)} " " {next}
                        </label>
                    }.into_any(),
                    None => view! { <p class="muted small" data-testid="no-next-period">{t!(i18n, growth.no_next_period_hint)}</p> }.into_any(),
                }}
                <FormAlert error/>
                <div class="form-actions">
                    <button type="submit" class="btn btn-danger" data-testid="confirm-close" disabled=move || action.pending().get()>
                        {t!(i18n, growth.confirm_close)} " · " {name}
                    </button>
                </div>
            </form>
        </details>
    }
}

#[component]
fn PeriodEditForm(period: Period, saved: RwSignal<Option<String>>) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<UpdatePeriod>::new();
    let error = action_error(action);
    let name = RwSignal::new(period.name.clone());
    let start = RwSignal::new(period.start_date.clone());
    let end = RwSignal::new(period.end_date.clone());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            saved.set(Some(name.get_untracked()));
            reload.bump();
        }
    });
    let form_id = format!("period-edit-{}", period.id);
    focus_first_invalid(form_id.clone(), error);
    let id = StoredValue::new(period.id.clone());
    let version = period.version;
    view! {
        <details class="period-edit">
            <summary class="summary-button small" aria-label=move || format!("{} {}", t_string!(i18n, growth.edit_period), period.name)>{t!(i18n, common.edit)}</summary>
            <form id=form_id.clone() class="form-grid subform" on:submit=move |ev| {
                ev.prevent_default();
                saved.set(None);
                action.dispatch(UpdatePeriod { id: id.get_value(), version, name: name.get_untracked(), start_date: start.get_untracked(), end_date: end.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form=form_id.clone() name="name" value=name error>{t!(i18n, growth.period_name)}</TextField>
                <TextField form=form_id.clone() name="start_date" kind="date" value=start error>{t!(i18n, growth.start)}</TextField>
                <TextField form=form_id.clone() name="end_date" kind="date" value=end error>{t!(i18n, growth.end)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary" data-testid="save-period">{t!(i18n, growth.save_period)}</button></div>
            </form>
        </details>
    }
}

#[component]
fn NewPeriodForm() -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<CreatePeriod>::new();
    let error = action_error(action);
    let name = RwSignal::new(String::new());
    let start = RwSignal::new(String::new());
    let end = RwSignal::new(String::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            name.set(String::new());
            pending.set(new_id());
            reload.bump();
        }
    });
    focus_first_invalid("period-form", error);
    view! {
        <form id="period-form" class="form-grid subform" on:submit=move |ev| {
            ev.prevent_default();
            action.dispatch(CreatePeriod { id: pending.get_untracked(), name: name.get_untracked(), start_date: start.get_untracked(), end_date: end.get_untracked() });
        }>
            <FormAlert error/>
            <TextField form="period-form" name="name" value=name error>{t!(i18n, growth.period_name)}</TextField>
            <TextField form="period-form" name="start_date" kind="date" value=start error>{t!(i18n, growth.start)}</TextField>
            <TextField form="period-form" name="end_date" kind="date" value=end error>{t!(i18n, growth.end)}</TextField>
            <div class="form-actions"><button type="submit" class="btn btn-primary">{t!(i18n, growth.add_period)}</button></div>
        </form>
    }
}
