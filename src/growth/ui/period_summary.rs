//! `/growth/periods/:id/summary`: what a closed period ended on, readable
//! for good — its dates, who closed it and when, the KPIs its close archived
//! with their final status (as text and icon, not colour alone), plan
//! completion per team and the items carried into the next period.
use super::parts::GrowthTabs;
use super::plan_item::item_status_label;
use crate::growth::api::load_period_summary;
use crate::growth::model::PeriodSummary;
use crate::i18n::*;
use crate::kpi::ui::StatusBadge;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PeriodSummaryPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let data = page_resource(id, load_period_summary);
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.summary_title).to_string())/>
        <GrowthTabs current="settings"/>
        <PageScaffold data let:s><SummaryView summary=s/></PageScaffold>
    }
}

#[component]
fn SummaryView(summary: PeriodSummary) -> impl IntoView {
    let i18n = use_i18n();
    let p = summary.period.clone();
    let carried_to = summary.carried_to.clone();
    view! {
        <section class="card section" aria-labelledby="summary-period" data-testid="period-summary">
            <h2 id="summary-period">{p.name.clone()}</h2>
            <dl class="facts">
                <dt>{t!(i18n, growth.summary_dates)}</dt>
                <dd class="num" data-testid="summary-dates">{p.start_date.clone()} " – " {p.end_date.clone()}</dd>
                <dt>{t!(i18n, growth.closed_on)}</dt>
                <dd data-testid="summary-closed">
                    <span class="num">{p.closed_at.as_deref().map(crate::calendar::minute_part).unwrap_or_default()}</span>
                    {p.closed_by.clone().map(|by| view! { " " {t!(i18n, growth.closed_by)} " " {by} })}
                </dd>
                {carried_to.map(|to| view! {
                    <dt>{t!(i18n, growth.summary_carried_to)}</dt>
                    <dd data-testid="summary-carried-to">{to}</dd>
                })}
            </dl>
            <p><a href="/growth/settings">{t!(i18n, growth.back_to_settings)}</a></p>
        </section>
        <section class="card section" aria-labelledby="summary-kpis">
            <h2 id="summary-kpis">{t!(i18n, growth.summary_kpis)}</h2>
            {if summary.kpis.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.summary_no_kpis)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="summary-kpi-table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, growth.kpi)}</th>
                                <th scope="col">{t!(i18n, growth.team)}</th>
                                <th scope="col">{t!(i18n, growth.due)}</th>
                                <th scope="col">{t!(i18n, growth.final_value)}</th>
                                <th scope="col">{t!(i18n, growth.final_status)}</th>
                            </tr></thead>
                            <tbody>
                                {summary.kpis.iter().map(|k| view! {
                                    <tr data-testid="summary-kpi" data-code=k.code.clone()>
                                        <th scope="row"><a href=format!("/kpis/{}", k.id)>{k.code.clone()} " " {k.name.clone()}</a></th>
                                        <td>{k.team_name.clone()}</td>
                                        <td class="num">{k.due_date.clone()}</td>
                                        <td class="num">{k.final_value.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</td>
                                        <td><StatusBadge status=k.final_status/></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="card section" aria-labelledby="summary-teams">
            <h2 id="summary-teams">{t!(i18n, growth.summary_teams)}</h2>
            {if summary.teams.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.no_plan_items)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="summary-team-table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, growth.team)}</th>
                                <th scope="col">{t!(i18n, growth.done_count)}</th>
                                <th scope="col">{t!(i18n, growth.carried_count)}</th>
                                <th scope="col">{t!(i18n, growth.total_count)}</th>
                            </tr></thead>
                            <tbody>
                                {summary.teams.iter().map(|t| {
                                    let name = t.team_name.clone();
                                    let label = if name.is_empty() { t!(i18n, growth.no_team).into_any() } else { name.clone().into_any() };
                                    view! {
                                        <tr data-testid="summary-team" data-name=name>
                                            <th scope="row">{label}</th>
                                            <td class="num">{t.done}</td>
                                            <td class="num">{t.carried}</td>
                                            <td class="num">{t.total}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
        <section class="card section" aria-labelledby="summary-carried">
            <h2 id="summary-carried">{t!(i18n, growth.summary_carried)}</h2>
            {if summary.carried.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.none_carried)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="summary-carried-table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, growth.person)}</th>
                                <th scope="col">{t!(i18n, growth.item_title)}</th>
                                <th scope="col">{t!(i18n, growth.status_at_close)}</th>
                            </tr></thead>
                            <tbody>
                                {summary.carried.iter().map(|c| {
                                    let st = c.status;
                                    view! {
                                        <tr data-testid="summary-carried-item" data-title=c.title.clone()>
                                            <td><a href=format!("/growth/people/{}", c.person_id)>{c.person_name.clone()}</a></td>
                                            <td>{c.title.clone()}</td>
                                            <td>{move || item_status_label(i18n.get_locale(), st)}</td>
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
