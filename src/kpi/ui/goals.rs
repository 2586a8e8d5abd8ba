//! `/kpis/goals`: the goal tree with roll-ups at every level, and the form
//! for a new goal.
use super::parts::{KpiTabs, ProgressBar, StatusBadge, percent, visibility_label};
use crate::i18n::*;
use crate::kpi::api::{ArchiveGoal, CreateGoal, DeleteGoal, UpdateGoal, load_goal_tree};
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
    // `?open=a,b`: folded branches opened before the page is interactive.
    let open = crate::ui::pager::query_value("open");
    let tree = page_resource(
        move || (reload.get(), open.get()),
        |(_, open)| load_goal_tree(open),
    );
    view! {
        <PageHeader title=Signal::derive(move || t_string!(i18n, kpis.goals_title).to_string())/>
        <KpiTabs current="goals"/>
        <PageScaffold data=tree let:t>
            {{
                        let empty = t.roots.is_empty();
                        let roots = t.roots.clone();
                        // The teams a team goal's edit form offers.
                        provide_context(TeamChoices(t.teams.clone()));
                        view! {
                            {empty.then(|| view! {
                                <div class="empty-state">
                                    <span class="empty-icon"><Icon name="target"/></span>
                                    <h2>{t!(i18n, kpis.no_goals)}</h2>
                                    <p>{t!(i18n, kpis.no_goals_body)}</p>
                                </div>
                            })}
                            <ul class="goal-tree" aria-label=move || t_string!(i18n, kpis.goals_title)>
                                {roots.into_iter().map(|n| view! { <GoalNodeView node=n parents=t.parents.clone() open=open.get_untracked()/> }).collect_view()}
                            </ul>
                            <NewGoalForm tree=t/>
                        }.into_any()
                    }}
        </PageScaffold>
        // Outside the tree's scaffold: a restore reloads the tree, and the
        // open view stays open.
        <ArchivedSection/>
    }
}

