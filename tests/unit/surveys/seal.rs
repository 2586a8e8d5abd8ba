//! Unit tests of `src/surveys/seal.rs`.

use keel::surveys::model::{MAX_TEXT, Question, QuestionKind, Theme};
use keel::surveys::seal::*;

fn key(c: char) -> SealKey {
    SealKey::parse(&c.to_string().repeat(64)).unwrap()
}

fn question(id: &str, kind: QuestionKind, options: usize) -> Question {
    Question {
        id: id.into(),
        theme: Theme::Engagement,
        kind,
        text_en: "q".into(),
        text_zh: "问".into(),
        options: (0..options)
            .map(|i| (format!("o{i}"), format!("选{i}")))
            .collect(),
        distress_at: None,
    }
}

fn round_questions() -> Vec<Question> {
    vec![
        question(
            "11111111-1111-1111-1111-111111111111",
            QuestionKind::Likert,
            0,
        ),
        question(
            "22222222-2222-2222-2222-222222222222",
            QuestionKind::Multiple,
            4,
        ),
        question(
            "33333333-3333-3333-3333-333333333333",
            QuestionKind::Text,
            0,
        ),
    ]
}

#[test]
fn keys_are_64_hex_characters() {
    assert!(SealKey::parse(&"ab".repeat(32)).is_ok());
    assert!(SealKey::parse(&format!("{}\n", "AB".repeat(32))).is_ok());
    let e = SealKey::parse("secret").unwrap_err();
    assert!(e.contains("64 hexadecimal"), "{e}");
    assert!(SealKey::parse(&"zz".repeat(32)).is_err());
    assert!(SealKey::parse(&"ab".repeat(33)).is_err());
    assert_eq!(format!("{:?}", key('a')), "SealKey(…)");
}

#[test]
fn an_answer_opens_with_its_key_and_round_only() {
    let qs = round_questions();
    let a = Answer {
        team: "team-1".into(),
        counts: vec![
            ("".into(), -1),
            (qs[0].id.clone(), -1),
            (qs[0].id.clone(), 4),
        ],
        texts: vec![(qs[2].id.clone(), "我们需要更多时间 \"quoted\" \u{0}".into())],
    };
    let size = padded_size(&qs);
    let sealed = key('a').seal("round-1", &a, size).unwrap();
    assert_eq!(key('a').open("round-1", &sealed).unwrap(), a);
    assert_eq!(key('b').open("round-1", &sealed), Err(SealError::Cipher));
    assert_eq!(key('a').open("round-2", &sealed), Err(SealError::Cipher));
    let mut bent = sealed.clone();
    bent[20] ^= 1;
    assert_eq!(key('a').open("round-1", &bent), Err(SealError::Cipher));
    // The text is nowhere in the sealed bytes.
    let hay = String::from_utf8_lossy(&sealed);
    assert!(!hay.contains("quoted"));
}

#[test]
fn every_answer_of_a_round_has_the_same_size() {
    let qs = round_questions();
    let size = padded_size(&qs);
    let short = Answer {
        team: "t".into(),
        counts: vec![("".into(), -1)],
        texts: vec![],
    };
    let longest = Answer {
        team: "x".repeat(36),
        counts: std::iter::once(("".to_string(), -1))
            .chain((-1..=5).map(|v| (qs[0].id.clone(), v)))
            .chain((-1..4).map(|v| (qs[1].id.clone(), v)))
            .collect(),
        texts: vec![(qs[2].id.clone(), "😀".repeat(MAX_TEXT))],
    };
    let k = key('c');
    let a = k.seal("r", &short, size).unwrap();
    let b = k.seal("r", &longest, size).unwrap();
    assert_eq!(a.len(), b.len());
    assert_eq!(k.open("r", &b).unwrap(), longest);
    // Two seals of one answer differ (a fresh nonce each time).
    assert_ne!(k.seal("r", &short, size).unwrap(), a);
    // Longer than the round allows: refused, not truncated.
    let too_long = Answer {
        texts: vec![(qs[2].id.clone(), "😀".repeat(MAX_TEXT * 3))],
        ..short
    };
    assert_eq!(k.seal("r", &too_long, size), Err(SealError::TooLong));
}
