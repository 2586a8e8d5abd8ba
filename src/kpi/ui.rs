//! Pages of goals and KPIs: the dashboard of cards, a KPI's page with its
//! trend and check-ins, the goal tree, charters, the new-KPI form and CSV.
use super::api::{
    AddCheckin, CreateGoal, CreateKpi, ImportCheckins, ReassignKpi, SaveCharter, UpdateKpi,
    charter_people, load_charter, load_goal_tree, load_kpi, load_kpi_dashboard,
    load_kpi_form_choices,
};
use super::model::{
    Direction, GoalLevel, GoalNode, KpiCard, KpiDetail, KpiForm, KpiStatus, Visibility, day_number,
};
use crate::app::PageHeader;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::charts::{Sparkline, Trend, TrendChart, short_number};
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, error_box, error_text,
    focus_first_invalid,
};
use crate::ui::icons::Icon;
use crate::ui::page::{PageScaffold, page_resource};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

pub fn status_label(locale: Locale, s: KpiStatus) -> &'static str {
    match s {
        KpiStatus::OnTrack => td_string!(locale, kpis.status.on_track),
        KpiStatus::AtRisk => td_string!(locale, kpis.status.at_risk),
        KpiStatus::OffTrack => td_string!(locale, kpis.status.off_track),
        KpiStatus::Achieved => td_string!(locale, kpis.status.achieved),
    }
}

fn status_icon(s: KpiStatus) -> &'static str {
    match s {
        KpiStatus::OnTrack | KpiStatus::Achieved => "check",
        KpiStatus::AtRisk | KpiStatus::OffTrack => "alert",
    }
}

fn direction_label(locale: Locale, d: Direction) -> &'static str {
    match d {
        Direction::Increase => td_string!(locale, kpis.direction.increase),
        Direction::Decrease => td_string!(locale, kpis.direction.decrease),
        Direction::StayAbove => td_string!(locale, kpis.direction.stay_above),
        Direction::StayBelow => td_string!(locale, kpis.direction.stay_below),
    }
}

fn visibility_label(locale: Locale, v: Visibility) -> &'static str {
    match v {
        Visibility::Private => td_string!(locale, kpis.visibility.private),
        Visibility::Team => td_string!(locale, kpis.visibility.team),
        Visibility::Organisation => td_string!(locale, kpis.visibility.organisation),
    }
}

fn level_label(locale: Locale, l: GoalLevel) -> &'static str {
    match l {
        GoalLevel::Company => td_string!(locale, kpis.level.company),
        GoalLevel::Team => td_string!(locale, kpis.level.team),
        GoalLevel::Pm => td_string!(locale, kpis.level.pm),
    }
}

fn percent(p: f64) -> String {
    format!("{}%", (p * 100.0).round() as i64)
}

/// Status as colour, icon and text; the stale flag beside it.
#[component]
pub fn StatusBadge(status: KpiStatus, #[prop(optional)] stale: bool) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge kpi-status kpi-{}", status.as_str()) data-status=status.as_str() data-testid="kpi-status">
            <Icon name=status_icon(status)/>
            {move || status_label(i18n.get_locale(), status)}
        </span>
        {stale.then(|| view! {
            <span class="badge kpi-stale" data-testid="kpi-stale">
                <Icon name="alert"/>
                {move || t_string!(i18n, kpis.stale)}
            </span>
        })}
    }
}

/// A progress bar with its percentage as text.
#[component]
fn ProgressBar(progress: f64, status: Option<KpiStatus>) -> impl IntoView {
    let pct = (progress * 100.0).round().clamp(0.0, 100.0);
    let class = format!(
        "progress-fill kpi-fill-{}",
        status.map(|s| s.as_str()).unwrap_or("none")
    );
    view! {
        <div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow=pct>
            <div class=class style=format!("width: {pct}%")></div>
        </div>
    }
}

/// The tabs of the goals section.
#[component]
fn KpiTabs(current: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let tab = move |key: &'static str, href: &'static str| {
        let label = move || match key {
            "kpis" => t_string!(i18n, kpis.tab_kpis),
            "goals" => t_string!(i18n, kpis.tab_goals),
            _ => t_string!(i18n, kpis.tab_charters),
        };
        view! {
            <a href=href class="tab" aria-current=if key == current { Some("page") } else { None }>
                {label}
            </a>
        }
    };
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, nav.kpis)>
            {tab("kpis", "/kpis")}
            {tab("goals", "/kpis/goals")}
            {tab("charters", "/kpis/charters")}
        </nav>
    }
}

// ---------------------------------------------------------------- dashboard

/// `/kpis`: cards of every KPI the person may see, grouped by team.
#[component]
pub fn KpisPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move |k: &str| query.with(|q| q.get(k).unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let data = Resource::new(
        move || (q("team"), q("pm"), q("status"), q("page"), reload.get()),
        |(team, pm, status, page, _)| {
            load_kpi_dashboard(team, pm, status, page.parse().unwrap_or(0))
        },
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.title).to_string())/>
        <KpiTabs current="kpis"/>
        <Transition fallback=|| view! { <div class="grid kpi-cards" aria-busy="true"><div class="card skeleton"></div><div class="card skeleton"></div><div class="card skeleton"></div></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_box(e),
                    Ok(d) => view! { <Dashboard d/> }.into_any(),
                }
            })}
        </Transition>
        // Outside the transition: an import's report outlives the reload it causes.
        <CsvSection reload/>
    }
}

