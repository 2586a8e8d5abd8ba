//! Pages of growth and training plans: a person's growth (level, assessment,
//! plan, suggestions, budget), the leaders' training dashboard with the
//! competency heatmap, the catalog, mentoring, the framework, periods and
//! budgets.
use super::api::{
    AddCompetency, AddLevel, AddPlanItem, ApprovePlan, CreateCatalogEntry, CreateMentorship,
    CreatePeriod, LogMeeting, SaveExpectation, SaveRatings, SetBudget, SetLevel, UpdatePlanItem,
    load_catalog, load_framework, load_growth_dashboard, load_growth_settings, load_mentoring,
    load_person_growth,
};
use super::model::{
    Approval, BudgetRow, Competency, GrowthDashboard, ItemForm, ItemKind, ItemStatus, PAGE_SIZE,
    PersonGrowth, PlanItem, RatingInput, RatingRow, heat_tone, money_input, money_text,
};
use crate::app::PageHeader;
use crate::i18n::*;
use crate::ui::charts::{HEAT_NO_VALUE, HeatCell, Heatmap};
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, action_error, error_box, error_text,
    focus_first_invalid,
};
use crate::ui::icons::Icon;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::{is_zh, new_id};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_params_map, use_query_map};

fn kind_label(locale: Locale, k: ItemKind) -> &'static str {
    match k {
        ItemKind::Course => td_string!(locale, growth.kind.course),
        ItemKind::Conference => td_string!(locale, growth.kind.conference),
        ItemKind::Reading => td_string!(locale, growth.kind.reading),
        ItemKind::InternalSharing => td_string!(locale, growth.kind.internal_sharing),
        ItemKind::Mentoring => td_string!(locale, growth.kind.mentoring),
        ItemKind::StretchAssignment => td_string!(locale, growth.kind.stretch_assignment),
    }
}

fn item_status_label(locale: Locale, s: ItemStatus) -> &'static str {
    match s {
        ItemStatus::Planned => td_string!(locale, growth.status.planned),
        ItemStatus::InProgress => td_string!(locale, growth.status.in_progress),
        ItemStatus::Done => td_string!(locale, growth.status.done),
        ItemStatus::Dropped => td_string!(locale, growth.status.dropped),
    }
}

fn pct(p: Option<f64>) -> String {
    p.map(|p| format!("{}%", (p * 100.0).round() as i64))
        .unwrap_or_else(|| "—".into())
}

fn money(cents: i64, currency: &str) -> String {
    format!("{} {currency}", money_text(cents))
}

fn name_of(list: &[Competency], id: &str, zh: bool) -> String {
    list.iter()
        .find(|c| c.id == id)
        .map(|c| c.names.get(zh).to_string())
        .unwrap_or_default()
}

/// The tabs of the growth section; leaders and admins also see the
/// dashboard and the budgets.
#[component]
fn GrowthTabs(current: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    let user = Resource::new(|| (), |_| crate::auth::api::current_user());
    let tab = move |key: &'static str, href: &'static str| {
        let label = move || match key {
            "mine" => t_string!(i18n, growth.tab_mine),
            "dashboard" => t_string!(i18n, growth.tab_dashboard),
            "catalog" => t_string!(i18n, growth.tab_catalog),
            "mentoring" => t_string!(i18n, growth.tab_mentoring),
            "framework" => t_string!(i18n, growth.tab_framework),
            _ => t_string!(i18n, growth.tab_settings),
        };
        view! {
            <a href=href class="tab" aria-current=if key == current { Some("page") } else { None }>{label}</a>
        }
    };
    view! {
        <nav class="tabs" aria-label=move || t_string!(i18n, nav.growth)>
            {tab("mine", "/growth")}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let leads = matches!(
                        user.await,
                        Ok(Some(u)) if matches!(u.role, crate::auth::Role::Admin | crate::auth::Role::Leader)
                    );
                    leads.then(|| view! { {tab("dashboard", "/growth/dashboard")} })
                })}
            </Suspense>
            {tab("catalog", "/growth/catalog")}
            {tab("mentoring", "/growth/mentoring")}
            {tab("framework", "/growth/framework")}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let leads = matches!(
                        user.await,
                        Ok(Some(u)) if matches!(u.role, crate::auth::Role::Admin | crate::auth::Role::Leader)
                    );
                    leads.then(|| view! { {tab("settings", "/growth/settings")} })
                })}
            </Suspense>
        </nav>
    }
}

