//! "My requirements": what happened to what a person submitted.
use super::*;
use crate::backlog::api::my_requirements;
use crate::i18n::*;
use crate::ui::icons::Icon;
use crate::ui::page::PageHeader;
use crate::ui::page::{PageScaffold, page_resource};
use crate::ui::pager::{ListSearch, Pager, list_href, query_offset, query_value};
use leptos::prelude::*;

/// `/backlog/mine`: what happened to the requirements I submitted.
#[component]
pub fn MyRequirementsPage() -> impl IntoView {
    let i18n = use_i18n();
    let q = query_value("q");
    let offset = query_offset();
    let mine = page_resource(
        move || (q.get(), offset.get()),
        |(q, offset)| my_requirements(q, offset),
    );
    let href_of = Callback::new(move |o: i64| {
        list_href(
            "/backlog/mine",
            &[("q", q.get_untracked()), ("offset", o.to_string())],
        )
    });
    view! {
        <PageHeader
            title=Signal::derive(move || t_string!(i18n, backlog.mine.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, backlog.mine.subtitle).to_string())
        />
        <p class="page-links"><a href="/backlog" class="btn btn-small">"← " {t!(i18n, backlog.title)}</a></p>
        <PageScaffold data=mine let:page>
            {(page.total > 0 || !q.get_untracked().is_empty()).then(|| view! {
                <ListSearch path="/backlog/mine" testid="mine-search"
                    label=Signal::derive(move || t_string!(i18n, backlog.mine.search).to_string())/>
            })}
            {if page.rows.is_empty() && !q.get_untracked().is_empty() {
                view! { <p class="empty-inline muted" data-testid="mine-none-match">{t!(i18n, backlog.mine.none_match)}</p> }.into_any()
            } else if page.rows.is_empty() {
                view! {
                        <div class="empty-state">
                            <span class="empty-icon"><Icon name="list"/></span>
                            <h2>{t!(i18n, backlog.mine.none)}</h2>
                            <p class="muted">{t!(i18n, backlog.mine.none_body)}</p>
                        </div>
                    }.into_any()
            } else {
                let (offset, total, shown) = (page.offset, page.total, page.rows.len());
                view! {
                        <ul class="card-list" data-testid="my-requirements">
                            {page.rows.into_iter().map(|m| {
                                let status = m.status;
                                view! {
                                    <li class="card">
                                        <a class="req-title" href=format!("/backlog/requirements/{}", m.id)>{m.title.clone()}</a>
                                        <span class="req-meta">
                                            <span class=format!("badge status-{}", status.as_str())>{move || status_label(i18n.get_locale(), status)}</span>
                                            <span class="muted">{m.backlog_name.clone()}</span>
                                            <span class="muted">{t!(i18n, backlog.in_state_since)} " " {day(&m.status_changed_at)}</span>
                                            {m.position.map(|p| view! { <span class="muted">{t!(i18n, backlog.position)} " " {p} " / " {m.total}</span> })}
                                            <span class="muted">{t!(i18n, backlog.votes)} " " {m.votes}</span>
                                        </span>
                                        {m.reject_reason.clone().map(|r| view! { <p class="small">{t!(i18n, backlog.reason)} ": " {r}</p> })}
                                        {m.duplicate_of.clone().map(|(kid, kt)| view! {
                                            <p class="small">{t!(i18n, backlog.duplicate_of)} ": " <a href=format!("/backlog/requirements/{kid}")>{kt}</a></p>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <Pager offset shown total href_of testid="mine-pager"/>
                    }.into_any()
            }}
        </PageScaffold>
    }
}
