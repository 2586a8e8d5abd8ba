//! `/kpis`: the dashboard of KPI cards, with its filters and the CSV of
//! check-ins.
use super::parts::{KpiTabs, ProgressBar, StatusBadge, percent, status_label};
use super::sparkline::Sparkline;
use crate::error::AppError;
use crate::i18n::*;
use crate::kpi::api::{ImportCheckins, load_kpi_dashboard};
use crate::kpi::model::{KpiCard, KpiStatus};
use crate::ui::charts::short_number;
use crate::ui::csv_import::{CommitButton, CsvImport, CsvImportLabels, CsvUpload};
use crate::ui::form::{SelectField, TextField};
use crate::ui::icons::Icon;
use crate::ui::page::PageHeader;
use crate::ui::page::Reload;
use crate::ui::page::{PageScaffold, page_resource};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// `/kpis`: cards of every KPI the person may see, grouped by team.
#[component]
pub fn KpisPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let reload = Reload::provide();
    let data = page_resource(
        move || {
            (
                (q("team"), q("pm"), q("status"), q("page")),
                (q("q"), q("period"), q("from"), q("to")),
                reload.get(),
            )
        },
        |((team, pm, status, page), (search, period, from, to), _)| {
            load_kpi_dashboard(
                team,
                pm,
                status,
                page.parse().unwrap_or(0),
                search,
                period,
                from,
                to,
            )
        },
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.title).to_string())/>
        <KpiTabs current="kpis"/>
        <PageScaffold data=data let:d>
            {view! { <Dashboard dashboard=d/> }.into_any()}
        </PageScaffold>
        // Outside the transition: an import's report outlives the reload it causes.
        <CsvSection/>
    }
}

/// The dashboard's query keys: its filters, then the page.
const FILTERS: [&str; 8] = ["team", "pm", "status", "q", "period", "from", "to", "page"];

/// Builds `/kpis?…` with one filter changed (and the page reset).
fn with_filter(query: &leptos_router::params::ParamsMap, key: &str, value: &str) -> String {
    with_filters(query, &[(key, value.to_string())])
}

/// Builds `/kpis?…` with some filters changed (and the page reset unless
/// it is one of them).
fn with_filters(query: &leptos_router::params::ParamsMap, changed: &[(&str, String)]) -> String {
    let mut parts = Vec::new();
    for k in FILTERS {
        let v = if let Some((_, v)) = changed.iter().find(|(c, _)| *c == k) {
            v.clone()
        } else if k == "page" {
            String::new()
        } else {
            query.get(k).unwrap_or_default()
        };
        if !v.is_empty() {
            parts.push(format!("{k}={}", crate::ui::url_encode(&v)));
        }
    }
    if parts.is_empty() {
        "/kpis".into()
    } else {
        format!("/kpis?{}", parts.join("&"))
    }
}

