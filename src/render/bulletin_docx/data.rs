//! What the bulletin template sees: figures from the one statistics definition
//! ([`crate::merge::stats`]), highlights, cases, lagging tasks, reporting discipline, problems
//! and next steps gathered from the round report — plus the data tables the block language
//! can place (`::table lagging`, `::table parts`).

use super::text;
use crate::config::BulletinKind;
use crate::merge::stats::{percent_of, Counts};
use crate::merge::{Change, Light, RoundReport, TaskOutcome};
use crate::render::RenderContext;
use crate::text::date::chinese_date;
use crate::vocab::Status;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Highlights per part of the plan.
const HIGHLIGHTS_PER_PART: usize = 3;

/// The template's context.
#[derive(Debug, Clone, Serialize)]
pub struct BulletinData {
    /// `简报` or `通报`.
    pub kind: String,
    /// The issuing office.
    pub office: OfficeData,
    /// The round.
    pub round: RoundData,
    /// 期号 (简报) / 发文字号 sequence number (通报).
    pub issue: u32,
    /// The issue's year (for 发文字号).
    pub year: i32,
    /// The printed date, `2024年7月10日`.
    pub date: String,
    /// The previous round, when its result was found.
    pub previous: Option<PreviousData>,
    /// Figures over all tasks.
    pub overall: CountsData,
    /// Changes since the previous round (absent without one).
    pub change: Option<ChangeData>,
    /// Per part of the plan.
    pub parts: Vec<PartData>,
    /// Typical cases from Word reports.
    pub cases: Vec<CaseData>,
    /// Yellow and red tasks in registry order.
    pub lagging: Vec<LaggingData>,
    /// Reporting discipline.
    pub reporting: ReportingData,
    /// Problems reported, de-duplicated.
    pub problems: Vec<ItemData>,
    /// Next steps reported, de-duplicated.
    pub next_steps: Vec<ItemData>,
    /// Policy requests reported, de-duplicated.
    pub policy_requests: Vec<ItemData>,
}

/// Office names.
#[derive(Debug, Clone, Serialize)]
pub struct OfficeData {
    /// 编发单位.
    pub name: String,
    /// The leading group.
    pub leading_group: String,
    /// 简报名称.
    pub bulletin_name: String,
    /// The pilot's name: the leading group without `工作领导小组`.
    pub pilot: String,
}

/// Round names and dates (dates as printed).
#[derive(Debug, Clone, Serialize)]
pub struct RoundData {
    /// `2024Q2`
    pub id: String,
    /// `2024年第二季度`
    pub title: String,
    /// First day, `2024年4月1日`.
    pub start: String,
    /// Last day, `2024年6月30日`.
    pub end: String,
    /// Deadline, `2024年7月10日`.
    pub deadline: String,
}

/// The previous round.
#[derive(Debug, Clone, Serialize)]
pub struct PreviousData {
    /// Its id.
    pub id: String,
    /// Its title (`2024年第一季度`), else its id.
    pub title: String,
}

/// The one [`Counts`] with what the template prints besides: tasks not reported and each
/// share (`33.3%`). The counts' fields are flattened in (`overall.tasks`, `overall.green`).
#[derive(Debug, Clone, Serialize)]
pub struct CountsData {
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
    /// Not reported this round.
    pub not_reported: usize,
    /// 已完成 share, `33.3%`.
    pub completed_share: String,
    /// 推进中 share.
    pub in_progress_share: String,
    /// 未启动 share.
    pub not_started_share: String,
    /// 常态化推进 share.
    pub ongoing_share: String,
    /// Not reported share.
    pub not_reported_share: String,
    /// Completion rate (= 已完成 share).
    pub completion_rate: String,
}

impl From<&Counts> for CountsData {
    fn from(c: &Counts) -> Self {
        let share = |n: usize| text::share(percent_of(n, c.tasks));
        CountsData {
            counts: *c,
            not_reported: c.not_reported(),
            completed_share: share(c.completed),
            in_progress_share: share(c.in_progress),
            not_started_share: share(c.not_started),
            ongoing_share: share(c.ongoing),
            not_reported_share: share(c.not_reported()),
            completion_rate: text::share(c.completion_rate()),
        }
    }
}

