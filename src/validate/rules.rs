//! Row rules of progress tables, each a small function returning its diagnostic: rows to
//! skip (blank, 合计, signatures, repeated headers, section titles), task identity
//! (`unknown-task`, `duplicate-task`, `task-text-mismatch`, `not-lead-unit`), cell values
//! (`invalid-status`, `invalid-percent`, `status-percent-mismatch`, `empty-progress`) and
//! `missing-task` for a unit's file.
//!
//! An error on a cell (status, percent) keeps the row with that field empty; an error on the
//! row's identity (unknown or duplicate task) drops the row.

use super::values::{compact, text_similarity, Parsed, Percent};
use super::Context;
use crate::diag::{Code, Diagnostic};
use crate::registry::Task;
use crate::vocab::Status;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// Similarity at or above which a task text without an id is matched to a task of the unit.
pub const MATCH_OWN_TASK: f64 = 0.8;
/// Similarity at or above which a task text without an id is matched to any task.
pub const MATCH_ANY_TASK: f64 = 0.9;
/// Similarity below which a task text differs from the registry's (`task-text-mismatch`).
pub const TEXT_MISMATCH_BELOW: f64 = 0.6;

use super::regex;

static FOOTER_ROW: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?:合计|小计|总计|共计|填报人|填表人|审核人|负责人|联系人|联系电话|制表人?|单位负责人|分管领导|签发人?|领导签字|填报单位|报送单位|填报日期|注[:：]|说明[:：]|备注[:：])",
    )
});
static NOTES_HEADING: LazyLock<Regex> = LazyLock::new(|| regex(r"^(?:注|说明|备注|填表说明|填报说明)[:：]"));
static SECTION_TITLE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])"));

/// Why a row after the header is not a task row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Skip {
    /// Nothing in the row's task cells.
    Blank,
    /// 合计 / 小计 rows, signature rows (`填报人：`, `审核人：`…) and notes (`注：`).
    Footer,
    /// The header repeated (a printed table's header on every page).
    RepeatedHeader,
    /// A part or group title row (`一、…`, `（一）…`).
    SectionTitle,
}

/// Classifies a row from its non-blank cell texts (in column order), whether its task
/// cells are blank, whether it repeats the header and whether its id is valid.
pub fn skip_row(
    texts: &[String],
    task_cells_blank: bool,
    repeats_header: bool,
    id_valid: bool,
) -> Option<Skip> {
    if task_cells_blank {
        return Some(Skip::Blank);
    }
    let first = texts.first().map(|t| compact(t)).unwrap_or_default();
    if FOOTER_ROW.is_match(&first) {
        return Some(Skip::Footer);
    }
    if repeats_header {
        return Some(Skip::RepeatedHeader);
    }
    let mut distinct: Vec<&String> = texts.iter().collect();
    distinct.dedup();
    if !id_valid && distinct.len() == 1 && SECTION_TITLE.is_match(&first) {
        return Some(Skip::SectionTitle);
    }
    None
}

/// True when a row's first text opens the notes below a table (`说明：`, `注：`): the rows
/// under it that carry no status, percent or progress are numbered notes, not tasks.
pub fn opens_notes(first_text: &str) -> bool {
    NOTES_HEADING.is_match(&compact(first_text))
}

/// Where a row's cells are, for diagnostics.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RowPlace {
    /// The task-id cell (or the row when there is no id column).
    pub id: String,
    /// The task-text cell (or the row).
    pub text: String,
    /// The status cell.
    pub status: String,
    /// The percent cell.
    pub percent: String,
    /// The progress cell.
    pub progress: String,
    /// The row as a whole: its status cell, else its first cell.
    pub row: String,
}

