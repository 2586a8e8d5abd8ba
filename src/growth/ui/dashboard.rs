//! `/growth/dashboard`: the training dashboard of a leader's teams, with the
//! competency heatmap.
use super::parts::{GrowthTabs, PeriodPicker, money, pct};
use crate::growth::api::load_growth_dashboard;
use crate::growth::model::{GrowthDashboard, PAGE_SIZE, heat_tone};
use crate::i18n::*;
use crate::ui::charts::{HEAT_NO_VALUE, HeatCell, Heatmap};
use crate::ui::icons::Icon;
use crate::ui::is_zh;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/growth/dashboard`: the training dashboard of a leader's teams.
#[component]
pub fn GrowthDashboardPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let data = page_resource(
        move || (q("period"), q("team"), q("page")),
        |(period, team, page)| load_growth_dashboard(period, team, page.parse().unwrap_or(0)),
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.dashboard_title).to_string())/>
        <GrowthTabs current="dashboard"/>
        <PageScaffold data let:d><DashboardView dashboard=d/></PageScaffold>
    }
}

fn dashboard_href(period: &str, team: &str, page: usize) -> String {
    let mut parts = Vec::new();
    if !period.is_empty() {
        parts.push(format!("period={}", crate::ui::url_encode(period)));
    }
    if !team.is_empty() {
        parts.push(format!("team={}", crate::ui::url_encode(team)));
    }
    if page > 0 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/growth/dashboard".into()
    } else {
        format!("/growth/dashboard?{}", parts.join("&"))
    }
}

#[component]
fn DashboardView(dashboard: GrowthDashboard) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let period_id = dashboard
        .period
        .as_ref()
        .map(|p| p.id.clone())
        .unwrap_or_default();
    let team = RwSignal::new(dashboard.team_filter.clone());
    let cur = dashboard.currency.clone();
    let completion = crate::growth::model::completion_of(
        dashboard.teams.iter().map(|t| t.done).sum(),
        dashboard.teams.iter().map(|t| t.items).sum(),
        dashboard.teams.iter().map(|t| t.dropped).sum(),
    );
    let mut team_opts = vec![(String::new(), String::new())];
    team_opts.extend(dashboard.team_choices.clone());
    let pid = period_id.clone();
    let comps = dashboard.competencies.clone();
    let table_comps = StoredValue::new(dashboard.competencies.clone());
    let table_people = dashboard.people.clone();
    let rows: Vec<String> = dashboard.people.iter().map(|p| p.name.clone()).collect();
    let people = dashboard.people.clone();
    let pages = dashboard.total_people.div_ceil(PAGE_SIZE);
    let page = dashboard.page;
    let filter = dashboard.team_filter.clone();
    let heat = move || {
        let zh = is_zh(i18n);
        let cells: Vec<Vec<HeatCell>> = people
            .iter()
            .map(|p| {
                p.heat
                    .iter()
                    .zip(comps.iter())
                    .map(|(h, c)| match h {
                        Some((a, e)) => {
                            let tone = heat_tone(*a, *e);
                            let sym = match tone {
                                i8::MIN..=-2 => "▼▼",
                                -1 => "▼",
                                0 => "●",
                                _ => "▲",
                            };
                            HeatCell {
                                text: format!("{a}/{e} {sym}"),
                                tone,
                                hidden: false,
                                title: format!(
                                    "{} · {}: {} {a}, {} {e}",
                                    p.name,
                                    c.names.get(zh),
                                    t_string!(i18n, growth.assessed),
                                    t_string!(i18n, growth.expected_now)
                                ),
                            }
                        }
                        None => HeatCell {
                            text: "—".into(),
                            tone: HEAT_NO_VALUE,
                            hidden: false,
                            title: format!(
                                "{} · {}: {}",
                                p.name,
                                c.names.get(zh),
                                t_string!(i18n, growth.not_assessed)
                            ),
                        },
                    })
                    .collect()
            })
            .collect();
        let cols: Vec<String> = comps.iter().map(|c| c.names.get(zh).to_string()).collect();
        view! { <Heatmap rows=rows.clone() cols cells label=t_string!(i18n, growth.heatmap).to_string()/> }
    };
    view! {
        <div class="section-head">
            {(!dashboard.periods.is_empty()).then(|| view! { <PeriodPicker periods=dashboard.periods.clone() current=dashboard.period.as_ref().map(|p| p.id.clone())/> })}
            <div class="field">
                <label for="dash-team">{t!(i18n, growth.team)}</label>
                <select id="dash-team" prop:value=move || team.get() on:change=move |ev| {
                    let v = event_target_value(&ev);
                    team.set(v.clone());
                    navigate(&dashboard_href(&pid, &v, 0), Default::default());
                }>
                    {team_opts.into_iter().map(|(v, l)| {
                        let v2 = v.clone();
                        view! { <option value=v.clone() selected=move || team.get() == v2>{if v.is_empty() { t_string!(i18n, growth.all_teams).to_string() } else { l }}</option> }
                    }).collect_view()}
                </select>
            </div>
        </div>
        {dashboard.period.is_none().then(|| view! { <p class="muted">{t!(i18n, growth.no_period)}</p> })}
        <div class="stat-tiles">
            <div class="stat-tile">
                <div class="stat-value" data-testid="dash-completion">{pct(completion)}</div>
                <div class="stat-label">{t!(i18n, growth.completion)}</div>
            </div>
            <div class="stat-tile">
                <div class="stat-value" data-testid="dash-overdue">{dashboard.overdue_total}</div>
                <div class="stat-label">{t!(i18n, growth.overdue_items)}</div>
            </div>
            <div class="stat-tile">
                <div class="stat-value" data-testid="dash-budget">{money(dashboard.budget_spent, &cur)}</div>
                <div class="stat-label">{t!(i18n, growth.spent)} " · " {t!(i18n, growth.budget)} " " {money(dashboard.budget_set, &cur)}</div>
                {(dashboard.budget_set > 0).then(|| {
                    let r = dashboard.budget_spent as f64 / dashboard.budget_set as f64;
                    let over = r > 1.0;
                    view! { <div class="meter" class:over=over aria-hidden="true"><span style=format!("width: {}%", (r.min(1.0) * 100.0).round())></span></div> }
                })}
            </div>
        </div>
        <section class="card section" aria-labelledby="teams-title">
            <h2 id="teams-title">{t!(i18n, growth.by_team)}</h2>
            <div class="table-wrap">
                <table class="table" data-testid="team-table">
                    <thead><tr>
                        <th scope="col">{t!(i18n, growth.team)}</th>
                        <th scope="col">{t!(i18n, growth.people)}</th>
                        <th scope="col">{t!(i18n, growth.items)}</th>
                        <th scope="col">{t!(i18n, growth.completion)}</th>
                        <th scope="col">{t!(i18n, growth.overdue_items)}</th>
                        <th scope="col">{t!(i18n, growth.budget_used)}</th>
                    </tr></thead>
                    <tbody>
                        {dashboard.teams.iter().map(|t| {
                            let over = t.budget.is_some_and(|b| t.spent > b);
                            view! {
                                <tr data-testid="team-row" data-team=t.name.clone()>
                                    <th scope="row">{t.name.clone()}</th>
                                    <td class="num">{t.people}</td>
                                    <td class="num">{t.items}</td>
                                    <td class="num" data-testid="team-completion">{pct(t.completion)}</td>
                                    <td class="num">{t.overdue}</td>
                                    <td class="num">{money(t.spent, &cur)} " / " {t.budget.map(|b| money(b, &cur)).unwrap_or_else(|| "—".into())}
                                        {over.then(|| view! { " " <span class="badge badge-bad"><Icon name="alert"/>{t!(i18n, growth.over_budget)}</span> })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card section" aria-labelledby="people-title">
            <h2 id="people-title">{t!(i18n, growth.by_person)} " " <span class="muted small num">{dashboard.total_people}</span></h2>
            {if dashboard.people.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.no_people)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="people-table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, growth.person)}</th>
                                <th scope="col">{t!(i18n, growth.team)}</th>
                                <th scope="col">{t!(i18n, growth.level)}</th>
                                <th scope="col">{t!(i18n, growth.completion)}</th>
                                <th scope="col">{t!(i18n, growth.overdue_items)}</th>
                                <th scope="col">{t!(i18n, growth.budget_used)}</th>
                            </tr></thead>
                            <tbody>
                                {dashboard.people.iter().map(|p| view! {
                                    <tr data-testid="person-row" data-name=p.name.clone()>
                                        <th scope="row"><a href=format!("/growth/people/{}", p.id)>{p.name.clone()}</a></th>
                                        <td>{p.team_name.clone()}</td>
                                        <td>{p.level.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td class="num" data-testid="person-completion">{pct(p.completion)}</td>
                                        <td class="num">{p.overdue}</td>
                                        <td class="num">{money(p.spent, &cur)} {p.budget.map(|b| format!(" / {}", money(b, &cur)))}
                                            {p.waiting.then(|| view! { " " <span class="badge badge-warn" data-testid="person-waiting"><Icon name="alert"/>{t!(i18n, growth.awaiting)}</span> })}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    {(pages > 1).then(|| view! {
                        <nav class="pager" aria-label=move || t_string!(i18n, growth.pages)>
                            {(page > 0).then(|| view! { <a class="btn btn-small" href=dashboard_href(&period_id, &filter, page - 1)>{t!(i18n, growth.previous)}</a> })}
                            <span class="muted small num">{page + 1} " / " {pages}</span>
                            {(page + 1 < pages).then(|| view! { <a class="btn btn-small" href=dashboard_href(&period_id, &filter, page + 1)>{t!(i18n, growth.next)}</a> })}
                        </nav>
                    })}
                }.into_any()
            }}
        </section>
        <section class="card section" aria-labelledby="heat-title">
            <h2 id="heat-title">{t!(i18n, growth.heatmap)}</h2>
            <p class="muted small">{t!(i18n, growth.heatmap_hint)}</p>
            {heat}
            <ul class="heat-legend">
                <li><span class="heat-swatch heat-m2"></span>"▼▼ " {t!(i18n, growth.legend_far_below)}</li>
                <li><span class="heat-swatch heat-m1"></span>"▼ " {t!(i18n, growth.legend_below)}</li>
                <li><span class="heat-swatch heat-0"></span>"● " {t!(i18n, growth.legend_meets)}</li>
                <li><span class="heat-swatch heat-p1"></span>"▲ " {t!(i18n, growth.legend_above)}</li>
                <li><span class="heat-swatch heat-none"></span>"— " {t!(i18n, growth.not_assessed)}</li>
            </ul>
            <details>
                <summary class="summary-button">{t!(i18n, growth.as_table)}</summary>
                <div class="table-wrap">
                    <table class="table" data-testid="heat-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, growth.person)}</th>
                            {move || table_comps.with_value(|cs| cs.iter().map(|c| view! { <th scope="col">{c.names.get(is_zh(i18n)).to_string()}</th> }).collect_view())}
                        </tr></thead>
                        <tbody>
                            {table_people.into_iter().map(|p| view! {
                                <tr>
                                    <th scope="row">{p.name.clone()}</th>
                                    {p.heat.iter().map(|h| view! {
                                        <td class="num">{h.map(|(a, e)| format!("{a} / {e}")).unwrap_or_else(|| "—".into())}</td>
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </section>
        <section class="card section" aria-labelledby="overdue-title">
            <h2 id="overdue-title">{t!(i18n, growth.overdue_items)} " " <span class="muted small num">{dashboard.overdue_total}</span></h2>
            {if dashboard.overdue.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.nothing_overdue)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list" role="list">
                        {dashboard.overdue.iter().map(|o| view! {
                            <li data-testid="overdue-item">
                                <a href=format!("/growth/people/{}", o.person_id)>{o.person_name.clone()}</a>
                                " · " {o.title.clone()} " · "
                                <span class="badge badge-bad"><Icon name="alert"/>{t!(i18n, growth.overdue)} " " <span class="num">{o.due_date.clone()}</span></span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
