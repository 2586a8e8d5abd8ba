//! Reading a CSV file into an import, the same way for every import of Keel
//! (a backlog's requirements, KPI check-ins): what an importer supplies is
//! only its column table ([`Column`]) and its rule for one row; everything
//! else is here.
//!
//! - [`ImportReport`] and [`RowError`]: what an import found (preview) or
//!   did (commit). Compiled for both the server and the browser, since the
//!   page shows it (`ui::csv_import::CsvImport`).
//! - Server only: [`check_upload`] (the batch id and the file size),
//!   [`decode`] (UTF-8 with or without BOM, else GB18030, what spreadsheet
//!   programs on Chinese Windows write), [`read`] (headers found by their
//!   English name, in any case, or their Chinese one; records handed to the
//!   importer's rule with the row number a spreadsheet shows; problems
//!   collected as [`RowError`]s).
//!
//! A file of its own beside `csv_cell` rather than `csv_cell` grown into a
//! `csv/` directory: `csv_cell` holds the rules for a single cell and the
//! size limits, which the exports, the surveys, the HTTP body limit and the
//! API tests use by that path, and which need neither the `csv` crate nor
//! the server; reading is a layer above it, mostly server-only. (A
//! crate-root module named `csv` would also stand for the `csv` crate's
//! name in crate-root paths.)
use crate::error::ErrorCode;
use serde::{Deserialize, Serialize};

/// One problem in an imported file: the row number as a spreadsheet shows it
/// (the header is row 1), the column key (empty for the whole row), and why.
/// Defined in `backlog::model`, where requirement imports first needed it;
/// this is its name for every import.
/// One problem in an imported file: the row number as a spreadsheet shows it (the header
/// is row 1), the column, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    pub row: usize,
    pub column: String,
    pub code: ErrorCode,
}

/// One column an importer accepts: its key (what [`RowError::column`] and
/// [`Record::cell`] call it), its English header (matched in any case, and
/// written by exports), its Chinese header, and whether a file must have it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub key: &'static str,
    pub en: &'static str,
    pub zh: &'static str,
    pub required: bool,
}

impl Column {
    /// A column every file must have.
    pub const fn required(key: &'static str, en: &'static str, zh: &'static str) -> Column {
        Column {
            key,
            en,
            zh,
            required: true,
        }
    }

    /// A column a file may leave out (its cells then read as empty).
    pub const fn optional(key: &'static str, en: &'static str, zh: &'static str) -> Column {
        Column {
            key,
            en,
            zh,
            required: false,
        }
    }

    /// Whether a header cell (already trimmed) names this column.
    pub fn matches(&self, header: &str) -> bool {
        header.eq_ignore_ascii_case(self.en) || header == self.zh
    }
}

/// What an import found (preview) or did (commit), whatever it imports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ImportReport {
    /// Rows that are stored on commit.
    pub valid_rows: usize,
    /// Rows left out because they are already stored (check-ins equal to a
    /// stored one); always 0 for an import without such a rule.
    #[serde(default)]
    pub unchanged: usize,
    /// Every row's problems, in row order.
    pub errors: Vec<RowError>,
    /// Rows stored by this send (0 for a preview).
    pub imported: usize,
    /// What the import does with each row it accepted, in row order, for an
    /// import that can update stored records as well as add new ones (a
    /// backlog's requirements); empty for the others (and then not sent).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowAction>,
}

/// What an import does with one accepted row: the row number, a text that
/// names it (a requirement's title) and whether it adds, updates or leaves
/// out its record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowAction {
    pub row: usize,
    pub name: String,
    pub kind: RowKind,
}

/// See [`RowAction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// A new record.
    New,
    /// An update of a stored record.
    Update,
    /// A stored record the row does not change: left out.
    Unchanged,
}

impl ImportReport {
    /// Whether a send stores rows: only with `commit`, and, when some row has
    /// a problem, only when the sender chose to import the valid rows alone.
    pub fn stores(&self, commit: bool, only_valid: bool) -> bool {
        commit && (self.errors.is_empty() || only_valid)
    }
}

#[cfg(feature = "ssr")]
pub use reading::*;

#[cfg(feature = "ssr")]
mod reading {
    use super::{Column, RowError};
    use crate::error::{AppError, ErrorCode};
    use std::collections::BTreeMap;

    /// An import's client-made batch id. A row's stored id derives from it
    /// and the row number, so sending one import twice stores it once.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Batch(uuid::Uuid);

    impl Batch {
        /// The id the row with this number is stored under.
        pub fn row_id(self, row: usize) -> String {
            uuid::Uuid::from_u128(self.0.as_u128() ^ (row as u128)).to_string()
        }
    }

    /// What every import checks of what was sent before it reads anything: a
    /// batch id that is a UUID (else `invalid_choice` at `id`), then a file
    /// within `csv_cell::MAX_IMPORT_BYTES` (else `file_too_large` at `file`).
    pub fn check_upload(batch_id: &str, file: &[u8]) -> Result<Batch, AppError> {
        let batch = uuid::Uuid::parse_str(batch_id.trim())
            .map_err(|_| AppError::field(ErrorCode::InvalidChoice, "id"))?;
        if file.len() > crate::csv_cell::MAX_IMPORT_BYTES {
            return Err(AppError::field(ErrorCode::FileTooLarge, "file"));
        }
        Ok(Batch(batch))
    }

