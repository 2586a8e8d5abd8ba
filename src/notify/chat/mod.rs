//! Team chat (issue 18, WP4): webhooks to Slack, Microsoft Teams (Workflows),
//! Feishu/Lark, DingTalk and WeCom.
//!
//! The pure building blocks, with no HTTP client: the providers and their
//! rules (`model`: pacing, answers, retries, which URLs may be called), the
//! signatures (`sign`), each provider's message JSON with the user's text
//! escaped for its markup (`payload`), and the exact request to send
//! (`request`). The sending worker, the destinations' storage and the page
//! come later and use these.
pub mod model;
#[cfg(feature = "ssr")]
pub mod payload;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod sign;
