//! Paged lists: the page size, page arithmetic, the address of a page (its
//! filters in the query), a search form that works before the page is
//! interactive, and the pager ("Showing 51–100 of 230", previous / next as
//! links, so paging works without JavaScript and by keyboard).
use crate::i18n::*;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Rows a paged list shows at a time.
pub const PAGE_SIZE: i64 = 50;

/// One page of a list: its rows, how many match in all, and where it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Paged<T> {
    pub rows: Vec<T>,
    /// How many rows match the search and filters (the viewer may see).
    pub total: i64,
    /// The first row's index (a multiple of the page size).
    pub offset: i64,
}

/// An offset as asked for, made a page start: never negative, a multiple
/// of `PAGE_SIZE`.
pub fn page_start(offset: i64) -> i64 {
    let o = offset.max(0);
    o - o % PAGE_SIZE
}

/// Where the last page of `total` rows starts (0 for an empty list).
pub fn last_page_start(total: i64) -> i64 {
    if total <= 0 {
        0
    } else {
        (total - 1) / PAGE_SIZE * PAGE_SIZE
    }
}

/// The page to show for an asked offset among `total` rows: a page start,
/// and the last page when the asked one is past the end (the list shrank
/// since it was shown).
pub fn clamp_offset(offset: i64, total: i64) -> i64 {
    page_start(offset).min(last_page_start(total))
}

/// The rows a page shows, 1-based and inclusive ("51–100"): `None` when it
/// shows none.
pub fn shown_range(offset: i64, rows: usize, total: i64) -> Option<(i64, i64)> {
    if rows == 0 || total <= 0 {
        return None;
    }
    Some((offset + 1, (offset + rows as i64).min(total)))
}

/// A page of an in-memory list (rows already filtered by what the viewer
/// may see), for lists whose visibility rule is not SQL.
pub fn page_of<T>(rows: Vec<T>, offset: i64) -> Paged<T> {
    let total = rows.len() as i64;
    let offset = clamp_offset(offset, total);
    let rows = rows
        .into_iter()
        .skip(offset as usize)
        .take(PAGE_SIZE as usize)
        .collect();
    Paged {
        rows,
        total,
        offset,
    }
}

/// How many entries a "show older" list shows when `asked` were asked for:
/// at least a page, at most 100 pages, in whole pages.
pub fn history_shown(asked: i64) -> i64 {
    let pages = (asked.max(1) + PAGE_SIZE - 1) / PAGE_SIZE;
    pages.clamp(1, 100) * PAGE_SIZE
}

/// `path?k=v&…` with the non-empty values, in the order given (values
/// percent-encoded); a zero offset is left out.
pub fn list_href(path: &str, params: &[(&str, String)]) -> String {
    let parts: Vec<String> = params
        .iter()
        .filter(|(k, v)| !v.is_empty() && !(*k == "offset" && v == "0"))
        .map(|(k, v)| format!("{k}={}", super::url_encode(v)))
        .collect();
    if parts.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", parts.join("&"))
    }
}

/// The current query's value of `key` ("" when absent), read reactively.
pub fn query_value(key: &'static str) -> Signal<String> {
    let query = leptos_router::hooks::use_query_map();
    Signal::derive(move || query.with(|q| q.get(key).unwrap_or_default()))
}

/// The offset in the query (`offset=`), made a page start.
pub fn query_offset() -> Signal<i64> {
    let v = query_value("offset");
    Signal::derive(move || page_start(v.with(|v| v.parse().unwrap_or(0))))
}

/// A search-and-filter form over a list: a plain GET form to the list's own
/// address (so it works before the page is interactive; once hydrated the
/// router navigates without reloading). A new search starts at page 1, as
/// the form sends no offset. `children` are the filters (named selects).
#[component]
pub fn ListSearch(
    /// The list's path, e.g. `/surveys`.
    path: &'static str,
    /// The search box's label (also its placeholder).
    label: Signal<String>,
    /// For tests.
    testid: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    let i18n = use_i18n();
    let q = query_value("q");
    view! {
        <leptos_router::components::Form method="get" action=path attr:class="filters" attr:role="search">
            <label class="search">
                <span class="sr-only">{move || label.get()}</span>
                <input type="search" name="q" prop:value=move || q.get() placeholder=move || label.get() data-testid=testid/>
            </label>
            {children.map(|c| c())}
            <button type="submit" class="btn">{t!(i18n, common.pager.search)}</button>
        </leptos_router::components::Form>
    }
}

/// A `<select name=…>` of a list's filter, showing the query's value.
#[component]
pub fn FilterSelect(
    name: &'static str,
    label: Signal<String>,
    /// (value, label); the first is usually ("", "All …").
    options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let current = query_value(name);
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone() class="sr-only">{move || label.get()}</label>
            <select id=id name=name aria-label=move || label.get()>
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = current.with(|c| *c == v);
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// "Showing 51–100 of 230" and links to the previous and next pages. The
/// links keep the list's filters (`href_of(offset)` builds them) and are
/// ordinary links: keyboard-usable and working before hydration.
#[component]
pub fn Pager(
    offset: i64,
    /// Rows on this page.
    shown: usize,
    total: i64,
    href_of: Callback<i64, String>,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let range = shown_range(offset, shown, total);
    let prev = (offset > 0).then(|| href_of.run((offset - PAGE_SIZE).max(0)));
    let next = (offset + PAGE_SIZE < total).then(|| href_of.run(offset + PAGE_SIZE));
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, common.pager.pages) data-testid=testid>
            <span class="muted small" aria-live="polite" data-testid="page-info">
                {move || match range {
                    Some((a, b)) => format!(
                        "{} {a}–{b} {} {total}",
                        t_string!(i18n, common.pager.showing),
                        t_string!(i18n, common.pager.of)
                    ),
                    None => t_string!(i18n, common.pager.nothing).to_string(),
                }}
            </span>
            {prev.map(|h| view! { <a class="btn btn-small" href=h rel="prev">"← " {t!(i18n, common.pager.previous)}</a> })}
            {next.map(|h| view! { <a class="btn btn-small" href=h rel="next" data-testid="next-page">{t!(i18n, common.pager.next)} " →"</a> })}
        </nav>
    }
}