/// The task a row is about: its id, or (no valid id, and `may_match_text`) the unit's task
/// whose text matches closely. `Err` is an `unknown-task` diagnostic (the row is dropped);
/// `Ok` may carry a `task-text-mismatch` warning for a match by text. The text of a row with
/// an id is checked separately ([`text_mismatch`]), after duplicates are dropped.
#[allow(clippy::result_large_err)] // `Diagnostic` is the crate's one problem shape; errors are rare
pub fn resolve_task(
    id: &Parsed<u32>,
    text: &str,
    unit: &str,
    place: &RowPlace,
    may_match_text: bool,
    ctx: &Context,
) -> Result<(u32, Option<Diagnostic>), Diagnostic> {
    match id {
        Parsed::Valid(id) if ctx.registry.task(*id).is_some() => Ok((*id, None)),
        Parsed::Valid(id) => Err(Diagnostic::new(
            Code::UnknownTask,
            format!(
                "任务序号{id}不在任务清单中（共{}项），该行未采用",
                ctx.registry.tasks.len()
            ),
        )
        .at(&place.id)
        .task(*id)
        .hint("请核对任务序号，按任务清单填写")),
        Parsed::Empty | Parsed::Invalid(_) => {
            let text = if may_match_text { text } else { "" };
            match_by_text(id, text, unit, place, ctx)
        }
    }
}

/// `task-text-mismatch` when the text written next to an id differs clearly from the
/// registry's text for that id.
pub fn text_mismatch(
    task: &Task,
    text: &str,
    unit: &str,
    place: &RowPlace,
    ctx: &Context,
) -> Option<Diagnostic> {
    if compact(text).is_empty() || text_similarity(text, &task.text) >= TEXT_MISMATCH_BELOW {
        return None;
    }
    let other = best_match(text, ctx.registry.tasks_led_by(unit), MATCH_ANY_TASK)
        .filter(|t| t.id != task.id)
        .map(|t| format!("（所填内容与任务{}一致，请核对序号）", t.id))
        .unwrap_or_default();
    Some(
        Diagnostic::new(
            Code::TaskTextMismatch,
            format!("任务{}的任务内容与任务清单不一致{other}", task.id),
        )
        .at(&place.text)
        .task(task.id)
        .hint(format!("任务清单原文：{}", task.text)),
    )
}

/// The best task whose text is at least `threshold` similar; ties go to the lower id.
fn best_match<'t>(text: &str, tasks: impl Iterator<Item = &'t Task>, threshold: f64) -> Option<&'t Task> {
    tasks
        .map(|t| (text_similarity(text, &t.text), t))
        .filter(|(score, _)| *score >= threshold)
        .fold(None, |best: Option<(f64, &Task)>, (score, t)| match best {
            Some((b, _)) if b >= score => best,
            _ => Some((score, t)),
        })
        .map(|(_, t)| t)
}

#[allow(clippy::result_large_err)] // `Diagnostic` is the crate's one problem shape; errors are rare
fn match_by_text(
    id: &Parsed<u32>,
    text: &str,
    unit: &str,
    place: &RowPlace,
    ctx: &Context,
) -> Result<(u32, Option<Diagnostic>), Diagnostic> {
    let written = match id {
        Parsed::Invalid(s) => format!("“{s}”"),
        _ => String::new(),
    };
    let found = if compact(text).is_empty() {
        None
    } else {
        best_match(text, ctx.registry.tasks_led_by(unit), MATCH_OWN_TASK)
            .or_else(|| best_match(text, ctx.registry.tasks.iter(), MATCH_ANY_TASK))
    };
    let Some(task) = found else {
        return Err(Diagnostic::new(
            Code::UnknownTask,
            format!(
                "任务序号{}无法识别，任务内容也无法与任务清单对应，该行未采用",
                if written.is_empty() {
                    "未填写".to_owned()
                } else {
                    written
                }
            ),
        )
        .at(&place.id)
        .hint("请填写任务清单中的序号（1–104 等整数）"));
    };
    let exact = super::values::squash(text) == super::values::squash(&task.text);
    let written = if written.is_empty() {
        "未填写".to_owned()
    } else {
        format!("{written}无法识别")
    };
    let how = if exact {
        "与任务清单一致"
    } else {
        "与任务清单不完全一致"
    };
    let warning = Diagnostic::new(
        Code::TaskTextMismatch,
        format!("序号{written}，已按任务内容（{how}）识别为任务{}", task.id),
    )
    .at(&place.text)
    .task(task.id)
    .hint(format!("请补填序号{}；任务清单原文：{}", task.id, task.text));
    Ok((task.id, Some(warning)))
}

