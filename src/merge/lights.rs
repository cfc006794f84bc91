//! Traffic lights and 序时进度 (expected progress): the configurable rule that says whether a
//! task is on track.

use crate::config::{Lights, Pilot};
use crate::vocab::Status;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A task's traffic light.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Light {
    /// On track (绿).
    Green,
    /// Behind (黄).
    Yellow,
    /// Seriously behind, regressed or not reported (红).
    Red,
}

impl Light {
    /// 绿 / 黄 / 红
    pub fn label(self) -> &'static str {
        match self {
            Light::Green => "绿",
            Light::Yellow => "黄",
            Light::Red => "红",
        }
    }
}

/// 序时进度 at `date`: the elapsed share of the pilot, 0–100, rounded to one decimal.
pub fn expected_percent(pilot: &Pilot, date: NaiveDate) -> f64 {
    let total = (pilot.end - pilot.start).num_days().max(1) as f64;
    let elapsed = (date - pilot.start).num_days().clamp(0, total as i64) as f64;
    (elapsed / total * 1000.0).round() / 10.0
}

/// What the light rule looks at.
#[derive(Debug, Clone, Copy)]
pub struct LightInput {
    /// Consolidated status (`None`: not reported).
    pub status: Option<Status>,
    /// Consolidated percent.
    pub percent: Option<f64>,
    /// 序时进度 at the round's end.
    pub expected: f64,
    /// Days of the pilot elapsed at the round's end.
    pub elapsed_days: i64,
    /// True when the status went backwards since the previous round.
    pub regressed: bool,
    /// True when the status was carried forward from the previous round (nobody reported).
    pub carried_forward: bool,
}

/// The light for one task:
/// red when not reported (or only carried forward), regressed, or behind 序时进度 by more than
/// `red_margin`; yellow when behind by more than `yellow_margin` or 未启动 after the grace
/// period; green when 已完成, 常态化推进 or on track.
pub fn light_for(input: &LightInput, rules: &Lights) -> Light {
    let Some(status) = input.status else {
        return Light::Red;
    };
    if input.carried_forward || input.regressed {
        return Light::Red;
    }
    match status {
        Status::Completed | Status::Ongoing => return Light::Green,
        Status::NotStarted | Status::InProgress => {}
    }
    let percent = input.percent.unwrap_or(0.0);
    let gap = input.expected - percent;
    let by_gap = if gap > rules.red_margin {
        Light::Red
    } else if gap > rules.yellow_margin {
        Light::Yellow
    } else {
        Light::Green
    };
    let late_start = status == Status::NotStarted && input.elapsed_days > rules.not_started_grace_days;
    if late_start {
        by_gap.max(Light::Yellow)
    } else {
        by_gap
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input(status: Option<Status>, percent: Option<f64>, expected: f64) -> LightInput {
        LightInput {
            status,
            percent,
            expected,
            elapsed_days: 400,
            regressed: false,
            carried_forward: false,
        }
    }

    #[test]
    fn expected_percent_is_the_elapsed_share() {
        let pilot = Pilot {
            start: d(2023, 6, 3),
            end: d(2026, 6, 2),
        };
        assert_eq!(expected_percent(&pilot, d(2023, 6, 3)), 0.0);
        assert_eq!(expected_percent(&pilot, d(2026, 6, 2)), 100.0);
        assert_eq!(expected_percent(&pilot, d(2030, 1, 1)), 100.0);
        let mid = expected_percent(&pilot, d(2024, 12, 2));
        assert!((49.0..51.0).contains(&mid), "{mid}");
    }

    #[test]
    fn light_rules() {
        let rules = Lights::default();
        assert_eq!(light_for(&input(None, None, 50.0), &rules), Light::Red);
        assert_eq!(
            light_for(&input(Some(Status::Completed), Some(100.0), 50.0), &rules),
            Light::Green
        );
        assert_eq!(
            light_for(&input(Some(Status::Ongoing), None, 90.0), &rules),
            Light::Green
        );
        assert_eq!(
            light_for(&input(Some(Status::InProgress), Some(40.0), 50.0), &rules),
            Light::Green
        );
        assert_eq!(
            light_for(&input(Some(Status::InProgress), Some(30.0), 50.0), &rules),
            Light::Yellow
        );
        assert_eq!(
            light_for(&input(Some(Status::InProgress), Some(10.0), 50.0), &rules),
            Light::Red
        );
        let mut early = input(Some(Status::NotStarted), Some(0.0), 10.0);
        early.elapsed_days = 100;
        assert_eq!(light_for(&early, &rules), Light::Green);
        early.elapsed_days = 400;
        assert_eq!(light_for(&early, &rules), Light::Yellow);
        let mut regressed = input(Some(Status::InProgress), Some(90.0), 50.0);
        regressed.regressed = true;
        assert_eq!(light_for(&regressed, &rules), Light::Red);
    }
}
