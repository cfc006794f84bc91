//! Progress spreadsheets: choose the sheet, find the header, identify the unit and the round,
//! read each row into a [`TaskReport`](super::TaskReport) and apply the row and file rules.

use super::identify::{
    check_round, filled_date, identify_unit, names_unit, rounds_named, rounds_named_loosely, ContentClues,
};
use super::rules::missing_tasks;
use super::table::Table;
use super::values::cell_text;
use super::{Context, FileResult};
use crate::diag::{Code, Diagnostic, Level};
use crate::ingest::{FileKind, Grid};
use std::collections::BTreeSet;

/// Sheet names that hold instructions, not data.
const INSTRUCTION_SHEETS: &[&str] = &["说明", "填表要求", "填报要求", "填报须知", "注意事项"];

/// Validates the sheets of one workbook: the sheet that best fits the round is read first and
/// decides the unit; every other sheet with a progress table of this round and this unit is
/// read too (a unit's tasks split by part). A sheet of another period, or one that names
/// another unit, is never dropped in silence: it gets a note at the cell that says so.
pub fn validate(file: &str, sheets: &[Grid], ctx: &Context) -> FileResult {
    let mut result = FileResult::empty(file, FileKind::Spreadsheet);
    let (tables, notes) = match candidate_tables(sheets, ctx) {
        Ok(found) => found,
        Err(error) => return reject(result, error),
    };
    result.diagnostics.extend(notes);
    let mut tables = tables.into_iter();
    let Some(table) = tables.next() else {
        return reject(result, no_header(None));
    };
    if !table.is_oversized() {
        result.table = Some(table.grid.clone());
    }
    let lines = table.clue_lines();
    let leads = table.lead_values();
    let clues = ContentClues {
        lines: lines.iter().map(String::as_str).collect(),
        lead_column: leads.iter().map(String::as_str).collect(),
    };
    let (unit, unit_note) = match identify_unit(file, &clues, ctx) {
        Ok(found) => (found.unit, found.note.map(|n| point_at_unit(n, &table))),
        Err(error) => return reject(result, point_at_unit(error, &table)),
    };
    result.diagnostics.extend(unit_note);
    result.unit = Some(unit.clone());
    result.filled_date = filled_date(&clues.lines);
    let mut round_lines = clues.lines.clone();
    round_lines.push(&table.grid.name);
    match check_round(file, &round_lines, ctx) {
        Some(error) if error.is_error() => return reject(result, point_at_round(error, &table, ctx)),
        Some(warning) => {
            // The file is this round's: a 填报日期 before the round is a typo, not its date.
            result.filled_date = result.filled_date.filter(|d| *d >= ctx.round.start);
            result.diagnostics.push(point_at_round(warning, &table, ctx));
        }
        None => {}
    }
    if let Some(error) = table.refusal() {
        return reject(result, error);
    }
    let read = table.read(file, &unit);
    result.rows = read.rows;
    result.diagnostics.extend(read.diagnostics);
    for other in tables {
        read_other_sheet(&mut result, &other, &table.grid.name, &unit, ctx);
    }
    let reported: BTreeSet<u32> = result
        .rows
        .iter()
        .filter(|r| !r.supplementary)
        .map(|r| r.task)
        .collect();
    let at = table.header_cell();
    result
        .diagnostics
        .extend(missing_tasks(&unit, &reported, &at, ctx));
    result
}