/// `duplicate-task` for the second and later rows of one task (the row is dropped).
pub fn duplicate(task: u32, seen: &BTreeSet<u32>, place: &RowPlace) -> Option<Diagnostic> {
    seen.contains(&task).then(|| {
        Diagnostic::new(
            Code::DuplicateTask,
            format!("任务{task}在本文件中重复出现，仅采用第一次出现的行"),
        )
        .at(&place.id)
        .task(task)
        .hint("请删除或合并重复的行")
    })
}

/// `not-lead-unit` when `unit` neither leads the task nor reports for its lead.
pub fn not_lead(task: &Task, unit: &str, place: &RowPlace, ctx: &Context) -> Option<Diagnostic> {
    (!ctx.registry.reports_for(unit, task)).then(|| {
        Diagnostic::new(
            Code::NotLeadUnit,
            format!(
                "{unit}不是任务{}的牵头单位（牵头单位：{}），该行作为补充材料保留，不计入任务状态",
                task.id,
                task.lead.join("、")
            ),
        )
        .at(&place.id)
        .task(task.id)
        .hint("该任务进展由牵头单位报送；如系配合工作，可在备注中说明")
    })
}

/// `invalid-status` for a status that is neither canonical nor a configured synonym.
pub fn invalid_status(status: &Parsed<Status>, task: u32, place: &RowPlace) -> Option<Diagnostic> {
    let Parsed::Invalid(written) = status else {
        return None;
    };
    Some(
        Diagnostic::new(Code::InvalidStatus, format!("完成状态“{written}”无法识别"))
            .at(&place.status)
            .task(task)
            .hint(Status::allowed_values_hint()),
    )
}

/// A warning for a blank status cell: the task ends this file with no status.
pub fn blank_status(task: u32, place: &RowPlace) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidStatus,
        format!("任务{task}未填写完成状态，本文件未报送该任务的状态"),
    )
    .level(crate::diag::Level::Warning)
    .at(&place.status)
    .task(task)
    .hint(Status::allowed_values_hint())
}

/// `invalid-percent` for a percent that is not a number from 0 to 100.
pub fn invalid_percent(percent: &Parsed<Percent>, task: u32, place: &RowPlace) -> Option<Diagnostic> {
    let Parsed::Invalid(written) = percent else {
        return None;
    };
    Some(
        Diagnostic::new(
            Code::InvalidPercent,
            format!("完成进度“{written}”不是0–100之间的数"),
        )
        .at(&place.percent)
        .task(task)
        .hint("请填写0–100之间的数字，如 80 或 80%"),
    )
}

/// `status-percent-mismatch`: 已完成 below 100, or 未启动 above 0.
pub fn status_percent_mismatch(
    status: Option<Status>,
    percent: Option<f64>,
    task: u32,
    place: &RowPlace,
) -> Option<Diagnostic> {
    let (status, percent) = (status?, percent?);
    let contradicts = match status {
        Status::Completed => percent < 100.0,
        Status::NotStarted => percent > 0.0,
        _ => false,
    };
    contradicts.then(|| {
        Diagnostic::new(
            Code::StatusPercentMismatch,
            format!(
                "完成状态“{}”与完成进度{}%不符",
                status.label(),
                crate::ingest::format_number(percent)
            ),
        )
        .at(&place.percent)
        .task(task)
        .hint("请核对完成状态和完成进度")
    })
}

/// `empty-progress` when the progress cell is blank.
pub fn empty_progress(progress: &str, task: u32, place: &RowPlace) -> Option<Diagnostic> {
    progress.trim().is_empty().then(|| {
        Diagnostic::new(Code::EmptyProgress, format!("任务{task}未填写本期工作进展"))
            .at(&place.progress)
            .task(task)
            .hint("请补充本期工作进展")
    })
}

/// `missing-task` for every task `unit` is expected to report on that `reported` lacks,
/// located at the file's header or title (`at`: `进展情况!A3`, `表1!R1C1`, `第1段`).
pub fn missing_tasks(unit: &str, reported: &BTreeSet<u32>, at: &str, ctx: &Context) -> Vec<Diagnostic> {
    ctx.registry
        .tasks_led_by(unit)
        .filter(|t| !reported.contains(&t.id))
        .map(|t| {
            Diagnostic::new(
                Code::MissingTask,
                format!(
                    "{unit}牵头的任务{}未在本文件中报送（未读到该任务的行或段落）",
                    t.id
                ),
            )
            .at(at)
            .task(t.id)
            .unit(unit)
            .hint("请补报该任务的进展")
        })
        .collect()
}

