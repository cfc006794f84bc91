//! The order among several files of one kind from one unit (contract §4), one rule after the
//! other: (1) a name that marks a file as old or abandoned (旧版, 初稿, 草稿, 作废, 废弃, 备份)
//! loses; (2) the later date wins, a file's date being its 填报日期, else its file time's day;
//! (3) on the same date, a name that marks a revision wins (最新, 修改, 修订, 更正, 终稿, 定稿;
//! `v3` over `v2`, `(2)` over `(1)`); (4) the later file time; (5) the first name in sort order.
//! Each comparison says which rule decided, so that the notes can name the evidence.

use crate::text::date::chinese_date;
use chrono::{NaiveDate, NaiveDateTime};
use regex::Regex;
use std::cmp::Ordering;
use std::sync::LazyLock;

/// Name words that mark a file as old or abandoned.
const ABANDONED: &[&str] = &["旧版", "初稿", "草稿", "作废", "废弃", "备份"];
/// Name words that mark a revision.
const REVISED: &[&str] = &["最新", "修改", "修订", "更正", "终稿", "定稿"];

/// `v3`, `V2` (not inside a word).
static VERSION: LazyLock<Regex> =
    LazyLock::new(|| crate::validate::regex(r"(?i)(?:^|[^a-z])(?P<w>v\s*(?P<n>\d{1,3}))(?:$|\D)"));
/// `(2)`, `（2）`, the numbered copies file managers and mail clients make.
static COPY: LazyLock<Regex> =
    LazyLock::new(|| crate::validate::regex(r"(?P<w>[(（]\s*(?P<n>\d{1,3})\s*[)）])"));

/// What a file's name says about its version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameMarks {
    /// The word marking it old or abandoned, if any.
    pub abandoned: Option<&'static str>,
    /// The revision marker as written (`修改`, `v3`, `(2)`), if any.
    pub revision: Option<String>,
    /// The revision's number (`v3` -> 3, `(2)` -> 2; 0 for a word).
    pub number: u32,
}

impl NameMarks {
    /// Reads the marks of a file name (its last path component, extension included or not).
    pub fn read(name: &str) -> NameMarks {
        let stem = name.rsplit('/').next().unwrap_or(name);
        let abandoned = ABANDONED.iter().copied().find(|w| stem.contains(w));
        let numbered = [&*VERSION, &*COPY].into_iter().find_map(|re| {
            let caps = re.captures(stem)?;
            let number = caps.name("n")?.as_str().parse::<u32>().ok()?;
            Some((caps.name("w")?.as_str().to_owned(), number))
        });
        let word = REVISED.iter().copied().find(|w| stem.contains(w));
        let (revision, number) = match (numbered, word) {
            (Some((written, n)), _) => (Some(written), n),
            (None, Some(w)) => (Some(w.to_owned()), 0),
            (None, None) => (None, 0),
        };
        NameMarks {
            abandoned,
            revision,
            number,
        }
    }

    /// How strongly the name claims to be a revision: unmarked < a word < a number (by value).
    fn rank(&self) -> (bool, u32) {
        (self.revision.is_some(), self.number)
    }
}

/// The rule that decided between two files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// (1) one name marks its file old or abandoned.
    Abandoned,
    /// (2) the later 填报日期 or file day.
    Date,
    /// (3) on the same date, one name marks a revision.
    Revision,
    /// (4) the later file time.
    FileTime,
    /// (5) the first name in sort order.
    Name,
}

/// Everything the order weighs about one file.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// The file (relative to the inbox).
    pub file: String,
    /// What its name says.
    pub marks: NameMarks,
    /// Its 填报日期, when it has one.
    pub filled: Option<NaiveDate>,
    /// Its file time, when known.
    pub time: Option<NaiveDateTime>,
}

impl Standing {
    /// A file's standing from its name, 填报日期 and file time.
    pub fn new(file: &str, filled: Option<NaiveDate>, time: Option<NaiveDateTime>) -> Standing {
        Standing {
            file: file.to_owned(),
            marks: NameMarks::read(file),
            filled,
            time,
        }
    }

    /// The date rule (2) compares: 填报日期, else the file time's day.
    pub fn date(&self) -> Option<NaiveDate> {
        self.filled.or(self.time.map(|t| t.date()))
    }

