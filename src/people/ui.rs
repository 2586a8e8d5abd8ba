//! The people admin: organisation settings, teams and accounts (admins only).
use super::api::{
    CreateInvitation, CreatePerson, CreateTeam, ImportPeople, ResetPassword, SetPersonActive,
    UpdateOrganisation, UpdatePerson, UpdateTeam, list_people, people_overview,
};
use super::model::{Organisation, PEOPLE_PAGE, PeopleDirectory, Person, Team, tree_order};
use crate::auth::ui::language_options;
use crate::auth::{Language, Role};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, SuccessNote, TextField, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::language::role_label;
use crate::ui::page::{PageHeader, PageScaffold, page_resource};
use crate::ui::page::{Reload, use_reload};
use leptos::prelude::*;

fn new_client_id() -> String {
    crate::ui::new_id()
}

#[component]
pub fn PeoplePage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::provide();
    let overview = page_resource(move || reload.get(), |_| people_overview());
    let import = ServerAction::<ImportPeople>::new();
    view! {
        <PageHeader
            title=Signal::derive(move || t_string!(i18n, people.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, people.subtitle).to_string())
        />
        <PageScaffold data=overview forbidden_page=true let:o>
            <PeopleAdmin overview=o import/>
        </PageScaffold>
    }
}

#[component]
fn PeopleAdmin(overview: PeopleDirectory, import: ServerAction<ImportPeople>) -> impl IntoView {
    let teams = StoredValue::new(overview.teams.clone());
    let leaders = StoredValue::new(overview.leaders.clone());
    let sizes = StoredValue::new(overview.team_sizes.clone());
    let total = overview.people_total;
    // Erased one by one: the whole admin as one static type is too deep for rustc.
    view! {
        {view! { <OrganisationForm org=overview.organisation.clone()/> }.into_any()}
        {view! { <TeamsSection teams leaders sizes/> }.into_any()}
        {view! { <PeopleSection teams total/> }.into_any()}
        {view! { <PeopleImport action=import/> }.into_any()}
    }
}

#[component]
fn OrganisationForm(org: Organisation) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let action = ServerAction::<UpdateOrganisation>::new();
    let name = RwSignal::new(org.name.clone());
    let time_zone = RwSignal::new(org.time_zone.clone());
    let currency = RwSignal::new(org.currency.clone());
    let version = org.version;
    let error = Signal::derive(move || action.value().get().and_then(|r| r.err()));
    let saved = Signal::derive(move || matches!(action.value().get(), Some(Ok(_))));
    focus_first_invalid("org-form", error);
    Effect::new(move |_| {
        if saved.get() {
            reload.bump();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(UpdateOrganisation {
            name: name.get_untracked(),
            time_zone: time_zone.get_untracked(),
            currency: currency.get_untracked(),
            version,
        });
    };
    view! {
        <section class="card section" aria-labelledby="org-title">
            <h2 id="org-title">{t!(i18n, people.organisation)}</h2>
            <form id="org-form" class="form-row" novalidate on:submit=submit>
                <FormAlert error/>
                <TextField form="org-form" name="name" value=name error>
                    {t!(i18n, people.org_name)}
                </TextField>
                <TextField
                    form="org-form"
                    name="time_zone"
                    value=time_zone
                    error
                    hint=Signal::derive(move || t_string!(i18n, people.time_zone_hint).to_string())
                >
                    {t!(i18n, people.time_zone)}
                </TextField>
                <TextField
                    form="org-form"
                    name="currency"
                    value=currency
                    error
                    hint=Signal::derive(move || t_string!(i18n, people.currency_hint).to_string())
                >
                    {t!(i18n, people.currency)}
                </TextField>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || action.pending().get()>
                        {t!(i18n, common.save)}
                    </button>
                </div>
            </form>
        </section>
    }
}

fn leader_options(locale: Locale, people: &[Person]) -> Vec<(String, String)> {
    let mut out = vec![(
        String::new(),
        td_string!(locale, people.no_leader).to_string(),
    )];
    out.extend(
        people
            .iter()
            .filter(|p| p.active && matches!(p.role, Role::Leader | Role::Admin))
            .map(|p| (p.id.clone(), p.display_name.clone())),
    );
    out
}

fn team_options(none_label: &str, teams: &[Team], except: Option<&str>) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), none_label.to_string())];
    out.extend(
        tree_order(teams)
            .into_iter()
            .filter(|(_, t)| Some(t.id.as_str()) != except)
            .map(|(depth, t)| (t.id, format!("{}{}", "\u{2003}".repeat(depth), t.name))),
    );
    out
}

