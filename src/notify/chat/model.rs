//! The chat providers and their rules: how fast a destination may be sent
//! to, what an answer means (sent, try again, give up), how long to wait
//! before the next try, and which webhook URLs may be called at all.
//!
//! Pure (std and serde_json only), so the destination form can check a URL
//! in the browser with the same rule the server applies at save and at send.
use serde::{Deserialize, Serialize};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

text_enum!(
    /// Where a team's chat destination posts. `Teams` is Microsoft Teams
    /// through a Workflows webhook (Adaptive Cards; the old Office 365
    /// connectors are retired); `Feishu` is Feishu, or Lark outside China
    /// (the same webhook API); `Wecom` is WeCom's (企业微信) group robots.
    ChatProvider {
        Slack => "slack",
        Teams => "teams",
        Feishu => "feishu",
        Dingtalk => "dingtalk",
        Wecom => "wecom",
    }
);

/// The shortest time between two posts to one destination, so a burst of
/// events is paced instead of answered with 429s.
///
/// - Slack: about one message a second per incoming webhook.
/// - Teams (Workflows) and Feishu: one a second too; Feishu's custom bots
///   allow 100 a minute and 5 a second per bot ("自定义机器人的频率控制 …
///   为单租户单机器人 100 次/分钟，5 次/秒", open.larkoffice.com, 自定义机器人使用指南).
/// - DingTalk: 20 a minute per robot, over that it is throttled for 10
///   minutes ("每个机器人每分钟最多发送20条消息到群里，如果超过20条，会限流10分钟",
///   open.dingtalk.com, 自定义机器人接入).
/// - WeCom: 20 a minute per robot ("每个机器人发送的消息不能超过20条/分钟",
///   developer.work.weixin.qq.com/document/path/91770).
pub fn min_interval(provider: ChatProvider) -> Duration {
    match provider {
        ChatProvider::Slack | ChatProvider::Teams | ChatProvider::Feishu => Duration::from_secs(1),
        ChatProvider::Dingtalk | ChatProvider::Wecom => Duration::from_secs(3),
    }
}

/// What to do with a delivery after the receiver answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Try again later; `after` is the receiver's own wait when it gave one
    /// (`Retry-After`, a documented throttle), else the backoff decides.
    Retry {
        after: Option<Duration>,
    },
    /// Trying again cannot help (a wrong URL, a refused signature, a
    /// malformed message); the reason is shown to admins with the dead letter.
    Permanent(String),
}

/// WeCom's "api freq out of limit" (接口调用超过限制): errcode 45009, e.g.
/// `{"errcode":45009,"errmsg":"api freq out of limit, …"}` (WeCom developer
/// community, developers.weixin.qq.com/community/enterprisewechat).
pub const WECOM_RATE_LIMITED: i64 = 45009;
/// DingTalk's robot throttle: `{"errcode":130101,"errmsg":"send too fast,
/// exceed 20 times per minute"}`; the robot is then throttled for 10 minutes
/// (open.dingtalk.com, 自定义机器人接入, 调用频率限制).
pub const DINGTALK_RATE_LIMITED: i64 = 130101;
/// How long DingTalk throttles a robot that sent too fast.
pub const DINGTALK_THROTTLE: Duration = Duration::from_secs(600);
/// Feishu's custom-bot throttle, "11232 限流错误" (open.larkoffice.com,
/// 自定义机器人使用指南, 注意事项).
pub const FEISHU_RATE_LIMITED: i64 = 11232;
/// Feishu's platform-wide "request trigger frequency limit", answered with
/// HTTP 429 (or 400 on older APIs) and code 99991400 (open.feishu.cn,
/// server-docs/api-call-guide/frequency-control).
pub const FEISHU_FREQUENCY_LIMIT: i64 = 99991400;

/// Whether a provider's in-body error code means "too fast, try later".
pub fn is_rate_limited(provider: ChatProvider, code: i64) -> bool {
    match provider {
        ChatProvider::Wecom => code == WECOM_RATE_LIMITED,
        ChatProvider::Dingtalk => code == DINGTALK_RATE_LIMITED,
        ChatProvider::Feishu => code == FEISHU_RATE_LIMITED || code == FEISHU_FREQUENCY_LIMIT,
        ChatProvider::Slack | ChatProvider::Teams => false,
    }
}

