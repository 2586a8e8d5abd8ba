//! Server functions of the inbox: a person's own notifications only (another
//! person's notification answers as one that does not exist).
use super::model::NotificationsPage;
use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::{model::NotificationRow, store, text},
    crate::auth::Action,
    crate::error::ErrorCode,
    crate::server::{
        clock::OrgClock,
        request::{allow, require_actor, state},
    },
    crate::ui::pager::{PAGE_SIZE, clamp_offset},
};

/// How many notifications the caller has not read (the bell).
#[server(prefix = "/api", endpoint = "notifications_unread")]
pub async fn notifications_unread() -> Result<i64, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    store::unread_count(pool, &actor.user.id).await
}

/// A page (50) of the caller's notifications, newest first, worded in the
/// caller's language, with instants in the organisation's time zone.
#[server(prefix = "/api", endpoint = "list_notifications")]
pub async fn list_notifications(
    #[server(default)] offset: i64,
    #[server(default)] unread_only: bool,
) -> Result<NotificationsPage, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let me = &actor.user.id;
    let (_, total) = store::page(pool, me, 0, 0, unread_only).await?;
    let offset = clamp_offset(offset, total);
    let (rows, total) = store::page(pool, me, offset, PAGE_SIZE, unread_only).await?;
    let locale = crate::ui::language::locale_of(actor.user.language);
    let clock = OrgClock::load(pool).await?;
    let rows = rows
        .into_iter()
        .map(|n| {
            let (title, body) = text::render(n.kind, &n.params, locale);
            NotificationRow {
                id: n.id,
                kind: n.kind,
                title,
                body,
                link: if super::model::is_local_link(&n.link) {
                    n.link
                } else {
                    "/".into()
                },
                unread: !n.read,
                local_at: clock.local(&n.created_at),
                created_at: n.created_at,
            }
        })
        .collect();
    Ok(NotificationsPage {
        rows,
        total,
        offset,
        unread: store::unread_count(pool, me).await?,
        unread_only,
        newest: store::newest(pool, me).await?,
    })
}

/// Marks one of the caller's notifications read; a replay changes nothing.
#[server(prefix = "/api", endpoint = "mark_notification_read")]
pub async fn mark_notification_read(id: String) -> Result<(), AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let mut tx = crate::server::db::begin(pool).await?;
    let mine = store::mark_read(&mut tx, &actor.user.id, id.trim(), &store::now_micros()).await?;
    if !mine {
        return Err(AppError::new(ErrorCode::NotFound));
    }
    tx.commit().await?;
    Ok(())
}

/// Marks read every notification of the caller that arrived at or before
/// `up_to` (the newest the page showed); a later arrival stays unread.
#[server(prefix = "/api", endpoint = "mark_all_notifications_read")]
pub async fn mark_all_notifications_read(up_to: String) -> Result<u64, AppError> {
    let pool = &state()?.pool;
    let actor = require_actor().await?;
    allow(&actor, Action::Participate)?;
    let up_to = up_to.trim();
    if up_to.is_empty() || up_to.len() > 40 {
        return Err(AppError::field(ErrorCode::Required, "up_to"));
    }
    let mut tx = crate::server::db::begin(pool).await?;
    let n = store::mark_all(&mut tx, &actor.user.id, up_to, &store::now_micros()).await?;
    tx.commit().await?;
    Ok(n)
}
