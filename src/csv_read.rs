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

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;
    use crate::error::{AppError, ErrorCode};

    const COLUMNS: [Column; 3] = [
        Column::required("title", "title", "标题"),
        Column::optional("note", "note", "备注"),
        Column::required("source", "source", "来源"),
    ];

    /// Every row accepted as (title, note, source).
    fn all(text: &str) -> Parsed<(String, String, String)> {
        read(text, &COLUMNS, |r| {
            Ok((
                r.cell("title").to_string(),
                r.cell("note").to_string(),
                r.cell("source").to_string(),
            ))
        })
    }

    fn error(row: usize, column: &str, code: ErrorCode) -> RowError {
        RowError {
            row,
            column: column.into(),
            code,
        }
    }

    #[test]
    fn gb18030_and_bom_are_read() {
        let text = "标题,来源\n用户登录失败,客户\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode(&gb).unwrap(), text);
        assert_eq!(encode_gb18030_for_tests(text), gb.into_owned());
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).unwrap(), text);
        assert_eq!(decode(text.as_bytes()).unwrap(), text);
    }

    #[test]
    fn bytes_that_are_neither_are_unreadable_at_the_file_field() {
        // A lone GB18030 lead byte at the end is no character in either.
        let bytes = b"title\n\x81";
        assert_eq!(decode(bytes), Err(ErrorCode::UnreadableFile));
        assert_eq!(
            decode_upload(bytes),
            Err(AppError::field(ErrorCode::UnreadableFile, "file"))
        );
    }

    #[test]
    fn headers_match_in_english_any_case_or_chinese_in_any_order() {
        let p = all(" SOURCE ,备注,Title\ncustomer,n,A\n");
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(
            p.rows,
            vec![(2, ("A".into(), "n".into(), "customer".into()))]
        );
        let p = all("来源,标题\n客户,用户登录失败\n");
        assert_eq!(
            p.rows,
            vec![(2, ("用户登录失败".into(), String::new(), "客户".into()))]
        );
    }

    #[test]
    fn each_missing_required_column_is_an_error_on_the_header_row() {
        let p = all("note,other\nx,y\n");
        assert!(p.rows.is_empty());
        assert_eq!(
            p.errors,
            vec![
                error(1, "title", ErrorCode::MissingColumn),
                error(1, "source", ErrorCode::MissingColumn),
            ]
        );
        // An empty file has no header at all.
        assert_eq!(all("").errors.len(), 2);
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_ones_skipped() {
        let text = "title,source\nA,s\n , \nB\n\"C\nstill C\",s\n";
        let p = all(text);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let rows: Vec<(usize, &str, &str)> = p
            .rows
            .iter()
            .map(|(row, (t, _, s))| (*row, t.as_str(), s.as_str()))
            .collect();
        // A short row reads its missing cells as empty.
        assert_eq!(
            rows,
            vec![(2, "A", "s"), (4, "B", ""), (5, "C\nstill C", "s")]
        );
    }

    #[test]
    fn a_rules_refusal_lands_on_its_row_at_each_field() {
        let p = read("title,source\nok,s\n,\nbad,x\n", &COLUMNS, |r| {
            let mut errors = Vec::new();
            if r.cell("source") != "s" {
                errors.push(AppError::field(ErrorCode::InvalidChoice, "source"));
                errors.push(AppError::new(ErrorCode::Internal));
            }
            if errors.is_empty() {
                Ok(r.row)
            } else {
                Err(errors)
            }
        });
        assert_eq!(p.rows, vec![(2, 2)]);
        assert_eq!(
            p.errors,
            vec![
                error(4, "source", ErrorCode::InvalidChoice),
                error(4, "", ErrorCode::Internal),
            ]
        );
    }

    #[test]
    fn cells_lose_the_quote_an_export_put_before_formula_like_text() {
        let p = all("title,note,source\n'=1+1,'-3.5,'abc\n");
        assert_eq!(p.rows[0].1, ("=1+1".into(), "-3.5".into(), "'abc".into()));
    }

    #[test]
    fn an_upload_needs_a_uuid_batch_and_a_file_within_the_limit() {
        let id = "7f1d5c3e-6a43-4c2e-9f36-2f1d0c9b8a71";
        let batch = check_upload(&format!(" {id} "), b"title\n").unwrap();
        // Row ids are distinct, stable and derived from the batch.
        assert_eq!(batch.row_id(2), check_upload(id, b"").unwrap().row_id(2));
        assert_ne!(batch.row_id(2), batch.row_id(3));
        assert_eq!(batch.row_id(0), id);
        assert_eq!(
            check_upload("not-a-uuid", b""),
            Err(AppError::field(ErrorCode::InvalidChoice, "id"))
        );
        let big = vec![b'x'; crate::csv_cell::MAX_IMPORT_BYTES + 1];
        assert_eq!(
            check_upload(id, &big),
            Err(AppError::field(ErrorCode::FileTooLarge, "file"))
        );
        // The batch is checked first.
        assert_eq!(
            check_upload("x", &big),
            Err(AppError::field(ErrorCode::InvalidChoice, "id"))
        );
    }

    #[test]
    fn both_importers_report_a_bad_row_the_same_way() {
        // Row 3 of each file leaves a required cell empty.
        let today = crate::kpi::model::day_number("2026-03-01").unwrap();
        let backlog =
            crate::backlog::csv::parse("title,source\nA,customer\n,customer\n", true).preview();
        let kpi = crate::kpi::csv::parse(
            "date,kpi_code,value\n2026-02-01,DAU,1\n2026-02-01,,2\n",
            today,
        )
        .preview();
        let expected = |column: &str| ImportReport {
            valid_rows: 1,
            unchanged: 0,
            errors: vec![error(3, column, ErrorCode::Required)],
            imported: 0,
        };
        assert_eq!(backlog, expected("title"));
        assert_eq!(kpi, expected("kpi_code"));
        // And the page receives the same shape from both.
        let json = |r: &ImportReport| serde_json::to_value(r).unwrap();
        assert_eq!(
            json(&backlog),
            serde_json::json!({
                "valid_rows": 1,
                "unchanged": 0,
                "errors": [{"row": 3, "column": "title", "code": "required"}],
                "imported": 0,
            })
        );
        let mut kpi_json = json(&kpi);
        kpi_json["errors"][0]["column"] = "title".into();
        assert_eq!(kpi_json, json(&backlog));
        // A header without a required column: one error per column on row 1.
        let backlog = crate::backlog::csv::parse("title\nA\n", true).preview();
        let kpi = crate::kpi::csv::parse("date,value\n2026-02-01,1\n", today).preview();
        assert_eq!(
            backlog.errors,
            vec![error(1, "source", ErrorCode::MissingColumn)]
        );
        assert_eq!(
            kpi.errors,
            vec![error(1, "kpi_code", ErrorCode::MissingColumn)]
        );
        assert_eq!((backlog.valid_rows, kpi.valid_rows), (0, 0));
    }

    #[test]
    fn a_report_stores_on_commit_only_when_clean_or_asked_for_the_valid_rows() {
        let clean = ImportReport {
            valid_rows: 1,
            ..Default::default()
        };
        let dirty = ImportReport {
            valid_rows: 1,
            errors: vec![error(3, "title", ErrorCode::Required)],
            ..Default::default()
        };
        assert!(!clean.stores(false, false) && !clean.stores(false, true));
        assert!(clean.stores(true, false) && clean.stores(true, true));
        assert!(!dirty.stores(false, true) && !dirty.stores(true, false));
        assert!(dirty.stores(true, true));
    }
}
