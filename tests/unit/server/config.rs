//! Unit tests of `src/server/config.rs`.

use keel::server::config::*;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |k| pairs.iter().find(|(kk, _)| kk == k).map(|(_, v)| v.clone())
}

#[test]
fn postgresql_needs_a_survey_key() {
    let pg = ("KEEL_DATABASE_URL", "postgres://keel@db/keel");
    let e = Settings::from_lookup(env(&[pg])).unwrap_err();
    assert!(e.starts_with("KEEL_SURVEY_KEY must be set"), "{e}");
    let e = Settings::from_lookup(env(&[pg, ("KEEL_SURVEY_KEY", "short")])).unwrap_err();
    assert!(
        e.starts_with("KEEL_SURVEY_KEY must be 64 hexadecimal"),
        "{e}"
    );
    let key = "0f".repeat(32);
    let s = Settings::from_lookup(env(&[pg, ("KEEL_SURVEY_KEY", &key)])).unwrap();
    assert!(s.survey_key.is_some());
    let e = Settings::from_lookup(env(&[
        pg,
        ("KEEL_SURVEY_KEY", &key),
        ("KEEL_SURVEY_KEY_FILE", "/k"),
    ]))
    .unwrap_err();
    assert!(e.contains("not both"), "{e}");
    let dir = std::env::temp_dir().join(format!("keel-key-{}", std::process::id()));
    std::fs::write(&dir, format!("{key}\n")).unwrap();
    let s =
        Settings::from_lookup(env(&[pg, ("KEEL_SURVEY_KEY_FILE", dir.to_str().unwrap())])).unwrap();
    assert!(s.survey_key.is_some());
    std::fs::remove_file(&dir).unwrap();
    let e =
        Settings::from_lookup(env(&[pg, ("KEEL_SURVEY_KEY_FILE", "/nonexistent/k")])).unwrap_err();
    assert!(e.starts_with("KEEL_SURVEY_KEY_FILE: cannot read"), "{e}");
    // SQLite needs none (it overwrites answers in place).
    assert!(
        Settings::from_lookup(env(&[]))
            .unwrap()
            .survey_key
            .is_none()
    );
}

#[test]
fn defaults() {
    let s = Settings::from_lookup(env(&[])).unwrap();
    assert_eq!(s.database_url, "sqlite://data/keel.db");
    assert_eq!(s.site_addr.to_string(), "127.0.0.1:3000");
    assert!(!s.demo);
}

#[test]
fn bad_values_name_the_variable() {
    let e = Settings::from_lookup(env(&[("KEEL_DEMO", "maybe")])).unwrap_err();
    assert!(e.starts_with("KEEL_DEMO"), "{e}");
    let e = Settings::from_lookup(env(&[("LEPTOS_SITE_ADDR", "nowhere")])).unwrap_err();
    assert!(e.starts_with("LEPTOS_SITE_ADDR"), "{e}");
    let e = Settings::from_lookup(env(&[("KEEL_DATABASE_URL", "mysql://x")])).unwrap_err();
    assert!(e.starts_with("KEEL_DATABASE_URL"), "{e}");
    let e = Settings::from_lookup(env(&[("KEEL_SECURE_COOKIES", "2")])).unwrap_err();
    assert!(e.starts_with("KEEL_SECURE_COOKIES"), "{e}");
    let s =
        Settings::from_lookup(env(&[("KEEL_DEMO", "1"), ("KEEL_SECURE_COOKIES", "0")])).unwrap();
    assert!(s.demo && !s.secure_cookies);
}