#[component]
fn Dashboard(dashboard: crate::kpi::model::KpiDashboard) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let team = RwSignal::new(query.with_untracked(|q| q.get("team").unwrap_or_default()));
    let pm = RwSignal::new(query.with_untracked(|q| q.get("pm").unwrap_or_default()));
    let status = RwSignal::new(query.with_untracked(|q| q.get("status").unwrap_or_default()));
    let search = RwSignal::new(query.with_untracked(|q| q.get("q").unwrap_or_default()));
    let period = RwSignal::new(query.with_untracked(|q| q.get("period").unwrap_or_default()));
    let from = RwSignal::new(query.with_untracked(|q| q.get("from").unwrap_or_default()));
    let to = RwSignal::new(query.with_untracked(|q| q.get("to").unwrap_or_default()));
    // A custom period that ends before it starts is named at its field, and
    // the list keeps its last good period.
    let dates_error = Signal::derive(move || {
        let (a, b) = (from.get(), to.get());
        (period.get() == "custom" && !a.is_empty() && !b.is_empty() && b < a)
            .then(|| AppError::field(crate::error::ErrorCode::DueBeforeStart, "to"))
    });
    let period_opts = Signal::derive(move || {
        let l = i18n.get_locale();
        vec![
            (
                String::new(),
                td_string!(l, kpis.period_filter.any).to_string(),
            ),
            (
                "this_quarter".into(),
                td_string!(l, kpis.period_filter.this_quarter).to_string(),
            ),
            (
                "last_quarter".into(),
                td_string!(l, kpis.period_filter.last_quarter).to_string(),
            ),
            (
                "custom".into(),
                td_string!(l, kpis.period_filter.custom).to_string(),
            ),
        ]
    });
    let no_error = Signal::derive(|| None::<AppError>);
    let mut team_opts = vec![(String::new(), String::new())];
    team_opts.extend(dashboard.teams.clone());
    let mut pm_opts = vec![(String::new(), String::new())];
    pm_opts.extend(dashboard.pms.clone());
    let team_opts = Signal::derive(move || {
        let all = t_string!(i18n, kpis.all_teams).to_string();
        team_opts
            .iter()
            .map(|(v, l)| {
                (
                    v.clone(),
                    if v.is_empty() { all.clone() } else { l.clone() },
                )
            })
            .collect::<Vec<_>>()
    });
    let pm_opts = Signal::derive(move || {
        let all = t_string!(i18n, kpis.all_pms).to_string();
        pm_opts
            .iter()
            .map(|(v, l)| {
                (
                    v.clone(),
                    if v.is_empty() { all.clone() } else { l.clone() },
                )
            })
            .collect::<Vec<_>>()
    });
    let status_opts = Signal::derive(move || {
        let locale = i18n.get_locale();
        let mut v = vec![(
            String::new(),
            t_string!(i18n, kpis.all_statuses).to_string(),
        )];
        for s in KpiStatus::ALL {
            v.push((s.as_str().to_string(), status_label(locale, s).to_string()));
        }
        v.push(("stale".into(), td_string!(locale, kpis.stale).to_string()));
        v
    });
    // Any change of a filter reloads the list with every filter as shown
    // (a custom period only once its dates make sense).
    let navigate_filters = navigate.clone();
    Effect::new(move |prev: Option<()>| {
        let changed = [
            ("team", team.get()),
            ("pm", pm.get()),
            ("status", status.get()),
            ("period", period.get()),
            ("from", from.get()),
            ("to", to.get()),
        ];
        if prev.is_some() && dates_error.get_untracked().is_none() {
            let url = query.with_untracked(|q| with_filters(q, &changed));
            navigate_filters(&url, Default::default());
        }
    });
    let navigate_apply = navigate.clone();
    let on_apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if dates_error.get_untracked().is_some() {
            return;
        }
        let changed = [
            ("q", search.get_untracked()),
            ("period", period.get_untracked()),
            ("from", from.get_untracked()),
            ("to", to.get_untracked()),
        ];
        let url = query.with_untracked(|q| with_filters(q, &changed));
        navigate_apply(&url, Default::default());
    };
    let navigate_search = navigate.clone();
    let on_search = move |_| {
        let url = query.with_untracked(|q| with_filter(q, "q", &search.get_untracked()));
        navigate_search(&url, Default::default());
    };
    let counts = dashboard.counts.clone();
    let total = dashboard.total;
    let first = dashboard.page * crate::kpi::model::PAGE_SIZE;
    let last_page = first + crate::kpi::model::PAGE_SIZE >= total;
    let page = dashboard.page;
    let prev_href =
        query.with_untracked(|q| with_filter(q, "page", &page.saturating_sub(1).to_string()));
    let next_href = query.with_untracked(|q| with_filter(q, "page", &(page + 1).to_string()));
    let mut groups: Vec<(String, Vec<KpiCard>)> = Vec::new();
    for c in dashboard.cards.clone() {
        match groups.last_mut() {
            Some((name, list)) if *name == c.team_name => list.push(c),
            _ => groups.push((c.team_name.clone(), vec![c])),
        }
    }
    let empty = dashboard.total == 0;
    let filtered = !query.with_untracked(|q| {
        FILTERS[..7]
            .iter()
            .all(|k| q.get(k).unwrap_or_default().is_empty())
    });
    view! {
        // A plain GET form: the filters work before the page is interactive;
        // after, each change reloads the list at once.
        <form id="kpi-filter" class="filters" method="get" action="/kpis" on:submit=on_apply>
            <label class="search">
                <span class="sr-only">{t!(i18n, kpis.search)}</span>
                <input type="search" name="q" placeholder=move || t_string!(i18n, kpis.search) bind:value=search on:change=on_search data-testid="kpi-search"/>
            </label>
            <SelectField form="kpi-filter" name="team" value=team options=team_opts error=no_error>{t!(i18n, kpis.team)}</SelectField>
            <SelectField form="kpi-filter" name="pm" value=pm options=pm_opts error=no_error>{t!(i18n, kpis.pm)}</SelectField>
            <SelectField form="kpi-filter" name="status" value=status options=status_opts error=no_error>{t!(i18n, kpis.status_label)}</SelectField>
            <SelectField form="kpi-filter" name="period" value=period options=period_opts error=no_error>{t!(i18n, kpis.period_filter.label)}</SelectField>
            <Show when=move || period.get() == "custom">
                <TextField form="kpi-filter" name="from" kind="date" value=from error=dates_error>{t!(i18n, kpis.period_filter.from)}</TextField>
                <TextField form="kpi-filter" name="to" kind="date" value=to error=dates_error>{t!(i18n, kpis.period_filter.to)}</TextField>
            </Show>
            <button type="submit" class="btn">{t!(i18n, kpis.period_filter.apply)}</button>
            {dashboard.can_create.then(|| view! {
                <a href="/kpis/new" class="btn btn-primary" data-testid="new-kpi"><Icon name="plus"/>{t!(i18n, kpis.new_kpi)}</a>
            })}
        </form>
        <ul class="status-counts" role="list" data-testid="status-counts">
            <li><span class="badge kpi-status kpi-on_track"><Icon name="check"/>{move || status_label(i18n.get_locale(), KpiStatus::OnTrack)}</span> <span class="num">{counts.on_track}</span></li>
            <li><span class="badge kpi-status kpi-at_risk"><Icon name="alert"/>{move || status_label(i18n.get_locale(), KpiStatus::AtRisk)}</span> <span class="num">{counts.at_risk}</span></li>
            <li><span class="badge kpi-status kpi-off_track"><Icon name="alert"/>{move || status_label(i18n.get_locale(), KpiStatus::OffTrack)}</span> <span class="num">{counts.off_track}</span></li>
            <li><span class="badge kpi-status kpi-achieved"><Icon name="check"/>{move || status_label(i18n.get_locale(), KpiStatus::Achieved)}</span> <span class="num">{counts.achieved}</span></li>
            <li><span class="badge kpi-stale"><Icon name="alert"/>{t!(i18n, kpis.stale)}</span> <span class="num">{counts.stale}</span></li>
        </ul>
        {empty.then(|| view! {
            <div class="empty-state" data-testid="kpis-empty">
                <span class="empty-icon"><Icon name="target"/></span>
                <h2>{move || if filtered { t_string!(i18n, kpis.none_match) } else { t_string!(i18n, kpis.empty_title) }}</h2>
                <p>{t!(i18n, kpis.empty_body)}</p>
            </div>
        })}
        {groups
            .into_iter()
            .map(|(team, cards)| {
                let label = team.clone();
                view! {
                    <section class="kpi-group" aria-label=label>
                        <h2 class="section-title">{team}</h2>
                        <ul class="grid kpi-cards" role="list">
                            {cards.into_iter().map(|c| view! { <li><KpiCardView card=c/></li> }).collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()}
        {(total > crate::kpi::model::PAGE_SIZE).then(|| view! {
            <nav class="pager" aria-label=move || t_string!(i18n, backlog.pages)>
                <span class="muted small" data-testid="page-info">{format!("{}–{} / {}", first + 1, (first + crate::kpi::model::PAGE_SIZE).min(total), total)}</span>
                {(page > 0).then(|| view! { <a class="btn btn-small" href=prev_href.clone()>"← " {t!(i18n, backlog.previous)}</a> })}
                {(!last_page).then(|| view! { <a class="btn btn-small" href=next_href.clone() data-testid="next-page">{t!(i18n, backlog.next)} " →"</a> })}
            </nav>
        })}
    }
}

#[component]
fn KpiCardView(card: KpiCard) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/kpis/{}", card.id);
    let unit = card.unit.clone();
    let current = card
        .current
        .map(|v| format!("{} {}", short_number(v), unit))
        .unwrap_or_else(|| "—".into());
    let target = format!("{} {}", short_number(card.target), card.unit);
    let spark_label = format!("{} · {}", card.code, card.spark.n);
    let forecast = card.forecast;
    let forecast_text = forecast.map(|f| format!("{} {}", short_number(f), card.unit));
    let progress = card.progress;
    let status = card.status;
    view! {
        <article class=format!("card kpi-card kpi-border-{}", card.status.as_str()) data-testid="kpi-card" data-code=card.code.clone()>
            <header class="kpi-card-head">
                <a href=href class="kpi-name">
                    <span class="chip">{card.code.clone()}</span>
                    " "
                    {card.name.clone()}
                </a>
                <span class="muted small">{card.owner_name.clone()}</span>
            </header>
            <div class="kpi-card-body">
                <div>
                    <p class="kpi-value"><span class="num" data-testid="kpi-current">{current}</span></p>
                    <p class="muted small">{t!(i18n, kpis.target)} " " <span class="num">{target}</span></p>
                </div>
                <Sparkline spark=card.spark.clone() label=spark_label/>
            </div>
            <ProgressBar progress status=Some(status)/>
            <footer class="kpi-card-foot">
                <StatusBadge status=card.status stale=card.stale/>
                <span class="muted small num">{percent(progress)}</span>
                {forecast_text.map(|f| view! { <span class="muted small">{t!(i18n, kpis.forecast)} " " <span class="num">{f}</span></span> })}
            </footer>
        </article>
    }
}

/// The export link and the import of check-ins (the shared
/// `ui::csv_import::CsvImport`).
#[component]
fn CsvSection() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ImportCheckins>::new();
    let request = Callback::new(|u: CsvUpload| ImportCheckins {
        batch_id: u.batch_id,
        file: u.file,
        commit: u.commit,
        only_valid: u.only_valid,
    });
    let labels = CsvImportLabels {
        input_id: "checkin-file",
        report_testid: "checkin-import-report",
        errors_testid: "checkin-import-errors",
        imported: |locale| td_string!(locale, kpis.csv.imported),
        column: column_label,
        unchanged: Some(|locale| td_string!(locale, kpis.csv.unchanged)),
        count_errors: false,
        commit: CommitButton::Alone {
            testid: "import-checkins",
        },
    };
    view! {
        <details class="card section" data-testid="kpi-csv">
            <summary class="summary-button">{t!(i18n, kpis.csv.title)}</summary>
            <div class="subform">
                <p>
                    <a class="btn" href="/kpis/export.csv" download="checkins.csv" rel="external" data-testid="export-checkins">
                        {t!(i18n, kpis.csv.export)}
                    </a>
                </p>
                <p class="muted small">{t!(i18n, kpis.csv.hint)}</p>
                <CsvImport action request labels/>
            </div>
        </details>
    }
}

/// A check-in column as the page names it (the error table's column).
fn column_label(locale: Locale, key: &str) -> String {
    match key {
        "date" => td_string!(locale, kpis.csv.date).to_string(),
        "kpi_code" => td_string!(locale, kpis.csv.kpi_code).to_string(),
        "value" => td_string!(locale, kpis.csv.value).to_string(),
        "confidence" => td_string!(locale, kpis.csv.confidence).to_string(),
        "note" => td_string!(locale, kpis.csv.note).to_string(),
        other => other.to_string(),
    }
}
