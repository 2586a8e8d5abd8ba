//! `/notifications`: the caller's notifications, newest first, 50 a page;
//! unread ones in bold with an "Unread" marker. "Mark read" and "Mark all
//! read" are plain POST forms, so they work before the page is interactive
//! (the server sends the browser back here); once it is, they are sent
//! without leaving the page.
use super::bell::BellRefresh;
use crate::calendar::minute_part;
use crate::i18n::*;
use crate::notify::api::{MarkAllNotificationsRead, MarkNotificationRead, list_notifications};
use crate::notify::model::NotificationRow;
use crate::ui::icons::Icon;
use crate::ui::page::{PageHeader, PageScaffold, Reload, page_resource};
use crate::ui::pager::{Pager, list_href, query_offset, query_value};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

#[component]
pub fn NotificationsPage() -> impl IntoView {
    let i18n = use_i18n();
    let reload = Reload::provide();
    let bell = BellRefresh::used();
    let offset = query_offset();
    let unread = query_value("unread");
    let page = page_resource(
        move || (offset.get(), unread.get() == "1", reload.get()),
        |(offset, unread_only, _)| list_notifications(offset, unread_only),
    );
    let mark_one = ServerAction::<MarkNotificationRead>::new();
    let mark_all = ServerAction::<MarkAllNotificationsRead>::new();
    // Once the server has answered, the page and the bell load again.
    Effect::new(move |_| {
        let one = matches!(mark_one.value().get(), Some(Ok(_)));
        let all = matches!(mark_all.value().get(), Some(Ok(_)));
        if one || all {
            reload.bump();
            bell.bump();
        }
    });
    let href_of = Callback::new(move |o: i64| {
        list_href(
            "/notifications",
            &[
                ("unread", unread.get_untracked()),
                ("offset", o.to_string()),
            ],
        )
    });
    view! {
        <PageHeader
            title=Signal::derive(move || t_string!(i18n, notify.title).to_string())
            subtitle=Signal::derive(move || t_string!(i18n, notify.subtitle).to_string())
        />
        <PageScaffold data=page let:page>
            {
                let unread_only = page.unread_only;
                let (offset, total, shown) = (page.offset, page.total, page.rows.len());
                let newest = page.newest.clone();
                let unread_count = page.unread;
                view! {
                    <div class="page-links notify-tools">
                        {if unread_only {
                            view! { <a class="btn btn-small" href="/notifications">{t!(i18n, notify.show_all)}</a> }.into_any()
                        } else {
                            view! { <a class="btn btn-small" href="/notifications?unread=1">{t!(i18n, notify.only_unread)}</a> }.into_any()
                        }}
                        <span class="muted small" data-testid="unread-total">
                            {move || t_string!(i18n, notify.unread_count).replace("{count}", &unread_count.to_string())}
                        </span>
                        {(unread_count > 0 && !newest.is_empty()).then(|| {
                            let up_to = newest.clone();
                            let plain_action = <MarkAllNotificationsRead as ServerFn>::url();
                            view! {
                                <form method="post" action=plain_action class="inline-form"
                                    on:submit=move |ev: leptos::ev::SubmitEvent| {
                                        ev.prevent_default();
                                        mark_all.dispatch(MarkAllNotificationsRead { up_to: up_to.clone() });
                                    }>
                                    <input type="hidden" name="up_to" value=newest.clone()/>
                                    <button type="submit" class="btn btn-small" data-testid="mark-all-read">
                                        <Icon name="check"/>
                                        <span>{t!(i18n, notify.mark_all)}</span>
                                    </button>
                                </form>
                            }
                        })}
                    </div>
                    {if page.rows.is_empty() {
                        view! {
                            <div class="empty-state" data-testid="notifications-empty">
                                <span class="empty-icon"><Icon name="bell"/></span>
                                {if unread_only {
                                    view! { <h2>{t!(i18n, notify.empty_unread)}</h2> }.into_any()
                                } else {
                                    view! {
                                        <h2>{t!(i18n, notify.empty)}</h2>
                                        <p class="muted">{t!(i18n, notify.empty_body)}</p>
                                    }.into_any()
                                }}
                            </div>
                        }.into_any()
                    } else {
                        view! {
                            <ul class="card-list notifications" data-testid="notifications">
                                {page.rows.into_iter().map(|n| view! { <Item n mark_one/> }).collect_view()}
                            </ul>
                            <Pager offset shown total href_of testid="notifications-pager"/>
                        }.into_any()
                    }}
                }
            }
        </PageScaffold>
    }
}

#[component]
fn Item(n: NotificationRow, mark_one: ServerAction<MarkNotificationRead>) -> impl IntoView {
    let i18n = use_i18n();
    let when = minute_part(&n.local_at);
    let id = n.id.clone();
    view! {
        <li class="card notification" class:unread=n.unread data-testid="notification">
            <div class="notification-text">
                {n.unread.then(|| view! { <span class="badge notify-unread">{t!(i18n, notify.unread)}</span> })}
                <a class="notification-title" href=n.link.clone()>
                    {if n.unread {
                        view! { <strong>{n.title.clone()}</strong> }.into_any()
                    } else {
                        view! { <span>{n.title.clone()}</span> }.into_any()
                    }}
                </a>
                <p class="small">{n.body.clone()}</p>
                <p class="muted small"><time datetime=n.created_at.clone()>{when}</time></p>
            </div>
            {n.unread.then(|| {
                let title = n.title.clone();
                let plain_action = <MarkNotificationRead as ServerFn>::url();
                view! {
                    <form method="post" action=plain_action class="inline-form"
                        on:submit=move |ev: leptos::ev::SubmitEvent| {
                            ev.prevent_default();
                            mark_one.dispatch(MarkNotificationRead { id: id.clone() });
                        }>
                        <input type="hidden" name="id" value=n.id.clone()/>
                        <button type="submit" class="btn btn-small" data-testid="mark-read"
                            aria-label=move || format!("{}: {}", t_string!(i18n, notify.mark_read), title)>
                            {t!(i18n, notify.mark_read)}
                        </button>
                    </form>
                }
            })}
        </li>
    }
}
