//! The `roundup.json` schema (contract §7: field names fixed, fields only ever added), defined
//! once for both directions: [`crate::render::json`] writes it from the round report, and
//! [`super::history`] reads the previous round's back.
//!
//! Written, the fields borrow from the report; read, they own their text. Reading is lenient
//! as an older or hand-edited file needs: only `round.id` and `tasks` are required, a task
//! without a usable `id` is skipped, and a value of the wrong type reads as absent.

use super::{Change, Light, Outcome, RoundReport, Statistics};
use crate::diag::Diagnostic;
use crate::ingest::FileKind;
use crate::validate::TaskReport;
use crate::vocab::Status;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;

/// The whole file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundupJson<'a> {
    /// The round.
    pub round: RoundJson<'a>,
    /// The previous round's id, when its result was found.
    #[serde(default, deserialize_with = "or_default")]
    pub previous_round: Option<Cow<'a, str>>,
    /// Every task in registry order.
    #[serde(deserialize_with = "usable_elements")]
    pub tasks: Vec<TaskJson<'a>>,
    /// Units that submitted.
    #[serde(default, deserialize_with = "or_default")]
    pub submissions: Vec<SubmissionJson<'a>>,
    /// Lead units with no used file.
    #[serde(default, deserialize_with = "or_default")]
    pub missing_units: Cow<'a, [String]>,
    /// Every diagnostic.
    #[serde(default, deserialize_with = "or_default")]
    pub issues: Cow<'a, [Diagnostic]>,
    /// The statistics.
    #[serde(default, deserialize_with = "or_default")]
    pub statistics: Cow<'a, Statistics>,
}

/// The round's names and dates (`YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundJson<'a> {
    /// `2024Q2`
    pub id: Cow<'a, str>,
    /// `2024年第二季度`
    #[serde(default, deserialize_with = "or_default")]
    pub title: Cow<'a, str>,
    /// First day.
    #[serde(default, deserialize_with = "or_default")]
    pub start: String,
    /// Last day.
    #[serde(default, deserialize_with = "or_default")]
    pub end: String,
    /// Deadline.
    #[serde(default, deserialize_with = "or_default")]
    pub deadline: String,
}

/// One task's consolidated state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskJson<'a> {
    /// Task id.
    pub id: u32,
    /// Status set by the deciding lead unit (`null`: not reported).
    #[serde(default, deserialize_with = "or_default")]
    pub status: Option<Status>,
    /// Percent set with the status.
    #[serde(default, serialize_with = "percent", deserialize_with = "or_default")]
    pub percent: Option<f64>,
    /// Traffic light (always written; `None` only when read from a file without one).
    #[serde(default, deserialize_with = "or_default")]
    pub light: Option<Light>,
    /// 序时进度.
    #[serde(default, serialize_with = "whole", deserialize_with = "or_default")]
    pub expected_percent: f64,
    /// Status in the previous round.
    #[serde(default, deserialize_with = "or_default")]
    pub previous_status: Option<Status>,
    /// Change since the previous round.
    #[serde(default, deserialize_with = "or_default")]
    pub change: Option<Change>,
    /// True when the previous status was carried forward.
    #[serde(default, deserialize_with = "or_default")]
    pub carried_forward: bool,
    /// Every report on the task.
    #[serde(default, deserialize_with = "or_default")]
    pub reports: Vec<ReportJson<'a>>,
}

/// One unit's report on a task.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportJson<'a> {
    /// Reporting unit.
    pub unit: Cow<'a, str>,
    /// Status stated.
    pub status: Option<Status>,
    /// Percent stated.
    #[serde(serialize_with = "percent")]
    pub percent: Option<f64>,
    /// 本期工作进展.
    pub progress: Cow<'a, str>,
    /// Source file.
    pub file: Cow<'a, str>,
    /// Where in the file.
    pub location: Option<Cow<'a, str>>,
    /// The Word report's narrative on the task.
    pub narrative: Option<Cow<'a, str>>,
    /// 项目落地.
    pub projects: Cow<'a, str>,
    /// 案例.
    pub cases: Cow<'a, str>,
    /// 存在问题.
    pub problems: Cow<'a, str>,
    /// 下步计划.
    pub next_steps: Cow<'a, str>,
    /// 政策诉求.
    pub policy: Cow<'a, str>,
    /// 备注.
    pub remarks: Cow<'a, str>,
    /// True when the unit does not lead the task.
    pub supplementary: bool,
}

/// One unit's submission.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmissionJson<'a> {
    /// Unit name.
    pub unit: Cow<'a, str>,
    /// True when every used file is dated on or before the deadline.
    pub on_time: bool,
    /// The unit's files.
    pub files: Vec<FileJson<'a>>,
}

