//! Validation: turn one ingested file into a unit's task reports, checked against the
//! registry, with every diagnostic (contract §2–§5). No I/O, no clock: same input, same output.

pub mod checked;
pub mod header;
pub mod identify;
pub mod period;
pub mod report;
pub mod rules;
pub mod spreadsheet;
pub mod table;
pub mod values;

use crate::config::{Config, Round};
use crate::diag::Diagnostic;
use crate::ingest::{Content, FileKind, Grid, Ingested};
use crate::registry::Registry;
use crate::vocab::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use checked::{check_loaded, ingest_and_validate, CheckedFile};

/// Compiles a regular expression written in the source (a literal, so failure is a bug in
/// roundup, never in the input).
pub(crate) fn regex(pattern: &str) -> regex::Regex {
    regex::Regex::new(pattern).unwrap_or_else(|e| panic!("static regex: {e}"))
}

/// What validation needs to know about the round being consolidated.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The task registry.
    pub registry: &'a Registry,
    /// The configuration (vocabularies, aliases, limits).
    pub config: &'a Config,
    /// The round being consolidated.
    pub round: &'a Round,
}

/// One unit's report on one task, from one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct TaskReport {
    /// Task id.
    pub task: u32,
    /// Reporting unit (registry name).
    pub unit: String,
    /// Canonical status, when given and valid.
    pub status: Option<Status>,
    /// Percent complete 0–100, when given and valid.
    pub percent: Option<f64>,
    /// 本期工作进展
    pub progress: String,
    /// 项目落地情况
    pub projects: String,
    /// 案例报送
    pub cases: String,
    /// 存在问题
    pub problems: String,
    /// 下步计划
    pub next_steps: String,
    /// 政策诉求
    pub policy: String,
    /// 备注
    pub remarks: String,
    /// The Word report's narrative for this task, when the unit sent one.
    pub narrative: Option<String>,
    /// The file the row came from (relative to the inbox).
    pub file: String,
    /// Where the row is: its status cell (`进展情况!D7`, `表2!R3C4`), else its first cell,
    /// or the narrative's paragraph (`第12段`); never a bare row.
    pub location: Option<String>,
    /// Where each value was read (provenance, contract §7).
    #[serde(default)]
    pub cells: Cells,
    /// True when the unit does not lead the task (`not-lead-unit`): kept, but it does not set
    /// the task's status.
    pub supplementary: bool,
}

/// Where a report's values were read: a cell (`进展情况!D7`), a Word table cell
/// (`表2!R3C4`) or a paragraph (`第12段`); `None` when the value was not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Cells {
    /// The status cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// The percent cell.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent: Option<String>,
    /// The progress cell, or the narrative's first paragraph.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<String>,
}

/// A typical case (典型案例) from a Word report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Case {
    /// The case's title line.
    pub title: String,
    /// The case's text.
    pub body: String,
}

/// Free text a unit reported outside the task rows: Word narratives and named sections.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReportTexts {
    /// Task id -> narrative segment from a Word report.
    pub narratives: BTreeMap<u32, String>,
    /// Task id -> where its narrative segment starts (`第12段`, `表1!R2C1`): the provenance of
    /// a narrative-only report's progress.
    #[serde(default)]
    pub narrative_cells: BTreeMap<u32, String>,
    /// Narrative not tied to a task (a report with no task references keeps its text here).
    pub general: Vec<String>,
    /// 典型案例 / 创新案例
    pub cases: Vec<Case>,
    /// 存在问题
    pub problems: Vec<String>,
    /// 下步计划 / 下一步工作
    pub next_steps: Vec<String>,
    /// 政策诉求 / 意见建议
    pub policy_requests: Vec<String>,
}

impl ReportTexts {
    /// True when nothing was extracted.
    pub fn is_empty(&self) -> bool {
        self.narratives.is_empty()
            && self.general.is_empty()
            && self.cases.is_empty()
            && self.problems.is_empty()
            && self.next_steps.is_empty()
            && self.policy_requests.is_empty()
    }
}

/// The validated content of one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileResult {
    /// The file, relative to the inbox.
    pub file: String,
    /// Spreadsheet or report.
    pub kind: FileKind,
    /// The reporting unit, when identified.
    pub unit: Option<String>,
    /// 填报日期 found in the content.
    pub filled_date: Option<NaiveDate>,
    /// Accepted task rows (rows with errors are not here).
    pub rows: Vec<TaskReport>,
    /// Narratives and named sections.
    pub texts: ReportTexts,
    /// True when the whole file is rejected (unreadable, unit unknown, stale round…).
    pub rejected: bool,
    /// Every diagnostic for this file, with file and unit filled in.
    pub diagnostics: Vec<Diagnostic>,
    /// The sheet or table the rows were read from, as sent (for the feedback workbook).
    pub table: Option<Grid>,
}

impl FileResult {
    /// A file of `kind` with nothing read yet.
    pub fn empty(file: &str, kind: FileKind) -> FileResult {
        FileResult {
            file: file.to_owned(),
            kind,
            unit: None,
            filled_date: None,
            rows: Vec::new(),
            texts: ReportTexts::default(),
            rejected: false,
            diagnostics: Vec::new(),
            table: None,
        }
    }

    /// A rejected file with one diagnostic.
    pub fn rejected(file: &str, kind: FileKind, diagnostic: Diagnostic) -> FileResult {
        FileResult {
            unit: diagnostic.unit.clone(),
            rejected: true,
            diagnostics: vec![diagnostic.file(file)],
            ..FileResult::empty(file, kind)
        }
    }
}

/// Validates one ingested file. `file` is its path relative to the inbox (its name also
/// serves to identify the unit and the round).
pub fn validate_file(file: &str, ingested: &Ingested, ctx: &Context) -> FileResult {
    let mut result = match &ingested.content {
        Content::Workbook(sheets) => spreadsheet::validate(file, sheets, ctx),
        Content::Document(doc) => report::validate(file, doc, ctx),
    };
    for note in &ingested.notes {
        result
            .diagnostics
            .push(note.clone().file(file).maybe_unit(result.unit.as_deref()));
    }
    attribute_by_name(&mut result, ctx);
    fill_file_and_unit(&mut result);
    result
}

/// A rejected file whose unit the content did not settle belongs to the unit its name names
/// (contract §4, 报送但有误): the unit counts as having submitted, and its feedback says why
/// the file failed.
pub fn attribute_by_name(result: &mut FileResult, ctx: &Context) {
    if result.rejected && result.unit.is_none() {
        result.unit = identify::file_unit(&result.file, ctx).map(str::to_owned);
        fill_file_and_unit(result);
    }
}

/// Fills the file and the unit into every diagnostic that lacks them (diagnostics keep the
/// order in which they were found).
fn fill_file_and_unit(result: &mut FileResult) {
    for d in &mut result.diagnostics {
        if d.file.is_none() {
            d.file = Some(result.file.clone());
        }
        if d.unit.is_none() {
            d.unit = result.unit.clone();
        }
    }
}
