//! CSV import and export of requirements. Column names are fixed, in English
//! or Chinese; files are read as UTF-8 (with or without BOM) or GB18030 (what
//! spreadsheet programs on Chinese Windows write) and written as UTF-8 with a
//! BOM, so that an exported file imports again unchanged.
use serde::{Deserialize, Serialize};

use super::model::{RequirementDraft, RequirementFields, RowError, Source, parse_requirement};
use crate::error::ErrorCode;

/// The columns: (key, English header, Chinese header, required).
pub const COLUMNS: [(&str, &str, &str, bool); 8] = [
    ("title", "title", "标题", true),
    ("description", "description", "描述", false),
    ("source", "source", "来源", true),
    ("requester", "requester", "提出人", false),
    ("customer", "customer", "客户", false),
    ("segment", "segment", "细分市场", false),
    ("links", "links", "链接", false),
    ("labels", "labels", "标签", false),
];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ParsedFile {
    /// Valid rows with their row numbers.
    pub rows: Vec<(usize, RequirementDraft)>,
    pub errors: Vec<RowError>,
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

/// A CSV reader past its header row, with the column of each known key
/// (headers in English, any case, or Chinese). A header that cannot be read or
/// lacks a required column gives errors on row 1. Shared by every CSV import.
pub fn open<'a>(
    text: &'a str,
    columns: &[(&'static str, &str, &str, bool)],
) -> Result<
    (
        ::csv::Reader<&'a [u8]>,
        std::collections::BTreeMap<&'static str, usize>,
    ),
    Vec<RowError>,
> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let Ok(headers) = reader.headers().cloned() else {
        return Err(vec![RowError {
            row: 1,
            column: String::new(),
            code: ErrorCode::UnreadableFile,
        }]);
    };
    let mut index = std::collections::BTreeMap::new();
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim();
        if let Some((key, ..)) = columns
            .iter()
            .find(|(_, en, zh, _)| h.eq_ignore_ascii_case(en) || h == *zh)
        {
            index.insert(*key, i);
        }
    }
    let missing: Vec<RowError> = columns
        .iter()
        .filter(|(key, _, _, required)| *required && !index.contains_key(key))
        .map(|(key, ..)| RowError {
            row: 1,
            column: key.to_string(),
            code: ErrorCode::MissingColumn,
        })
        .collect();
    if missing.is_empty() {
        Ok((reader, index))
    } else {
        Err(missing)
    }
}

/// A row's cell under a column `open` found (empty when the file lacks the
/// column or the row is short), through `csv_cell::restore`: text cells lose
/// the `'` the export put before formula-like text, and a number a
/// spreadsheet tool quoted ("'-3.5") reads as the number.
pub fn cell<'a>(
    index: &std::collections::BTreeMap<&str, usize>,
    record: &'a ::csv::StringRecord,
    key: &str,
) -> &'a str {
    index
        .get(key)
        .and_then(|i| record.get(*i))
        .map(crate::csv_cell::restore)
        .unwrap_or("")
}

/// Parses a decoded file; every row is checked as the submit form checks a
/// requirement (`model::parse_requirement`), labels only allowed when
/// `may_label`. A file whose header lacks a required column gets one error on
/// row 1. Cells are read through `csv_cell::restore`, so an exported file
/// (formula-like text written with a leading `'`) imports unchanged.
pub fn parse(text: &str, may_label: bool) -> ParsedFile {
    let mut out = ParsedFile::default();
    let (mut reader, index) = match open(text, &COLUMNS) {
        Ok(opened) => opened,
        Err(errors) => {
            out.errors = errors;
            return out;
        }
    };
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                out.errors.push(RowError {
                    row,
                    column: String::new(),
                    code: ErrorCode::UnreadableFile,
                });
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |key: &str| cell(&index, &record, key);
        let fields = RequirementFields {
            title: cell("title"),
            description: cell("description"),
            source: cell("source"),
            requester: cell("requester"),
            customer: cell("customer"),
            segment: cell("segment"),
            links: cell("links"),
            labels: cell("labels"),
        };
        match parse_requirement(&fields, may_label) {
            Ok(draft) => out.rows.push((row, draft)),
            Err(errors) => out.errors.extend(errors.into_iter().map(|e| RowError {
                row,
                column: e.field.unwrap_or_default(),
                code: e.code,
            })),
        }
    }
    out
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
        let _ = w.write_record(COLUMNS.iter().map(|c| c.1));
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

/// GB18030 bytes of a text, as a spreadsheet program on Chinese Windows writes it
/// (used by tests outside this crate, which cannot reach encoding_rs).
pub fn encode_gb18030_for_tests(text: &str) -> Vec<u8> {
    encoding_rs::GB18030.encode(text).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn gb18030_and_bom_are_read() {
        let text = "标题,来源\n用户登录失败,客户\n";
        let (gb, _, _) = encoding_rs::GB18030.encode(text);
        assert_eq!(decode(&gb).unwrap(), text);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom).unwrap(), text);
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
