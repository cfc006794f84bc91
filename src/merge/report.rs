//! The round report: the consolidated result of a round that every renderer draws from —
//! each task's outcome, each unit's submission, every inbox entry and every diagnostic.

use super::{Light, Statistics};
use crate::config::Round;
use crate::diag::Diagnostic;
use crate::ingest::FileKind;
use crate::validate::{ReportTexts, TaskReport};
use crate::vocab::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What became of one inbox entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// Read and used.
    Used,
    /// A newer file of the same kind from the same unit is used instead.
    Superseded,
    /// Not usable (unreadable, unknown unit, stale round…).
    Rejected,
    /// Not read (lock file, OS junk, hidden).
    Skipped,
}

impl Outcome {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Used => "采用",
            Outcome::Superseded => "已被替代",
            Outcome::Rejected => "退回",
            Outcome::Skipped => "跳过",
        }
    }
}

/// Change of a task's status since the previous round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Change {
    /// 新完成: completed this round.
    #[serde(rename = "新完成")]
    NewlyCompleted,
    /// 状态倒退: status went backwards.
    #[serde(rename = "状态倒退")]
    Regressed,
    /// 有进展: moved forward (not to completion).
    #[serde(rename = "有进展")]
    Advanced,
    /// 无变化
    #[serde(rename = "无变化")]
    Unchanged,
    /// 新报送: no status last round, one now.
    #[serde(rename = "新报送")]
    NewlyReported,
}

impl Change {
    /// Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Change::NewlyCompleted => "新完成",
            Change::Regressed => "状态倒退",
            Change::Advanced => "有进展",
            Change::Unchanged => "无变化",
            Change::NewlyReported => "新报送",
        }
    }
}

/// The consolidated state of one task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskOutcome {
    /// Task id.
    pub id: u32,
    /// Status set by the primary reporting lead; `None` when not reported.
    pub status: Option<Status>,
    /// Percent set with the status.
    pub percent: Option<f64>,
    /// 序时进度: expected percent at the round's end.
    pub expected_percent: f64,
    /// Traffic light.
    pub light: Light,
    /// Status in the previous round's result.
    pub previous_status: Option<Status>,
    /// Change since the previous round.
    pub change: Option<Change>,
    /// True when no lead unit reported and the previous status was carried forward.
    pub carried_forward: bool,
    /// Every report on the task: lead units in registry order, then supplementary reports.
    pub reports: Vec<TaskReport>,
}

/// One file of a unit's submission.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileOutcome {
    /// Path relative to the inbox.
    pub path: String,
    /// Spreadsheet or report.
    pub kind: FileKind,
    /// Used, superseded or rejected.
    pub outcome: Outcome,
    /// 填报日期 from the content, else the file's modification date.
    pub date: Option<NaiveDate>,
}

/// One unit's submission in this round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSubmission {
    /// Unit name.
    pub unit: String,
    /// True when every used file is dated on or before the deadline.
    pub on_time: bool,
    /// The unit's files.
    pub files: Vec<FileOutcome>,
    /// Error diagnostics on the unit's files.
    pub errors: usize,
    /// Warning diagnostics on the unit's files.
    pub warnings: usize,
}

impl UnitSubmission {
    /// True when at least one of the unit's files was used (the unit counts as submitted).
    pub fn has_used_file(&self) -> bool {
        self.files.iter().any(|f| f.outcome == Outcome::Used)
    }
}

/// Every inbox entry with its outcome, for the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Path relative to the inbox.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex (empty for skipped entries that were not read).
    pub sha256: String,
    /// The unit, when identified.
    pub unit: Option<String>,
    /// Spreadsheet or report, when known.
    pub kind: Option<FileKind>,
    /// What became of it.
    pub outcome: Outcome,
}

/// The consolidated result of a round: what every renderer draws from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundReport {
    /// The round.
    pub round: Round,
    /// The previous round's id, when its result was found.
    pub previous_round: Option<String>,
    /// Every task in registry order.
    pub tasks: Vec<TaskOutcome>,
    /// Units that submitted, in registry order of lead units, then others by name.
    pub submissions: Vec<UnitSubmission>,
    /// Lead units with no used file, in registry order.
    pub missing_units: Vec<String>,
    /// Every diagnostic, sorted by file (those without a file first); a file's own in the order
    /// they were found (reading, validation, selection), then merge's conflicts on it.
    pub issues: Vec<Diagnostic>,
    /// Free text per unit (cases, problems, next steps, policy requests).
    pub unit_texts: BTreeMap<String, ReportTexts>,
    /// Every inbox entry.
    pub files: Vec<FileRecord>,
    /// The one statistics definition.
    pub stats: Statistics,
    /// File -> the sheet or table its rows were read from (for feedback workbooks).
    #[serde(skip)]
    pub tables: BTreeMap<String, crate::ingest::Grid>,
}
