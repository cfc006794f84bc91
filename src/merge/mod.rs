//! Merge: all validated files of a round -> one [`RoundReport`]: which file counts, per-task
//! merge (primary lead first), previous round, lights, missing units, statistics.
//!
//! Pure computation: the caller supplies file times and the previous round's result.

pub mod assessment;
mod copied;
pub mod history;
pub mod lights;
pub mod report;
pub mod roundup_json;
pub mod select;
pub mod stats;
pub mod versions;

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
    let mut conflicts = Vec::new();
    let unit_reports = combine_unit_reports(&used_files(&inputs.files, &outcomes), &mut conflicts);
    drop_answered_missing_tasks(&mut inputs.files, &outcomes, &unit_reports);
    let used = used_files(&inputs.files, &outcomes);
    let tasks = task_outcomes(&unit_reports, inputs.previous.as_ref(), ctx);
    conflicts.extend(tasks.iter().flat_map(|t| lead_disagreements(&t.reports)));
    conflicts.extend(unreported_tasks(&used, &unit_reports, ctx));
    conflicts.extend(copied::unchanged_copies(&tasks, inputs.previous.as_ref()));
    let submissions = submissions(&inputs.files, &outcomes, ctx);
    let missing_units = missing_units(&submissions, ctx);
    let unit_texts = unit_texts(&used);
    let assessment = assessment::for_round(ctx, &tasks, &submissions, &unit_texts, &mut conflicts);
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
        assessment,
        tables: take_tables(&mut inputs.files),
    }
}

/// A unit's file that lacks a task the unit reports in another of its used files says nothing
/// the clerk must act on: its `missing-task` goes. Where several of a unit's files lack the
/// same task, the warning stays on one (the spreadsheet's, else the first report's).
fn drop_answered_missing_tasks(
    files: &mut [CheckedFile],
    outcomes: &[Outcome],
    reports: &BTreeMap<(String, u32), TaskReport>,
) {
    let mut warned: HashSet<(String, u32)> = HashSet::new();
    let mut order: Vec<usize> = (0..files.len())
        .filter(|i| outcomes[*i] == Outcome::Used)
        .collect();
    order.sort_by_key(|i| {
        (
            files[*i].result.kind != FileKind::Spreadsheet,
            files[*i].result.file.clone(),
        )
    });
    for i in order {
        let Some(unit) = files[i].result.unit.clone() else {
            continue;
        };
        files[i].result.diagnostics.retain(|d| {
            let Some(task) = d.task.filter(|_| d.code == Code::MissingTask) else {
                return true;
            };
            let key = (unit.clone(), task);
            !reports.contains_key(&key) && warned.insert(key)
        });
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

/// The safety net (contract §5): for each unit with a used file, a `missing-task` warning for
/// every task it leads (or reports on for a delegating lead) that none of its used files
/// reports, at the first cell or paragraph of its main file (the spreadsheet, else the Word
/// report), unless one of its files already says so.
fn unreported_tasks(
    used: &[&CheckedFile],
    unit_reports: &BTreeMap<(String, u32), TaskReport>,
    ctx: &Context,
) -> Vec<Diagnostic> {
    let mut notes = Vec::new();
    for (unit, files) in used_by_unit(used) {
        let said = already_missing(&files);
        let main = files[0];
        for task in ctx.registry.tasks_led_by(unit) {
            let reported = unit_reports.contains_key(&(unit.to_owned(), task.id));
            if !reported && !said.contains(&task.id) {
                notes.push(unreported(unit, task.id, main));
            }
        }
    }
    notes
}

/// Each unit's used files, its spreadsheets first.
fn used_by_unit<'a>(used: &[&'a CheckedFile]) -> BTreeMap<&'a str, Vec<&'a CheckedFile>> {
    let mut by_unit: BTreeMap<&str, Vec<&CheckedFile>> = BTreeMap::new();
    for f in used {
        if let Some(unit) = f.result.unit.as_deref() {
            by_unit.entry(unit).or_default().push(f);
        }
    }
    for files in by_unit.values_mut() {
        files.sort_by_key(|f| (f.result.kind != FileKind::Spreadsheet, f.result.file.clone()));
    }
    by_unit
}

/// Tasks a `missing-task` diagnostic of one of `files` already names.
fn already_missing(files: &[&CheckedFile]) -> HashSet<u32> {
    files
        .iter()
        .flat_map(|f| &f.result.diagnostics)
        .filter(|d| d.code == Code::MissingTask)
        .filter_map(|d| d.task)
        .collect()
}

