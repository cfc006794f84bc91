//! Unchanged copies: a used report whose progress text is, word for word, what the same unit
//! wrote on the same task last round gets an `empty-progress` warning at that row (a form
//! returned without touching the row, or last quarter's answer pasted again). The warning is
//! located at the progress cell the text was read from (else where the report is).

use super::{PreviousRound, TaskOutcome};
use crate::diag::{Code, Diagnostic, Level};
use crate::validate::TaskReport;

/// The `empty-progress` warnings for reports that repeat the previous round's text.
pub fn unchanged_copies(tasks: &[TaskOutcome], previous: Option<&PreviousRound>) -> Vec<Diagnostic> {
    let Some(previous) = previous else {
        return Vec::new();
    };
    tasks
        .iter()
        .flat_map(|t| t.reports.iter())
        .filter(|r| is_copy(r, previous))
        .map(|r| warning(r, &previous.id))
        .collect()
}

/// True when the report's progress text is non-empty and equals one of the unit's texts on
/// the task last round (blank space ignored).
fn is_copy(report: &TaskReport, previous: &PreviousRound) -> bool {
    let now = squash(&report.progress);
    if now.is_empty() {
        return false;
    }
    previous
        .texts
        .get(&(report.task, report.unit.clone()))
        .is_some_and(|then| then.iter().any(|t| squash(t) == now))
}

/// The text without any blank space (line breaks and spaces do not make a text new).
fn squash(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn warning(report: &TaskReport, previous_round: &str) -> Diagnostic {
    let mut note = Diagnostic::new(
        Code::EmptyProgress,
        format!(
            "任务{}的本期工作进展与{previous_round}报送内容一字不差，视为未填写本期进展",
            report.task
        ),
    )
    .level(Level::Warning)
    .file(report.file.clone())
    .unit(report.unit.clone())
    .task(report.task)
    .hint("请填写本期新的工作进展，不要照抄上期内容");
    note.location = report.cells.progress.clone().or_else(|| report.location.clone());
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(progress: &str) -> TaskReport {
        TaskReport {
            task: 3,
            unit: "市科技局".into(),
            progress: progress.into(),
            file: "a.xlsx".into(),
            location: Some("进展情况!5".into()),
            ..TaskReport::default()
        }
    }

    fn previous() -> PreviousRound {
        PreviousRound {
            id: "2024Q1".into(),
            texts: [((3, "市科技局".to_string()), vec!["已出台 方案。".to_string()])]
                .into_iter()
                .collect(),
            ..PreviousRound::default()
        }
    }

    #[test]
    fn a_word_for_word_copy_is_warned_at_its_row() {
        let p = previous();
        assert!(is_copy(&report("已出台方案。\n"), &p));
        assert!(!is_copy(&report("已出台方案，正在实施。"), &p));
        assert!(!is_copy(&report(""), &p));
        let other_unit = TaskReport {
            unit: "市金融局".into(),
            ..report("已出台方案。")
        };
        assert!(!is_copy(&other_unit, &p));
        let d = warning(&report("已出台方案。"), "2024Q1");
        assert_eq!((d.code, d.level), (Code::EmptyProgress, Level::Warning));
        assert_eq!(d.location.as_deref(), Some("进展情况!5"));
        assert!(d.message.contains("2024Q1"), "{}", d.message);
    }
}
