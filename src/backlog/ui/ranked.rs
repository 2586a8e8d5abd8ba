//! The ranked list: rows, drag and drop and keyboard moves.
use super::*;
use crate::backlog::api::{MoveRequirement, SetVote};
use crate::backlog::model::{Backlog, Framework, PAGE_SIZE, round2};
use crate::i18n::*;
use crate::ui::icons::Icon;
use crate::ui::page::use_reload;
use leptos::prelude::*;

#[allow(clippy::too_many_arguments)]
#[component]
pub(super) fn RankedList(
    page: crate::backlog::model::RequirementPage,
    backlog: Backlog,
    announce: RwSignal<String>,
    last_moved: RwSignal<Option<String>>,
    can_move: bool,
    can_edit: bool,
    filtered: Signal<bool>,
    offset: RwSignal<i64>,
) -> impl IntoView {
    let reload = use_reload();
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
            reload.bump();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = vote.value().get() {
            reload.bump();
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
    let points: Vec<MatrixPoint> = rows
        .iter()
        .filter_map(|r| match r.score_input {
            Some(crate::backlog::model::ScoreInput::ValueEffort { value, effort }) => {
                Some(MatrixPoint {
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
        {show_matrix.then(|| view! { <ValueEffortMatrix points/> }.into_any())}
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
                                move || (editing.get().as_deref() == Some(rid.as_str())).then(|| view! { <RequirementEditor row=row.clone() framework/> }.into_any())
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
