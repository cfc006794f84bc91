//! 反馈: one workbook per unit with issues — its issue list, the tasks it leads but did not
//! report, and its rows as sent with each problem cell highlighted and annotated — ready to
//! email back for correction.

use super::xlsx::{self, issue_columns, issue_row, Column, Row, Table};
use super::{Output, RenderContext, RenderError};
use crate::diag::{Code, Diagnostic};
use crate::ingest::{CellValue, Grid, Merge, RefStyle};
use crate::registry::Task;
use rayon::prelude::*;
use rust_xlsxwriter::{ColNum, ExcelDateTime, Format, Note, RowNum, Worksheet, XlsxError};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Renders `反馈/<unit>-<round>.xlsx` for every unit with at least one issue. Files whose unit
/// is unknown get no feedback workbook (their issues are in the summary's 校验问题).
pub fn render_all(ctx: &RenderContext) -> Result<Vec<Output>, RenderError> {
    let index = FeedbackIndex::new(ctx);
    index
        .units
        .par_iter()
        .map(|unit| render_unit(ctx, &index, unit))
        .collect()
}

/// Like [`render_all`], but one unit's workbook that cannot be written never stops the others
/// (contract §5): it is written with its issue list only, and when even that fails it is left
/// out; either way the unit gets an `output-failed` issue, returned beside the outputs.
pub fn render_each(ctx: &RenderContext) -> (Vec<Output>, Vec<Diagnostic>) {
    let index = FeedbackIndex::new(ctx);
    let results: Vec<(Option<Output>, Option<Diagnostic>)> = index
        .units
        .par_iter()
        .map(|unit| render_unit_or_issue(ctx, &index, unit))
        .collect();
    let mut outputs = Vec::new();
    let mut issues = Vec::new();
    for (output, issue) in results {
        outputs.extend(output);
        issues.extend(issue);
    }
    (outputs, issues)
}

/// One unit's workbook; on failure its issue list alone, and an issue saying what was lost.
fn render_unit_or_issue(
    ctx: &RenderContext,
    index: &FeedbackIndex,
    unit: &str,
) -> (Option<Output>, Option<Diagnostic>) {
    let name = output_name(unit, &ctx.report.round.id);
    with_fallback(name, unit, |with| build(ctx, index, unit, with))
}

/// Runs `build` with the sent tables, then without them when that fails; any failure becomes
/// an `output-failed` issue for `unit`.
fn with_fallback(
    name: String,
    unit: &str,
    build: impl Fn(Tables) -> Result<Vec<u8>, XlsxError>,
) -> (Option<Output>, Option<Diagnostic>) {
    let err = match build(Tables::Sent) {
        Ok(bytes) => return (Some(Output { name, bytes }), None),
        Err(err) => err,
    };
    let (output, message) = match build(Tables::Omitted) {
        Ok(bytes) => (
            Some(Output {
                name: name.clone(),
                bytes,
            }),
            format!("反馈表未能完整生成（{err}），只含问题清单，未附报送原表"),
        ),
        Err(again) => (
            None,
            format!("反馈表未能生成（{again}），本单位的问题见汇总表“校验问题”"),
        ),
    };
    let issue = Diagnostic::new(Code::OutputFailed, message)
        .file(name)
        .unit(unit)
        .hint("请将报送文件中过长或异常的内容改正后重新报送");
    (output, Some(issue))
}

/// Whether a feedback workbook carries the unit's tables as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tables {
    /// The sent tables, with each problem cell marked.
    Sent,
    /// The issue list (and missing tasks) only: the fallback when the tables cannot be written.
    Omitted,
}

/// What the feedback workbooks look up, gathered once for all units.
pub struct FeedbackIndex<'a> {
    /// Units that submitted and have at least one issue, in submission order.
    pub units: Vec<&'a str>,
    issues: HashMap<&'a str, Vec<&'a Diagnostic>>,
    reported: HashSet<(u32, &'a str)>,
}

