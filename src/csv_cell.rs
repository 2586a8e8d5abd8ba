//! Rules every CSV file of Keel shares, whatever it holds: how big an
//! imported file may be, and how a text cell is kept from running as a
//! formula. Pure and capability-free: backlog, KPI and survey files use it.
//! Reading a file into an import (encodings, headers, row errors, the
//! report) is `csv_read`'s.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return as a formula (CSV/formula injection). On export such a
//! text cell gets a leading `'`, which spreadsheets show as text; on import
//! exactly that `'` is taken off again, so an exported file imports unchanged.
//! Numeric columns (a check-in's value, a survey's scores) are numbers, not
//! text, and are written as they are: `-3.5` stays `-3.5`.
use std::borrow::Cow;

/// The largest CSV file an import accepts, in bytes (5 MiB).
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// The largest request body a server function accepts. Imports send the
/// file as a JSON array of numbers, up to four characters a byte (`255,`),
/// so the limit is four times the file limit plus room for the other fields:
/// a file just over [`MAX_IMPORT_BYTES`] still reaches the import, which
/// refuses it at its field; only a body past this limit is refused whole.
pub const MAX_REQUEST_BYTES: usize = 4 * MAX_IMPORT_BYTES + 64 * 1024;

/// The largest request body of every other server function (2 MiB): a
/// sign-in or a form never comes near it, and an anonymous caller cannot
/// make the server buffer an import-sized body.
pub const MAX_FORM_BYTES: usize = 2 * 1024 * 1024;

/// The server functions that take a file, and so [`MAX_REQUEST_BYTES`].
pub const FILE_ENDPOINTS: [&str; 2] = ["/api/import_requirements", "/api/import_checkins"];

/// What a cell may not start with.
pub const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a text, after any leading `'`, starts like a formula. Counting the
/// `'`s makes the pair exact: a text that itself starts with `'=` is written
/// `''=` and reads back as `'=`.
fn needs_quote(s: &str) -> bool {
    s.trim_start_matches('\'').starts_with(FORMULA_START)
}

/// A text cell as written to a CSV file: with a leading `'` when it would
/// otherwise start like a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if needs_quote(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// A cell as read from a CSV file: the `'` that [`neutralise`] adds taken off,
/// and nothing else (`'abc` stays `'abc`).
pub fn restore(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}
