//! Facts about cells that calamine does not report for every format, read from the file
//! itself ([`ods`](super::ods) `content.xml`, [`biff`](super::biff) records) and laid over the
//! grid calamine gave: a percent number format, a formula with no stored value, a hidden row
//! and a formula that computes a running number.

use crate::ingest::{CellValue, Grid, IngestError};
use regex::Regex;
use std::sync::LazyLock;

/// Formulas that number rows by their position: `ROW()-3`, `ROW(A1)`, `ROW()-ROW(A3)`,
/// `A4+1` (the cell above plus one), `MAX(A3:A4)+1`, `COUNTA(B4:B4)`, `SUBTOTAL(3,B4:B4)`
/// (after [`is_running_number_formula`] has dropped `$`, spaces and OpenDocument brackets).
static RUNNING: LazyLock<Regex> = LazyLock::new(|| {
    let cell = r"[A-Z]{1,3}\d+";
    let row = r"ROW\((?:[A-Z]{1,3}\d+)?\)";
    let pattern = format!(
        r"^(?:{row}(?:-{row})?(?:[-+]\d+)?|{cell}\+1|(?:MAX|COUNTA?)\({cell}:{cell}\)(?:\+1)?|SUBTOTAL\(\d+,{cell}:{cell}\))$"
    );
    Regex::new(&pattern).unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// True when a formula's text computes a running number from the row's position (`=ROW()-3`,
/// `of:=[.A4]+1`), not an id looked up or typed.
pub fn is_running_number_formula(formula: &str) -> bool {
    let mut text: String = formula
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '$' | '[' | ']'))
        .collect::<String>()
        .to_ascii_uppercase();
    if let Some(rest) = text.strip_prefix("OF:") {
        text = rest.to_owned();
    }
    let text = text.trim_start_matches('=').replace('.', "");
    text.len() <= 64 && RUNNING.is_match(&text)
}

/// At most this many formula cells with no stored value are kept per workbook; a file with
/// more is refused rather than read with cells left out (no real form has that many).
pub const MAX_UNCALCULATED_CELLS: u64 = 100_000;

/// What the file says about a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// The cell's number format shows a percent; `value` is the number the file stores, so
    /// that a mark is only laid over the cell calamine read with that same number.
    Percent {
        /// The stored number (a fraction: 1 is 100 %).
        value: f64,
    },
    /// A formula with no stored value, with its text when known.
    Uncalculated(String),
    /// The rows are hidden (by hand or by a filter); columns do not matter.
    HiddenRow,
    /// A formula computes the cell's value from the row's position (`=ROW()-3`).
    RunningNumber,
    /// The columns are hidden; rows do not matter.
    HiddenColumn,
}

/// A mark over a rectangle of cells (0-based, inclusive), as a repeated OpenDocument cell
/// covers several.
#[derive(Debug, Clone, PartialEq)]
pub struct Marked {
    /// First row.
    pub first_row: u32,
    /// Last row.
    pub last_row: u32,
    /// First column.
    pub first_col: u32,
    /// Last column.
    pub last_col: u32,
    /// What is known about those cells.
    pub mark: Mark,
}

impl Marked {
    /// A mark on one cell.
    pub fn cell(row: u32, col: u32, mark: Mark) -> Marked {
        Marked {
            first_row: row,
            last_row: row,
            first_col: col,
            last_col: col,
            mark,
        }
    }
}