/// The other evidence a row offers about its task, beside its id and its text.
#[derive(Debug, Clone, Default)]
pub struct RowEvidence {
    /// The row's 牵头单位 cell (blank when the table has none).
    pub lead: String,
    /// Ids in the row's other id-like columns (a running 序号 beside 任务编号).
    pub other_ids: Vec<u32>,
    /// The id cell's value is computed by a formula from the row's position (`=ROW()-3`): a
    /// running number that changes when rows are sorted, not an id the clerk wrote.
    pub running_id: bool,
    /// The id column counts 1, 2, 3… down the task rows and names tasks the unit does not
    /// lead: a running count, not the task list's ids.
    pub counted_id: bool,
}

/// What the cross-check of a row's id against its text decides.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The id and the text agree (or there is no text).
    Agree,
    /// The id is kept, with a warning.
    Keep(Diagnostic),
    /// The text's task is read instead of the id's, with a warning.
    Follow(u32, Diagnostic),
    /// Nothing settles the contradiction: an error, the row is not read.
    Reject(Diagnostic),
}

/// Cross-checks a row's id (`task`) against its task text: a text that matches another
/// task X closely contradicts the id. The unit's own tasks, the row's 牵头单位 cell and
/// the row's other id columns settle it (a warning naming the evidence, following the side
/// it supports); with nothing or both sides supported, an error at the id cell. A text that
/// differs without matching any task is a `task-text-mismatch` warning.
pub fn cross_check(
    task: &Task,
    text: &str,
    evidence: &RowEvidence,
    unit: &str,
    place: &RowPlace,
    ctx: &Context,
) -> Verdict {
    if compact(text).is_empty() || text_similarity(text, &task.text) >= TEXT_MISMATCH_BELOW {
        return Verdict::Agree;
    }
    let other = best_match(text, ctx.registry.tasks_led_by(unit), MATCH_OWN_TASK)
        .or_else(|| best_match(text, ctx.registry.tasks.iter(), MATCH_ANY_TASK))
        .filter(|t| t.id != task.id);
    let Some(other) = other else {
        return text_mismatch(task, text, unit, place, ctx).map_or(Verdict::Agree, Verdict::Keep);
    };
    let mut for_id = support(task, other, evidence, unit, ctx);
    let mut for_text = support(other, task, evidence, unit, ctx);
    if evidence.running_id && super::values::squash(text) == super::values::squash(&other.text) {
        // A formula's running number claims nothing about the task; only the row's own
        // 牵头单位 cell may still speak for the id's task.
        for_id.clear();
        if lead_names(task, other, evidence) {
            for_id.push(lead_reason(task, evidence));
        }
        for_text.push(format!(
            "序号由公式按行号生成（行序变动后随之改变），所填内容与任务{}原文完全一致",
            other.id
        ));
    }
    if evidence.counted_id && !evidence.running_id && ctx.registry.reports_for(unit, other) {
        // A running count claims nothing about the task; the text names one of the unit's own.
        for_id.clear();
        if lead_names(task, other, evidence) {
            for_id.push(lead_reason(task, evidence));
        }
        for_text.push(format!(
            "序号列自上而下为1、2、3……的流水号（含本单位未牵头的任务号），所填内容与本单位牵头的任务{}一致",
            other.id
        ));
    }
    match (for_id.is_empty(), for_text.is_empty()) {
        (true, false) => Verdict::Follow(other.id, settled(other, task, &for_text, place, true)),
        (false, true) => Verdict::Keep(settled(task, other, &for_id, place, false)),
        _ => Verdict::Reject(unsettled(task, other, place)),
    }
}

/// The evidence of a row that points at `task` rather than at `rival`.
fn support(task: &Task, rival: &Task, evidence: &RowEvidence, unit: &str, ctx: &Context) -> Vec<String> {
    let mut reasons = Vec::new();
    if ctx.registry.reports_for(unit, task) && !ctx.registry.reports_for(unit, rival) {
        reasons.push(format!("{unit}牵头任务{}而非任务{}", task.id, rival.id));
    }
    if lead_names(task, rival, evidence) {
        reasons.push(lead_reason(task, evidence));
    }
    if evidence.other_ids.contains(&task.id) && !evidence.other_ids.contains(&rival.id) {
        reasons.push(format!("本行另一序号列为{}", task.id));
    }
    reasons
}

