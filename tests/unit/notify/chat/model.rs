//! Unit tests of `src/notify/chat/model.rs`.

use keel::notify::chat::model::*;
use std::net::IpAddr;
use std::time::Duration;

use ChatProvider::*;

#[test]
fn providers_round_trip_as_text() {
    for p in ChatProvider::ALL {
        assert_eq!(ChatProvider::parse(p.as_str()), Some(p));
    }
    assert_eq!(ChatProvider::parse("dingtalk"), Some(Dingtalk));
    assert_eq!(ChatProvider::parse("msteams"), None);
}

#[test]
fn pacing_per_provider() {
    for p in [Slack, Teams, Feishu] {
        assert_eq!(min_interval(p), Duration::from_secs(1), "{p:?}");
    }
    // 20 a minute.
    for p in [Dingtalk, Wecom] {
        assert_eq!(min_interval(p), Duration::from_secs(3), "{p:?}");
        assert_eq!(
            Duration::from_secs(60).as_secs() / min_interval(p).as_secs(),
            20
        );
    }
}

fn retry(after: Option<u64>) -> Outcome {
    Outcome::Retry {
        after: after.map(Duration::from_secs),
    }
}

#[test]
fn answers_are_classified() {
    let table: Vec<(ChatProvider, u16, &str, Option<u64>, Outcome)> = vec![
        // Plain successes.
        (Slack, 200, "ok", None, Outcome::Sent),
        (Teams, 202, "", None, Outcome::Sent),
        (
            Wecom,
            200,
            r#"{"errcode":0,"errmsg":"ok"}"#,
            None,
            Outcome::Sent,
        ),
        (
            Dingtalk,
            200,
            r#"{"errcode":0,"errmsg":"ok"}"#,
            None,
            Outcome::Sent,
        ),
        (
            Feishu,
            200,
            r#"{"code":0,"msg":"success","data":{}}"#,
            None,
            Outcome::Sent,
        ),
        (
            Feishu,
            200,
            r#"{"StatusCode":0,"StatusMessage":"success"}"#,
            None,
            Outcome::Sent,
        ),
        // A 2xx without the provider's code field counts as sent.
        (Wecom, 200, "", None, Outcome::Sent),
        // Rate limits in the body are retryable, even on HTTP 200.
        (
            Wecom,
            200,
            r#"{"errcode":45009,"errmsg":"api freq out of limit"}"#,
            None,
            retry(None),
        ),
        (
            Dingtalk,
            200,
            r#"{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}"#,
            None,
            retry(Some(600)),
        ),
        (
            Feishu,
            200,
            r#"{"code":11232,"msg":"frequency limited"}"#,
            None,
            retry(None),
        ),
        (
            Feishu,
            400,
            r#"{"code":99991400,"msg":"request trigger frequency limit"}"#,
            Some(52),
            retry(Some(52)),
        ),
        // Status-based retries keep the receiver's Retry-After.
        (Slack, 429, "rate_limited", Some(2), retry(Some(2))),
        (Teams, 503, "", None, retry(None)),
        (Slack, 500, "rollup_error", None, retry(None)),
        (Wecom, 502, "<html>bad gateway</html>", None, retry(None)),
        (Slack, 408, "", None, retry(None)),
    ];
    for (provider, status, body, after, want) in table {
        let got = classify(provider, status, body, after.map(Duration::from_secs));
        assert_eq!(got, want, "{provider:?} {status} {body}");
    }
}

