//! `roundup.json` (the stable machine-readable result, contract §7) and `manifest.json`
//! (inputs with checksums and outcomes, outputs, tool version, registry and config digests).

use super::{Output, RenderError};
use crate::diag::Diagnostic;
use crate::digest::sha256_hex;
use crate::ingest::FileKind;
use crate::merge::{Change, FileRecord, Light, Outcome, RoundReport, Statistics};
use crate::vocab::Status;
use serde::{Serialize, Serializer};

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

#[derive(Serialize)]
struct RoundView<'a> {
    id: &'a str,
    title: &'a str,
    start: String,
    end: String,
    deadline: String,
}

#[derive(Serialize)]
struct ReportView<'a> {
    unit: &'a str,
    status: Option<Status>,
    #[serde(serialize_with = "percent")]
    percent: Option<f64>,
    progress: &'a str,
    file: &'a str,
    location: Option<&'a str>,
    narrative: Option<&'a str>,
    projects: &'a str,
    cases: &'a str,
    problems: &'a str,
    next_steps: &'a str,
    policy: &'a str,
    remarks: &'a str,
    supplementary: bool,
}

#[derive(Serialize)]
struct TaskView<'a> {
    id: u32,
    status: Option<Status>,
    #[serde(serialize_with = "percent")]
    percent: Option<f64>,
    light: Light,
    #[serde(serialize_with = "whole")]
    expected_percent: f64,
    previous_status: Option<Status>,
    change: Option<Change>,
    carried_forward: bool,
    reports: Vec<ReportView<'a>>,
}

#[derive(Serialize)]
struct FileView<'a> {
    path: &'a str,
    kind: FileKind,
    outcome: Outcome,
    date: Option<String>,
}

#[derive(Serialize)]
struct SubmissionView<'a> {
    unit: &'a str,
    on_time: bool,
    files: Vec<FileView<'a>>,
}

#[derive(Serialize)]
struct RoundupJson<'a> {
    round: RoundView<'a>,
    previous_round: Option<&'a str>,
    tasks: Vec<TaskView<'a>>,
    submissions: Vec<SubmissionView<'a>>,
    missing_units: &'a [String],
    issues: &'a [Diagnostic],
    statistics: &'a Statistics,
}

/// `roundup.json`, pretty-printed, UTF-8, with a final newline.
pub fn roundup_json(report: &RoundReport) -> Result<Vec<u8>, RenderError> {
    let r = &report.round;
    let view = RoundupJson {
        round: RoundView {
            id: &r.id,
            title: &r.title,
            start: r.start.to_string(),
            end: r.end.to_string(),
            deadline: r.deadline.to_string(),
        },
        previous_round: report.previous_round.as_deref(),
        tasks: report
            .tasks
            .iter()
            .map(|t| TaskView {
                id: t.id,
                status: t.status,
                percent: t.percent,
                light: t.light,
                expected_percent: t.expected_percent,
                previous_status: t.previous_status,
                change: t.change,
                carried_forward: t.carried_forward,
                reports: t
                    .reports
                    .iter()
                    .map(|x| ReportView {
                        unit: &x.unit,
                        status: x.status,
                        percent: x.percent,
                        progress: &x.progress,
                        file: &x.file,
                        location: x.location.as_deref(),
                        narrative: x.narrative.as_deref(),
                        projects: &x.projects,
                        cases: &x.cases,
                        problems: &x.problems,
                        next_steps: &x.next_steps,
                        policy: &x.policy,
                        remarks: &x.remarks,
                        supplementary: x.supplementary,
                    })
                    .collect(),
            })
            .collect(),
        submissions: report
            .submissions
            .iter()
            .map(|s| SubmissionView {
                unit: &s.unit,
                on_time: s.on_time,
                files: s
                    .files
                    .iter()
                    .map(|f| FileView {
                        path: &f.path,
                        kind: f.kind,
                        outcome: f.outcome,
                        date: f.date.map(|d| d.to_string()),
                    })
                    .collect(),
            })
            .collect(),
        missing_units: &report.missing_units,
        issues: &report.issues,
        statistics: &report.stats,
    };
    let mut bytes = serde_json::to_vec_pretty(&view)?;
    bytes.push(b'\n');
    Ok(bytes)
}

#[derive(Serialize)]
struct OutputEntry<'a> {
    name: &'a str,
    size: usize,
    sha256: String,
}

#[derive(Serialize)]
struct Manifest<'a> {
    tool: String,
    round: &'a str,
    registry_sha256: &'a str,
    config_sha256: &'a str,
    inputs: &'a [FileRecord],
    outputs: Vec<OutputEntry<'a>>,
}

/// `manifest.json`: every inbox entry with its outcome and checksum, and every output.
pub fn manifest_json(
    report: &RoundReport,
    registry_digest: &str,
    config_digest: &str,
    outputs: &[Output],
) -> Result<Vec<u8>, RenderError> {
    let manifest = Manifest {
        tool: format!("roundup {}", env!("CARGO_PKG_VERSION")),
        round: &report.round.id,
        registry_sha256: registry_digest,
        config_sha256: config_digest,
        inputs: &report.files,
        outputs: outputs
            .iter()
            .map(|o| OutputEntry {
                name: &o.name,
                size: o.bytes.len(),
                sha256: sha256_hex(&o.bytes),
            })
            .collect(),
    };
    let mut bytes = serde_json::to_vec_pretty(&manifest)?;
    bytes.push(b'\n');
    Ok(bytes)
}
