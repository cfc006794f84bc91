//! Last round's answers of one unit, taken from the previous round's `roundup.json`, to
//! pre-fill the next round's forms: status and percent as the starting values of the
//! editable columns, and the progress text and status in locked 上期 columns.

use super::FormValues;
use crate::merge::roundup_json::RoundupJson;
use crate::render::xlsx::Cell;
use crate::vocab::{Field, Status};
use std::collections::BTreeMap;

/// Header of the locked column with last round's status.
pub const PREVIOUS_STATUS_HEADER: &str = "上期状态";
/// Header of the locked column with last round's progress text.
pub const PREVIOUS_PROGRESS_HEADER: &str = "上期进展";

/// What a unit reported on one task last round.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousAnswer {
    /// Status stated.
    pub status: Option<Status>,
    /// Percent stated.
    pub percent: Option<f64>,
    /// 本期工作进展 as written then (the Word narrative when the row had none).
    pub progress: String,
}

/// One unit's answers of the previous round.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitPrevious {
    /// The previous round's id (e.g. `2024Q1`).
    pub round_id: String,
    /// Task id -> the unit's answer.
    pub tasks: BTreeMap<u32, PreviousAnswer>,
}

impl UnitPrevious {
    /// The answers `unit` gave in `file` (its own reports only; other units' are ignored).
    pub fn of(file: &RoundupJson<'_>, unit: &str) -> UnitPrevious {
        let tasks = file
            .tasks
            .iter()
            .filter_map(|task| {
                let report = task.reports.iter().find(|r| r.unit == unit)?;
                let progress = if report.progress.trim().is_empty() {
                    report.narrative.as_deref().unwrap_or_default().trim().to_owned()
                } else {
                    report.progress.trim().to_owned()
                };
                let answer = PreviousAnswer {
                    status: report.status,
                    percent: report.percent,
                    progress,
                };
                Some((task.id, answer))
            })
            .collect();
        UnitPrevious {
            round_id: file.round.id.to_string(),
            tasks,
        }
    }

    /// The answer on `task`, when the unit gave one.
    pub fn answer(&self, task: u32) -> Option<&PreviousAnswer> {
        self.tasks.get(&task)
    }

    /// The starting values of the editable columns: last round's status and percent.
    pub fn starting_values(&self) -> FormValues {
        let rows = self
            .tasks
            .iter()
            .map(|(id, answer)| {
                let mut row = BTreeMap::new();
                if let Some(status) = answer.status {
                    row.insert(Field::Status, Cell::from(status.label()));
                }
                if let Some(percent) = answer.percent {
                    row.insert(Field::Percent, Cell::from(percent));
                }
                (*id, row)
            })
            .filter(|(_, row)| !row.is_empty())
            .collect();
        FormValues {
            rows,
            ..FormValues::default()
        }
    }

    /// `推进中（60%）`, `推进中`, or empty: last round's status for the 上期状态 column and
    /// the Word template.
    pub fn status_text(&self, task: u32) -> String {
        let Some(answer) = self.answer(task) else {
            return String::new();
        };
        let status = answer.status.map_or("", Status::label);
        match answer.percent {
            Some(p) if !status.is_empty() => format!("{status}（{}%）", percent_text(p)),
            Some(p) => format!("{}%", percent_text(p)),
            None => status.to_owned(),
        }
    }
}

/// `60` for 60.0, `62.5` for 62.5.
fn percent_text(p: f64) -> String {
    if p.fract() == 0.0 && p.abs() < 1e9 {
        format!("{}", p as i64)
    } else {
        format!("{p}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{"round":{"id":"2024Q1"},"tasks":[
        {"id":1,"reports":[{"unit":"市科技局","status":"推进中","percent":60,"progress":" 已出台方案 "}]},
        {"id":2,"reports":[{"unit":"市金融局","status":"已完成","percent":100,"progress":"完成"}]},
        {"id":3,"reports":[{"unit":"市科技局","narrative":"报告中的进展"}]}]}"#;

    #[test]
    fn a_unit_gets_its_own_answers() {
        let file = RoundupJson::parse(JSON).unwrap();
        let p = UnitPrevious::of(&file, "市科技局");
        assert_eq!(p.round_id, "2024Q1");
        assert_eq!(p.tasks.keys().copied().collect::<Vec<_>>(), [1, 3]);
        assert_eq!(p.answer(1).unwrap().progress, "已出台方案");
        assert_eq!(p.answer(3).unwrap().progress, "报告中的进展");
        assert_eq!(p.status_text(1), "推进中（60%）");
        assert_eq!(p.status_text(3), "");
        let start = p.starting_values();
        assert_eq!(start.rows.len(), 1);
        assert_eq!(start.rows[&1][&Field::Status], Cell::from("推进中"));
        assert_eq!(start.rows[&1][&Field::Percent], Cell::from(60.0));
    }
}
