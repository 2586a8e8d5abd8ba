//! Unit tests of `src/api_tokens/model.rs`.

use keel::api_tokens::model::*;
use keel::auth::ApiScope;
use keel::error::ErrorCode;

#[test]
fn base64url_matches_rfc_4648_vectors_without_padding() {
    // RFC 4648 §10, padding dropped; then the two characters base64url changes.
    assert_eq!(base64url(b""), "");
    assert_eq!(base64url(b"f"), "Zg");
    assert_eq!(base64url(b"fo"), "Zm8");
    assert_eq!(base64url(b"foo"), "Zm9v");
    assert_eq!(base64url(b"foob"), "Zm9vYg");
    assert_eq!(base64url(b"fooba"), "Zm9vYmE");
    assert_eq!(base64url(b"foobar"), "Zm9vYmFy");
    assert_eq!(base64url(&[0xfb, 0xff, 0xbf]), "-_-_");
}

#[test]
fn a_token_is_the_prefix_and_43_base64url_characters() {
    let token = format_token(&[0u8; 32]);
    assert_eq!(token, format!("keel_pat_{}", "A".repeat(43)));
    let token = format_token(&[0xff; 32]);
    assert!(token.starts_with(TOKEN_PREFIX));
    assert_eq!(token.len(), TOKEN_PREFIX.len() + TOKEN_CHARS);
    // 30 bytes of 0xff are 40 '_'; the last two, 0xffff, are "__8".
    assert_eq!(token, format!("keel_pat_{}8", "_".repeat(42)));
    assert_eq!(parse_token(&token), Some(token.as_str()));
    assert_eq!(shown_part(&token).len(), SHOWN_CHARS);
    assert!(token[TOKEN_PREFIX.len()..].starts_with(&shown_part(&token)));
}

#[test]
fn only_well_formed_tokens_parse() {
    let good = format!("keel_pat_{}", "a".repeat(43));
    assert_eq!(parse_token(&format!("  {good} ")), Some(good.as_str()));
    assert_eq!(parse_token(&format!("keel_pat_{}", "a".repeat(42))), None);
    assert_eq!(parse_token(&format!("keel_pat_{}", "a".repeat(44))), None);
    assert_eq!(parse_token(&format!("keel_pat_{}+", "a".repeat(42))), None);
    assert_eq!(parse_token(&format!("keel_pat_{}=", "a".repeat(42))), None);
    assert_eq!(parse_token(&format!("other_pat_{}", "a".repeat(43))), None);
    assert_eq!(parse_token(""), None);
}

#[test]
fn the_bearer_scheme_alone_carries_a_token() {
    assert_eq!(bearer("Bearer abc"), Some("abc"));
    assert_eq!(bearer("bearer  abc "), Some("abc"));
    assert_eq!(bearer("Basic abc"), None);
    assert_eq!(bearer("Bearer"), None);
    assert_eq!(bearer("Bearer "), None);
    assert_eq!(bearer("abc"), None);
}

#[test]
fn check_ins_cover_reading_and_reading_covers_only_itself() {
    assert!(ApiScope::Read.covers(ApiScope::Read));
    assert!(!ApiScope::Read.covers(ApiScope::CheckIns));
    assert!(ApiScope::CheckIns.covers(ApiScope::Read));
    assert!(ApiScope::CheckIns.covers(ApiScope::CheckIns));
    assert_eq!(parse_scope("read").unwrap(), ApiScope::Read);
    assert_eq!(parse_scope("checkins").unwrap(), ApiScope::CheckIns);
    let e = parse_scope("admin").unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InvalidChoice, Some("scope"))
    );
    assert_eq!(parse_scope(" ").unwrap_err().code, ErrorCode::Required);
}

#[test]
fn an_expiry_is_required_and_one_of_three_lifetimes() {
    for d in [30, 90, 365] {
        assert_eq!(parse_expiry(&d.to_string()).unwrap(), d);
    }
    for bad in ["0", "31", "-30", "forever", "36500"] {
        let e = parse_expiry(bad).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidChoice, Some("expires_days")),
            "{bad}"
        );
    }
    assert_eq!(parse_expiry("").unwrap_err().code, ErrorCode::Required);
    assert_eq!(expires_at(1_000, 30), 1_000 + 30 * 86_400);
}

#[test]
fn a_token_works_until_it_expires_or_is_revoked() {
    let until = expires_at(1_000, 30);
    assert!(is_usable(until, false, until - 1));
    assert!(!is_usable(until, false, until));
    assert!(!is_usable(until, true, 1_000));
}

#[test]
fn last_use_is_written_at_most_once_a_minute() {
    assert!(should_touch(None, 100));
    assert!(!should_touch(Some(100), 159));
    assert!(should_touch(Some(100), 160));
}

#[test]
fn a_name_is_required_and_short() {
    assert_eq!(parse_name("  Metabase ").unwrap(), "Metabase");
    assert_eq!(parse_name("").unwrap_err().code, ErrorCode::Required);
    assert_eq!(
        parse_name(&"x".repeat(NAME_MAX + 1)).unwrap_err().code,
        ErrorCode::TooLong
    );
    assert!(parse_name(&"报".repeat(NAME_MAX)).is_ok());
}
