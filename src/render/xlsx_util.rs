//! Shared workbook helpers: CJK-aware column widths, row heights for wrapped text, cell
//! formats, print setup, list dropdowns and fixed document properties, so every workbook
//! roundup writes (summary, feedback, forms) looks and prints alike.

use rust_xlsxwriter::{
    ColNum, DataValidation, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, RowNum,
    Workbook, Worksheet, XlsxError,
};

/// The font every cell uses.
pub const FONT_NAME: &str = "宋体";
/// Body font size in points.
pub const FONT_SIZE: f64 = 11.0;
/// Height of one line of wrapped 11 pt CJK text in points (LibreOffice's CJK fallback fonts
/// are taller than Excel's 宋体, so this errs on the generous side).
pub const LINE_HEIGHT: f64 = 16.0;
/// Excel's largest row height in points.
pub const MAX_ROW_HEIGHT: f64 = 409.0;
/// Paper size index of A3 in the OOXML page setup.
pub const PAPER_A3: u8 = 8;
/// The printed footer: page N of M.
pub const FOOTER: &str = "&C第 &P 页 共 &N 页";
/// Width units a cell loses to its padding.
const CELL_PADDING: f64 = 1.0;

/// Display width of text in Excel character units: CJK and full-width characters count ≈ 2.1,
/// others ≈ 1.1 (rust_xlsxwriter's `autofit` counts CJK as narrow).
pub fn text_width(text: &str) -> f64 {
    text.lines().map(line_width).fold(0.0, f64::max)
}

