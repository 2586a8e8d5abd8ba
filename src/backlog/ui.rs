//! The backlog page: choose a backlog, see it ranked, move requirements by
//! drag-and-drop or keyboard, score them, change their state, submit new ones.
use super::api::{
    ChangeStatus, CreateBacklog, ImportRequirements, MoveRequirement, ResetOrder, ScoreRequirement,
    SetVote, SubmitRequirement, backlog_choices, backlog_labels, list_backlogs, list_requirements,
};
use super::model::{
    Backlog, Framework, PAGE_SIZE, RequirementPage, RequirementRow, Sort, Source, Status, round2,
};
use crate::app::PageHeader;
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::form::{
    FormAlert, SelectField, SuccessNote, TextField, error_text, focus_first_invalid,
};
use crate::ui::icons::Icon;
use leptos::prelude::*;

pub fn status_label(locale: Locale, s: Status) -> &'static str {
    match s {
        Status::New => td_string!(locale, backlog.status.new),
        Status::UnderReview => td_string!(locale, backlog.status.under_review),
        Status::Planned => td_string!(locale, backlog.status.planned),
        Status::InProgress => td_string!(locale, backlog.status.in_progress),
        Status::Done => td_string!(locale, backlog.status.done),
        Status::Rejected => td_string!(locale, backlog.status.rejected),
        Status::Duplicate => td_string!(locale, backlog.status.duplicate),
    }
}

pub fn source_label(locale: Locale, s: Source) -> &'static str {
    match s {
        Source::Customer => td_string!(locale, backlog.sources.customer),
        Source::Sales => td_string!(locale, backlog.sources.sales),
        Source::Support => td_string!(locale, backlog.sources.support),
        Source::MarketResearch => td_string!(locale, backlog.sources.market_research),
        Source::UserResearch => td_string!(locale, backlog.sources.user_research),
        Source::InternalIdea => td_string!(locale, backlog.sources.internal_idea),
        Source::Leadership => td_string!(locale, backlog.sources.leadership),
    }
}

pub fn framework_label(locale: Locale, f: Framework) -> &'static str {
    match f {
        Framework::Rice => td_string!(locale, backlog.frameworks.rice),
        Framework::Wsjf => td_string!(locale, backlog.frameworks.wsjf),
        Framework::Ice => td_string!(locale, backlog.frameworks.ice),
        Framework::ValueEffort => td_string!(locale, backlog.frameworks.value_effort),
        Framework::Moscow => td_string!(locale, backlog.frameworks.moscow),
    }
}

pub fn field_label(locale: Locale, field: &str) -> &'static str {
    match field {
        "reach" => td_string!(locale, backlog.fields.reach),
        "impact" => td_string!(locale, backlog.fields.impact),
        "confidence" => td_string!(locale, backlog.fields.confidence),
        "effort" => td_string!(locale, backlog.fields.effort),
        "business_value" => td_string!(locale, backlog.fields.business_value),
        "time_criticality" => td_string!(locale, backlog.fields.time_criticality),
        "risk_reduction" => td_string!(locale, backlog.fields.risk_reduction),
        "job_size" => td_string!(locale, backlog.fields.job_size),
        "ease" => td_string!(locale, backlog.fields.ease),
        "value" => td_string!(locale, backlog.fields.value),
        _ => td_string!(locale, backlog.fields.category),
    }
}

fn options_with_all(all: &str, items: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), all.to_string())];
    v.extend(items);
    v
}