/// Changes since the previous round.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ChangeData {
    /// The previous round's title.
    pub previous: String,
    /// 新完成
    pub newly_completed: usize,
    /// 有进展
    pub advanced: usize,
    /// 状态倒退
    pub regressed: usize,
    /// 无变化
    pub unchanged: usize,
    /// 新报送
    pub newly_reported: usize,
}

/// One part of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct PartData {
    /// `一`
    pub number: String,
    /// The part's title.
    pub title: String,
    /// `一、…`
    pub heading: String,
    /// Its figures.
    pub counts: CountsData,
    /// Two or three highlights from the units' reports.
    pub highlights: Vec<HighlightData>,
}

/// A highlight: one or two sentences of a unit's report on a task.
#[derive(Debug, Clone, Serialize)]
pub struct HighlightData {
    /// The reporting unit.
    pub unit: String,
    /// The task id.
    pub task: u32,
    /// The trimmed text.
    pub text: String,
    /// The text naming its unit: as is when it names the unit, else prefixed with it
    /// (`市商务局…`).
    pub sentence: String,
}

/// A typical case.
#[derive(Debug, Clone, Serialize)]
pub struct CaseData {
    /// The reporting unit.
    pub unit: String,
    /// The case's title.
    pub title: String,
    /// The case trimmed to a few sentences.
    pub text: String,
}

/// A yellow or red task.
#[derive(Debug, Clone, Serialize)]
pub struct LaggingData {
    /// Task id.
    pub id: u32,
    /// The task text, shortened.
    pub task: String,
    /// Lead units, `、`-separated.
    pub lead: String,
    /// Status label or `未报送`.
    pub status: String,
    /// Percent (`60%`) or `—`.
    pub percent: String,
    /// 序时进度.
    pub expected: String,
    /// `黄` or `红`.
    pub light: String,
}

/// Reporting discipline.
#[derive(Debug, Clone, Serialize)]
pub struct ReportingData {
    /// Lead units expected to report.
    pub lead_units: usize,
    /// Lead units that reported.
    pub submitted: usize,
    /// Lead units that reported on time.
    pub on_time: usize,
    /// Units that reported late, in registry order.
    pub late: Vec<String>,
    /// Units that did not report, in registry order.
    pub missing: Vec<String>,
}

/// A gathered item (problem, next step, request) with the units that reported it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemData {
    /// Units, `、`-separated.
    pub units: String,
    /// Number of units.
    pub unit_count: usize,
    /// The trimmed text.
    pub text: String,
}

/// A data table the block language can place.
#[derive(Debug, Clone, PartialEq)]
pub struct TableData {
    /// Columns.
    pub columns: Vec<Column>,
    /// Body rows (cell texts).
    pub rows: Vec<Vec<String>>,
}

/// A table column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text.
    pub header: &'static str,
    /// Width in twips.
    pub width: u32,
    /// True to centre the cells (numbers, short labels); false to left-align (text).
    pub centred: bool,
}

/// The issue number: the round's override, else its index among the configured rounds
/// starting in the same year (2024Q2 → 2).
pub fn issue_number(ctx: &RenderContext) -> u32 {
    use chrono::Datelike;
    let round = &ctx.report.round;
    if let Some(n) = round.issue {
        return n;
    }
    let year = round.start.year();
    let earlier = ctx
        .config
        .rounds
        .iter()
        .filter(|r| r.start.year() == year && r.start < round.start && r.id != round.id)
        .count();
    u32::try_from(earlier + 1).unwrap_or(1)
}

