//! Merge: all validated files of a round -> one [`RoundReport`]: which file counts, per-task
//! merge (primary lead first), previous round, lights, missing units, statistics.
//!
//! Pure computation: the caller supplies file times and the previous round's result.

pub mod history;
pub mod lights;
pub mod report;
pub mod roundup_json;
pub mod select;
pub mod stats;

use crate::diag::{Code, Diagnostic};
use crate::ingest::{FileKind, Grid};
use crate::validate::{CheckedFile, Context, ReportTexts, TaskReport};
use crate::vocab::Status;
use std::collections::{BTreeMap, HashMap, HashSet};

pub use history::PreviousRound;
pub use lights::Light;
pub use report::{Change, FileOutcome, FileRecord, Outcome, RoundReport, TaskOutcome, UnitSubmission};
pub use stats::Statistics;

/// Everything merge needs besides the validated files.
#[derive(Debug, Clone, Default)]
pub struct MergeInputs {
    /// Validated files, sorted by path.
    pub files: Vec<CheckedFile>,
    /// Entries not read (lock files, junk), already with outcome `Skipped`.
    pub skipped: Vec<FileRecord>,
    /// The previous round's result, when present.
    pub previous: Option<PreviousRound>,
}

/// Merges a round's validated files into the round report.
pub fn merge(mut inputs: MergeInputs, ctx: &Context) -> RoundReport {
    let outcomes = select::select(&mut inputs.files, ctx.round);
    let used = used_files(&inputs.files, &outcomes);
    let mut conflicts = Vec::new();
    let unit_reports = combine_unit_reports(&used, &mut conflicts);
    let tasks = task_outcomes(&unit_reports, inputs.previous.as_ref(), ctx);
    conflicts.extend(tasks.iter().flat_map(|t| lead_disagreements(&t.reports)));
    let submissions = submissions(&inputs.files, &outcomes, ctx);
    let missing_units = missing_units(&submissions, ctx);
    let unit_texts = unit_texts(&used);
    let files = file_records(&inputs.files, &outcomes, inputs.skipped);
    let issues = sorted_issues(&inputs.files, conflicts);
    let stats = stats::compute(ctx.registry, &tasks, &submissions);
    RoundReport {
        round: ctx.round.clone(),
        previous_round: inputs.previous.as_ref().map(|p| p.id.clone()),
        tasks,
        submissions,
        missing_units,
        issues,
        unit_texts,
        files,
        stats,
        tables: take_tables(&mut inputs.files),
    }
}

/// The files selected for use.
fn used_files<'a>(files: &'a [CheckedFile], outcomes: &[Outcome]) -> Vec<&'a CheckedFile> {
    files
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| **o == Outcome::Used)
        .map(|(f, _)| f)
        .collect()
}

/// Every task of the registry, in order, with its reports, status, light and change.
fn task_outcomes(
    unit_reports: &BTreeMap<(String, u32), TaskReport>,
    previous: Option<&PreviousRound>,
    ctx: &Context,
) -> Vec<TaskOutcome> {
    let expected = lights::expected_percent(&ctx.config.pilot, ctx.round.end);
    let elapsed_days = (ctx.round.end - ctx.config.pilot.start).num_days();
    let by_task = group_by_task(unit_reports);
    ctx.registry
        .tasks
        .iter()
        .map(|task| {
            let group = by_task.get(&task.id).map_or(&[][..], Vec::as_slice);
            let reports = reports_for(ctx.registry, task, group);
            outcome_for(task.id, reports, expected, elapsed_days, previous, ctx)
        })
        .collect()
}

/// Lead units with no used file, in registry order.
fn missing_units(submissions: &[UnitSubmission], ctx: &Context) -> Vec<String> {
    let reported: HashSet<&str> = submissions
        .iter()
        .filter(|s| s.has_used_file())
        .map(|s| s.unit.as_str())
        .collect();
    ctx.registry
        .lead_units()
        .into_iter()
        .filter(|u| !reported.contains(u))
        .map(str::to_owned)
        .collect()
}

