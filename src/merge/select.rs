//! Which file counts: among several files of one kind from one unit the newest (填报日期, then
//! file time) is used and the rest are superseded; files dated after the deadline are late.

use super::Outcome;
use crate::config::Round;
use crate::diag::{Code, Diagnostic};
use crate::ingest::FileKind;
use crate::text::date::chinese_date;
use crate::validate::CheckedFile;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// How many days after the deadline a file time still says when the file was made. Later
/// times come from copying (a checkout, a USB stick) and say nothing about submission.
const FILE_TIME_WINDOW_DAYS: u64 = 60;

impl CheckedFile {
    /// The date the file counts as submitted: 填报日期, else a plausible file time.
    pub fn submitted_on(&self, round: &Round) -> Option<NaiveDate> {
        self.result.filled_date.or_else(|| {
            self.modified.filter(|m| {
                *m >= round.start && *m <= round.deadline + chrono::Days::new(FILE_TIME_WINDOW_DAYS)
            })
        })
    }
}

/// Decides each file's outcome, adding `superseded` and `late-submission` diagnostics, and
/// names each diagnostic's file and unit where the reader left them out.
pub fn select(files: &mut [CheckedFile], round: &Round) -> Vec<Outcome> {
    let mut outcomes = first_outcomes(files);
    for members in usable_by_unit_and_kind(files, &outcomes).values() {
        supersede_older(files, members, &mut outcomes);
    }
    flag_late(files, &outcomes, round);
    attribute_diagnostics(files);
    outcomes
}

/// Rejected for a rejected file or one of no known unit, else used (for now).
fn first_outcomes(files: &[CheckedFile]) -> Vec<Outcome> {
    files
        .iter()
        .map(|f| {
            if f.result.rejected || f.result.unit.is_none() {
                Outcome::Rejected
            } else {
                Outcome::Used
            }
        })
        .collect()
}

/// The usable files (indices) grouped by unit and kind.
fn usable_by_unit_and_kind(
    files: &[CheckedFile],
    outcomes: &[Outcome],
) -> BTreeMap<(String, FileKind), Vec<usize>> {
    let mut groups: BTreeMap<(String, FileKind), Vec<usize>> = BTreeMap::new();
    for (i, f) in files.iter().enumerate() {
        if outcomes[i] == Outcome::Used {
            if let Some(unit) = &f.result.unit {
                groups.entry((unit.clone(), f.result.kind)).or_default().push(i);
            }
        }
    }
    groups
}

/// The newest of `members` (填报日期, then file time; on a tie the first by name).
fn newest(files: &[CheckedFile], members: &[usize]) -> usize {
    members
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let key = |i: usize| (files[i].result.filled_date, files[i].modified);
            key(a)
                .cmp(&key(b))
                .then_with(|| files[b].result.file.cmp(&files[a].result.file))
        })
        .unwrap_or(members[0])
}

/// Marks every member but the newest superseded, with a note naming the one used.
fn supersede_older(files: &mut [CheckedFile], members: &[usize], outcomes: &mut [Outcome]) {
    let newest = newest(files, members);
    for &i in members.iter().filter(|&&i| i != newest) {
        outcomes[i] = Outcome::Superseded;
        let note = Diagnostic::new(
            Code::Superseded,
            format!("同一单位报送了多份{}，本文件未采用", files[i].result.kind.label()),
        )
        .hint(format!("采用的是较新的“{}”", files[newest].result.file));
        files[i].result.diagnostics.push(note);
    }
}

/// A `late-submission` note on every used file submitted after the deadline.
fn flag_late(files: &mut [CheckedFile], outcomes: &[Outcome], round: &Round) {
    for (f, _) in files
        .iter_mut()
        .zip(outcomes)
        .filter(|(_, o)| **o == Outcome::Used)
    {
        if let Some(day) = f.submitted_on(round).filter(|d| *d > round.deadline) {
            let note = Diagnostic::new(
                Code::LateSubmission,
                format!(
                    "报送日期{}晚于截止日期{}",
                    chinese_date(day),
                    chinese_date(round.deadline)
                ),
            );
            f.result.diagnostics.push(note);
        }
    }
}

/// Gives every diagnostic without a file or unit its file's.
fn attribute_diagnostics(files: &mut [CheckedFile]) {
    for f in files.iter_mut() {
        let (file, unit) = (f.result.file.clone(), f.result.unit.clone());
        for d in &mut f.result.diagnostics {
            d.file.get_or_insert_with(|| file.clone());
            if d.unit.is_none() {
                d.unit = unit.clone();
            }
        }
    }
}
