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