/// `missing-task` for `task`, which `unit` leads and no file of it reports, located at the
/// first cell of `main`'s table (or its first paragraph).
fn unreported(unit: &str, task: u32, main: &CheckedFile) -> Diagnostic {
    let place = match &main.result.table {
        Some(grid) if main.result.kind == FileKind::Spreadsheet => grid.location(0, 0),
        _ => crate::diag::paragraph_ref(1),
    };
    Diagnostic::new(
        Code::MissingTask,
        format!("本单位牵头的任务{task}在报送的材料中未见进展情况"),
    )
    .file(main.result.file.clone())
    .unit(unit)
    .task(task)
    .at(place)
    .hint(format!("请补报任务{task}的完成状态与本期工作进展"))
}

/// Lead units that sent no file at all, in registry order: a unit whose only files were
/// rejected or superseded has submitted (报送但有误, contract §4); its feedback says why.
fn missing_units(submissions: &[UnitSubmission], ctx: &Context) -> Vec<String> {
    let reported: HashSet<&str> = submissions
        .iter()
        .filter(|s| s.has_submitted())
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
/// A later file that states another status for the same task gets a `status-conflict`
/// warning (the unit's sources disagree; the spreadsheet decides).
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
            if entry.cells.progress.is_none() && entry.progress.trim().is_empty() {
                let here = f.result.texts.narrative_cells.get(task).map(|c| {
                    if entry.file == f.result.file {
                        c.clone()
                    } else {
                        format!("{} {c}", f.result.file)
                    }
                });
                entry.cells.progress = here;
            }
            entry.narrative = Some(match entry.narrative.take() {
                Some(before) if !before.contains(text.as_str()) => format!("{before}\n{text}"),
                Some(before) => before,
                None => text.clone(),
            });
        }
    }
    merged
}

/// `status-conflict` warnings for joint lead units whose status differs from the deciding
/// (first-listed reporting) lead unit's, at the status cell of the losing report.
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
                Code::StatusConflict,
                format!(
                    "任务{}的牵头单位填报状态不一致：{}填报“{theirs}”，{}填报“{decided}”",
                    r.task, r.unit, deciding.unit
                ),
            )
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

/// `status-conflict` when `other` (a unit's Word report) states a different status for the
/// task than the report already used (its spreadsheet, which decides), at `other`'s status cell.
fn status_conflict(used: &TaskReport, other: &TaskReport) -> Option<Diagnostic> {
    let (Some(kept), Some(stated)) = (used.status, other.status) else {
        return None;
    };
    if kept == stated {
        return None;
    }
    let mut note = Diagnostic::new(
        Code::StatusConflict,
        format!(
            "任务{}在“{}”中填报为“{}”，与“{}”中的“{}”不一致",
            other.task,
            other.file,
            stated.label(),
            used.file,
            kept.label()
        ),
    )
    .file(other.file.clone())
    .unit(other.unit.clone())
    .task(other.task)
    .hint(format!("以“{}”为准；如有误请更正后重新报送", used.file));
    note.location = other.location.clone();
    Some(note)
}

