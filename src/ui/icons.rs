//! Inline SVG icons (no icon font to download). Decorative: hidden from
//! assistive technology, so every icon sits beside a text label.
use leptos::prelude::*;

fn path_of(name: &str) -> &'static str {
    match name {
        "home" => "M3 10.5 12 3l9 7.5V20a1 1 0 0 1-1 1h-5v-6h-6v6H4a1 1 0 0 1-1-1z",
        "target" => {
            "M12 2a10 10 0 1 0 10 10A10 10 0 0 0 12 2zm0 4a6 6 0 1 1-6 6 6 6 0 0 1 6-6zm0 4a2 2 0 1 0 2 2 2 2 0 0 0-2-2z"
        }
        "list" => "M4 6h16M4 12h16M4 18h10",
        "growth" => "M3 17l6-6 4 4 8-8M15 7h6v6",
        "survey" => "M5 4h14v16H5zM8 8h8M8 12h8M8 16h5",
        "people" => {
            "M9 11a4 4 0 1 0-4-4 4 4 0 0 0 4 4zm7 0a3 3 0 1 0-3-3M2 21v-1a6 6 0 0 1 12 0v1M16 14a5 5 0 0 1 6 5v2"
        }
        "user" => "M12 12a5 5 0 1 0-5-5 5 5 0 0 0 5 5zm-8 9a8 8 0 0 1 16 0",
        "logout" => "M15 4h4a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1h-4M10 17l5-5-5-5M15 12H3",
        "globe" => {
            "M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20zM2 12h20M12 2c3 3 3 17 0 20M12 2c-3 3-3 17 0 20"
        }
        "menu" => "M4 6h16M4 12h16M4 18h16",
        "alert" => "M12 3 2 21h20zM12 10v5M12 18v.5",
        "check" => "M4 12l5 5L20 6",
        "lock" => "M6 11h12v10H6zM8 11V7a4 4 0 0 1 8 0v4",
        "tool" => "M14 6a4 4 0 0 0 5 5l-9 9-3-3 9-9a4 4 0 0 0-2-2z",
        "plus" => "M12 5v14M5 12h14",
        "pin" => "M9 3h6l-1 6 4 4H6l4-4zM12 13v8",
        "clock" => "M12 3a9 9 0 1 0 9 9 9 9 0 0 0-9-9zM12 7v5l3 3",
        "edit" => "M4 20h4L19 9l-4-4L4 16zM13 7l4 4",
        "heart" => "M12 20s-7-4.5-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 10c0 5.5-7 10-7 10z",
        "message" => "M4 5h16v11H9l-5 4z",
        "download" => "M12 4v11M7 10l5 5 5-5M5 20h14",
        "bell" => "M6 16V11a6 6 0 0 1 12 0v5l2 2H4zM10 20a2 2 0 0 0 4 0",
        _ => "M12 12h.01",
    }
}

#[component]
pub fn Icon(name: &'static str) -> impl IntoView {
    view! {
        <svg
            class="icon"
            viewBox="0 0 24 24"
            width="18"
            height="18"
            aria-hidden="true"
            focusable="false"
            fill="none"
            stroke="currentColor"
            stroke-width="1.8"
            stroke-linecap="round"
            stroke-linejoin="round"
        >
            <path d=path_of(name)></path>
        </svg>
    }
}