/// Lays marks over a grid read within `max_rows` × `max_cols`: a percent-formatted number
/// becomes [`CellValue::Percent`], a blank cell under a formula with no stored value becomes
/// [`CellValue::Formula`]. `budget` counts formula cells left for the whole workbook.
pub fn apply(
    grid: &mut Grid,
    marks: &[Marked],
    max_rows: u32,
    max_cols: u32,
    budget: &mut u64,
) -> Result<(), IngestError> {
    for marked in marks {
        match &marked.mark {
            Mark::Percent { value } => apply_percent(grid, marked, *value),
            Mark::Uncalculated(formula) => {
                apply_uncalculated(grid, marked, formula, max_rows, max_cols, budget)?
            }
            Mark::HiddenRow => {
                // Only rows the grid has matter (a repeated hidden row may stand for a million).
                let last = marked.last_row.min(rows_of(grid).saturating_sub(1));
                if marked.first_row <= last && !grid.rows.is_empty() {
                    grid.hidden_rows.extend(marked.first_row..=last);
                }
            }
            Mark::HiddenColumn => {
                // Only columns within the read width matter (`<col max="16384">`).
                let width = grid.rows.iter().map(Vec::len).max().unwrap_or(0);
                let width = u32::try_from(width).unwrap_or(u32::MAX).min(max_cols);
                let last = marked.last_col.min(width.saturating_sub(1));
                if marked.first_col <= last && width > 0 {
                    grid.hidden_cols.extend(marked.first_col..=last);
                }
            }
            Mark::RunningNumber => {
                let last_row = marked.last_row.min(rows_of(grid).saturating_sub(1));
                for row in marked.first_row..=last_row {
                    let width = grid.rows.get(row as usize).map_or(0, Vec::len);
                    let width = u32::try_from(width).unwrap_or(u32::MAX);
                    let last_col = marked.last_col.min(width.saturating_sub(1));
                    if width > 0 {
                        grid.running_numbers
                            .extend((marked.first_col..=last_col).map(|col| (row, col)));
                    }
                }
            }
        }
    }
    grid.hidden_rows.sort_unstable();
    grid.hidden_rows.dedup();
    grid.running_numbers.sort_unstable();
    grid.running_numbers.dedup();
    grid.hidden_cols.sort_unstable();
    grid.hidden_cols.dedup();
    Ok(())
}

/// The grid's row count, as a row index type.
fn rows_of(grid: &Grid) -> u32 {
    u32::try_from(grid.rows.len()).unwrap_or(u32::MAX)
}

/// Numbers equal to the stored value in the marked cells become percents.
fn apply_percent(grid: &mut Grid, marked: &Marked, value: f64) {
    let last_row = (marked.last_row as usize).min(grid.rows.len().saturating_sub(1));
    for row in grid
        .rows
        .iter_mut()
        .take(last_row + 1)
        .skip(marked.first_row as usize)
    {
        let last_col = (marked.last_col as usize).min(row.len().saturating_sub(1));
        for cell in row.iter_mut().take(last_col + 1).skip(marked.first_col as usize) {
            if let CellValue::Number(n) = *cell {
                if same_number(n, value) {
                    *cell = CellValue::Percent(n);
                }
            }
        }
    }
}

