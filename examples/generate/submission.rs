//! One unit's submission: its entries (one per task it reports), the spreadsheet looks and
//! report styles the generator varies, and the bytes of each file it sends.

use super::docx::{self, Block, Report, Section};
use super::layout::{IdStyle, InfoStyle, Layout, PercentStyle};
use super::rng::Rng;
use super::texts::{self, Entry, Period, TaskWriter};
use super::xlsx::{self, Meta};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use roundup::config::Config;
use roundup::registry::{Registry, Task};
use roundup::vocab::{Field, Status};

/// A planted change to one entry.
#[derive(Debug, Clone, PartialEq)]
pub enum Plant {
    /// The status cell holds this text (e.g. `差不多了`).
    StatusText(String),
    /// The percent is this number (e.g. 120).
    Percent(f64),
    /// 已完成 with this percent (e.g. 60).
    CompletedAt(f64),
}

/// The header words most often seen instead of the canonical ones.
const COMMON_SYNONYMS: &[&str] = &[
    "任务序号",
    "任务内容",
    "推进状态",
    "进度",
    "工作进展",
    "存在的问题",
    "下一步计划",
    "落地项目",
    "创新案例",
];

/// The spreadsheet looks the generator knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Look {
    /// The form as the template command writes it.
    Canonical,
    /// Merged title and subtitle, synonym headers, status synonyms.
    MergedSynonyms,
    /// Shuffled and extra columns, percent as `80%`, info spread over cells, title not merged.
    ShuffledExtra,
    /// 填报说明 sheet first, hidden sheet, `第5项` ids, percent-formatted fractions.
    InstructionsHidden,
    /// 合计 row, signature rows, blank rows, status synonyms.
    TotalSignature,
    /// Full-width ids, `80％`, optional columns dropped.
    FullWidth,
    /// Synonym headers and percent-formatted fractions.
    PercentFraction,
    /// Signature rows at the bottom, only unit and date on top.
    Signature,
    /// Ids as text, a subtitle, info spread over cells.
    TextIds,
    /// `任务5` ids, an extra column, no 牵头单位 column.
    TaskPrefix,
}

impl Look {
    /// Every look, for workloads.
    pub const ALL: [Look; 10] = [
        Look::Canonical,
        Look::MergedSynonyms,
        Look::ShuffledExtra,
        Look::InstructionsHidden,
        Look::TotalSignature,
        Look::FullWidth,
        Look::PercentFraction,
        Look::Signature,
        Look::TextIds,
        Look::TaskPrefix,
    ];

    /// A short Chinese description (for the README).
    pub fn describe(self) -> &'static str {
        match self {
            Look::Canonical => "标准模板格式（标题行、填报单位行、规范表头）",
            Look::MergedSynonyms => "合并的标题单元格和副标题、同义表头（任务序号/推进状态/进度/工作进展等）、状态同义词（进行中/已办结/持续推进）",
            Look::ShuffledExtra => "列顺序打乱、多出“责任处室”“责任人”列、进度写作“80%”文本、填报信息分散在多个单元格、标题未合并",
            Look::InstructionsHidden => "数据表前有“填报说明”工作表、含隐藏工作表、序号写作“第5项”、进度为百分比格式的小数（0.8）",
            Look::TotalSignature => "底部有“合计”行和“填报人：/审核人：”签字行、有空行、状态同义词",
            Look::FullWidth => "序号为全角数字（５）、进度写作“80％”、省略项目落地/案例/政策诉求/备注等可选列",
            Look::PercentFraction => "同义表头、进度为百分比格式的小数（0.8）",
            Look::Signature => "顶部只有填报单位和填报日期，底部有签字行",
            Look::TextIds => "序号为文本、有副标题行、填报信息分散在多个单元格",
            Look::TaskPrefix => "序号写作“任务66”、多出“佐证材料目录”列、无牵头单位列",
        }
    }

    /// The layout of this look.
    pub fn layout(self, title: String, config: &Config, rng: &mut Rng) -> Layout {
        let mut l = Layout::canonical(title);
        match self {
            Look::Canonical => {}
            Look::MergedSynonyms => {
                l.subtitle = Some("（牵头单位填报）".to_owned());
                l.synonym_headers(config, COMMON_SYNONYMS, rng);
                l.status_synonyms = true;
                l.sheet_name = "Sheet1".to_owned();
            }
            Look::ShuffledExtra => {
                l.merge_title = false;
                l.info = InfoStyle::SplitCells;
                l.insert_extra(3, "责任处室");
                l.insert_extra(4, "责任人");
                l.shuffle_columns(rng, 3);
                l.percents = PercentStyle::Text;
            }
            Look::InstructionsHidden => {
                l.instructions = true;
                l.hidden_sheet = true;
                l.ids = IdStyle::Ordinal;
                l.percents = PercentStyle::Fraction;
                l.sheet_name = "任务进展".to_owned();
            }
            Look::TotalSignature => {
                l.total_row = true;
                l.signature = true;
                l.blank_rows = true;
                l.status_synonyms = true;
                l.info = InfoStyle::UnitAndDateOnly;
            }
            Look::FullWidth => {
                l.ids = IdStyle::FullWidth;
                l.percents = PercentStyle::FullWidthSign;
                l.drop_columns(&[Field::Projects, Field::Cases, Field::Policy, Field::Remarks]);
            }
            Look::PercentFraction => {
                l.synonym_headers(config, &[], rng);
                l.percents = PercentStyle::Fraction;
            }
            Look::Signature => {
                l.signature = true;
                l.info = InfoStyle::UnitAndDateOnly;
            }
            Look::TextIds => {
                l.ids = IdStyle::Text;
                l.subtitle = Some("（按季度报送）".to_owned());
                l.info = InfoStyle::SplitCells;
            }
            Look::TaskPrefix => {
                l.ids = IdStyle::TaskPrefix;
                l.drop_columns(&[Field::Lead]);
                let at = l.columns.len() - 1;
                l.insert_extra(at, "佐证材料目录");
            }
        }
        l
    }
}

