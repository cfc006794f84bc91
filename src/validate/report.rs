//! Word reports: unit and date from the title, per-task narrative segments, named sections
//! (cases, problems, next steps, policy requests) and progress tables (contract §3).
//!
//! The document is read as lines in reading order. A line that starts with a task reference
//! (`任务5`, `第5项`, `（任务5）`, `【任务5】`, `5.` under a task-progress heading) or a
//! heading naming a task opens that task's segment; the next reference, top-level heading
//! (`一、`, heading 1 / outline level 0, or a numbering label such as `一、`) or named-section
//! heading closes it. Tables with a progress header are read by the spreadsheet code path.

use super::identify::{check_round, filled_date, identify_unit, names_unit, ContentClues, Identified};
use super::period::{Period, Periods};
use super::rules::{missing_tasks, not_lead, RowPlace};
use super::table::{has_progress_header, read_progress_table, Table};
use super::values::squash;
use super::{Case, Context, FileResult, TaskReport};
use crate::config::ReportSections;
use crate::diag::{paragraph_ref, table_ref, Code, Diagnostic, Level};
use crate::ingest::{Block, Document, FileKind, Grid, Paragraph};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Lines at the top that may name the unit (title, 报送单位, date).
const HEAD_LINES: usize = 8;
/// Lines at the top that may name the round.
const ROUND_LINES: usize = 4;
/// Lines at the bottom that may hold the signature date.
const TAIL_LINES: usize = 6;
/// A case title is a short line (in characters) unless it is numbered.
const SHORT_TITLE: usize = 40;

use super::regex;

/// A task reference at the start of a line, after an optional list label.
static TASK_REF: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?:[（(][一二三四五六七八九十百\d]+[)）]|[一二三四五六七八九十百]+、|\d{1,3}[.．、])?\s*[（(【\[]?\s*(?:任务\s*(\d{1,6})|第\s*(\d{1,6})\s*项)\s*[)）】\]]?[\s：:。.，,、;；]*",
    )
});
/// `5.` / `5、` under a task-progress heading (not `5.2亿元`).
static NUMBERED: LazyLock<Regex> = LazyLock::new(|| regex(r"^(\d{1,3})\s*[.．、]([^\d]|$)"));
/// A task named anywhere in a heading.
static TASK_NAMED: LazyLock<Regex> = LazyLock::new(|| regex(r"任务\s*(\d{1,6})|第\s*(\d{1,6})\s*项"));
/// `一、` … top-level headings by their literal text.
static TOP_LITERAL: LazyLock<Regex> = LazyLock::new(|| regex(r"^[一二三四五六七八九十百]+\s*[、.．]"));
/// `（一）`, `1.` … second-level labels.
static SUB_LITERAL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"^(?:[（(][一二三四五六七八九十百\d]+[)）]|\d{1,3}[.．、]([^\d]|$))"));
/// A case's own title line: `案例一：…`, `（一）…`, `1.…`.
static CASE_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"^(?:案例\s*[一二三四五六七八九十\d]*|[（(][一二三四五六七八九十\d]+[)）]|\d{1,3}[.．、])")
});
/// Lines that are form, not content: salutation, `现将……报告如下`, `特此报告`, attachments,
/// contacts, a bare date.
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"^(?:现将.*(?:如下|报告)[。:：]?$|特此报告|附[:：件]|[（(]?联系人|[（(]?联\s*系\s*电\s*话|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?$)",
    )
});

/// The named sections of a report and the heading words that open them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    /// 各项任务进展: bare `5.` labels are task references here.
    Progress,
    Cases,
    Problems,
    NextSteps,
    Policy,
    /// Any other heading (总体情况 …): its text is general narrative.
    Other,
}

/// How a line ranks as a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    Body,
    Sub,
    Top,
}

/// One line of the report in reading order.
#[derive(Debug, Clone)]
struct Line {
    /// Trimmed text (numbering label included).
    text: String,
    /// `第12段` or `表3!R2C1`.
    location: String,
    rank: Rank,
    /// A heading by style or outline level (not only by its literal label).
    styled: bool,
    /// The first line of a document paragraph styled as a title (`Title`, `标题`).
    is_title: bool,
}