/// Builds the template context.
pub fn build(ctx: &RenderContext) -> BulletinData {
    use chrono::Datelike;
    let report = ctx.report;
    let round = &report.round;
    let date = crate::render::issue_date(round);
    // The text-heavy parts are independent: gathered in parallel.
    let ((parts, cases), (problems, (next_steps, policy_requests))) = rayon::join(
        || rayon::join(|| parts(ctx), || cases(ctx)),
        || {
            rayon::join(
                || gather(ctx, |t| &t.problems, |r| &r.problems),
                || {
                    rayon::join(
                        || gather(ctx, |t| &t.next_steps, |r| &r.next_steps),
                        || gather(ctx, |t| &t.policy_requests, |r| &r.policy),
                    )
                },
            )
        },
    );
    BulletinData {
        kind: match ctx.config.bulletin.kind {
            BulletinKind::Briefing => "简报",
            BulletinKind::Circular => "通报",
        }
        .to_string(),
        office: office(ctx),
        round: RoundData {
            id: round.id.clone(),
            title: round.title.clone(),
            start: chinese_date(round.start),
            end: chinese_date(round.end),
            deadline: chinese_date(round.deadline),
        },
        issue: issue_number(ctx),
        year: date.year(),
        date: chinese_date(date),
        previous: previous(ctx),
        overall: CountsData::from(&report.stats.overall),
        change: previous(ctx).map(|p| changes(report, p.title)),
        parts,
        cases,
        lagging: lagging(ctx),
        reporting: reporting(report),
        problems,
        next_steps,
        policy_requests,
    }
}

fn office(ctx: &RenderContext) -> OfficeData {
    let o = &ctx.config.office;
    let pilot = o
        .leading_group
        .trim_end_matches("工作领导小组")
        .trim_end_matches("领导小组")
        .to_string();
    OfficeData {
        name: o.name.clone(),
        leading_group: o.leading_group.clone(),
        bulletin_name: o.bulletin_name.clone(),
        pilot,
    }
}

fn previous(ctx: &RenderContext) -> Option<PreviousData> {
    let id = ctx.report.previous_round.as_ref()?;
    let title = ctx
        .config
        .round(id)
        .map(|r| r.title.clone())
        .unwrap_or_else(|| id.clone());
    Some(PreviousData {
        id: id.clone(),
        title,
    })
}

fn changes(report: &RoundReport, previous: String) -> ChangeData {
    let mut c = ChangeData {
        previous,
        ..ChangeData::default()
    };
    for change in report.tasks.iter().filter_map(|t| t.change) {
        match change {
            Change::NewlyCompleted => c.newly_completed += 1,
            Change::Advanced => c.advanced += 1,
            Change::Regressed => c.regressed += 1,
            Change::Unchanged => c.unchanged += 1,
            Change::NewlyReported => c.newly_reported += 1,
        }
    }
    c
}

fn parts(ctx: &RenderContext) -> Vec<PartData> {
    let registry = ctx.registry;
    registry
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let counts = ctx
                .report
                .stats
                .by_part
                .get(i)
                .map(|l| CountsData::from(&l.counts))
                .unwrap_or_else(|| CountsData::from(&Counts::default()));
            let tasks: Vec<&TaskOutcome> = ctx
                .report
                .tasks
                .iter()
                .filter(|t| registry.task(t.id).is_some_and(|r| r.part == i))
                .collect();
            PartData {
                number: part.number.clone(),
                title: part.title.clone(),
                heading: part.heading(),
                counts,
                highlights: highlights(&tasks),
            }
        })
        .collect()
}

/// Highlights: the best-progressed tasks with reported prose, one per unit first.
fn highlights(tasks: &[&TaskOutcome]) -> Vec<HighlightData> {
    let mut candidates: Vec<(u8, i64, HighlightData)> = tasks
        .iter()
        .filter_map(|t| highlight_of(t).map(|h| (rank(t), -(t.percent.unwrap_or(0.0) as i64), h)))
        .collect();
    candidates.sort_by_key(|c| (c.0, c.1, c.2.task));
    let mut chosen: Vec<HighlightData> = Vec::new();
    for distinct_units in [true, false] {
        for (_, _, h) in &candidates {
            if chosen.len() >= HIGHLIGHTS_PER_PART {
                break;
            }
            let unit_seen = chosen.iter().any(|c| c.unit == h.unit);
            let task_seen = chosen.iter().any(|c| c.task == h.task);
            let skip = task_seen || (distinct_units && unit_seen);
            if !skip {
                chosen.push(h.clone());
            }
        }
    }
    chosen.sort_by_key(|h| h.task);
    chosen
}

