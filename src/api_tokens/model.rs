//! Personal API tokens: their format, scope, expiry and rate limit (pure, no
//! I/O; compiled for the browser too).
use crate::auth::ApiScope;
use crate::error::{AppError, ErrorCode};
use serde::{Deserialize, Serialize};

/// Every token starts with this, so that secret scanners recognise one.
pub const TOKEN_PREFIX: &str = "keel_pat_";
/// Random bytes in a token (256 bits).
pub const TOKEN_BYTES: usize = 32;
/// Base64url characters of the random part (32 bytes, no padding).
pub const TOKEN_CHARS: usize = 43;
/// Characters of the random part kept to tell tokens apart in the list.
pub const SHOWN_CHARS: usize = 8;
/// The lifetimes a person may choose, in days (an expiry is required).
pub const EXPIRY_DAYS: [i64; 3] = [30, 90, 365];
/// The longest token name.
pub const NAME_MAX: usize = 80;
/// Calls one token may make at once, and its refill per second.
pub const RATE_CAPACITY: f64 = 60.0;
pub const RATE_PER_SECOND: f64 = 1.0;
/// `last_used_at` is written at most this often per token.
pub const TOUCH_EVERY_SECONDS: i64 = 60;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64url without padding (RFC 4648 §5).
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// The token for these random bytes: `keel_pat_` and 43 base64url characters.
pub fn format_token(bytes: &[u8; TOKEN_BYTES]) -> String {
    format!("{TOKEN_PREFIX}{}", base64url(bytes))
}

/// A token as sent, if it has a token's shape (checked before any lookup).
pub fn parse_token(raw: &str) -> Option<&str> {
    let raw = raw.trim();
    let rest = raw.strip_prefix(TOKEN_PREFIX)?;
    (rest.len() == TOKEN_CHARS && rest.bytes().all(|b| ALPHABET.contains(&b))).then_some(raw)
}

/// What the list shows of a token: the first characters of its random part.
pub fn shown_part(token: &str) -> String {
    token
        .strip_prefix(TOKEN_PREFIX)
        .unwrap_or(token)
        .chars()
        .take(SHOWN_CHARS)
        .collect()
}

/// The token of an `Authorization` header's value: `Bearer <token>` (the
/// scheme in any case). Anything else is no token.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// A form's scope.
pub fn parse_scope(raw: &str) -> Result<ApiScope, AppError> {
    match raw.trim() {
        "" => Err(AppError::field(ErrorCode::Required, "scope")),
        s => ApiScope::parse(s).ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "scope")),
    }
}

/// A form's lifetime in days: one of `EXPIRY_DAYS`.
pub fn parse_expiry(raw: &str) -> Result<i64, AppError> {
    match raw.trim() {
        "" => Err(AppError::field(ErrorCode::Required, "expires_days")),
        s => s
            .parse::<i64>()
            .ok()
            .filter(|d| EXPIRY_DAYS.contains(d))
            .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "expires_days")),
    }
}

/// A token's name: required, one line, at most `NAME_MAX` characters.
pub fn parse_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "name"));
    }
    if name.chars().count() > NAME_MAX || name.chars().any(char::is_control) {
        return Err(AppError::field(ErrorCode::TooLong, "name"));
    }
    Ok(name.to_string())
}

/// When a token made at `now` (unix seconds) for `days` days expires.
pub fn expires_at(now: i64, days: i64) -> i64 {
    now + days * 86_400
}

/// Whether a token still works at `now`: not revoked and not yet expired.
pub fn is_usable(expires_at: i64, revoked: bool, now: i64) -> bool {
    !revoked && now < expires_at
}

/// Whether `last_used_at` is worth writing again at `now`.
pub fn should_touch(last_used: Option<i64>, now: i64) -> bool {
    last_used.is_none_or(|t| now - t >= TOUCH_EVERY_SECONDS)
}

/// A token's state in the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenState {
    Active,
    Expired,
    Revoked,
}

/// One token as its owner's list shows it; instants in the organisation's
/// offset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenRow {
    pub id: String,
    pub name: String,
    /// The first characters of the random part (`keel_pat_<shown>…`).
    pub shown: String,
    pub scope: ApiScope,
    pub expires_at: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub state: TokenState,
}

/// A token just made: the only time its secret leaves the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewToken {
    pub id: String,
    pub name: String,
    pub token: String,
}

/// The profile page's tokens section: one's tokens, newest first, and a
/// token made just before (once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokensView {
    pub tokens: Vec<TokenRow>,
    pub fresh: Option<NewToken>,
}