/// Validates one Word report.
pub fn validate(file: &str, doc: &Document, ctx: &Context) -> FileResult {
    let mut result = FileResult::empty(file, FileKind::Report);
    let progress: Vec<&Grid> = doc.tables().filter(|g| has_progress_header(g, ctx)).collect();
    let continued = continuations(doc, &progress, ctx);
    let with_continuations: Vec<&Grid> = progress
        .iter()
        .copied()
        .chain(continued.iter().flat_map(|(_, c)| c.iter().copied()))
        .collect();
    let lines = report_lines(doc, &with_continuations);
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
    let identified = match identify(file, &texts, &progress, ctx) {
        Err(error) => header_unit(doc, ctx).ok_or(error),
        found => found,
    };
    let unit = match identified {
        Ok(found) => {
            result
                .diagnostics
                .extend(found.note.map(|n| point_at_unit(n, &lines)));
            found.unit
        }
        Err(error) => return reject(result, point_at_unit(error, &lines)),
    };
    result.unit = Some(unit.clone());
    match check_round(file, &texts[..texts.len().min(ROUND_LINES)], ctx) {
        Some(error) if error.is_error() => return reject(result, error),
        Some(warning) => result.diagnostics.push(warning),
        None => {}
    }
    // A 填报日期 before the round in a file accepted as this round's is a typo, not its date.
    result.filled_date = report_date(&texts).filter(|d| *d >= ctx.round.start);
    let chosen = current_tables(doc, &progress, ctx, &mut result.diagnostics);
    let chosen = with_continued(&chosen, &continued, &mut result.diagnostics);
    read_tables(&mut result, &chosen, &unit, ctx);
    let outline = Outline::read(&lines, &unit, ctx);
    apply_narratives(&mut result, &outline, &unit, ctx);
    result.texts.general = outline.general;
    result.texts.cases = outline.cases;
    result.texts.problems = outline.problems;
    result.texts.next_steps = outline.next_steps;
    result.texts.policy_requests = outline.policy;
    let reported: BTreeSet<u32> = result
        .rows
        .iter()
        .filter(|r| !r.supplementary)
        .map(|r| r.task)
        .chain(result.texts.narratives.keys().copied())
        .collect();
    let at = lines
        .first()
        .map_or_else(|| paragraph_ref(1), |l| l.location.clone());
    result
        .diagnostics
        .extend(missing_tasks(&unit, &reported, &at, ctx));
    result
}

fn reject(mut result: FileResult, error: Diagnostic) -> FileResult {
    result.rejected = true;
    result.diagnostics.push(error);
    result
}

/// A unit diagnostic points at the first paragraph near the top that names the unit
/// (`报送单位：X` or the report title), when there is one.
fn point_at_unit(error: Diagnostic, lines: &[Line]) -> Diagnostic {
    let place = lines.iter().take(HEAD_LINES).find(|l| names_unit(&l.text));
    match place {
        Some(line) => error.at(line.location.clone()),
        None => error,
    }
}

/// The unit from the first lines (title, 报送单位), the file name, or the tables' 牵头单位.
#[allow(clippy::result_large_err)] // `Diagnostic` is the crate's one problem shape
fn identify(file: &str, texts: &[&str], progress: &[&Grid], ctx: &Context) -> Result<Identified, Diagnostic> {
    let tables: Vec<Table> = progress.iter().filter_map(|g| Table::find(g, ctx)).collect();
    let table_lines: Vec<String> = tables.iter().flat_map(|t| t.clue_lines()).collect();
    let leads: Vec<String> = tables.iter().flat_map(|t| t.lead_values()).collect();
    let mut clue_lines: Vec<&str> = texts.iter().take(HEAD_LINES).copied().collect();
    clue_lines.extend(table_lines.iter().map(String::as_str));
    let clues = ContentClues {
        lines: clue_lines,
        lead_column: leads.iter().map(String::as_str).collect(),
    };
    identify_unit(file, &clues, ctx)
}

/// The one lead unit the page headers and footers name (a letterhead), when nothing else
/// names the unit: the weakest evidence, accepted with a warning saying so.
fn header_unit(doc: &Document, ctx: &Context) -> Option<Identified> {
    let units: BTreeSet<&str> = doc
        .headers
        .iter()
        .filter_map(|line| ctx.registry.find_unit_in(line))
        .filter(|unit| ctx.registry.is_lead_unit(unit))
        .collect();
    let unit = match units.len() {
        1 => units.into_iter().next()?,
        _ => return None,
    };
    let note = Diagnostic::new(
        Code::UnitUnidentified,
        format!("正文和文件名均未写明报送单位，根据页眉/页脚中的“{unit}”认定"),
    )
    .level(Level::Warning)
    .at(paragraph_ref(1))
    .hint("请在报告标题或“报送单位：”中写明单位名称");
    Some(Identified {
        unit: unit.to_owned(),
        note: Some(note),
    })
}