fn fill_missing(existing: &mut TaskReport, other: &TaskReport) {
    if existing.status.is_none() && other.status.is_some() {
        existing.status = other.status;
        existing.cells.status = cell_in(existing, other, other.cells.status.as_deref());
    }
    if existing.percent.is_none() && other.percent.is_some() {
        existing.percent = other.percent;
        existing.cells.percent = cell_in(existing, other, other.cells.percent.as_deref());
    }
    if existing.progress.trim().is_empty() && !other.progress.trim().is_empty() {
        existing.cells.progress = cell_in(existing, other, other.cells.progress.as_deref());
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

/// A cell of `other`'s file as seen from `existing`'s report: as is when both come from one
/// file, else prefixed with the other file's name (`市科技局报告.docx 表1!R3C4`), so that the
/// provenance of a value filled in from another file still names its file.
fn cell_in(existing: &TaskReport, other: &TaskReport, cell: Option<&str>) -> Option<String> {
    let cell = cell?;
    if existing.file == other.file {
        Some(cell.to_owned())
    } else {
        Some(format!("{} {cell}", other.file))
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
    use crate::diag::Level;
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
            modified_at: None,
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
            (Code::StatusConflict, crate::diag::Level::Warning)
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
        assert_eq!(
            (notes[0].code, notes[0].level),
            (Code::StatusConflict, Level::Warning)
        );
        assert_eq!(notes[0].location.as_deref(), Some("表1!R3"));
        assert_eq!(notes[0].unit.as_deref(), Some("市金融局"));
        assert_eq!(notes[0].file.as_deref(), Some("b.xlsx"));
        assert!(lead_disagreements(&[first.clone(), first]).is_empty());
    }

    /// Runs `f` with the shipped configuration and registry, for round 2024Q3.
    fn with_ctx(f: impl FnOnce(&Context)) {
        let config = crate::config::Config::load(std::path::Path::new("templates/roundup.toml")).unwrap();
        let registry = crate::registry::Registry::from_config(&config).unwrap();
        let round = config.round("2024Q3").unwrap().clone();
        f(&Context {
            registry: &registry,
            config: &config,
            round: &round,
        })
    }

    fn sheet_grid() -> crate::ingest::Grid {
        crate::ingest::Grid {
            name: "进展情况".into(),
            hidden: false,
            style: crate::ingest::RefStyle::A1,
            rows: Vec::new(),
            merges: Vec::new(),
            hidden_rows: Vec::new(),
            running_numbers: Vec::new(),
            hidden_cols: Vec::new(),
        }
    }

    /// A used file of `unit` reporting `tasks` (narratives only for a report).
    fn unit_file(name: &str, unit: &str, kind: FileKind, tasks: &[u32]) -> CheckedFile {
        let mut f = file(name, kind, Status::InProgress);
        f.result.unit = Some(unit.into());
        f.result.rows.clear();
        for &task in tasks {
            match kind {
                FileKind::Spreadsheet => f.result.rows.push(TaskReport {
                    task,
                    unit: unit.into(),
                    status: Some(Status::InProgress),
                    file: name.into(),
                    ..TaskReport::default()
                }),
                FileKind::Report => {
                    f.result.texts.narratives.insert(task, format!("任务{task}"));
                }
            }
        }
        f
    }

    #[test]
    fn every_task_a_submitting_unit_leads_ends_with_a_report_or_a_warning() {
        with_ctx(|ctx| {
            let report = unit_file("市卫健委-报告.docx", "市卫健委", FileKind::Report, &[30, 32]);
            let mut sheet = unit_file("市建委-进展表.xlsx", "市建委", FileKind::Spreadsheet, &[]);
            sheet.result.table = Some(sheet_grid());
            let told = Diagnostic::new(Code::MissingTask, "任务12未报").task(12);
            sheet.result.diagnostics.push(told);
            let used = [&report, &sheet];
            let mut conflicts = Vec::new();
            let merged = combine_unit_reports(&used, &mut conflicts);
            let notes = unreported_tasks(&used, &merged, ctx);
            let got: Vec<(&str, Option<u32>, Option<&str>)> = notes
                .iter()
                .map(|d| {
                    (
                        d.file.as_deref().unwrap_or_default(),
                        d.task,
                        d.location.as_deref(),
                    )
                })
                .collect();
            let at = |t| ("市卫健委-报告.docx", Some(t), Some("第1段"));
            assert_eq!(
                got,
                vec![at(33), at(38), at(96), at(97)],
                "市建委 was already told"
            );
            assert!(notes
                .iter()
                .all(|d| (d.code, d.level) == (Code::MissingTask, Level::Warning)));
        });
    }

    #[test]
    fn the_safety_net_points_at_the_spreadsheet_when_there_is_one() {
        with_ctx(|ctx| {
            let mut sheet = unit_file("市司法局-进展表.xlsx", "市司法局", FileKind::Spreadsheet, &[49]);
            sheet.result.table = Some(sheet_grid());
            let report = unit_file("市司法局-报告.docx", "市司法局", FileKind::Report, &[]);
            let used = [&report, &sheet];
            let merged = combine_unit_reports(&used, &mut Vec::new());
            let notes = unreported_tasks(&used, &merged, ctx);
            assert_eq!(notes.len(), 1);
            assert_eq!(notes[0].file.as_deref(), Some("市司法局-进展表.xlsx"));
            assert_eq!(notes[0].location.as_deref(), Some("进展情况!A1"));
            assert_eq!(notes[0].task, Some(50));
        });
    }

    #[test]
    fn a_unit_whose_only_file_was_rejected_is_not_missing() {
        with_ctx(|ctx| {
            let mut rejected = unit_file("市统计局进展表.xlsx", "市统计局", FileKind::Spreadsheet, &[]);
            rejected.result.rejected = true;
            let report = merge(
                MergeInputs {
                    files: vec![rejected],
                    ..MergeInputs::default()
                },
                ctx,
            );
            assert!(!report.missing_units.contains(&"市统计局".to_owned()));
            assert!(report.missing_units.contains(&"市科技局".to_owned()));
            assert_eq!(report.submissions[0].files[0].outcome, Outcome::Rejected);
        });
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