/// How a task reference opens its narrative in a Word report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskRef {
    /// `任务5：…`
    Colon,
    /// A line `（任务5）…`, then paragraphs.
    Paren,
    /// `【任务5】…`
    Bracket,
}

/// How a Word report is written.
#[derive(Debug, Clone)]
pub struct ReportStyle {
    /// Task references.
    pub refs: TaskRef,
    /// Alternative section names (重点任务推进情况 / 创新案例 / 存在的问题 / 下一步工作 / 意见建议).
    pub alt_headings: bool,
    /// Case title style (0–2).
    pub case_style: u32,
    /// A progress table in section 一 instead of narratives.
    pub table: Option<Layout>,
    /// A date line under the title.
    pub date_line: bool,
}

/// The shared inputs of every submission of a round.
pub struct RoundCtx<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// The registry.
    pub registry: &'a Registry,
    /// The period the texts describe.
    pub period: Period,
}

/// `2024年7月5日`
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// A creation time on `day` between 8:30 and 17:59.
pub fn created_at(day: NaiveDate, rng: &mut Rng) -> NaiveDateTime {
    let minutes = rng.range(8 * 60 + 30, 17 * 60 + 59);
    day.and_hms_opt(minutes / 60, minutes % 60, rng.range(0, 59))
        .unwrap_or_default()
}

impl RoundCtx<'_> {
    /// The group title of a task (fallback topic).
    fn group_title(&self, task: &Task) -> &str {
        self.registry
            .groups
            .get(task.group)
            .map_or("服务业扩大开放", |g| g.title.as_str())
    }

    /// One entry for `task` reported by `unit`.
    pub fn entry(&self, task: &Task, unit: &str, rng: &mut Rng) -> Entry {
        TaskWriter {
            task,
            unit,
            period: &self.period,
            group_title: self.group_title(task),
        }
        .entry(rng)
    }

    /// Entries for every task `unit` reports on, minus `skip`, plus `extra` ids (another
    /// unit's tasks or made-up tasks given as `Task` values), with plants applied.
    pub fn entries(
        &self,
        unit: &str,
        skip: &[u32],
        extra: &[Task],
        plants: &[(u32, Plant)],
        rng: &mut Rng,
    ) -> Vec<Entry> {
        let own: Vec<&Task> = self
            .registry
            .tasks_led_by(unit)
            .filter(|t| !skip.contains(&t.id))
            .collect();
        let mut entries: Vec<Entry> = own
            .into_iter()
            .chain(extra)
            .map(|t| self.entry(t, unit, &mut Rng::derive(rng.next_u64(), unit)))
            .collect();
        entries.sort_by_key(|e| e.task);
        for (id, plant) in plants {
            if let Some(e) = entries.iter_mut().find(|e| e.task == *id) {
                apply(e, plant);
            }
        }
        entries
    }
}

