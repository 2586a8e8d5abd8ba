//! The page scaffold: a page's header, its main record, and the loading,
//! refused and not-found states, with the HTTP status the record decides.
//!
//! Pages stream out of order, so the response head normally leaves before a
//! page's data has loaded, and a status set by a failing server function comes
//! too late. A page's main record is therefore a *blocking* resource
//! ([`page_resource`]): the server holds the head until it has resolved, and
//! the page answers 200, 403 or 404 by that record alone. Whatever loads under
//! the record ([`PageScaffold`]'s children) cannot change the status.
use crate::error::{AppError, AppResult, ErrorCode};
use crate::i18n::*;
use crate::ui::form::error_box;
use crate::ui::icons::Icon;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::sync::Arc;

/// The text of the document title. On the server it goes into the HTML
/// unescaped by leptos_meta, and it carries user text (a requirement's or a
/// round's title), so it is escaped here; in the browser it is set as text.
pub fn document_title(text: String) -> String {
    let title = if text.is_empty() {
        "Keel".to_string()
    } else {
        format!("{text} · Keel")
    };
    #[cfg(feature = "ssr")]
    let title = escape_html(&title);
    title
}

/// Escapes text for HTML element content and quoted attribute values.
#[cfg(feature = "ssr")]
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A page header: title, optional subtitle, actions on the right.
#[component]
pub fn PageHeader(
    #[prop(into)] title: Signal<String>,
    #[prop(optional, into)] subtitle: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        // The document title outlives a page that renders anew (its text is
        // read after the page's signals are gone), so it reads with try_get.
        <Title text=move || title.try_get().unwrap_or_default()/>
        <div class="page-header">
            <div>
                <h1>{move || title.get()}</h1>
                {subtitle.map(|s| view! { <p class="subtitle">{move || s.get()}</p> })}
            </div>
        </div>
    }
}

/// A page's main record: a blocking resource, so that on the server the
/// response head waits for it and carries its status: 200 when it loads, the
/// error's status (403, 404, …) when it does not, whatever else failed before.
pub fn page_resource<S, T, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> Resource<AppResult<T>>
where
    S: PartialEq + Clone + Send + Sync + 'static,
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = AppResult<T>> + Send + 'static,
{
    #[cfg(feature = "ssr")]
    let response = use_context::<leptos_axum::ResponseOptions>();
    Resource::new_blocking(source, move |s| {
        let load = fetcher(s);
        #[cfg(feature = "ssr")]
        let response = response.clone();
        async move {
            let record = load.await;
            #[cfg(feature = "ssr")]
            if let Some(res) = response {
                res.set_status(status_of(&record));
            }
            record
        }
    })
}

#[cfg(feature = "ssr")]
fn status_of<T>(record: &AppResult<T>) -> axum::http::StatusCode {
    match record {
        Ok(_) => axum::http::StatusCode::OK,
        Err(e) => axum::http::StatusCode::from_u16(e.code.status())
            .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR),
    }
}

/// One page's body: a skeleton while its main record loads, the record's view,
/// or the error in its place (forbidden, not found, …) under `refused_title`
/// when given. One Transition per page: everything the page loads beneath the
/// record renders inside it.
#[component]
pub fn PageScaffold<T, V, F>(
    /// The page's main record, from [`page_resource`].
    data: Resource<AppResult<T>>,
    /// The page for its record.
    children: F,
    /// A header shown above the error, for pages whose header comes with the record.
    #[prop(optional, into)]
    refused_title: Option<Signal<String>>,
    /// A test id around the error.
    #[prop(optional)]
    refused_testid: Option<&'static str>,
    /// Shows the whole-page [`Forbidden`] (with its way home) instead of an
    /// alert when the record is refused to the caller.
    #[prop(optional)]
    forbidden_page: bool,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    F: Fn(T) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let render = Arc::new(children);
    view! {
        <Transition fallback=|| view! { <div class="card skeleton tall" aria-busy="true"></div> }>
            {move || {
                let render = Arc::clone(&render);
                Suspend::new(async move {
                    match data.await {
                        Ok(record) => shielded(move || render(record).into_any()),
                        Err(e) if forbidden_page && matches!(e.code, ErrorCode::Forbidden | ErrorCode::NotSignedIn) => {
                            view! { <Forbidden/> }.into_any()
                        }
                        Err(e) => refused(e, refused_title, refused_testid),
                    }
                })
            }}
        </Transition>
    }
}

fn refused(e: AppError, title: Option<Signal<String>>, testid: Option<&'static str>) -> AnyView {
    view! {
        {title.map(|title| view! { <PageHeader title/> })}
        {match testid {
            Some(id) => view! { <div data-testid=id>{error_box(e)}</div> }.into_any(),
            None => error_box(e),
        }}
    }
    .into_any()
}

/// Renders the record's view where a server function failing beneath it (a
/// secondary widget's load) cannot set the page's status: on the server it
/// gets response options of its own, which are never sent.
#[cfg(feature = "ssr")]
fn shielded(render: impl FnOnce() -> AnyView) -> AnyView {
    let owner = Owner::new();
    let view = owner.with(|| {
        provide_context(leptos_axum::ResponseOptions::default());
        render()
    });
    leptos::tachys::reactive_graph::OwnedView::new_with_owner(view, owner).into_any()
}

#[cfg(not(feature = "ssr"))]
fn shielded(render: impl FnOnce() -> AnyView) -> AnyView {
    render()
}

/// The page for a signed-in person who may not see what they asked for (403).
#[component]
pub fn Forbidden() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::FORBIDDEN);
    }
    view! {
        <div class="empty-state" data-testid="forbidden">
            <span class="empty-icon"><Icon name="lock"/></span>
            <h1>{t!(i18n, forbidden.title)}</h1>
            <p>{t!(i18n, forbidden.body)}</p>
            <A href="/" attr:class="btn btn-primary">{t!(i18n, not_found.home)}</A>
        </div>
    }
}

/// The page for an address that leads nowhere (404).
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=move || t_string!(i18n, not_found.title).to_string()/>
        <main class="center-page" id="main">
            <div class="empty-state">
                <h1>{t!(i18n, not_found.title)}</h1>
                <p>{t!(i18n, not_found.body)}</p>
                <a href="/" class="btn btn-primary">{t!(i18n, not_found.home)}</a>
            </div>
        </main>
    }
}

/// A page's "load again" counter. The page provides it and its resources
/// track it; any form beneath bumps it after a successful write, without the
/// page handing it down through every component between.
#[derive(Clone, Copy)]
pub struct Reload(RwSignal<u32>);

impl Reload {
    /// A fresh counter for this page and everything beneath it.
    pub fn provide() -> Reload {
        let reload = Reload(RwSignal::new(0));
        provide_context(reload);
        reload
    }

    /// The current count (tracked: a resource reading it loads again).
    pub fn get(self) -> u32 {
        self.0.get()
    }

    /// Asks every resource tracking the counter to load again.
    pub fn bump(self) {
        self.0.update(|n| *n += 1);
    }
}

/// The page's reload counter; outside a page that provides one, a counter
/// nothing tracks.
pub fn use_reload() -> Reload {
    use_context::<Reload>().unwrap_or_else(|| Reload(RwSignal::new(0)))
}