/// True when the row's 牵头单位 cell names `task`'s lead units and not `rival`'s.
fn lead_names(task: &Task, rival: &Task, evidence: &RowEvidence) -> bool {
    let lead = compact(&evidence.lead);
    let names = |t: &Task| compact(&t.lead.join("、")) == lead;
    !lead.is_empty() && names(task) && !names(rival)
}

fn lead_reason(task: &Task, evidence: &RowEvidence) -> String {
    format!("牵头单位列“{}”与任务{}一致", evidence.lead.trim(), task.id)
}

/// The warning for a contradiction that other evidence settles in favour of `read`.
fn settled(read: &Task, rival: &Task, reasons: &[String], place: &RowPlace, by_text: bool) -> Diagnostic {
    let message = if by_text {
        format!(
            "序号{}与任务内容不符：所填内容为任务{}，{}，已按任务{}读取",
            rival.id,
            read.id,
            reasons.join("，"),
            read.id
        )
    } else {
        format!(
            "任务{}的任务内容与任务{}一致，但{}，仍按序号读取为任务{}",
            read.id,
            rival.id,
            reasons.join("，"),
            read.id
        )
    };
    Diagnostic::new(Code::TaskTextMismatch, message)
        .at(&place.id)
        .task(read.id)
        .hint(format!(
            "请核对序号与任务内容；任务{}原文：{}",
            read.id, read.text
        ))
}

