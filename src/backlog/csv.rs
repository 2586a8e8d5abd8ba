//! CSV import and export of requirements: the column table and the rule for
//! one row. Reading (UTF-8 with or without BOM, or GB18030; English or
//! Chinese headers; row numbers and row errors) is `crate::csv_read`'s;
//! files are written as UTF-8 with a BOM, so that an exported file imports
//! again unchanged.
//!
//! An export carries, after the intake fields, what a backlog knows of each
//! requirement: its id and version, state, score, owner (by email), votes
//! and rank. On import the id and version make a row an update of that
//! requirement when it belongs to the backlog imported into (and the
//! version is still the current one); state, score, votes and rank are
//! read-only and ignored.
use super::model::{RequirementDraft, RequirementFields, Source, parse_requirement};
use crate::csv_read::{Column, Parsed, RowKind};
use crate::error::{AppError, ErrorCode};

/// GB18030 bytes of a text (for the API tests, which name it here).
pub use crate::csv_read::encode_gb18030_for_tests;

/// The columns, in the order an export writes them: the intake fields (the
/// first [`INTAKE_COLUMNS`], which an import reads), then what the backlog
/// knows of the requirement (id and version, which make a row an update,
/// owner, which an update sets, and the read-only rest).
pub const COLUMNS: [Column; 15] = [
    Column::required("title", "title", "标题"),
    Column::optional("description", "description", "描述"),
    Column::required("source", "source", "来源"),
    Column::optional("requester", "requester", "提出人"),
    Column::optional("customer", "customer", "客户"),
    Column::optional("segment", "segment", "细分市场"),
    Column::optional("links", "links", "链接"),
    Column::optional("labels", "labels", "标签"),
    Column::optional("id", "id", "编号"),
    Column::optional("version", "version", "版本"),
    Column::optional("status", "status", "状态"),
    Column::optional("score", "score", "得分"),
    Column::optional("owner", "owner", "负责人"),
    Column::optional("votes", "votes", "票数"),
    Column::optional("rank", "rank", "排名"),
];

/// How many of [`COLUMNS`] are the intake fields.
pub const INTAKE_COLUMNS: usize = 8;

/// The separator of labels in a cell as an export writes it.
pub const LABEL_SEPARATOR: &str = "; ";

/// One accepted row of a file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportRow {
    /// The intake fields (and labels), checked as the submit form checks them.
    pub draft: RequirementDraft,
    /// The id cell, trimmed, when not empty.
    pub id: Option<String>,
    /// The version cell as a number, when it is one.
    pub version: Option<i64>,
    /// The owner cell (an email, trimmed; empty: nobody), when the file has
    /// an owner column.
    pub owner: Option<String>,
    /// Whether the file has a labels column (an update then sets the labels
    /// to the row's; without one it keeps them).
    pub has_labels: bool,
}

/// Parses a decoded file; every row is checked as the submit form checks a
/// requirement (`model::parse_requirement`), labels only allowed when
/// `may_label`. Cells are read through `csv_cell::restore`, so an exported
/// file (formula-like text written with a leading `'`) imports unchanged.
/// The id, version and owner cells are kept for [`plan`]; the state, score,
/// votes and rank cells are not read.
pub fn parse(text: &str, may_label: bool) -> Parsed<ImportRow> {
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
        let draft = parse_requirement(&fields, may_label)?;
        let id = Some(r.cell("id").trim())
            .filter(|s| !s.is_empty())
            .map(str::to_string);
        let version = r.cell("version").trim().parse::<i64>().ok();
        let owner = r
            .has("owner")
            .then(|| r.cell("owner").trim().to_lowercase());
        Ok(ImportRow {
            draft,
            id,
            version,
            owner,
            has_labels: r.has("labels"),
        })
    })
}

/// A requirement of the backlog imported into, as stored, that a row's id
/// names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Stored {
    pub version: i64,
    /// Its intake fields and labels (sorted).
    pub draft: RequirementDraft,
    pub owner_id: Option<String>,
    /// Its owner's email, lower-cased.
    pub owner_email: Option<String>,
}

/// What a row asks of a stored requirement, once [`plan`] accepted it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The intake fields and labels it will have.
    pub draft: RequirementDraft,
    /// Whether the labels change.
    pub labels: bool,
    /// The owner's email it will have (`None`: nobody), when the owner
    /// changes.
    pub owner: Option<Option<String>>,
}

