//! The bell in the shell and the notifications page.
mod bell;
mod inbox;

pub use bell::{Bell, BellRefresh, POLL_SECONDS};
pub use inbox::NotificationsPage;
