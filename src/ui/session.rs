//! The signed-in person, loaded once per page by the layout and read by any
//! page or component below it (instead of each asking the server again).
use crate::auth::SessionUser;
use crate::auth::api::current_user;
use crate::error::AppError;
use leptos::prelude::*;

/// The signed-in person (None when signed out), as the layout loaded it.
#[derive(Clone, Copy)]
pub struct Me(pub Resource<Result<Option<SessionUser>, AppError>>);

/// Loads the signed-in person once and offers it to everything below. A
/// blocking resource: the page's head waits for it, so the navigation and
/// role-dependent parts render on the server as the browser will hydrate them.
pub fn provide_me() -> Me {
    let me = Me(Resource::new_blocking(|| (), |_| current_user()));
    provide_context(me);
    me
}

/// The signed-in person from the layout; outside it (sign-in and setup
/// pages), a resource of its own.
pub fn use_me() -> Me {
    use_context::<Me>().unwrap_or_else(|| Me(Resource::new(|| (), |_| current_user())))
}