#[test]
fn failures_are_permanent_with_a_reason() {
    let table: Vec<(ChatProvider, u16, &str, &str)> = vec![
        (
            Wecom,
            200,
            r#"{"errcode":93000,"errmsg":"invalid webhook url"}"#,
            "93000",
        ),
        (
            Dingtalk,
            200,
            r#"{"errcode":310000,"errmsg":"sign not match"}"#,
            "sign not match",
        ),
        (
            Feishu,
            200,
            r#"{"code":19021,"msg":"sign match fail"}"#,
            "19021",
        ),
        (Feishu, 200, r#"{"code":9499,"msg":"Bad Request"}"#, "9499"),
        (Slack, 404, "no_service", "HTTP 404"),
        (Slack, 410, "channel_is_archived", "channel_is_archived"),
        (Teams, 400, "bad card", "HTTP 400"),
        (Slack, 403, "action_prohibited", "403"),
        // Redirects are not followed.
        (Teams, 302, "", "HTTP 302"),
    ];
    for (provider, status, body, needle) in table {
        match classify(provider, status, body, None) {
            Outcome::Permanent(reason) => {
                assert!(reason.contains(needle), "{provider:?} {status}: {reason}")
            }
            other => panic!("{provider:?} {status} {body}: {other:?}"),
        }
    }
}

#[test]
fn reasons_are_short_and_clean() {
    let body = format!("line1\nline2\u{7}{}", "x".repeat(1000));
    let Outcome::Permanent(reason) = classify(Slack, 400, &body, None) else {
        panic!("not permanent");
    };
    assert!(!reason.chars().any(|c| c.is_control()), "{reason:?}");
    assert!(reason.chars().count() <= MAX_REASON_CHARS + 1);
    assert!(reason.ends_with('…'));
}

#[test]
fn retry_after_headers() {
    assert_eq!(parse_retry_after("2"), Some(Duration::from_secs(2)));
    assert_eq!(parse_retry_after(" 30 "), Some(Duration::from_secs(30)));
    assert_eq!(parse_retry_after("999999"), Some(MAX_RETRY_AFTER));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    assert_eq!(parse_retry_after("-1"), None);
}

#[test]
fn retry_delays_double_with_jitter_and_a_cap() {
    let base = Duration::from_secs(10);
    // Full jitter unit: exactly base · 2^(n−1).
    assert_eq!(retry_delay(base, 1, 1.0), Duration::from_secs(10));
    assert_eq!(retry_delay(base, 2, 1.0), Duration::from_secs(20));
    assert_eq!(retry_delay(base, 3, 1.0), Duration::from_secs(40));
    // Attempt 0 counts as the first.
    assert_eq!(retry_delay(base, 0, 1.0), Duration::from_secs(10));
    // Jitter 0 halves it.
    assert_eq!(retry_delay(base, 3, 0.0), Duration::from_secs(20));
    // Within [0.5, 1.0] of the full delay for any unit, clamped outside [0, 1].
    for n in 1..40u32 {
        for unit in [0.0, 0.1, 0.37, 0.5, 0.99, 1.0, -3.0, 7.0, f64::NAN] {
            let d = retry_delay(base, n, unit);
            let full = retry_delay(base, n, 1.0);
            assert!(d <= full && d >= full / 2, "{n} {unit}: {d:?} of {full:?}");
            assert!(d <= MAX_RETRY_DELAY, "{n}: {d:?}");
        }
    }
    // Capped at an hour, without overflow for huge attempts.
    assert_eq!(retry_delay(base, 20, 1.0), Duration::from_secs(3600));
    assert_eq!(retry_delay(base, u32::MAX, 1.0), Duration::from_secs(3600));
    assert_eq!(retry_delay(base, u32::MAX, 0.0), Duration::from_secs(1800));
    assert_eq!(
        retry_delay(Duration::from_secs(u64::MAX / 2), 3, 1.0),
        Duration::from_secs(3600)
    );
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn forbidden_addresses() {
    let forbidden = [
        "0.0.0.0",
        "0.1.2.3",
        "127.0.0.1",
        "127.255.0.9",
        "10.0.0.1",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.254",
        "192.0.0.8",
        "198.18.0.1",
        "224.0.0.1",
        "239.255.255.250",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "febf::1",
        "fec0::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "::ffff:10.0.0.1",
        "::ffff:0.0.0.0",
        "::127.0.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "2002:c0a8:101::1",
    ];
    for s in forbidden {
        assert!(is_forbidden_ip(ip(s)), "{s} must be forbidden");
    }
    let allowed = [
        "8.8.8.8",
        "1.1.1.1",
        "100.63.255.255",
        "100.128.0.1",
        "172.15.0.1",
        "172.32.0.1",
        "169.253.0.1",
        "192.0.1.1",
        "198.20.0.1",
        "223.255.255.255",
        "11.0.0.1",
        "2001:4860:4860::8888",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
        "2002:808:808::1",
    ];
    for s in allowed {
        assert!(!is_forbidden_ip(ip(s)), "{s} must be allowed");
    }
}

#[test]
fn urls_are_checked() {
    use UrlProblem::*;
    let table: Vec<(&str, bool, Result<(), UrlProblem>)> = vec![
        ("https://hooks.slack.com/services/T0/B0/XX", false, Ok(())),
        (
            "HTTPS://Open.Feishu.cn/open-apis/bot/v2/hook/abc",
            false,
            Ok(()),
        ),
        (
            "https://oapi.dingtalk.com/robot/send?access_token=abc",
            false,
            Ok(()),
        ),
        (
            "https://prod-00.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=x",
            false,
            Ok(()),
        ),
        ("https://8.8.8.8/hook", false, Ok(())),
        ("https://[2001:4860:4860::8888]:8443/hook", false, Ok(())),
        ("https://hooks.example.com./x", false, Ok(())),
        // Plain http is refused for public hosts, allowed or not.
        ("http://hooks.slack.com/services/x", false, Err(NotHttps)),
        ("http://hooks.slack.com/services/x", true, Err(NotHttps)),
        ("http://8.8.8.8/x", true, Err(NotHttps)),
        ("ftp://example.com/x", false, Err(NotHttps)),
        ("javascript:alert(1)", false, Err(Malformed)),
        // Userinfo.
        ("https://user:pw@hooks.slack.com/x", false, Err(UserInfo)),
        ("https://user@hooks.slack.com/x", true, Err(UserInfo)),
        ("https://hooks.slack.com@127.0.0.1/x", false, Err(UserInfo)),
        // Private and internal addresses.
        ("https://127.0.0.1/x", false, Err(PrivateAddress)),
        ("https://127.0.0.1:9000/x", true, Ok(())),
        ("http://127.0.0.1:9000/x", true, Ok(())),
        ("http://127.0.0.1:9000/x", false, Err(PrivateAddress)),
        (
            "https://169.254.169.254/latest/meta-data",
            false,
            Err(PrivateAddress),
        ),
        ("https://100.64.0.1/", false, Err(PrivateAddress)),
        ("https://10.1.2.3/", false, Err(PrivateAddress)),
        ("https://[::1]/x", false, Err(PrivateAddress)),
        ("http://[::1]:8080/x", true, Ok(())),
        ("https://[::ffff:127.0.0.1]/x", false, Err(PrivateAddress)),
        ("https://[::ffff:7f00:1]/x", false, Err(PrivateAddress)),
        ("https://[fd00::1]/x", false, Err(PrivateAddress)),
        ("https://[fe80::1]/x", false, Err(PrivateAddress)),
        ("https://localhost/x", false, Err(PrivateAddress)),
        ("http://localhost:3000/x", true, Ok(())),
        ("https://api.localhost/x", false, Err(PrivateAddress)),
        // Ambiguous hosts that a WHATWG parser reads as an IP address.
        ("https://127.1/x", false, Err(Malformed)),
        ("https://2130706433/x", false, Err(Malformed)),
        ("https://0x7f.0.0.1/x", false, Err(Malformed)),
        ("https://0177.0.0.1/x", false, Err(Malformed)),
        ("https://127.0.0.01/x", false, Err(Malformed)),
        ("https://%31%32%37.0.0.1/x", false, Err(Malformed)),
        ("https://１２７.０.０.１/x", false, Err(Malformed)),
        ("https://[fe80::1%25eth0]/x", false, Err(Malformed)),
        // Characters a URL parser drops or reinterprets.
        (
            "https://hooks.slack.com\\@127.0.0.1/x",
            false,
            Err(Malformed),
        ),
        ("https://127.0.0.\n1/x", false, Err(Malformed)),
        ("https://hooks.slack.com/a b", false, Err(Malformed)),
        (" https://hooks.slack.com/x", false, Err(Malformed)),
        ("https://hooks.slack.com/x#frag", false, Err(Malformed)),
        // Hosts and ports that are not there or not numbers.
        ("https:///x", false, Err(Malformed)),
        ("https://", false, Err(Malformed)),
        ("https://a..b/x", false, Err(Malformed)),
        ("https://example.com:/x", false, Err(Malformed)),
        ("https://example.com:0/x", false, Err(Malformed)),
        ("https://example.com:65536/x", false, Err(Malformed)),
        ("https://example.com:44a/x", false, Err(Malformed)),
        ("https://[::1/x", false, Err(Malformed)),
        ("hooks.slack.com/x", false, Err(Malformed)),
    ];
    for (url, allow, want) in table {
        assert_eq!(check_url(url, allow), want, "{url:?} allow_private={allow}");
    }
    let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
    assert_eq!(check_url(&long, false), Err(Malformed));
}

#[test]
fn targets_name_host_and_port() {
    assert_eq!(
        parse_target("https://Open.Feishu.CN/open-apis").unwrap(),
        Target {
            https: true,
            host: Host::Name("open.feishu.cn".into()),
            port: 443
        }
    );
    assert_eq!(
        parse_target("http://127.0.0.1:8080?x=1").unwrap(),
        Target {
            https: false,
            host: Host::Ip(ip("127.0.0.1")),
            port: 8080
        }
    );
    assert_eq!(parse_target("https://[::1]").unwrap().port, 443);
}

#[test]
fn resolved_addresses_are_checked_at_send() {
    // A public name that resolves to a private address (DNS rebinding).
    assert!(!address_allowed(true, ip("127.0.0.1"), false));
    assert!(!address_allowed(true, ip("::ffff:169.254.169.254"), false));
    assert!(address_allowed(true, ip("127.0.0.1"), true));
    assert!(address_allowed(true, ip("8.8.8.8"), false));
    // Plain http only to private addresses, and only when allowed.
    assert!(!address_allowed(false, ip("8.8.8.8"), true));
    assert!(address_allowed(false, ip("10.0.0.1"), true));
    assert!(!address_allowed(false, ip("10.0.0.1"), false));
}