    /// `Greater` when `self` is preferred to `other`, with the rule that decided.
    pub fn against(&self, other: &Standing) -> (Ordering, Evidence) {
        let steps = [
            (
                other
                    .marks
                    .abandoned
                    .is_some()
                    .cmp(&self.marks.abandoned.is_some()),
                Evidence::Abandoned,
            ),
            (self.date().cmp(&other.date()), Evidence::Date),
            (self.marks.rank().cmp(&other.marks.rank()), Evidence::Revision),
            (self.time.cmp(&other.time), Evidence::FileTime),
            (other.file.cmp(&self.file), Evidence::Name),
        ];
        steps
            .into_iter()
            .find(|(order, _)| order.is_ne())
            .unwrap_or((Ordering::Equal, Evidence::Name))
    }

    /// How `self` and `other` are dated, for a message: `填报日期2024年10月9日` or
    /// `文件时间2024年10月9日`.
    fn dated(&self) -> String {
        match (self.filled, self.time) {
            (Some(d), _) => format!("填报日期{}", chinese_date(d)),
            (None, Some(t)) => format!("文件时间{}", chinese_date(t.date())),
            (None, None) => "无日期".to_owned(),
        }
    }

    /// Why `self` (the file used) was preferred to `other`, in Chinese, as `other`'s note says
    /// it: `本文件` is `other`, `其` the file used.
    pub fn reason(&self, other: &Standing, evidence: Evidence) -> String {
        let clock = |s: &Standing| s.time.map_or_else(String::new, |t| t.format("%H:%M").to_string());
        match evidence {
            Evidence::Abandoned => format!(
                "本文件的文件名标有“{}”",
                other.marks.abandoned.unwrap_or_default()
            ),
            Evidence::Date => format!("其{}，晚于本文件的{}", self.dated(), other.dated()),
            Evidence::Revision => format!(
                "两份文件日期相同，其文件名标有“{}”",
                self.marks.revision.as_deref().unwrap_or_default()
            ),
            Evidence::FileTime => format!(
                "两份文件日期相同，其文件时间{}晚于本文件的{}",
                clock(self),
                clock(other)
            ),
            Evidence::Name => "两份文件的日期、文件名标记与文件时间均相同，按文件名排序采用在前者".to_owned(),
        }
    }

    /// How one file is dated, as a clause about that file: `填报日期为2024年10月9日`, or
    /// `未写填报日期，文件时间为2024年10月9日`.
    fn own_date(&self) -> String {
        match (self.filled, self.time) {
            (Some(d), _) => format!("填报日期为{}", chinese_date(d)),
            (None, Some(t)) => format!("未写填报日期，文件时间为{}", chinese_date(t.date())),
            (None, None) => "无日期".to_owned(),
        }
    }

    /// The warning text on the file used when its date beat `other`'s revision marker: each
    /// file named with its own date.
    pub fn date_over_marker(&self, other: &Standing) -> String {
        format!(
            "“{}”的文件名标有“{}”，但本文件{}，“{}”{}，本文件日期在后，按日期采用了本文件",
            other.file,
            other.marks.revision.as_deref().unwrap_or_default(),
            self.own_date(),
            other.file,
            other.own_date()
        )
    }

    /// True when the date decided against a name marking `other` as a revision (a file named
    /// 最新 that is older by its date): the choice deserves a warning.
    pub fn date_beat_marker(&self, other: &Standing, evidence: Evidence) -> bool {
        evidence == Evidence::Date && other.marks.rank() > self.marks.rank()
    }
}