#[component]
pub fn BacklogPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload_backlogs = RwSignal::new(0u32);
    let backlogs = Resource::new(move || reload_backlogs.get(), |_| list_backlogs());
    let choices = Resource::new(move || reload_backlogs.get(), |_| backlog_choices());
    // The chosen backlog lives in the address (?b=…), so links and reloads keep it.
    let query = leptos_router::hooks::use_query_map();
    let selected = RwSignal::new(query.with_untracked(|q| q.get("b").unwrap_or_default()));
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |prev: Option<String>| {
        let id = selected.get();
        if prev.is_some_and(|p| p != id) && !id.is_empty() {
            navigate(
                &format!("/backlog?b={id}"),
                leptos_router::NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        id
    });
    view! {
        <PageHeader
            title=Signal::derive(move || t_string!(i18n, backlog.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, backlog.subtitle).to_string())
        />
        <p class="page-links"><a href="/backlog/mine" class="btn btn-small"><Icon name="list"/> {t!(i18n, backlog.mine.link)}</a></p>
        <Transition fallback=|| view! { <div class="card skeleton tall" aria-busy="true"></div> }>
            {move || Suspend::new(async move {
                // Read before the await: leaving the page can dispose the
                // signal and the second resource while the backlogs load.
                let choices = choices.into_future();
                let chosen = selected.get_untracked();
                let list = backlogs.await;
                let choices = choices.await.ok();
                match list {
                    Err(e) => view! { <div class="alert alert-error" role="alert">{move || error_text(i18n.get_locale(), e.code)}</div> }.into_any(),
                    Ok(list) => {
                        if chosen.is_empty() || !list.iter().any(|b| b.id == chosen) {
                            selected.set(list.first().map(|b| b.id.clone()).unwrap_or_default());
                        }
                        let can_create = choices.as_ref().is_some_and(|c| !c.teams.is_empty());
                        let empty = list.is_empty();
                        let list = StoredValue::new(list);
                        view! {
                            {empty.then(|| view! {
                                <div class="empty-state">
                                    <span class="empty-icon"><Icon name="list"/></span>
                                    <h2>{t!(i18n, backlog.none_yet)}</h2>
                                    <p class="muted">
                                        {if can_create { t!(i18n, backlog.none_yet_body).into_any() } else { t!(i18n, backlog.none_yet_member).into_any() }}
                                    </p>
                                </div>
                            })}
                            {(!empty).then(|| {
                                let editable: Vec<String> = choices.as_ref().map(|c| c.teams.iter().map(|t| t.0.clone()).collect()).unwrap_or_default();
                                let owners = choices.as_ref().map(|c| c.owners.clone()).unwrap_or_default();
                                let people = choices.as_ref().map(|c| c.people.clone()).unwrap_or_default();
                                let manageable = choices.as_ref().map(|c| c.manageable.clone()).unwrap_or_default();
                                view! { <BacklogView list selected editable owners people manageable reload_backlogs/> }.into_any()
                            })}
                            {choices.filter(|c| !c.teams.is_empty()).map(|c| view! { <NewBacklogForm choices=c reload=reload_backlogs selected/> }.into_any())}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn NewBacklogForm(
    choices: super::api::BacklogFormChoices,
    reload: RwSignal<u32>,
    selected: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateBacklog>::new();
    let id = RwSignal::new(crate::ui::new_id());
    let name = RwSignal::new(String::new());
    let team = RwSignal::new(
        choices
            .teams
            .first()
            .map(|t| t.0.clone())
            .unwrap_or_default(),
    );
    let owner = RwSignal::new(
        choices
            .suggested_owner
            .clone()
            .or_else(|| choices.owners.first().map(|t| t.0.clone()))
            .unwrap_or_default(),
    );
    let framework = RwSignal::new("rice".to_string());
    let error = Signal::derive(move || create.value().get().and_then(|r| r.err()));
    focus_first_invalid("backlog-form", error);
    Effect::new(move |_| {
        if let Some(Ok(b)) = create.value().get() {
            selected.set(b.id);
            id.set(crate::ui::new_id());
            name.set(String::new());
            reload.update(|n| *n += 1);
        }
    });
    let teams = choices.teams.clone();
    let owners = choices.owners.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        create.dispatch(CreateBacklog {
            id: id.get_untracked(),
            team_id: team.get_untracked(),
            owner_id: owner.get_untracked(),
            name: name.get_untracked(),
            framework: framework.get_untracked(),
        });
    };
    view! {
        <details class="card section">
            <summary class="summary-button"><Icon name="plus"/> {t!(i18n, backlog.new_backlog)}</summary>
            <form id="backlog-form" class="subform" novalidate on:submit=submit>
                <FormAlert error/>
                <div class="form-row">
                    <TextField form="backlog-form" name="name" value=name error>{t!(i18n, backlog.name)}</TextField>
                    <SelectField form="backlog-form" name="team_id" value=team error options=Signal::derive(move || teams.clone())>
                        {t!(i18n, backlog.team)}
                    </SelectField>
                    <SelectField form="backlog-form" name="owner_id" value=owner error options=Signal::derive(move || owners.clone())>
                        {t!(i18n, backlog.owner)}
                    </SelectField>
                    <SelectField
                        form="backlog-form"
                        name="framework"
                        value=framework
                        error
                        options=Signal::derive(move || {
                            Framework::ALL.iter().map(|f| (f.as_str().to_string(), framework_label(i18n.get_locale(), *f).to_string())).collect()
                        })
                    >
                        {t!(i18n, backlog.framework)}
                    </SelectField>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">{t!(i18n, backlog.new_backlog)}</button>
                </div>
            </form>
        </details>
    }
}

/// Which part of a backlog is shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    List,
    Overview,
    Poker,
}

#[component]
fn BacklogView(
    list: StoredValue<Vec<Backlog>>,
    selected: RwSignal<String>,
    editable: Vec<String>,
    owners: Vec<(String, String)>,
    people: Vec<(String, String)>,
    manageable: Vec<String>,
    reload_backlogs: RwSignal<u32>,
) -> impl IntoView {
    let editable = StoredValue::new(editable);
    let manageable = StoredValue::new(manageable);
    let i18n = use_i18n();
    let search = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let source = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let sort = RwSignal::new("rank".to_string());
    let offset = RwSignal::new(0i64);
    let reload = RwSignal::new(0u32);
    let tab = RwSignal::new(Tab::List);
    // A new filter starts from the first page.
    Effect::new(move |first: Option<()>| {
        selected.track();
        search.track();
        status.track();
        source.track();
        label.track();
        owner.track();
        sort.track();
        if first.is_some() {
            offset.set(0);
        }
    });
    let rows = Resource::new(
        move || {
            (
                (selected.get(), search.get(), status.get(), source.get()),
                (label.get(), owner.get(), sort.get(), offset.get()),
                reload.get(),
            )
        },
        |((b, q, st, so), (la, ow, sr, off), _)| list_requirements(b, q, st, so, la, ow, sr, off),
    );
    // The label choices load in the browser after hydration (the server
    // renders the page without them), so they never slow the first render.
    let labels_ready = RwSignal::new(false);
    Effect::new(move |_| labels_ready.set(true));
    let labels = Resource::new(
        move || (selected.get(), labels_ready.get(), reload.get()),
        |(b, ready, _)| async move {
            if ready {
                backlog_labels(b).await
            } else {
                Ok(vec![])
            }
        },
    );
    let current = Signal::derive(move || {
        list.with_value(|l| l.iter().find(|b| b.id == selected.get()).cloned())
    });
    // The browser hides what the server would refuse: editing is for the team's PMs, leaders, admins.
    let can_edit = Signal::derive(move || {
        current
            .get()
            .is_some_and(|b| editable.with_value(|e| e.contains(&b.team_id)))
    });
    let reset = ServerAction::<ResetOrder>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = reset.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    let no_error = Signal::derive(|| None::<AppError>);
    // Kept here, not in the list: the list renders anew after every move.
    let announce = RwSignal::new(String::new());
    let last_moved = RwSignal::new(None::<String>);
    let owner_options = StoredValue::new(owners);
    let people = StoredValue::new(people);
    let filtered = Signal::derive(move || {
        !search.get().is_empty()
            || !status.get().is_empty()
            || !source.get().is_empty()
            || !label.get().is_empty()
            || !owner.get().is_empty()
    });
    let tab_button = move |t: Tab, id: &'static str| {
        view! {
            <button
                type="button"
                role="tab"
                id=format!("tab-{id}")
                class="tab"
                aria-selected=move || if tab.get() == t { "true" } else { "false" }
                tabindex=move || if tab.get() == t { "0" } else { "-1" }
                on:click=move |_| tab.set(t)
                on:keydown=move |ev| {
                    let order = [Tab::List, Tab::Overview, Tab::Poker];
                    let at = order.iter().position(|x| *x == tab.get_untracked()).unwrap_or(0);
                    let next = match ev.key().as_str() {
                        "ArrowRight" => Some(order[(at + 1) % 3]),
                        "ArrowLeft" => Some(order[(at + 2) % 3]),
                        _ => None,
                    };
                    if let Some(n) = next {
                        ev.prevent_default();
                        tab.set(n);
                        #[cfg(feature = "hydrate")]
                        {
                            let name = match n { Tab::List => "list", Tab::Overview => "overview", Tab::Poker => "poker" };
                            if let Some(el) = document().get_element_by_id(&format!("tab-{name}")) {
                                use wasm_bindgen::JsCast;
                                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                                    let _ = el.focus();
                                }
                            }
                        }
                    }
                }
            >
                {move || match t {
                    Tab::List => t_string!(i18n, backlog.tabs.list),
                    Tab::Overview => t_string!(i18n, backlog.tabs.overview),
                    Tab::Poker => t_string!(i18n, backlog.tabs.poker),
                }}
            </button>
        }
    };
    view! {
        <div class="sr-only" role="status" aria-live="polite">{move || announce.get()}</div>
        <section class="card section" aria-labelledby="backlog-title">
            <div class="section-head">
                <div class="inline-field">
                    <SelectField
                        form="backlog-pick"
                        name="backlog"
                        value=selected
                        error=no_error
                        options=Signal::derive(move || list.with_value(|l| l.iter().map(|b| (b.id.clone(), b.name.clone())).collect()))
                    >
                        <span id="backlog-title">{t!(i18n, backlog.choose)}</span>
                    </SelectField>
                    {move || current.get().map(|b| view! {
                        <span class="badge" data-testid="framework">{move || framework_label(i18n.get_locale(), b.framework)}</span>
                    })}
                </div>
                <div class="head-actions">
                    <Show when=move || can_edit.get() && tab.get() == Tab::List>
                        <button
                            type="button"
                            class="btn"
                            data-testid="reset-order"
                            on:click=move |_| {
                                reset.dispatch(ResetOrder { backlog_id: selected.get_untracked() });
                            }
                        >
                            {t!(i18n, backlog.reset_order)}
                        </button>
                    </Show>
                </div>
            </div>
            {move || current.get().map(|b| {
                let can_reassign = manageable.with_value(|m| m.contains(&b.team_id));
                view! { <OwnerBar backlog=b owners=owner_options.get_value() can_reassign reload=reload_backlogs/> }
            })}
            <div class="tabs" role="tablist" aria-labelledby="backlog-title">
                {tab_button(Tab::List, "list")}
                {tab_button(Tab::Overview, "overview")}
                {tab_button(Tab::Poker, "poker")}
            </div>
            <Show when=move || tab.get() == Tab::List>
            <div role="tabpanel" aria-labelledby="tab-list">
            <div class="filters">
                <label class="search">
                    <span class="sr-only">{t!(i18n, backlog.search)}</span>
                    <input type="search" placeholder=move || t_string!(i18n, backlog.search) bind:value=search data-testid="backlog-search"/>
                </label>
                <SelectField
                    form="filters"
                    name="status"
                    value=status
                    error=no_error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        options_with_all(td_string!(l, backlog.all_statuses), Status::ALL.iter().map(|s| (s.as_str().to_string(), status_label(l, *s).to_string())).collect())
                    })
                >
                    <span class="sr-only">{t!(i18n, backlog.state)}</span>
                </SelectField>
                <SelectField
                    form="filters"
                    name="source"
                    value=source
                    error=no_error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        options_with_all(td_string!(l, backlog.all_sources), Source::ALL.iter().map(|s| (s.as_str().to_string(), source_label(l, *s).to_string())).collect())
                    })
                >
                    <span class="sr-only">{t!(i18n, backlog.source)}</span>
                </SelectField>
                <SelectField
                    form="filters"
                    name="label"
                    value=label
                    error=no_error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        let used = labels.get().and_then(|r| r.ok()).unwrap_or_default();
                        options_with_all(td_string!(l, backlog.all_labels), used.into_iter().map(|x| (x.clone(), x)).collect())
                    })
                >
                    <span class="sr-only">{t!(i18n, backlog.labels)}</span>
                </SelectField>
                <SelectField
                    form="filters"
                    name="owner"
                    value=owner
                    error=no_error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        let mut v = options_with_all(td_string!(l, backlog.all_owners), owner_options.get_value());
                        v.push(("none".to_string(), td_string!(l, backlog.no_owner).to_string()));
                        v
                    })
                >
                    <span class="sr-only">{t!(i18n, backlog.req_owner)}</span>
                </SelectField>
                <SelectField
                    form="filters"
                    name="sort"
                    value=sort
                    error=no_error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        Sort::ALL.iter().map(|s| (s.as_str().to_string(), sort_label(l, *s).to_string())).collect()
                    })
                >
                    {t!(i18n, backlog.sort_by)}
                </SelectField>
            </div>
            <p class="muted small">
                {move || if sort.get() == "rank" { t_string!(i18n, backlog.drag_hint) } else { t_string!(i18n, backlog.sorted_hint) }}
            </p>
            <Transition fallback=|| view! { <div class="skeleton line"></div> }>
                {move || {
                    // Every signal is read before the await: a reload of the
                    // backlogs can dispose them while the rows load.
                    let _ = i18n.get_locale();
                    let b = current.get();
                    let editor = can_edit.get_untracked();
                    let can_move = editor && sort.get_untracked() == "rank";
                    Suspend::new(async move {
                    match (rows.await, b) {
                        (Ok(page), Some(b)) => view! {
                            <RankedList
                                page
                                backlog=b
                                reload
                                announce
                                last_moved
                                can_move
                                can_edit=editor
                                filtered
                                offset
                            />
                        }.into_any(),
                        (Err(e), _) => view! { <div class="alert alert-error" role="alert">{move || error_text(i18n.get_locale(), e.code)}</div> }.into_any(),
                        _ => ().into_any(),
                    }
                })}}
            </Transition>
            </div>
            </Show>
            <Show when=move || tab.get() == Tab::Overview>
                <div role="tabpanel" aria-labelledby="tab-overview">
                    {move || current.get().map(|b| view! { <super::pages::Overview backlog_id=b.id/> })}
                </div>
            </Show>
            <Show when=move || tab.get() == Tab::Poker>
                <div role="tabpanel" aria-labelledby="tab-poker">
                    {move || current.get().map(|b| view! { <super::pages::PokerPanel backlog=b can_open=can_edit.get_untracked() people=people.get_value()/> })}
                </div>
            </Show>
        </section>
        <Show when=move || tab.get() == Tab::List>
            {move || current.get().map(|b| view! { <SubmitForm backlog_id=b.id reload/> }.into_any())}
            {move || current.get().map(|b| view! { <CsvSection backlog_id=b.id reload/> }.into_any())}
        </Show>
    }
}