/// One file of a submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileJson<'a> {
    /// Path relative to the inbox.
    pub path: Cow<'a, str>,
    /// Spreadsheet or report.
    pub kind: FileKind,
    /// Used, superseded or rejected.
    pub outcome: Outcome,
    /// 填报日期 or file date, `YYYY-MM-DD`.
    #[serde(default)]
    pub date: Option<String>,
}

impl<'a> RoundupJson<'a> {
    /// The file's content for `report`, borrowing its text.
    pub fn of(report: &'a RoundReport) -> RoundupJson<'a> {
        let r = &report.round;
        RoundupJson {
            round: RoundJson {
                id: r.id.as_str().into(),
                title: r.title.as_str().into(),
                start: r.start.to_string(),
                end: r.end.to_string(),
                deadline: r.deadline.to_string(),
            },
            previous_round: report.previous_round.as_deref().map(Cow::from),
            tasks: report.tasks.iter().map(TaskJson::of).collect(),
            submissions: report.submissions.iter().map(SubmissionJson::of).collect(),
            missing_units: Cow::Borrowed(&report.missing_units),
            issues: Cow::Borrowed(&report.issues),
            statistics: Cow::Borrowed(&report.stats),
        }
    }

    /// Parses a `roundup.json`; `None` when it is not one.
    pub fn parse(text: &str) -> Option<RoundupJson<'static>> {
        serde_json::from_str(text).ok()
    }
}

impl<'a> TaskJson<'a> {
    fn of(t: &'a super::TaskOutcome) -> TaskJson<'a> {
        TaskJson {
            id: t.id,
            status: t.status,
            percent: t.percent,
            light: Some(t.light),
            expected_percent: t.expected_percent,
            previous_status: t.previous_status,
            change: t.change,
            carried_forward: t.carried_forward,
            reports: t.reports.iter().map(ReportJson::of).collect(),
        }
    }
}

impl<'a> ReportJson<'a> {
    fn of(x: &'a TaskReport) -> ReportJson<'a> {
        ReportJson {
            unit: x.unit.as_str().into(),
            status: x.status,
            percent: x.percent,
            progress: x.progress.as_str().into(),
            file: x.file.as_str().into(),
            location: x.location.as_deref().map(Cow::from),
            narrative: x.narrative.as_deref().map(Cow::from),
            projects: x.projects.as_str().into(),
            cases: x.cases.as_str().into(),
            problems: x.problems.as_str().into(),
            next_steps: x.next_steps.as_str().into(),
            policy: x.policy.as_str().into(),
            remarks: x.remarks.as_str().into(),
            supplementary: x.supplementary,
        }
    }
}

impl<'a> SubmissionJson<'a> {
    fn of(s: &'a super::UnitSubmission) -> SubmissionJson<'a> {
        SubmissionJson {
            unit: s.unit.as_str().into(),
            on_time: s.on_time,
            files: s
                .files
                .iter()
                .map(|f| FileJson {
                    path: f.path.as_str().into(),
                    kind: f.kind,
                    outcome: f.outcome,
                    date: f.date.map(|d| d.to_string()),
                })
                .collect(),
        }
    }
}

/// Serialises a percent as an integer when it is whole (`60`, not `60.0`).
fn percent<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(v) if v.fract() == 0.0 && v.abs() < 1e9 => s.serialize_i64(*v as i64),
        Some(v) => s.serialize_f64(*v),
        None => s.serialize_none(),
    }
}

fn whole<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
    percent(&Some(*value), s)
}

/// Reads a value leniently: one of the wrong type reads as its default.
pub(crate) fn or_default<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<T, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    Ok(T::deserialize(value).unwrap_or_default())
}

/// Reads a list leniently: elements that do not read are skipped.
pub(crate) fn usable_elements<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    let values = Vec::<serde_json::Value>::deserialize(d)?;
    Ok(values
        .into_iter()
        .filter_map(|v| T::deserialize(v).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_or_partial_files_read_what_they_have() {
        let text = r#"{"round":{"id":"2024Q1","title":7},"issues":"?","tasks":[
            {"id":1,"status":"推进中","percent":40},{"id":2,"status":"差不多了","percent":"x"},
            {"status":"已完成"},{"id":3}]}"#;
        let file = RoundupJson::parse(text).unwrap();
        assert_eq!(
            (file.round.id.as_ref(), file.round.title.as_ref()),
            ("2024Q1", "")
        );
        let tasks: Vec<_> = file.tasks.iter().map(|t| (t.id, t.status, t.percent)).collect();
        assert_eq!(
            tasks,
            [
                (1, Some(Status::InProgress), Some(40.0)),
                (2, None, None),
                (3, None, None)
            ]
        );
        assert!(file.issues.is_empty() && file.tasks.iter().all(|t| t.light.is_none()));
        assert!(RoundupJson::parse(r#"{"round":{"id":"2024Q1"}}"#).is_none());
        assert!(RoundupJson::parse("[]").is_none());
    }
}