/// Equal up to the rounding of a decimal written and read back.
fn same_number(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// Blank cells under the mark (within the caps) become formulas with no stored value.
fn apply_uncalculated(
    grid: &mut Grid,
    marked: &Marked,
    formula: &str,
    max_rows: u32,
    max_cols: u32,
    budget: &mut u64,
) -> Result<(), IngestError> {
    let last_row = marked.last_row.min(max_rows.saturating_sub(1));
    let last_col = marked.last_col.min(max_cols.saturating_sub(1));
    if marked.first_row > last_row || marked.first_col > last_col {
        return Ok(());
    }
    let cells = u64::from(last_row - marked.first_row + 1) * u64::from(last_col - marked.first_col + 1);
    *budget = budget.checked_sub(cells).ok_or_else(too_many_formulas)?;
    for row in marked.first_row..=last_row {
        let (row, first, last) = (row as usize, marked.first_col as usize, last_col as usize);
        if grid.rows.len() <= row {
            grid.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut grid.rows[row];
        for col in first..=last {
            if cells.len() <= col {
                cells.resize(col + 1, CellValue::Empty);
            }
            if cells[col].is_blank() {
                cells[col] = CellValue::Formula(formula.to_owned());
            }
        }
    }
    Ok(())
}

fn too_many_formulas() -> IngestError {
    IngestError::unreadable(format!(
        "表格中没有保存计算结果的公式单元格超过 {MAX_UNCALCULATED_CELLS} 个，文件可能异常"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::RefStyle;

    fn grid(rows: Vec<Vec<CellValue>>) -> Grid {
        Grid {
            name: "S".into(),
            hidden: false,
            style: RefStyle::A1,
            rows,
            merges: Vec::new(),
            hidden_rows: Vec::new(),
            running_numbers: Vec::new(),
            hidden_cols: Vec::new(),
        }
    }

    #[test]
    fn percent_marks_change_only_the_same_number() {
        let mut g = grid(vec![
            vec![CellValue::Number(1.0), CellValue::Number(1.0)],
            vec![CellValue::Number(0.5), CellValue::Text("1".into())],
        ]);
        let marks = [Marked {
            first_row: 0,
            last_row: 5,
            first_col: 1,
            last_col: 1,
            mark: Mark::Percent { value: 1.0 },
        }];
        apply(&mut g, &marks, 100, 100, &mut 10).unwrap();
        assert_eq!(g.rows[0], vec![CellValue::Number(1.0), CellValue::Percent(1.0)]);
        assert_eq!(g.rows[1][1], CellValue::Text("1".into()));
    }

    #[test]
    fn uncalculated_marks_fill_blank_cells_within_the_caps_and_budget() {
        let mut g = grid(vec![vec![CellValue::Number(3.0)]]);
        let marks = [Marked {
            first_row: 0,
            last_row: 9,
            first_col: 0,
            last_col: 1,
            mark: Mark::Uncalculated("1+1".into()),
        }];
        let mut budget = 100;
        apply(&mut g, &marks, 2, 100, &mut budget).unwrap();
        assert_eq!(budget, 96);
        assert_eq!(g.rows.len(), 2);
        assert_eq!(
            g.rows[0],
            vec![CellValue::Number(3.0), CellValue::Formula("1+1".into())]
        );
        assert_eq!(g.rows[1][0], CellValue::Formula("1+1".into()));
        let mut budget = 3;
        assert!(apply(&mut g, &marks, 2, 100, &mut budget).is_err());
    }

    #[test]
    fn running_number_formulas() {
        for f in [
            "ROW()-3",
            "=ROW()-3",
            "ROW(A1)",
            "=ROW()-ROW($A$3)",
            "of:=ROW()-3",
            "of:=[.A4]+1",
            "A4+1",
            "=MAX($A$3:A4)+1",
            "=COUNTA($B$4:B4)",
            "=SUBTOTAL(3,$B$4:B4)",
            "= row() - 2",
        ] {
            assert!(is_running_number_formula(f), "{f}");
        }
        for f in [
            "=VLOOKUP(B4,任务!A:B,2,0)",
            "=D4/E4",
            "=A4+2",
            "=Sheet2!A4",
            "=30+30",
            "=ROW()*2",
            "",
        ] {
            assert!(!is_running_number_formula(f), "{f}");
        }
    }

    #[test]
    fn hidden_rows_and_running_numbers_stay_within_the_grid() {
        let n = CellValue::Number;
        let mut g = grid(vec![vec![n(1.0)], vec![n(2.0), n(3.0)], vec![n(4.0)]]);
        let marks = [
            Marked {
                first_row: 1,
                last_row: 1_000_000,
                first_col: 0,
                last_col: 16_000,
                mark: Mark::HiddenRow,
            },
            Marked::cell(0, 0, Mark::HiddenRow),
            Marked {
                first_row: 1,
                last_row: 9,
                first_col: 0,
                last_col: 0,
                mark: Mark::RunningNumber,
            },
        ];
        apply(&mut g, &marks, 100, 100, &mut 0).unwrap();
        assert_eq!(g.hidden_rows, vec![0, 1, 2]);
        assert_eq!(g.running_numbers, vec![(1, 0), (2, 0)]);
        assert!(g.is_row_hidden(2) && !g.is_row_hidden(3));
        assert!(g.is_running_number(1, 0) && !g.is_running_number(0, 0));
    }
}