/// The backlog's owner, and for admins and the team's leaders a way to hand
/// it to another PM (needed when its owner is deactivated).
#[component]
fn OwnerBar(
    backlog: Backlog,
    owners: Vec<(String, String)>,
    can_reassign: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reassign = ServerAction::<super::api::ReassignBacklog>::new();
    let owner = RwSignal::new(backlog.owner_id.clone());
    let error = Signal::derive(move || reassign.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if matches!(reassign.value().get(), Some(Ok(_))) {
            reload.update(|n| *n += 1);
        }
    });
    let name = owners
        .iter()
        .find(|o| o.0 == backlog.owner_id)
        .map(|o| o.1.clone());
    let active = name.is_some();
    let (id, version) = (backlog.id.clone(), backlog.version);
    view! {
        <div class="owner-bar">
            <span data-testid="backlog-owner">
                <span class="muted">{t!(i18n, backlog.owner)} ": "</span>
                {match name {
                    Some(n) => view! { <strong>{n}</strong> }.into_any(),
                    None => view! { <span class="badge badge-warn"><Icon name="alert"/> {t!(i18n, backlog.owner_inactive)}</span> }.into_any(),
                }}
            </span>
            {can_reassign.then(|| view! {
                <details class="inline-details" open=!active>
                    <summary class="summary-button">{t!(i18n, backlog.reassign)}</summary>
                    <form id="reassign-form" class="form-row" novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        reassign.dispatch(super::api::ReassignBacklog { id: id.clone(), version, owner_id: owner.get_untracked() });
                    }>
                        <FormAlert error/>
                        <SelectField form="reassign-form" name="owner_id" value=owner error options=Signal::derive(move || owners.clone())>
                            {t!(i18n, backlog.new_owner)}
                        </SelectField>
                        <div class="form-actions">
                            <button type="submit" class="btn">{t!(i18n, backlog.reassign)}</button>
                        </div>
                    </form>
                </details>
            })}
        </div>
    }
}

