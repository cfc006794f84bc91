//! Round history: the previous round's `roundup.json`, read leniently, supplies each task's
//! previous status for the change column and for carrying a status forward.

use super::roundup_json::RoundupJson;
use crate::vocab::Status;
use std::collections::BTreeMap;

/// What the previous round's result says about each task.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousRound {
    /// The previous round's id.
    pub id: String,
    /// Task id -> status (`None`: not reported then).
    pub statuses: BTreeMap<u32, Option<Status>>,
    /// Task id -> percent.
    pub percents: BTreeMap<u32, Option<f64>>,
}

impl PreviousRound {
    /// Parses a `roundup.json` ([`RoundupJson`]); `None` when it is not one.
    pub fn from_json(text: &str) -> Option<PreviousRound> {
        let file = RoundupJson::parse(text)?;
        Some(PreviousRound {
            id: file.round.id.into_owned(),
            statuses: file.tasks.iter().map(|t| (t.id, t.status)).collect(),
            percents: file.tasks.iter().map(|t| (t.id, t.percent)).collect(),
        })
    }

    /// The previous status of a task.
    pub fn status(&self, task: u32) -> Option<Status> {
        self.statuses.get(&task).copied().flatten()
    }
}

/// Order of progress, for detecting regressions: 未启动 < 推进中 < 已完成 = 常态化推进.
pub fn rank(status: Status) -> u8 {
    match status {
        Status::NotStarted => 0,
        Status::InProgress => 1,
        Status::Completed | Status::Ongoing => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_roundup_json() {
        let text = r#"{"round":{"id":"2024Q1"},"tasks":[{"id":1,"status":"推进中","percent":40},{"id":2,"status":null}]}"#;
        let p = PreviousRound::from_json(text).unwrap();
        assert_eq!(p.id, "2024Q1");
        assert_eq!(p.status(1), Some(Status::InProgress));
        assert_eq!(p.status(2), None);
        assert_eq!(p.status(3), None);
        assert!(PreviousRound::from_json("{}").is_none());
        assert!(PreviousRound::from_json("not json").is_none());
    }

    #[test]
    fn ranks_order_progress() {
        assert!(rank(Status::NotStarted) < rank(Status::InProgress));
        assert_eq!(rank(Status::Completed), rank(Status::Ongoing));
    }
}
