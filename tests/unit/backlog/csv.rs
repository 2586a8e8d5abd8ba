//! Unit tests of `src/backlog/csv.rs`.

use keel::backlog::csv::*;
use keel::backlog::model::{RequirementDraft, Source};
use keel::csv_read::{RowError, decode};
use keel::error::ErrorCode;

#[test]
fn reads_chinese_headers_and_reports_bad_rows() {
    let text = "标题,描述,来源,提出人\n用户登录失败,手机端无法登录,客户,王芳\n,没有标题,sales,\n导出报表,,天上掉的,\n";
    let parsed = parse(text, true);
    assert_eq!(parsed.rows.len(), 1);
    assert_eq!(parsed.rows[0].0, 2);
    assert_eq!(parsed.rows[0].1.draft.title, "用户登录失败");
    assert_eq!(parsed.rows[0].1.draft.source, Some(Source::Customer));
    assert_eq!(
        parsed.errors,
        vec![
            RowError {
                row: 3,
                column: "title".into(),
                code: ErrorCode::Required
            },
            RowError {
                row: 4,
                column: "source".into(),
                code: ErrorCode::InvalidChoice
            },
        ]
    );
}

#[test]
fn a_missing_required_column_is_one_error_on_the_header() {
    let parsed = parse("title,description\nA,B\n", true);
    assert!(parsed.rows.is_empty());
    assert_eq!(
        parsed.errors,
        vec![RowError {
            row: 1,
            column: "source".into(),
            code: ErrorCode::MissingColumn
        }]
    );
}

#[test]
fn a_gb18030_file_is_read() {
    // Decoding itself is `csv_read`'s (and tested there).
    let gb = encode_gb18030_for_tests("标题,来源\n用户登录失败,客户\n");
    assert_eq!(
        parse(&decode(&gb).unwrap(), true).rows[0].1.draft.title,
        "用户登录失败"
    );
}

#[test]
fn export_then_import_is_unchanged() {
    let rows = vec![
        RequirementDraft {
            title: "用户登录失败, \"紧急\"".into(),
            description: "第一行\n第二行".into(),
            source: Some(Source::Support),
            requester: "王芳".into(),
            customer: "ACME".into(),
            segment: "企业".into(),
            links: vec![
                "https://example.com/a".into(),
                "https://example.com/b".into(),
            ],
            // Sorted, as stored labels are.
            labels: vec!["mobile".into(), "登录".into()],
        },
        RequirementDraft {
            title: "Dark mode".into(),
            source: Some(Source::InternalIdea),
            ..Default::default()
        },
    ];
    let bytes = export(&rows);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let parsed = parse(&decode(&bytes).unwrap(), true);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let back: Vec<RequirementDraft> = parsed.rows.into_iter().map(|(_, r)| r.draft).collect();
    assert_eq!(back, rows);
}

fn draft(title: &str) -> RequirementDraft {
    RequirementDraft {
        title: title.into(),
        source: Some(Source::Customer),
        ..Default::default()
    }
}

#[test]
fn formula_like_text_is_written_quoted_and_read_back_as_it_was() {
    let titles = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "@SUM(1)",
        "+1",
        "-2",
        "'=x",
    ];
    let mut rows: Vec<RequirementDraft> = titles.iter().map(|t| draft(t)).collect();
    rows[0].description = "-1 day".into();
    rows[1].requester = "=cmd|' /C calc'!A0".into();
    rows[2].customer = "@acme".into();
    rows[3].segment = "+big".into();
    rows[4].labels = vec!["-x".into(), "y".into()];
    let bytes = export(&rows);
    let text = decode(&bytes).unwrap();
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.unwrap();
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?} in {record:?}"
            );
        }
    }
    assert!(text.contains("'=HYPERLINK"));
    assert!(text.contains("'@SUM(1)"));
    assert!(text.contains("\n'+1,"));
    assert!(text.contains("\n'-2,"));
    assert!(text.contains("''=x"));
    let parsed = parse(&text, true);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let back: Vec<RequirementDraft> = parsed.rows.into_iter().map(|(_, r)| r.draft).collect();
    assert_eq!(back, rows);
}

#[test]
fn rows_are_checked_as_the_form_checks_them() {
    let long_label = "x".repeat(41);
    let many: Vec<String> = (0..21).map(|i| format!("l{i}")).collect();
    let text = format!(
        "title,source,links,labels\n\
         ok,customer,https://example.com/a,\n\
         bad link,customer,javascript:alert(1),\n\
         second link bad,customer,https://a.example;ftp://b.example,\n\
         long label,customer,,{long_label}\n\
         many labels,customer,,{}\n\
         labelled,customer,,a;b\n",
        many.join(";")
    );
    let parsed = parse(&text, false);
    let errors: Vec<(usize, &str, ErrorCode)> = parsed
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code))
        .collect();
    assert_eq!(
        errors,
        vec![
            (3, "links", ErrorCode::InvalidLink),
            (4, "links", ErrorCode::InvalidLink),
            (5, "labels", ErrorCode::TooLong),
            (6, "labels", ErrorCode::TooLong),
            (7, "labels", ErrorCode::Forbidden),
        ]
    );
    assert_eq!(parsed.rows.len(), 1);
    assert_eq!(parsed.rows[0].1.draft.links, vec!["https://example.com/a"]);
    // Someone who may label gets the labels, sorted and without repeats.
    let parsed = parse("title,source,labels\nlabelled,customer,b;a;b\n", true);
    assert_eq!(parsed.rows[0].1.draft.labels, vec!["a", "b"]);
}