/// Each unit's free text from its used files.
fn unit_texts(used: &[&CheckedFile]) -> BTreeMap<String, ReportTexts> {
    let mut texts: BTreeMap<String, ReportTexts> = BTreeMap::new();
    for f in used {
        if let Some(unit) = &f.result.unit {
            absorb_texts(texts.entry(unit.clone()).or_default(), &f.result.texts);
        }
    }
    texts
}

/// Every inbox entry (read or skipped) with its outcome, by path.
fn file_records(files: &[CheckedFile], outcomes: &[Outcome], skipped: Vec<FileRecord>) -> Vec<FileRecord> {
    let mut records: Vec<FileRecord> = files
        .iter()
        .zip(outcomes)
        .map(|(f, o)| FileRecord {
            path: f.result.file.clone(),
            size: f.size,
            sha256: f.sha256.clone(),
            unit: f.result.unit.clone(),
            kind: Some(f.result.kind),
            outcome: *o,
        })
        .chain(skipped)
        .collect();
    records.sort_by(|a, b| a.path.cmp(&b.path));
    records
}

/// The files' diagnostics and merge's `conflicts`, stably sorted by file: a file's own keep
/// the order they were found in, followed by the conflicts on it.
fn sorted_issues(files: &[CheckedFile], conflicts: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut issues: Vec<Diagnostic> = files
        .iter()
        .flat_map(|f| f.result.diagnostics.iter().cloned())
        .chain(conflicts)
        .collect();
    issues.sort_by(|a, b| a.file.cmp(&b.file));
    issues
}

/// File -> the table its rows were read from, moved out of the files.
fn take_tables(files: &mut [CheckedFile]) -> BTreeMap<String, Grid> {
    files
        .iter_mut()
        .filter_map(|f| f.result.table.take().map(|t| (f.result.file.clone(), t)))
        .collect()
}

/// (unit, task) -> one merged report: the spreadsheet's structured fields win, the Word
/// report fills what the spreadsheet left empty, and the Word narrative is attached.
///
/// A later file that states another status for the same task gets a `duplicate-task`
/// warning (the task is reported twice by the unit, inconsistently; the spreadsheet wins).
fn combine_unit_reports(
    used: &[&CheckedFile],
    conflicts: &mut Vec<Diagnostic>,
) -> BTreeMap<(String, u32), TaskReport> {
    let mut ordered: Vec<&CheckedFile> = used.to_vec();
    ordered.sort_by_key(|f| (f.result.kind != FileKind::Spreadsheet, f.result.file.clone()));
    let mut merged: BTreeMap<(String, u32), TaskReport> = BTreeMap::new();
    for f in ordered {
        let Some(unit) = &f.result.unit else { continue };
        for row in &f.result.rows {
            match merged.get_mut(&(unit.clone(), row.task)) {
                Some(existing) => {
                    conflicts.extend(status_conflict(existing, row));
                    fill_missing(existing, row);
                }
                None => {
                    merged.insert((unit.clone(), row.task), row.clone());
                }
            }
        }
        for (task, text) in &f.result.texts.narratives {
            let entry = merged.entry((unit.clone(), *task)).or_insert_with(|| TaskReport {
                task: *task,
                unit: unit.clone(),
                file: f.result.file.clone(),
                ..TaskReport::default()
            });
            entry.narrative = Some(match entry.narrative.take() {
                Some(before) if !before.contains(text.as_str()) => format!("{before}\n{text}"),
                Some(before) => before,
                None => text.clone(),
            });
        }
    }
    merged
}