/// The error for a contradiction nothing settles: the row is not read.
fn unsettled(task: &Task, other: &Task, place: &RowPlace) -> Diagnostic {
    Diagnostic::new(
        Code::TaskTextMismatch,
        format!(
            "序号{}与任务内容不符：所填内容与任务{}一致，无法确定本行是哪项任务，该行未采用",
            task.id, other.id
        ),
    )
    .level(crate::diag::Level::Error)
    .at(&place.id)
    .task(task.id)
    .hint(format!(
        "请核对序号与任务内容；任务{}原文：{}；任务{}原文：{}",
        task.id, task.text, other.id, other.text
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::registry::Registry;
    use std::path::Path;

    fn with_ctx(f: impl FnOnce(&Context)) {
        let config = Config::load(Path::new("templates/roundup.toml")).unwrap();
        let registry = Registry::load(&config.registry_path, &config.aliases)
            .unwrap()
            .with_delegates(&config.delegated_units);
        let round = config.round("2024Q1").unwrap().clone();
        f(&Context {
            registry: &registry,
            config: &config,
            round: &round,
        })
    }

    fn place() -> RowPlace {
        RowPlace {
            id: "S!A5".into(),
            text: "S!B5".into(),
            status: "S!D5".into(),
            percent: "S!E5".into(),
            progress: "S!F5".into(),
            row: "S!D5".into(),
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn rows_to_skip() {
        assert_eq!(skip_row(&[], true, false, false), Some(Skip::Blank));
        assert_eq!(
            skip_row(&s(&["合 计", "3"]), false, false, false),
            Some(Skip::Footer)
        );
        assert_eq!(
            skip_row(&s(&["填报人：张三", "审核人：李四"]), false, false, false),
            Some(Skip::Footer)
        );
        assert_eq!(
            skip_row(&s(&["序号", "试点任务"]), false, true, false),
            Some(Skip::RepeatedHeader)
        );
        assert_eq!(
            skip_row(&s(&["（一）充分竞争性服务业"]), false, false, false),
            Some(Skip::SectionTitle)
        );
        assert_eq!(skip_row(&s(&["5", "x", "推进中"]), false, false, true), None);
    }

    #[test]
    fn task_identity() {
        with_ctx(|ctx| {
            let p = place();
            let (id, warn) = resolve_task(&Parsed::Valid(1), "", "市科技局", &p, true, ctx).unwrap();
            assert_eq!((id, warn), (1, None));
            let err = resolve_task(&Parsed::Valid(105), "", "市科技局", &p, true, ctx).unwrap_err();
            assert_eq!(
                (err.code, err.location.as_deref(), err.task),
                (Code::UnknownTask, Some("S!A5"), Some(105))
            );
            let text = ctx.registry.task(1).unwrap().text.clone();
            let (id, warn) = resolve_task(&Parsed::Empty, &text, "市科技局", &p, true, ctx).unwrap();
            let warn = warn.unwrap();
            assert_eq!(
                (id, warn.code, warn.level, warn.location.as_deref()),
                (
                    1,
                    Code::TaskTextMismatch,
                    crate::diag::Level::Warning,
                    Some("S!B5")
                )
            );
            let edited = text.replacen("深化", "推进", 1);
            let (id, warn) = resolve_task(&Parsed::Empty, &edited, "市科技局", &p, true, ctx).unwrap();
            let warn = warn.unwrap();
            assert_eq!(
                (id, warn.code, warn.location.as_deref()),
                (1, Code::TaskTextMismatch, Some("S!B5"))
            );
            assert!(warn.suggestion.unwrap().contains(&text));
            let err =
                resolve_task(&Parsed::Invalid("五".into()), "不相干", "市科技局", &p, true, ctx).unwrap_err();
            assert_eq!(err.code, Code::UnknownTask);
            let task = ctx.registry.task(1).unwrap();
            let warn = text_mismatch(task, "完全不同的一项工作内容描述", "市科技局", &p, ctx).unwrap();
            assert_eq!(warn.code, Code::TaskTextMismatch);
            assert!(text_mismatch(task, &text, "市科技局", &p, ctx).is_none());
            let err = resolve_task(&Parsed::Empty, &text, "市科技局", &p, false, ctx).unwrap_err();
            assert_eq!(err.code, Code::UnknownTask);
        });
    }

    #[test]
    fn lead_duplicates_and_missing() {
        with_ctx(|ctx| {
            let p = place();
            let task = ctx.registry.task(1).unwrap();
            assert!(not_lead(task, "市科技局", &p, ctx).is_none());
            assert_eq!(not_lead(task, "市外办", &p, ctx).unwrap().code, Code::NotLeadUnit);
            let seen = BTreeSet::from([1]);
            assert_eq!(duplicate(1, &seen, &p).unwrap().code, Code::DuplicateTask);
            assert!(duplicate(2, &seen, &p).is_none());
            let led: BTreeSet<u32> = ctx.registry.tasks_led_by("市科技局").map(|t| t.id).collect();
            let mut reported = led.clone();
            let first = *led.iter().next().unwrap();
            reported.remove(&first);
            let missing = missing_tasks("市科技局", &reported, "S!A3", ctx);
            assert_eq!(missing.len(), 1);
            assert_eq!(
                (missing[0].code, missing[0].task, missing[0].location.as_deref()),
                (Code::MissingTask, Some(first), Some("S!A3"))
            );
        });
    }

    #[test]
    fn ids_contradicted_by_their_text() {
        with_ctx(|ctx| {
            let p = place();
            let (two, three) = (ctx.registry.task(2).unwrap(), ctx.registry.task(3).unwrap());
            let none = RowEvidence::default();
            assert_eq!(
                cross_check(two, &two.text, &none, "市金融局", &p, ctx),
                Verdict::Agree
            );
            // Task 2 and 3 are both 市金融局's, with the same lead units: nothing settles it.
            let Verdict::Reject(error) = cross_check(two, &three.text, &none, "市金融局", &p, ctx) else {
                panic!("an id its text contradicts is an error")
            };
            assert_eq!(
                (error.code, error.level, error.location.as_deref()),
                (Code::TaskTextMismatch, crate::diag::Level::Error, Some("S!A5"))
            );
            // Another id column of the row says 3: the text is followed, with a warning.
            let other = RowEvidence {
                other_ids: vec![3],
                ..RowEvidence::default()
            };
            let Verdict::Follow(3, warning) = cross_check(two, &three.text, &other, "市金融局", &p, ctx)
            else {
                panic!("the other id column settles it")
            };
            assert_eq!(
                (warning.level, warning.location.as_deref()),
                (crate::diag::Level::Warning, Some("S!A5"))
            );
            assert!(
                warning.message.contains("本行另一序号列为3"),
                "{}",
                warning.message
            );
        });
    }

    #[test]
    fn l5_a_running_count_yields_to_a_shortened_text_of_the_units_own_task() {
        with_ctx(|ctx| {
            let p = place();
            let (two, three) = (ctx.registry.task(2).unwrap(), ctx.registry.task(3).unwrap());
            let counted = RowEvidence {
                counted_id: true,
                ..RowEvidence::default()
            };
            // The row counts 2 but holds the first clause of task 3 (市金融局's own task).
            let short: String = three.text.chars().take(24).collect();
            let Verdict::Follow(3, warning) = cross_check(two, &short, &counted, "市金融局", &p, ctx)
            else {
                panic!("the text settles a running count")
            };
            assert_eq!(warning.level, crate::diag::Level::Warning);
            assert!(warning.message.contains("流水号"), "{}", warning.message);
            // Not a running count: still an error.
            assert!(matches!(
                cross_check(two, &short, &RowEvidence::default(), "市金融局", &p, ctx),
                Verdict::Reject(_)
            ));
        });
    }

    #[test]
    fn a_formula_running_number_yields_to_an_exact_task_text() {
        with_ctx(|ctx| {
            let p = place();
            let (two, three) = (ctx.registry.task(2).unwrap(), ctx.registry.task(3).unwrap());
            let running = RowEvidence {
                running_id: true,
                ..RowEvidence::default()
            };
            // `=ROW()-3` gave 2 after sorting; the row holds task 3's full text.
            let Verdict::Follow(3, warning) = cross_check(two, &three.text, &running, "市金融局", &p, ctx)
            else {
                panic!("a running number does not stand against an exact text")
            };
            assert_eq!(warning.level, crate::diag::Level::Warning);
            assert!(
                warning.message.contains("序号由公式按行号生成"),
                "{}",
                warning.message
            );
            // A text that is only close is not enough: still an error.
            let close: String = three.text.chars().skip(2).collect();
            assert!(!matches!(
                cross_check(two, &close, &running, "市金融局", &p, ctx),
                Verdict::Follow(..)
            ));
            // The row's own 牵头单位 cell naming task 2's leads keeps it contested.
            let lead_says_two = RowEvidence {
                running_id: true,
                lead: two.lead.join("、"),
                ..RowEvidence::default()
            };
            if compact(&two.lead.join("、")) != compact(&three.lead.join("、")) {
                assert!(matches!(
                    cross_check(two, &three.text, &lead_says_two, "市金融局", &p, ctx),
                    Verdict::Reject(_)
                ));
            }
        });
    }

    #[test]
    fn value_rules() {
        let p = place();
        let d = invalid_status(&Parsed::Invalid("差不多了".into()), 3, &p).unwrap();
        assert_eq!(
            (d.code, d.location.as_deref()),
            (Code::InvalidStatus, Some("S!D5"))
        );
        assert_eq!(
            d.suggestion.as_deref(),
            Some("可选值：未启动、推进中、已完成、常态化推进")
        );
        assert!(invalid_status(&Parsed::Empty, 3, &p).is_none());
        let d = invalid_percent(&Parsed::Invalid("120".into()), 3, &p).unwrap();
        assert_eq!(
            (d.code, d.location.as_deref()),
            (Code::InvalidPercent, Some("S!E5"))
        );
        assert!(status_percent_mismatch(Some(Status::Completed), Some(50.0), 3, &p).is_some());
        assert!(status_percent_mismatch(Some(Status::NotStarted), Some(10.0), 3, &p).is_some());
        assert!(status_percent_mismatch(Some(Status::NotStarted), Some(0.0), 3, &p).is_none());
        assert!(status_percent_mismatch(Some(Status::InProgress), Some(100.0), 3, &p).is_none());
        assert!(status_percent_mismatch(Some(Status::Completed), None, 3, &p).is_none());
        let d = empty_progress(" ", 3, &p).unwrap();
        assert_eq!(
            (d.code, d.location.as_deref()),
            (Code::EmptyProgress, Some("S!F5"))
        );
        assert!(empty_progress("做了", 3, &p).is_none());
    }
}