/// The longest reason kept from a receiver's answer.
pub const MAX_REASON_CHARS: usize = 200;

/// Reads a receiver's answer.
///
/// - 2xx is sent, except that WeCom and DingTalk answer HTTP 200 with an
///   `errcode` and Feishu with a `code`, and a non-zero one is a failure:
///   retryable for their rate-limit codes ([`is_rate_limited`]), permanent
///   otherwise. A 2xx body without that field (or not JSON) counts as sent.
/// - 429, 408 and 5xx are retryable, with the receiver's `Retry-After`
///   ([`parse_retry_after`]) as `retry_after`; Feishu's frequency-limit code
///   is retryable whatever the status.
/// - Every other status is permanent (other 4xx; 3xx too: redirects are not
///   followed, as a redirect could lead to an address the URL check refuses).
///
/// A network error (no answer at all) is `Outcome::Retry { after: None }`;
/// the caller says so without calling this.
pub fn classify(
    provider: ChatProvider,
    status: u16,
    body: &str,
    retry_after: Option<Duration>,
) -> Outcome {
    let coded = provider_code(provider, body);
    if let Some((code, _)) = &coded
        && *code != 0
        && is_rate_limited(provider, *code)
    {
        return Outcome::Retry {
            after: match provider {
                ChatProvider::Dingtalk => Some(retry_after.unwrap_or(DINGTALK_THROTTLE)),
                _ => retry_after,
            },
        };
    }
    match status {
        200..=299 => match coded {
            Some((code, message)) if code != 0 => {
                Outcome::Permanent(reason(&format!("error {code}: {message}")))
            }
            _ => Outcome::Sent,
        },
        408 | 429 | 500..=599 => Outcome::Retry { after: retry_after },
        _ => {
            let detail = match coded {
                Some((code, message)) => format!("error {code}: {message}"),
                None => body.to_string(),
            };
            Outcome::Permanent(reason(&format!("HTTP {status} {detail}")))
        }
    }
}

/// The provider's in-body code and message: WeCom and DingTalk
/// `errcode`/`errmsg`, Feishu `code`/`msg` (older answers: `StatusCode`/
/// `StatusMessage`). None for Slack and Teams, whose status says it all.
fn provider_code(provider: ChatProvider, body: &str) -> Option<(i64, String)> {
    let (code_key, message_key) = match provider {
        ChatProvider::Wecom | ChatProvider::Dingtalk => ("errcode", "errmsg"),
        ChatProvider::Feishu => ("code", "msg"),
        ChatProvider::Slack | ChatProvider::Teams => return None,
    };
    let value: serde_json::Value = serde_json::from_str(body.trim()).ok()?;
    let object = value.as_object()?;
    let (code, message) = match object.get(code_key).and_then(|c| c.as_i64()) {
        Some(code) => (code, object.get(message_key)),
        None if provider == ChatProvider::Feishu => (
            object.get("StatusCode").and_then(|c| c.as_i64())?,
            object.get("StatusMessage"),
        ),
        None => return None,
    };
    let message = message
        .and_then(|m| m.as_str())
        .unwrap_or_default()
        .to_string();
    Some((code, message))
}

/// A receiver's text made fit to store and show: no control characters,
/// at most [`MAX_REASON_CHARS`].
fn reason(text: &str) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let clean = clean.trim();
    let mut out: String = clean.chars().take(MAX_REASON_CHARS).collect();
    if clean.chars().count() > MAX_REASON_CHARS {
        out.push('…');
    }
    out
}

/// The longest wait a `Retry-After` may ask for (longer answers are cut).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(3600);

/// A `Retry-After` header in seconds (the HTTP-date form is ignored: the
/// backoff decides then), at most [`MAX_RETRY_AFTER`].
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let secs: u64 = value.trim().parse().ok()?;
    Some(Duration::from_secs(secs).min(MAX_RETRY_AFTER))
}

/// The longest backoff between two tries.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(3600);