/// 填报日期 near the top, else the signature date at the bottom.
fn report_date(texts: &[&str]) -> Option<chrono::NaiveDate> {
    let head = &texts[..texts.len().min(HEAD_LINES)];
    let tail: Vec<&str> = texts.iter().rev().take(TAIL_LINES).copied().collect();
    filled_date(head).or_else(|| filled_date(&tail))
}

/// Longest caption (in characters) read as naming a table's period.
const CAPTION_CHARS: usize = 60;

/// The progress tables to read: when some tables name another period or a plan (in the caption
/// paragraph before the table or in a title row) and others do not, only the others, with an
/// info at each table left out (contract §2: period labels decide, never position).
fn current_tables<'g>(
    doc: &Document,
    progress: &[&'g Grid],
    ctx: &Context,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<&'g Grid> {
    let periods = Periods::of(ctx);
    let labelled: Vec<(&Grid, Option<(String, Period)>)> = progress
        .iter()
        .map(|g| {
            let period = table_captions(doc, g)
                .into_iter()
                .find_map(|c| periods.classify(&c).map(|p| (c, p)));
            (*g, period)
        })
        .collect();
    let other = |p: &Option<(String, Period)>| matches!(p, Some((_, Period::Previous | Period::Planned)));
    if labelled.iter().all(|(_, p)| other(p)) {
        return progress.to_vec();
    }
    let mut chosen = Vec::new();
    for (grid, period) in labelled {
        match period {
            Some((caption, p @ (Period::Previous | Period::Planned))) => {
                diagnostics.push(other_period_table(grid, &caption, p, ctx));
            }
            _ => chosen.push(grid),
        }
    }
    chosen
}

/// The texts that may name a table's period: its title row (one text across the first row)
/// and the nearest non-blank paragraph before it, when short.
fn table_captions(doc: &Document, grid: &Grid) -> Vec<String> {
    let mut captions = Vec::new();
    if let Some(title) = title_row(grid) {
        captions.push(title);
    }
    let Some(at) = doc
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Table(g) if std::ptr::eq(g, grid)))
    else {
        return captions;
    };
    let before = doc.blocks[..at].iter().rev().find_map(|b| match b {
        Block::Paragraph(p) => {
            let text = p.display_text().trim().to_owned();
            (!text.is_empty()).then_some(Some(text))
        }
        Block::Table(_) => Some(None),
    });
    if let Some(Some(text)) = before {
        if text.chars().count() <= CAPTION_CHARS {
            captions.push(text);
        }
    }
    captions
}

/// The text of a table's first row when every non-blank cell holds the same text (a merged
/// title row).
fn title_row(grid: &Grid) -> Option<String> {
    let row = grid.rows.first()?;
    let texts: BTreeSet<String> = row
        .iter()
        .map(|c| c.to_text().trim().to_owned())
        .filter(|t| !t.is_empty())
        .collect();
    match (texts.len(), texts.into_iter().next()) {
        (1, Some(text)) if text.chars().count() <= CAPTION_CHARS => Some(text),
        _ => None,
    }
}

fn other_period_table(grid: &Grid, caption: &str, period: Period, ctx: &Context) -> Diagnostic {
    let which = match period {
        Period::Planned => "计划",
        _ => "其他期别",
    };
    Diagnostic::new(
        Code::IgnoredColumn,
        format!(
            "表格标注为“{caption}”（{which}），不是本轮（{}）的推进情况，未采用",
            ctx.round.title
        ),
    )
    .level(Level::Info)
    .at(grid.location(0, 0))
    .hint("本轮推进情况以标注本轮期别的表格为准")
}

/// A progress table with the tables that continue it.
type Continued<'g> = Vec<(&'g Grid, Vec<&'g Grid>)>;