/// A period picker that keeps the current path and sets `?period=`.
#[component]
fn PeriodPicker(periods: Vec<super::model::Period>, current: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let location = use_location();
    let value = RwSignal::new(current.unwrap_or_default());
    view! {
        <div class="field period-picker">
            <label for="period-picker">{t!(i18n, growth.period)}</label>
            <select id="period-picker" prop:value=move || value.get() on:change=move |ev| {
                let v = event_target_value(&ev);
                value.set(v.clone());
                navigate(&format!("{}?period={}", location.pathname.get_untracked(), crate::ui::url_encode(&v)), Default::default());
            }>
                {periods.into_iter().map(|p| {
                    let id = p.id.clone();
                    view! { <option value=id.clone() selected=move || value.get() == id>{format!("{} ({} – {})", p.name, p.start_date, p.end_date)}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

// ---------------------------------------------------------------- a person's growth

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
    let reload = RwSignal::new(0u32);
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
        <PageScaffold data let:g><GrowthView g reload saved/></PageScaffold>
    }
}

#[component]
fn GrowthView(g: PersonGrowth, reload: RwSignal<u32>, saved: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let level = g.level.as_ref().map(|l| l.code.clone());
    let next = g.next_level.as_ref().map(|l| l.code.clone());
    let track = g.track.clone();
    let has_period = g.period.is_some();
    let show_ratings = g.rights.see_ratings && !g.ratings.is_empty();
    let show_suggestions = g.rights.edit_plan && g.rights.see_ratings && has_period;
    view! {
        <section class="card section" data-testid="growth-person">
            <div class="section-head">
                <div>
                    <h2 data-testid="growth-person-name">{g.person_name.clone()}</h2>
                    <p class="muted small">
                        {g.team_name.clone()}
                        {track.map(|t| view! { " · " {move || t.names.get(is_zh(i18n)).to_string()} })}
                        " · " {t!(i18n, growth.level)} " "
                        <span class="chip" data-testid="current-level">{level.clone().unwrap_or_else(|| "—".into())}</span>
                        " → " {t!(i18n, growth.next_level)} " "
                        <span class="chip">{next.unwrap_or_else(|| "—".into())}</span>
                    </p>
                </div>
                {(!g.periods.is_empty()).then(|| view! { <PeriodPicker periods=g.periods.clone() current=g.period.as_ref().map(|p| p.id.clone())/> })}
            </div>
            {g.rights.set_level.then(|| view! { <LevelForm g=g.clone() reload/> })}
            {(!has_period).then(|| view! {
                <div class="empty-state">
                    <span class="empty-icon"><Icon name="target"/></span>
                    <h2>{t!(i18n, growth.no_period)}</h2>
                    <p>{t!(i18n, growth.no_period_body)}</p>
                </div>
            })}
        </section>
        {show_ratings.then(|| view! { <AssessmentForm g=g.clone() reload saved/> })}
        {has_period.then(|| view! { <PlanSection g=g.clone() reload/> })}
        {show_suggestions.then(|| view! { <Suggestions g=g.clone() reload/> })}
    }
}

#[component]
fn LevelForm(g: PersonGrowth, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetLevel>::new();
    let error = action_error(action);
    let value = RwSignal::new(g.level.as_ref().map(|l| l.id.clone()).unwrap_or_default());
    let mut options = vec![(String::new(), "—".to_string())];
    options.extend(g.levels.iter().map(|l| (l.id.clone(), l.code.clone())));
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let person = StoredValue::new(g.person_id.clone());
    let version = g.level_version;
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
fn AssessmentForm(g: PersonGrowth, reload: RwSignal<u32>, saved: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveRatings>::new();
    let error = action_error(action);
    let as_leader = g.rights.rate_as_leader;
    let editable = g.rights.rate_as_leader || g.rights.rate_self;
    let values: Vec<(String, RwSignal<String>)> = g
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
            reload.update(|n| *n += 1);
        }
    });
    focus_first_invalid("assessment-form", error);
    let person = StoredValue::new(g.person_id.clone());
    let period = StoredValue::new(g.period.as_ref().map(|p| p.id.clone()).unwrap_or_default());
    let version = g.assessment_version;
    let next = g
        .next_level
        .as_ref()
        .map(|l| l.code.clone())
        .unwrap_or_default();
    let rows = g.ratings.clone();
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

/// The plan of the period: completion, overdue, budget with the approval
/// state, its items and the form for a new one.
#[component]
fn PlanSection(g: PersonGrowth, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let plan = g.plan.clone();
    let cur = g.currency.clone();
    let approve = ServerAction::<ApprovePlan>::new();
    let approve_error = action_error(approve);
    Effect::new(move |_| {
        if let Some(Ok(_)) = approve.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let comps = StoredValue::new(g.competencies.clone());
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
    let can_approve = g.rights.approve;
    let editable = g.rights.edit_plan;
    let items = plan.items.clone();
    let empty = items.is_empty();
    let currency = StoredValue::new(cur.clone());
    view! {
        <section class="card section" aria-labelledby="plan-title" data-testid="plan">
            <h2 id="plan-title">{t!(i18n, growth.plan)} {g.period.as_ref().map(|p| format!(" · {}", p.name))}</h2>
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
                            view! { <ItemView item comps=comp currency=currency.get_value() editable reload/> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {editable.then(|| view! { <NewItemForm g=g.clone() reload/> })}
        </section>
    }
}

#[component]
fn ItemView(
    item: PlanItem,
    comps: Vec<Competency>,
    currency: String,
    editable: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<UpdatePlanItem>::new();
    let error = action_error(action);
    let status = RwSignal::new(item.status.as_str().to_string());
    let evidence = RwSignal::new(item.evidence.clone());
    let due = RwSignal::new(item.due_date.clone());
    let cost = RwSignal::new(money_input(item.cost));
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let id = StoredValue::new(item.id.clone());
    let version = item.version;
    let fid = format!("item-{}", item.id);
    let comp = StoredValue::new(comps);
    let cid = item.competency_id.clone();
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
            <div class="plan-item-meta">
                <span>{move || comp.with_value(|c| name_of(c, &cid, is_zh(i18n)))}</span>
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
            })}
        </li>
    }
}

fn kind_options(locale: Locale) -> Vec<(String, String)> {
    ItemKind::ALL
        .iter()
        .map(|k| (k.as_str().to_string(), kind_label(locale, *k).to_string()))
        .collect()
}

fn competency_options(list: &[Competency], zh: bool) -> Vec<(String, String)> {
    list.iter()
        .map(|c| (c.id.clone(), c.names.get(zh).to_string()))
        .collect()
}

#[component]
fn NewItemForm(g: PersonGrowth, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddPlanItem>::new();
    let error = action_error(action);
    let kind = RwSignal::new("course".to_string());
    let title = RwSignal::new(String::new());
    let comp = RwSignal::new(
        g.competencies
            .first()
            .map(|c| c.id.clone())
            .unwrap_or_default(),
    );
    let due = RwSignal::new(
        g.period
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
            reload.update(|n| *n += 1);
        }
    });
    focus_first_invalid("item-form", error);
    let comps = g.competencies.clone();
    let person = StoredValue::new(g.person_id.clone());
    let period = StoredValue::new(g.period.as_ref().map(|p| p.id.clone()).unwrap_or_default());
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
                <SelectField form="item-form" name="competency_id" value=comp options=Signal::derive(move || competency_options(&comps, is_zh(i18n))) error>{t!(i18n, growth.competency)}</SelectField>
                <TextField form="item-form" name="due_date" kind="date" value=due error>{t!(i18n, growth.due)}</TextField>
                <TextField form="item-form" name="cost" value=cost error hint=Signal::derive(move || g.currency.clone())>{t!(i18n, growth.cost)}</TextField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="add-item">{t!(i18n, growth.add_item)}</button>
                </div>
            </form>
        </details>
    }
}

