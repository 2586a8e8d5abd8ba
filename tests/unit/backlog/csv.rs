//! Unit tests of `src/backlog/csv.rs`.

use keel::backlog::csv::*;
use keel::backlog::model::{RequirementDraft, Source};
use keel::csv_read::{RowError, RowKind, decode};
use keel::error::{AppError, ErrorCode};

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

#[test]
fn an_export_has_the_backlogs_columns_after_the_intake_fields_in_either_language() {
    let en: Vec<&str> = COLUMNS.iter().map(|c| c.en).collect();
    assert_eq!(
        en,
        [
            "title",
            "description",
            "source",
            "requester",
            "customer",
            "segment",
            "links",
            "labels",
            "id",
            "version",
            "status",
            "score",
            "owner",
            "votes",
            "rank"
        ]
    );
    assert_eq!(COLUMNS[INTAKE_COLUMNS].key, "id");
    let draft = draft("=A1");
    let row = ExportRow {
        draft: &draft,
        id: "r-1",
        version: Some(3),
        status: "新提交",
        score: Some(12.3456),
        owner: "pm4@example.com",
        votes: Some(2),
        rank: Some(1),
    };
    let mut w = ExportWriter::new(true);
    w.push(&row);
    let text = decode(&w.finish()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "标题,描述,来源,提出人,客户,细分市场,链接,标签,编号,版本,状态,得分,负责人,票数,排名"
    );
    assert_eq!(
        lines.next().unwrap(),
        "'=A1,,customer,,,,,,r-1,3,新提交,12.35,pm4@example.com,2,1"
    );
    // It reads back with its id, version and owner.
    let parsed = parse(&text, true);
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    let back = &parsed.rows[0].1;
    assert_eq!(back.draft, draft);
    assert_eq!(back.id.as_deref(), Some("r-1"));
    assert_eq!(back.version, Some(3));
    assert_eq!(back.owner.as_deref(), Some("pm4@example.com"));
    assert!(back.has_labels);
}

#[test]
fn a_file_without_owner_or_labels_columns_says_so_and_blank_ids_are_none() {
    let parsed = parse(
        "title,source,id,version\nA,customer,,\nB,customer, r-2 ,x\n",
        true,
    );
    let a = &parsed.rows[0].1;
    assert_eq!((a.id.as_deref(), a.version), (None, None));
    assert_eq!(a.owner, None);
    assert!(!a.has_labels);
    let b = &parsed.rows[1].1;
    assert_eq!((b.id.as_deref(), b.version), (Some("r-2"), None));
    // An owner cell is read as an email in lower case.
    let parsed = parse("title,source,owner\nA,customer, PM4@Example.com \n", true);
    assert_eq!(parsed.rows[0].1.owner.as_deref(), Some("pm4@example.com"));
}

fn stored() -> Stored {
    Stored {
        version: 4,
        draft: RequirementDraft {
            labels: vec!["mobile".into()],
            ..draft("A")
        },
        owner_id: Some("u-4".into()),
        owner_email: Some("pm4@example.com".into()),
    }
}

fn row(title: &str) -> ImportRow {
    ImportRow {
        draft: RequirementDraft {
            labels: vec!["mobile".into()],
            ..draft(title)
        },
        id: Some("r-1".into()),
        version: Some(4),
        owner: Some("pm4@example.com".into()),
        has_labels: true,
    }
}

#[test]
fn a_row_is_new_when_its_id_names_no_requirement_of_the_backlog() {
    assert_eq!(plan(&row("A"), None), Ok((RowKind::New, None)));
    let no_id = ImportRow {
        id: None,
        ..row("A")
    };
    assert_eq!(plan(&no_id, None), Ok((RowKind::New, None)));
}

#[test]
fn a_row_of_the_current_version_updates_or_is_unchanged() {
    let s = stored();
    assert_eq!(plan(&row("A"), Some(&s)), Ok((RowKind::Unchanged, None)));
    let (kind, change) = plan(&row("A2"), Some(&s)).unwrap();
    assert_eq!(kind, RowKind::Update);
    let change = change.unwrap();
    assert_eq!(change.draft.title, "A2");
    assert!(!change.labels);
    assert_eq!(change.owner, None);
    // Labels and owner: changed, cleared, or kept when the file lacks the column.
    let mut r = row("A");
    r.draft.labels = vec![];
    r.owner = Some(String::new());
    let change = plan(&r, Some(&s)).unwrap().1.unwrap();
    assert!(change.labels);
    assert_eq!(change.owner, Some(None));
    let mut r = row("A");
    r.draft.labels = vec![];
    r.has_labels = false;
    r.owner = None;
    assert_eq!(plan(&r, Some(&s)), Ok((RowKind::Unchanged, None)));
    let mut r = row("A");
    r.owner = Some("pm5@example.com".into());
    let change = plan(&r, Some(&s)).unwrap().1.unwrap();
    assert_eq!(change.owner, Some(Some("pm5@example.com".into())));
    assert_eq!(change.draft.labels, vec!["mobile"]);
}

#[test]
fn a_row_of_another_version_is_refused() {
    let s = stored();
    let mut r = row("A2");
    r.version = Some(3);
    assert_eq!(
        plan(&r, Some(&s)),
        Err(AppError::field(ErrorCode::ChangedSinceExport, "version"))
    );
    r.version = None;
    assert_eq!(
        plan(&r, Some(&s)),
        Err(AppError::field(ErrorCode::Required, "version"))
    );
}