/// The tables that continue a progress table (a table split at a page break, its rest
/// without the header row): right after it with only blank paragraphs between, no header of
/// their own, as many columns, and rows that name tasks of the registry in their first
/// columns.
fn continuations<'g>(doc: &'g Document, progress: &[&'g Grid], ctx: &Context) -> Continued<'g> {
    let width = |g: &Grid| g.rows.iter().map(Vec::len).max().unwrap_or(0);
    let names_tasks = |g: &Grid| {
        let rows: Vec<&Vec<_>> = g
            .rows
            .iter()
            .filter(|r| r.iter().any(|c| !c.is_blank()))
            .collect();
        let tasks = rows
            .iter()
            .filter(|r| {
                r.iter().take(2).any(|c| {
                    let text = c.to_text();
                    let digits = text.trim().trim_end_matches(['.', '、']);
                    digits
                        .parse::<u32>()
                        .is_ok_and(|id| ctx.registry.task(id).is_some())
                })
            })
            .count();
        tasks > 0 && tasks * 2 >= rows.len()
    };
    let mut out: Continued<'g> = Vec::new();
    let blocks = &doc.blocks;
    for (i, block) in blocks.iter().enumerate() {
        let Block::Table(head) = block else { continue };
        if !progress.iter().any(|p| std::ptr::eq(*p, head)) {
            continue;
        }
        let mut rest = Vec::new();
        let mut at = i + 1;
        loop {
            while matches!(blocks.get(at), Some(Block::Paragraph(p)) if p.text.trim().is_empty()) {
                at += 1;
            }
            match blocks.get(at) {
                Some(Block::Table(next))
                    if width(next) == width(head)
                        && !progress.iter().any(|p| std::ptr::eq(*p, next))
                        && names_tasks(next) =>
                {
                    rest.push(next);
                    at += 1;
                }
                _ => break,
            }
        }
        if !rest.is_empty() {
            out.push((head, rest));
        }
    }
    out
}

/// A progress table with the rows of the tables that continue it, and where each table's
/// rows start (`(0, "表5"), (6, "表6")`).
struct Joined {
    grid: Grid,
    segments: Vec<(usize, String)>,
}

/// The chosen tables, each with the rows of the tables that continue it appended (with an
/// info at each continuation).
fn with_continued(chosen: &[&Grid], continued: &Continued, diagnostics: &mut Vec<Diagnostic>) -> Vec<Joined> {
    chosen
        .iter()
        .map(|grid| {
            let mut segments = vec![(0, grid.name.clone())];
            let Some((_, rest)) = continued.iter().find(|(head, _)| std::ptr::eq(*head, *grid)) else {
                return Joined {
                    grid: (*grid).clone(),
                    segments,
                };
            };
            let mut joined = (*grid).clone();
            for next in rest {
                diagnostics.push(
                    Diagnostic::new(
                        Code::HeaderNotFound,
                        format!(
                            "{}没有表头，列数与{}相同且各行为任务，视为{}的续表（表格跨页断开）",
                            next.name, grid.name, grid.name
                        ),
                    )
                    .level(Level::Info)
                    .at(next.location(0, 0)),
                );
                let offset = joined.rows.len() as u32;
                segments.push((joined.rows.len(), next.name.clone()));
                joined.rows.extend(next.rows.iter().cloned());
                joined
                    .merges
                    .extend(next.merges.iter().map(|m| crate::ingest::Merge {
                        first_row: m.first_row + offset,
                        last_row: m.last_row + offset,
                        ..*m
                    }));
            }
            Joined {
                grid: joined,
                segments,
            }
        })
        .collect()
}

/// A location in a table joined from continued tables, said in the table the cell is in:
/// `表5!R9C3` of a table of 6 rows continued by 表6 is `表6!R3C3`.
fn relocate(location: &str, segments: &[(usize, String)]) -> String {
    static AT: LazyLock<Regex> = LazyLock::new(|| regex(r"^(表\d+)!R(\d+)(.*)$"));
    let Some(c) = AT.captures(location) else {
        return location.to_owned();
    };
    let (Some(name), Some(row), Some(rest)) = (c.get(1), c.get(2), c.get(3)) else {
        return location.to_owned();
    };
    let Ok(row) = row.as_str().parse::<usize>() else {
        return location.to_owned();
    };
    match segments.iter().rev().find(|(start, _)| row > *start) {
        Some((start, table)) if segments.first().is_some_and(|(_, head)| head == name.as_str()) => {
            format!("{table}!R{}{}", row - start, rest.as_str())
        }
        _ => location.to_owned(),
    }
}

/// Reads every progress table through the spreadsheet code path; a task already read from an
/// earlier table of the file is a `duplicate-task`.
fn read_tables(result: &mut FileResult, progress: &[Joined], unit: &str, ctx: &Context) {
    let mut seen = BTreeSet::new();
    for Joined { grid, segments } in progress {
        let Some(mut read) = read_progress_table(grid, &result.file, unit, ctx) else {
            continue;
        };
        if result.table.is_none() {
            result.table = Some(grid.clone());
        }
        if segments.len() > 1 {
            let fix = |l: &mut Option<String>| {
                if let Some(at) = l.as_mut() {
                    *at = relocate(at, segments);
                }
            };
            for d in &mut read.diagnostics {
                fix(&mut d.location);
            }
            for row in &mut read.rows {
                fix(&mut row.location);
                fix(&mut row.cells.status);
                fix(&mut row.cells.percent);
                fix(&mut row.cells.progress);
            }
        }
        result.diagnostics.extend(read.diagnostics);
        for row in read.rows {
            if seen.insert(row.task) {
                result.rows.push(row);
            } else {
                result.diagnostics.push(duplicate_in_tables(&row, unit));
            }
        }
    }
}

fn duplicate_in_tables(row: &TaskReport, unit: &str) -> Diagnostic {
    let mut d = Diagnostic::new(
        Code::DuplicateTask,
        format!("任务{}在本报告的多个表格中重复出现，仅采用第一处", row.task),
    )
    .task(row.task)
    .unit(unit)
    .hint("请删除或合并重复的行");
    d.location = row.location.clone();
    d
}

/// Checks each narrative's task against the registry: unknown tasks are errors (dropped),
/// tasks the unit does not lead are kept as supplementary with a warning.
fn apply_narratives(result: &mut FileResult, outline: &Outline, unit: &str, ctx: &Context) {
    for (task_id, segment) in &outline.segments {
        let Some(task) = ctx.registry.task(*task_id) else {
            result
                .diagnostics
                .push(unknown_task(*task_id, &segment.location, ctx));
            continue;
        };
        let text = segment.text();
        let place = RowPlace {
            id: segment.location.clone(),
            ..RowPlace::default()
        };
        if let Some(warning) = not_lead(task, unit, &place, ctx) {
            result.diagnostics.push(warning);
            if !result.rows.iter().any(|r| r.task == *task_id) {
                result.rows.push(supplementary_row(
                    *task_id,
                    unit,
                    &text,
                    &result.file,
                    &segment.location,
                ));
            }
        }
        result.texts.narratives.insert(*task_id, text);
        result
            .texts
            .narrative_cells
            .insert(*task_id, segment.location.clone());
    }
    if outline.segments.is_empty() && result.rows.is_empty() && result.table.is_none() {
        result.diagnostics.push(
            Diagnostic::new(
                Code::EmptyProgress,
                "报告中未找到按任务分列的进展（以“任务5”“第5项”等开头的段落）或任务推进情况表，全文作为综合情况保留",
            )
            .level(Level::Info)
            .hint("请按任务分段撰写并在段首注明“任务N”或“第N项”，或附任务推进情况表"),
        );
    }
}

fn unknown_task(task: u32, location: &str, ctx: &Context) -> Diagnostic {
    Diagnostic::new(
        Code::UnknownTask,
        format!(
            "报告中的任务{task}不在任务清单中（共{}项），该段未采用",
            ctx.registry.tasks.len()
        ),
    )
    .at(location)
    .task(task)
    .hint("请核对任务序号，按任务清单填写")
}

fn supplementary_row(task: u32, unit: &str, text: &str, file: &str, location: &str) -> TaskReport {
    TaskReport {
        task,
        unit: unit.to_owned(),
        narrative: Some(text.to_owned()),
        file: file.to_owned(),
        location: Some(location.to_owned()),
        cells: super::Cells {
            progress: Some(location.to_owned()),
            ..super::Cells::default()
        },
        supplementary: true,
        ..TaskReport::default()
    }
}

/// The report's lines: paragraphs (split at soft line breaks) and the cells of tables that
/// are not progress tables, in reading order, blank lines left out.
fn report_lines(doc: &Document, progress: &[&Grid]) -> Vec<Line> {
    let mut lines = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => paragraph_lines(p, &mut lines),
            Block::Table(grid) if !progress.iter().any(|g| std::ptr::eq(*g, grid)) => {
                table_lines(grid, &mut lines)
            }
            Block::Table(_) => {}
        }
    }
    lines
}

