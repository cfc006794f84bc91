//! Cell values and writing one cell (or a merged title) within Excel's limits.

use crate::text::sanitize::{take_utf16, xml_safe};
use rust_xlsxwriter::{ColNum, Format, RowNum, Worksheet, XlsxError};
use std::borrow::Cow;

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

/// Excel's limit on the characters (UTF-16 units) in one cell.
pub const MAX_CELL_CHARS: usize = 32_767;

/// rust_xlsxwriter's limit on a note's text: a cell's limit less 54 units of markup.
pub const MAX_NOTE_CHARS: usize = MAX_CELL_CHARS - 54;

/// `text` made XML-safe and cut to what one cell holds, with a note that it was cut.
pub fn clip(text: &str) -> Cow<'_, str> {
    clip_to(text, MAX_CELL_CHARS)
}

/// `text` made XML-safe (the one sanitiser) and cut to at most `max_units` UTF-16 units, the
/// measure of Excel and rust_xlsxwriter, with a note that it was cut.
pub fn clip_to(text: &str, max_units: usize) -> Cow<'_, str> {
    const MARK: &str = "…（内容过长，已截断）";
    let text = xml_safe(text);
    if text.encode_utf16().count() <= max_units {
        return text;
    }
    let room = max_units.saturating_sub(MARK.encode_utf16().count());
    format!("{}{MARK}", take_utf16(&text, room)).into()
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
    use crate::render::xlsx::{cell_format, title_format};
    use rust_xlsxwriter::Workbook;

    #[test]
    fn overlong_text_and_odd_numbers_are_still_written() {
        let long = "长".repeat(40_000);
        assert!(clip(&long).encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(clip(&long).ends_with("已截断）"));
        assert_eq!(clip("短"), "短");
        assert_eq!(clip("坏\u{FFFE}字\u{FFFF}"), "坏字");
        let astral = "𠀀".repeat(20_000);
        assert!(clip(&astral).encode_utf16().count() <= MAX_CELL_CHARS);
        assert!(clip_to(&astral, MAX_NOTE_CHARS).encode_utf16().count() <= MAX_NOTE_CHARS);
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
