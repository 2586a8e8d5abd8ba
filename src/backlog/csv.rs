//! CSV import and export of requirements: the column table and the rule for
//! one row. Reading (UTF-8 with or without BOM, or GB18030; English or
//! Chinese headers; row numbers and row errors) is `crate::csv_read`'s;
//! files are written as UTF-8 with a BOM, so that an exported file imports
//! again unchanged.
use super::model::{RequirementDraft, RequirementFields, Source, parse_requirement};
use crate::csv_read::{Column, Parsed};

/// GB18030 bytes of a text (for the API tests, which name it here).
pub use crate::csv_read::encode_gb18030_for_tests;

/// The columns, in the order an export writes them.
pub const COLUMNS: [Column; 8] = [
    Column::required("title", "title", "标题"),
    Column::optional("description", "description", "描述"),
    Column::required("source", "source", "来源"),
    Column::optional("requester", "requester", "提出人"),
    Column::optional("customer", "customer", "客户"),
    Column::optional("segment", "segment", "细分市场"),
    Column::optional("links", "links", "链接"),
    Column::optional("labels", "labels", "标签"),
];

/// Parses a decoded file; every row is checked as the submit form checks a
/// requirement (`model::parse_requirement`), labels only allowed when
/// `may_label`. Cells are read through `csv_cell::restore`, so an exported
/// file (formula-like text written with a leading `'`) imports unchanged.
pub fn parse(text: &str, may_label: bool) -> Parsed<RequirementDraft> {
    crate::csv_read::read(text, &COLUMNS, |r| {
        let fields = RequirementFields {
            title: r.cell("title"),
            description: r.cell("description"),
            source: r.cell("source"),
            requester: r.cell("requester"),
            customer: r.cell("customer"),
            segment: r.cell("segment"),
            links: r.cell("links"),
            labels: r.cell("labels"),
        };
        parse_requirement(&fields, may_label)
    })
}

/// Writes requirements in the given order as UTF-8 with a BOM, English headers.
pub fn export(rows: &[RequirementDraft]) -> Vec<u8> {
    let mut w = ExportWriter::new();
    for r in rows {
        w.push(r);
    }
    w.finish()
}

/// Writes an export one row at a time, so that a large backlog is never
/// held as rows and text at once.
pub struct ExportWriter {
    w: ::csv::Writer<Vec<u8>>,
}

impl Default for ExportWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl ExportWriter {
    pub fn new() -> ExportWriter {
        let mut w = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        let _ = w.write_record(COLUMNS.iter().map(|c| c.en));
        ExportWriter { w }
    }

    /// Every column is text, so every cell goes through `csv_cell::neutralise`.
    pub fn push(&mut self, r: &RequirementDraft) {
        let cells = [
            r.title.as_str(),
            r.description.as_str(),
            r.source.map(Source::as_str).unwrap_or(""),
            r.requester.as_str(),
            r.customer.as_str(),
            r.segment.as_str(),
            &r.links.join("\n"),
            &r.labels.join("; "),
        ];
        for c in cells {
            let _ = self
                .w
                .write_field(crate::csv_cell::neutralise(c).as_bytes());
        }
        let _ = self.w.write_record(None::<&[u8]>);
    }

    pub fn finish(self) -> Vec<u8> {
        self.w.into_inner().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_read::{RowError, decode};
    use crate::error::ErrorCode;

    #[test]
    fn reads_chinese_headers_and_reports_bad_rows() {
        let text = "标题,描述,来源,提出人\n用户登录失败,手机端无法登录,客户,王芳\n,没有标题,sales,\n导出报表,,天上掉的,\n";
        let parsed = parse(text, true);
        assert_eq!(parsed.rows.len(), 1);
        assert_eq!(parsed.rows[0].0, 2);
        assert_eq!(parsed.rows[0].1.title, "用户登录失败");
        assert_eq!(parsed.rows[0].1.source, Some(Source::Customer));
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
            parse(&decode(&gb).unwrap(), true).rows[0].1.title,
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
        let back: Vec<RequirementDraft> = parsed.rows.into_iter().map(|(_, r)| r).collect();
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
        let back: Vec<RequirementDraft> = parsed.rows.into_iter().map(|(_, r)| r).collect();
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
        assert_eq!(parsed.rows[0].1.links, vec!["https://example.com/a"]);
        // Someone who may label gets the labels, sorted and without repeats.
        let parsed = parse("title,source,labels\nlabelled,customer,b;a;b\n", true);
        assert_eq!(parsed.rows[0].1.labels, vec!["a", "b"]);
    }
}