fn paragraph_lines(p: &Paragraph, lines: &mut Vec<Line>) {
    let rank = paragraph_rank(p);
    let styled = p.outline_level.is_some() || p.style.as_deref().and_then(heading_level).is_some();
    let style = p.style.as_deref().map(style_key).unwrap_or_default();
    let is_title = style == "title" || style == "标题";
    let display = p.display_text();
    let texts = display.split('\n').map(str::trim).filter(|t| !t.is_empty());
    for (i, text) in texts.enumerate() {
        // The paragraph's marks belong to its first line (a page break may come before it).
        lines.push(Line {
            text: text.to_owned(),
            location: paragraph_ref(p.index),
            rank: if i == 0 { rank } else { literal_rank(text) },
            styled: styled && i == 0,
            is_title: is_title && i == 0,
        });
    }
}

fn table_lines(grid: &Grid, lines: &mut Vec<Line>) {
    let number = match grid.style {
        crate::ingest::RefStyle::Table(n) => n,
        crate::ingest::RefStyle::A1 => 0,
    };
    for (r, row) in grid.rows.iter().enumerate() {
        let mut previous = String::new();
        for (c, cell) in row.iter().enumerate() {
            let text = cell.to_text();
            if text.trim().is_empty() || text == previous {
                continue;
            }
            for part in text.split('\n').map(str::trim).filter(|t| !t.is_empty()) {
                lines.push(Line {
                    text: part.to_owned(),
                    location: table_ref(number, r as u32, c as u32),
                    rank: literal_rank(part),
                    styled: false,
                    is_title: false,
                });
            }
            previous = text;
        }
    }
}

