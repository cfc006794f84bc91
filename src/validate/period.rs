//! Period labels in progress-table headers (contract §2): a group label above repeated
//! status / percent columns (`本期` / `上期`, `2024年第三季度` / `2024年第二季度`, `累计`), or a
//! period written in the header cell itself (`完成状态（本季度）`, `上季度完成进度`), compared
//! with the round being consolidated.

use super::identify::rounds_named;
use super::values::compact;
use super::{regex, Context};
use chrono::Datelike;
use regex::Regex;
use std::sync::LazyLock;

/// What a period label says about the round being consolidated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Period {
    /// This round: `本期`, `本季度`, the round's own quarter (`2024年第三季度`, `三季度`, `2024Q3`).
    Current,
    /// Since the start (`累计`, `年初至今`, `前三季度`): read only when no column names this round.
    Cumulative,
    /// A plan or target (`计划`, `目标进度`; a label that starts with the word): never the
    /// value reported.
    Planned,
    /// Another period (`上期`, `上季度`, another round's quarter): never read.
    Previous,
}

impl Period {
    /// Chinese description for messages.
    pub fn label(self) -> &'static str {
        match self {
            Period::Current => "本轮",
            Period::Cumulative => "累计",
            Period::Planned => "计划",
            Period::Previous => "其他期别",
        }
    }
}

const CURRENT: &[&str] = &["本期", "本季", "当期", "当季", "本轮", "本次", "实际"];
const CUMULATIVE: &[&str] = &[
    "累计",
    "累积",
    "年初至今",
    "截至",
    "截止",
    "至今",
    "前三季度",
    "前两季度",
    "前二季度",
    "上半年",
    "全年",
    "年度",
];
const PLANNED: &[&str] = &["计划", "目标", "预计", "预期"];
const PREVIOUS: &[&str] = &["上期", "上季", "上一", "上轮", "上次", "上年", "去年", "同期"];

/// A quarter named without its year: `三季度`, `第3季度`, `Q3`.
static QUARTER: LazyLock<Regex> = LazyLock::new(|| regex(r"第?([一二三四1-4])季度?|[qQ]([1-4])"));
/// A year or month in a label: `2024年`, `9月`, `2024`.
static DATED: LazyLock<Regex> = LazyLock::new(|| regex(r"\d{4}年?|\d{1,2}月"));

fn has_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// True when `text` reads as a period label at all (whatever the round): a period word, a
/// quarter, a year or a month. Used to accept `本季度完成状态` as 完成状态 with a period.
pub fn is_period_label(text: &str) -> bool {
    let key = compact(text);
    !key.is_empty()
        && (has_any(&key, CURRENT)
            || has_any(&key, CUMULATIVE)
            || has_any(&key, PLANNED)
            || has_any(&key, PREVIOUS)
            || QUARTER.is_match(&key)
            || DATED.is_match(&key))
}

/// Reads period labels against one round.
#[derive(Debug, Clone, Copy)]
pub struct Periods<'a> {
    ctx: Context<'a>,
    quarter: u32,
}

