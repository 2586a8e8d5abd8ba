//! The bell in the shell and the notifications page.
mod bell;
mod inbox;

pub use bell::{Bell, BellRefresh};
pub use inbox::NotificationsPage;