/// Builds `/kpis?…` with one filter changed (and the page reset).
fn with_filter(query: &leptos_router::params::ParamsMap, key: &str, value: &str) -> String {
    let mut parts = Vec::new();
    for k in ["team", "pm", "status", "page"] {
        let v = if k == key {
            value.to_string()
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
fn Dashboard(d: super::model::KpiDashboard) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let navigate = use_navigate();
    let team = RwSignal::new(query.with_untracked(|q| q.get("team").unwrap_or_default()));
    let pm = RwSignal::new(query.with_untracked(|q| q.get("pm").unwrap_or_default()));
    let status = RwSignal::new(query.with_untracked(|q| q.get("status").unwrap_or_default()));
    let no_error = Signal::derive(|| None::<AppError>);
    let mut team_opts = vec![(String::new(), String::new())];
    team_opts.extend(d.teams.clone());
    let mut pm_opts = vec![(String::new(), String::new())];
    pm_opts.extend(d.pms.clone());
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
    for (sig, key) in [(team, "team"), (pm, "pm"), (status, "status")] {
        let navigate = navigate.clone();
        Effect::new(move |prev: Option<()>| {
            let v = sig.get();
            if prev.is_some() {
                let url = query.with_untracked(|q| with_filter(q, key, &v));
                navigate(&url, Default::default());
            }
        });
    }
    let counts = d.counts.clone();
    let total = d.total;
    let first = d.page * super::model::PAGE_SIZE;
    let last_page = first + super::model::PAGE_SIZE >= total;
    let page = d.page;
    let prev_href =
        query.with_untracked(|q| with_filter(q, "page", &page.saturating_sub(1).to_string()));
    let next_href = query.with_untracked(|q| with_filter(q, "page", &(page + 1).to_string()));
    let mut groups: Vec<(String, Vec<KpiCard>)> = Vec::new();
    for c in d.cards.clone() {
        match groups.last_mut() {
            Some((name, list)) if *name == c.team_name => list.push(c),
            _ => groups.push((c.team_name.clone(), vec![c])),
        }
    }
    let empty = d.total == 0;
    let filtered = !query.with_untracked(|q| {
        q.get("team").unwrap_or_default().is_empty()
            && q.get("pm").unwrap_or_default().is_empty()
            && q.get("status").unwrap_or_default().is_empty()
    });
    view! {
        <div class="filters">
            <SelectField form="kpi-filter" name="team" value=team options=team_opts error=no_error>{t!(i18n, kpis.team)}</SelectField>
            <SelectField form="kpi-filter" name="pm" value=pm options=pm_opts error=no_error>{t!(i18n, kpis.pm)}</SelectField>
            <SelectField form="kpi-filter" name="status" value=status options=status_opts error=no_error>{t!(i18n, kpis.status_label)}</SelectField>
            {d.can_create.then(|| view! {
                <a href="/kpis/new" class="btn btn-primary" data-testid="new-kpi"><Icon name="plus"/>{t!(i18n, kpis.new_kpi)}</a>
            })}
        </div>
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
                            {cards.into_iter().map(|c| view! { <li><KpiCardView c/></li> }).collect_view()}
                        </ul>
                    </section>
                }
            })
            .collect_view()}
        {(total > super::model::PAGE_SIZE).then(|| view! {
            <nav class="pager" aria-label=move || t_string!(i18n, backlog.pages)>
                <span class="muted small" data-testid="page-info">{format!("{}–{} / {}", first + 1, (first + super::model::PAGE_SIZE).min(total), total)}</span>
                {(page > 0).then(|| view! { <a class="btn btn-small" href=prev_href.clone()>"← " {t!(i18n, backlog.previous)}</a> })}
                {(!last_page).then(|| view! { <a class="btn btn-small" href=next_href.clone() data-testid="next-page">{t!(i18n, backlog.next)} " →"</a> })}
            </nav>
        })}
    }
}

#[component]
fn KpiCardView(c: KpiCard) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/kpis/{}", c.id);
    let unit = c.unit.clone();
    let current = c
        .current
        .map(|v| format!("{} {}", short_number(v), unit))
        .unwrap_or_else(|| "—".into());
    let target = format!("{} {}", short_number(c.target), c.unit);
    let spark_label = format!("{} · {}", c.code, c.spark.n);
    let forecast = c.forecast;
    let forecast_text = forecast.map(|f| format!("{} {}", short_number(f), c.unit));
    let progress = c.progress;
    let status = c.status;
    view! {
        <article class=format!("card kpi-card kpi-border-{}", c.status.as_str()) data-testid="kpi-card" data-code=c.code.clone()>
            <header class="kpi-card-head">
                <a href=href class="kpi-name">
                    <span class="chip">{c.code.clone()}</span>
                    " "
                    {c.name.clone()}
                </a>
                <span class="muted small">{c.owner_name.clone()}</span>
            </header>
            <div class="kpi-card-body">
                <div>
                    <p class="kpi-value"><span class="num" data-testid="kpi-current">{current}</span></p>
                    <p class="muted small">{t!(i18n, kpis.target)} " " <span class="num">{target}</span></p>
                </div>
                <Sparkline spark=c.spark.clone() label=spark_label/>
            </div>
            <ProgressBar progress status=Some(status)/>
            <footer class="kpi-card-foot">
                <StatusBadge status=c.status stale=c.stale/>
                <span class="muted small num">{percent(progress)}</span>
                {forecast_text.map(|f| view! { <span class="muted small">{t!(i18n, kpis.forecast)} " " <span class="num">{f}</span></span> })}
            </footer>
        </article>
    }
}

// ---------------------------------------------------------------- CSV