/// Catalog entries for the largest gaps, each one click from the plan.
#[component]
fn Suggestions(g: PersonGrowth, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<AddPlanItem>::new();
    let error = action_error(action);
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let comps = StoredValue::new(g.competencies.clone());
    let person = StoredValue::new(g.person_id.clone());
    let period = StoredValue::new(g.period.as_ref().map(|p| p.id.clone()).unwrap_or_default());
    let due = StoredValue::new(
        g.period
            .as_ref()
            .map(|p| p.end_date.clone())
            .unwrap_or_default(),
    );
    let cur = g.currency.clone();
    let list = g.suggestions.clone();
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

// ---------------------------------------------------------------- dashboard

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
        <PageScaffold data let:d><DashboardView d/></PageScaffold>
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
fn DashboardView(d: GrowthDashboard) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let period_id = d.period.as_ref().map(|p| p.id.clone()).unwrap_or_default();
    let team = RwSignal::new(d.team_filter.clone());
    let cur = d.currency.clone();
    let completion = super::model::completion_of(
        d.teams.iter().map(|t| t.done).sum(),
        d.teams.iter().map(|t| t.items).sum(),
        d.teams.iter().map(|t| t.dropped).sum(),
    );
    let mut team_opts = vec![(String::new(), String::new())];
    team_opts.extend(d.team_choices.clone());
    let pid = period_id.clone();
    let comps = d.competencies.clone();
    let table_comps = StoredValue::new(d.competencies.clone());
    let table_people = d.people.clone();
    let rows: Vec<String> = d.people.iter().map(|p| p.name.clone()).collect();
    let people = d.people.clone();
    let pages = d.total_people.div_ceil(PAGE_SIZE);
    let page = d.page;
    let filter = d.team_filter.clone();
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
            {(!d.periods.is_empty()).then(|| view! { <PeriodPicker periods=d.periods.clone() current=d.period.as_ref().map(|p| p.id.clone())/> })}
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
        {d.period.is_none().then(|| view! { <p class="muted">{t!(i18n, growth.no_period)}</p> })}
        <div class="stat-tiles">
            <div class="stat-tile">
                <div class="stat-value" data-testid="dash-completion">{pct(completion)}</div>
                <div class="stat-label">{t!(i18n, growth.completion)}</div>
            </div>
            <div class="stat-tile">
                <div class="stat-value" data-testid="dash-overdue">{d.overdue_total}</div>
                <div class="stat-label">{t!(i18n, growth.overdue_items)}</div>
            </div>
            <div class="stat-tile">
                <div class="stat-value" data-testid="dash-budget">{money(d.budget_spent, &cur)}</div>
                <div class="stat-label">{t!(i18n, growth.spent)} " · " {t!(i18n, growth.budget)} " " {money(d.budget_set, &cur)}</div>
                {(d.budget_set > 0).then(|| {
                    let r = d.budget_spent as f64 / d.budget_set as f64;
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
                        {d.teams.iter().map(|t| {
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
            <h2 id="people-title">{t!(i18n, growth.by_person)} " " <span class="muted small num">{d.total_people}</span></h2>
            {if d.people.is_empty() {
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
                                {d.people.iter().map(|p| view! {
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
            <h2 id="overdue-title">{t!(i18n, growth.overdue_items)} " " <span class="muted small num">{d.overdue_total}</span></h2>
            {if d.overdue.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.nothing_overdue)}</p> }.into_any()
            } else {
                view! {
                    <ul class="plain-list" role="list">
                        {d.overdue.iter().map(|o| view! {
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

// ---------------------------------------------------------------- catalog

/// `/growth/catalog`: learning resources; leaders and admins add to it.
#[component]
pub fn GrowthCatalogPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    // Outside the reloaded view: the "added" note outlives the reload it causes.
    let saved = RwSignal::new(false);
    let data = Resource::new(move || reload.get(), |_| load_catalog());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.catalog_title).to_string())/>
        <GrowthTabs current="catalog"/>
        <Transition fallback=|| view! { <div class="card skeleton tall" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_box(e),
                    Ok(c) => {
                        let comps = StoredValue::new(c.competencies.clone());
                        let cur = c.currency.clone();
                        view! {
                            {c.entries.is_empty().then(|| view! { <p class="muted">{t!(i18n, growth.catalog_empty)}</p> })}
                            <div class="table-wrap">
                                <table class="table" data-testid="catalog-table">
                                    <thead><tr>
                                        <th scope="col">{t!(i18n, growth.item_title)}</th>
                                        <th scope="col">{t!(i18n, growth.kind_label)}</th>
                                        <th scope="col">{t!(i18n, growth.competencies)}</th>
                                        <th scope="col">{t!(i18n, growth.cost)}</th>
                                        <th scope="col">{t!(i18n, growth.language)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {c.entries.into_iter().map(|e| {
                                            let kind = e.kind;
                                            let ids = e.competencies.clone();
                                            view! {
                                                <tr data-testid="catalog-row">
                                                    <th scope="row">{if e.link.is_empty() { view! { {e.title.clone()} }.into_any() } else { view! { <a href=e.link.clone() rel="noopener noreferrer" target="_blank">{e.title.clone()}</a> }.into_any() }}</th>
                                                    <td>{move || kind_label(i18n.get_locale(), kind)}</td>
                                                    <td>{move || comps.with_value(|cs| ids.iter().map(|id| name_of(cs, id, is_zh(i18n))).collect::<Vec<_>>().join(" · "))}</td>
                                                    <td class="num">{money(e.cost, &cur)}</td>
                                                    <td>{e.language.to_uppercase()}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                            {c.can_add.then(|| view! { <NewCatalogForm competencies=c.competencies.clone() reload saved/> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn NewCatalogForm(
    competencies: Vec<Competency>,
    reload: RwSignal<u32>,
    saved: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateCatalogEntry>::new();
    let error = action_error(action);
    let title = RwSignal::new(String::new());
    let kind = RwSignal::new("course".to_string());
    let link = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let language = RwSignal::new(
        if i18n.get_locale_untracked() == Locale::zh {
            "zh"
        } else {
            "en"
        }
        .to_string(),
    );
    let chosen = RwSignal::new(Vec::<String>::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            title.set(String::new());
            link.set(String::new());
            cost.set(String::new());
            chosen.set(Vec::new());
            pending.set(new_id());
            saved.set(true);
            reload.update(|n| *n += 1);
        }
    });
    focus_first_invalid("catalog-form", error);
    let langs = Signal::derive(|| {
        vec![
            ("en".to_string(), "English".to_string()),
            ("zh".to_string(), "中文".to_string()),
        ]
    });
    view! {
        <section class="card section" aria-labelledby="new-catalog-title">
            <h2 id="new-catalog-title">{t!(i18n, growth.add_resource)}</h2>
            <form id="catalog-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                saved.set(false);
                action.dispatch(CreateCatalogEntry { id: pending.get_untracked(), title: title.get_untracked(), kind: kind.get_untracked(), competencies: chosen.get_untracked(), link: link.get_untracked(), cost: cost.get_untracked(), language: language.get_untracked() });
            }>
                <FormAlert error/>
                <TextField form="catalog-form" name="title" value=title error>{t!(i18n, growth.item_title)}</TextField>
                <SelectField form="catalog-form" name="kind" value=kind options=Signal::derive(move || kind_options(i18n.get_locale())) error>{t!(i18n, growth.kind_label)}</SelectField>
                <fieldset class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("competencies")))>
                    <legend>{t!(i18n, growth.competencies)}</legend>
                    {competencies.into_iter().map(|c| {
                        let id = c.id.clone();
                        let id2 = c.id.clone();
                        let names = c.names.clone();
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=move || chosen.with(|v| v.contains(&id)) on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    chosen.update(|v| { v.retain(|x| *x != id2); if on { v.push(id2.clone()); } });
                                }/>
                                {move || names.get(is_zh(i18n)).to_string()}
                            </label>
                        }
                    }).collect_view()}
                    <p class="field-msg" id="catalog-form-competencies-msg">{move || error.get().filter(|e| e.is_for("competencies")).map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
                </fieldset>
                <TextField form="catalog-form" name="link" kind="url" value=link error>{t!(i18n, growth.link)}</TextField>
                <TextField form="catalog-form" name="cost" value=cost error>{t!(i18n, growth.cost)}</TextField>
                <SelectField form="catalog-form" name="language" value=language options=langs error>{t!(i18n, growth.language)}</SelectField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="add-resource">{t!(i18n, growth.add_resource)}</button>
                </div>
                <SuccessNote show=saved>{t!(i18n, growth.resource_added)}</SuccessNote>
            </form>
        </section>
    }
}

// ---------------------------------------------------------------- mentoring

/// `/growth/mentoring`: mentoring pairs with goals and their meeting log.
#[component]
pub fn GrowthMentoringPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let data = Resource::new(move || reload.get(), |_| load_mentoring());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.mentoring_title).to_string())/>
        <GrowthTabs current="mentoring"/>
        <Transition fallback=|| view! { <div class="card skeleton tall" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => error_box(e),
                    Ok(m) => {
                        let today = m.today.clone();
                        let can_pair = !m.mentees.is_empty();
                        view! {
                            {m.pairs.is_empty().then(|| view! {
                                <div class="empty-state">
                                    <span class="empty-icon"><Icon name="users"/></span>
                                    <h2>{t!(i18n, growth.no_pairs)}</h2>
                                </div>
                            })}
                            <div class="grid two">
                                {m.pairs.into_iter().map(|p| view! { <PairCard p today=today.clone() reload/> }).collect_view()}
                            </div>
                            {can_pair.then(|| view! { <NewPairForm mentors=m.mentors.clone() mentees=m.mentees.clone() reload/> })}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn PairCard(p: super::model::Mentorship, today: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<LogMeeting>::new();
    let error = action_error(action);
    let day = RwSignal::new(today);
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            note.set(String::new());
            pending.set(new_id());
            reload.update(|n| *n += 1);
        }
    });
    let pair = StoredValue::new(p.id.clone());
    let fid = format!("meeting-{}", p.id);
    let fid2 = fid.clone();
    let msg = move |name: &'static str| {
        let fid = fid2.clone();
        view! {
            <p class="field-msg" id=format!("{fid}-{name}-msg")>
                {move || error.get().filter(|e| e.is_for(name)).map(|e| view! { <span class="field-error"><Icon name="alert"/>{error_text(i18n.get_locale(), e.code)}</span> })}
            </p>
        }
    };
    view! {
        <section class="card" data-testid="pair">
            <h2>{p.mentor_name.clone()} " → " <a href=format!("/growth/people/{}", p.mentee_id)>{p.mentee_name.clone()}</a></h2>
            <p><strong>{t!(i18n, growth.pair_goals)}</strong> ": " {p.goals.clone()}</p>
            <h3>{t!(i18n, growth.meetings)}</h3>
            {if p.meetings.is_empty() {
                view! { <p class="muted">{t!(i18n, growth.no_meetings)}</p> }.into_any()
            } else {
                view! {
                    <ul class="meeting-log">
                        {p.meetings.iter().map(|m| view! {
                            <li data-testid="meeting"><span class="num">{m.day.clone()}</span> " · " <span class="muted small">{m.author_name.clone()}</span><br/>{m.note.clone()}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details>
                <summary class="summary-button">{t!(i18n, growth.log_meeting)}</summary>
                <form class="subform" id=fid.clone() on:submit=move |ev| {
                    ev.prevent_default();
                    action.dispatch(LogMeeting { id: pending.get_untracked(), mentorship_id: pair.get_value(), day: day.get_untracked(), note: note.get_untracked() });
                }>
                    <FormAlert error/>
                    <div class="field">
                        <label for=format!("{fid}-day")>{t!(i18n, growth.meeting_day)}</label>
                        <input id=format!("{fid}-day") type="date" prop:value=move || day.get() on:input=move |ev| day.set(event_target_value(&ev))/>
                        {msg("day")}
                    </div>
                    <div class="field">
                        <label for=format!("{fid}-note")>{t!(i18n, growth.meeting_note)}</label>
                        <textarea id=format!("{fid}-note") rows="3" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        {msg("note")}
                    </div>
                    <button type="submit" class="btn btn-primary">{t!(i18n, growth.log_meeting)}</button>
                </form>
            </details>
        </section>
    }
}

#[component]
fn NewPairForm(
    mentors: Vec<(String, String)>,
    mentees: Vec<(String, String)>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<CreateMentorship>::new();
    let error = action_error(action);
    let mentor = RwSignal::new(String::new());
    let mentee = RwSignal::new(String::new());
    let goals = RwSignal::new(String::new());
    let pending = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            goals.set(String::new());
            pending.set(new_id());
            reload.update(|n| *n += 1);
        }
    });
    let with_blank = |v: Vec<(String, String)>| {
        let mut o = vec![(String::new(), "—".to_string())];
        o.extend(v);
        o
    };
    let mentors = with_blank(mentors);
    let mentees = with_blank(mentees);
    view! {
        <section class="card section" aria-labelledby="new-pair-title">
            <h2 id="new-pair-title">{t!(i18n, growth.new_pair)}</h2>
            <form id="pair-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(CreateMentorship { id: pending.get_untracked(), mentor_id: mentor.get_untracked(), mentee_id: mentee.get_untracked(), goals: goals.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="pair-form" name="mentor_id" value=mentor options=Signal::derive(move || mentors.clone()) error>{t!(i18n, growth.mentor)}</SelectField>
                <SelectField form="pair-form" name="mentee_id" value=mentee options=Signal::derive(move || mentees.clone()) error>{t!(i18n, growth.mentee)}</SelectField>
                <TextField form="pair-form" name="goals" value=goals error>{t!(i18n, growth.pair_goals)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary">{t!(i18n, growth.new_pair)}</button></div>
            </form>
        </section>
    }
}

// ---------------------------------------------------------------- framework

/// `/growth/framework`: levels × competencies with expectation and rating;
/// admins edit cells and add levels and competencies.
#[component]
pub fn GrowthFrameworkPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reload = RwSignal::new(0u32);
    let data = page_resource(
        move || {
            (
                query.with(|q| q.get("track").unwrap_or_default()),
                reload.get(),
            )
        },
        |(t, _)| load_framework(t),
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, growth.framework_title).to_string())/>
        <GrowthTabs current="framework"/>
        <PageScaffold data let:p>
            {match p.framework {
                None => view! { <p class="muted">{t!(i18n, growth.no_framework)}</p> }.into_any(),
                Some(f) => view! { <FrameworkView f can_edit=p.can_edit reload/> }.into_any(),
            }}
        </PageScaffold>
    }
}

#[component]
fn FrameworkView(
    f: super::model::Framework,
    can_edit: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let selected = RwSignal::new(None::<(String, String)>);
    let fw = StoredValue::new(f.clone());
    let track_names = f.track.names.clone();
    view! {
        <h2>{move || track_names.get(is_zh(i18n)).to_string()}</h2>
        <div class="table-wrap">
            <table class="table" data-testid="framework-table">
                <thead><tr>
                    <th scope="col">{t!(i18n, growth.competency)}</th>
                    {f.levels.iter().map(|l| view! { <th scope="col">{l.code.clone()}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    {f.competencies.iter().map(|c| {
                        let names = c.names.clone();
                        let cid = c.id.clone();
                        view! {
                            <tr>
                                <th scope="row">{move || names.get(is_zh(i18n)).to_string()}</th>
                                {f.levels.iter().map(|l| {
                                    let cell = f.cell(&l.id, &cid).cloned();
                                    let key = (l.id.clone(), cid.clone());
                                    let code = l.code.clone();
                                    view! {
                                        <td class="framework-cell" data-testid="framework-cell">
                                            {cell.map(|e| {
                                                let text = e.text.clone();
                                                view! { <span class="rating num">{e.rating} "/5"</span> " " <span>{move || text.get(is_zh(i18n)).to_string()}</span> }
                                            })}
                                            {can_edit.then(|| {
                                                let key = key.clone();
                                                let code = code.clone();
                                                view! { <div><button type="button" class="btn btn-small btn-ghost" aria-label=move || format!("{} {}", t_string!(i18n, growth.edit_cell), code) on:click=move |_| selected.set(Some(key.clone()))>{t!(i18n, common.edit)}</button></div> }
                                            })}
                                        </td>
                                    }
                                }).collect_view()}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {can_edit.then(|| view! {
            {move || selected.get().and_then(|(l, c)| fw.with_value(|f| f.cell(&l, &c).cloned())).map(|e| view! { <CellEditor e reload/> })}
            <FrameworkAdditions track_id=f.track.id.clone() reload/>
        })}
    }
}

#[component]
fn CellEditor(e: super::model::Expectation, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SaveExpectation>::new();
    let error = action_error(action);
    let en = RwSignal::new(e.text.en.clone());
    let zh = RwSignal::new(e.text.zh.clone());
    let rating = RwSignal::new(e.rating.to_string());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let level = StoredValue::new(e.level_id.clone());
    let comp = StoredValue::new(e.competency_id.clone());
    let version = e.version;
    let ratings = Signal::derive(|| {
        (1..=5)
            .map(|n| (n.to_string(), n.to_string()))
            .collect::<Vec<_>>()
    });
    view! {
        <section class="card section">
            <h2>{t!(i18n, growth.edit_cell)}</h2>
            <form id="cell-form" class="form-grid" on:submit=move |ev| {
                ev.prevent_default();
                action.dispatch(SaveExpectation { level_id: level.get_value(), competency_id: comp.get_value(), version, text_en: en.get_untracked(), text_zh: zh.get_untracked(), rating: rating.get_untracked() });
            }>
                <FormAlert error/>
                <SelectField form="cell-form" name="rating" value=rating options=ratings error>{t!(i18n, growth.expected_rating)}</SelectField>
                <TextField form="cell-form" name="text_en" value=en error>{t!(i18n, growth.text_en)}</TextField>
                <TextField form="cell-form" name="text_zh" value=zh error>{t!(i18n, growth.text_zh)}</TextField>
                <div class="form-actions"><button type="submit" class="btn btn-primary" data-testid="save-cell">{t!(i18n, common.save)}</button></div>
            </form>
        </section>
    }
}

#[component]
fn FrameworkAdditions(track_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let add_comp = ServerAction::<AddCompetency>::new();
    let comp_error = action_error(add_comp);
    let add_level = ServerAction::<AddLevel>::new();
    let level_error = action_error(add_level);
    let key = RwSignal::new(String::new());
    let en = RwSignal::new(String::new());
    let zh = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let comp_id = RwSignal::new(new_id());
    let level_id = RwSignal::new(new_id());
    Effect::new(move |_| {
        if let Some(Ok(_)) = add_comp.value().get() {
            key.set(String::new());
            en.set(String::new());
            zh.set(String::new());
            comp_id.set(new_id());
            reload.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = add_level.value().get() {
            code.set(String::new());
            level_id.set(new_id());
            reload.update(|n| *n += 1);
        }
    });
    let track = StoredValue::new(track_id);
    view! {
        <div class="grid two framework-additions">
            <section class="card">
                <h2>{t!(i18n, growth.add_competency)}</h2>
                <form id="competency-form" on:submit=move |ev| {
                    ev.prevent_default();
                    add_comp.dispatch(AddCompetency { id: comp_id.get_untracked(), track_id: track.get_value(), key: key.get_untracked(), name_en: en.get_untracked(), name_zh: zh.get_untracked() });
                }>
                    <FormAlert error=comp_error/>
                    <TextField form="competency-form" name="key" value=key error=comp_error>{t!(i18n, growth.competency_key)}</TextField>
                    <TextField form="competency-form" name="name_en" value=en error=comp_error>{t!(i18n, growth.name_en)}</TextField>
                    <TextField form="competency-form" name="name_zh" value=zh error=comp_error>{t!(i18n, growth.name_zh)}</TextField>
                    <button type="submit" class="btn btn-primary">{t!(i18n, growth.add_competency)}</button>
                </form>
            </section>
            <section class="card">
                <h2>{t!(i18n, growth.add_level)}</h2>
                <form id="level-add-form" on:submit=move |ev| {
                    ev.prevent_default();
                    add_level.dispatch(AddLevel { id: level_id.get_untracked(), track_id: track.get_value(), code: code.get_untracked() });
                }>
                    <FormAlert error=level_error/>
                    <TextField form="level-add-form" name="code" value=code error=level_error>{t!(i18n, growth.level_code)}</TextField>
                    <button type="submit" class="btn btn-primary">{t!(i18n, growth.add_level)}</button>
                </form>
            </section>
        </div>
    }
}

// ---------------------------------------------------------------- periods and budgets

/// `/growth/settings`: periods (admins add them) and training budgets.
#[component]
pub fn GrowthSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let reload = RwSignal::new(0u32);
    // Whose budget was saved last; lives outside the view the save's reload replaces.
    let saved_budget = RwSignal::new(None::<String>);
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
                                    {s.periods.iter().map(|p| view! { <li data-testid="period"><strong>{p.name.clone()}</strong> " " <span class="muted num">{p.start_date.clone()} " – " {p.end_date.clone()}</span></li> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                        {s.can_add_period.then(|| view! { <NewPeriodForm reload/> })}
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
                                            {budgets.into_iter().map(|b| view! { <BudgetRowView b period_id=pid.clone() currency=cur.clone() reload saved=saved_budget/> }).collect_view()}
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
    b: BudgetRow,
    period_id: String,
    currency: String,
    reload: RwSignal<u32>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetBudget>::new();
    let error = action_error(action);
    let amount = RwSignal::new(b.amount.map(money_input).unwrap_or_default());
    let who = StoredValue::new(b.name.clone());
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            saved.set(Some(who.get_value()));
            reload.update(|n| *n += 1);
        }
    });
    let fid = format!("budget-{}-{}", b.scope, b.subject_id);
    let period = StoredValue::new(period_id);
    let scope = StoredValue::new(b.scope.clone());
    let subject = StoredValue::new(b.subject_id.clone());
    let version = b.version;
    let over = b.amount.is_some_and(|a| b.spent > a);
    let is_team = b.scope == "team";
    view! {
        <tr data-testid="budget-row" data-name=b.name.clone()>
            <th scope="row">{b.name.clone()} " " <span class="chip">{move || if is_team { t_string!(i18n, growth.team) } else { t_string!(i18n, growth.person) }}</span></th>
            <td class="num">{money(b.spent, &currency)} {over.then(|| view! { " " <span class="badge badge-bad"><Icon name="alert"/>{t!(i18n, growth.over_budget)}</span> })}</td>
            <td>
                <form class="inline-form" id=fid.clone() on:submit=move |ev| {
                    ev.prevent_default();
                    action.dispatch(SetBudget { period_id: period.get_value(), scope: scope.get_value(), subject_id: subject.get_value(), amount: amount.get_untracked(), version });
                }>
                    <div class="field" class:invalid=move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("amount")))>
                        <label class="sr-only" for=format!("{fid}-amount")>{t!(i18n, growth.budget)} " " {b.name.clone()}</label>
                        <input id=format!("{fid}-amount") type="text" inputmode="decimal" size="10" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))/>
                        <p class="field-msg" role="alert">{move || error.get().map(|e| view! { <span class="field-error">{error_text(i18n.get_locale(), e.code)}</span> })}</p>
                    </div>
                    <button type="submit" class="btn btn-small" data-testid="save-budget">{t!(i18n, common.save)}</button>
                </form>
            </td>
        </tr>
    }
}

#[component]
fn NewPeriodForm(reload: RwSignal<u32>) -> impl IntoView {
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
            reload.update(|n| *n += 1);
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