#[component]
fn TeamsSection(
    teams: StoredValue<Vec<Team>>,
    leaders: StoredValue<Vec<Person>>,
    sizes: StoredValue<Vec<(String, i64)>>,
) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let create = ServerAction::<CreateTeam>::new();
    let update = ServerAction::<UpdateTeam>::new();
    let editing: RwSignal<Option<Team>> = RwSignal::new(None);
    let client_id = RwSignal::new(new_client_id());
    let name = RwSignal::new(String::new());
    let parent = RwSignal::new(String::new());
    let leader = RwSignal::new(String::new());
    let last: RwSignal<Option<Result<(), AppError>>> = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(r) = create.value().get() {
            if r.is_ok() {
                client_id.set(new_client_id());
                name.set(String::new());
                parent.set(String::new());
                leader.set(String::new());
                reload.bump();
            }
            last.set(Some(r.map(|_| ())));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = update.value().get() {
            if r.is_ok() {
                editing.set(None);
                name.set(String::new());
                parent.set(String::new());
                leader.set(String::new());
                reload.bump();
            }
            last.set(Some(r.map(|_| ())));
        }
    });
    let error = Signal::derive(move || last.get().and_then(|r| r.err()));
    focus_first_invalid("team-form", error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match editing.get_untracked() {
            Some(t) => {
                update.dispatch(UpdateTeam {
                    id: t.id,
                    version: t.version,
                    name: name.get_untracked(),
                    parent_id: parent.get_untracked(),
                    leader_id: leader.get_untracked(),
                });
            }
            None => {
                create.dispatch(CreateTeam {
                    id: client_id.get_untracked(),
                    name: name.get_untracked(),
                    parent_id: parent.get_untracked(),
                    leader_id: leader.get_untracked(),
                });
            }
        }
    };
    let start_edit = move |t: Team| {
        name.set(t.name.clone());
        parent.set(t.parent_id.clone().unwrap_or_default());
        leader.set(t.leader_id.clone().unwrap_or_default());
        last.set(None);
        editing.set(Some(t));
        #[cfg(feature = "hydrate")]
        if let Some(el) = document().get_element_by_id("team-form-name") {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    };
    let cancel = move |_| {
        editing.set(None);
        name.set(String::new());
        parent.set(String::new());
        leader.set(String::new());
        last.set(None);
    };
    let rows = tree_order(&teams.get_value());
    let name_of = move |id: &Option<String>| {
        id.as_ref().and_then(|id| {
            leaders.with_value(|ps| {
                ps.iter()
                    .find(|p| &p.id == id)
                    .map(|p| p.display_name.clone())
            })
        })
    };
    let team_name_of = move |id: &Option<String>| {
        id.as_ref().and_then(|id| {
            teams.with_value(|ts| ts.iter().find(|t| &t.id == id).map(|t| t.name.clone()))
        })
    };
    let member_count = move |id: &str| {
        sizes.with_value(|s| s.iter().find(|(t, _)| t == id).map_or(0, |(_, n)| *n))
    };
    let created = Signal::derive(move || matches!(create.value().get(), Some(Ok(_))));
    view! {
        <section class="card section" aria-labelledby="teams-title">
            <h2 id="teams-title">{t!(i18n, people.teams)}</h2>
            {if rows.is_empty() {
                view! { <p class="empty-inline muted">{t!(i18n, people.empty_teams)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="teams-table">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, people.team_name)}</th>
                                    <th scope="col">{t!(i18n, people.parent)}</th>
                                    <th scope="col">{t!(i18n, people.leader)}</th>
                                    <th scope="col" class="num">{t!(i18n, people.members)}</th>
                                    <th scope="col"><span class="sr-only">{t!(i18n, common.actions)}</span></th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|(depth, t)| {
                                        let t2 = t.clone();
                                        let leader_name = name_of(&t.leader_id);
                                        let parent_name = team_name_of(&t.parent_id);
                                        view! {
                                            <tr>
                                                <td>
                                                    <span class="indent" style=format!("padding-inline-start: {}rem", depth as f32 * 1.25)>
                                                        {t.name.clone()}
                                                    </span>
                                                </td>
                                                <td>{parent_name.unwrap_or_else(|| "—".into())}</td>
                                                <td>
                                                    {leader_name
                                                        .map(|n| n.into_any())
                                                        .unwrap_or_else(|| view! { <span class="muted">{t!(i18n, people.no_leader)}</span> }.into_any())}
                                                </td>
                                                <td class="num">{member_count(&t.id)}</td>
                                                <td class="nowrap"><div class="row-actions">
                                                    <button type="button" class="btn btn-small" on:click=move |_| start_edit(t2.clone())>
                                                        {t!(i18n, common.edit)}
                                                        <span class="sr-only">" " {t.name.clone()}</span>
                                                    </button>
                                                </div></td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
            <form id="team-form" class="subform" novalidate on:submit=submit>
                <h3>
                    {move || if editing.get().is_some() { t_string!(i18n, people.edit_team) } else { t_string!(i18n, people.new_team) }}
                </h3>
                <FormAlert error/>
                <div class="form-row">
                    <TextField form="team-form" name="name" value=name error>
                        {t!(i18n, people.team_name)}
                    </TextField>
                    <SelectField
                        form="team-form"
                        name="parent_id"
                        value=parent
                        error
                        options=Signal::derive(move || {
                            let except = editing.get().map(|t| t.id);
                            teams.with_value(|ts| team_options(td_string!(i18n.get_locale(), people.no_parent), ts, except.as_deref()))
                        })
                    >
                        {t!(i18n, people.parent)}
                    </SelectField>
                    <SelectField
                        form="team-form"
                        name="leader_id"
                        value=leader
                        error
                        options=Signal::derive(move || leaders.with_value(|ps| leader_options(i18n.get_locale(), ps)))
                    >
                        {t!(i18n, people.leader)}
                    </SelectField>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="team-submit">
                        <Icon name="plus"/>
                        {move || if editing.get().is_some() { t_string!(i18n, common.save) } else { t_string!(i18n, people.new_team) }}
                    </button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="btn" on:click=cancel>{t!(i18n, common.cancel)}</button>
                    </Show>
                    <SuccessNote show=created>{move || t_string!(i18n, people.team_created)}</SuccessNote>
                </div>
            </form>
        </section>
    }
}

fn role_options(locale: Locale) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), role_label(locale, *r).to_string()))
        .collect()
}