/// The wait before try `attempt + 1` after the `attempt`-th failed one
/// (1-based; 0 counts as 1): `base · 2^(attempt−1)`, at most
/// [`MAX_RETRY_DELAY`], times a jitter factor in [0.5, 1.0] taken from
/// `jitter_unit` in [0, 1] (a random number; clamped), so servers that
/// failed together do not retry together.
pub fn retry_delay(base: Duration, attempt: u32, jitter_unit: f64) -> Duration {
    let doublings = attempt.max(1) - 1;
    let full = if doublings >= 32 {
        MAX_RETRY_DELAY
    } else {
        base.checked_mul(1u32 << doublings)
            .unwrap_or(MAX_RETRY_DELAY)
            .min(MAX_RETRY_DELAY)
    };
    let unit = if jitter_unit.is_nan() {
        1.0
    } else {
        jitter_unit.clamp(0.0, 1.0)
    };
    full.mul_f64(0.5 + 0.5 * unit)
}

/// Why a webhook URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UrlProblem {
    /// Not a URL this check can read unambiguously: no `scheme://host`,
    /// spaces or control characters, a backslash, a non-ASCII or
    /// percent-encoded host, an IP address in a shortened or octal/hex
    /// form, a bad port, a fragment, or longer than [`MAX_URL_LEN`].
    Malformed,
    /// Not `https://` (plain `http://` only to a private host the admin allowed).
    NotHttps,
    /// A user name or password before the host (`https://user:pw@…`).
    UserInfo,
    /// A loopback, private, link-local or otherwise internal address
    /// (`is_forbidden_ip`), while the organisation does not allow them.
    PrivateAddress,
}

/// The longest webhook URL accepted (Teams Workflows URLs run to ~500).
pub const MAX_URL_LEN: usize = 2048;

/// A webhook URL's host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Host {
    Ip(IpAddr),
    /// A DNS name, lower-case ASCII; its addresses are checked when it is
    /// resolved, at every send ([`address_allowed`]).
    Name(String),
}

/// What a webhook URL connects to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub https: bool,
    pub host: Host,
    pub port: u16,
}

/// Reads a webhook URL's scheme, host and port, refusing whatever a URL
/// parser (the WHATWG rules the HTTP client follows) could read as another
/// host than this check does: control characters and spaces (which WHATWG
/// drops), backslashes (which it reads as `/`), userinfo, percent-encoded
/// or non-ASCII hosts (which IDNA maps, e.g. full-width digits to an IP),
/// and numeric hosts that are not a plain dotted quad (`127.1`,
/// `0x7f.0.0.1`, `2130706433`, `0177.0.0.1` all mean 127.0.0.1 to WHATWG).
pub fn parse_target(url: &str) -> Result<Target, UrlProblem> {
    if url.len() > MAX_URL_LEN
        || url
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err(UrlProblem::Malformed);
    }
    let (scheme, rest) = url.split_once("://").ok_or(UrlProblem::Malformed)?;
    let https = if scheme.eq_ignore_ascii_case("https") {
        true
    } else if scheme.eq_ignore_ascii_case("http") {
        false
    } else {
        return Err(UrlProblem::NotHttps);
    };
    if rest.contains('#') {
        return Err(UrlProblem::Malformed);
    }
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..end];
    if authority.contains('@') {
        return Err(UrlProblem::UserInfo);
    }
    let (host, port) = if let Some(inner) = authority.strip_prefix('[') {
        // [IPv6]:port; no zone ids (`%`).
        let (literal, after) = inner.split_once(']').ok_or(UrlProblem::Malformed)?;
        let ip: Ipv6Addr = literal.parse().map_err(|_| UrlProblem::Malformed)?;
        let port = match after {
            "" => None,
            p => Some(p.strip_prefix(':').ok_or(UrlProblem::Malformed)?),
        };
        (Host::Ip(IpAddr::V6(ip)), port)
    } else {
        let (name, port) = match authority.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (authority, None),
        };
        (parse_host(name)?, port)
    };
    let port = match port {
        None => {
            if https {
                443
            } else {
                80
            }
        }
        Some(p) => {
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(UrlProblem::Malformed);
            }
            match p.parse::<u16>() {
                Ok(n) if n > 0 => n,
                _ => return Err(UrlProblem::Malformed),
            }
        }
    };
    Ok(Target { https, host, port })
}