impl<'a> FeedbackIndex<'a> {
    /// Groups the round's issues by unit and its reports by (task, unit).
    pub fn new(ctx: &RenderContext<'a>) -> FeedbackIndex<'a> {
        let mut issues: HashMap<&str, Vec<&Diagnostic>> = HashMap::new();
        for d in &ctx.report.issues {
            if let Some(unit) = d.unit.as_deref() {
                issues.entry(unit).or_default().push(d);
            }
        }
        let mut seen = HashSet::new();
        let units = ctx
            .report
            .submissions
            .iter()
            .map(|s| s.unit.as_str())
            .filter(|unit| issues.contains_key(unit) && seen.insert(*unit))
            .collect();
        let reported = ctx
            .report
            .tasks
            .iter()
            .flat_map(|t| t.reports.iter().map(move |r| (t.id, r.unit.as_str())))
            .collect();
        FeedbackIndex {
            units,
            issues,
            reported,
        }
    }

    fn issues(&self, unit: &str) -> &[&'a Diagnostic] {
        self.issues.get(unit).map_or(&[], Vec::as_slice)
    }
}

/// The output name of a unit's feedback workbook.
pub fn output_name(unit: &str, round: &str) -> String {
    let safe: String = unit
        .chars()
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect();
    format!("反馈/{safe}-{round}.xlsx")
}

/// Renders one unit's feedback workbook.
pub fn render_unit(ctx: &RenderContext, index: &FeedbackIndex, unit: &str) -> Result<Output, RenderError> {
    let name = output_name(unit, &ctx.report.round.id);
    let bytes = build(ctx, index, unit, Tables::Sent).map_err(|source| RenderError::Xlsx {
        name: name.clone(),
        source,
    })?;
    Ok(Output { name, bytes })
}

/// The unit's files that have a table, with the sheet name each gets in the workbook.
fn sent_tables<'a>(ctx: &'a RenderContext, unit: &str) -> Vec<(&'a str, &'a Grid, String)> {
    let mut taken = vec![ISSUES_SHEET.to_owned(), MISSING_SHEET.to_owned()];
    let mut out = Vec::new();
    let files = ctx
        .report
        .submissions
        .iter()
        .filter(|s| s.unit == unit)
        .flat_map(|s| s.files.iter());
    for file in files {
        if let Some((path, grid)) = ctx.report.tables.get_key_value(&file.path) {
            let sheet = xlsx::sheet_name(&grid.name, &taken);
            taken.push(sheet.clone());
            out.push((path.as_str(), grid, sheet));
        }
    }
    out
}

const ISSUES_SHEET: &str = "问题清单";
const MISSING_SHEET: &str = "未报任务";

fn build(ctx: &RenderContext, index: &FeedbackIndex, unit: &str, with: Tables) -> Result<Vec<u8>, XlsxError> {
    let round = &ctx.report.round;
    let title = format!("{unit}{}报送材料校验反馈", round.title);
    let mut workbook = xlsx::new_workbook(&title, &ctx.config.office.name, super::document_time(round))?;
    workbook.set_zip_compression_level(xlsx::FAST_ZIP_LEVEL);
    let issues = index.issues(unit);
    let missing = missing_tasks(ctx, index, unit);
    let tables = match with {
        Tables::Sent => sent_tables(ctx, unit),
        Tables::Omitted => Vec::new(),
    };
    let sheet = workbook.add_worksheet();
    sheet.set_name(ISSUES_SHEET)?;
    xlsx::write_table(sheet, &issues_table(ctx, &title, issues, &missing, &tables))?;
    if !missing.is_empty() {
        let sheet = workbook.add_worksheet();
        sheet.set_name(MISSING_SHEET)?;
        xlsx::write_table(sheet, &missing_table(ctx, unit, &missing))?;
    }
    for (file, grid, name) in &tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        let marks = marks_for(issues, file, grid);
        write_grid(sheet, grid, &marks, &ctx.config.office.name)?;
    }
    workbook.save_to_buffer()
}