#[component]
fn GoalNodeView(
    node: GoalNode,
    parents: Vec<(String, String)>,
    /// The page's `?open=` list (its toggles add to it before hydration).
    open: String,
) -> AnyView {
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
    let edit = node
        .can_edit
        .then(|| view! { <GoalEdit goal=node.goal.clone() parents=parents.clone() empty=node.children == 0/> });
    let description = node.goal.description.clone();
    let dates = match (&node.goal.start_date, &node.goal.due_date) {
        (None, None) => String::new(),
        (s, d) => format!(
            "{} – {}",
            s.clone().unwrap_or_default(),
            d.clone().unwrap_or_default()
        ),
    };
    let has_children =
        node.children > 0 || !node.kpis.is_empty() || !node.goals.is_empty() || hidden > 0;
    // Open: what is under it shows. A folded branch (`collapsed`) loads it
    // once, when first opened.
    let expanded = RwSignal::new(!node.collapsed);
    let loaded: RwSignal<Option<Result<GoalNode, crate::error::AppError>>> = RwSignal::new(None);
    let loading = RwSignal::new(false);
    let collapsed = node.collapsed;
    let goal_id = node.goal.id.clone();
    let list_id = format!("goal-children-{}", goal_id);
    let title = node.goal.title.clone();
    let open_value = {
        let mut ids = crate::kpi::model::open_ids(&open);
        if !ids.contains(&goal_id) {
            ids.push(goal_id.clone());
        }
        ids.join(",")
    };
    let sent = StoredValue::new(node.clone());
    let parents_sv = StoredValue::new(parents.clone());
    let open_sv = StoredValue::new(open.clone());
    let toggle = {
        let goal_id = goal_id.clone();
        move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let opening = !expanded.get_untracked();
            expanded.set(opening);
            let needs_load = opening
                && collapsed
                && !loading.get_untracked()
                && !matches!(loaded.get_untracked(), Some(Ok(_)));
            if needs_load {
                loading.set(true);
                let id = goal_id.clone();
                leptos::task::spawn_local(async move {
                    let r = crate::kpi::api::goal_children(id).await;
                    loaded.set(Some(r));
                    loading.set(false);
                });
            }
        }
    };
    let children = move || {
        if !expanded.get() {
            return None;
        }
        let parents = parents_sv.get_value();
        let open = open_sv.get_value();
        let list_id = format!("goal-children-{}", sent.with_value(|n| n.goal.id.clone()));
        if !collapsed {
            let n = sent.get_value();
            return Some(view! { <GoalChildren node=n parents open list_id/> }.into_any());
        }
        if loading.get() {
            return Some(view! {
                <p class="muted small" role="status" aria-live="polite" id=list_id>{t!(i18n, kpis.loading_children)}</p>
            }.into_any());
        }
        match loaded.get() {
            Some(Ok(n)) => Some(view! { <GoalChildren node=n parents open list_id/> }.into_any()),
            Some(Err(e)) => Some(view! {
                <div class="alert alert-error" role="alert" id=list_id>{move || crate::ui::form::error_text(i18n.get_locale(), e.code)}</div>
            }.into_any()),
            None => None,
        }
    };
    view! {
        <li class="goal-node" data-testid="goal-node" data-title=node.goal.title.clone()>
            <div class="goal-row">
                {has_children.then(|| view! {
                    // A real GET form: before the page is interactive the
                    // button opens the branch through the address (?open=…).
                    <form method="get" action="/kpis/goals" class="goal-toggle-form">
                        <button type="submit" name="open" value=open_value class="btn btn-small goal-toggle"
                            data-testid="goal-toggle"
                            aria-expanded=move || if expanded.get() { "true" } else { "false" }
                            aria-controls=list_id.clone()
                            aria-busy=move || if loading.get() { "true" } else { "false" }
                            on:click=toggle>
                            <span aria-hidden="true">{move || if expanded.get() { "▾" } else { "▸" }}</span>
                            <span class="sr-only">
                                {move || if expanded.get() { t_string!(i18n, kpis.collapse) } else { t_string!(i18n, kpis.expand) }}
                                " " {title.clone()}
                            </span>
                        </button>
                    </form>
                })}
                <span class="chip">{move || level_label(i18n.get_locale(), level)}</span>
                <strong class="goal-title">{node.goal.title.clone()}</strong>
                <span class="muted small">{owners}</span>
                {match node.status {
                    Some(s) => view! { <StatusBadge status=s/> }.into_any(),
                    None => view! { <span class="badge badge-muted">{t!(i18n, kpis.no_data)}</span> }.into_any(),
                }}
                <span class="num goal-progress" data-testid="goal-progress">{node.progress.map(percent).unwrap_or_else(|| "—".into())}</span>
            </div>
            {(!description.is_empty() || !dates.is_empty()).then(|| view! {
                <p class="muted small goal-description">
                    {description.clone()}
                    {(!dates.is_empty()).then(|| view! { <span class="num goal-dates">" " {dates.clone()}</span> })}
                </p>
            })}
            <ProgressBar progress=node.progress.unwrap_or(0.0) status=node.status/>
            {edit}
            {children}
        </li>
    }
    .into_any()
}

/// The teams the viewer may set goals for: what a team goal's edit form
/// offers besides its current teams.
#[derive(Clone)]
struct TeamChoices(Vec<(String, String)>);

/// What hangs under a goal: its KPIs, its goals, and how many the viewer
/// may not see.
#[component]
fn GoalChildren(
    node: GoalNode,
    parents: Vec<(String, String)>,
    open: String,
    list_id: String,
) -> AnyView {
    let i18n = use_i18n();
    let hidden = node.hidden;
    if node.kpis.is_empty() && node.goals.is_empty() && hidden == 0 {
        return ().into_any();
    }
    view! {
        <ul class="goal-children" id=list_id>
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
            {node.goals.into_iter().map(|g| view! { <GoalNodeView node=g parents=parents.clone() open=open.clone()/> }).collect_view()}
            {(hidden > 0).then(|| view! { <li class="muted small">{t!(i18n, kpis.hidden_children)} " " <span class="num">{hidden}</span></li> })}
        </ul>
    }
    .into_any()
}