fn apply(e: &mut Entry, plant: &Plant) {
    match plant {
        Plant::StatusText(t) => e.status_text = Some(t.clone()),
        Plant::Percent(p) => {
            e.status = Status::InProgress;
            e.percent = Some(*p);
        }
        Plant::CompletedAt(p) => {
            e.status = Status::Completed;
            e.percent = Some(*p);
        }
    }
}

/// An earlier draft of the same entries: lower percents, nothing completed yet.
pub fn draft_of(entries: &[Entry]) -> Vec<Entry> {
    entries
        .iter()
        .cloned()
        .map(|mut e| {
            if let Some(p) = e.percent.filter(|p| *p > 20.0 && *p < 100.0) {
                e.percent = Some(p - 10.0);
            }
            e
        })
        .collect()
}

/// Writes a progress spreadsheet.
pub fn spreadsheet(
    ctx: &RoundCtx,
    layout: &Layout,
    entries: &[Entry],
    written_unit: &str,
    date: NaiveDate,
    rng: &mut Rng,
) -> Result<Vec<u8>, String> {
    let filler = super::layout::Filler {
        unit: written_unit.to_owned(),
        person: texts::person(rng),
        reviewer: texts::person(rng),
        phone: texts::phone(rng),
        date: chinese_date(date),
    };
    let meta = Meta {
        title: layout.title.clone().unwrap_or_default(),
        author: filler.person.clone(),
        created: created_at(date, rng),
    };
    xlsx::progress_workbook(layout, entries, &filler, ctx.config, rng, &meta).map_err(|e| e.to_string())
}

/// The report title `X关于<period>服务业扩大开放综合试点任务推进情况的报告`.
pub fn report_title(written_unit: &str, period_title: &str) -> String {
    format!("{written_unit}关于{period_title}服务业扩大开放综合试点任务推进情况的报告")
}

/// Writes a Word report.
pub fn word_report(
    ctx: &RoundCtx,
    style: &ReportStyle,
    entries: &[Entry],
    written_unit: &str,
    date: NaiveDate,
    rng: &mut Rng,
) -> Result<Vec<u8>, String> {
    let report = compose_report(ctx, style, entries, written_unit, date, rng);
    docx::report_docx(&report).map_err(|e| e.to_string())
}

fn headings(alt: bool) -> [&'static str; 5] {
    match alt {
        false => [
            "一、任务推进情况",
            "二、典型案例",
            "三、存在问题",
            "四、下步计划",
            "五、政策诉求",
        ],
        true => [
            "一、重点任务推进情况",
            "二、创新案例",
            "三、存在的问题",
            "四、下一步工作",
            "五、意见建议",
        ],
    }
}