/// The index of the preferred standing (the first on a complete tie, which cannot happen
/// between two different paths).
pub fn preferred(standings: &[Standing]) -> usize {
    let mut best = 0;
    for (i, s) in standings.iter().enumerate().skip(1) {
        if s.against(&standings[best]).0 == Ordering::Greater {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2024, 10, d)
    }

    fn time(d: u32, h: u32) -> Option<NaiveDateTime> {
        day(d)?.and_hms_opt(h, 0, 0)
    }

    #[test]
    fn name_marks() {
        let marks = |n: &str| {
            let m = NameMarks::read(n);
            (m.abandoned, m.revision, m.number)
        };
        assert_eq!(marks("市教育局进展表.xlsx"), (None, None, 0));
        assert_eq!(marks("作废-市教育局进展表.xlsx"), (Some("作废"), None, 0));
        assert_eq!(marks("进展（初稿）.xlsx"), (Some("初稿"), None, 0));
        assert_eq!(marks("进展表v3.xlsx"), (None, Some("v3".into()), 3));
        assert_eq!(marks("进展表 V2.xlsx"), (None, Some("V2".into()), 2));
        assert_eq!(marks("进展表(2).xlsx"), (None, Some("(2)".into()), 2));
        assert_eq!(marks("进展表（3）.xlsx"), (None, Some("（3）".into()), 3));
        assert_eq!(marks("进展表（修改）.xlsx"), (None, Some("修改".into()), 0));
        assert_eq!(marks("进展表（最新）.xlsx"), (None, Some("最新".into()), 0));
        assert_eq!(marks("进展表(2024).xlsx"), (None, None, 0));
        assert_eq!(marks("2024Q3/dev2.xlsx"), (None, None, 0));
    }

    #[test]
    fn the_order_of_the_contract_as_a_table() {
        // (a, b, the preferred one, the rule that decided)
        let s = Standing::new;
        let cases = [
            (
                s("x（初稿）.xlsx", day(9), time(9, 9)),
                s("x.xlsx", day(8), time(8, 9)),
                1,
                Evidence::Abandoned,
            ),
            (
                s("作废-x.xlsx", day(10), None),
                s("x.xlsx", None, time(8, 9)),
                1,
                Evidence::Abandoned,
            ),
            (
                s("x（最新）.xlsx", day(7), time(9, 12)),
                s("x.xlsx", day(9), time(9, 10)),
                1,
                Evidence::Date,
            ),
            (
                s("x(2).xlsx", None, time(8, 12)),
                s("x.xlsx", None, time(9, 12)),
                1,
                Evidence::Date,
            ),
            (
                s("x.xlsx", day(9), time(9, 8)),
                s("x.xlsx", None, time(8, 20)),
                0,
                Evidence::Date,
            ),
            (
                s("表v2.xlsx", day(9), time(9, 15)),
                s("表v3.xlsx", day(9), time(9, 10)),
                1,
                Evidence::Revision,
            ),
            (
                s("x.xlsx", day(9), time(9, 16)),
                s("x（修改）.xlsx", day(9), time(9, 11)),
                1,
                Evidence::Revision,
            ),
            (
                s("x（修改）.xlsx", day(9), None),
                s("x v2.xlsx", day(9), None),
                1,
                Evidence::Revision,
            ),
            (
                s("x(1).xlsx", day(9), None),
                s("x(2).xlsx", day(9), None),
                1,
                Evidence::Revision,
            ),
            (
                s("x-上午.xlsx", None, time(8, 9)),
                s("x-下午.xlsx", None, time(8, 15)),
                1,
                Evidence::FileTime,
            ),
            (
                s("x-甲.xlsx", None, time(8, 12)),
                s("x-乙.xlsx", None, time(8, 12)),
                1,
                Evidence::Name,
            ),
        ];
        for (a, b, winner, rule) in cases {
            let (order, evidence) = a.against(&b);
            let got = if order == Ordering::Greater { 0 } else { 1 };
            assert_eq!((got, evidence), (winner, rule), "{} vs {}", a.file, b.file);
            assert_eq!(b.against(&a).1, rule, "symmetric: {} vs {}", a.file, b.file);
            assert_eq!(
                preferred(&[a.clone(), b.clone()]),
                winner,
                "{} vs {}",
                a.file,
                b.file
            );
        }
    }

    #[test]
    fn a_date_that_beats_a_revision_marker_is_noticed() {
        let newest = Standing::new("x.xlsx", day(9), None);
        let marked = Standing::new("x（最新）.xlsx", day(7), None);
        let (_, evidence) = newest.against(&marked);
        assert!(newest.date_beat_marker(&marked, evidence));
        let plain = Standing::new("x-旧.xlsx", day(7), None);
        assert!(!newest.date_beat_marker(&plain, newest.against(&plain).1));
        assert_eq!(
            newest.reason(&marked, evidence),
            "其填报日期2024年10月9日，晚于本文件的填报日期2024年10月7日"
        );
        assert_eq!(
            newest.date_over_marker(&marked),
            "“x（最新）.xlsx”的文件名标有“最新”，但本文件填报日期为2024年10月9日，“x（最新）.xlsx”填报日期为2024年10月7日，本文件日期在后，按日期采用了本文件"
        );
        // A file with no 填报日期 is dated by its file time, and says so in its own clause.
        let untitled = Standing::new("y.xlsx", None, time(9, 11));
        assert_eq!(
            untitled.date_over_marker(&marked),
            "“x（最新）.xlsx”的文件名标有“最新”，但本文件未写填报日期，文件时间为2024年10月9日，“x（最新）.xlsx”填报日期为2024年10月7日，本文件日期在后，按日期采用了本文件"
        );
    }
}
