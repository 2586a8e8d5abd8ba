//! `/kpis/goals`: the goal tree with roll-ups at every level, and the form
//! for a new goal.
use super::parts::{KpiTabs, ProgressBar, StatusBadge, percent, visibility_label};
use crate::i18n::*;
use crate::kpi::api::{CreateGoal, load_goal_tree};
use crate::kpi::model::{GoalLevel, GoalNode, Visibility};
use crate::ui::form::{FormAlert, SelectField, TextField, action_error, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;

fn level_label(locale: Locale, l: GoalLevel) -> &'static str {
    match l {
        GoalLevel::Company => td_string!(locale, kpis.level.company),
        GoalLevel::Team => td_string!(locale, kpis.level.team),
        GoalLevel::Pm => td_string!(locale, kpis.level.pm),
    }
}

/// `/kpis/goals`: the goal tree with roll-ups at every level.
#[component]
pub fn GoalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::provide();
    let tree = page_resource(move || reload.get(), |_| load_goal_tree());
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.goals_title).to_string())/>
        <KpiTabs current="goals"/>
        <PageScaffold data=tree let:t>
            {{
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
                                {roots.into_iter().map(|n| view! { <GoalNodeView node=n/> }).collect_view()}
                            </ul>
                            <NewGoalForm tree=t/>
                        }.into_any()
                    }}
        </PageScaffold>
    }
}

#[component]
fn GoalNodeView(node: GoalNode) -> AnyView {
    let i18n = use_i18n();
    let level = node.goal.level;
    let owners = match (&node.goal.owner_name, node.goal.teams.is_empty()) {
        (Some(o), _) => o.clone(),
        (None, false) => node
            .goal
            .teams
            .iter()
            .map(|t| t.1.clone())
            .collect::<Vec<_>>()
            .join(" · "),
        _ => String::new(),
    };
    let hidden = node.hidden;
    view! {
        <li class="goal-node" data-testid="goal-node" data-title=node.goal.title.clone()>
            <div class="goal-row">
                <span class="chip">{move || level_label(i18n.get_locale(), level)}</span>
                <strong class="goal-title">{node.goal.title.clone()}</strong>
                <span class="muted small">{owners}</span>
                {match node.status {
                    Some(s) => view! { <StatusBadge status=s/> }.into_any(),
                    None => view! { <span class="badge badge-muted">{t!(i18n, kpis.no_data)}</span> }.into_any(),
                }}
                <span class="num goal-progress" data-testid="goal-progress">{node.progress.map(percent).unwrap_or_else(|| "—".into())}</span>
            </div>
            <ProgressBar progress=node.progress.unwrap_or(0.0) status=node.status/>
            {(!node.kpis.is_empty() || !node.goals.is_empty() || hidden > 0).then(|| view! {
                <ul class="goal-children">
                    {node.kpis.into_iter().map(|k| {
                        let status = k.status;
                        view! {
                            <li class="goal-kpi" data-testid="goal-kpi">
                                <a href=format!("/kpis/{}", k.id)><span class="chip">{k.code.clone()}</span> " " {k.name.clone()}</a>
                                <StatusBadge status stale=k.stale/>
                                <span class="num">{percent(k.progress)}</span>
                            </li>
                        }
                    }).collect_view()}
                    {node.goals.into_iter().map(|g| view! { <GoalNodeView node=g/> }).collect_view()}
                    {(hidden > 0).then(|| view! { <li class="muted small">{t!(i18n, kpis.hidden_children)} " " <span class="num">{hidden}</span></li> })}
                </ul>
            })}
        </li>
    }
    .into_any()
}

#[component]
fn NewGoalForm(tree: crate::kpi::model::GoalTree) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<CreateGoal>::new();
    let error = action_error(action);
    focus_first_invalid("goal-form", error);
    let id = RwSignal::new(crate::ui::new_id());
    let title = RwSignal::new(String::new());
    let default_level = if tree.can_create_company {
        "company"
    } else if !tree.teams.is_empty() {
        "team"
    } else {
        "pm"
    };
    let level = RwSignal::new(default_level.to_string());
    let owner = RwSignal::new(tree.pms.first().map(|p| p.0.clone()).unwrap_or_default());
    let team = RwSignal::new(tree.teams.first().map(|p| p.0.clone()).unwrap_or_default());
    let team2 = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let visibility = RwSignal::new(String::new());
    let weight = RwSignal::new("1".to_string());
    let can_company = tree.can_create_company;
    let has_teams = !tree.teams.is_empty();
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
    let teams = tree.teams.clone();
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
    let pms = tree.pms.clone();
    let parents = tree.parents.clone();
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
            reload.bump();
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
