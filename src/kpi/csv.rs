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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kpi::model::day_number;

    /// A parsed row as the export row it came from.
    fn parsed_back((code, f): (String, CheckInFields)) -> ExportRow {
        ExportRow {
            code,
            day: f.day,
            value: f.value,
            confidence: f.confidence,
            note: f.note,
        }
    }

    #[test]
    fn chinese_headers_and_per_row_errors() {
        let today = day_number("2026-03-01").unwrap();
        let text = "日期,指标代码,数值,信心,备注\n2026-02-01,dau,1200,80,好\n2026-02-08,DAU,abc,80,\n2026-04-01,DAU,1,,\n";
        let p = parse(text, today);
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].1.0, "DAU");
        assert_eq!(p.errors.len(), 2);
        assert_eq!((p.errors[0].row, p.errors[0].column.as_str()), (3, "value"));
        assert_eq!((p.errors[1].row, p.errors[1].column.as_str()), (4, "date"));
    }

    #[test]
    fn an_export_parses_back_to_the_same_rows() {
        let today = day_number("2026-03-01").unwrap();
        let rows = vec![
            ExportRow {
                code: "DAU".to_string(),
                day: "2026-02-01".to_string(),
                value: 1200.5,
                confidence: 80,
                note: "含, 逗号 \"引号\"".to_string(),
            },
            ExportRow {
                code: "NPS".to_string(),
                day: "2026-02-02".to_string(),
                value: -3.0,
                confidence: 0,
                note: String::new(),
            },
        ];
        let bytes = export(&rows);
        let text = crate::csv_read::decode(&bytes).unwrap();
        let p = parse(&text, today);
        assert!(p.errors.is_empty());
        let back: Vec<_> = p.rows.into_iter().map(|(_, r)| parsed_back(r)).collect();
        assert_eq!(back, rows);
    }

    #[test]
    fn formula_like_notes_are_quoted_and_negative_values_are_not() {
        let today = day_number("2026-03-01").unwrap();
        let rows: Vec<ExportRow> = [
            (-3.5, "=HYPERLINK(\"http://x\",\"y\")"),
            (-2.0, "@SUM(1)"),
            (1.0, "+1"),
            (0.5, "-2"),
            (2.0, "'-quoted"),
        ]
        .iter()
        .map(|(v, note)| ExportRow {
            code: "NPS".to_string(),
            day: "2026-02-01".to_string(),
            value: *v,
            confidence: 50,
            note: note.to_string(),
        })
        .collect();
        let bytes = export(&rows);
        let text = crate::csv_read::decode(&bytes).unwrap();
        assert!(text.contains(",-3.5,50,\"'=HYPERLINK("), "{text}");
        assert!(text.contains(",-2,50,'@SUM(1)\n"), "{text}");
        assert!(text.contains(",1,50,'+1\n"), "{text}");
        assert!(text.contains(",0.5,50,'-2\n"), "{text}");
        assert!(text.contains(",2,50,''-quoted\n"), "{text}");
        let p = parse(&text, today);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let back: Vec<_> = p.rows.into_iter().map(|(_, r)| parsed_back(r)).collect();
        assert_eq!(back, rows);
        // A value some tool wrote with a quote still reads as the number.
        let p = parse("date,kpi_code,value\n2026-02-01,NPS,'-3.5\n", today);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        assert_eq!(p.rows[0].1.1.value, -3.5);
    }
}