fn line_width(line: &str) -> f64 {
    line.chars().map(|c| if is_wide(c) { 2.1 } else { 1.1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// A column width that fits the widest of `texts` (plus padding), kept within `min..=max`;
/// text wider than `max` wraps.
pub fn fit_width<'a>(texts: impl IntoIterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    let widest = texts.into_iter().map(text_width).fold(0.0, f64::max);
    clamp_width(widest, min, max)
}

/// The column width for content `widest` units wide, padded and kept within `min..=max`.
fn clamp_width(widest: f64, min: f64, max: f64) -> f64 {
    (widest + CELL_PADDING + 1.0).clamp(min, max.max(min))
}

/// How many lines `text` takes when wrapped in a column `width` units wide.
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let usable = (width - CELL_PADDING).max(1.0);
    text.lines()
        .map(|line| (line_width(line) / usable).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// The row height (points) that shows `lines` lines of wrapped text, capped at Excel's limit.
pub fn height_for_lines(lines: usize) -> f64 {
    (lines as f64 * LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

/// The row height that shows every `(text, column width)` cell of a row in full.
pub fn row_height<'a>(cells: impl IntoIterator<Item = (&'a str, f64)>) -> f64 {
    let lines = cells
        .into_iter()
        .map(|(text, width)| wrapped_lines(text, width))
        .max()
        .unwrap_or(1);
    height_for_lines(lines)
}

/// The base cell format: body font, thin border, wrapped, vertically centred.
pub fn cell_format() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(FONT_SIZE)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// A header cell: bold, centred, shaded.
pub fn header_format() -> Format {
    cell_format()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("D9E1F2")
}

/// A sheet title: large, bold, centred, no border.
pub fn title_format() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

/// A free-text line (notes, the 填报单位 row): wrapped, top-aligned, no border.
pub fn line_format() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(FONT_SIZE)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// Print setup shared by every sheet: A3 landscape, one page wide, `repeat` rows (if any)
/// printed on every page, page numbers in the footer.
pub fn print_setup(ws: &mut Worksheet, repeat: Option<(RowNum, RowNum)>) -> Result<(), XlsxError> {
    ws.set_paper_size(PAPER_A3)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_footer(FOOTER);
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}

/// Writes a title across columns `0..=last_col` of `row`, merged when there are several.
pub fn write_title(
    ws: &mut Worksheet,
    row: RowNum,
    last_col: ColNum,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if last_col == 0 {
        write_text(ws, row, 0, text, format)?;
    } else {
        ws.merge_range(row, 0, row, last_col, &clip(text), format)?;
    }
    Ok(())
}

/// Document properties with a fixed creation time, so the file is byte-identical across runs.
pub fn properties(
    title: &str,
    author: &str,
    created: chrono::NaiveDateTime,
) -> Result<DocProperties, XlsxError> {
    use chrono::{Datelike, Timelike};
    let when = ExcelDateTime::from_ymd(
        created.year().clamp(1900, 9999) as u16,
        created.month() as u8,
        created.day() as u8,
    )?
    .and_hms(
        created.hour() as u16,
        created.minute() as u8,
        created.second() as f64,
    )?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author(author)
        .set_company(author)
        .set_creation_datetime(&when))
}

/// Deflate level of the workbooks written: 3, as Excel itself uses — about a third faster to
/// write than the zip default of 6 for files ~5 % larger (rust_xlsxwriter's measurements).
const ZIP_LEVEL: u8 = 3;

/// Deflate level for small workbooks written by the hundred (feedback): level 1 nearly halves
/// the fixed cost of each compressed part, and files of a few kilobytes hardly grow.
pub const FAST_ZIP_LEVEL: u8 = 1;

/// A workbook with fixed document properties.
pub fn new_workbook(
    title: &str,
    author: &str,
    created: chrono::NaiveDateTime,
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(title, author, created)?);
    workbook.set_zip_compression_level(ZIP_LEVEL);
    Ok(workbook)
}

/// Excel's limit on an inline validation list, in UTF-16 units including the commas.
pub const INLINE_LIST_LIMIT: usize = 255;

/// The name of the hidden sheet that holds long dropdown lists.
pub const LIST_SHEET: &str = "下拉选项";

/// True when `values` fit in an inline validation list.
pub fn fits_inline(values: &[&str]) -> bool {
    let joined: usize = values
        .iter()
        .map(|v| v.replace('"', "\"\"").encode_utf16().count())
        .sum();
    joined + values.len().saturating_sub(1) <= INLINE_LIST_LIMIT
}

/// A dropdown list validation. Short lists are written inline; a list longer than Excel's
/// 255-character limit goes in column `list_col` of the hidden sheet [`LIST_SHEET`] (created
/// on first use, after the visible sheets) behind the defined name `name`.
pub fn list_validation(
    workbook: &mut Workbook,
    name: &str,
    list_col: ColNum,
    values: &[&str],
) -> Result<DataValidation, XlsxError> {
    if fits_inline(values) {
        return DataValidation::new().allow_list_strings(values);
    }
    let sheet = match workbook.worksheet_from_name(LIST_SHEET) {
        Ok(sheet) => sheet,
        Err(_) => {
            let sheet = workbook.add_worksheet();
            sheet.set_name(LIST_SHEET)?.set_hidden(true);
            sheet
        }
    };
    for (row, value) in values.iter().enumerate() {
        sheet.write_string(row as RowNum, list_col, *value)?;
    }
    let letters = crate::diag::column_letters(u32::from(list_col));
    let last = values.len().max(1);
    workbook.define_name(name, &format!("='{LIST_SHEET}'!${letters}$1:${letters}${last}"))?;
    Ok(DataValidation::new().allow_list_formula(Formula::new(format!("={name}"))))
}

/// A valid, unique worksheet name from `raw`: forbidden characters replaced, at most 31
/// characters, a numeric suffix when `taken` already holds it (case-insensitively).
pub fn sheet_name(raw: &str, taken: &[String]) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim();
    let base: String = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        "表".to_owned()
    } else {
        cleaned.chars().take(31).collect()
    };
    let is_taken = |name: &str| taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    if !is_taken(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!("({n})");
            let keep = 31 - suffix.chars().count();
            format!("{}{suffix}", base.chars().take(keep).collect::<String>())
        })
        .find(|name| !is_taken(name))
        .unwrap_or(base)
}

/// The programme's name from the leading group's name in the configuration:
/// `南京市服务业扩大开放综合试点工作领导小组` -> `服务业扩大开放综合试点`.
pub fn programme_name(leading_group: &str) -> String {
    let name = leading_group.trim();
    let name = name
        .strip_suffix("工作领导小组")
        .or_else(|| name.strip_suffix("领导小组"))
        .unwrap_or(name);
    let city_end = name
        .char_indices()
        .take(6)
        .find(|(_, c)| *c == '市')
        .map(|(i, c)| i + c.len_utf8());
    match city_end {
        Some(end) if end < name.len() => name[end..].to_owned(),
        _ => name.to_owned(),
    }
}