/// Warnings for joint lead units whose status differs from the deciding (first-listed
/// reporting) lead unit's: the task is reported twice, inconsistently.
fn lead_disagreements(reports: &[TaskReport]) -> Vec<Diagnostic> {
    let mut leads = reports.iter().filter(|r| !r.supplementary && r.status.is_some());
    let Some(deciding) = leads.next() else {
        return Vec::new();
    };
    leads
        .filter(|r| r.status != deciding.status)
        .map(|r| {
            let (theirs, decided) = (status_label(r.status), status_label(deciding.status));
            let mut note = Diagnostic::new(
                Code::DuplicateTask,
                format!(
                    "任务{}的牵头单位填报状态不一致：{}填报“{theirs}”，{}填报“{decided}”",
                    r.task, r.unit, deciding.unit
                ),
            )
            .level(crate::diag::Level::Warning)
            .file(r.file.clone())
            .unit(r.unit.clone())
            .task(r.task)
            .hint(format!(
                "以排在前面的牵头单位{}的状态为准；请牵头单位之间核对一致",
                deciding.unit
            ));
            note.location = r.location.clone();
            note
        })
        .collect()
}

fn status_label(status: Option<Status>) -> &'static str {
    status.map_or("", Status::label)
}

/// A warning when `other` states a different status for the task than the report already used.
fn status_conflict(used: &TaskReport, other: &TaskReport) -> Option<Diagnostic> {
    let (Some(kept), Some(stated)) = (used.status, other.status) else {
        return None;
    };
    if kept == stated {
        return None;
    }
    let mut note = Diagnostic::new(
        Code::DuplicateTask,
        format!(
            "任务{}在“{}”中填报为“{}”，与“{}”中的“{}”不一致",
            other.task,
            other.file,
            stated.label(),
            used.file,
            kept.label()
        ),
    )
    .level(crate::diag::Level::Warning)
    .file(other.file.clone())
    .unit(other.unit.clone())
    .task(other.task)
    .hint(format!("以“{}”为准；如有误请更正后重新报送", used.file));
    note.location = other.location.clone();
    Some(note)
}

fn fill_missing(existing: &mut TaskReport, other: &TaskReport) {
    if existing.status.is_none() {
        existing.status = other.status;
    }
    if existing.percent.is_none() {
        existing.percent = other.percent;
    }
    for (mine, theirs) in [
        (&mut existing.progress, &other.progress),
        (&mut existing.projects, &other.projects),
        (&mut existing.cases, &other.cases),
        (&mut existing.problems, &other.problems),
        (&mut existing.next_steps, &other.next_steps),
        (&mut existing.policy, &other.policy),
        (&mut existing.remarks, &other.remarks),
    ] {
        if mine.trim().is_empty() {
            mine.clone_from(theirs);
        }
    }
    if existing.narrative.is_none() {
        existing.narrative.clone_from(&other.narrative);
    }
}

/// Each task's unit reports, in unit order (one pass, so that finding a task's reports does
/// not scan every report of the round).
fn group_by_task(all: &BTreeMap<(String, u32), TaskReport>) -> BTreeMap<u32, Vec<(&str, &TaskReport)>> {
    let mut groups: BTreeMap<u32, Vec<(&str, &TaskReport)>> = BTreeMap::new();
    for ((unit, id), report) in all {
        groups.entry(*id).or_default().push((unit.as_str(), report));
    }
    groups
}

/// A task's reports: lead units in registry order, units reporting for a lead unit, then
/// supplementary reports of other units by name. `group` is the task's reports in unit order.
fn reports_for(
    registry: &crate::registry::Registry,
    task: &crate::registry::Task,
    group: &[(&str, &TaskReport)],
) -> Vec<TaskReport> {
    let mut reports: Vec<TaskReport> = task
        .leads
        .iter()
        .filter_map(|lead| group.iter().find(|(unit, _)| *unit == lead.as_str()))
        .map(|(_, r)| (*r).clone())
        .collect();
    let others = group.iter().filter(|(unit, _)| !task.is_led_by(unit));
    let (delegates, strangers): (Vec<_>, Vec<_>) =
        others.partition(|(unit, _)| registry.reports_for(unit, task));
    reports.extend(delegates.into_iter().map(|(_, r)| TaskReport {
        supplementary: false,
        ..(*r).clone()
    }));
    reports.extend(strangers.into_iter().map(|(_, r)| TaskReport {
        supplementary: true,
        ..(*r).clone()
    }));
    reports
}

