//! Unit tests of `src/kpi/csv.rs`.

use keel::kpi::csv::*;
use keel::kpi::model::{CheckInFields, day_number};

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
    let text = keel::csv_read::decode(&bytes).unwrap();
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
    let text = keel::csv_read::decode(&bytes).unwrap();
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