/// Heading rank from style, outline level, numbering label or literal text.
fn paragraph_rank(p: &Paragraph) -> Rank {
    let text = p.display_text();
    let text = text.trim();
    let style_level = p.style.as_deref().and_then(heading_level);
    let level = p.outline_level.or(style_level);
    match level {
        Some(0) => Rank::Top,
        Some(_) if literal_rank(text) == Rank::Top => Rank::Top,
        Some(_) => Rank::Sub,
        None => literal_rank(text),
    }
}

fn literal_rank(text: &str) -> Rank {
    if TOP_LITERAL.is_match(text) {
        Rank::Top
    } else if SUB_LITERAL.is_match(text) {
        Rank::Sub
    } else {
        Rank::Body
    }
}

/// Lower-case style name without spaces: `heading 1` → `heading1`.
fn style_key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// 0-based level of `heading 1` / `标题 1` … styles.
fn heading_level(name: &str) -> Option<u8> {
    let key = style_key(name);
    let digits = key.strip_prefix("heading").or_else(|| key.strip_prefix("标题"))?;
    digits
        .parse::<u8>()
        .ok()
        .filter(|n| (1..=9).contains(n))
        .map(|n| n - 1)
}

/// One task's narrative segment.
#[derive(Debug, Clone, Default)]
struct Segment {
    /// Where the task was first referenced.
    location: String,
    /// The text after the reference on the opening line, when it only restates the task.
    restated: String,
    /// The segment's lines.
    lines: Vec<String>,
}

impl Segment {
    fn text(&self) -> String {
        if self.lines.is_empty() {
            self.restated.clone()
        } else {
            self.lines.join("\n")
        }
    }
}

/// The report split into task segments and named sections.
#[derive(Debug, Default)]
struct Outline {
    segments: BTreeMap<u32, Segment>,
    general: Vec<String>,
    cases: Vec<Case>,
    problems: Vec<String>,
    next_steps: Vec<String>,
    policy: Vec<String>,
}

/// The reading state while walking the lines.
struct Walk<'c> {
    section: Option<Section>,
    task: Option<u32>,
    unit: &'c str,
    ctx: &'c Context<'c>,
}

impl Outline {
    fn read(lines: &[Line], unit: &str, ctx: &Context) -> Outline {
        let mut outline = Outline::default();
        let mut walk = Walk {
            section: None,
            task: None,
            unit,
            ctx,
        };
        for line in lines {
            let before_content = walk.section.is_none() && walk.task.is_none();
            if before_content && (line.is_title || is_report_title(&line.text)) {
                continue;
            }
            outline.take(line, &mut walk);
        }
        outline
    }