fn outcome_for(
    id: u32,
    reports: Vec<TaskReport>,
    expected: f64,
    elapsed_days: i64,
    previous: Option<&PreviousRound>,
    ctx: &Context,
) -> TaskOutcome {
    let deciding = reports.iter().find(|r| !r.supplementary && r.status.is_some());
    let previous_status = previous.and_then(|p| p.status(id));
    let mut status = deciding.and_then(|r| r.status);
    let mut percent = deciding.and_then(|r| r.percent);
    let carried_forward = status.is_none() && previous_status.is_some();
    if carried_forward {
        status = previous_status;
        percent = previous.and_then(|p| p.percents.get(&id).copied().flatten());
    }
    let change = change_between(previous.map(|_| previous_status), status, carried_forward);
    let expected_percent = match status {
        Some(crate::vocab::Status::Ongoing) => 100.0,
        _ => expected,
    };
    let light = lights::light_for(
        &lights::LightInput {
            status,
            percent,
            expected,
            elapsed_days,
            regressed: change == Some(Change::Regressed),
            carried_forward,
        },
        &ctx.config.lights,
    );
    TaskOutcome {
        id,
        status,
        percent,
        expected_percent,
        light,
        previous_status,
        change,
        carried_forward,
        reports,
    }
}

/// The change since the previous round (`previous` is `None` when there is no previous result).
fn change_between(previous: Option<Option<Status>>, now: Option<Status>, carried: bool) -> Option<Change> {
    let previous = previous?;
    if carried {
        return Some(Change::Unchanged);
    }
    let now = now?;
    let Some(before) = previous else {
        return Some(Change::NewlyReported);
    };
    Some(if now == Status::Completed && before != Status::Completed {
        Change::NewlyCompleted
    } else if history::rank(now) < history::rank(before) {
        Change::Regressed
    } else if history::rank(now) > history::rank(before) {
        Change::Advanced
    } else {
        Change::Unchanged
    })
}

/// Each unit's submission: its files with their outcomes and dates, its error and warning
/// counts, whether it is on time; lead units in registry order, then others by name.
fn submissions(files: &[CheckedFile], outcomes: &[Outcome], ctx: &Context) -> Vec<UnitSubmission> {
    let mut by_unit: BTreeMap<String, UnitSubmission> = BTreeMap::new();
    for (f, outcome) in files.iter().zip(outcomes) {
        let Some(unit) = &f.result.unit else { continue };
        let entry = by_unit.entry(unit.clone()).or_insert_with(|| UnitSubmission {
            unit: unit.clone(),
            on_time: true,
            files: Vec::new(),
            errors: 0,
            warnings: 0,
        });
        add_file(entry, f, *outcome, ctx.round);
    }
    for s in by_unit.values_mut() {
        if !s.has_used_file() {
            s.on_time = false;
        }
    }
    in_registry_order(by_unit.into_values().collect(), ctx)
}

/// Adds one of the unit's files to its submission.
fn add_file(entry: &mut UnitSubmission, f: &CheckedFile, outcome: Outcome, round: &crate::config::Round) {
    let date = f.submitted_on(round);
    if outcome == Outcome::Used && date.is_some_and(|d| d > round.deadline) {
        entry.on_time = false;
    }
    entry.files.push(FileOutcome {
        path: f.result.file.clone(),
        kind: f.result.kind,
        outcome,
        date,
    });
    let count = |level| f.result.diagnostics.iter().filter(|d| d.level == level).count();
    entry.errors += count(crate::diag::Level::Error);
    entry.warnings += count(crate::diag::Level::Warning);
}

