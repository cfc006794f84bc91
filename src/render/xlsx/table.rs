//! The table model (columns, rows, a titled list sheet) and its writer: frozen header,
//! autofilter, computed widths and row heights, print setup.

use super::cell::{write_cell, write_title, Cell};
use super::format::{cell_format, header_format, line_format, print_setup, title_format};
use super::measure::{clamp_width, fit_width, height_for_lines, row_height, text_width, wrapped_lines};
use rust_xlsxwriter::{ColNum, Format, FormatAlign, RowNum, Worksheet, XlsxError};

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
        ws.write_string_with_format(row, i as ColNum, super::clip(&col.header), &format)?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::Workbook;

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
}