fn issues_table(
    ctx: &RenderContext,
    title: &str,
    issues: &[&Diagnostic],
    missing: &[&Task],
    tables: &[(&str, &Grid, String)],
) -> Table {
    let count = |level| issues.iter().filter(|d| d.level == level).count();
    use crate::diag::Level;
    let mut preamble = vec![format!(
        "共{}个问题：错误{}个（相应文件或行未采用，请修改后重新报送）、警告{}个（请核实）、提示{}个。",
        issues.len(),
        count(Level::Error),
        count(Level::Warning),
        count(Level::Info)
    )];
    for (file, _, sheet) in tables {
        preamble.push(format!(
            "工作表“{sheet}”为所报“{file}”原样内容，有问题的单元格已标色并附批注（鼠标悬停查看）。"
        ));
    }
    if !missing.is_empty() {
        preamble.push(format!(
            "另有{}项牵头任务本期未报送进展，见“{MISSING_SHEET}”工作表。",
            missing.len()
        ));
    }
    Table {
        title: title.to_owned(),
        preamble,
        columns: issue_columns(false),
        rows: issues
            .iter()
            .enumerate()
            .map(|(i, d)| issue_row(i, d, false))
            .collect(),
        notes: vec![format!("{}　{}", ctx.config.office.name, ctx.report.round.title)],
        ..Table::default()
    }
}

/// Tasks the unit is expected to report on with no report from it this round.
pub fn missing_tasks<'a>(ctx: &'a RenderContext, index: &FeedbackIndex, unit: &'a str) -> Vec<&'a Task> {
    ctx.registry
        .tasks_led_by(unit)
        .filter(|task| !index.reported.contains(&(task.id, unit)))
        .collect()
}

fn missing_table(ctx: &RenderContext, unit: &str, missing: &[&Task]) -> Table {
    Table {
        title: format!("{unit}{}未报送进展的牵头任务", ctx.report.round.title),
        columns: vec![
            Column::centred("序号", 5.0, 6.0),
            Column::text("试点任务", 30.0, 60.0),
            Column::text("牵头单位", 12.0, 24.0),
            Column::text("说明", 16.0, 30.0),
        ],
        rows: missing
            .iter()
            .map(|t| {
                let note = if t.primary_lead() == Some(unit) {
                    "主要牵头，请补报"
                } else {
                    "联合牵头，请补报本单位负责部分"
                };
                Row::plain(vec![
                    t.id.into(),
                    t.text.as_str().into(),
                    t.lead.join("、").into(),
                    note.into(),
                ])
            })
            .collect(),
        ..Table::default()
    }
}

// ---------------------------------------------------------------------------------------
// The table as sent, with marks.

/// Where in a grid a diagnostic points: a cell, or a whole row (`col` is `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Spot {
    /// 0-based row.
    pub row: u32,
    /// 0-based column, `None` for the whole row.
    pub col: Option<u32>,
}

/// Parses a location (`进展情况!D7`, `进展情况!7`, `表2!R3C4`, `表2!R3`) that refers to
/// `grid_name` (written in `style`); `None` for another sheet or a paragraph reference.
pub fn parse_location(location: &str, grid_name: &str, style: RefStyle) -> Option<Spot> {
    let (sheet, cell) = location.rsplit_once('!')?;
    if sheet.trim_matches('\'') != grid_name {
        return None;
    }
    match style {
        RefStyle::A1 => parse_a1(cell),
        RefStyle::Table(_) => parse_r1c1(cell),
    }
}

fn parse_a1(cell: &str) -> Option<Spot> {
    let split = cell.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = cell.split_at(split);
    let row = one_based(digits)?;
    if letters.is_empty() {
        return Some(Spot { row, col: None });
    }
    if letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let col = letters
        .to_ascii_uppercase()
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A' + 1));
    Some(Spot {
        row,
        col: Some(col - 1),
    })
}

fn parse_r1c1(cell: &str) -> Option<Spot> {
    let rest = cell.strip_prefix('R')?;
    match rest.split_once('C') {
        Some((r, c)) => Some(Spot {
            row: one_based(r)?,
            col: Some(one_based(c)?),
        }),
        None => Some(Spot {
            row: one_based(rest)?,
            col: None,
        }),
    }
}

/// `"7"` -> 6.
fn one_based(digits: &str) -> Option<u32> {
    digits.parse::<u32>().ok()?.checked_sub(1)
}

/// The diagnostics of `file` that point into `grid`, by spot.
fn marks_for<'a>(issues: &[&'a Diagnostic], file: &str, grid: &Grid) -> BTreeMap<Spot, Vec<&'a Diagnostic>> {
    let mut marks: BTreeMap<Spot, Vec<&Diagnostic>> = BTreeMap::new();
    for d in issues.iter().filter(|d| d.file.as_deref() == Some(file)) {
        let spot = d
            .location
            .as_deref()
            .and_then(|l| parse_location(l, &grid.name, grid.style));
        if let Some(spot) = spot.filter(|s| s.row < MAX_ROWS && s.col.is_none_or(|c| c < MAX_COLS)) {
            marks.entry(spot).or_default().push(d);
        }
    }
    marks
}

