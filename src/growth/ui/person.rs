//! `/growth` and `/growth/people/:id`: a person's growth: level, assessment
//! (the plan and suggestions are in `plan.rs`).
use super::parts::{GrowthTabs, PeriodPicker};
use super::plan::{PlanSection, Suggestions};
use crate::growth::api::{SaveRatings, SetLevel, load_person_growth};
use crate::growth::model::{PersonGrowth, RatingInput, RatingRow};
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, action_error, error_text, focus_first_invalid,
};
use crate::ui::icons::Icon;
use crate::ui::is_zh;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/growth`: the signed-in person's own growth.
#[component]
pub fn MyGrowthPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.title).to_string())/>
        <GrowthTabs current="mine"/>
        <PersonGrowthSection id=Signal::derive(String::new)/>
    }
}

/// `/growth/people/:id`: a report's (or mentee's) growth.
#[component]
pub fn PersonGrowthPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Signal::derive(move || params.with(|p| p.get("id").unwrap_or_default()));
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.title).to_string())/>
        <GrowthTabs current="person"/>
        <PersonGrowthSection id/>
    }
}

#[component]
fn PersonGrowthSection(id: Signal<String>) -> impl IntoView {
    let query = use_query_map();
    let reload = Reload::provide();
    // Outside the reloaded view: the "saved" note outlives the reload it causes.
    let saved = RwSignal::new(false);
    // Another person's page starts without the note.
    Effect::new(move |_| {
        id.track();
        saved.set(false);
    });
    let data = page_resource(
        move || {
            (
                id.get(),
                query.with(|q| q.get("period").unwrap_or_default()),
                reload.get(),
            )
        },
        |(id, period, _)| load_person_growth(id, period),
    );
    view! {
        <PageScaffold data let:g><GrowthView growth=g saved/></PageScaffold>
    }
}

#[component]
fn GrowthView(growth: PersonGrowth, saved: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let level = growth.level.as_ref().map(|l| l.code.clone());
    let next = growth.next_level.as_ref().map(|l| l.code.clone());
    let track = growth.track.clone();
    let has_period = growth.period.is_some();
    let show_ratings = growth.rights.see_ratings && !growth.ratings.is_empty();
    let show_suggestions = growth.rights.edit_plan && growth.rights.see_ratings && has_period;
    view! {
        <section class="card section" data-testid="growth-person">
            <div class="section-head">
                <div>
                    <h2 data-testid="growth-person-name">{growth.person_name.clone()}</h2>
                    <p class="muted small">
                        {growth.team_name.clone()}
                        {track.map(|t| view! { " · " {move || t.names.get(is_zh(i18n)).to_string()} })}
                        " · " {t!(i18n, growth.level)} " "
                        <span class="chip" data-testid="current-level">{level.clone().unwrap_or_else(|| "—".into())}</span>
                        " → " {t!(i18n, growth.next_level)} " "
                        <span class="chip">{next.unwrap_or_else(|| "—".into())}</span>
                    </p>
                </div>
                {(!growth.periods.is_empty()).then(|| view! { <PeriodPicker periods=growth.periods.clone() current=growth.period.as_ref().map(|p| p.id.clone())/> })}
            </div>
            {growth.rights.set_level.then(|| view! { <LevelForm growth=growth.clone()/> })}
            {(!has_period).then(|| view! {
                <div class="empty-state">
                    <span class="empty-icon"><Icon name="target"/></span>
                    <h2>{t!(i18n, growth.no_period)}</h2>
                    <p>{t!(i18n, growth.no_period_body)}</p>
                </div>
            })}
        </section>
        {show_ratings.then(|| view! { <AssessmentForm growth=growth.clone() saved/> })}
        {has_period.then(|| view! { <PlanSection growth=growth.clone()/> })}
        {show_suggestions.then(|| view! { <Suggestions growth=growth.clone()/> })}
    }
}

#[component]
fn LevelForm(growth: PersonGrowth) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<SetLevel>::new();
    let error = action_error(action);
    let value = RwSignal::new(
        growth
            .level
            .as_ref()
            .map(|l| l.id.clone())
            .unwrap_or_default(),
    );
    let mut options = vec![(String::new(), "—".to_string())];
    options.extend(growth.levels.iter().map(|l| (l.id.clone(), l.code.clone())));
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.bump();
        }
    });
    let person = StoredValue::new(growth.person_id.clone());
    let version = growth.level_version;
    view! {
        <form id="level-form" class="inline-form subform" on:submit=move |ev| {
            ev.prevent_default();
            action.dispatch(SetLevel { person_id: person.get_value(), level_id: value.get_untracked(), version });
        }>
            <FormAlert error/>
            <SelectField form="level-form" name="level_id" value options=Signal::derive(move || options.clone()) error>{t!(i18n, growth.set_level)}</SelectField>
            <button type="submit" class="btn" data-testid="save-level">{t!(i18n, common.save)}</button>
        </form>
    }
}

/// The assessment: what the next level expects, self and leader ratings and
/// the gap; the editable column is the caller's.
#[component]
fn AssessmentForm(growth: PersonGrowth, saved: RwSignal<bool>) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<SaveRatings>::new();
    let error = action_error(action);
    let as_leader = growth.rights.rate_as_leader;
    let editable = growth.rights.rate_as_leader || growth.rights.rate_self;
    let values: Vec<(String, RwSignal<String>)> = growth
        .ratings
        .iter()
        .map(|r| {
            let v = if as_leader {
                r.leader_rating
            } else {
                r.self_rating
            };
            (
                r.competency_id.clone(),
                RwSignal::new(v.map(|v| v.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    let values = StoredValue::new(values);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            saved.set(true);
            reload.bump();
        }
    });
    focus_first_invalid("assessment-form", error);
    let person = StoredValue::new(growth.person_id.clone());
    let period = StoredValue::new(
        growth
            .period
            .as_ref()
            .map(|p| p.id.clone())
            .unwrap_or_default(),
    );
    let version = growth.assessment_version;
    let next = growth
        .next_level
        .as_ref()
        .map(|l| l.code.clone())
        .unwrap_or_default();
    let rows = growth.ratings.clone();
    let select = move |r: &RatingRow| {
        let cid = r.competency_id.clone();
        let sig = values
            .with_value(|v| v.iter().find(|(c, _)| *c == cid).map(|(_, s)| *s))
            .unwrap();
        let field = format!("rating-{cid}");
        let field2 = field.clone();
        let label = format!("{} — {}", r.names.en, r.names.zh);
        let msg_id = format!("{field}-msg");
        view! {
            <select class="rating-select" id=field.clone() name=field.clone() aria-label=move || format!("{} {}", t_string!(i18n, growth.rating_for), label)
                aria-describedby=msg_id.clone()
                prop:value=move || sig.get() on:change=move |ev| sig.set(event_target_value(&ev))>
                <option value="" selected=move || sig.get().is_empty()>"—"</option>
                {(1..=5).map(|n| view! { <option value=n.to_string() selected=move || sig.get() == n.to_string()>{n}</option> }).collect_view()}
            </select>
            <p class="field-msg" id=msg_id>
                {move || error.get().filter(|e| e.is_for(&field2)).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}
            </p>
        }
    };
    view! {
        <section class="card section" aria-labelledby="assessment-title">
            <h2 id="assessment-title">{t!(i18n, growth.assessment)}</h2>
            <p class="muted small">{t!(i18n, growth.assessment_hint)} " " <span class="chip">{next}</span></p>
            <form id="assessment-form" on:submit=move |ev| {
                ev.prevent_default();
                saved.set(false);
                let ratings = values.with_value(|v| v.iter().map(|(c, s)| RatingInput { competency_id: c.clone(), rating: s.get_untracked() }).collect());
                action.dispatch(SaveRatings { person_id: person.get_value(), period_id: period.get_value(), version, as_leader, ratings });
            }>
                <FormAlert error/>
                <div class="table-wrap">
                    <table class="table" data-testid="assessment-table">
                        <thead><tr>
                            <th scope="col">{t!(i18n, growth.competency)}</th>
                            <th scope="col">{t!(i18n, growth.expected)}</th>
                            <th scope="col">{t!(i18n, growth.self_rating)}</th>
                            <th scope="col">{t!(i18n, growth.leader_rating)}</th>
                            <th scope="col">{t!(i18n, growth.gap)}</th>
                        </tr></thead>
                        <tbody>
                            {rows.into_iter().map(|r| {
                                let names = r.names.clone();
                                let text = r.expectation.clone();
                                let gap = r.gap;
                                let self_cell = if editable && !as_leader { select(&r).into_any() } else { view! { <span class="num">{r.self_rating.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</span> }.into_any() };
                                let lead_cell = if editable && as_leader { select(&r).into_any() } else { view! { <span class="num">{r.leader_rating.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</span> }.into_any() };
                                view! {
                                    <tr data-testid="rating-row" data-competency=r.names.en.clone()>
                                        <th scope="row">{move || names.get(is_zh(i18n)).to_string()}</th>
                                        <td><span class="num">{r.expected_next}</span> " " <span class="muted small">{move || text.get(is_zh(i18n)).to_string()}</span></td>
                                        <td>{self_cell}</td>
                                        <td>{lead_cell}</td>
                                        <td data-testid="gap">{match gap {
                                            Some(g) if g > 0 => view! { <span class="gap-pos"><Icon name="alert"/>" +" {g}</span> }.into_any(),
                                            Some(g) => view! { <span class="badge badge-ok"><Icon name="check"/>{g}</span> }.into_any(),
                                            None => view! { <span class="gap-none">"—"</span> }.into_any(),
                                        }}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {editable.then(|| view! {
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="save-ratings">
                            {move || if as_leader { t_string!(i18n, growth.save_leader_ratings) } else { t_string!(i18n, growth.save_self_ratings) }}
                        </button>
                    </div>
                })}
                <SuccessNote show=saved>{t!(i18n, growth.ratings_saved)}</SuccessNote>
            </form>
        </section>
    }
}
