//! `/growth` and `/growth/people/:id`: a person's growth: level and its
//! history, assessment (the plan and suggestions are in `plan.rs`).
use super::parts::{GrowthTabs, PeriodPicker, RetiredBadge};
use super::plan::{PlanSection, Suggestions};
use crate::growth::api::{SaveRatings, SetLevel, load_person_growth};
use crate::growth::model::{LevelChange, PersonGrowth, RatingInput, RatingRow};
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
    let level_retired = growth.level.as_ref().is_some_and(|l| l.retired);
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
                        {level_retired.then(|| view! { " " <RetiredBadge/> })}
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
        {growth.rights.see_ratings.then(|| view! { <PromotionHistory changes=growth.promotions.clone()/> })}
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
    let choices = growth.level_choices.clone();
    // Track names only where there is more than one track to tell apart.
    let several = choices.windows(2).any(|w| w[0].track != w[1].track);
    let options = move || {
        let locale = i18n.get_locale();
        let mut options = vec![(String::new(), "—".to_string())];
        options.extend(choices.iter().map(|l| {
            let mut label = if several {
                format!("{} · {}", l.track.get(locale == Locale::zh), l.code)
            } else {
                l.code.clone()
            };
            if l.retired {
                label = format!("{label} ({})", td_string!(locale, growth.retired));
            }
            (l.id.clone(), label)
        }));
        options
    };
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
            <SelectField form="level-form" name="level_id" value options=Signal::derive(options) error>{t!(i18n, growth.set_level)}</SelectField>
            <button type="submit" class="btn" data-testid="save-level">{t!(i18n, common.save)}</button>
        </form>
    }
}

/// The person's level changes, newest first: when, from → to, and who.
#[component]
fn PromotionHistory(changes: Vec<LevelChange>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card section" aria-labelledby="promotions-title" data-testid="promotions">
            <h2 id="promotions-title">{t!(i18n, growth.promotions)}</h2>
            {if changes.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.no_promotions)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table">
                            <thead><tr>
                                <th scope="col">{t!(i18n, growth.changed_at)}</th>
                                <th scope="col">{t!(i18n, growth.level_change)}</th>
                                <th scope="col">{t!(i18n, growth.changed_by)}</th>
                            </tr></thead>
                            <tbody>
                                {changes.into_iter().map(|c| {
                                    // "2026-12-03T16:00:00+08:00" → "2026-12-03 16:00", in the organisation's zone.
                                    let shown: String = c.changed_at.chars().take(16).collect::<String>().replace('T', " ");
                                    let track = c.track.clone();
                                    view! {
                                        <tr data-testid="promotion" data-to=c.to.clone()>
                                            <td class="num"><time datetime=c.changed_at.clone()>{shown}</time></td>
                                            <td>
                                                <span class="chip">{c.from.clone().unwrap_or_else(|| "—".into())}</span>
                                                {c.from_retired.then(|| view! { " " <RetiredBadge/> })}
                                                " → "
                                                <span class="chip">{c.to.clone()}</span>
                                                {c.to_retired.then(|| view! { " " <RetiredBadge/> })}
                                                " " <span class="muted small">{move || track.get(is_zh(i18n)).to_string()}</span>
                                            </td>
                                            <td>{c.changed_by.clone()}</td>
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

/// The assessment: what the next level expects, self and leader ratings and
/// the gap; the editable column is the caller's. A retired competency's row
/// is shown as it was rated, and takes no new rating.
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
        .filter(|r| !r.retired)
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
                                let rates = editable && !r.retired;
                                let self_cell = if rates && !as_leader { select(&r).into_any() } else { view! { <span class="num">{r.self_rating.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</span> }.into_any() };
                                let lead_cell = if rates && as_leader { select(&r).into_any() } else { view! { <span class="num">{r.leader_rating.map(|v| v.to_string()).unwrap_or_else(|| "—".into())}</span> }.into_any() };
                                view! {
                                    <tr data-testid="rating-row" data-competency=r.names.en.clone() data-retired=r.retired.to_string()>
                                        <th scope="row">{move || names.get(is_zh(i18n)).to_string()} {r.retired.then(|| view! { " " <RetiredBadge/> })}</th>
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
