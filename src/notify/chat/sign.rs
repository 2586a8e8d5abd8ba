//! Webhook signatures (HMAC-SHA256, base64), for destinations that have a
//! signing secret.
//!
//! - Feishu/Lark ("签名校验"): the string to sign is `"{timestamp}\n{secret}"`
//!   in seconds, used as the HMAC *key* over an empty message; the body
//!   carries `timestamp` and `sign`, and the timestamp must be within an
//!   hour of Feishu's clock (error 19021 otherwise) (open.larkoffice.com,
//!   自定义机器人使用指南, 签名校验).
//! - DingTalk ("加签"): HMAC with the secret as key over
//!   `"{timestamp}\n{secret}"` in milliseconds; the URL gets
//!   `&timestamp={ms}&sign={urlencoded base64}` (open.dingtalk.com,
//!   自定义机器人安全设置).
//!
//! The worked examples in `tests/unit/notify/chat/sign.rs` were computed
//! with Python's `hmac`, an independent implementation.
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn hmac_base64(key: &[u8], message: &[u8]) -> String {
    // HMAC takes a key of any length.
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(message);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Feishu/Lark's `sign` for `timestamp_secs`.
pub fn feishu_sign(secret: &str, timestamp_secs: i64) -> String {
    hmac_base64(format!("{timestamp_secs}\n{secret}").as_bytes(), b"")
}

/// DingTalk's signature for `timestamp_ms`, base64 (not yet URL-encoded).
pub fn dingtalk_sign(secret: &str, timestamp_ms: i64) -> String {
    hmac_base64(
        secret.as_bytes(),
        format!("{timestamp_ms}\n{secret}").as_bytes(),
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters (so
/// base64's `+`, `/` and `=` become `%2B`, `%2F`, `%3D`).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A DingTalk webhook URL with its `timestamp` and `sign` parameters: any
/// already there (a URL pasted with an old signature) are replaced, and the
/// fragment, if any, stays last.
pub fn dingtalk_signed_url(url: &str, secret: &str, timestamp_ms: i64) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let (path, query) = match base.split_once('?') {
        Some((p, q)) => (p, q),
        None => (base, ""),
    };
    let mut params: Vec<&str> = query
        .split('&')
        .filter(|p| {
            let name = p.split('=').next().unwrap_or_default();
            !p.is_empty() && name != "timestamp" && name != "sign"
        })
        .collect();
    let timestamp = format!("timestamp={timestamp_ms}");
    let sign = format!(
        "sign={}",
        percent_encode(&dingtalk_sign(secret, timestamp_ms))
    );
    params.push(&timestamp);
    params.push(&sign);
    let mut out = format!("{path}?{}", params.join("&"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}