impl<'a> Periods<'a> {
    /// The period reader for the round of `ctx`.
    pub fn of(ctx: &Context<'a>) -> Periods<'a> {
        Periods {
            ctx: *ctx,
            quarter: (ctx.round.start.month() - 1) / 3 + 1,
        }
    }

    /// The period a label names, when it names one unambiguously.
    pub fn classify(&self, text: &str) -> Option<Period> {
        let key = compact(text);
        if key.is_empty() {
            return None;
        }
        if PLANNED.iter().any(|w| key.starts_with(w)) && !has_any(&key, CURRENT) {
            return Some(Period::Planned);
        }
        let dated = self.months(&key);
        if dated == Some(Period::Previous) {
            return dated;
        }
        if has_any(&key, CUMULATIVE) {
            return Some(Period::Cumulative);
        }
        if dated.is_some() {
            return dated;
        }
        let (current, other) = self.round_named(&key);
        let current = current || has_any(&key, CURRENT);
        let other = other || has_any(&key, PREVIOUS);
        match (current, other) {
            (true, false) => Some(Period::Current),
            (false, true) => Some(Period::Previous),
            _ => None,
        }
    }

    /// Whether `key` names this round, and whether it names another one (with or without
    /// the year).
    fn round_named(&self, key: &str) -> (bool, bool) {
        let named = rounds_named(key, &self.ctx);
        if !named.is_empty() {
            let this = named.contains(&self.ctx.round.id);
            return (this, !this || named.len() > 1);
        }
        let quarters: Vec<u32> = QUARTER
            .captures_iter(key)
            .filter_map(|c| c.get(1).or_else(|| c.get(2)))
            .filter_map(|m| quarter_number(m.as_str()))
            .collect();
        let this = quarters.contains(&self.quarter);
        let other = quarters.iter().any(|q| *q != self.quarter);
        (this, other)
    }
}

impl Periods<'_> {
    /// The period a label's months name (`9月`, `7-9月`, `2024年6月30日`, `1-9月`): every
    /// month in the round is this round, months ending before it another period, months
    /// starting before it and ending in it cumulative; months after it name nothing.
    fn months(&self, key: &str) -> Option<Period> {
        let caps = MONTHS.captures(key)?;
        let number = |i: usize| caps.get(i).and_then(|m| m.as_str().parse::<i32>().ok());
        let year = number(1).unwrap_or(self.ctx.round.end.year());
        let to = number(3).or(number(2))?;
        let from = number(2)?;
        let month = |m: i32| year * 12 + m;
        let (start, end) = (
            self.round_month(self.ctx.round.start),
            self.round_month(self.ctx.round.end),
        );
        if month(to) < start {
            Some(Period::Previous)
        } else if month(to) > end {
            None
        } else if month(from) < start {
            Some(Period::Cumulative)
        } else {
            Some(Period::Current)
        }
    }

    fn round_month(&self, date: chrono::NaiveDate) -> i32 {
        date.year() * 12 + date.month() as i32
    }
}

/// Months in a label: `2024年9月`, `9月`, `7-9月`, `7月至9月`.
static MONTHS: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:(\d{4})年)?(\d{1,2})(?:月?[-—~～至到](\d{1,2}))?月"));

fn quarter_number(text: &str) -> Option<u32> {
    match text {
        "一" | "1" => Some(1),
        "二" | "2" => Some(2),
        "三" | "3" => Some(3),
        "四" | "4" => Some(4),
        _ => None,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::Config;
    use crate::registry::Registry;
    use std::path::Path;

    pub(crate) fn with_round(id: &str, f: impl FnOnce(&Context)) {
        let config = Config::load(Path::new("templates/roundup.toml")).unwrap();
        let registry = Registry::load(&config.registry_path, &config.aliases).unwrap();
        let round = config.round(id).unwrap().clone();
        f(&Context {
            registry: &registry,
            config: &config,
            round: &round,
        })
    }

    #[test]
    fn labels_are_read_against_the_round() {
        with_round("2024Q3", |ctx| {
            let p = Periods::of(ctx);
            for current in [
                "本期",
                "本季度",
                "2024年第三季度",
                "2024年三季度",
                "三季度",
                "2024Q3",
                "第3季度",
            ] {
                assert_eq!(p.classify(current), Some(Period::Current), "{current}");
            }
            for previous in ["上期", "上季度", "2024年第二季度", "二季度", "2024Q2", "上年同期"]
            {
                assert_eq!(p.classify(previous), Some(Period::Previous), "{previous}");
            }
            assert_eq!(p.classify("累计"), Some(Period::Cumulative));
            assert_eq!(p.classify("截至2024年9月30日"), Some(Period::Cumulative));
            assert_eq!(p.classify("截至6月底"), Some(Period::Previous));
            assert_eq!(p.classify("7-9月"), Some(Period::Current));
            assert_eq!(p.classify("9月"), Some(Period::Current));
            assert_eq!(p.classify("2024年6月30日"), Some(Period::Previous));
            assert_eq!(p.classify("1-9月"), Some(Period::Cumulative));
            assert_eq!(p.classify("前三季度"), Some(Period::Cumulative));
            assert_eq!(p.classify("计划"), Some(Period::Planned));
            assert_eq!(p.classify("推进计划及完成情况"), None);
            assert_eq!(p.classify("前期工作"), None);
            assert_eq!(p.classify("推进情况"), None);
            assert_eq!(p.classify("本期较上期"), None);
            assert_eq!(p.classify(""), None);
        });
    }

    #[test]
    fn period_like_texts() {
        assert!(is_period_label("本季度"));
        assert!(is_period_label("2024Q3"));
        assert!(is_period_label("上期"));
        assert!(!is_period_label("下拉选择"));
        assert!(!is_period_label("status"));
    }
}
