//! Unit tests of `src/notify/text.rs`: the wording fills its places, names
//! states in the reader's language, and leaves typed text as text.
use keel::i18n::Locale;
use keel::notify::model::EventKind;
use keel::notify::text::{fill, render};
use std::collections::BTreeMap;

fn params(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn render_fills_the_values_in_either_language() {
    let p = params(&[("title", "导出 CSV"), ("status", "under_review")]);
    let (title, body) = render(EventKind::RequirementStateChanged, &p, Locale::en);
    assert_eq!(title, "“导出 CSV” is now Under review");
    assert!(body.contains("Under review"), "{body}");
    let (title, _) = render(EventKind::RequirementStateChanged, &p, Locale::zh);
    assert!(
        title.contains("导出 CSV") && !title.contains("{"),
        "{title}"
    );
    assert!(
        !title.contains("under_review"),
        "the state is worded: {title}"
    );
}

#[test]
fn every_place_of_every_kind_is_filled_when_given() {
    let all = params(&[
        ("title", "T"),
        ("status", "on_track"),
        ("code", "C"),
        ("name", "N"),
        ("person", "P"),
        ("kept_title", "K"),
        ("author", "A"),
        ("backlog", "B"),
        ("period", "2027 H1"),
        ("action", "X"),
        ("day", "2027-01-05"),
    ]);
    for kind in EventKind::ALL {
        for locale in [Locale::en, Locale::zh] {
            let (t, b) = render(kind, &all, locale);
            assert!(!t.contains('{') && !b.contains('{'), "{kind:?}: {t} / {b}");
        }
    }
}

#[test]
fn a_value_is_never_read_for_places() {
    let p = params(&[("title", "{status} <b>x</b>"), ("status", "done")]);
    let out = fill("{title}!", EventKind::RequirementMerged, &p, Locale::en);
    assert_eq!(out, "{status} <b>x</b>!", "typed text stays as typed");
    assert_eq!(
        fill("a {missing} b {", EventKind::PlanApproved, &p, Locale::en),
        "a  b {"
    );
}