/// The report's content.
pub fn compose_report(
    ctx: &RoundCtx,
    style: &ReportStyle,
    entries: &[Entry],
    written_unit: &str,
    date: NaiveDate,
    rng: &mut Rng,
) -> Report {
    let h = headings(style.alt_headings);
    let progress = match &style.table {
        Some(layout) => vec![table_block(layout, entries, ctx.config, rng)],
        None => task_blocks(style.refs, entries),
    };
    let sections = vec![
        Section {
            heading: h[0].to_owned(),
            blocks: progress,
        },
        Section {
            heading: h[1].to_owned(),
            blocks: case_blocks(entries, written_unit, style.case_style, rng),
        },
        Section {
            heading: h[2].to_owned(),
            blocks: numbered(rng, entries, texts::PROBLEM_COUNT, |k, r, e| {
                texts::problem_at(k, r, &e.topic, &[])
            }),
        },
        Section {
            heading: h[3].to_owned(),
            blocks: numbered(rng, entries, texts::NEXT_STEP_COUNT, |k, _, e| {
                texts::next_step_at(k, &e.topic, &[], &[])
            }),
        },
        Section {
            heading: h[4].to_owned(),
            blocks: policy_blocks(rng, entries),
        },
    ];
    let day = chinese_date(date);
    Report {
        title: report_title(written_unit, &ctx.period.title),
        date_line: style.date_line.then(|| day.clone()),
        intro: intro(ctx, entries, written_unit),
        sections,
        signature: vec![texts::short_unit(written_unit), day],
        created: created_at(date, rng).format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

fn intro(ctx: &RoundCtx, entries: &[Entry], unit: &str) -> String {
    let count = |s: Status| entries.iter().filter(|e| e.status == s).count();
    let done: Vec<String> = [(Status::Completed, "已完成"), (Status::Ongoing, "常态化推进")]
        .iter()
        .filter(|(s, _)| count(*s) > 0)
        .map(|(s, word)| format!("{word}{}项", count(*s)))
        .collect();
    let state = match done.is_empty() {
        true => "各项任务正有序推进".to_owned(),
        false => format!("{}，其余任务正有序推进", done.join("、")),
    };
    format!(
        "{}，{}深入贯彻落实南京市服务业扩大开放综合试点工作部署，对照任务分工，扎实推进牵头的{}项试点任务。截至{}，{state}。现将有关情况报告如下：",
        ctx.period.title,
        texts::short_unit(unit),
        entries.len(),
        ctx.period.end_label,
    )
}

fn task_blocks(refs: TaskRef, entries: &[Entry]) -> Vec<Block> {
    let mut blocks = Vec::new();
    for e in entries {
        let mut paras = e.narrative.iter();
        let first = paras.next().cloned().unwrap_or_default();
        match refs {
            TaskRef::Colon => blocks.push(Block::Para(format!("任务{}：{first}", e.task))),
            TaskRef::Bracket => blocks.push(Block::Para(format!("【任务{}】{first}", e.task))),
            TaskRef::Paren => {
                let head = texts::heading_clause(&e.text);
                blocks.push(Block::SubHeading(format!("（任务{}）{head}", e.task)));
                blocks.push(Block::Para(first));
            }
        }
        blocks.extend(paras.cloned().map(Block::Para));
    }
    blocks
}

fn table_block(layout: &Layout, entries: &[Entry], config: &Config, rng: &mut Rng) -> Block {
    let header: Vec<String> = layout.header_row().iter().map(|v| v.display()).collect();
    let mut rows = vec![header];
    for row in layout.data_rows(entries, config, rng) {
        rows.push(row.iter().map(|v| v.display()).collect());
    }
    Block::Table(rows)
}

fn case_blocks(entries: &[Entry], unit: &str, style: u32, rng: &mut Rng) -> Vec<Block> {
    let mut ranked: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.status != Status::NotStarted && e.status_text.is_none())
        .collect();
    ranked.sort_by_key(|e| (std::cmp::Reverse(e.facts.projects), e.task));
    let wanted = if entries.len() >= 4 { 2 } else { 1 };
    let mut blocks = Vec::new();
    for (i, e) in ranked.into_iter().take(wanted).enumerate() {
        let (title, body) = texts::typical_case(rng, e, unit, i, style);
        blocks.push(Block::SubHeading(title));
        blocks.extend(body.into_iter().map(Block::Para));
    }
    if blocks.is_empty() {
        blocks.push(Block::Para("本季度暂无典型案例报送。".to_owned()));
    }
    blocks
}

/// Two or three `一是……` paragraphs: distinct sentences (`count` kinds) about different entries.
fn numbered(
    rng: &mut Rng,
    entries: &[Entry],
    count: usize,
    sentence: impl Fn(usize, &mut Rng, &Entry) -> String,
) -> Vec<Block> {
    let n = entries.len().clamp(2, 3).min(count);
    let mut kinds: Vec<usize> = (0..count).collect();
    rng.shuffle(&mut kinds);
    let mut picked: Vec<&Entry> = entries.iter().collect();
    rng.shuffle(&mut picked);
    let mut out = Vec::new();
    for (i, kind) in kinds.into_iter().take(n).enumerate() {
        let Some(e) = picked.get(i % picked.len().max(1)) else {
            break;
        };
        let text = sentence(kind, rng, e);
        out.push(Block::Para(format!("{}是{text}", ["一", "二", "三"][i])));
    }
    out
}

fn policy_blocks(rng: &mut Rng, entries: &[Entry]) -> Vec<Block> {
    let with_policy: Vec<&Entry> = entries.iter().filter(|e| !e.policy.is_empty()).collect();
    match with_policy.first() {
        Some(e) => vec![Block::Para(e.policy.clone())],
        None if rng.chance(0.5) => vec![Block::Para("暂无。".to_owned())],
        None => {
            let i = rng.range(0, entries.len().saturating_sub(1) as u32) as usize;
            match entries.get(i) {
                Some(e) => vec![Block::Para(texts::policy_sentence(rng, &e.topic, &[]))],
                None => vec![Block::Para("暂无。".to_owned())],
            }
        }
    }
}