pub fn sort_label(locale: Locale, s: Sort) -> &'static str {
    match s {
        Sort::Rank => td_string!(locale, backlog.sorts.rank),
        Sort::Score => td_string!(locale, backlog.sorts.score),
        Sort::Votes => td_string!(locale, backlog.sorts.votes),
        Sort::Newest => td_string!(locale, backlog.sorts.newest),
        Sort::Oldest => td_string!(locale, backlog.sorts.oldest),
    }
}

/// Reads the chosen file's bytes (in the browser).
#[component]
fn CsvSection(backlog_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ImportRequirements>::new();
    let file: RwSignal<Option<Vec<u8>>> = RwSignal::new(None);
    let batch = RwSignal::new(crate::ui::new_id());
    let reading = RwSignal::new(false);
    let id = StoredValue::new(backlog_id.clone());
    let send = move |commit: bool, only_valid: bool| {
        if let Some(bytes) = file.get_untracked() {
            action.dispatch(ImportRequirements {
                backlog_id: id.get_value(),
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
                    // The section can be gone (another backlog chosen) while
                    // the file is read: its signals and action are disposed.
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
    view! {
        <details class="card section">
            <summary class="summary-button">{t!(i18n, backlog.import_title)} " · " {t!(i18n, backlog.export)}</summary>
            <div class="subform">
                <p>
                    <a class="btn" href=format!("/backlog/{backlog_id}/export.csv") download="backlog.csv" rel="external" data-testid="export-csv">
                        {t!(i18n, backlog.export)}
                    </a>
                </p>
                <p class="muted small">{t!(i18n, backlog.import_hint)}</p>
                <div class="field">
                    <label for="csv-file">{t!(i18n, backlog.choose_file)}</label>
                    <input id="csv-file" type="file" accept=".csv,text/csv" on:change=on_change/>
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
                        <div data-testid="import-report">
                            {(r.imported > 0).then(|| view! {
                                <div class="alert alert-ok" role="status">{t!(i18n, backlog.imported)} " " <span class="num">{r.imported}</span></div>
                            })}
                            {(r.imported == 0).then(|| view! {
                                <p><strong class="num">{valid}</strong> " " {t!(i18n, backlog.ready)}</p>
                            })}
                            {(has_errors && r.imported == 0).then(|| {
                                let errors = r.errors.clone();
                                view! {
                                    <p class="field-error"><strong class="num">{errors.len()}</strong> " " {t!(i18n, backlog.errors_found)}</p>
                                    <div class="table-wrap">
                                        <table class="table" data-testid="import-errors">
                                            <thead>
                                                <tr>
                                                    <th scope="col">{t!(i18n, backlog.row)}</th>
                                                    <th scope="col">{t!(i18n, backlog.column)}</th>
                                                    <th scope="col">{t!(i18n, backlog.problem)}</th>
                                                </tr>
                                            </thead>
                                            <tbody>
                                                {errors.into_iter().map(|e| view! {
                                                    <tr>
                                                        <td class="num">{e.row}</td>
                                                        <td>{e.column.clone()}</td>
                                                        <td>{move || error_text(i18n.get_locale(), e.code)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                            })}
                            {(r.imported == 0 && valid > 0).then(|| view! {
                                <div class="form-actions">
                                    {if has_errors {
                                        view! { <button type="button" class="btn" on:click=move |_| send(true, true)>{t!(i18n, backlog.import_valid)}</button> }.into_any()
                                    } else {
                                        view! { <button type="button" class="btn btn-primary" on:click=move |_| send(true, false)>{t!(i18n, backlog.import)}</button> }.into_any()
                                    }}
                                </div>
                            })}
                        </div>
                    }
                })}
            </div>
        </details>
    }
}

#[allow(clippy::too_many_arguments)]
#[component]
fn RankedList(
    page: RequirementPage,
    backlog: Backlog,
    reload: RwSignal<u32>,
    announce: RwSignal<String>,
    last_moved: RwSignal<Option<String>>,
    can_move: bool,
    can_edit: bool,
    filtered: Signal<bool>,
    offset: RwSignal<i64>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Rows are drawn with plain strings of the current language (no reactive
    // text per row); the list is drawn anew when the language changes.
    let locale = i18n.get_locale_untracked();
    let rows = page.rows;
    let (total, first) = (page.total, page.offset);
    // The page with its neighbours: moves at the page's edges need them.
    let lead = page.before.len();
    let order: Vec<String> = page
        .before
        .iter()
        .cloned()
        .chain(rows.iter().map(|r| r.id.clone()))
        .chain(page.after.iter().cloned())
        .collect();
    let order_len = order.len();
    let order = StoredValue::new(order);
    let move_action = ServerAction::<MoveRequirement>::new();
    let vote = ServerAction::<SetVote>::new();
    let dragging = RwSignal::new(None::<String>);
    // Keyboard users keep their place: focus returns to the moved requirement.
    Effect::new(move |_| {
        if let Some(id) = last_moved.get_untracked() {
            #[cfg(feature = "hydrate")]
            request_animation_frame(move || {
                if let Some(el) = document().get_element_by_id(&format!("req-{id}")) {
                    use wasm_bindgen::JsCast;
                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                        let _ = el.focus();
                    }
                }
            });
            #[cfg(not(feature = "hydrate"))]
            let _ = id;
        }
    });
    let editing = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = move_action.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = vote.value().get() {
            reload.update(|n| *n += 1);
        }
    });
    // Moves `id` to index `to` of the page with its neighbours (computed
    // without itself); index 0 there is the top when the page is the first.
    let start = first - lead as i64;
    let move_to = move |id: String, to: usize| {
        let after = order.with_value(|o| {
            let others: Vec<&String> = o.iter().filter(|x| **x != id).collect();
            if to == 0 {
                String::new()
            } else {
                others
                    .get(to - 1)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            }
        });
        let place = if to == 0 && after.is_empty() {
            1
        } else {
            start + to as i64 + 1
        };
        announce.set(format!("{} {}", t_string!(i18n, backlog.moved), place));
        last_moved.set(Some(id.clone()));
        move_action.dispatch(MoveRequirement {
            id,
            after_id: after,
        });
    };
    let index_of = move |id: &str| {
        order
            .with_value(|o| o.iter().position(|x| x == id))
            .unwrap_or(0)
    };
    if rows.is_empty() {
        return view! {
            <p class="empty-inline muted" data-testid="empty-backlog">
                {move || if filtered.get() { t_string!(i18n, backlog.no_match) } else { t_string!(i18n, backlog.empty_list) }}
            </p>
        }
            .into_any();
    }
    let framework = backlog.framework;
    let points: Vec<crate::ui::charts::MatrixPoint> = rows
        .iter()
        .filter_map(|r| match r.score_input {
            Some(super::model::ScoreInput::ValueEffort { value, effort }) => {
                Some(crate::ui::charts::MatrixPoint {
                    id: r.id.clone(),
                    title: r.title.clone(),
                    value,
                    effort,
                })
            }
            _ => None,
        })
        .collect();
    let show_matrix = framework == Framework::ValueEffort;
    let last_page = first + PAGE_SIZE >= total;
    view! {
        {show_matrix.then(|| view! { <crate::ui::charts::ValueEffortMatrix points/> }.into_any())}
        <ol class="ranked" data-testid="ranked-list" start=first + 1>
            {rows
                .into_iter()
                .enumerate()
                .map(|(i, r)| {
                    // Where the row sits among the page and its neighbours.
                    let at = lead + i;
                    let id = r.id.clone();
                    let (id_a, id_b, id_c, id_d, id_e, id_f, id_g) = (id.clone(), id.clone(), id.clone(), id.clone(), id.clone(), id.clone(), id.clone());
                    let status = r.status;
                    let source = r.source;
                    let row = r.clone();
                    view! {
                        <li
                            id=format!("req-{}", r.id)
                            class="ranked-row"
                            class:dragging=move || dragging.get().as_deref() == Some(id.as_str())
                            draggable=if can_move { "true" } else { "false" }
                            tabindex="0"
                            data-testid="requirement-row"
                            aria-label=r.title.clone()
                            on:dragstart=move |_| dragging.set(Some(id_a.clone()))
                            on:dragend=move |_| dragging.set(None)
                            on:dragover=move |ev| ev.prevent_default()
                            on:drop=move |ev| {
                                ev.prevent_default();
                                if let Some(d) = dragging.get_untracked().filter(|_| can_move) {
                                    if d != id_b {
                                        let target = index_of(&id_b);
                                        // Dropped on a row: take its place.
                                        move_to(d, target);
                                    }
                                }
                                dragging.set(None);
                            }
                            on:keydown=move |ev| {
                                if can_move && ev.alt_key() {
                                    let at = index_of(&id_c);
                                    if ev.key() == "ArrowUp" && start + (at as i64) > 0 {
                                        ev.prevent_default();
                                        move_to(id_c.clone(), at - 1);
                                    } else if ev.key() == "Home" && start + (at as i64) > 0 {
                                        ev.prevent_default();
                                        move_to(id_c.clone(), 0);
                                    } else if ev.key() == "ArrowDown" && at + 1 < order_len {
                                        ev.prevent_default();
                                        move_to(id_c.clone(), at + 1);
                                    }
                                }
                            }
                        >
                            <span class="rank-no num">{first + i as i64 + 1}</span>
                            <span class="drag-handle" aria-hidden="true">"⋮⋮"</span>
                            <div class="req-main">
                                <a class="req-title" href=format!("/backlog/requirements/{}", r.id)>{r.title.clone()}</a>
                                <span class="req-meta">
                                    <span class=format!("badge status-{}", status.as_str())>{status_label(locale, status)}</span>
                                    <span class="muted">{source_label(locale, source)}</span>
                                    {r.pinned.then(|| view! { <span class="badge"><Icon name="pin"/> {td_string!(locale, backlog.pinned)}</span> })}
                                    {r.out_of_order.then(|| view! { <span class="badge badge-warn" data-testid="out-of-order">"↕ " {td_string!(locale, backlog.out_of_order)}</span> })}
                                    {r.owner_name.clone().map(|o| view! { <span class="muted"><Icon name="user"/> {o}</span> })}
                                    {r.labels.iter().map(|l| view! { <span class="chip">{l.clone()}</span> }).collect_view()}
                                </span>
                            </div>
                            <span class="req-score num" data-testid="score" title=r.score_input.as_ref().and_then(|i| i.explain().ok()).unwrap_or_default()>
                                {match r.score {
                                    Some(s) => round2(s).to_string().into_any(),
                                    None => view! { <span class="muted">{td_string!(locale, backlog.not_scored)}</span> }.into_any(),
                                }}
                            </span>
                            <button
                                type="button"
                                class="btn btn-small"
                                class:btn-on=r.voted
                                aria-pressed=if r.voted { "true" } else { "false" }
                                on:click={ let voted = !r.voted; move |_| { vote.dispatch(SetVote { id: id_d.clone(), voted }); } }
                            >
                                {if r.voted { td_string!(locale, backlog.voted) } else { td_string!(locale, backlog.vote) }}
                                " · " <span class="num">{r.votes}</span>
                            </button>
                            <span class="move-buttons" class:hidden=!can_move>
                                <button type="button" class="btn btn-small" aria-label=td_string!(locale, backlog.move_top) disabled={start + at as i64 == 0} on:click=move |_| move_to(id_e.clone(), 0)>"⤒"</button>
                                <button type="button" class="btn btn-small" aria-label=td_string!(locale, backlog.move_up) disabled={start + at as i64 == 0} on:click=move |_| move_to(id_f.clone(), at.saturating_sub(1))>"↑"</button>
                                <button type="button" class="btn btn-small" aria-label=td_string!(locale, backlog.move_down) disabled={at + 1 >= order_len} on:click={let id = id_g.clone(); move |_| move_to(id.clone(), at + 1)}>"↓"</button>
                            </span>
                            <button
                                type="button"
                                class="btn btn-small"
                                class:hidden=!can_edit
                                aria-expanded=move || if editing.get().as_deref() == Some(row.id.as_str()) { "true" } else { "false" }
                                on:click={
                                    let rid = r.id.clone();
                                    move |_| editing.update(|e| *e = if e.as_deref() == Some(rid.as_str()) { None } else { Some(rid.clone()) })
                                }
                            >
                                {td_string!(locale, backlog.edit)}
                            </button>
                            {
                                let rid = r.id.clone();
                                let row = r.clone();
                                move || (editing.get().as_deref() == Some(rid.as_str())).then(|| view! { <RequirementEditor row=row.clone() framework reload/> }.into_any())
                            }
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <nav class="pager" aria-label=move || t_string!(i18n, backlog.pages)>
            <span class="muted small" data-testid="page-info">
                {format!("{}–{} / {}", first + 1, (first + PAGE_SIZE).min(total), total)}
            </span>
            <button type="button" class="btn btn-small" disabled=first == 0 on:click=move |_| offset.set((first - PAGE_SIZE).max(0))>
                "← " {t!(i18n, backlog.previous)}
            </button>
            <button type="button" class="btn btn-small" disabled=last_page on:click=move |_| offset.set(first + PAGE_SIZE)>
                {t!(i18n, backlog.next)} " →"
            </button>
        </nav>
    }
        .into_any()
}

#[component]
pub fn RequirementEditor(
    row: RequirementRow,
    framework: Framework,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let score = ServerAction::<ScoreRequirement>::new();
    let change = ServerAction::<ChangeStatus>::new();
    let form_id: &'static str = "score-form";
    // Current inputs as the fields show them: numbers as the scale's options
    // are written ("2", "0.25"), a MoSCoW category by name.
    let current: Vec<(&'static str, String)> = match &row.score_input {
        Some(super::model::ScoreInput::Moscow { category }) => vec![(
            "category",
            serde_json::to_value(category)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
        )],
        Some(input) => input
            .values()
            .into_iter()
            .map(|(f, v)| (f, v.to_string()))
            .collect(),
        None => vec![],
    };
    let fields = framework.fields();
    let values: Vec<(&'static str, Vec<f64>, RwSignal<String>)> = fields
        .into_iter()
        .map(|(f, scale)| {
            let default = current
                .iter()
                .find(|(n, _)| *n == f)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| {
                    if f == "category" {
                        "should".to_string()
                    } else {
                        scale.first().map(|x| x.to_string()).unwrap_or_default()
                    }
                });
            (f, scale, RwSignal::new(default))
        })
        .collect();
    let values = StoredValue::new(values);
    let error = Signal::derive(move || {
        score
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| change.value().get().and_then(|r| r.err()))
    });
    focus_first_invalid(form_id, error);
    Effect::new(move |_| {
        if matches!(score.value().get(), Some(Ok(_))) || matches!(change.value().get(), Some(Ok(_)))
        {
            reload.update(|n| *n += 1);
        }
    });
    let version = row.version;
    let rid = row.id.clone();
    let submit_score = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut map = serde_json::Map::new();
        map.insert("framework".into(), framework.as_str().into());
        values.with_value(|vs| {
            for (f, _, v) in vs {
                let raw = v.get_untracked();
                let value = if *f == "category" {
                    serde_json::Value::String(raw)
                } else {
                    raw.trim()
                        .parse::<f64>()
                        .ok()
                        .and_then(serde_json::Number::from_f64)
                        .map(serde_json::Value::Number)
                        .unwrap_or(serde_json::Value::Null)
                };
                map.insert((*f).into(), value);
            }
        });
        score.dispatch(ScoreRequirement {
            id: rid.clone(),
            version,
            input: serde_json::Value::Object(map).to_string(),
        });
    };
    let to = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let rid2 = row.id.clone();
    let from = row.status;
    let submit_status = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        change.dispatch(ChangeStatus {
            id: rid2.clone(),
            version,
            status: to.get_untracked(),
            reason: reason.get_untracked(),
            duplicate_of: String::new(),
        });
    };
    view! {
        <div class="req-editor">
            <form id=form_id class="form-row" novalidate on:submit=submit_score>
                <FormAlert error/>
                {values.with_value(|vs| vs.iter().map(|(f, scale, v)| {
                    let f: &'static str = f;
                    let v = *v;
                    if f == "category" {
                        view! {
                            <SelectField form=form_id name=f value=v error options=Signal::derive(move || {
                                let l = i18n.get_locale();
                                vec![
                                    ("must".to_string(), td_string!(l, backlog.moscow.must).to_string()),
                                    ("should".to_string(), td_string!(l, backlog.moscow.should).to_string()),
                                    ("could".to_string(), td_string!(l, backlog.moscow.could).to_string()),
                                    ("wont".to_string(), td_string!(l, backlog.moscow.wont).to_string()),
                                ]
                            })>{move || field_label(i18n.get_locale(), f)}</SelectField>
                        }.into_any()
                    } else if scale.is_empty() {
                        view! { <TextField form=form_id name=f kind="number" value=v error>{move || field_label(i18n.get_locale(), f)}</TextField> }.into_any()
                    } else {
                        let opts: Vec<(String, String)> = scale.iter().map(|x| (x.to_string(), x.to_string())).collect();
                        view! { <SelectField form=form_id name=f value=v error options=Signal::derive(move || opts.clone())>{move || field_label(i18n.get_locale(), f)}</SelectField> }.into_any()
                    }
                }).collect_view())}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary">{t!(i18n, backlog.save_score)}</button>
                    {row.score_input.as_ref().and_then(|i| i.explain().ok()).map(|e| view! { <span class="muted small" data-testid="why">{e}</span> })}
                </div>
            </form>
            <form id="status-form" class="form-row" novalidate on:submit=submit_status>
                <SelectField
                    form="status-form"
                    name="status"
                    value=to
                    error
                    options=Signal::derive(move || {
                        let l = i18n.get_locale();
                        let mut v = vec![(String::new(), status_label(l, from).to_string())];
                        v.extend(Status::ALL.iter().filter(|s| from.can_move_to(**s) && **s != Status::Duplicate).map(|s| (s.as_str().to_string(), status_label(l, *s).to_string())));
                        v
                    })
                >
                    {t!(i18n, backlog.state)}
                </SelectField>
                <Show when=move || to.get() == "rejected">
                    <TextField form="status-form" name="reason" value=reason error>{t!(i18n, backlog.reason)}</TextField>
                </Show>
                <div class="form-actions">
                    <button type="submit" class="btn">{t!(i18n, backlog.save_state)}</button>
                </div>
            </form>
        </div>
    }
}

#[component]
fn SubmitForm(backlog_id: String, reload: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let submit = ServerAction::<SubmitRequirement>::new();
    let id = RwSignal::new(crate::ui::new_id());
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let source = RwSignal::new("customer".to_string());
    let requester = RwSignal::new(String::new());
    let customer = RwSignal::new(String::new());
    let segment = RwSignal::new(String::new());
    let links = RwSignal::new(String::new());
    let error = Signal::derive(move || submit.value().get().and_then(|r| r.err()));
    let done = Signal::derive(move || matches!(submit.value().get(), Some(Ok(_))));
    focus_first_invalid("requirement-form", error);
    Effect::new(move |_| {
        if done.get() {
            id.set(crate::ui::new_id());
            for s in [title, description, requester, customer, segment, links] {
                s.set(String::new());
            }
            reload.update(|n| *n += 1);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submit.dispatch(SubmitRequirement {
            id: id.get_untracked(),
            backlog_id: backlog_id.clone(),
            title: title.get_untracked(),
            description: description.get_untracked(),
            source: source.get_untracked(),
            requester: requester.get_untracked(),
            customer: customer.get_untracked(),
            segment: segment.get_untracked(),
            links: links.get_untracked(),
        });
    };
    view! {
        <section class="card section" aria-labelledby="submit-title">
            <h2 id="submit-title">{t!(i18n, backlog.new_requirement)}</h2>
            <form id="requirement-form" novalidate on:submit=on_submit>
                <FormAlert error/>
                <div class="form-row">
                    <TextField form="requirement-form" name="title" value=title error>{t!(i18n, backlog.requirement)}</TextField>
                    <SelectField
                        form="requirement-form"
                        name="source"
                        value=source
                        error
                        options=Signal::derive(move || Source::ALL.iter().map(|s| (s.as_str().to_string(), source_label(i18n.get_locale(), *s).to_string())).collect())
                    >
                        {t!(i18n, backlog.source)}
                    </SelectField>
                    <TextField form="requirement-form" name="description" value=description error>{t!(i18n, backlog.description)}</TextField>
                    <TextField form="requirement-form" name="requester" value=requester error>{t!(i18n, backlog.requester)}</TextField>
                    <TextField form="requirement-form" name="customer" value=customer error>{t!(i18n, backlog.customer)}</TextField>
                    <TextField form="requirement-form" name="segment" value=segment error>{t!(i18n, backlog.segment)}</TextField>
                    <TextField
                        form="requirement-form"
                        name="links"
                        value=links
                        error
                        hint=Signal::derive(move || t_string!(i18n, backlog.links_hint).to_string())
                    >
                        {t!(i18n, backlog.links)}
                    </TextField>
                </div>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || submit.pending().get()>{t!(i18n, backlog.submit)}</button>
                    <SuccessNote show=done>{move || t_string!(i18n, backlog.submitted)}</SuccessNote>
                </div>
            </form>
        </section>
    }
}
