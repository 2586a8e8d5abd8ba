//! The bell: a link to the notifications page with the unread count. The
//! count is fetched in the browser only (after hydration, so a page the
//! server renders pays no query), again on every change of page, when the
//! notifications page marks something read, and every 20 s while the tab is
//! visible.
use crate::i18n::*;
use crate::notify::api::notifications_unread;
use crate::ui::icons::Icon;
use leptos::prelude::*;

/// Asks the bell to count again (the notifications page bumps it after
/// marking something read). Provided by the shell.
#[derive(Clone, Copy)]
pub struct BellRefresh(RwSignal<u32>);

impl BellRefresh {
    pub fn provide() -> BellRefresh {
        let r = BellRefresh(RwSignal::new(0));
        provide_context(r);
        r
    }

    pub fn bump(self) {
        self.0.update(|n| *n += 1);
    }

    /// The shell's, or one nothing reads.
    pub fn used() -> BellRefresh {
        use_context::<BellRefresh>().unwrap_or_else(|| BellRefresh(RwSignal::new(0)))
    }
}

/// How often the count is fetched again while the tab is visible.
pub const POLL_SECONDS: u64 = 20;

#[component]
pub fn Bell() -> impl IntoView {
    let i18n = use_i18n();
    let count = RwSignal::new(None::<i64>);
    // Pages for people not signed in (sign-in, invitation) share the shell:
    // once the server says nobody is signed in, the bell goes away.
    let signed_out = RwSignal::new(false);
    let refresh = BellRefresh::used();
    let location = leptos_router::hooks::use_location();
    let fetch = move || {
        leptos::task::spawn_local(async move {
            match notifications_unread().await {
                Ok(n) => {
                    signed_out.set(false);
                    count.set(Some(n));
                }
                Err(e) => {
                    signed_out.set(e.code == crate::error::ErrorCode::NotSignedIn);
                    count.set(None);
                }
            }
        });
    };
    // Effects run in the browser only.
    Effect::new(move |_| {
        location.pathname.track();
        refresh.0.track();
        fetch();
    });
    #[cfg(feature = "hydrate")]
    {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                if !document().hidden() && !signed_out.get_untracked() {
                    fetch();
                }
            },
            std::time::Duration::from_secs(POLL_SECONDS),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    let label = move || match count.get() {
        Some(n) => t_string!(i18n, notify.bell).replace("{count}", &n.to_string()),
        None => t_string!(i18n, notify.title).to_string(),
    };
    view! {
        <a href="/notifications" class="btn btn-ghost bell" aria-label=label title=label data-testid="bell" hidden=move || signed_out.get()>
            <Icon name="bell"/>
            {move || {
                count
                    .get()
                    .filter(|n| *n > 0)
                    .map(|n| {
                        view! {
                            <span class="bell-count" aria-hidden="true" data-testid="bell-count">
                                {if n > 99 { "99+".to_string() } else { n.to_string() }}
                            </span>
                        }
                    })
            }}
        </a>
    }
}