/// What an import does with an accepted row, given the requirement of the
/// backlog its id names (`None`: no id, or the id of no requirement of this
/// backlog; then the row is a new requirement, so that a file exported from
/// one backlog imports into another as new).
///
/// - A row for a stored requirement needs the version it was exported at:
///   none is `required` at `version`, another than the current one is
///   `changed_since_export` (someone changed it since: export again).
/// - Otherwise it is an update of the intake fields, of the labels when the
///   file has a labels column, of the owner when it has an owner column;
///   or `Unchanged` when that changes nothing.
pub fn plan(
    row: &ImportRow,
    stored: Option<&Stored>,
) -> Result<(RowKind, Option<Change>), AppError> {
    let Some(stored) = stored else {
        return Ok((RowKind::New, None));
    };
    let Some(version) = row.version else {
        return Err(AppError::field(ErrorCode::Required, "version"));
    };
    if version != stored.version {
        return Err(AppError::field(ErrorCode::ChangedSinceExport, "version"));
    }
    let mut draft = row.draft.clone();
    if !row.has_labels {
        draft.labels = stored.draft.labels.clone();
    }
    let labels = draft.labels != stored.draft.labels;
    let owner = row
        .owner
        .as_ref()
        .map(|o| Some(o.clone()).filter(|o| !o.is_empty()))
        .filter(|o| o.as_deref() != stored.owner_email.as_deref());
    let fields = super::model::field_changes(&stored.draft, &draft).0;
    if fields.is_empty() && !labels && owner.is_none() {
        return Ok((RowKind::Unchanged, None));
    }
    Ok((
        RowKind::Update,
        Some(Change {
            draft,
            labels,
            owner,
        }),
    ))
}

/// Writes requirements in the given order as UTF-8 with a BOM, English
/// headers, with only their intake fields (the other cells empty).
pub fn export(rows: &[RequirementDraft]) -> Vec<u8> {
    let mut w = ExportWriter::new(false);
    for r in rows {
        w.push(&ExportRow::intake(r));
    }
    w.finish()
}

/// One requirement as an export writes it.
#[derive(Debug, Clone, Copy)]
pub struct ExportRow<'a> {
    pub draft: &'a RequirementDraft,
    /// Empty for a file of intake fields only.
    pub id: &'a str,
    pub version: Option<i64>,
    /// The state as the viewer reads it.
    pub status: &'a str,
    /// The score under the backlog's framework, as the page shows it
    /// (rounded to two decimals); `None`: not scored.
    pub score: Option<f64>,
    /// The owner's email (empty: nobody).
    pub owner: &'a str,
    pub votes: Option<i64>,
    /// The 1-based place in the ranked list.
    pub rank: Option<usize>,
}

impl<'a> ExportRow<'a> {
    /// A row of intake fields only (the other cells empty).
    pub fn intake(draft: &'a RequirementDraft) -> ExportRow<'a> {
        ExportRow {
            draft,
            id: "",
            version: None,
            status: "",
            score: None,
            owner: "",
            votes: None,
            rank: None,
        }
    }
}

/// Writes an export one row at a time, so that a large backlog is never
/// held as rows and text at once.
pub struct ExportWriter {
    w: ::csv::Writer<Vec<u8>>,
}

impl ExportWriter {
    /// A file whose headers are English, or Chinese (`zh`): the viewer's
    /// language. Either imports.
    pub fn new(zh: bool) -> ExportWriter {
        let mut w = ::csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
        let _ = w.write_record(COLUMNS.iter().map(|c| if zh { c.zh } else { c.en }));
        ExportWriter { w }
    }

    /// Every cell goes through `csv_cell::neutralise` (the numbers too: they
    /// never start like a formula, so they stay as they are).
    pub fn push(&mut self, r: &ExportRow<'_>) {
        let d = r.draft;
        let num = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let cells = [
            d.title.as_str(),
            d.description.as_str(),
            d.source.map(Source::as_str).unwrap_or(""),
            d.requester.as_str(),
            d.customer.as_str(),
            d.segment.as_str(),
            &d.links.join("\n"),
            &d.labels.join(LABEL_SEPARATOR),
            r.id,
            &num(r.version),
            r.status,
            &r.score
                .map(|s| super::model::round2(s).to_string())
                .unwrap_or_default(),
            r.owner,
            &num(r.votes),
            &num(r.rank.map(|n| n as i64)),
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