/// A further sheet with a progress table: ignored with an info when it names another period,
/// reported with a warning when it names another unit, read (its rows added after the
/// first sheet's, a task already read being a `duplicate-task`) otherwise. A sheet all of whose
/// tasks the sheet read first (`first`, the one with the later 填报日期) already holds is an
/// older copy: one `duplicate-task` warning names it, and none of its rows is read.
fn read_other_sheet(result: &mut FileResult, table: &Table, first: &str, unit: &str, ctx: &Context) {
    if let Some(note) = other_period(table, ctx) {
        result.diagnostics.push(note);
        return;
    }
    if let Some(note) = other_unit(table, unit, ctx) {
        result.diagnostics.push(note);
        return;
    }
    if let Some(refused) = table.refusal() {
        let note = Diagnostic::new(
            Code::HiddenSheet,
            format!("工作表“{}”未读取：{}", table.grid.name, refused.message),
        )
        .level(Level::Info);
        result.diagnostics.push(match refused.location {
            Some(location) => note.at(location),
            None => note.at(table.header_cell()),
        });
        return;
    }
    let read = table.read(&result.file, unit);
    let mut seen: BTreeSet<u32> = result.rows.iter().map(|r| r.task).collect();
    if !read.rows.is_empty() && read.rows.iter().all(|r| seen.contains(&r.task)) {
        let note = Diagnostic::new(
            Code::DuplicateTask,
            format!(
                "工作表“{}”与“{first}”填报的是同一批任务，已按填报日期较新（日期相同时按工作表顺序）的“{first}”读取，“{}”未采用",
                table.grid.name, table.grid.name
            ),
        )
        .level(Level::Warning)
        .at(table.header_cell())
        .hint("请删除旧的工作表，只保留本轮的一张进展表");
        result.diagnostics.push(note);
        return;
    }
    for row in read.rows {
        if seen.insert(row.task) {
            result.rows.push(row);
            continue;
        }
        let location = row.location.clone().unwrap_or_else(|| table.grid.name.clone());
        result.diagnostics.push(
            Diagnostic::new(
                Code::DuplicateTask,
                format!(
                    "任务{}在本文件的其他工作表中已填报，工作表“{}”中的这一行未采用",
                    row.task, table.grid.name
                ),
            )
            .task(row.task)
            .at(location)
            .hint("同一任务请只填报一次"),
        );
    }
    result.diagnostics.extend(read.diagnostics);
}

/// An info when the sheet's title rows, 填报日期 or name put it in another period than the
/// round: the sheet is not read.
fn other_period(table: &Table, ctx: &Context) -> Option<Diagnostic> {
    let lines = table.clue_lines();
    let mut refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    refs.push(&table.grid.name);
    let stale = check_round("", &refs, ctx).filter(Diagnostic::is_error)?;
    let note = Diagnostic::new(
        Code::HiddenSheet,
        format!(
            "工作表“{}”不是本轮的材料（{}），未读取",
            table.grid.name,
            stale.message.replacen("文件标明", "本表标明", 1)
        ),
    )
    .level(Level::Info);
    Some(point_at_round(note, table, ctx))
}

/// A warning at the sheet's 填报单位 cell (or title) when it names another known unit than
/// the file's: that sheet belongs to that unit and is not read as this unit's rows.
fn other_unit(table: &Table, unit: &str, ctx: &Context) -> Option<Diagnostic> {
    let lines = table.clue_lines();
    let clues = ContentClues {
        lines: lines.iter().map(String::as_str).collect(),
        lead_column: Vec::new(),
    };
    let named = identify_unit("", &clues, ctx).ok()?.unit;
    if named == unit {
        return None;
    }
    let location = table
        .clue_cell(names_unit)
        .unwrap_or_else(|| table.grid.name.clone());
    Some(
        Diagnostic::new(
            Code::UnitConflict,
            format!(
                "工作表“{}”的填报单位为“{named}”，不是本文件的报送单位“{unit}”；该表未作为“{unit}”的进展读取，“{named}”的进展未从本文件采用",
                table.grid.name
            ),
        )
        .level(Level::Warning)
        .at(location)
        .hint(format!("请“{named}”单独报送本单位的进展表，或将两单位的任务合并到一张表中")),
    )
}

/// A unit error from the content points at the cell naming the unit (`填报单位：X` or a
/// report title).
fn point_at_unit(error: Diagnostic, table: &Table) -> Diagnostic {
    if !matches!(error.code, Code::UnknownUnit | Code::UnitConflict) {
        return error;
    }
    let cell = table.clue_cell(names_unit);
    match cell {
        Some(location) => error.at(location),
        None => error,
    }
}