/// How a column's cells are aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Left (text).
    #[default]
    Left,
    /// Centred (short values, numbers).
    Center,
}

/// One column of a [`Table`]: its header and the width range its content may take.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Header text.
    pub header: String,
    /// Narrowest width, in character units.
    pub min: f64,
    /// Widest width; longer text wraps.
    pub max: f64,
    /// Alignment of the cells.
    pub align: Align,
    /// True for input cells that stay editable on a protected sheet.
    pub unlocked: bool,
}

impl Column {
    /// A left-aligned text column.
    pub fn text(header: impl Into<String>, min: f64, max: f64) -> Column {
        Column {
            header: header.into(),
            min,
            max,
            align: Align::Left,
            unlocked: false,
        }
    }

    /// A centred column for short values and numbers.
    pub fn centred(header: impl Into<String>, min: f64, max: f64) -> Column {
        Column {
            align: Align::Center,
            ..Column::text(header, min, max)
        }
    }

    /// Marks the column as input cells (unlocked on a protected sheet).
    pub fn input(mut self) -> Column {
        self.unlocked = true;
        self
    }
}

/// A cell value.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// Nothing.
    #[default]
    Blank,
    /// Text.
    Text(String),
    /// A number.
    Number(f64),
}

impl Cell {
    /// The text used to size the cell.
    pub fn display(&self) -> String {
        self.with_text(str::to_owned)
    }

    /// Applies `f` to the text used to size the cell, without copying text.
    pub fn with_text<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match self {
            Cell::Blank => f(""),
            Cell::Text(t) => f(t),
            Cell::Number(n) => f(&crate::ingest::format_number(*n)),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_owned())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        if text.is_empty() {
            Cell::Blank
        } else {
            Cell::Text(text)
        }
    }
}

impl From<f64> for Cell {
    fn from(n: f64) -> Cell {
        Cell::Number(n)
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        Cell::Number(n as f64)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Number(f64::from(n))
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Blank, Into::into)
    }
}

/// How a row is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RowKind {
    /// An ordinary data row.
    #[default]
    Plain,
    /// A data row shaded to stand out (e.g. a unit that has not reported).
    Highlight,
    /// A section heading merged across the table (a part of the plan).
    Part,
    /// A sub-section heading merged across the table (a group of the plan).
    Group,
}

/// One row of a [`Table`]. Section rows use their first cell as the heading text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// How it is drawn.
    pub kind: RowKind,
    /// The cells, in column order.
    pub cells: Vec<Cell>,
}

impl Row {
    /// A plain data row.
    pub fn plain(cells: Vec<Cell>) -> Row {
        Row {
            kind: RowKind::Plain,
            cells,
        }
    }

    /// A section heading row.
    pub fn section(kind: RowKind, text: impl Into<String>) -> Row {
        Row {
            kind,
            cells: vec![Cell::from(text.into())],
        }
    }

    fn is_section(&self) -> bool {
        matches!(self.kind, RowKind::Part | RowKind::Group)
    }
}

/// A titled list sheet: title row, optional preamble lines, one header row, data rows, and
/// note lines after the data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// The title (row 1).
    pub title: String,
    /// Lines between the title and the header (e.g. `填报单位：…`), each merged across.
    pub preamble: Vec<String>,
    /// The columns.
    pub columns: Vec<Column>,
    /// The data rows.
    pub rows: Vec<Row>,
    /// Lines after the data (e.g. the light rule), each merged across.
    pub notes: Vec<String>,
    /// Columns frozen at the left.
    pub freeze_cols: ColNum,
    /// Fewest text lines a data row is sized for (room to type in a form).
    pub min_lines: usize,
    /// True when the preamble lines stay editable on a protected sheet.
    pub editable_preamble: bool,
}

/// Where a [`Table`] landed on its sheet (0-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The header row.
    pub header_row: RowNum,
    /// The first data row.
    pub first_row: RowNum,
    /// The sheet row of every data row, in order.
    pub rows: Vec<RowNum>,
    /// The column widths used.
    pub widths: Vec<f64>,
}