    fn take(&mut self, line: &Line, walk: &mut Walk) {
        if let Some((task, rest)) = task_reference(line, walk.section) {
            walk.task = Some(task);
            self.open(task, line, rest, walk.ctx);
            return;
        }
        if let Some(section) = heading_section(line, walk.ctx) {
            walk.task = None;
            walk.section = Some(section);
            return;
        }
        if is_form_line(&line.text, walk.unit, walk.ctx) {
            return;
        }
        match (walk.task, walk.section) {
            (Some(task), _) => {
                if let Some(segment) = self.segments.get_mut(&task) {
                    segment.lines.push(line.text.clone());
                }
            }
            (None, Some(Section::Cases)) => self.case_line(line),
            (None, Some(Section::Problems)) => self.problems.push(line.text.clone()),
            (None, Some(Section::NextSteps)) => self.next_steps.push(line.text.clone()),
            (None, Some(Section::Policy)) => self.policy.push(line.text.clone()),
            (None, _) => self.general.push(line.text.clone()),
        }
    }

    /// Opens (or continues) a task's segment; the text after the reference starts it unless
    /// it only restates the task's title.
    fn open(&mut self, task: u32, line: &Line, rest: &str, ctx: &Context) {
        let segment = self.segments.entry(task).or_insert_with(|| Segment {
            location: line.location.clone(),
            ..Segment::default()
        });
        let rest = rest.trim();
        if rest.is_empty() {
            return;
        }
        if restates_task(rest, task, ctx) {
            if segment.restated.is_empty() {
                segment.restated = rest.to_owned();
            }
        } else {
            segment.lines.push(rest.to_owned());
        }
    }

    fn case_line(&mut self, line: &Line) {
        let text = line.text.clone();
        let is_title = line.rank != Rank::Body
            || CASE_TITLE.is_match(&text)
            || (text.chars().count() < SHORT_TITLE && !ends_sentence(&text));
        match self.cases.last_mut() {
            Some(case) if !is_title => {
                if !case.body.is_empty() {
                    case.body.push('\n');
                }
                case.body.push_str(&text);
            }
            _ => self.cases.push(Case {
                title: text,
                body: String::new(),
            }),
        }
    }
}

/// The task a line refers to, with the text after the reference. A bare `5.` counts under a
/// task-progress heading; a heading naming a task anywhere counts too (its text is not
/// narrative).
fn task_reference(line: &Line, section: Option<Section>) -> Option<(u32, &str)> {
    let text = line.text.as_str();
    if let Some(caps) = TASK_REF.captures(text) {
        let id = caps.get(1).or_else(|| caps.get(2))?.as_str().parse().ok()?;
        return Some((id, &text[caps.get(0)?.end()..]));
    }
    if section == Some(Section::Progress) && line.rank != Rank::Top {
        if let Some(caps) = NUMBERED.captures(text) {
            let id = caps.get(1)?.as_str().parse().ok()?;
            let rest = text[caps.get(1)?.end()..].trim_start_matches([' ', '.', '．', '、']);
            return Some((id, rest));
        }
    }
    if is_heading_like(line) {
        let caps = TASK_NAMED.captures(text)?;
        let id = caps.get(1).or_else(|| caps.get(2))?.as_str().parse().ok()?;
        return Some((id, ""));
    }
    None
}

/// A heading by style or outline level, or a short labelled line that is not a sentence.
fn is_heading_like(line: &Line) -> bool {
    line.styled
        || (line.rank != Rank::Body && line.text.chars().count() < SHORT_TITLE && !ends_sentence(&line.text))
}

/// The section a heading opens: a top-level heading always opens one (its kind from its
/// words); a lower heading only when it names a section.
fn heading_section(line: &Line, ctx: &Context) -> Option<Section> {
    let named = section_named(&line.text, &ctx.config.report_sections);
    match line.rank {
        Rank::Top => Some(named.unwrap_or_else(|| progress_or_other(&line.text))),
        Rank::Sub if is_heading_like(line) => named,
        _ => None,
    }
}

fn progress_or_other(text: &str) -> Section {
    let about_tasks = text.contains("任务") || text.contains("工作");
    let about_progress = ["进展", "推进", "完成", "落实"].iter().any(|w| text.contains(w));
    if about_tasks && about_progress {
        Section::Progress
    } else {
        Section::Other
    }
}

