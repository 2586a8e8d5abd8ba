//! The outbox: edits made without a connection wait in the browser's storage
//! (gloo-storage), survive a reload and are sent when the connection returns.
//! Each carries its client-made id, so sending twice stores once. Signing out
//! clears it with the rest of the person's browser data.
use crate::error::{AppError, ErrorCode};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "hydrate")]
const KEY: &str = "keel-outbox";

/// One waiting edit: what it is, its client-made id, the record it belongs
/// to (for "n waiting" on that record's page) and its arguments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queued {
    pub kind: String,
    pub id: String,
    pub record: String,
    pub payload: serde_json::Value,
}

/// The outbox as the pages see it: how many edits wait, and a counter that
/// moves each time waiting edits were delivered (pages reload on it).
#[derive(Clone, Copy)]
pub struct Outbox {
    pub waiting: RwSignal<Vec<Queued>>,
    pub delivered: RwSignal<u32>,
}

/// Whether an error means the server was not reached.
pub fn is_network(e: &AppError) -> bool {
    e.code == ErrorCode::Network
}

/// Whether the browser says it is offline (never on the server).
pub fn offline() -> bool {
    #[cfg(feature = "hydrate")]
    {
        !window().navigator().on_line()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        false
    }
}

#[cfg(feature = "hydrate")]
fn stored() -> Vec<Queued> {
    use gloo_storage::Storage;
    gloo_storage::LocalStorage::get(KEY).unwrap_or_default()
}

#[cfg(feature = "hydrate")]
fn store(items: &[Queued]) {
    use gloo_storage::Storage;
    if items.is_empty() {
        gloo_storage::LocalStorage::delete(KEY);
    } else {
        let _ = gloo_storage::LocalStorage::set(KEY, items);
    }
}

/// Provides the outbox to the app. In the browser it loads what waits after
/// hydration (so the server's and the browser's first render agree), sends it,
/// and sends again whenever the connection returns.
pub fn provide_outbox() {
    let outbox = Outbox {
        waiting: RwSignal::new(Vec::new()),
        delivered: RwSignal::new(0),
    };
    provide_context(outbox);
    #[cfg(feature = "hydrate")]
    {
        Effect::new(move |_| {
            outbox.waiting.set(stored());
            leptos::task::spawn_local(flush(outbox));
        });
        let _ = leptos::prelude::window_event_listener(leptos::ev::online, move |_| {
            leptos::task::spawn_local(flush(outbox));
        });
    }
}

pub fn use_outbox() -> Outbox {
    use_context::<Outbox>().unwrap_or(Outbox {
        waiting: RwSignal::new(Vec::new()),
        delivered: RwSignal::new(0),
    })
}

/// Puts an edit in the outbox (once per client id).
pub fn enqueue(item: Queued) {
    let outbox = use_outbox();
    #[cfg(feature = "hydrate")]
    {
        let mut items = stored();
        if !items.iter().any(|i| i.id == item.id) {
            items.push(item);
        }
        store(&items);
        outbox.waiting.set(items);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (item, outbox);
}

/// Sends what waits, oldest first. Stops at the first edit the server could
/// not be reached for; an edit the server refuses is dropped (it would be
/// refused again) and its record's page shows the server's state.
#[cfg(feature = "hydrate")]
async fn flush(outbox: Outbox) {
    let mut delivered = false;
    for item in stored() {
        let result = match item.kind.as_str() {
            "checkin" => crate::kpi::ui::send_queued_checkin(&item.payload).await,
            _ => Ok(()),
        };
        match result {
            Err(e) if is_network(&e) => break,
            _ => {
                let rest: Vec<Queued> = stored().into_iter().filter(|i| i.id != item.id).collect();
                store(&rest);
                outbox.waiting.set(rest);
                delivered = true;
            }
        }
    }
    if delivered {
        outbox.delivered.update(|n| *n += 1);
    }
}
