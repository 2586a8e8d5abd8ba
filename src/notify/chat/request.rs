//! The exact HTTP request a delivery sends, built without a client: the
//! sender (later, reqwest with no redirects and no proxy) only copies it
//! onto the wire, and tests compare it whole.
use super::model::ChatProvider;
use super::payload::{ChatMessage, payload};
use super::sign;

/// The header that carries a delivery's id, the same on every retry, so a
/// receiver can drop a repeat.
pub const DELIVERY_HEADER: &str = "X-Keel-Delivery";

/// One POST to a webhook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingRequest {
    pub method: &'static str,
    /// The destination's URL, for DingTalk with its signature parameters.
    /// It holds the webhook's token: never log it.
    pub url: String,
    pub headers: Vec<(String, String)>,
    /// The JSON body.
    pub body: String,
}

/// The request that delivers `message` to a destination of `provider` at
/// `url` (already checked with `model::check_url`), signed with `secret`
/// when the destination has one (Feishu in the body, DingTalk in the URL;
/// the other providers have none), as of `now_ms` (Unix milliseconds).
/// `delivery_id` keeps only visible ASCII, so it cannot break the header.
pub fn build_request(
    provider: ChatProvider,
    url: &str,
    secret: Option<&str>,
    message: &ChatMessage,
    delivery_id: &str,
    now_ms: i64,
) -> OutgoingRequest {
    let secret = secret.filter(|s| !s.is_empty());
    let (url, feishu_signature) = match (provider, secret) {
        (ChatProvider::Dingtalk, Some(secret)) => {
            (sign::dingtalk_signed_url(url, secret, now_ms), None)
        }
        (ChatProvider::Feishu, Some(secret)) => {
            let secs = now_ms.div_euclid(1000);
            (
                url.to_string(),
                Some((secs, sign::feishu_sign(secret, secs))),
            )
        }
        _ => (url.to_string(), None),
    };
    let body = payload(provider, message, feishu_signature).to_string();
    let id: String = delivery_id
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(128)
        .collect();
    OutgoingRequest {
        method: "POST",
        url,
        headers: vec![
            (
                "Content-Type".to_string(),
                "application/json; charset=utf-8".to_string(),
            ),
            (DELIVERY_HEADER.to_string(), id),
        ],
        body,
    }
}
