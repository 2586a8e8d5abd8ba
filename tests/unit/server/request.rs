//! Unit tests of `src/server/request.rs`: where server functions may read
//! what the request put in the reactive context.
//!
//! While the server renders a page, a server function runs as a resource's
//! fetcher under the page's reactive owner. Leptos may render a part of the
//! page a second time and drop the first copy while its fetch is still
//! waiting on the database; from then on the context (the app state, the
//! request) is gone, the fetch answers "internal error", and that answer is
//! what the page sends the browser, which then fails to hydrate. So every
//! server function takes what it needs from the context before its first
//! `.await`.

use std::path::Path;

/// The context readers of `keel::server::request`.
const READERS: [&str; 4] = ["state()", "current_user()", "client_address()", "session()"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each `#[server]` function's body, named by file and line.
fn server_functions(source: &str) -> Vec<(usize, String)> {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].trim_start().starts_with("#[server") {
            let start = i;
            // The body ends at the first line that closes it at the item's indent.
            while i < lines.len() && !lines[i].starts_with('}') {
                i += 1;
            }
            out.push((start + 1, lines[start..i.min(lines.len())].join("\n")));
        }
        i += 1;
    }
    out
}

/// The context readers a body calls after its first `.await`.
fn late_reads(body: &str) -> Vec<String> {
    let Some(first_await) = body.find(".await") else {
        return Vec::new();
    };
    let rest = &body[first_await..];
    READERS
        .iter()
        .filter(|r| {
            rest.match_indices(*r).any(|(at, _)| {
                // `require_actor()` and friends are fine; only the bare readers count.
                let before = rest[..at].chars().last();
                !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
            })
        })
        .map(|r| r.to_string())
        .collect()
}

#[test]
fn the_rule_sees_a_read_after_an_await() {
    let late = "#[server]\npub async fn f() -> R {\n    let a = require_actor().await?;\n    let pool = &state()?.pool;\n}\n";
    let early = "#[server]\npub async fn f() -> R {\n    let pool = &state()?.pool;\n    let a = require_actor().await?;\n}\n";
    assert_eq!(late_reads(&server_functions(late)[0].1), ["state()"]);
    assert!(late_reads(&server_functions(early)[0].1).is_empty());
}

#[test]
fn server_functions_read_the_request_context_before_their_first_await() {
    let mut files = Vec::new();
    rust_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../src"),
        &mut files,
    );
    let mut found = 0;
    let mut offenders = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for (line, body) in server_functions(&source) {
            found += 1;
            for read in late_reads(&body) {
                offenders.push(format!("{}:{line}: {read}", file.display()));
            }
        }
    }
    assert!(found > 100, "found only {found} server functions");
    assert!(
        offenders.is_empty(),
        "context read after an await:\n{}",
        offenders.join("\n")
    );
}