fn rank(t: &TaskOutcome) -> u8 {
    match (t.change, t.status) {
        (Some(Change::NewlyCompleted), _) => 0,
        (_, Some(Status::Completed)) => 1,
        (_, Some(Status::InProgress)) => 2,
        (_, Some(Status::Ongoing)) => 3,
        _ => 4,
    }
}

fn highlight_of(t: &TaskOutcome) -> Option<HighlightData> {
    if t.carried_forward {
        return None;
    }
    t.reports.iter().filter(|r| !r.supplementary).find_map(|r| {
        let prose = [r.narrative.as_deref().unwrap_or(""), r.progress.as_str()]
            .into_iter()
            .find(|p| !text::is_placeholder(p))?;
        let trimmed = text::first_sentences(&text::name_the_unit(prose, &r.unit), 2, 90);
        if trimmed.chars().count() < 6 {
            return None;
        }
        let sentence = if trimmed.contains(r.unit.as_str()) {
            trimmed.clone()
        } else {
            format!("{}{}", r.unit, trimmed)
        };
        Some(HighlightData {
            unit: r.unit.clone(),
            task: t.id,
            text: trimmed,
            sentence,
        })
    })
}

/// Units in registry order of lead units, then any other unit with texts, by name.
fn ordered_units(ctx: &RenderContext) -> Vec<String> {
    let mut units: Vec<String> = ctx.report.stats.by_unit.iter().map(|u| u.unit.clone()).collect();
    for unit in ctx.report.unit_texts.keys() {
        if !units.contains(unit) {
            units.push(unit.clone());
        }
    }
    units
}

fn cases(ctx: &RenderContext) -> Vec<CaseData> {
    let mut out: Vec<CaseData> = Vec::new();
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    for unit in ordered_units(ctx) {
        let Some(texts) = ctx.report.unit_texts.get(&unit) else {
            continue;
        };
        for case in &texts.cases {
            let body = text::name_the_unit(&case.body, &unit);
            let title = text::squash(text::strip_marker(&case.title))
                .trim_end_matches(['。', '：', ':'])
                .to_string();
            let title = if title.is_empty() {
                text::shorten(&body, 24)
            } else {
                title
            };
            let key = text::dedup_key(&title);
            if text::is_placeholder(&body) || seen.contains(&key) {
                continue;
            }
            seen.insert(key);
            out.push(CaseData {
                unit: unit.clone(),
                title,
                text: text::first_sentences(&body, 3, 160),
            });
        }
    }
    out
}

fn lagging(ctx: &RenderContext) -> Vec<LaggingData> {
    ctx.report
        .tasks
        .iter()
        .filter(|t| t.light != Light::Green)
        .filter_map(|t| {
            let task = ctx.registry.task(t.id)?;
            Some(LaggingData {
                id: t.id,
                task: text::shorten(&task.text, 26),
                lead: task.lead.join("、"),
                status: t.status.map(Status::label).unwrap_or("未报送").to_string(),
                percent: t.percent.map(text::percent).unwrap_or_else(|| "—".into()),
                expected: text::percent(t.expected_percent),
                light: t.light.label().to_string(),
            })
        })
        .collect()
}

fn reporting(report: &RoundReport) -> ReportingData {
    let stats = &report.stats;
    ReportingData {
        lead_units: stats.lead_units,
        submitted: stats.units_submitted,
        on_time: stats.units_on_time,
        late: stats
            .by_unit
            .iter()
            .filter(|u| u.submitted && !u.on_time)
            .map(|u| u.unit.clone())
            .collect(),
        missing: report.missing_units.clone(),
    }
}