#[component]
fn PeopleSection(teams: StoredValue<Vec<Team>>, total: i64) -> impl IntoView {
    let reload = use_reload();
    let i18n = use_i18n();
    let create = ServerAction::<CreatePerson>::new();
    let update = ServerAction::<UpdatePerson>::new();
    let set_active = ServerAction::<SetPersonActive>::new();
    let reset = ServerAction::<ResetPassword>::new();
    let editing: RwSignal<Option<Person>> = RwSignal::new(None);
    let resetting: RwSignal<Option<Person>> = RwSignal::new(None);
    let client_id = RwSignal::new(new_client_id());
    let email = RwSignal::new(String::new());
    let display_name = RwSignal::new(String::new());
    let role = RwSignal::new("pm".to_string());
    let team = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let language = RwSignal::new(
        crate::ui::language::language_of(i18n.get_locale_untracked())
            .as_str()
            .to_string(),
    );
    let reset_password = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let last: RwSignal<Option<Result<(), AppError>>> = RwSignal::new(None);
    let clear = move || {
        editing.set(None);
        email.set(String::new());
        display_name.set(String::new());
        role.set("pm".into());
        team.set(String::new());
        password.set(String::new());
    };
    Effect::new(move |_| {
        if let Some(r) = create.value().get() {
            if r.is_ok() {
                client_id.set(new_client_id());
                clear();
                reload.bump();
            }
            last.set(Some(r.map(|_| ())));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = update.value().get() {
            if r.is_ok() {
                clear();
                reload.bump();
            }
            last.set(Some(r.map(|_| ())));
        }
    });
    Effect::new(move |_| {
        if let Some(r) = set_active.value().get() {
            if r.is_ok() {
                reload.bump();
            }
            last.set(Some(r.map(|_| ())));
        }
    });
    let invite = ServerAction::<CreateInvitation>::new();
    let invited: RwSignal<Option<Person>> = RwSignal::new(None);
    let reset_error = Signal::derive(move || reset.value().get().and_then(|r| r.err()));
    let reset_done = Signal::derive(move || matches!(reset.value().get(), Some(Ok(()))));
    Effect::new(move |_| {
        if reset_done.get() {
            reset_password.set(String::new());
        }
    });
    let error = Signal::derive(move || last.get().and_then(|r| r.err()));
    focus_first_invalid("person-form", error);
    focus_first_invalid("reset-form", reset_error);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match editing.get_untracked() {
            Some(p) => {
                update.dispatch(UpdatePerson {
                    id: p.id,
                    version: p.version,
                    email: email.get_untracked(),
                    display_name: display_name.get_untracked(),
                    role: role.get_untracked(),
                    team_id: team.get_untracked(),
                });
            }
            None => {
                create.dispatch(CreatePerson {
                    id: client_id.get_untracked(),
                    email: email.get_untracked(),
                    display_name: display_name.get_untracked(),
                    role: role.get_untracked(),
                    team_id: team.get_untracked(),
                    password: password.get_untracked(),
                    language: Language::parse(&language.get_untracked()).unwrap_or(Language::En),
                });
            }
        }
    };
    let start_edit = move |p: Person| {
        email.set(p.email.clone());
        display_name.set(p.display_name.clone());
        role.set(p.role.as_str().to_string());
        team.set(p.team_id.clone().unwrap_or_default());
        last.set(None);
        editing.set(Some(p));
    };
    let toggle_active = move |p: Person| {
        if p.active
            && !crate::ui::confirm(td_string!(
                i18n.get_locale_untracked(),
                people.confirm_deactivate
            ))
        {
            return;
        }
        set_active.dispatch(SetPersonActive {
            id: p.id.clone(),
            version: p.version,
            active: !p.active,
        });
    };
    let submit_reset = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Some(p) = resetting.get_untracked() {
            reset.dispatch(ResetPassword {
                id: p.id,
                password: reset_password.get_untracked(),
            });
        }
    };
    let team_name_of = move |id: &Option<String>| {
        id.as_ref().and_then(|id| {
            teams.with_value(|ts| ts.iter().find(|t| &t.id == id).map(|t| t.name.clone()))
        })
    };
    // The list is searched, filtered and paged on the server, 50 at a time.
    let team_filter = RwSignal::new(String::new());
    let role_filter = RwSignal::new(String::new());
    let active_filter = RwSignal::new(String::new());
    let offset = RwSignal::new(0i64);
    Effect::new(move |first: Option<()>| {
        filter.track();
        team_filter.track();
        role_filter.track();
        active_filter.track();
        if first.is_some() {
            offset.set(0);
        }
    });
    let page = Resource::new(
        move || {
            (
                (filter.get(), team_filter.get(), role_filter.get()),
                (active_filter.get(), offset.get(), reload.get()),
            )
        },
        |((q, t, r), (a, off, _))| list_people(q, t, r, a, off),
    );
    let no_error = Signal::derive(|| None::<AppError>);

    let created = Signal::derive(move || matches!(create.value().get(), Some(Ok(_))));
    view! {
        <section class="card section" aria-labelledby="people-title">
            <div class="section-head">
                <h2 id="people-title">
                    {t!(i18n, people.people)} <span class="count">{total}</span>
                </h2>
            </div>
            <div class="filters">
                <label class="search">
                    <span class="sr-only">{t!(i18n, people.search)}</span>
                    <input
                        type="search"
                        placeholder=move || t_string!(i18n, people.search)
                        bind:value=filter
                        data-testid="people-search"
                    />
                </label>
                <SelectField form="people-filters" name="team" value=team_filter error=no_error
                    options=Signal::derive(move || teams.with_value(|ts| team_options(td_string!(i18n.get_locale(), people.all_teams), ts, None)))>
                    <span class="sr-only">{t!(i18n, people.team)}</span>
                </SelectField>
                <SelectField form="people-filters" name="role" value=role_filter error=no_error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        let mut v = vec![(String::new(), td_string!(l, people.all_roles).to_string())];
                        v.extend(role_options(l));
                        v
                    })>
                    <span class="sr-only">{t!(i18n, people.role)}</span>
                </SelectField>
                <SelectField form="people-filters" name="active" value=active_filter error=no_error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        vec![
                            (String::new(), td_string!(l, people.all_states).to_string()),
                            ("active".into(), td_string!(l, people.active).to_string()),
                            ("inactive".into(), td_string!(l, people.inactive).to_string()),
                        ]
                    })>
                    <span class="sr-only">{t!(i18n, common.status)}</span>
                </SelectField>
            </div>
            // The page of people comes with the page (inside the transition, so
            // that the server's rows and the browser's agree at hydration).
            <Transition fallback=|| view! { <div class="skeleton line"></div> }>
            {move || Suspend::new(async move {
            let result = page.await;
            let (rows, n, off) = match result {
                Ok(p) => (p.rows, p.total, p.offset),
                Err(e) => {
                    return view! { <div class="alert alert-error" role="alert">{move || crate::ui::form::error_text(i18n.get_locale(), e.code)}</div> }.into_any();
                }
            };
            view! {
            <div class="table-wrap">
                <table class="table" data-testid="people-table">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, people.display_name)}</th>
                            <th scope="col">{t!(i18n, people.email)}</th>
                            <th scope="col">{t!(i18n, people.role)}</th>
                            <th scope="col">{t!(i18n, people.team)}</th>
                            <th scope="col">{t!(i18n, common.status)}</th>
                            <th scope="col"><span class="sr-only">{t!(i18n, common.actions)}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|p| {
                                let p_edit = p.clone();
                                let p_toggle = p.clone();
                                let p_reset = p.clone();
                                let r = p.role;
                                let active = p.active;
                                view! {
                                    <tr class:inactive=!active>
                                        <td>{p.display_name.clone()}</td>
                                        <td class="mono">{p.email.clone()}</td>
                                        <td>{move || role_label(i18n.get_locale(), r)}</td>
                                        <td>
                                            {team_name_of(&p.team_id)
                                                .map(|n| n.into_any())
                                                .unwrap_or_else(|| view! { <span class="muted">{t!(i18n, people.no_team)}</span> }.into_any())}
                                        </td>
                                        <td>
                                            {if active {
                                                view! { <span class="badge badge-ok"><Icon name="check"/>{t!(i18n, people.active)}</span> }.into_any()
                                            } else {
                                                view! { <span class="badge badge-muted"><Icon name="lock"/>{t!(i18n, people.inactive)}</span> }.into_any()
                                            }}
                                        </td>
                                        <td class="nowrap"><div class="row-actions">
                                            <button type="button" class="btn btn-small" on:click=move |_| start_edit(p_edit.clone())>
                                                {t!(i18n, common.edit)}
                                                <span class="sr-only">" " {p.display_name.clone()}</span>
                                            </button>
                                            <button type="button" class="btn btn-small" on:click=move |_| resetting.set(Some(p_reset.clone()))>
                                                {t!(i18n, people.reset_password)}
                                            </button>
                                            {active.then(|| {
                                                let p_invite = p.clone();
                                                view! {
                                                    <button type="button" class="btn btn-small" data-testid="invite" on:click=move |_| {
                                                        invited.set(Some(p_invite.clone()));
                                                        invite.dispatch(CreateInvitation { id: p_invite.id.clone() });
                                                    }>
                                                        {t!(i18n, people.invite.button)}
                                                        <span class="sr-only">" " {p.display_name.clone()}</span>
                                                    </button>
                                                }
                                            })}
                                            <a class="btn btn-small" href=format!("/people/{}/handover", p.id)>
                                                {t!(i18n, people.handover.link)}
                                                <span class="sr-only">" " {p.display_name.clone()}</span>
                                            </a>
                                            <button type="button" class="btn btn-small" on:click=move |_| toggle_active(p_toggle.clone())>
                                                {if active { t!(i18n, people.deactivate).into_any() } else { t!(i18n, people.reactivate).into_any() }}
                                            </button>
                                        </div></td>
                                    </tr>
                                }
                            }).collect_view()}
                    </tbody>
                </table>
            </div>
            <div class="pager" data-testid="people-pager">
                <button type="button" class="btn btn-small" disabled=off == 0
                    on:click=move |_| offset.set((off - PEOPLE_PAGE).max(0))>{t!(i18n, people.previous)}</button>
                <span class="muted small" aria-live="polite">
                    {if n == 0 { "0".to_string() } else { format!("{}–{} / {}", off + 1, (off + PEOPLE_PAGE).min(n), n) }}
                </span>
                <button type="button" class="btn btn-small" disabled=off + PEOPLE_PAGE >= n
                    on:click=move |_| offset.set(off + PEOPLE_PAGE)>{t!(i18n, people.next)}</button>
            </div>
            }.into_any()
            })}
            </Transition>
            <Show when=move || invited.get().is_some()>
                <InvitationPanel invite person=invited/>
            </Show>
            <Show when=move || resetting.get().is_some()>
                <form id="reset-form" class="subform" method="post" action="/api/reset_password" novalidate on:submit=submit_reset>
                    <input type="hidden" name="id" value=move || resetting.get().map(|p| p.id).unwrap_or_default()/>
                    <h3>
                        {t!(i18n, people.reset_password)} ": "
                        {move || resetting.get().map(|p| p.display_name).unwrap_or_default()}
                    </h3>
                    <FormAlert error=reset_error/>
                    <div class="form-row">
                        <TextField form="reset-form" name="password" kind="password" autocomplete="new-password" value=reset_password error=reset_error>
                            {t!(i18n, people.new_password)}
                        </TextField>
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary">{t!(i18n, people.reset_password)}</button>
                        <button type="button" class="btn" on:click=move |_| resetting.set(None)>{t!(i18n, common.cancel)}</button>
                        <SuccessNote show=reset_done>{move || t_string!(i18n, people.password_reset_done)}</SuccessNote>
                    </div>
                </form>
            </Show>
            // A real POST before the page is interactive (never a GET that
            // would put the initial password in the address); once
            // hydrated, `submit` sends the same call without reloading.
            <form id="person-form" class="subform" method="post" action="/api/create_person" novalidate on:submit=submit>
                <input type="hidden" name="id" value=crate::ui::new_id()/>
                <h3>
                    {move || if editing.get().is_some() { t_string!(i18n, people.edit_person) } else { t_string!(i18n, people.new_person) }}
                </h3>
                <FormAlert error/>
                <div class="form-row">
                    <TextField form="person-form" name="display_name" value=display_name error>
                        {t!(i18n, people.display_name)}
                    </TextField>
                    <TextField form="person-form" name="email" kind="email" value=email error>
                        {t!(i18n, people.email)}
                    </TextField>
                    <SelectField form="person-form" name="role" value=role error options=Signal::derive(move || role_options(i18n.get_locale()))>
                        {t!(i18n, people.role)}
                    </SelectField>
                    <SelectField
                        form="person-form"
                        name="team_id"
                        value=team
                        error
                        options=Signal::derive(move || teams.with_value(|ts| team_options(td_string!(i18n.get_locale(), people.no_team), ts, None)))
                    >
                        {t!(i18n, people.team)}
                    </SelectField>
                    <Show when=move || editing.get().is_none()>
                        <TextField form="person-form" name="password" kind="password" autocomplete="new-password" value=password error>
                            {t!(i18n, people.initial_password)}
                        </TextField>
                        <SelectField
                            form="person-form"
                            name="language"
                            value=language
                            error
                            options=Signal::derive(move || language_options(i18n.get_locale()))
                        >
                            {t!(i18n, people.language)}
                        </SelectField>
                    </Show>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" data-testid="person-submit">
                        <Icon name="plus"/>
                        {move || if editing.get().is_some() { t_string!(i18n, common.save) } else { t_string!(i18n, people.new_person) }}
                    </button>
                    <Show when=move || editing.get().is_some()>
                        <button type="button" class="btn" on:click=move |_| clear()>{t!(i18n, common.cancel)}</button>
                    </Show>
                    <SuccessNote show=created>{move || t_string!(i18n, people.person_created)}</SuccessNote>
                </div>
            </form>
        </section>
    }
}

