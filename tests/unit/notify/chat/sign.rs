//! Unit tests of `src/notify/chat/sign.rs`: the worked examples were
//! computed with Python's `hmac` (an independent implementation):
//!
//! ```python
//! base64.b64encode(hmac.new(b"SECkeel-dingtalk-example",
//!     b"1700000000000\nSECkeel-dingtalk-example", hashlib.sha256).digest())
//! base64.b64encode(hmac.new(b"1700000000\nkeel-feishu-example", b"",
//!     hashlib.sha256).digest())
//! ```

use keel::notify::chat::sign::*;

const DINGTALK_SECRET: &str = "SECkeel-dingtalk-example";
const DINGTALK_SIGN: &str = "iyk+PmGR+Qefe6mY/PK0rA+ywe7kOa2M2yHy4XWWDko=";
const DINGTALK_SIGN_ENCODED: &str = "iyk%2BPmGR%2BQefe6mY%2FPK0rA%2Bywe7kOa2M2yHy4XWWDko%3D";

#[test]
fn dingtalk_matches_the_worked_example() {
    assert_eq!(
        dingtalk_sign(DINGTALK_SECRET, 1_700_000_000_000),
        DINGTALK_SIGN
    );
    assert_eq!(percent_encode(DINGTALK_SIGN), DINGTALK_SIGN_ENCODED);
}

#[test]
fn feishu_matches_the_worked_example() {
    assert_eq!(
        feishu_sign("keel-feishu-example", 1_700_000_000),
        "re8rlNIcLsWR7Lg4k8DzBVQ/eXXLEa2B7pplUMEdLfs="
    );
}

#[test]
fn signatures_change_with_time_and_secret() {
    let a = feishu_sign("keel-feishu-example", 1_700_000_000);
    assert_ne!(a, feishu_sign("keel-feishu-example", 1_700_000_001));
    assert_ne!(a, feishu_sign("other", 1_700_000_000));
    let b = dingtalk_sign(DINGTALK_SECRET, 1_700_000_000_000);
    assert_ne!(b, dingtalk_sign(DINGTALK_SECRET, 1_700_000_000_001));
}

#[test]
fn the_dingtalk_url_gets_timestamp_and_sign() {
    let url = "https://oapi.dingtalk.com/robot/send?access_token=abc";
    assert_eq!(
        dingtalk_signed_url(url, DINGTALK_SECRET, 1_700_000_000_000),
        format!("{url}&timestamp=1700000000000&sign={DINGTALK_SIGN_ENCODED}")
    );
    // Without a query it starts one.
    assert_eq!(
        dingtalk_signed_url(
            "https://example.com/hook",
            DINGTALK_SECRET,
            1_700_000_000_000
        ),
        format!("https://example.com/hook?timestamp=1700000000000&sign={DINGTALK_SIGN_ENCODED}")
    );
    // A pasted old signature is replaced, not doubled.
    let old = format!("{url}&timestamp=1&sign=old");
    assert_eq!(
        dingtalk_signed_url(&old, DINGTALK_SECRET, 1_700_000_000_000),
        format!("{url}&timestamp=1700000000000&sign={DINGTALK_SIGN_ENCODED}")
    );
}

#[test]
fn percent_encoding_keeps_only_unreserved() {
    assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
    assert_eq!(percent_encode("a b/c?d=e&f"), "a%20b%2Fc%3Fd%3De%26f");
    assert_eq!(percent_encode("中"), "%E4%B8%AD");
}
