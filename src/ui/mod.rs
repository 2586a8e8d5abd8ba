//! Components shared by capabilities: the page scaffold, form fields, messages,
//! icons, PWA glue.
pub mod charts;
pub mod csv_import;
pub mod form;
pub mod icons;
pub mod language;
pub mod nav;
pub mod outbox;
pub mod page;
pub mod pager;
pub mod pwa;
pub mod session;

/// Percent-encodes a query-string value.
pub fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A fresh client-made id (a random UUID) for a create that may be sent twice.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Asks once before a destructive action (the browser's confirmation
/// dialog). Such buttons act only once the page is interactive; on the
/// server, where nothing is clicked, it answers no.
pub fn confirm(question: &str) -> bool {
    #[cfg(feature = "hydrate")]
    {
        leptos::prelude::window()
            .confirm_with_message(question)
            .unwrap_or(false)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = question;
        false
    }
}

/// Whether the page is shown in Chinese.
pub fn is_zh(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>) -> bool {
    i18n.get_locale() == crate::i18n::Locale::zh
}
