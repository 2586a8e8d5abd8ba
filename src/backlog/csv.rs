//! CSV import and export of requirements. Column names are fixed, in English
//! or Chinese; files are read as UTF-8 (with or without BOM) or GB18030 (what
//! spreadsheet programs on Chinese Windows write) and written as UTF-8 with a
//! BOM, so that an exported file imports again unchanged.
use serde::{Deserialize, Serialize};

use super::model::{RequirementDraft, RowError, Source};
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

fn split_list(s: &str) -> Vec<String> {
    s.split(['\n', ';', '；'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
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

/// Parses a decoded file. A file whose header lacks a required column gets one
/// error on row 1.
pub fn parse(text: &str) -> ParsedFile {
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
        let cell = |key: &str| {
            index
                .get(key)
                .and_then(|i| record.get(*i))
                .unwrap_or("")
                .to_string()
        };
        let mut errors = Vec::new();
        let mut check = |key: &str, max: usize, required: bool| {
            let v = cell(key);
            let t = v.trim();
            if required && t.is_empty() {
                errors.push(RowError {
                    row,
                    column: key.to_string(),
                    code: ErrorCode::Required,
                });
            } else if t.chars().count() > max {
                errors.push(RowError {
                    row,
                    column: key.to_string(),
                    code: ErrorCode::TooLong,
                });
            }
            t.to_string()
        };
        let title = check("title", crate::people::NAME_MAX, true);
        let description = check("description", crate::people::TEXT_MAX, false);
        let requester = check("requester", crate::people::NAME_MAX, false);
        let customer = check("customer", crate::people::NAME_MAX, false);
        let segment = check("segment", crate::people::NAME_MAX, false);
        let links = split_list(&cell("links"));
        let labels = split_list(&cell("labels"));
        let source_raw = cell("source");
        let source = Source::parse_any(source_raw.trim());
        if source.is_none() {
            errors.push(RowError {
                row,
                column: "source".into(),
                code: if source_raw.trim().is_empty() {
                    ErrorCode::Required
                } else {
                    ErrorCode::InvalidChoice
                },
            });
        }
        if errors.is_empty() {
            out.rows.push((
                row,
                RequirementDraft {
                    title,
                    description,
                    source,
                    requester,
                    customer,
                    segment,
                    links,
                    labels,
                },
            ));
        } else {
            out.errors.extend(errors);
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

    pub fn push(&mut self, r: &RequirementDraft) {
        let _ = self.w.write_record([
            r.title.as_str(),
            r.description.as_str(),
            r.source.map(Source::as_str).unwrap_or(""),
            r.requester.as_str(),
            r.customer.as_str(),
            r.segment.as_str(),
            &r.links.join("\n"),
            &r.labels.join("; "),
        ]);
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
        let parsed = parse(text);
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
        let parsed = parse("title,description\nA,B\n");
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
        assert_eq!(parse(&decode(&gb).unwrap()).rows[0].1.title, "用户登录失败");
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
                labels: vec!["登录".into(), "mobile".into()],
            },
            RequirementDraft {
                title: "Dark mode".into(),
                source: Some(Source::InternalIdea),
                ..Default::default()
            },
        ];
        let bytes = export(&rows);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let parsed = parse(&decode(&bytes).unwrap());
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let back: Vec<RequirementDraft> = parsed.rows.into_iter().map(|(_, r)| r).collect();
        assert_eq!(back, rows);
    }
}