/// A stale round named in the content points at the cell naming it (a title naming another
/// round, or a 填报日期 before the round), or at the sheet named for another round.
fn point_at_round(error: Diagnostic, table: &Table, ctx: &Context) -> Diagnostic {
    let names_other = |t: &str| {
        let named = rounds_named_loosely(t, ctx);
        !named.is_empty() && !named.contains(&ctx.round.id)
    };
    let dated_before = |t: &str| filled_date(&[t]).is_some_and(|d| d < ctx.round.start);
    let sheet = &table.grid.name;
    let location = table
        .clue_cell(|t| names_other(t) || dated_before(t))
        .or_else(|| names_other(sheet).then(|| sheet.clone()));
    match location {
        Some(location) => error.at(location),
        None => error,
    }
}

/// The file is rejected with one file-level diagnostic.
fn reject(mut result: FileResult, error: Diagnostic) -> FileResult {
    result.rejected = true;
    result.diagnostics.push(error);
    result
}

/// Sheet names that hold a filled-in example, not data.
const EXAMPLE_SHEETS: &[&str] = &["示例", "样表", "范例", "样例"];

/// Cell text that marks a row as an example (`示例：已完成方案起草`).
const EXAMPLE_PREFIXES: &[&str] = &["示例", "例如", "例："];

fn is_instructions(name: &str) -> bool {
    INSTRUCTION_SHEETS.iter().any(|w| name.contains(w))
}

/// An info when the sheet is a filled-in example (named like `填写示例`, or a row under the
/// header whose text starts with `示例`/`例如`): it is not read.
fn example_note(table: &Table) -> Option<Diagnostic> {
    let name = &table.grid.name;
    let evidence = if EXAMPLE_SHEETS.iter().any(|w| name.contains(w)) {
        format!("工作表名“{name}”表明是填写示例")
    } else {
        let location = example_cell(table)?;
        format!("{location}的内容以“示例/例如”开头")
    };
    Some(
        Diagnostic::new(
            Code::HiddenSheet,
            format!("工作表“{name}”是填写示例（{evidence}），未读取"),
        )
        .level(Level::Info)
        .at(name.clone()),
    )
}

/// The first cell under the header whose text starts like an example.
fn example_cell(table: &Table) -> Option<String> {
    let grid = table.grid;
    (table.header.data_start()..grid.rows.len()).find_map(|row| {
        let cells = grid.rows.get(row)?;
        let col = cells.iter().position(|c| {
            let text = cell_text(c);
            EXAMPLE_PREFIXES.iter().any(|p| text.starts_with(p))
        })?;
        Some(grid.location(row, col))
    })
}

/// How well a sheet fits the round, by its name and then its title rows and 填报日期: 0 names
/// this round, 1 names none, 2 names only others (a workbook kept with one sheet per
/// quarter, `Sheet1` titled 2024年第三季度).
fn round_rank(table: &Table, ctx: &Context) -> u8 {
    let named = rounds_named_loosely(&table.grid.name, ctx);
    if named.contains(&ctx.round.id) {
        return 0;
    }
    if !named.is_empty() {
        return 2;
    }
    let lines = table.clue_lines();
    let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
    if check_round("", &refs, ctx).is_some_and(|d| d.is_error()) {
        return 2;
    }
    if rounds_named(&refs.join(" "), ctx).contains(&ctx.round.id) {
        0
    } else {
        1
    }
}