const MAX_ROWS: u32 = 1_048_576;
const MAX_COLS: u32 = 16_384;

/// The note text for the diagnostics at one spot.
pub fn note_text(diagnostics: &[&Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(|d| {
            let mut text = format!("【{}】{}", d.level.label(), d.message);
            if let Some(s) = &d.suggestion {
                text.push_str(&format!("\n建议：{s}"));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn mark_fill(diagnostics: &[&Diagnostic]) -> &'static str {
    if diagnostics.iter().any(|d| d.is_error()) {
        "FFC7CE"
    } else {
        "FFEB9C"
    }
}

fn num_format(value: &CellValue) -> &'static str {
    match value {
        CellValue::Percent(_) => "0%",
        CellValue::Date(_) => "yyyy-mm-dd",
        _ => "General",
    }
}

/// A row holding one lone value (a title, the 填报单位 line, a signature): written without
/// wrapping or border so it reads across the empty cells to its right, as in the original.
fn is_lone(cells: &[CellValue]) -> bool {
    cells.iter().filter(|v| !v.is_blank()).count() == 1
}

/// How a cell of the sent table is drawn: table cells wrapped with borders, lone values
/// unwrapped and unboxed.
fn sent_format(value: &CellValue, lone: bool) -> Format {
    let base = if lone {
        Format::new()
            .set_font_name(xlsx::FONT_NAME)
            .set_font_size(xlsx::FONT_SIZE)
            .set_align(rust_xlsxwriter::FormatAlign::VerticalCenter)
    } else {
        xlsx::cell_format()
    };
    base.set_num_format(num_format(value))
}

fn write_value(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    value: &CellValue,
    format: &Format,
) -> Result<(), XlsxError> {
    match value {
        CellValue::Empty | CellValue::Formula(_) => ws.write_blank(row, col, format)?,
        CellValue::Text(t) | CellValue::Error(t) => return xlsx::write_text(ws, row, col, t, format),
        CellValue::Number(n) | CellValue::Percent(n) => return xlsx::write_number(ws, row, col, *n, format),
        CellValue::Bool(b) => ws.write_boolean_with_format(row, col, *b, format)?,
        CellValue::Date(d) => {
            use chrono::Datelike;
            let year = d.year().clamp(1900, 9999) as u16;
            let when = ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)?;
            ws.write_datetime_with_format(row, col, &when, format)?
        }
    };
    Ok(())
}

/// The sent table's shape: column widths, the number of table columns, and usable merges.
struct Layout {
    widths: Vec<f64>,
    table_cols: usize,
    merges: Vec<Merge>,
}

impl Layout {
    fn of(grid: &Grid) -> Layout {
        let table_cols = grid
            .rows
            .iter()
            .filter(|r| !is_lone(r))
            .map(|r| r.iter().rposition(|v| !v.is_blank()).map_or(0, |i| i + 1))
            .max()
            .unwrap_or(0)
            .min(MAX_COLS as usize);
        Layout {
            widths: grid_widths(grid, table_cols),
            table_cols,
            merges: usable_merges(grid),
        }
    }
}

/// Writes `grid` at its original positions, highlighting and annotating the marked spots.
fn write_grid(
    ws: &mut Worksheet,
    grid: &Grid,
    marks: &BTreeMap<Spot, Vec<&Diagnostic>>,
    author: &str,
) -> Result<(), XlsxError> {
    let layout = Layout::of(grid);
    for (col, width) in layout.widths.iter().enumerate() {
        ws.set_column_width(col as ColNum, *width)?;
    }
    for m in &layout.merges {
        let format = sent_format(grid.cell(m.first_row as usize, m.first_col as usize), false);
        let (first_col, last_col) = (m.first_col as ColNum, m.last_col as ColNum);
        ws.merge_range(m.first_row, first_col, m.last_row, last_col, "", &format)?;
    }
    for (r, cells) in grid.rows.iter().enumerate().take(MAX_ROWS as usize) {
        write_sent_row(ws, r as RowNum, cells, &layout)?;
    }
    for (spot, diagnostics) in marks {
        mark_spot(ws, grid, *spot, diagnostics, author)?;
    }
    xlsx::print_setup(ws, None)?;
    Ok(())
}

fn write_sent_row(
    ws: &mut Worksheet,
    row: RowNum,
    cells: &[CellValue],
    layout: &Layout,
) -> Result<(), XlsxError> {
    let lone = is_lone(cells);
    let span = if lone {
        cells.len()
    } else {
        layout.table_cols.max(cells.len())
    };
    for c in 0..span.min(MAX_COLS as usize) {
        let value = cells.get(c).unwrap_or(&CellValue::Empty);
        if !(lone && value.is_blank()) {
            write_value(ws, row, c as ColNum, value, &sent_format(value, lone))?;
        }
    }
    let height = if lone {
        let text: String = cells.iter().map(CellValue::to_text).collect();
        xlsx::height_for_lines(text.lines().count().max(1))
    } else {
        sent_row_height(row, cells, layout)
    };
    ws.set_row_height(row, height)?;
    Ok(())
}

/// Highlights a cell (or every cell of a row) and attaches one note with the messages.
fn mark_spot(
    ws: &mut Worksheet,
    grid: &Grid,
    spot: Spot,
    diagnostics: &[&Diagnostic],
    author: &str,
) -> Result<(), XlsxError> {
    let row = spot.row as usize;
    let cells = grid.rows.get(row).map(Vec::as_slice).unwrap_or_default();
    let lone = is_lone(cells);
    let cols: Vec<u32> = match spot.col {
        Some(col) => vec![col],
        None => (0..cells.len().clamp(1, MAX_COLS as usize) as u32).collect(),
    };
    for &col in &cols {
        let value = grid.cell(row, col as usize);
        let format = sent_format(value, lone).set_background_color(mark_fill(diagnostics));
        write_value(ws, spot.row, col as ColNum, value, &format)?;
    }
    let text = xlsx::clip_to(&note_text(diagnostics), xlsx::MAX_NOTE_CHARS).into_owned();
    let lines = xlsx::wrapped_lines(&text, 30.0) as u32;
    let note = Note::new(text)
        .set_author(author)
        .add_author_prefix(false)
        .set_width(300)
        .set_height((lines * 20 + 20).min(600));
    ws.insert_note(spot.row, cols.first().copied().unwrap_or(0) as ColNum, &note)?;
    Ok(())
}

/// Widths of the table columns from the table rows (lone values overflow instead).
fn grid_widths(grid: &Grid, table_cols: usize) -> Vec<f64> {
    (0..table_cols)
        .map(|c| {
            let texts: Vec<String> = grid
                .rows
                .iter()
                .filter(|r| !is_lone(r))
                .filter_map(|r| r.get(c))
                .map(CellValue::to_text)
                .collect();
            xlsx::fit_width(texts.iter().map(String::as_str), 6.0, 40.0)
        })
        .collect()
}

/// Merged ranges that can be written: more than one cell, inside the sheet, not overlapping an
/// earlier one.
fn usable_merges(grid: &Grid) -> Vec<Merge> {
    let mut out: Vec<Merge> = Vec::new();
    for m in &grid.merges {
        let valid = m.first_row <= m.last_row
            && m.first_col <= m.last_col
            && (m.first_row, m.first_col) != (m.last_row, m.last_col)
            && m.last_row < MAX_ROWS
            && m.last_col < MAX_COLS;
        let overlaps = |o: &Merge| {
            m.first_row <= o.last_row
                && o.first_row <= m.last_row
                && m.first_col <= o.last_col
                && o.first_col <= m.last_col
        };
        if valid && !out.iter().any(overlaps) {
            out.push(*m);
        }
    }
    out
}

/// The width a cell's text wraps in: its column's, or the columns a one-row merge spans;
/// `None` for a merge over several rows (left to those rows).
fn wrap_width(row: RowNum, col: usize, layout: &Layout) -> Option<f64> {
    let width = |c: usize| layout.widths.get(c).copied().unwrap_or(8.43);
    match layout
        .merges
        .iter()
        .find(|m| m.first_row == row && m.first_col as usize == col)
    {
        Some(m) if m.last_row > m.first_row => None,
        Some(m) => Some((m.first_col as usize..=m.last_col as usize).map(width).sum()),
        None => Some(width(col)),
    }
}

/// The height that shows every cell of a table row.
fn sent_row_height(row: RowNum, cells: &[CellValue], layout: &Layout) -> f64 {
    let lines = cells
        .iter()
        .enumerate()
        .filter(|(_, v)| !v.is_blank())
        .filter_map(|(c, v)| Some(xlsx::wrapped_lines(&v.to_text(), wrap_width(row, c, layout)?)))
        .max()
        .unwrap_or(1);
    xlsx::height_for_lines(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_workbook_that_fails_becomes_an_issue_for_its_unit() {
        let fails_with_tables = |with: Tables| match with {
            Tables::Sent => Err(XlsxError::MaxStringLengthExceeded),
            Tables::Omitted => Ok(vec![1]),
        };
        let (output, issue) = with_fallback("反馈/甲-R.xlsx".into(), "甲", fails_with_tables);
        assert_eq!(output.map(|o| o.bytes), Some(vec![1]));
        let issue = issue.unwrap();
        assert_eq!(
            (issue.code, issue.unit.as_deref()),
            (Code::OutputFailed, Some("甲"))
        );
        assert!(issue.message.contains("只含问题清单"));

        let (output, issue) = with_fallback("反馈/甲-R.xlsx".into(), "甲", |_| {
            Err(XlsxError::MaxStringLengthExceeded)
        });
        assert!(output.is_none());
        assert!(issue.unwrap().is_error());

        let (output, issue) = with_fallback("反馈/甲-R.xlsx".into(), "甲", |_| Ok(vec![2]));
        assert!(output.is_some() && issue.is_none());
    }

    #[test]
    fn locations_parse_back_to_cells() {
        use RefStyle::{Table, A1};
        let spot = |row, col| Some(Spot { row, col });
        assert_eq!(parse_location("进展情况!D7", "进展情况", A1), spot(6, Some(3)));
        assert_eq!(parse_location("进展情况!AA10", "进展情况", A1), spot(9, Some(26)));
        assert_eq!(parse_location("进展情况!7", "进展情况", A1), spot(6, None));
        assert_eq!(parse_location("表2!R3C4", "表2", Table(2)), spot(2, Some(3)));
        assert_eq!(parse_location("表2!R3", "表2", Table(2)), spot(2, None));
        assert_eq!(parse_location("'a!b'!B2", "a!b", A1), spot(1, Some(1)));
        assert_eq!(parse_location("进展情况!R7", "进展情况", A1), spot(6, Some(17)));
        assert_eq!(parse_location("其他!D7", "进展情况", A1), None);
        assert_eq!(parse_location("第12段", "进展情况", A1), None);
        assert_eq!(parse_location("进展情况!D0", "进展情况", A1), None);
        assert_eq!(parse_location("进展情况!", "进展情况", A1), None);
        assert_eq!(parse_location("进展情况!中7", "进展情况", A1), None);
    }

    #[test]
    fn notes_carry_message_and_suggestion() {
        let d = Diagnostic::new(crate::diag::Code::InvalidStatus, "完成状态“差不多了”无法识别")
            .hint("可选值：未启动、推进中、已完成、常态化推进");
        let text = note_text(&[&d]);
        assert!(text.starts_with("【错误】完成状态"));
        assert!(text.contains("建议：可选值"));
    }

    #[test]
    fn overlapping_and_single_cell_merges_are_dropped() {
        let m = |a, b, c, d| Merge {
            first_row: a,
            first_col: b,
            last_row: c,
            last_col: d,
        };
        let grid = Grid {
            name: "S".into(),
            hidden: false,
            style: crate::ingest::RefStyle::A1,
            rows: vec![],
            merges: vec![m(0, 0, 0, 3), m(0, 2, 1, 2), m(2, 2, 2, 2), m(3, 0, 4, 0)],
            hidden_rows: Vec::new(),
            running_numbers: Vec::new(),
            hidden_cols: Vec::new(),
        };
        assert_eq!(usable_merges(&grid), vec![m(0, 0, 0, 3), m(3, 0, 4, 0)]);
    }
}
