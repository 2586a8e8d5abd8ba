//! Unit tests of `src/csv_read.rs`.

use keel::csv_read::*;
use keel::error::{AppError, ErrorCode};

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
    let big = vec![b'x'; keel::csv_cell::MAX_IMPORT_BYTES + 1];
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
    let today = keel::kpi::model::day_number("2026-03-01").unwrap();
    let backlog =
        keel::backlog::csv::parse("title,source\nA,customer\n,customer\n", true).preview();
    let kpi = keel::kpi::csv::parse(
        "date,kpi_code,value\n2026-02-01,DAU,1\n2026-02-01,,2\n",
        today,
    )
    .preview();
    let expected = |column: &str| ImportReport {
        valid_rows: 1,
        unchanged: 0,
        errors: vec![error(3, column, ErrorCode::Required)],
        imported: 0,
        rows: Vec::new(),
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
    let backlog = keel::backlog::csv::parse("title\nA\n", true).preview();
    let kpi = keel::kpi::csv::parse("date,value\n2026-02-01,1\n", today).preview();
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
