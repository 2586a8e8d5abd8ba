//! Pieces shared by the goals and KPI pages: labels, the status badge, the
//! progress bar, the section's tabs and the KPI form (new and edit).
use crate::i18n::*;
use crate::kpi::api::{CreateKpi, UpdateKpi};
use crate::kpi::model::{Direction, KpiForm, KpiStatus, Visibility};
use crate::ui::form::{FormAlert, SelectField, TextField, action_error, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::page::use_reload;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

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

pub(super) fn direction_label(locale: Locale, d: Direction) -> &'static str {
    match d {
        Direction::Increase => td_string!(locale, kpis.direction.increase),
        Direction::Decrease => td_string!(locale, kpis.direction.decrease),
        Direction::StayAbove => td_string!(locale, kpis.direction.stay_above),
        Direction::StayBelow => td_string!(locale, kpis.direction.stay_below),
    }
}

pub(super) fn visibility_label(locale: Locale, v: Visibility) -> &'static str {
    match v {
        Visibility::Private => td_string!(locale, kpis.visibility.private),
        Visibility::Team => td_string!(locale, kpis.visibility.team),
        Visibility::Organisation => td_string!(locale, kpis.visibility.organisation),
    }
}

pub(super) fn percent(p: f64) -> String {
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
pub(super) fn ProgressBar(progress: f64, status: Option<KpiStatus>) -> impl IntoView {
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
pub(super) fn KpiTabs(current: &'static str) -> impl IntoView {
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

#[component]
pub(super) fn KpiFormView(
    choices: crate::kpi::api::KpiFormChoices,
    /// Editing: the KPI's id, version and current definition.
    #[prop(optional)]
    existing: Option<(String, i64, KpiForm)>,
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
            owner: choices
                .owners
                .first()
                .map(|o| o.0.clone())
                .unwrap_or_default(),
            direction: "increase".into(),
            start_date: choices.today.clone(),
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
    if existing.is_some() {
        let reload = use_reload();
        Effect::new(move |_| {
            if let Some(Ok(())) = update.value().get() {
                reload.bump();
            }
        });
    }
    let owners = choices.owners.clone();
    let mut goal_opts = vec![(String::new(), String::new())];
    goal_opts.extend(choices.goals.clone());
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
