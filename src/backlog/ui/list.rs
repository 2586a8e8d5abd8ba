//! The backlog page: choosing and creating a backlog, its tabs and filters.
use super::*;
use crate::backlog::api::{
    CreateBacklog, ResetOrder, UndoReset, backlog_choices, backlog_labels, list_backlogs,
    list_requirements,
};
use crate::backlog::model::{Backlog, Framework, Sort, Source, Status};
use crate::error::AppError;
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, TextField, error_text, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::page::PageHeader;
use crate::ui::page::Reload;
use leptos::prelude::*;

pub(super) fn options_with_all(all: &str, items: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut v = vec![(String::new(), all.to_string())];
    v.extend(items);
    v
}

#[component]
pub fn BacklogPage() -> impl IntoView {
    let i18n = use_i18n();
    // One resource for both: with two, the server's rendering of the page
    // below ran again when the second resolved after the first was read,
    // so its inner resources were sent two or three times and the browser,
    // pairing them in order, sometimes failed to hydrate.
    let page = Resource::new(
        || (),
        |_| async { (list_backlogs().await, backlog_choices().await.ok()) },
    );
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
                // signal while the backlogs load.
                let chosen = selected.get_untracked();
                let (list, choices) = page.await;
                match list {
                    Err(e) => view! { <div class="alert alert-error" role="alert">{move || error_text(i18n.get_locale(), e.code)}</div> }.into_any(),
                    Ok(list) => {
                        if chosen.is_empty() || !list.iter().any(|b| b.id == chosen) {
                            selected.set(list.first().map(|b| b.id.clone()).unwrap_or_default());
                        }
                        let can_create = choices.as_ref().is_some_and(|c| !c.teams.is_empty());
                        let empty = list.is_empty();
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
                                view! { <BacklogView list selected editable owners people manageable/> }.into_any()
                            })}
                            {choices.filter(|c| !c.teams.is_empty()).map(|c| view! { <NewBacklogForm choices=c/> }.into_any())}
                        }
                            .into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// Opens a backlog's page afresh after the list of backlogs changed (one
/// made, one handed over). Reloading the list in place replaced the view
/// shown while parts of it (its ranked rows) were still live, which panicked
/// the wasm on disposed values about once in three; a fresh load has no old
/// view to tear down.
pub(super) fn show_backlog(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(&format!("/backlog?b={id}"));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

#[component]
pub(super) fn NewBacklogForm(choices: crate::backlog::api::BacklogFormChoices) -> impl IntoView {
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
            id.set(crate::ui::new_id());
            name.set(String::new());
            show_backlog(&b.id);
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
pub(super) enum Tab {
    List,
    Overview,
    Poker,
}

#[component]
pub(super) fn BacklogView(
    list: Vec<Backlog>,
    selected: RwSignal<String>,
    editable: Vec<String>,
    owners: Vec<(String, String)>,
    people: Vec<(String, String)>,
    manageable: Vec<String>,
) -> impl IntoView {
    let list = StoredValue::new(list);
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
    let reload = Reload::provide();
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
    let undo_reset = ServerAction::<UndoReset>::new();
    Effect::new(move |_| {
        // Both read, so that the effect follows both actions.
        let (first, second) = (
            matches!(reset.value().get(), Some(Ok(()))),
            matches!(undo_reset.value().get(), Some(Ok(()))),
        );
        if first || second {
            reload.bump();
        }
    });
    let undo_error = Signal::derive(move || undo_reset.value().get().and_then(|r| r.err()));
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
                                if crate::ui::confirm(td_string!(i18n.get_locale_untracked(), backlog.reset_confirm)) {
                                    reset.dispatch(ResetOrder { backlog_id: selected.get_untracked() });
                                }
                            }
                        >
                            {t!(i18n, backlog.reset_order)}
                        </button>
                    </Show>
                </div>
            </div>
            {move || current.get().map(|b| {
                let can_reassign = manageable.with_value(|m| m.contains(&b.team_id));
                let settings = can_edit.get().then(|| view! { <BacklogSettings backlog=b.clone()/> });
                view! { <OwnerBar backlog=b owners=owner_options.get_value() can_reassign/> {settings} }
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
                            {(page.unscored > 0).then(|| view! {
                                <p class="alert alert-info" data-testid="unscored">
                                    <span class="num">{page.unscored}</span> " " {t!(i18n, backlog.unscored)}
                                </p>
                            })}
                            {(editor && page.can_undo_reset).then(|| view! {
                                <p class="form-actions">
                                    <button type="button" class="btn btn-small" data-testid="undo-reset" on:click=move |_| {
                                        undo_reset.dispatch(UndoReset { backlog_id: selected.get_untracked() });
                                    }>{t!(i18n, backlog.undo_reset)}</button>
                                </p>
                            })}
                            <FormAlert error=undo_error/>
                            <RankedList
                                page
                                backlog=b
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
                    {move || current.get().map(|b| view! { <super::Overview backlog_id=b.id/> })}
                </div>
            </Show>
            <Show when=move || tab.get() == Tab::Poker>
                <div role="tabpanel" aria-labelledby="tab-poker">
                    {move || current.get().map(|b| view! { <super::PokerPanel backlog=b can_open=can_edit.get_untracked() people=people.get_value()/> })}
                </div>
            </Show>
        </section>
        <Show when=move || tab.get() == Tab::List>
            {move || current.get().map(|b| view! { <SubmitForm backlog_id=b.id/> }.into_any())}
            {move || current.get().map(|b| view! { <CsvSection backlog_id=b.id/> }.into_any())}
        </Show>
    }
}
