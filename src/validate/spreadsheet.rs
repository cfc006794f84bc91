//! Progress spreadsheets: choose the sheet, find the header, identify the unit and the round,
//! read each row into a [`TaskReport`](super::TaskReport) and apply the row and file rules.

use super::identify::{check_round, filled_date, identify_unit, names_unit, rounds_named, ContentClues};
use super::rules::missing_tasks;
use super::table::Table;
use super::{Context, FileResult};
use crate::diag::{Code, Diagnostic};
use crate::ingest::{FileKind, Grid};
use std::collections::BTreeSet;

/// Sheet names that hold instructions, not data.
const INSTRUCTION_SHEETS: &[&str] = &["说明", "填表要求", "填报要求", "填报须知", "注意事项"];

/// Validates the sheets of one workbook.
pub fn validate(file: &str, sheets: &[Grid], ctx: &Context) -> FileResult {
    let mut result = FileResult::empty(file, FileKind::Spreadsheet);
    let table = match choose_sheet(sheets, ctx) {
        Ok(table) => table,
        Err(error) => return reject(result, error),
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
    if let Some(error) = check_round(file, &round_lines, ctx) {
        return reject(result, point_at_round(error, &table, ctx));
    }
    if let Some(error) = table.refusal() {
        return reject(result, error);
    }
    let read = table.read(file, &unit);
    let reported: BTreeSet<u32> = read
        .rows
        .iter()
        .filter(|r| !r.supplementary)
        .map(|r| r.task)
        .collect();
    result.rows = read.rows;
    result.diagnostics.extend(read.diagnostics);
    let at = table.header_cell();
    result
        .diagnostics
        .extend(missing_tasks(&unit, &reported, &at, ctx));
    result
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
        let named = rounds_named(t, ctx);
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

fn is_instructions(name: &str) -> bool {
    INSTRUCTION_SHEETS.iter().any(|w| name.contains(w))
}

/// How well a sheet's name fits the round: 0 names this round, 1 names none, 2 names only
/// others (a workbook kept with one sheet per quarter).
fn round_rank(name: &str, ctx: &Context) -> u8 {
    let named = rounds_named(name, ctx);
    if named.contains(&ctx.round.id) {
        0
    } else if named.is_empty() {
        1
    } else {
        2
    }
}

/// The visible, non-instruction sheet with a header naming the required columns of this
/// round (the first one, preferring a sheet named for this round over one named for
/// another); `header-not-found` otherwise (a sheet whose status columns are all of other
/// periods is the last choice, and is refused by [`Table::refusal`]).
#[allow(clippy::result_large_err)] // `Diagnostic` is the crate's one problem shape; errors are rare
fn choose_sheet<'a>(sheets: &'a [Grid], ctx: &Context<'a>) -> Result<Table<'a>, Diagnostic> {
    let mut incomplete: Option<Table<'a>> = None;
    let mut best: Option<(u8, Table<'a>)> = None;
    for sheet in sheets.iter().filter(|s| !s.hidden && !is_instructions(&s.name)) {
        let Some(table) = Table::find(sheet, ctx) else {
            continue;
        };
        if !table.header.has_required() {
            incomplete.get_or_insert(table);
            continue;
        }
        let rank = round_rank(&sheet.name, ctx) + if table.header.stale.is_empty() { 0 } else { 3 };
        if best.as_ref().is_none_or(|(r, _)| rank < *r) {
            best = Some((rank, table));
        }
    }
    if let Some((_, table)) = best {
        return Ok(table);
    }
    Err(match incomplete {
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
    .hint("请使用统一模板的表头：序号、试点任务、牵头单位、完成状态、完成进度（%）、本期工作进展……"))
}
