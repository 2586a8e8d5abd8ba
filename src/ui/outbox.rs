//! The outbox: edits made without a connection wait in the browser's storage
//! (gloo-storage), survive a reload and are sent when the connection returns.
//! Each carries its client-made id, so sending twice stores once. Signing out
//! clears it with the rest of the person's browser data.
//!
//! An edit the server refuses (not one it could not be reached for) stays,
//! marked with the server's reason, until the person fixes or discards it:
//! nothing typed is dropped without a word. Capabilities register a sender
//! per kind of edit ([`Sender`]); the outbox knows none of them.
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
    /// The server's reason when it refused the edit; a refused edit is not
    /// sent again until the person fixes it.
    #[serde(default)]
    pub refused: Option<AppError>,
}

/// What sends one kind of waiting edit (its payload) to the server.
pub type SendFuture = std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), AppError>>>>;

/// A capability's sender for its kind of edit, registered with
/// [`provide_outbox`] by the app shell.
#[derive(Clone, Copy)]
pub struct Sender {
    pub kind: &'static str,
    pub send: fn(serde_json::Value) -> SendFuture,
}

/// The outbox as the pages see it: how many edits wait, and a counter that
/// moves each time waiting edits were delivered (pages reload on it).
#[derive(Clone, Copy)]
pub struct Outbox {
    pub waiting: RwSignal<Vec<Queued>>,
    pub delivered: RwSignal<u32>,
    // Read by `flush`, which runs in the browser only.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    senders: StoredValue<&'static [Sender]>,
}

impl Outbox {
    /// The edits of a record still to be sent.
    pub fn pending_for(&self, record: &str) -> usize {
        self.waiting.with(|w| {
            w.iter()
                .filter(|q| q.record == record && q.refused.is_none())
                .count()
        })
    }

    /// The edits of a record the server refused.
    pub fn refused_for(&self, record: &str) -> Vec<Queued> {
        self.waiting.with(|w| {
            w.iter()
                .filter(|q| q.record == record && q.refused.is_some())
                .cloned()
                .collect()
        })
    }
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

/// Provides the outbox to the app with the capabilities' senders. In the
/// browser it loads what waits after hydration (so the server's and the
/// browser's first render agree), sends it, and sends again whenever the
/// connection returns.
pub fn provide_outbox(senders: &'static [Sender]) {
    let outbox = Outbox {
        waiting: RwSignal::new(Vec::new()),
        delivered: RwSignal::new(0),
        senders: StoredValue::new(senders),
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
        senders: StoredValue::new(&[]),
    })
}

/// Removes a waiting or refused edit (the person discards it, or takes its
/// values back into the form to fix them).
pub fn discard(id: &str) {
    let outbox = use_outbox();
    #[cfg(feature = "hydrate")]
    {
        let rest: Vec<Queued> = stored().into_iter().filter(|i| i.id != id).collect();
        store(&rest);
        outbox.waiting.set(rest);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (id, outbox);
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
/// not be reached for; an edit the server refuses stays, with its reason,
/// and is not sent again (it would be refused again).
#[cfg(feature = "hydrate")]
async fn flush(outbox: Outbox) {
    let mut delivered = false;
    let senders = outbox.senders.get_value();
    for item in stored().into_iter().filter(|i| i.refused.is_none()) {
        let result = match senders.iter().find(|s| s.kind == item.kind) {
            Some(sender) => (sender.send)(item.payload.clone()).await,
            None => Err(AppError::new(ErrorCode::InvalidChoice)),
        };
        match result {
            Err(e) if is_network(&e) => break,
            outcome => {
                let now = stored();
                let rest: Vec<Queued> = match outcome {
                    Ok(()) => {
                        delivered = true;
                        now.into_iter().filter(|i| i.id != item.id).collect()
                    }
                    Err(e) => now
                        .into_iter()
                        .map(|mut i| {
                            if i.id == item.id {
                                i.refused = Some(e.clone());
                            }
                            i
                        })
                        .collect(),
                };
                store(&rest);
                outbox.waiting.set(rest);
            }
        }
    }
    if delivered {
        outbox.delivered.update(|n| *n += 1);
    }
}