/// Submissions of lead units in registry order, then the others by name.
fn in_registry_order(mut submissions: Vec<UnitSubmission>, ctx: &Context) -> Vec<UnitSubmission> {
    let order: HashMap<&str, usize> = ctx
        .registry
        .lead_units()
        .into_iter()
        .enumerate()
        .map(|(i, u)| (u, i))
        .collect();
    submissions.sort_by_cached_key(|s| {
        (
            order.get(s.unit.as_str()).copied().unwrap_or(usize::MAX),
            s.unit.clone(),
        )
    });
    submissions
}

fn absorb_texts(into: &mut ReportTexts, from: &ReportTexts) {
    for (task, text) in &from.narratives {
        into.narratives.entry(*task).or_insert_with(|| text.clone());
    }
    into.general.extend(from.general.iter().cloned());
    into.cases.extend(from.cases.iter().cloned());
    for (mine, theirs) in [
        (&mut into.problems, &from.problems),
        (&mut into.next_steps, &from.next_steps),
        (&mut into.policy_requests, &from.policy_requests),
    ] {
        for text in theirs {
            if !mine.contains(text) {
                mine.push(text.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::FileResult;

    fn file(name: &str, kind: FileKind, status: Status) -> CheckedFile {
        let row = TaskReport {
            task: 5,
            unit: "市工信局".into(),
            status: Some(status),
            file: name.into(),
            location: Some("表1!R3".into()),
            ..TaskReport::default()
        };
        let result = FileResult {
            unit: Some("市工信局".into()),
            rows: vec![row],
            ..FileResult::empty(name, kind)
        };
        CheckedFile {
            result,
            size: 0,
            sha256: String::new(),
            modified: None,
        }
    }

    #[test]
    fn the_spreadsheet_wins_and_a_conflicting_report_is_warned() {
        let sheet = file("b-进展表.xlsx", FileKind::Spreadsheet, Status::InProgress);
        let report = file("a-报告.docx", FileKind::Report, Status::Completed);
        let mut conflicts = Vec::new();
        let merged = combine_unit_reports(&[&report, &sheet], &mut conflicts);
        assert_eq!(
            merged[&("市工信局".to_string(), 5)].status,
            Some(Status::InProgress)
        );
        assert_eq!(conflicts.len(), 1);
        let d = &conflicts[0];
        assert_eq!(
            (d.code, d.level),
            (Code::DuplicateTask, crate::diag::Level::Warning)
        );
        assert_eq!(d.file.as_deref(), Some("a-报告.docx"));
        assert_eq!(d.task, Some(5));
        assert!(
            d.message.contains("已完成") && d.message.contains("推进中"),
            "{}",
            d.message
        );
    }

    #[test]
    fn joint_leads_that_disagree_are_warned_on_the_later_lead() {
        let first = TaskReport {
            unit: "市市场监管局".into(),
            status: Some(Status::InProgress),
            ..file("a.xlsx", FileKind::Spreadsheet, Status::InProgress)
                .result
                .rows[0]
                .clone()
        };
        let second = TaskReport {
            unit: "市金融局".into(),
            file: "b.xlsx".into(),
            status: Some(Status::Completed),
            ..first.clone()
        };
        let other = TaskReport {
            unit: "市财政局".into(),
            supplementary: true,
            status: Some(Status::NotStarted),
            ..first.clone()
        };
        let notes = lead_disagreements(&[first.clone(), second, other]);
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].unit.as_deref(), Some("市金融局"));
        assert_eq!(notes[0].file.as_deref(), Some("b.xlsx"));
        assert!(lead_disagreements(&[first.clone(), first]).is_empty());
    }

    #[test]
    fn agreeing_files_are_not_warned() {
        let sheet = file("进展表.xlsx", FileKind::Spreadsheet, Status::InProgress);
        let report = file("报告.docx", FileKind::Report, Status::InProgress);
        let mut conflicts = Vec::new();
        combine_unit_reports(&[&sheet, &report], &mut conflicts);
        assert!(conflicts.is_empty());
    }
}
