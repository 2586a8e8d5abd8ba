//! Unit tests of `src/input.rs`.

use keel::error::{AppError, ErrorCode};
use keel::input::*;

#[test]
fn names_are_trimmed_required_and_bounded() {
    assert_eq!(parse_name("name", "  Growth  ").unwrap(), "Growth");
    assert_eq!(
        parse_name("name", "   ").unwrap_err(),
        AppError::field(ErrorCode::Required, "name")
    );
    let max: String = "产".repeat(120);
    assert!(parse_name("name", &max).is_ok());
    let over: String = "产".repeat(121);
    assert_eq!(
        parse_name("name", &over).unwrap_err().code,
        ErrorCode::TooLong
    );
    assert!(parse_text("note", &"a".repeat(10_000)).is_ok());
    assert_eq!(
        parse_text("note", &"a".repeat(10_001)).unwrap_err().code,
        ErrorCode::TooLong
    );
}

#[test]
fn emails() {
    assert_eq!(parse_email(" PM1@Example.com ").unwrap(), "pm1@example.com");
    for bad in [
        "pm1",
        "pm1@",
        "@example.com",
        "a@b",
        "a b@example.com",
        "a@@example.com",
        "a@example.",
    ] {
        assert_eq!(
            parse_email(bad).unwrap_err().code,
            ErrorCode::InvalidEmail,
            "{bad}"
        );
    }
    assert_eq!(parse_email("").unwrap_err().code, ErrorCode::Required);
}

#[test]
fn passwords_and_currency() {
    assert_eq!(
        parse_new_password("p", "1234567").unwrap_err().code,
        ErrorCode::PasswordTooShort
    );
    assert!(parse_new_password("p", "12345678").is_ok());
    assert_eq!(
        parse_new_password("p", &"x".repeat(129)).unwrap_err().code,
        ErrorCode::PasswordTooLong
    );
    assert_eq!(parse_currency("cny").unwrap(), "CNY");
    assert_eq!(
        parse_currency("RMB1").unwrap_err().code,
        ErrorCode::InvalidCurrency
    );
}

#[test]
fn a_search_is_trimmed_and_bounded() {
    assert_eq!(search_text("  敏捷 \n"), "敏捷");
    assert_eq!(search_text(""), "");
    let long = "x".repeat(SEARCH_MAX + 50);
    assert_eq!(search_text(&long).chars().count(), SEARCH_MAX);
}