impl Placement {
    /// The last data row (the header row when there is no data).
    pub fn last_row(&self) -> RowNum {
        self.rows.last().copied().unwrap_or(self.header_row)
    }
}

impl Table {
    /// Column widths from the header and the data, within each column's range.
    pub fn widths(&self) -> Vec<f64> {
        self.columns
            .iter()
            .enumerate()
            .map(|(i, col)| {
                let widest = self
                    .rows
                    .iter()
                    .filter(|r| !r.is_section())
                    .filter_map(|r| r.cells.get(i))
                    .map(|cell| cell.with_text(text_width))
                    .fold(0.0, f64::max);
                let header_width = fit_width([col.header.as_str()], col.min, col.max);
                clamp_width(widest, col.min, col.max).max(header_width)
            })
            .collect()
    }
}

/// Writes `table` at the top of `ws` with frozen header, autofilter, computed widths, row
/// heights for wrapped text and print setup (header row repeated on every page).
pub fn write_table(ws: &mut Worksheet, table: &Table) -> Result<Placement, XlsxError> {
    let last_col = table.columns.len().saturating_sub(1) as ColNum;
    let widths = table.widths();
    for (i, width) in widths.iter().enumerate() {
        ws.set_column_width(i as ColNum, *width)?;
    }
    let total: f64 = widths.iter().sum();
    write_title(ws, 0, last_col, &table.title, &title_format())?;
    ws.set_row_height(0, 30)?;
    let mut row: RowNum = 1;
    let preamble_format = if table.editable_preamble {
        line_format().set_unlocked()
    } else {
        line_format()
    };
    for line in &table.preamble {
        write_title(ws, row, last_col, line, &preamble_format)?;
        ws.set_row_height(row, row_height([(line.as_str(), total)]))?;
        row += 1;
    }
    let header_row = row;
    write_header(ws, header_row, &table.columns, &widths)?;
    let formats = RowFormats::new(&table.columns);
    let mut placed = Vec::with_capacity(table.rows.len());
    for data in &table.rows {
        row += 1;
        write_row(ws, row, data, table, &widths, &formats)?;
        placed.push(row);
    }
    for note in &table.notes {
        row += 1;
        write_title(ws, row, last_col, note, &line_format())?;
        ws.set_row_height(row, row_height([(note.as_str(), total)]))?;
    }
    let placement = Placement {
        header_row,
        first_row: header_row + 1,
        rows: placed,
        widths,
    };
    ws.set_freeze_panes(header_row + 1, table.freeze_cols)?;
    ws.autofilter(header_row, 0, placement.last_row(), last_col)?;
    print_setup(ws, Some((header_row, header_row)))?;
    Ok(placement)
}

fn write_header(
    ws: &mut Worksheet,
    row: RowNum,
    columns: &[Column],
    widths: &[f64],
) -> Result<(), XlsxError> {
    let format = header_format();
    for (i, col) in columns.iter().enumerate() {
        ws.write_string_with_format(row, i as ColNum, &col.header, &format)?;
    }
    let cells = columns
        .iter()
        .map(|c| c.header.as_str())
        .zip(widths.iter().copied());
    ws.set_row_height(row, row_height(cells))?;
    Ok(())
}

/// The format of a data cell in `col` of a row drawn as `kind`.
pub fn data_format(col: &Column, kind: RowKind) -> Format {
    let mut format = cell_format();
    if col.align == Align::Center {
        format = format.set_align(FormatAlign::Center);
    }
    if col.unlocked {
        format = format.set_unlocked();
    }
    match kind {
        RowKind::Highlight => format.set_background_color("FCE4D6"),
        _ => format,
    }
}

fn section_format(kind: RowKind) -> Format {
    let fill = if kind == RowKind::Part { "BDD7EE" } else { "E2EFDA" };
    cell_format().set_bold().set_background_color(fill)
}

/// The formats of a table's cells, built once per table rather than once per cell.
struct RowFormats {
    plain: Vec<Format>,
    highlight: Vec<Format>,
    part: Format,
    group: Format,
}