/// Gathers one kind of item from Word reports (`from_texts`) and spreadsheet rows
/// (`from_rows`), unit by unit; items saying the same thing are merged with their units.
fn gather(
    ctx: &RenderContext,
    from_texts: impl Fn(&crate::validate::ReportTexts) -> &Vec<String>,
    from_rows: impl Fn(&crate::validate::TaskReport) -> &String,
) -> Vec<ItemData> {
    let mut items = ItemIndex::default();
    let mut rows_by_unit: HashMap<&str, Vec<&String>> = HashMap::new();
    for r in ctx.report.tasks.iter().flat_map(|t| &t.reports) {
        rows_by_unit
            .entry(r.unit.as_str())
            .or_default()
            .push(from_rows(r));
    }
    for unit in ordered_units(ctx) {
        let texts = ctx.report.unit_texts.get(&unit);
        let rows = rows_by_unit.get(unit.as_str()).into_iter().flatten().copied();
        let all = texts.map(&from_texts).into_iter().flatten().chain(rows);
        for raw in all {
            add_item(&mut items, &unit, raw);
        }
    }
    let mut out: Vec<(usize, ItemData)> = items
        .list
        .into_iter()
        .enumerate()
        .map(|(i, (_, units, text))| {
            (
                i,
                ItemData {
                    units: units.join("、"),
                    unit_count: units.len(),
                    text,
                },
            )
        })
        .collect();
    out.sort_by_key(|(i, item)| (std::cmp::Reverse(item.unit_count), *i));
    out.into_iter().map(|(_, item)| item).collect()
}

const WINDOW: usize = 8;

/// Items with indexes that find the first item "saying the same thing" without comparing
/// against every item: exact keys, keys shorter than WINDOW chars, every WINDOW-char window of
/// longer keys, and the first window of longer keys.
#[derive(Default)]
struct ItemIndex {
    list: Vec<(String, Vec<String>, String)>,
    exact: HashMap<String, usize>,
    short: HashMap<String, usize>,
    windows: HashMap<String, Vec<usize>>,
    heads: HashMap<String, Vec<usize>>,
}

/// Byte offsets of the char boundaries of `s`, with `s.len()` last.
fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect()
}

/// The values in both ascending lists, ascending.
fn sorted_intersection<'a>(a: &'a [usize], b: &'a [usize]) -> impl Iterator<Item = usize> + 'a {
    let mut j = 0;
    a.iter().copied().filter(move |&x| {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        j < b.len() && b[j] == x
    })
}

impl ItemIndex {
    fn find(&self, key: &str) -> Option<usize> {
        let b = boundaries(key);
        let chars = b.len() - 1;
        if chars < WINDOW {
            return self.exact.get(key).copied();
        }
        let mut best: Option<usize> = None;
        let take = |best: &mut Option<usize>, i: usize| *best = Some(best.map_or(i, |x| x.min(i)));
        // items containing key contain every window of key: check, in order, those holding
        // the two rarest windows (an item's windows are listed once, in item order)
        let mut lists: Vec<&Vec<usize>> = Vec::new();
        for s in 0..=chars - WINDOW {
            match self.windows.get(&key[b[s]..b[s + WINDOW]]) {
                Some(list) => lists.push(list),
                None => {
                    lists.clear();
                    break;
                }
            }
        }
        lists.sort_by_key(|l| l.len());
        if let Some(first) = lists.first() {
            let finder = memchr::memmem::Finder::new(key);
            let second = lists.get(1).unwrap_or(first);
            let found = sorted_intersection(first, second)
                .find(|&i| finder.find(self.list[i].0.as_bytes()).is_some());
            if let Some(i) = found {
                take(&mut best, i);
            }
        }
        // items contained in key: long ones start where one of key's windows equals their head
        for s in 0..=chars - WINDOW {
            for &i in self.heads.get(&key[b[s]..b[s + WINDOW]]).into_iter().flatten() {
                if best.is_none_or(|x| i < x) && key[b[s]..].starts_with(self.list[i].0.as_str()) {
                    take(&mut best, i);
                }
            }
        }
        // short ones are substrings of key
        if !self.short.is_empty() {
            for s in 0..chars {
                for len in 1..WINDOW.min(chars - s + 1) {
                    if let Some(&i) = self.short.get(&key[b[s]..b[s + len]]) {
                        take(&mut best, i);
                    }
                }
            }
        }
        best
    }

