//! Unit tests of `src/notify/model.rs`: every kind has a spec and its wording
//! in both languages; person-data kinds never go to a chat.
use keel::notify::model::{Event, EventKind, is_local_link, spec};
use serde_json::Value;

fn locale(name: &str) -> Value {
    let path = format!("{}/../locales/{name}.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn every_kind_has_a_spec_and_its_wording_in_both_languages() {
    let (en, zh) = (locale("en"), locale("zh"));
    for kind in EventKind::ALL {
        let s = spec(kind);
        assert!(
            !(s.person_data && s.chat),
            "{kind:?} is a person's data: no chat"
        );
        assert_eq!(EventKind::parse(kind.as_str()), Some(kind));
        for (name, file) in [("en", &en), ("zh", &zh)] {
            for part in ["title", "body"] {
                let text = file["notify"]["kind"][kind.as_str()][part].as_str();
                assert!(
                    text.is_some_and(|t| !t.trim().is_empty()),
                    "notify.kind.{}.{part} in {name}",
                    kind.as_str()
                );
            }
        }
        let zh_title = zh["notify"]["kind"][kind.as_str()]["title"]
            .as_str()
            .unwrap();
        assert!(
            zh_title
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "the Chinese title of {} is Chinese: {zh_title}",
            kind.as_str()
        );
    }
}

#[test]
fn the_kinds_are_those_of_the_hook_table() {
    let names: Vec<&str> = EventKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "checkin_due",
            "checkin_overdue",
            "kpi_status_changed",
            "requirement_state_changed",
            "requirement_merged",
            "requirement_evidence_added",
            "poker_invited",
            "plan_waiting_approval",
            "plan_approved",
            "survey_opened",
            "survey_closing",
            "survey_action_due",
            "mentoring_meeting_logged",
        ]
    );
}

#[test]
fn an_event_carries_its_values_and_a_fresh_id() {
    let a = Event::new(EventKind::PlanApproved, "p1", None, Some("u1"), "/growth")
        .with("period", "2027 H1");
    let b = Event::new(EventKind::PlanApproved, "p1", None, Some("u1"), "/growth");
    assert_ne!(a.id, b.id);
    assert_eq!(a.params["period"], "2027 H1");
    assert_eq!(a.actor_id.as_deref(), Some("u1"));
}

#[test]
fn links_are_paths_of_this_site() {
    assert!(is_local_link("/backlog/requirements/x"));
    for bad in [
        "//evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "/\\evil",
        "",
    ] {
        assert!(!is_local_link(bad), "{bad}");
    }
}