impl RowFormats {
    fn new(columns: &[Column]) -> RowFormats {
        let per_column = |kind| columns.iter().map(|c| data_format(c, kind)).collect();
        RowFormats {
            plain: per_column(RowKind::Plain),
            highlight: per_column(RowKind::Highlight),
            part: section_format(RowKind::Part),
            group: section_format(RowKind::Group),
        }
    }

    fn cells(&self, kind: RowKind) -> &[Format] {
        match kind {
            RowKind::Highlight => &self.highlight,
            _ => &self.plain,
        }
    }
}

fn write_row(
    ws: &mut Worksheet,
    row: RowNum,
    data: &Row,
    table: &Table,
    widths: &[f64],
    formats: &RowFormats,
) -> Result<(), XlsxError> {
    if data.is_section() {
        let text = data.cells.first().map(Cell::display).unwrap_or_default();
        let last_col = table.columns.len().saturating_sub(1) as ColNum;
        let format = if data.kind == RowKind::Part {
            &formats.part
        } else {
            &formats.group
        };
        write_title(ws, row, last_col, &text, format)?;
        ws.set_row_height(row, row_height([(text.as_str(), widths.iter().sum())]))?;
        return Ok(());
    }
    let mut lines = table.min_lines.max(1);
    for ((i, format), width) in formats.cells(data.kind).iter().enumerate().zip(widths) {
        let cell = data.cells.get(i).unwrap_or(&Cell::Blank);
        write_cell(ws, row, i as ColNum, cell, format)?;
        lines = lines.max(cell.with_text(|t| wrapped_lines(t, *width)));
    }
    ws.set_row_height(row, height_for_lines(lines))?;
    Ok(())
}

/// Excel's limit on the characters in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// `text` cut to what one cell holds, with a note that it was cut.
pub fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    const MARK: &str = "…（内容过长，已截断）";
    if text.encode_utf16().count() <= MAX_CELL_CHARS {
        return text.into();
    }
    let mut units = 0;
    let kept: String = text
        .chars()
        .take_while(|c| {
            units += c.len_utf16();
            units <= MAX_CELL_CHARS - 20
        })
        .collect();
    format!("{kept}{MARK}").into()
}

/// Writes text, cut to what a cell holds.
pub fn write_text(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    text: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(row, col, clip(text), format)?;
    Ok(())
}

/// Writes a number; one that Excel cannot store (NaN, infinite) is written as text.
pub fn write_number(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    n: f64,
    format: &Format,
) -> Result<(), XlsxError> {
    if n.is_finite() {
        ws.write_number_with_format(row, col, n, format)?;
    } else {
        ws.write_string_with_format(row, col, n.to_string(), format)?;
    }
    Ok(())
}