    /// Text of a file as UTF-8 (BOM or not) or, failing that, GB18030.
    pub fn decode(bytes: &[u8]) -> Result<String, ErrorCode> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_string()),
            Err(_) => {
                let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
                if had_errors {
                    Err(ErrorCode::UnreadableFile)
                } else {
                    Ok(text.into_owned())
                }
            }
        }
    }

    /// [`decode`] for an import: a file that is neither is `unreadable_file`
    /// at the `file` field.
    pub fn decode_upload(bytes: &[u8]) -> Result<String, AppError> {
        decode(bytes).map_err(|code| AppError::field(code, "file"))
    }

    /// GB18030 bytes of a text, as a spreadsheet program on Chinese Windows
    /// writes it (for tests outside this crate, which cannot reach
    /// encoding_rs).
    pub fn encode_gb18030_for_tests(text: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(text).0.into_owned()
    }

    /// The rows of a file its importer's rule accepted, each with its row
    /// number, and the problems of the others, in row order.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Parsed<T> {
        pub rows: Vec<(usize, T)>,
        pub errors: Vec<RowError>,
    }

    impl<T> Default for Parsed<T> {
        fn default() -> Self {
            Parsed {
                rows: Vec::new(),
                errors: Vec::new(),
            }
        }
    }

    impl<T> Parsed<T> {
        /// The preview of an import that stores every row the rule accepted.
        pub fn preview(&self) -> super::ImportReport {
            super::ImportReport {
                valid_rows: self.rows.len(),
                errors: self.errors.clone(),
                ..Default::default()
            }
        }
    }

    /// One record of a file, as an importer's rule sees it.
    pub struct Record<'a> {
        /// The row number a spreadsheet shows (the header is row 1).
        pub row: usize,
        record: ::csv::StringRecord,
        index: &'a BTreeMap<&'static str, usize>,
    }

    impl Record<'_> {
        /// The cell under a column (empty when the file lacks the column or
        /// the row is short), through `csv_cell::restore`: a text cell loses
        /// the `'` an export put before formula-like text, and a number a
        /// spreadsheet tool quoted ("'-3.5") reads as the number.
        pub fn cell(&self, key: &str) -> &str {
            self.index
                .get(key)
                .and_then(|i| self.record.get(*i))
                .map(crate::csv_cell::restore)
                .unwrap_or("")
        }

        /// Whether the file has a column (a row may be short and still
        /// have it: its cell then reads as empty).
        pub fn has(&self, key: &str) -> bool {
            self.index.contains_key(key)
        }
    }

    /// Reads a decoded file: finds the header's columns in `columns`, then
    /// hands every record that is not blank to `rule`, which accepts it (a
    /// row) or refuses it (its problems, each at its field).
    ///
    /// - A header that cannot be read is one `unreadable_file` on row 1; a
    ///   header without a required column is one `missing_column` on row 1
    ///   per such column, in table order. Either way no row is read.
    /// - A record that cannot be read is `unreadable_file` on its row, with
    ///   no column; a record whose cells are all blank is skipped.
    /// - A refusal's errors go on the record's row, at each error's field
    ///   (no column when it has none).
    pub fn read<T>(
        text: &str,
        columns: &[Column],
        mut rule: impl FnMut(&Record<'_>) -> Result<T, Vec<AppError>>,
    ) -> Parsed<T> {
        let mut out = Parsed::default();
        let mut reader = ::csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let index = match header_index(&mut reader, columns) {
            Ok(index) => index,
            Err(errors) => {
                out.errors = errors;
                return out;
            }
        };
        for (i, record) in reader.records().enumerate() {
            let row = i + 2;
            let Ok(record) = record else {
                out.errors.push(RowError {
                    row,
                    column: String::new(),
                    code: ErrorCode::UnreadableFile,
                });
                continue;
            };
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let record = Record {
                row,
                record,
                index: &index,
            };
            match rule(&record) {
                Ok(value) => out.rows.push((row, value)),
                Err(errors) => out.errors.extend(errors.into_iter().map(|e| RowError {
                    row,
                    column: e.field.unwrap_or_default(),
                    code: e.code,
                })),
            }
        }
        out
    }

    /// The column of each known key in the header row (a header named twice:
    /// its last column), or the header's problems.
    fn header_index(
        reader: &mut ::csv::Reader<&[u8]>,
        columns: &[Column],
    ) -> Result<BTreeMap<&'static str, usize>, Vec<RowError>> {
        let Ok(headers) = reader.headers().cloned() else {
            return Err(vec![RowError {
                row: 1,
                column: String::new(),
                code: ErrorCode::UnreadableFile,
            }]);
        };
        let mut index = BTreeMap::new();
        for (i, h) in headers.iter().enumerate() {
            let h = h.trim();
            if let Some(c) = columns.iter().find(|c| c.matches(h)) {
                index.insert(c.key, i);
            }
        }
        let missing: Vec<RowError> = columns
            .iter()
            .filter(|c| c.required && !index.contains_key(c.key))
            .map(|c| RowError {
                row: 1,
                column: c.key.to_string(),
                code: ErrorCode::MissingColumn,
            })
            .collect();
        if missing.is_empty() {
            Ok(index)
        } else {
            Err(missing)
        }
    }
}