/// The named section whose word (from `[report_sections]` in the configuration) appears
/// first in `text`.
fn section_named(text: &str, words: &ReportSections) -> Option<Section> {
    let sections = [
        (Section::Cases, &words.cases),
        (Section::Problems, &words.problems),
        (Section::NextSteps, &words.next_steps),
        (Section::Policy, &words.policy),
    ];
    sections
        .into_iter()
        .flat_map(|(section, words)| {
            words
                .iter()
                .filter_map(move |w| text.find(w.as_str()).map(|at| (at, section)))
        })
        .min_by_key(|(at, _)| *at)
        .map(|(_, section)| section)
}

fn is_report_title(text: &str) -> bool {
    text.contains("关于") && text.contains("报告")
}

/// Salutation, boilerplate, a date or the unit's own name as signature.
fn is_form_line(text: &str, unit: &str, ctx: &Context) -> bool {
    if BOILERPLATE.is_match(text) {
        return true;
    }
    let is_salutation = (text.ends_with('：') || text.ends_with(':')) && text.chars().count() < SHORT_TITLE;
    is_salutation || ctx.registry.resolve_unit(text) == Some(unit)
}

/// True when `rest` (after a reference) is the task's own text, perhaps cut short with `……`.
fn restates_task(rest: &str, task: u32, ctx: &Context) -> bool {
    let Some(task) = ctx.registry.task(task) else {
        return false;
    };
    let written = squash(rest.trim_end_matches(['…', '.', '。', ' ']));
    !written.is_empty() && squash(&task.text).contains(&written)
}

fn ends_sentence(text: &str) -> bool {
    text.ends_with(['。', '；', ';', '！', '!', '？', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_in_a_continued_table_name_the_table_the_cell_is_in() {
        let segments = vec![(0, "表1".to_owned()), (4, "表2".to_owned())];
        assert_eq!(relocate("表1!R3C2", &segments), "表1!R3C2");
        assert_eq!(relocate("表1!R4C2", &segments), "表1!R4C2");
        assert_eq!(relocate("表1!R5C3", &segments), "表2!R1C3");
        assert_eq!(relocate("表1!R6", &segments), "表2!R2");
        assert_eq!(relocate("表3!R6C1", &segments), "表3!R6C1");
        assert_eq!(relocate("第3段", &segments), "第3段");
    }

    fn line(text: &str, rank: Rank) -> Line {
        Line {
            text: text.into(),
            location: "第1段".into(),
            rank,
            styled: false,
            is_title: false,
        }
    }

    #[test]
    fn references_are_recognised_in_every_form() {
        let cases = [
            ("任务5：甲", Some((5, "甲"))),
            ("第 12 项。乙", Some((12, "乙"))),
            ("（任务7）丙", Some((7, "丙"))),
            ("【任务8】丁", Some((8, "丁"))),
            ("（三）[任务9]：戊", Some((9, "戊"))),
            ("任务完成情况良好", None),
            ("5.己", None),
        ];
        for (text, expected) in cases {
            let l = line(text, literal_rank(text));
            assert_eq!(task_reference(&l, None), expected, "{text}");
        }
        let numbered = line("5.己", Rank::Sub);
        assert_eq!(
            task_reference(&numbered, Some(Section::Progress)),
            Some((5, "己"))
        );
        let decimal = line("5.2亿元", Rank::Body);
        assert_eq!(task_reference(&decimal, Some(Section::Progress)), None);
    }

    #[test]
    fn headings_rank_and_name_sections() {
        assert_eq!(literal_rank("三、典型案例"), Rank::Top);
        assert_eq!(literal_rank("（二）存在问题"), Rank::Sub);
        assert_eq!(literal_rank("三是加强对接"), Rank::Body);
        assert_eq!(heading_level("Heading 2"), Some(1));
        assert_eq!(heading_level("标题 1"), Some(0));
        assert_eq!(heading_level("Normal"), None);
        assert_eq!(
            section_named("四、存在问题及下步计划", &ReportSections::default()),
            Some(Section::Problems)
        );
        assert_eq!(
            section_named("五、下一步工作打算", &ReportSections::default()),
            Some(Section::NextSteps)
        );
        assert_eq!(
            section_named("六、意见建议", &ReportSections::default()),
            Some(Section::Policy)
        );
        assert_eq!(progress_or_other("二、重点任务推进情况"), Section::Progress);
        assert_eq!(progress_or_other("一、总体情况"), Section::Other);
    }
}