/// Writes one cell value with a format (a blank cell keeps the format).
pub fn write_cell(
    ws: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    cell: &Cell,
    format: &Format,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Blank => {
            ws.write_blank(row, col, format)?;
            Ok(())
        }
        Cell::Text(t) => write_text(ws, row, col, t, format),
        Cell::Number(n) => write_number(ws, row, col, *n, format),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_wide() {
        assert!((text_width("序号") - 4.2).abs() < 1e-9);
        assert!((text_width("ab") - 2.2).abs() < 1e-9);
        assert!((text_width("长行\n短") - 4.2).abs() < 1e-9);
    }

    #[test]
    fn widths_are_clamped() {
        assert_eq!(fit_width(["序号"], 6.0, 40.0), 6.2);
        assert_eq!(fit_width(["很".repeat(100).as_str()], 6.0, 40.0), 40.0);
        assert_eq!(fit_width([""], 8.0, 40.0), 8.0);
    }

    #[test]
    fn long_text_wraps_to_several_lines() {
        assert_eq!(wrapped_lines("", 10.0), 1);
        assert_eq!(wrapped_lines("短", 10.0), 1);
        // 40 CJK characters ≈ 84 units in a 21-unit column: at least 4 lines.
        assert!(wrapped_lines(&"字".repeat(40), 21.0) >= 4);
        assert_eq!(wrapped_lines("一\n二\n三", 10.0), 3);
        assert!(row_height([("一\n二\n三", 10.0), ("x", 5.0)]) >= 3.0 * LINE_HEIGHT);
        assert_eq!(height_for_lines(10_000), MAX_ROW_HEIGHT);
    }

    #[test]
    fn inline_lists_respect_the_limit() {
        assert!(fits_inline(&["未启动", "推进中", "已完成", "常态化推进"]));
        let long: Vec<String> = (0..60).map(|i| format!("单位{i}")).collect();
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        assert!(!fits_inline(&refs));
    }

    #[test]
    fn long_lists_go_to_a_hidden_sheet() {
        let mut workbook = Workbook::new();
        workbook.add_worksheet().set_name("表").unwrap();
        let long: Vec<String> = (0..60).map(|i| format!("单位名称{i}")).collect();
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        let validation = list_validation(&mut workbook, "UnitList", 0, &refs).unwrap();
        workbook
            .worksheet_from_name("表")
            .unwrap()
            .add_data_validation(1, 0, 5, 0, &validation)
            .unwrap();
        assert!(workbook.worksheet_from_name(LIST_SHEET).is_ok());
        workbook.save_to_buffer().unwrap();
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(sheet_name("进展情况", &[]), "进展情况");
        assert_eq!(sheet_name("a/b:c", &[]), "a_b_c");
        assert_eq!(sheet_name("", &[]), "表");
        assert_eq!(sheet_name("问题清单", &["问题清单".into()]), "问题清单(2)");
        let long = "长".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        let taken = vec![sheet_name(&long, &[])];
        let second = sheet_name(&long, &taken);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("(2)"));
    }

    fn sample() -> Table {
        Table {
            title: "标题".into(),
            preamble: vec!["填报单位：市科技局".into()],
            columns: vec![
                Column::centred("序号", 5.0, 8.0),
                Column::text("内容", 10.0, 20.0).input(),
            ],
            rows: vec![
                Row::section(RowKind::Part, "一、篇章"),
                Row::plain(vec![1u32.into(), "很".repeat(30).into()]),
                Row {
                    kind: RowKind::Highlight,
                    cells: vec![2u32.into(), Cell::Blank],
                },
            ],
            notes: vec!["说明".into()],
            freeze_cols: 0,
            min_lines: 2,
            editable_preamble: false,
        }
    }

    #[test]
    fn tables_place_header_after_preamble() {
        let table = sample();
        let widths = table.widths();
        assert_eq!(widths[1], 20.0);
        assert!(widths[0] >= 5.0 && widths[0] <= 8.0);
        let mut workbook = Workbook::new();
        let placement = write_table(workbook.add_worksheet(), &table).unwrap();
        assert_eq!(placement.header_row, 2);
        assert_eq!(placement.rows, vec![3, 4, 5]);
        assert_eq!(placement.last_row(), 5);
        workbook.save_to_buffer().unwrap();
    }

    #[test]
    fn programme_name_drops_city_and_group() {
        assert_eq!(
            programme_name("南京市服务业扩大开放综合试点工作领导小组"),
            "服务业扩大开放综合试点"
        );
        assert_eq!(programme_name("综合试点领导小组"), "综合试点");
    }

    #[test]
    fn overlong_text_and_odd_numbers_are_still_written() {
        let long = "长".repeat(40_000);
        assert!(clip(&long).encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(clip(&long).ends_with("已截断）"));
        assert_eq!(clip("短"), "短");
        let mut workbook = Workbook::new();
        let ws = workbook.add_worksheet();
        write_cell(ws, 0, 0, &Cell::Text(long), &cell_format()).unwrap();
        write_cell(ws, 1, 0, &Cell::Number(f64::NAN), &cell_format()).unwrap();
        write_title(ws, 2, 3, &"题".repeat(40_000), &title_format()).unwrap();
        workbook.save_to_buffer().unwrap();
    }

    #[test]
    fn cells_convert_from_values() {
        assert_eq!(Cell::from(""), Cell::Blank);
        assert_eq!(Cell::from(Some(5u32)), Cell::Number(5.0));
        assert_eq!(Cell::from(None::<f64>), Cell::Blank);
        assert_eq!(Cell::Number(12.5).display(), "12.5");
    }
}
