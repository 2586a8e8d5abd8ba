//! Unit tests of `src/csv_cell.rs`.

use keel::csv_cell::*;
use std::borrow::Cow;

#[test]
fn formula_starts_get_a_quote_and_lose_it_again() {
    for (text, written) in [
        (
            "=HYPERLINK(\"http://x\",\"y\")",
            "'=HYPERLINK(\"http://x\",\"y\")",
        ),
        ("@SUM(1)", "'@SUM(1)"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("''-1", "'''-1"),
    ] {
        assert_eq!(neutralise(text), written, "{text:?}");
        assert_eq!(restore(written), text, "{written:?}");
    }
}

#[test]
fn other_text_is_left_alone_both_ways() {
    for text in [
        "",
        "'",
        "''",
        "'abc",
        "abc=1",
        "a-b",
        " =1",
        "用户登录失败",
        "https://example.com",
        "3.5",
    ] {
        assert_eq!(neutralise(text), text, "{text:?}");
        assert!(matches!(neutralise(text), Cow::Borrowed(_)));
        assert_eq!(restore(text), text, "{text:?}");
    }
}

#[test]
fn every_text_survives_the_round_trip() {
    let parts = ["", "'", "=", "-", "@", "+", "\t", "\r", "x", "1"];
    for a in parts {
        for b in parts {
            for c in parts {
                let text = format!("{a}{b}{c}");
                assert_eq!(restore(&neutralise(&text)), text, "{text:?}");
                let written = neutralise(&text);
                assert!(!written.starts_with(FORMULA_START), "{written:?}");
            }
        }
    }
}

#[test]
fn a_negative_number_read_with_a_quote_is_the_number() {
    // Exports write numbers bare; a file from a tool that quotes every
    // cell still reads as the number.
    assert_eq!(restore("'-3.5"), "-3.5");
    assert_eq!(restore("-3.5"), "-3.5");
}

#[test]
fn the_request_limit_leaves_room_for_a_file_over_the_import_limit() {
    // The worst case: every byte written as "255,".
    assert!(4 * (MAX_IMPORT_BYTES + 1) + 200 < MAX_REQUEST_BYTES);
}

#[test]
fn the_message_names_the_limit() {
    let mb = format!("{} MB", MAX_IMPORT_BYTES / (1024 * 1024));
    for lang in ["en", "zh"] {
        let path = format!("{}/../locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let text = v["errors"]["file_too_large"].as_str().unwrap();
        assert!(text.contains(&mb), "{lang}: {text}");
    }
}
