//! Unit tests of `src/notify/chat/request.rs`.

use keel::notify::chat::model::ChatProvider::{self, *};
use keel::notify::chat::payload::{ChatMessage, payload};
use keel::notify::chat::request::*;
use keel::notify::chat::sign::feishu_sign;

fn message() -> ChatMessage {
    ChatMessage {
        title: "Dark mode is planned".into(),
        body: String::new(),
        link: "https://keel.example.com/backlog/r/42".into(),
        link_label: "Open in Keel".into(),
        language: "en".into(),
    }
}

fn header<'a>(r: &'a OutgoingRequest, name: &str) -> Option<&'a str> {
    r.headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn every_request_is_a_json_post_with_its_delivery_id() {
    for provider in ChatProvider::ALL {
        let r = build_request(
            provider,
            "https://hooks.example.com/x",
            None,
            &message(),
            "0b7e5f3c-1111-4222-8333-944445555666",
            1_700_000_000_000,
        );
        assert_eq!(r.method, "POST");
        assert_eq!(r.url, "https://hooks.example.com/x", "{provider:?}");
        assert_eq!(
            header(&r, "X-Keel-Delivery"),
            Some("0b7e5f3c-1111-4222-8333-944445555666")
        );
        assert_eq!(
            header(&r, "Content-Type"),
            Some("application/json; charset=utf-8")
        );
        let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(body, payload(provider, &message(), None), "{provider:?}");
    }
}

#[test]
fn the_same_delivery_builds_the_same_request() {
    let a = build_request(
        Slack,
        "https://hooks.example.com/x",
        None,
        &message(),
        "d1",
        1,
    );
    let b = build_request(
        Slack,
        "https://hooks.example.com/x",
        None,
        &message(),
        "d1",
        99_999,
    );
    assert_eq!(a, b);
}

#[test]
fn dingtalk_is_signed_in_the_url() {
    let r = build_request(
        Dingtalk,
        "https://oapi.dingtalk.com/robot/send?access_token=abc",
        Some("SECkeel-dingtalk-example"),
        &message(),
        "d1",
        1_700_000_000_000,
    );
    assert_eq!(
        r.url,
        "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000&sign=iyk%2BPmGR%2BQefe6mY%2FPK0rA%2Bywe7kOa2M2yHy4XWWDko%3D"
    );
    assert!(!r.body.contains("SECkeel"), "the secret never travels");
}

#[test]
fn feishu_is_signed_in_the_body_in_seconds() {
    let r = build_request(
        Feishu,
        "https://open.feishu.cn/open-apis/bot/v2/hook/abc",
        Some("keel-feishu-example"),
        &message(),
        "d1",
        1_700_000_000_999,
    );
    assert_eq!(r.url, "https://open.feishu.cn/open-apis/bot/v2/hook/abc");
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body["timestamp"], "1700000000");
    assert_eq!(body["sign"], "re8rlNIcLsWR7Lg4k8DzBVQ/eXXLEa2B7pplUMEdLfs=");
    assert_eq!(
        body["sign"],
        feishu_sign("keel-feishu-example", 1_700_000_000)
    );
    assert!(!r.body.contains("keel-feishu-example"));
    // An empty secret means unsigned.
    let r = build_request(
        Feishu,
        "https://open.feishu.cn/x",
        Some(""),
        &message(),
        "d1",
        0,
    );
    assert!(!r.body.contains("sign"));
}

#[test]
fn a_secret_on_other_providers_is_ignored() {
    for provider in [Slack, Teams, Wecom] {
        let r = build_request(
            provider,
            "https://h.example.com/x",
            Some("s3cret"),
            &message(),
            "d1",
            5,
        );
        assert_eq!(r.url, "https://h.example.com/x");
        assert!(!r.body.contains("s3cret"));
    }
}

#[test]
fn the_delivery_id_cannot_break_the_header() {
    let r = build_request(
        Slack,
        "https://h.example.com/x",
        None,
        &message(),
        "id\r\nX-Evil: 1",
        0,
    );
    assert_eq!(header(&r, "X-Keel-Delivery"), Some("idX-Evil:1"));
    assert_eq!(r.headers.len(), 2);
}
