//! Facts about cells that calamine does not report for every format, read from the file
//! itself ([`ods`](super::ods) `content.xml`, [`biff`](super::biff) records) and laid over the
//! grid calamine gave: a percent number format, and a formula with no stored value.

use crate::ingest::{CellValue, Grid, IngestError};

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
        }
    }
    Ok(())
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
}