/// The invitation link just made for a person: to copy and send them. It
/// works once, for 7 days; its secret is after `#`, so opening it sends
/// nothing secret to a server.
#[component]
fn InvitationPanel(
    invite: ServerAction<CreateInvitation>,
    person: RwSignal<Option<Person>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let copied = RwSignal::new(false);
    // Only the link made for the person shown, never an earlier one still
    // in the action while a new one is on its way.
    let link = Signal::derive(move || {
        let shown = person.get().map(|p| p.id);
        if invite.pending().get() {
            return None;
        }
        invite
            .value()
            .get()
            .and_then(|r| r.ok())
            .filter(|l| Some(&l.user_id) == shown.as_ref())
            .map(|l| {
                #[cfg(feature = "hydrate")]
                let origin = window().location().origin().unwrap_or_default();
                #[cfg(not(feature = "hydrate"))]
                let origin = String::new();
                (format!("{origin}/invite#{}", l.token), l.expires_at)
            })
    });
    let error = Signal::derive(move || invite.value().get().and_then(|r| r.err()));
    let copy = move |_| {
        #[cfg(feature = "hydrate")]
        if let Some((l, _)) = link.get_untracked() {
            let _ = window().navigator().clipboard().write_text(&l);
            copied.set(true);
        }
    };
    view! {
        <div class="subform" data-testid="invitation">
            <h3>{t!(i18n, people.invite.title)} ": " {move || person.get().map(|p| p.display_name).unwrap_or_default()}</h3>
            <FormAlert error/>
            {move || link.get().map(|(l, until)| view! {
                <div class="form-row">
                    <label class="field">
                        <span class="label">{t!(i18n, people.invite.link)}</span>
                        <input type="text" readonly value=l.clone() data-testid="invitation-link" on:focus=move |ev| {
                            #[cfg(feature = "hydrate")]
                            {
                                use wasm_bindgen::JsCast;
                                if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                    input.select();
                                }
                            }
                            #[cfg(not(feature = "hydrate"))]
                            let _ = ev;
                        }/>
                    </label>
                </div>
                <p class="muted small">{t!(i18n, people.invite.note)} " " <span data-testid="invitation-expires">{until}</span></p>
            })}
            <div class="form-actions">
                <button type="button" class="btn btn-primary" on:click=copy disabled=move || link.get().is_none()>{t!(i18n, people.invite.copy)}</button>
                <button type="button" class="btn" on:click=move |_| person.set(None)>{t!(i18n, common.cancel)}</button>
                <SuccessNote show=copied>{move || t_string!(i18n, people.invite.copied)}</SuccessNote>
            </div>
        </div>
    }
}

