//! CSV of check-ins: date, KPI code, value, confidence, note. The column
//! table and the rule for one row; reading (encodings, English or Chinese
//! headers, row numbers and row errors) is `crate::csv_read`'s. An exported
//! file (UTF-8 with BOM) imports again unchanged.
use super::model::{CheckInFields, check_checkin};
use crate::csv_read::{Column, Parsed};
use crate::error::{AppError, ErrorCode};

/// The columns, in the order an export writes them.
pub const COLUMNS: [Column; 5] = [
    Column::required("date", "date", "日期"),
    Column::required("kpi_code", "kpi_code", "指标代码"),
    Column::required("value", "value", "数值"),
    Column::optional("confidence", "confidence", "信心"),
    Column::optional("note", "note", "备注"),
];

/// Parses a decoded file; every cell is checked as the check-in form checks
/// it. A row is (KPI code, upper-cased; checked fields); a row without a
/// code or a date is refused at that column, and the form's `day` field is
/// the file's `date` column.
pub fn parse(text: &str, today: i64) -> Parsed<(String, CheckInFields)> {
    crate::csv_read::read(text, &COLUMNS, |r| {
        let code = r.cell("kpi_code").trim().to_uppercase();
        if code.is_empty() {
            return Err(vec![AppError::field(ErrorCode::Required, "kpi_code")]);
        }
        if r.cell("date").trim().is_empty() {
            return Err(vec![AppError::field(ErrorCode::Required, "date")]);
        }
        check_checkin(
            r.cell("date"),
            r.cell("value"),
            r.cell("confidence"),
            r.cell("note"),
            today,
        )
        .map(|f| (code, f))
        .map_err(|mut e| {
            if e.field.as_deref() == Some("day") {
                e.field = Some("date".into());
            }
            vec![e]
        })
    })
}

/// What makes two check-ins of one KPI the same row.
pub fn row_key(day: &str, value: f64, confidence: i64, note: &str) -> String {
    format!("{day}\u{1f}{value}\u{1f}{confidence}\u{1f}{note}")
}

/// One effective check-in as an export writes it (one line of the file).
#[derive(Debug, Clone, PartialEq)]
pub struct ExportRow {
    /// The KPI's code.
    pub code: String,
    pub day: String,
    pub value: f64,
    pub confidence: i64,
    pub note: String,
}

/// Writes rows as UTF-8 CSV with a BOM.
/// Text cells (date, code, note) go through `csv_cell::neutralise`; the value
/// and the confidence are numbers and are written as they are (`-3.5`).
pub fn export(rows: &[ExportRow]) -> Vec<u8> {
    use crate::csv_cell::neutralise;
    let mut w = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(COLUMNS.iter().map(|c| c.en));
    for r in rows {
        let _ = w.write_record([
            neutralise(&r.day).as_bytes(),
            neutralise(&r.code).as_bytes(),
            r.value.to_string().as_bytes(),
            r.confidence.to_string().as_bytes(),
            neutralise(&r.note).as_bytes(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}