    fn push(&mut self, key: String, units: Vec<String>, text: String) {
        let i = self.list.len();
        let b = boundaries(&key);
        let chars = b.len() - 1;
        if chars < WINDOW {
            self.short.insert(key.clone(), i);
        } else {
            self.heads
                .entry(key[..b[WINDOW]].to_string())
                .or_default()
                .push(i);
            for s in 0..=chars - WINDOW {
                let v = self
                    .windows
                    .entry(key[b[s]..b[s + WINDOW]].to_string())
                    .or_default();
                if v.last() != Some(&i) {
                    v.push(i);
                }
            }
        }
        self.exact.insert(key.clone(), i);
        self.list.push((key, units, text));
    }
}

fn add_item(items: &mut ItemIndex, unit: &str, raw: &str) {
    if text::is_placeholder(raw) {
        return;
    }
    let trimmed = text::first_sentences(&text::name_the_unit(raw, unit), 2, 100);
    let key = text::dedup_key(&trimmed);
    if key.chars().count() < 2 {
        return;
    }
    match items.find(&key) {
        Some(i) => {
            let units = &mut items.list[i].1;
            if !units.iter().any(|u| u == unit) {
                units.push(unit.to_string());
            }
        }
        None => items.push(key, vec![unit.to_string()], trimmed),
    }
}

/// The data tables the template can place by name.
pub fn tables(data: &BulletinData) -> BTreeMap<&'static str, TableData> {
    BTreeMap::from([("lagging", lagging_table(data)), ("parts", parts_table(data))])
}

fn lagging_table(data: &BulletinData) -> TableData {
    let col = |header, width, centred| Column {
        header,
        width,
        centred,
    };
    TableData {
        columns: vec![
            col("序号", 700, true),
            col("任务", 2620, false),
            col("牵头单位", 1650, false),
            col("状态", 1080, true),
            col("进度", 820, true),
            col("序时进度", 1254, true),
            col("亮灯", 720, true),
        ],
        rows: data
            .lagging
            .iter()
            .map(|t| {
                vec![
                    t.id.to_string(),
                    t.task.clone(),
                    t.lead.clone(),
                    t.status.clone(),
                    t.percent.clone(),
                    t.expected.clone(),
                    t.light.clone(),
                ]
            })
            .collect(),
    }
}

fn parts_table(data: &BulletinData) -> TableData {
    let col = |header, width, centred| Column {
        header,
        width,
        centred,
    };
    let row = |label: String, c: &CountsData| {
        vec![
            label,
            c.counts.tasks.to_string(),
            c.counts.completed.to_string(),
            c.counts.in_progress.to_string(),
            c.counts.not_started.to_string(),
            c.counts.ongoing.to_string(),
            c.completion_rate.clone(),
        ]
    };
    let mut rows: Vec<Vec<String>> = data
        .parts
        .iter()
        .map(|p| row(p.heading.clone(), &p.counts))
        .collect();
    rows.push(row("合计".into(), &data.overall));
    TableData {
        columns: vec![
            col("领域", 2700, false),
            col("任务数", 900, true),
            col("已完成", 900, true),
            col("推进中", 900, true),
            col("未启动", 900, true),
            col("常态化推进", 1544, true),
            col("完成率", 1000, true),
        ],
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition the index implements: the first item whose key equals the new key or,
    /// for keys of at least WINDOW characters, contains it or is contained in it.
    fn brute_force(list: &[(String, Vec<String>, String)], key: &str) -> Option<usize> {
        let long = key.chars().count() >= WINDOW;
        list.iter()
            .position(|(k, _, _)| k == key || (long && (k.contains(key) || key.contains(k.as_str()))))
    }

    #[test]
    fn item_index_finds_what_a_full_scan_finds() {
        // keys over a four-character alphabet so that containment is frequent
        let alphabet = ['推', '进', '改', '革'];
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut index = ItemIndex::default();
        let mut found = 0;
        for _ in 0..3_000 {
            let len = 1 + (next() % 20) as usize;
            let key: String = (0..len).map(|_| alphabet[(next() % 4) as usize]).collect();
            let expected = brute_force(&index.list, &key);
            assert_eq!(index.find(&key), expected, "{key}");
            match expected {
                Some(_) => found += 1,
                None => index.push(key, Vec::new(), String::new()),
            }
        }
        assert!(
            found > 100 && index.list.len() > 100,
            "{found} {}",
            index.list.len()
        );
    }
}