/// The visible sheets with a header naming the required columns, best first: a sheet whose
/// name and title rows fit this round before one that names none, before one of another
/// period (a workbook kept with one sheet per quarter), before one whose status columns are
/// all of other periods (refused by [`Table::refusal`]); position decides only among equals.
/// Example sheets are left out, each with an info (read only when no other sheet has a
/// header); instruction sheets are left out. `header-not-found` when
/// no sheet has a complete header.
#[allow(clippy::result_large_err)] // `Diagnostic` is the crate's one problem shape; errors are rare
fn candidate_tables<'a>(
    sheets: &'a [Grid],
    ctx: &Context<'a>,
) -> Result<(Vec<Table<'a>>, Vec<Diagnostic>), Diagnostic> {
    let mut incomplete: Option<Table<'a>> = None;
    let mut ranked: Vec<(u8, std::cmp::Reverse<Option<chrono::NaiveDate>>, Table<'a>)> = Vec::new();
    let mut examples: Vec<(Diagnostic, Table<'a>)> = Vec::new();
    let mut period_notes: Vec<Diagnostic> = Vec::new();
    for sheet in sheets.iter().filter(|s| !s.hidden && !is_instructions(&s.name)) {
        let Some(table) = Table::find(sheet, ctx) else {
            continue;
        };
        let (table, below) = current_table_below(table, ctx);
        period_notes.extend(below);
        if !table.header.has_required() {
            incomplete.get_or_insert(table);
            continue;
        }
        if let Some(note) = example_note(&table) {
            examples.push((note, table));
            continue;
        }
        let rank = round_rank(&table, ctx) + if table.header.stale.is_empty() { 0 } else { 6 };
        let lines = table.clue_lines();
        let date = filled_date(&lines.iter().map(String::as_str).collect::<Vec<_>>());
        ranked.push((rank, std::cmp::Reverse(date), table));
    }
    if ranked.is_empty() && examples.is_empty() {
        return Err(no_header(incomplete));
    }
    if ranked.is_empty() {
        // Only example-like sheets: read them rather than lose the file.
        return Ok((examples.into_iter().map(|(_, t)| t).collect(), Vec::new()));
    }
    // Period evidence first, then the later 填报日期 (an older copy sheet beside `进展表 (2)`),
    // then position.
    ranked.sort_by_key(|(rank, date, _)| (*rank, *date));
    let notes = examples.into_iter().map(|(n, _)| n).chain(period_notes).collect();
    Ok((ranked.into_iter().map(|(_, _, t)| t).collect(), notes))
}

/// Last quarter's table left above this quarter's in one sheet: when the title rows of the first
/// table name only other rounds and a later row names this round over a header of its own, the
/// later table is the sheet's, with a `stale-round` info at the first table's title.
fn current_table_below<'a>(table: Table<'a>, ctx: &Context<'a>) -> (Table<'a>, Option<Diagnostic>) {
    let names_other = |t: &str| {
        let named = rounds_named(t, ctx);
        !named.is_empty() && !named.contains(&ctx.round.id)
    };
    let titles = table.title_lines();
    if !titles.iter().any(|t| names_other(t))
        || titles
            .iter()
            .any(|t| rounds_named(t, ctx).contains(&ctx.round.id))
    {
        return (table, None);
    }
    let Some(top) = table.later_row(|t| rounds_named(t, ctx).contains(&ctx.round.id)) else {
        return (table, None);
    };
    let Some(below) = Table::find_from(table.grid, ctx, top) else {
        return (table, None);
    };
    if !below.header.has_required() {
        return (table, None);
    }
    let at = table
        .clue_cell(names_other)
        .unwrap_or_else(|| table.header_cell());
    let note = Diagnostic::new(
        Code::StaleRound,
        format!(
            "工作表“{}”上方的表格（{at}）为往期材料，未读取；已读取第{}行起本轮（{}）的表格",
            table.grid.name,
            top + 1,
            ctx.round.title
        ),
    )
    .level(Level::Info)
    .at(at);
    (below, Some(note))
}

/// `header-not-found`, at the incomplete header when there is one.
fn no_header(incomplete: Option<Table>) -> Diagnostic {
    match incomplete {
        Some(table) => Diagnostic::new(
            Code::HeaderNotFound,
            format!(
                "工作表“{}”第{}行的表头缺少必需的列（需有“序号”或“试点任务”，以及“完成状态”或“本期工作进展”）",
                table.grid.name,
                table.header.first_row + 1
            ),
        )
        .at(table.header_cell()),
        None => Diagnostic::new(
            Code::HeaderNotFound,
            "前15行中未找到表头（需有至少3个可识别的列名，如序号、试点任务、完成状态、本期工作进展）",
        ),
    }
    .hint("请使用统一模板的表头：序号、试点任务、牵头单位、完成状态、完成进度（%）、本期工作进展……")
}
