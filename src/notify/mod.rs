//! Notifications (issue 18): events written in the same transaction as the
//! change that causes them, one in-app notification per person they concern,
//! the bell in the shell and the notifications page.
//!
//! A new kind of event is added in one place: a variant of
//! [`model::EventKind`] with its row in [`model::spec`], an arm in
//! `sources::audience` and its `notify.kind.<kind>.{title,body}` wording in
//! both locale files.
pub mod api;
pub mod chat;
pub mod model;
pub mod text;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod sources;
#[cfg(feature = "ssr")]
pub mod store;