/// Importing people from a CSV file (preview, problems per row, only the
/// valid rows if chosen); the shared `ui::csv_import::CsvImport`.
#[component]
pub fn PeopleImport(
    /// Kept by the page, so that the report outlives the reload an import causes.
    action: ServerAction<ImportPeople>,
) -> impl IntoView {
    use crate::ui::csv_import::{CommitButton, CsvImport, CsvImportLabels, CsvUpload, column_key};
    let i18n = use_i18n();
    let request = Callback::new(move |u: CsvUpload| ImportPeople {
        batch_id: u.batch_id,
        file: u.file,
        commit: u.commit,
        only_valid: u.only_valid,
    });
    let labels = CsvImportLabels {
        input_id: "people-csv",
        report_testid: "people-import-report",
        errors_testid: "people-import-errors",
        imported: |locale| td_string!(locale, people.import.imported),
        column: column_key,
        unchanged: Some(|locale| td_string!(locale, people.import.unchanged)),
        count_errors: true,
        commit: CommitButton::Row,
    };
    view! {
        // Open again after the reload an import causes, with its report.
        <details class="card section" data-testid="people-import" open=action.value().get_untracked().is_some()>
            <summary class="summary-button">{t!(i18n, people.import.title)}</summary>
            <div class="subform">
                <p class="muted small">{t!(i18n, people.import.hint)}</p>
                <CsvImport action request labels/>
            </div>
        </details>
    }
}