#[component]
fn CsvSection(reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ImportCheckins>::new();
    let file: RwSignal<Option<Vec<u8>>> = RwSignal::new(None);
    let batch = RwSignal::new(crate::ui::new_id());
    let reading = RwSignal::new(false);
    let send = move |commit: bool, only_valid: bool| {
        if let Some(bytes) = file.get_untracked() {
            action.dispatch(ImportCheckins {
                batch_id: batch.get_untracked(),
                file: bytes,
                commit,
                only_valid,
            });
        }
    };
    Effect::new(move |_| {
        if let Some(Ok(r)) = action.value().get() {
            if r.imported > 0 {
                reload.update(|n| *n += 1);
            }
        }
    });
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            if let Some(input) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            {
                reading.set(true);
                leptos::task::spawn_local(async move {
                    let bytes = crate::ui::form::read_file(input).await;
                    // The section can be gone (the page left) while the file
                    // is read: its signals and action are disposed.
                    if file.is_disposed() {
                        return;
                    }
                    reading.set(false);
                    file.set(bytes);
                    batch.set(crate::ui::new_id());
                    send(false, false);
                });
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, reading, send);
    };
    let report = move || action.value().get().and_then(|r| r.ok());
    let failure = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let column_label = move |c: &str| -> String {
        match c {
            "date" => t_string!(i18n, kpis.csv.date).to_string(),
            "kpi_code" => t_string!(i18n, kpis.csv.kpi_code).to_string(),
            "value" => t_string!(i18n, kpis.csv.value).to_string(),
            "confidence" => t_string!(i18n, kpis.csv.confidence).to_string(),
            "note" => t_string!(i18n, kpis.csv.note).to_string(),
            other => other.to_string(),
        }
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
                <div class="field">
                    <label for="checkin-file">{t!(i18n, backlog.choose_file)}</label>
                    <input id="checkin-file" type="file" accept=".csv,text/csv" on:change=on_change/>
                </div>
                <Show when=move || reading.get() || action.pending().get()>
                    <p class="muted" role="status">{t!(i18n, backlog.reading)}</p>
                </Show>
                <FormAlert error=failure/>
                {move || failure.get().and_then(|e| e.field.map(|_| e.code)).map(|code| view! {
                    <div class="alert alert-error" role="alert">{move || error_text(i18n.get_locale(), code)}</div>
                })}
                {move || report().map(|r| {
                    let has_errors = !r.errors.is_empty();
                    let valid = r.valid_rows;
                    view! {
                        <div data-testid="checkin-import-report">
                            {(r.imported > 0).then(|| view! {
                                <div class="alert alert-ok" role="status">{t!(i18n, kpis.csv.imported)} " " <span class="num">{r.imported}</span></div>
                            })}
                            {(r.imported == 0).then(|| view! {
                                <p>
                                    <strong class="num">{valid}</strong> " " {t!(i18n, backlog.ready)}
                                    {(r.unchanged > 0).then(|| view! { " · " <span class="num">{r.unchanged}</span> " " {t!(i18n, kpis.csv.unchanged)} })}
                                </p>
                            })}
                            {(has_errors && r.imported == 0).then(|| view! {
                                <div class="table-wrap">
                                    <table class="table" data-testid="checkin-import-errors">
                                        <thead><tr>
                                            <th scope="col">{t!(i18n, backlog.row)}</th>
                                            <th scope="col">{t!(i18n, backlog.column)}</th>
                                            <th scope="col">{t!(i18n, backlog.problem)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {r.errors.iter().map(|e| {
                                                let code = e.code;
                                                let col = e.column.clone();
                                                view! {
                                                    <tr>
                                                        <td class="num">{e.row}</td>
                                                        <td>{move || column_label(&col)}</td>
                                                        <td>{move || error_text(i18n.get_locale(), code)}</td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </div>
                            })}
                            {(r.imported == 0 && valid > 0).then(|| view! {
                                <button type="button" class="btn btn-primary" data-testid="import-checkins"
                                    on:click=move |_| send(true, has_errors)>
                                    {move || if has_errors { t_string!(i18n, backlog.import_valid) } else { t_string!(i18n, backlog.import) }}
                                </button>
                            })}
                        </div>
                    }
                })}
            </div>
        </details>
    }
}

// ---------------------------------------------------------------- new KPI

/// `/kpis/new`: define a KPI.
#[component]
pub fn NewKpiPage() -> impl IntoView {
    let i18n = use_i18n();
    let choices = page_resource(|| (), |_| load_kpi_form_choices());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.new_kpi).to_string())/>
        <KpiTabs current="kpis"/>
        <PageScaffold data=choices let:c><KpiFormView c/></PageScaffold>
    }
}

#[component]
fn KpiFormView(
    c: super::api::KpiFormChoices,
    /// Editing: the KPI's id, version, current definition and the page's reload.
    #[prop(optional)]
    existing: Option<(String, i64, KpiForm, RwSignal<u32>)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateKpi>::new();
    let update = ServerAction::<UpdateKpi>::new();
    let id = StoredValue::new(crate::ui::new_id());
    let create_error = action_error(action);
    let update_error = action_error(update);
    let error = Signal::derive(move || create_error.get().or(update_error.get()));
    let editing = existing.is_some();
    let form_id = if editing { "kpi-edit-form" } else { "kpi-form" };
    focus_first_invalid(form_id, error);
    let start_form = existing
        .as_ref()
        .map(|e| e.2.clone())
        .unwrap_or_else(|| KpiForm {
            owner: c.owners.first().map(|o| o.0.clone()).unwrap_or_default(),
            direction: "increase".into(),
            start_date: c.today.clone(),
            cadence_days: "7".into(),
            visibility: "team".into(),
            weight: "1".into(),
            ..KpiForm::default()
        });
    let code = RwSignal::new(start_form.code);
    let name = RwSignal::new(start_form.name);
    let owner = RwSignal::new(start_form.owner);
    let unit = RwSignal::new(start_form.unit);
    let direction = RwSignal::new(start_form.direction);
    let baseline = RwSignal::new(start_form.baseline);
    let target = RwSignal::new(start_form.target);
    let start = RwSignal::new(start_form.start_date);
    let due = RwSignal::new(start_form.due_date);
    let cadence = RwSignal::new(start_form.cadence_days);
    let visibility = RwSignal::new(start_form.visibility);
    let goal = RwSignal::new(start_form.goal_id);
    let weight = RwSignal::new(start_form.weight);
    let target_id = StoredValue::new(existing.as_ref().map(|e| (e.0.clone(), e.1)));
    if let Some((.., reload)) = existing {
        Effect::new(move |_| {
            if let Some(Ok(())) = update.value().get() {
                reload.update(|n| *n += 1);
            }
        });
    }
    let owners = c.owners.clone();
    let mut goal_opts = vec![(String::new(), String::new())];
    goal_opts.extend(c.goals.clone());
    let goal_opts = Signal::derive(move || {
        let none = t_string!(i18n, kpis.no_goal).to_string();
        goal_opts
            .iter()
            .map(|(v, l)| {
                (
                    v.clone(),
                    if v.is_empty() {
                        none.clone()
                    } else {
                        l.clone()
                    },
                )
            })
            .collect::<Vec<_>>()
    });
    let directions = Signal::derive(move || {
        Direction::ALL
            .into_iter()
            .map(|d| {
                (
                    d.as_str().to_string(),
                    direction_label(i18n.get_locale(), d).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    let visibilities = Signal::derive(move || {
        Visibility::ALL
            .into_iter()
            .map(|v| {
                (
                    v.as_str().to_string(),
                    visibility_label(i18n.get_locale(), v).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(new_id)) = action.value().get() {
            navigate(&format!("/kpis/{new_id}"), Default::default());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let form = KpiForm {
            code: code.get_untracked(),
            name: name.get_untracked(),
            owner: owner.get_untracked(),
            unit: unit.get_untracked(),
            direction: direction.get_untracked(),
            baseline: baseline.get_untracked(),
            target: target.get_untracked(),
            start_date: start.get_untracked(),
            due_date: due.get_untracked(),
            cadence_days: cadence.get_untracked(),
            visibility: visibility.get_untracked(),
            goal_id: goal.get_untracked(),
            weight: weight.get_untracked(),
        };
        match target_id.get_value() {
            Some((id, version)) => {
                update.dispatch(UpdateKpi { id, version, form });
            }
            None => {
                action.dispatch(CreateKpi {
                    id: id.get_value(),
                    form,
                });
            }
        }
    };
    view! {
        <form id=form_id class=if editing { "form-grid subform" } else { "card form-grid" } on:submit=submit novalidate>
            <FormAlert error/>
            <TextField form=form_id name="code" value=code error hint=Signal::derive(move || t_string!(i18n, kpis.code_hint).to_string())>{t!(i18n, kpis.code)}</TextField>
            <TextField form=form_id name="name" value=name error>{t!(i18n, kpis.name)}</TextField>
            {(!editing).then(|| view! {
                <SelectField form=form_id name="owner" value=owner options=Signal::derive(move || owners.clone()) error>{t!(i18n, kpis.owner)}</SelectField>
            })}
            <SelectField form=form_id name="direction" value=direction options=directions error>{t!(i18n, kpis.direction_label)}</SelectField>
            <TextField form=form_id name="unit" value=unit error hint=Signal::derive(move || t_string!(i18n, kpis.unit_hint).to_string())>{t!(i18n, kpis.unit)}</TextField>
            <TextField form=form_id name="baseline" value=baseline error kind="text">{t!(i18n, kpis.baseline)}</TextField>
            <TextField form=form_id name="target" value=target error kind="text">{t!(i18n, kpis.target)}</TextField>
            <TextField form=form_id name="start_date" value=start error kind="date">{t!(i18n, kpis.start_date)}</TextField>
            <TextField form=form_id name="due_date" value=due error kind="date">{t!(i18n, kpis.due_date)}</TextField>
            <TextField form=form_id name="cadence_days" value=cadence error kind="number" hint=Signal::derive(move || t_string!(i18n, kpis.cadence_hint).to_string())>{t!(i18n, kpis.cadence)}</TextField>
            <SelectField form=form_id name="visibility" value=visibility options=visibilities error>{t!(i18n, kpis.visibility_label)}</SelectField>
            <SelectField form=form_id name="goal_id" value=goal options=goal_opts error>{t!(i18n, kpis.parent_goal)}</SelectField>
            <TextField form=form_id name="weight" value=weight error hint=Signal::derive(move || t_string!(i18n, kpis.weight_hint).to_string())>{t!(i18n, kpis.weight)}</TextField>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" data-testid="save-kpi" disabled=move || action.pending().get() || update.pending().get()>
                    {move || if editing { t_string!(i18n, common.save) } else { t_string!(i18n, kpis.create) }}
                </button>
                {(!editing).then(|| view! { <a href="/kpis" class="btn">{t!(i18n, common.cancel)}</a> })}
            </div>
        </form>
    }
}

// ---------------------------------------------------------------- one KPI

/// `/kpis/:id`: trend, facts, check-ins and the check-in form.
#[component]
pub fn KpiPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let delivered = crate::ui::outbox::use_outbox().delivered;
    let detail = page_resource(
        move || (id(), reload.get(), delivered.get()),
        |(id, ..)| load_kpi(id),
    );
    view! {
        <PageScaffold data=detail let:d><KpiView d reload/></PageScaffold>
    }
}

#[component]
fn KpiView(d: KpiDetail, reload: RwSignal<u32>) -> impl IntoView {
    // A refused check-in the person chose to fix, for the form to take up.
    let to_fix = RwSignal::new(None::<(AddCheckin, Option<AppError>)>);
    let i18n = use_i18n();
    let c = d.card.clone();
    let title = format!("{} · {}", c.code, c.name);
    let trend = Trend {
        series: c.series.clone(),
        baseline: c.baseline,
        target: c.target,
        start: day_number(&c.start_date).unwrap_or(0),
        due: day_number(&c.due_date).unwrap_or(0),
        expected_line: matches!(c.direction, Direction::Increase | Direction::Decrease),
        forecast: c.forecast,
        unit: c.unit.clone(),
    };
    let unit = c.unit.clone();
    let num = move |v: f64| format!("{} {}", short_number(v), unit);
    let caption = {
        let n = c.series.len();
        let current = c.current.map(&num).unwrap_or_else(|| "—".into());
        let target = num(c.target);
        move || {
            format!(
                "{}: {} · {}: {} · {}: {}",
                t_string!(i18n, kpis.checkins),
                n,
                t_string!(i18n, kpis.current),
                current,
                t_string!(i18n, kpis.target),
                target
            )
        }
    };
    let direction = c.direction;
    let visibility = c.visibility;
    let status = c.status;
    let goal = d.goal_title.clone().zip(c.goal_id.clone());
    view! {
        <PageHeader title=Signal::derive(move || title.clone())/>
        <p class="page-links"><a href="/kpis" class="btn btn-small">"← " {t!(i18n, kpis.title)}</a></p>
        <div class="kpi-head">
            <StatusBadge status=c.status stale=c.stale/>
            <span class="num kpi-progress-text">{t!(i18n, kpis.progress)} " " {percent(c.progress)} " · " {t!(i18n, kpis.expected)} " " {percent(c.expected)}</span>
        </div>
        <ProgressBar progress=c.progress status=Some(status)/>
        {
            let outbox = crate::ui::outbox::use_outbox();
            let record = c.id.clone();
            let waiting = move || outbox.pending_for(&record);
            view! {
                <div role="status" aria-live="polite" class="status-slot">
                    {move || (waiting() > 0).then(|| view! {
                        <div class="alert alert-info" data-testid="outbox-waiting">
                            <Icon name="alert"/>
                            <span><span class="num">{waiting()}</span> " " {t!(i18n, kpis.waiting)}</span>
                        </div>
                    })}
                </div>
            }
        }
        <div class="detail-grid">
            <section class="card section">
                {move || view! { <TrendChart trend=trend.clone() caption=caption()/> }}
            </section>
            <section class="card section">
                <dl class="facts">
                    <dt>{t!(i18n, kpis.owner)}</dt><dd data-testid="kpi-owner">{c.owner_name.clone()}</dd>
                    <dt>{t!(i18n, kpis.team)}</dt><dd>{c.team_name.clone()}</dd>
                    <dt>{t!(i18n, kpis.direction_label)}</dt><dd>{move || direction_label(i18n.get_locale(), direction)}</dd>
                    <dt>{t!(i18n, kpis.baseline)}</dt><dd class="num">{num(c.baseline)}</dd>
                    <dt>{t!(i18n, kpis.target)}</dt><dd class="num">{num(c.target)}</dd>
                    <dt>{t!(i18n, kpis.current)}</dt><dd class="num">{c.current.map(&num).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, kpis.forecast)}</dt><dd class="num" data-testid="kpi-forecast">{c.forecast.map(&num).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, kpis.period)}</dt><dd class="num">{c.start_date.clone()} " → " {c.due_date.clone()}</dd>
                    <dt>{t!(i18n, kpis.cadence)}</dt><dd class="num">{c.cadence_days}</dd>
                    <dt>{t!(i18n, kpis.last_checkin)}</dt><dd class="num">{c.last_day.clone().unwrap_or_else(|| "—".into())}</dd>
                    <dt>{t!(i18n, kpis.visibility_label)}</dt><dd>{move || visibility_label(i18n.get_locale(), visibility)}</dd>
                    {goal.map(|(t, _)| view! { <dt>{t!(i18n, kpis.parent_goal)}</dt><dd><a href="/kpis/goals">{t}</a></dd> })}
                </dl>
            </section>
        </div>
        <RefusedCheckins record=c.id.clone() can_edit=d.can_edit to_fix/>
        {d.can_edit.then(|| view! { <CheckInForm d=d.clone() reload to_fix/> })}
        {d.can_edit.then(|| {
            let choices = super::api::KpiFormChoices {
                owners: Vec::new(),
                goals: d.goals.clone(),
                today: d.today.clone(),
            };
            let existing = (d.card.id.clone(), d.card.version, d.card.form(), reload);
            view! {
                <details class="card section" data-testid="edit-kpi">
                    <summary class="summary-button">{t!(i18n, kpis.edit)}</summary>
                    <KpiFormView c=choices existing/>
                </details>
            }
        })}
        {d.can_reassign.then(|| view! { <ReassignForm d=d.clone() reload/> })}
        <section class="card section" aria-labelledby="history-title">
            <h2 id="history-title">{t!(i18n, kpis.history)}</h2>
            {if d.checkins.is_empty() {
                view! { <p class="muted" data-testid="no-checkins">{t!(i18n, kpis.no_checkins)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="checkin-history">
                            <thead><tr>
                                <th scope="col">{t!(i18n, kpis.csv.date)}</th>
                                <th scope="col" class="num">{t!(i18n, kpis.csv.value)}</th>
                                <th scope="col" class="num">{t!(i18n, kpis.csv.confidence)}</th>
                                <th scope="col">{t!(i18n, kpis.csv.note)}</th>
                                <th scope="col">{t!(i18n, kpis.author)}</th>
                            </tr></thead>
                            <tbody>
                                {d.checkins.iter().map(|r| {
                                    let corrected = r.corrected;
                                    let is_correction = r.corrects.is_some();
                                    view! {
                                        <tr class:corrected=corrected data-testid="checkin-row">
                                            <td class="num">{r.day.clone()}</td>
                                            <td class="num">{short_number(r.value)}</td>
                                            <td class="num">{r.confidence} "%"</td>
                                            <td>
                                                {is_correction.then(|| view! { <span class="chip">{t!(i18n, kpis.correction)}</span> " " })}
                                                {corrected.then(|| view! { <span class="chip">{t!(i18n, kpis.corrected)}</span> " " })}
                                                {r.note.clone()}
                                            </td>
                                            <td>{r.author_name.clone()} " " <span class="muted small">{crate::calendar::minute_part(&r.at)}</span></td>
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

/// Check-ins saved on this device that the server refused: each stays, with
/// the server's reason, until the person fixes it (its values go back into
/// the form) or discards it. Shown whether or not the person may still
/// check in (a refusal is often that they no longer may).
#[component]
fn RefusedCheckins(
    record: String,
    can_edit: bool,
    to_fix: RwSignal<Option<(AddCheckin, Option<AppError>)>>,
) -> impl IntoView {
    use crate::ui::outbox::{Queued, discard, use_outbox};
    let i18n = use_i18n();
    let outbox = use_outbox();
    let record = StoredValue::new(record);
    let refused = Signal::derive(move || outbox.refused_for(&record.get_value()));
    let fix = move |q: Queued| {
        if let Ok(a) = serde_json::from_value::<AddCheckin>(q.payload.clone()) {
            to_fix.set(Some((a, q.refused.clone())));
        }
        discard(&q.id);
    };
    view! {
        <div class="refused-list">
            {move || refused.get().into_iter().map(|q| {
                let reason = q.refused.clone().map(|e| e.code);
                let args = serde_json::from_value::<AddCheckin>(q.payload.clone()).ok();
                let what = args.map(|a| format!("{} · {}", a.day, a.value)).unwrap_or_default();
                let (for_fix, qid) = (q.clone(), q.id.clone());
                view! {
                    <div class="alert alert-error outbox-refused" role="alert" data-testid="outbox-refused">
                        <Icon name="alert"/>
                        <div>
                            <p>
                                {t!(i18n, kpis.refused_checkin)} " "
                                <span class="num">{what}</span>
                            </p>
                            <p data-testid="refused-reason">
                                {move || reason.map(|c| crate::ui::form::error_text(i18n.get_locale(), c)).unwrap_or_default()}
                            </p>
                            <div class="form-actions">
                                {can_edit.then(|| view! {
                                    <button type="button" class="btn btn-small" data-testid="refused-fix" on:click=move |_| fix(for_fix.clone())>
                                        {t!(i18n, kpis.refused_fix)}
                                    </button>
                                })}
                                <button type="button" class="btn btn-small" data-testid="refused-discard" on:click=move |_| discard(&qid)>
                                    {t!(i18n, kpis.refused_discard)}
                                </button>
                            </div>
                        </div>
                    </div>
                }
            }).collect_view()}
        </div>
    }
}

#[component]
fn CheckInForm(
    d: KpiDetail,
    reload: RwSignal<u32>,
    to_fix: RwSignal<Option<(AddCheckin, Option<AppError>)>>,
) -> impl IntoView {
    use crate::ui::outbox::{Queued, enqueue, is_network, offline};
    let i18n = use_i18n();
    let action = ServerAction::<AddCheckin>::new();
    let id = RwSignal::new(crate::ui::new_id());
    let server_error = action_error(action);
    // A value refused in the browser before it is queued (offline).
    let local_error: RwSignal<Option<AppError>> = RwSignal::new(None);
    // Not reaching the server is no error: the check-in waits in the outbox.
    let error = Signal::derive(move || {
        local_error
            .get()
            .or_else(|| server_error.get().filter(|e| !is_network(e)))
    });
    let today_number = crate::kpi::model::day_number(&d.today).unwrap_or(0);
    focus_first_invalid("checkin-form", error);
    let day = RwSignal::new(d.today.clone());
    let value = RwSignal::new(String::new());
    let confidence = RwSignal::new("70".to_string());
    let note = RwSignal::new(String::new());
    let corrects = RwSignal::new(String::new());
    let saved = RwSignal::new(false);
    let queued = RwSignal::new(false);
    let last: StoredValue<Option<AddCheckin>> = StoredValue::new(None);
    let clear = move || {
        value.set(String::new());
        note.set(String::new());
        corrects.set(String::new());
        id.set(crate::ui::new_id());
    };
    // Checked with the server's own rule before it waits, so that a value
    // the server would refuse is refused here, at its field, offline too.
    let queue = move |args: AddCheckin| {
        if let Err(e) = crate::kpi::model::check_checkin(
            &args.day,
            &args.value,
            &args.confidence,
            &args.note,
            today_number,
        ) {
            local_error.set(Some(e));
            return;
        }
        enqueue(Queued {
            kind: CHECKIN_SENDER.kind.into(),
            id: args.id.clone(),
            record: args.kpi_id.clone(),
            payload: serde_json::to_value(&args).unwrap_or_default(),
            refused: None,
        });
        queued.set(true);
        clear();
    };
    // "Fix": a refused edit's values come back into the form (with their
    // client id, which the server never stored), with the server's reason.
    Effect::new(move |_| {
        if let Some((a, reason)) = to_fix.get() {
            id.set(a.id);
            day.set(a.day);
            value.set(a.value);
            confidence.set(a.confidence);
            note.set(a.note);
            corrects.set(a.corrects);
            local_error.set(reason);
        }
    });
    Effect::new(move |_| match action.value().get() {
        Some(Ok(_)) => {
            saved.set(true);
            clear();
            reload.update(|n| *n += 1);
        }
        Some(Err(e)) if is_network(&e) => {
            if let Some(args) = last.get_value() {
                queue(args);
            }
        }
        _ => {}
    });
    let mut options = vec![(String::new(), String::new())];
    options.extend(d.checkins.iter().filter(|c| c.corrects.is_none()).map(|c| {
        (
            c.id.clone(),
            format!("{} · {}", c.day, short_number(c.value)),
        )
    }));
    let options = Signal::derive(move || {
        let none = t_string!(i18n, kpis.new_value).to_string();
        options
            .iter()
            .map(|(v, l)| {
                (
                    v.clone(),
                    if v.is_empty() {
                        none.clone()
                    } else {
                        l.clone()
                    },
                )
            })
            .collect::<Vec<_>>()
    });
    let kpi_id = StoredValue::new(d.card.id.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        queued.set(false);
        local_error.set(None);
        let args = AddCheckin {
            id: id.get_untracked(),
            kpi_id: kpi_id.get_value(),
            day: day.get_untracked(),
            value: value.get_untracked(),
            confidence: confidence.get_untracked(),
            note: note.get_untracked(),
            corrects: corrects.get_untracked(),
        };
        if offline() {
            queue(args);
        } else {
            last.set_value(Some(args.clone()));
            action.dispatch(args);
        }
    };
    view! {
        <section class="card section" aria-labelledby="checkin-title">
            <h2 id="checkin-title">{t!(i18n, kpis.add_checkin)}</h2>
            <form id="checkin-form" class="form-grid" on:submit=submit novalidate>
                <FormAlert error/>
                <TextField form="checkin-form" name="value" value=value error>{t!(i18n, kpis.csv.value)}</TextField>
                <TextField form="checkin-form" name="day" value=day error kind="date">{t!(i18n, kpis.csv.date)}</TextField>
                <TextField form="checkin-form" name="confidence" value=confidence error kind="number" hint=Signal::derive(move || t_string!(i18n, kpis.confidence_hint).to_string())>{t!(i18n, kpis.csv.confidence)}</TextField>
                <TextField form="checkin-form" name="note" value=note error>{t!(i18n, kpis.csv.note)}</TextField>
                <SelectField form="checkin-form" name="corrects" value=corrects options error>{t!(i18n, kpis.corrects)}</SelectField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-checkin" disabled=move || action.pending().get()>{t!(i18n, kpis.save_checkin)}</button>
                </div>
                <SuccessNote show=saved>{t!(i18n, kpis.checkin_saved)}</SuccessNote>
                <SuccessNote show=queued>{t!(i18n, kpis.checkin_queued)}</SuccessNote>
            </form>
        </section>
    }
}

#[component]
fn ReassignForm(d: KpiDetail, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ReassignKpi>::new();
    let error = action_error(action);
    let owner = RwSignal::new(d.card.owner.key());
    let owners = d.owners.clone();
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let id = StoredValue::new(d.card.id.clone());
    let version = d.card.version;
    view! {
        <details class="card section">
            <summary class="summary-button">{t!(i18n, kpis.reassign)}</summary>
            <form id="reassign-form" class="subform" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(ReassignKpi { id: id.get_value(), version, owner: owner.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="reassign-form" name="owner" value=owner options=Signal::derive(move || owners.clone()) error>{t!(i18n, kpis.owner)}</SelectField>
                <button type="submit" class="btn" data-testid="reassign-kpi">{t!(i18n, kpis.reassign)}</button>
            </form>
        </details>
    }
}

// ---------------------------------------------------------------- goals

/// `/kpis/goals`: the goal tree with roll-ups at every level.
#[component]
pub fn GoalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let tree = Resource::new(move || reload.get(), |_| load_goal_tree());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.goals_title).to_string())/>
        <KpiTabs current="goals"/>
        <Transition fallback=|| view! { <div class="card skeleton tall" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match tree.await {
                    Err(e) => error_box(e),
                    Ok(t) => {
                        let empty = t.roots.is_empty();
                        let roots = t.roots.clone();
                        view! {
                            {empty.then(|| view! {
                                <div class="empty-state">
                                    <span class="empty-icon"><Icon name="target"/></span>
                                    <h2>{t!(i18n, kpis.no_goals)}</h2>
                                    <p>{t!(i18n, kpis.no_goals_body)}</p>
                                </div>
                            })}
                            <ul class="goal-tree" aria-label=move || t_string!(i18n, kpis.goals_title)>
                                {roots.into_iter().map(|n| view! { <GoalNodeView n/> }).collect_view()}
                            </ul>
                            <NewGoalForm t reload/>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn GoalNodeView(n: GoalNode) -> AnyView {
    let i18n = use_i18n();
    let level = n.goal.level;
    let owners = match (&n.goal.owner_name, n.goal.teams.is_empty()) {
        (Some(o), _) => o.clone(),
        (None, false) => n
            .goal
            .teams
            .iter()
            .map(|t| t.1.clone())
            .collect::<Vec<_>>()
            .join(" · "),
        _ => String::new(),
    };
    let hidden = n.hidden;
    view! {
        <li class="goal-node" data-testid="goal-node" data-title=n.goal.title.clone()>
            <div class="goal-row">
                <span class="chip">{move || level_label(i18n.get_locale(), level)}</span>
                <strong class="goal-title">{n.goal.title.clone()}</strong>
                <span class="muted small">{owners}</span>
                {match n.status {
                    Some(s) => view! { <StatusBadge status=s/> }.into_any(),
                    None => view! { <span class="badge badge-muted">{t!(i18n, kpis.no_data)}</span> }.into_any(),
                }}
                <span class="num goal-progress" data-testid="goal-progress">{n.progress.map(percent).unwrap_or_else(|| "—".into())}</span>
            </div>
            <ProgressBar progress=n.progress.unwrap_or(0.0) status=n.status/>
            {(!n.kpis.is_empty() || !n.goals.is_empty() || hidden > 0).then(|| view! {
                <ul class="goal-children">
                    {n.kpis.into_iter().map(|k| {
                        let status = k.status;
                        view! {
                            <li class="goal-kpi" data-testid="goal-kpi">
                                <a href=format!("/kpis/{}", k.id)><span class="chip">{k.code.clone()}</span> " " {k.name.clone()}</a>
                                <StatusBadge status stale=k.stale/>
                                <span class="num">{percent(k.progress)}</span>
                            </li>
                        }
                    }).collect_view()}
                    {n.goals.into_iter().map(|g| view! { <GoalNodeView n=g/> }).collect_view()}
                    {(hidden > 0).then(|| view! { <li class="muted small">{t!(i18n, kpis.hidden_children)} " " <span class="num">{hidden}</span></li> })}
                </ul>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn NewGoalForm(t: super::model::GoalTree, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateGoal>::new();
    let error = action_error(action);
    focus_first_invalid("goal-form", error);
    let id = RwSignal::new(crate::ui::new_id());
    let title = RwSignal::new(String::new());
    let default_level = if t.can_create_company {
        "company"
    } else if !t.teams.is_empty() {
        "team"
    } else {
        "pm"
    };
    let level = RwSignal::new(default_level.to_string());
    let owner = RwSignal::new(t.pms.first().map(|p| p.0.clone()).unwrap_or_default());
    let team = RwSignal::new(t.teams.first().map(|p| p.0.clone()).unwrap_or_default());
    let team2 = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let visibility = RwSignal::new(String::new());
    let weight = RwSignal::new("1".to_string());
    let can_company = t.can_create_company;
    let has_teams = !t.teams.is_empty();
    let levels = Signal::derive(move || {
        let locale = i18n.get_locale();
        GoalLevel::ALL
            .into_iter()
            .filter(|l| match l {
                GoalLevel::Company => can_company,
                GoalLevel::Team => has_teams,
                GoalLevel::Pm => true,
            })
            .map(|l| (l.as_str().to_string(), level_label(locale, l).to_string()))
            .collect::<Vec<_>>()
    });
    let teams = t.teams.clone();
    let teams_opt = {
        let teams = teams.clone();
        Signal::derive(move || teams.clone())
    };
    let teams2 = Signal::derive(move || {
        let mut v = vec![(
            String::new(),
            t_string!(i18n, kpis.no_second_team).to_string(),
        )];
        v.extend(teams.clone());
        v
    });
    let pms = t.pms.clone();
    let parents = t.parents.clone();
    let parent_opts = Signal::derive(move || {
        let mut v = vec![(String::new(), t_string!(i18n, kpis.no_goal).to_string())];
        v.extend(parents.clone());
        v
    });
    let visibilities = Signal::derive(move || {
        let mut v = vec![(
            String::new(),
            t_string!(i18n, kpis.visibility_default).to_string(),
        )];
        v.extend(Visibility::ALL.into_iter().map(|x| {
            (
                x.as_str().to_string(),
                visibility_label(i18n.get_locale(), x).to_string(),
            )
        }));
        v
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            title.set(String::new());
            id.set(crate::ui::new_id());
            reload.update(|n| *n += 1);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut team_ids = Vec::new();
        if level.get_untracked() == "team" {
            for t in [team.get_untracked(), team2.get_untracked()] {
                if !t.is_empty() {
                    team_ids.push(t);
                }
            }
        }
        action.dispatch(CreateGoal {
            id: id.get_untracked(),
            title: title.get_untracked(),
            level: level.get_untracked(),
            owner_id: if level.get_untracked() == "pm" {
                owner.get_untracked()
            } else {
                String::new()
            },
            team_ids,
            parent_id: parent.get_untracked(),
            visibility: visibility.get_untracked(),
            weight: weight.get_untracked(),
        });
    };
    view! {
        <details class="card section" data-testid="new-goal">
            <summary class="summary-button"><Icon name="plus"/> {t!(i18n, kpis.new_goal)}</summary>
            <form id="goal-form" class="form-grid subform" on:submit=submit novalidate>
                <FormAlert error/>
                <TextField form="goal-form" name="title" value=title error>{t!(i18n, kpis.goal_title)}</TextField>
                <SelectField form="goal-form" name="level" value=level options=levels error>{t!(i18n, kpis.level_label)}</SelectField>
                <Show when=move || level.get() == "team">
                    <SelectField form="goal-form" name="team_ids" value=team options=teams_opt error>{t!(i18n, kpis.team)}</SelectField>
                    <SelectField form="goal-form" name="team2" value=team2 options=teams2 error>{t!(i18n, kpis.shared_with)}</SelectField>
                </Show>
                <Show when=move || level.get() == "pm">
                    <SelectField form="goal-form" name="owner_id" value=owner options=Signal::derive({ let pms = pms.clone(); move || pms.clone() }) error>{t!(i18n, kpis.pm)}</SelectField>
                </Show>
                <SelectField form="goal-form" name="parent_id" value=parent options=parent_opts error>{t!(i18n, kpis.parent_goal)}</SelectField>
                <SelectField form="goal-form" name="visibility" value=visibility options=visibilities error>{t!(i18n, kpis.visibility_label)}</SelectField>
                <TextField form="goal-form" name="weight" value=weight error hint=Signal::derive(move || t_string!(i18n, kpis.weight_hint).to_string())>{t!(i18n, kpis.weight)}</TextField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-goal" disabled=move || action.pending().get()>{t!(i18n, kpis.create_goal)}</button>
                </div>
            </form>
        </details>
    }
}

// ---------------------------------------------------------------- charters

/// `/kpis/charters`: the PMs whose role charter the person may read.
#[component]
pub fn ChartersPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| charter_people());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.charters_title).to_string())/>
        <KpiTabs current="charters"/>
        <Transition fallback=|| view! { <div class="card skeleton" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match list.await {
                    Err(e) => error_box(e),
                    Ok(people) if people.is_empty() => view! { <p class="muted">{t!(i18n, kpis.no_charters)}</p> }.into_any(),
                    Ok(people) => view! {
                        <ul class="card plain-list" role="list">
                            {people.into_iter().map(|(id, name)| view! {
                                <li><a href=format!("/kpis/charters/{id}") data-testid="charter-link">{name}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                }
            })}
        </Transition>
    }
}

/// `/kpis/charters/:id`: a PM's role charter.
#[component]
pub fn CharterPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = RwSignal::new(0u32);
    let charter = page_resource(move || (id(), reload.get()), |(id, _)| load_charter(id));
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.charters_title).to_string())/>
        <KpiTabs current="charters"/>
        <PageScaffold data=charter let:c><CharterView c reload/></PageScaffold>
    }
}

#[component]
fn CharterView(c: super::model::Charter, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveCharter>::new();
    let error = action_error(action);
    let responsibilities = RwSignal::new(c.responsibilities.clone());
    let rights = RwSignal::new(c.decision_rights.clone());
    let saved = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            saved.set(true);
            reload.update(|n| *n += 1);
        }
    });
    let person = StoredValue::new(c.person_id.clone());
    let version = c.version;
    let area = move |name: &'static str, label: AnyView, value: RwSignal<String>| {
        let id = format!("charter-{name}");
        view! {
            <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for(name)))>
                <label for=id.clone()>{label}</label>
                <textarea id=id name=name rows="6" bind:value=value></textarea>
            </div>
        }
    };
    view! {
        <section class="card section">
            <h2 data-testid="charter-person">{c.person_name.clone()} {c.team_name.clone().map(|t| format!(" · {t}"))}</h2>
            <form id="charter-form" on:submit=move |ev| {
                ev.prevent_default();
                saved.set(false);
                action.dispatch(SaveCharter {
                    person_id: person.get_value(),
                    version,
                    responsibilities: responsibilities.get_untracked(),
                    decision_rights: rights.get_untracked(),
                });
            }>
                <FormAlert error/>
                {area("responsibilities", t!(i18n, kpis.responsibilities).into_any(), responsibilities)}
                {area("decision_rights", t!(i18n, kpis.decision_rights).into_any(), rights)}
                <h3>{t!(i18n, kpis.kpis_owned)}</h3>
                {if c.kpis.is_empty() {
                    view! { <p class="muted">{t!(i18n, kpis.no_kpis_owned)}</p> }.into_any()
                } else {
                    view! {
                        <ul class="plain-list" role="list">
                            {c.kpis.iter().map(|(id, code, name)| view! {
                                <li><a href=format!("/kpis/{id}")><span class="chip">{code.clone()}</span> " " {name.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-charter">{t!(i18n, common.save)}</button>
                    {c.updated_at.clone().map(|u| view! { <span class="muted small">{t!(i18n, kpis.updated)} " " {crate::calendar::day_part(&u)}</span> })}
                </div>
                <SuccessNote show=saved>{t!(i18n, kpis.charter_saved)}</SuccessNote>
            </form>
        </section>
    }
}

/// Check-ins wait in the outbox under this kind.
pub const CHECKIN_SENDER: crate::ui::outbox::Sender = crate::ui::outbox::Sender {
    kind: "checkin",
    send: send_queued_checkin,
};

/// Sends a check-in that waited in the outbox.
fn send_queued_checkin(payload: serde_json::Value) -> crate::ui::outbox::SendFuture {
    Box::pin(async move {
        let a: AddCheckin = serde_json::from_value(payload).map_err(|_| AppError::internal())?;
        super::api::add_checkin(
            a.id,
            a.kpi_id,
            a.day,
            a.value,
            a.confidence,
            a.note,
            a.corrects,
        )
        .await
        .map(|_| ())
    })
}

// ---------------------------------------------------------------- dashboard card

/// The signed-in person's KPIs waiting for a check-in (home dashboard). The
/// dashboard loads the list with its other cards, under its one Suspense.
#[component]
pub fn CheckinsDue(due: Result<Vec<crate::kpi::model::DueKpi>, AppError>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="card-due" data-testid="checkins-due">
            <h2 id="card-due">{t!(i18n, kpis.due_title)}</h2>
            {match due {
                Err(e) => error_box(e),
                Ok(list) if list.is_empty() => view! { <p class="muted">{t!(i18n, kpis.nothing_due)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="plain-list" role="list">
                        {list.into_iter().map(|k| view! {
                            <li data-testid="due-kpi">
                                <a href=format!("/kpis/{}", k.id)><span class="chip">{k.code.clone()}</span> " " {k.name.clone()}</a>
                                " "
                                {k.stale.then(|| view! { <span class="badge kpi-stale"><Icon name="alert"/>{t!(i18n, kpis.stale)}</span> })}
                                <span class="muted small"> " " {t!(i18n, kpis.last_checkin)} " " {k.last_day.clone().unwrap_or_else(|| "—".into())}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}