/// Edit, archive and delete of one goal, for those who may change it. The
/// edit form posts as a plain form before the page is interactive; archive
/// and delete ask once, so they wait for the page to be interactive.
#[component]
fn GoalEdit(
    goal: crate::kpi::model::Goal,
    parents: Vec<(String, String)>,
    /// Nothing hangs under it that the viewer sees or not: it may be deleted.
    empty: bool,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let update = ServerAction::<UpdateGoal>::new();
    let archive = ServerAction::<ArchiveGoal>::new();
    let delete = ServerAction::<DeleteGoal>::new();
    let error = action_error(update);
    let other_error = Signal::derive(move || archive_or_delete_error(archive, delete));
    let form_id = format!("goal-edit-{}", goal.id);
    focus_first_invalid(form_id.clone(), error);
    let id = StoredValue::new(goal.id.clone());
    let version = goal.version;
    let title = RwSignal::new(goal.title.clone());
    let description = RwSignal::new(goal.description.clone());
    let parent = RwSignal::new(goal.parent_id.clone().unwrap_or_default());
    let visibility = RwSignal::new(goal.visibility.as_str().to_string());
    let start = RwSignal::new(goal.start_date.clone().unwrap_or_default());
    let due = RwSignal::new(goal.due_date.clone().unwrap_or_default());
    let own_id = goal.id.clone();
    let current_parent = goal.parent_id.clone();
    // A team goal's owning teams: its current ones and those the viewer
    // may set goals for, the current ones ticked.
    let is_team = goal.level == GoalLevel::Team;
    let team_choices: Vec<(String, String)> = {
        let mut v = goal.teams.clone();
        if let Some(TeamChoices(more)) = use_context::<TeamChoices>() {
            v.extend(
                more.into_iter()
                    .filter(|(t, _)| !goal.teams.iter().any(|(c, _)| c == t)),
            );
        }
        v
    };
    let chosen = RwSignal::new(
        goal.teams
            .iter()
            .map(|(t, _)| t.clone())
            .collect::<Vec<_>>(),
    );
    let teams_invalid = move || error.with(|e| e.as_ref().is_some_and(|e| e.is_for("team_ids")));
    let parent_opts = Signal::derive(move || {
        let mut v = vec![(String::new(), t_string!(i18n, kpis.no_goal).to_string())];
        v.extend(parents.iter().filter(|(pid, _)| *pid != own_id).cloned());
        // The current parent stays choosable even when the viewer may no
        // longer add under it.
        if let Some(p) = &current_parent {
            if !v.iter().any(|(x, _)| x == p) {
                v.push((p.clone(), p.clone()));
            }
        }
        v
    });
    let visibilities = Signal::derive(move || {
        Visibility::ALL
            .into_iter()
            .map(|x| {
                (
                    x.as_str().to_string(),
                    visibility_label(i18n.get_locale(), x).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    Effect::new(move |_| {
        // All three read, so that the effect follows each action.
        let results = [
            matches!(update.value().get(), Some(Ok(_))),
            matches!(archive.value().get(), Some(Ok(_))),
            matches!(delete.value().get(), Some(Ok(_))),
        ];
        if results.contains(&true) {
            reload.bump();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        update.dispatch(UpdateGoal {
            id: id.get_value(),
            version,
            title: title.get_untracked(),
            description: description.get_untracked(),
            owner_id: String::new(),
            parent_id: parent.get_untracked(),
            visibility: visibility.get_untracked(),
            start_date: start.get_untracked(),
            due_date: due.get_untracked(),
            // As the plain form sends it: an empty entry, then the ticked ones.
            team_ids: if is_team {
                std::iter::once(String::new())
                    .chain(chosen.get_untracked())
                    .collect()
            } else {
                Vec::new()
            },
        });
    };
    let on_archive = move |_| {
        if crate::ui::confirm(td_string!(
            i18n.get_locale_untracked(),
            kpis.archive_goal_confirm
        )) {
            archive.dispatch(ArchiveGoal {
                id: id.get_value(),
                version,
                archived: true,
            });
        }
    };
    let on_delete = move |_| {
        if crate::ui::confirm(td_string!(
            i18n.get_locale_untracked(),
            kpis.delete_goal_confirm
        )) {
            delete.dispatch(DeleteGoal {
                id: id.get_value(),
                version,
            });
        }
    };
    let plain_action = <UpdateGoal as leptos::server_fn::ServerFn>::url();
    view! {
        <details class="goal-edit" data-testid="edit-goal">
            <summary class="summary-button small">{t!(i18n, kpis.edit_goal)}</summary>
            <form id=form_id.clone() class="form-grid subform" method="post" action=plain_action on:submit=submit novalidate>
                <input type="hidden" name="id" value=id.get_value()/>
                <input type="hidden" name="version" value=version.to_string()/>
                <input type="hidden" name="owner_id" value=""/>
                <FormAlert error/>
                <TextField form=form_id.clone() name="title" value=title error>{t!(i18n, kpis.goal_title)}</TextField>
                <TextField form=form_id.clone() name="description" value=description error>{t!(i18n, kpis.description)}</TextField>
                {is_team.then(|| {
                    let msg_id = format!("{form_id}-teams-msg");
                    view! {
                        <fieldset class="field" class:invalid=teams_invalid aria-describedby=msg_id.clone()>
                            <legend>{t!(i18n, kpis.owning_teams)}</legend>
                            <input type="hidden" name="team_ids[]" value=""/>
                            {team_choices.into_iter().map(|(tid, name)| {
                                let (tid2, tid3) = (tid.clone(), tid.clone());
                                let on = chosen.with_untracked(|v| v.contains(&tid));
                                view! {
                                    <label class="check">
                                        // `checked` in the HTML too, for the form before hydration.
                                        <input type="checkbox" name="team_ids[]" value=tid.clone() checked=on
                                            aria-invalid=move || if teams_invalid() { "true" } else { "false" }
                                            prop:checked=move || chosen.with(|v| v.contains(&tid2))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                chosen.update(|v| { v.retain(|x| *x != tid3); if on { v.push(tid3.clone()); } });
                                            }/>
                                        {name}
                                    </label>
                                }
                            }).collect_view()}
                            <p class="field-msg" id=msg_id.clone()>{move || error.get().filter(|e| e.is_for("team_ids")).map(|e| view! {
                                <span class="field-error"><Icon name="alert"/>{crate::ui::form::error_text(i18n.get_locale(), e.code)}</span>
                            })}</p>
                        </fieldset>
                    }
                })}
                <SelectField form=form_id.clone() name="parent_id" value=parent options=parent_opts error>{t!(i18n, kpis.parent_goal)}</SelectField>
                <SelectField form=form_id.clone() name="visibility" value=visibility options=visibilities error>{t!(i18n, kpis.visibility_label)}</SelectField>
                <TextField form=form_id.clone() name="start_date" value=start error kind="date">{t!(i18n, kpis.start_date)}</TextField>
                <TextField form=form_id.clone() name="due_date" value=due error kind="date">{t!(i18n, kpis.due_date)}</TextField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="save-goal-edit" disabled=move || update.pending().get()>{t!(i18n, kpis.save_goal)}</button>
                    <button type="button" class="btn" data-testid="archive-goal" on:click=on_archive>{t!(i18n, kpis.archive)}</button>
                    {empty.then(|| view! {
                        <button type="button" class="btn btn-danger" data-testid="delete-goal" on:click=on_delete>{t!(i18n, kpis.delete_goal)}</button>
                    })}
                </div>
                {(!empty).then(|| view! { <p class="muted small">{t!(i18n, kpis.delete_goal_blocked)}</p> })}
                <FormAlert error=other_error/>
            </form>
        </details>
    }
}

/// The last refusal of archiving or deleting, if any.
fn archive_or_delete_error(
    archive: ServerAction<ArchiveGoal>,
    delete: ServerAction<DeleteGoal>,
) -> Option<crate::error::AppError> {
    let a = archive.value().get().and_then(|r| r.err());
    let d = delete.value().get().and_then(|r| r.err());
    a.or(d)
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

/// The goal tree's "archived" view: archived goals and KPIs, loaded when
/// opened, each restorable by its editors.
#[component]
fn ArchivedSection() -> impl IntoView {
    use crate::kpi::api::{ArchiveKpi, load_archived};
    use crate::kpi::model::ArchivedItem;
    let i18n = use_i18n();
    let reload = use_reload();
    let open = RwSignal::new(false);
    let local = RwSignal::new(0u32);
    let items = Resource::new(
        move || (open.get(), local.get()),
        |(open, _)| async move {
            if open {
                load_archived().await.map(Some)
            } else {
                Ok(None)
            }
        },
    );
    let restore_goal = ServerAction::<ArchiveGoal>::new();
    let restore_kpi = ServerAction::<ArchiveKpi>::new();
    let error = Signal::derive(move || {
        restore_goal
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| restore_kpi.value().get().and_then(|r| r.err()))
    });
    Effect::new(move |_| {
        // Both read, so that the effect follows both actions.
        let (first, second) = (
            matches!(restore_goal.value().get(), Some(Ok(()))),
            matches!(restore_kpi.value().get(), Some(Ok(()))),
        );
        if first || second {
            local.update(|n| *n += 1);
            reload.bump();
        }
    });
    let list = move |items: Vec<ArchivedItem>, kpi: bool| {
        items
            .into_iter()
            .map(|it| {
                let (id, version) = (it.id.clone(), it.version);
                let href = kpi.then(|| format!("/kpis/{}", it.id));
                view! {
                    <li data-testid="archived-item">
                        {match href {
                            Some(h) => view! { <a href=h>{it.title.clone()}</a> }.into_any(),
                            None => view! { <span>{it.title.clone()}</span> }.into_any(),
                        }}
                        {it.final_status.map(|s| view! { " " <StatusBadge status=s/> })}
                        {it.can_restore.then(|| view! {
                            " "
                            <button type="button" class="btn btn-small" on:click=move |_| {
                                if kpi {
                                    restore_kpi.dispatch(ArchiveKpi { id: id.clone(), version, archived: false });
                                } else {
                                    restore_goal.dispatch(ArchiveGoal { id: id.clone(), version, archived: false });
                                }
                            }>{t!(i18n, kpis.restore)}</button>
                        })}
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <details class="card section" data-testid="archived-view" on:toggle=move |_| open.set(true)>
            <summary class="summary-button">{t!(i18n, kpis.archived_view)}</summary>
            <FormAlert error/>
            <Transition fallback=move || view! { <div class="skeleton line"></div> }>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(Some(v)) if v.goals.is_empty() && v.kpis.is_empty() => view! {
                            <p class="muted">{t!(i18n, kpis.archived_none)}</p>
                        }.into_any(),
                        Ok(Some(v)) => view! {
                            <h3>{t!(i18n, kpis.archived_goals)}</h3>
                            <ul class="plain-list">{list(v.goals, false)}</ul>
                            <h3>{t!(i18n, kpis.archived_kpis)}</h3>
                            <ul class="plain-list">{list(v.kpis, true)}</ul>
                        }.into_any(),
                        _ => ().into_any(),
                    }
                })}
            </Transition>
        </details>
    }
}