/// A host that is not an IPv6 literal: a plain dotted-quad IPv4 address or
/// a DNS name of ASCII letters, digits, `-` and `_`.
fn parse_host(raw: &str) -> Result<Host, UrlProblem> {
    let host = raw.to_ascii_lowercase();
    // WHATWG ignores one trailing dot when deciding whether a host is an IPv4 address.
    let trimmed = host.strip_suffix('.').unwrap_or(&host);
    if trimmed.is_empty()
        || !trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
        || trimmed.split('.').any(str::is_empty)
    {
        return Err(UrlProblem::Malformed);
    }
    let last = trimmed.rsplit('.').next().unwrap_or_default();
    let numeric = !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || (last.starts_with("0x") && last[2..].bytes().all(|b| b.is_ascii_hexdigit())));
    if numeric {
        // WHATWG reads the host as an IPv4 address: accept only the plain
        // form, which std parses exactly (no leading zeros, four parts).
        return trimmed
            .parse::<Ipv4Addr>()
            .map(|ip| Host::Ip(IpAddr::V4(ip)))
            .map_err(|_| UrlProblem::Malformed);
    }
    Ok(Host::Name(trimmed.to_string()))
}

/// Whether a name is `localhost` or under it (RFC 6761: always loopback).
fn is_localhost(name: &str) -> bool {
    name == "localhost" || name.ends_with(".localhost")
}

/// Checks a webhook URL, the same at save and at send:
///
/// - `https://` only; plain `http://` only when `allow_private` and the
///   host is a forbidden (private, loopback …) IP literal or `localhost`;
/// - no user name or password; an unambiguous host ([`parse_target`]);
/// - an IP literal or `localhost` that [`is_forbidden_ip`] refuses, only
///   when `allow_private`.
///
/// A DNS name's addresses are only known when it is resolved: the sender's
/// resolver applies [`address_allowed`] to each of them at every send
/// (which also defeats DNS rebinding).
pub fn check_url(url: &str, allow_private: bool) -> Result<(), UrlProblem> {
    let target = parse_target(url)?;
    let private = match &target.host {
        Host::Ip(ip) => is_forbidden_ip(*ip),
        Host::Name(name) => is_localhost(name),
    };
    if private && !allow_private {
        return Err(UrlProblem::PrivateAddress);
    }
    if !target.https && !private {
        return Err(UrlProblem::NotHttps);
    }
    Ok(())
}

/// Whether the sender may connect to `ip`, an address a webhook's host name
/// resolved to: a forbidden address only when `allow_private`, and a plain
/// `http://` URL only to a forbidden (that is, private) address.
pub fn address_allowed(https: bool, ip: IpAddr, allow_private: bool) -> bool {
    let private = is_forbidden_ip(ip);
    if private { allow_private } else { https }
}

/// Addresses a webhook may not reach unless the admin allows private hosts:
/// unspecified and "this network" (0.0.0.0/8, `::`), loopback (127/8,
/// `::1`), RFC 1918 (10/8, 172.16/12, 192.168/16), CGNAT 100.64/10,
/// link-local 169.254/16 (cloud metadata endpoints) and `fe80::/10`, IETF
/// protocol assignments 192.0.0/24, benchmarking 198.18/15, multicast
/// (224/4, `ff00::/8`), reserved 240/4 with the broadcast address, unique
/// local `fc00::/7`, deprecated site-local `fec0::/10`; and IPv6 forms that
/// carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible
/// `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) when that address is
/// forbidden.
pub fn is_forbidden_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_forbidden_v4(v4),
        IpAddr::V6(v6) => is_forbidden_v6(v6),
    }
}

fn is_forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    a == 0
        || a == 10
        || a == 127
        || (a == 100 && (64..=127).contains(&b))
        || (a == 169 && b == 254)
        || (a == 172 && (16..=31).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 192 && b == 168)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 224
}

fn is_forbidden_v6(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if ip.is_unspecified() || ip.is_loopback() {
        return true;
    }
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated).
    if s[0..5] == [0, 0, 0, 0, 0] && (s[5] == 0xffff || s[5] == 0) {
        return is_forbidden_v4(embedded(s[6], s[7]));
    }
    // NAT64 64:ff9b::/96.
    if s[0..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_forbidden_v4(embedded(s[6], s[7]));
    }
    // 6to4 2002:a.b.c.d::/48 (the IPv4 address is bits 16..48).
    if s[0] == 0x2002 {
        return is_forbidden_v4(embedded(s[1], s[2]));
    }
    (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local fec0::/10
        || (s[0] & 0xff00) == 0xff00 // multicast ff00::/8
}
