//! The one statistics definition (统计口径), used by the workbook, the bulletin and the JSON:
//! per part, per group and per lead unit — tasks led, reported, each status, completion rate,
//! on time. Joint tasks count for each of their lead units; cooperating units never count.

use super::{Light, TaskOutcome, UnitSubmission};
use crate::registry::Registry;
use crate::vocab::Status;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Counts over a set of tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Tasks in the set.
    pub tasks: usize,
    /// Tasks with a status this round (not carried forward).
    pub reported: usize,
    /// 已完成
    pub completed: usize,
    /// 推进中
    pub in_progress: usize,
    /// 未启动
    pub not_started: usize,
    /// 常态化推进
    pub ongoing: usize,
    /// Green lights.
    pub green: usize,
    /// Yellow lights.
    pub yellow: usize,
    /// Red lights.
    pub red: usize,
}

impl Counts {
    fn add(&mut self, task: &TaskOutcome) {
        self.tasks += 1;
        if task.status.is_some() && !task.carried_forward {
            self.reported += 1;
        }
        if !task.carried_forward {
            match task.status {
                Some(Status::Completed) => self.completed += 1,
                Some(Status::InProgress) => self.in_progress += 1,
                Some(Status::NotStarted) => self.not_started += 1,
                Some(Status::Ongoing) => self.ongoing += 1,
                None => {}
            }
        }
        match task.light {
            Light::Green => self.green += 1,
            Light::Yellow => self.yellow += 1,
            Light::Red => self.red += 1,
        }
    }

    /// Tasks not reported this round.
    pub fn not_reported(&self) -> usize {
        self.tasks - self.reported
    }

    /// 已完成 ÷ tasks, as a percentage with one decimal (0 for an empty set).
    pub fn completion_rate(&self) -> f64 {
        percent_of(self.completed, self.tasks)
    }

    /// Count of a status.
    pub fn of(&self, status: Status) -> usize {
        match status {
            Status::Completed => self.completed,
            Status::InProgress => self.in_progress,
            Status::NotStarted => self.not_started,
            Status::Ongoing => self.ongoing,
        }
    }
}

/// `part ÷ whole` as a percentage rounded to one decimal.
pub fn percent_of(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// A labelled row of counts (a part or a group).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelledCounts {
    /// `一、…` or `（一）…`.
    pub label: String,
    /// The counts.
    pub counts: Counts,
}

/// A lead unit's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCounts {
    /// Unit name.
    pub unit: String,
    /// Counts over the tasks it leads (status as consolidated for the task).
    pub counts: Counts,
    /// True when the unit sent a file this round (used or not: 报送但有误 counts).
    pub submitted: bool,
    /// True when submitted and on time.
    pub on_time: bool,
}

/// All statistics of a round.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Statistics {
    /// Every task.
    pub overall: Counts,
    /// Per part, in registry order.
    pub by_part: Vec<LabelledCounts>,
    /// Per group, in registry order.
    pub by_group: Vec<LabelledCounts>,
    /// Per lead unit, in registry order.
    pub by_unit: Vec<UnitCounts>,
    /// Lead units in the registry.
    pub lead_units: usize,
    /// Lead units that submitted.
    pub units_submitted: usize,
    /// Lead units that submitted on time.
    pub units_on_time: usize,
}

/// Computes the statistics from the merged tasks and submissions.
pub fn compute(registry: &Registry, tasks: &[TaskOutcome], submissions: &[UnitSubmission]) -> Statistics {
    let mut stats = Statistics {
        by_part: registry
            .parts
            .iter()
            .map(|p| LabelledCounts {
                label: p.heading(),
                counts: Counts::default(),
            })
            .collect(),
        by_group: registry
            .groups
            .iter()
            .map(|g| LabelledCounts {
                label: g.heading(),
                counts: Counts::default(),
            })
            .collect(),
        ..Statistics::default()
    };
    let units = registry.lead_units();
    let unit_index: HashMap<&str, usize> = units.iter().enumerate().map(|(i, u)| (*u, i)).collect();
    let mut by_unit: Vec<Counts> = vec![Counts::default(); units.len()];
    for outcome in tasks {
        let Some(task) = registry.task(outcome.id) else {
            continue;
        };
        stats.overall.add(outcome);
        stats.by_part[task.part].counts.add(outcome);
        stats.by_group[task.group].counts.add(outcome);
        for lead in &task.lead {
            if let Some(&i) = unit_index.get(lead.as_str()) {
                by_unit[i].add(outcome);
            }
        }
    }
    let mut sent: HashMap<&str, &UnitSubmission> = HashMap::new();
    for s in submissions {
        if s.has_submitted() {
            sent.entry(s.unit.as_str()).or_insert(s);
        }
    }
    stats.by_unit = units
        .iter()
        .zip(by_unit)
        .map(|(unit, counts)| {
            let submission = sent.get(unit);
            UnitCounts {
                unit: unit.to_string(),
                counts,
                submitted: submission.is_some(),
                on_time: submission.is_some_and(|s| s.on_time),
            }
        })
        .collect();
    stats.lead_units = units.len();
    stats.units_submitted = stats.by_unit.iter().filter(|u| u.submitted).count();
    stats.units_on_time = stats.by_unit.iter().filter(|u| u.on_time).count();
    stats
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_to_one_decimal() {
        assert_eq!(percent_of(1, 3), 33.3);
        assert_eq!(percent_of(0, 0), 0.0);
        assert_eq!(percent_of(104, 104), 100.0);
    }
}
