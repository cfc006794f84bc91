//! A Word table's logical grid: cells placed at their grid columns (`w:gridBefore`,
//! `w:gridSpan`), vertical merges (`w:vMerge`) filled into every row they span, and the merged
//! ranges recorded.

use crate::ingest::{CellValue, Merge};
use std::collections::BTreeMap;

/// A vertical merge still open at a column.
#[derive(Debug)]
struct OpenMerge {
    first_row: usize,
    last_row: usize,
    span: usize,
    value: CellValue,
}

/// Builds rows and merges cell by cell.
#[derive(Debug)]
pub(crate) struct GridBuilder {
    rows: Vec<Vec<CellValue>>,
    merges: Vec<Merge>,
    open: BTreeMap<usize, OpenMerge>,
    max_cols: usize,
    col: usize,
}

impl GridBuilder {
    /// An empty grid of at most `max_cols` columns.
    pub fn new(max_cols: usize) -> GridBuilder {
        GridBuilder {
            rows: Vec::new(),
            merges: Vec::new(),
            open: BTreeMap::new(),
            max_cols: max_cols.max(1),
            col: 0,
        }
    }

    /// Starts a row whose first `grid_before` columns are empty.
    pub fn start_row(&mut self, grid_before: usize) {
        self.rows.push(Vec::new());
        self.col = grid_before.min(self.max_cols);
    }

    /// Places the next cell. `v_merge` is `Some(true)` for a merge start, `Some(false)` for a
    /// continuation, `None` for an ordinary cell.
    pub fn cell(&mut self, span: usize, v_merge: Option<bool>, value: CellValue) {
        let row = self.rows.len().saturating_sub(1);
        let col = self.col;
        if col >= self.max_cols {
            return;
        }
        let span = span.clamp(1, self.max_cols - col);
        self.col = col + span;
        match v_merge {
            Some(false) if self.open.contains_key(&col) => self.continue_merge(row, col),
            Some(true) => {
                self.close(col);
                self.open.insert(
                    col,
                    OpenMerge {
                        first_row: row,
                        last_row: row,
                        span,
                        value: value.clone(),
                    },
                );
                self.place(col, span, value);
            }
            _ => {
                self.close(col);
                if span > 1 {
                    self.record(row, row, col, span);
                }
                self.place(col, span, value);
            }
        }
    }

    /// Ends the current row: merges not continued in it are closed.
    pub fn end_row(&mut self) {
        let row = self.rows.len().saturating_sub(1);
        let ended: Vec<usize> = self
            .open
            .iter()
            .filter(|(_, m)| m.last_row < row)
            .map(|(c, _)| *c)
            .collect();
        for col in ended {
            self.close(col);
        }
    }

    /// How many cells the current row holds (spanned columns included).
    pub fn last_row_len(&self) -> usize {
        self.rows.last().map_or(0, Vec::len)
    }

    /// The rows and the merged ranges.
    pub fn finish(mut self) -> (Vec<Vec<CellValue>>, Vec<Merge>) {
        let open: Vec<usize> = self.open.keys().copied().collect();
        for col in open {
            self.close(col);
        }
        self.merges.sort_by_key(|m| (m.first_row, m.first_col));
        (self.rows, self.merges)
    }

    fn continue_merge(&mut self, row: usize, col: usize) {
        let Some(open) = self.open.get_mut(&col) else {
            return;
        };
        open.last_row = row;
        let (span, value) = (open.span, open.value.clone());
        self.place(col, span, value);
    }

    fn place(&mut self, col: usize, span: usize, value: CellValue) {
        let Some(cells) = self.rows.last_mut() else {
            return;
        };
        if cells.len() < col + span {
            cells.resize(col + span, CellValue::Empty);
        }
        cells[col] = value;
    }

    fn close(&mut self, col: usize) {
        if let Some(m) = self.open.remove(&col) {
            if m.last_row > m.first_row || m.span > 1 {
                self.record(m.first_row, m.last_row, col, m.span);
            }
        }
    }

    fn record(&mut self, first_row: usize, last_row: usize, col: usize, span: usize) {
        self.merges.push(Merge {
            first_row: first_row as u32,
            first_col: col as u32,
            last_row: last_row as u32,
            last_col: (col + span - 1) as u32,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn vertical_merge_fills_rows_and_records_range() {
        let mut b = GridBuilder::new(10);
        b.start_row(0);
        b.cell(1, Some(true), text("A"));
        b.cell(2, None, text("B"));
        b.end_row();
        b.start_row(0);
        b.cell(1, Some(false), CellValue::Empty);
        b.cell(1, None, text("C"));
        b.cell(1, None, text("D"));
        b.end_row();
        b.start_row(0);
        b.cell(1, None, text("E"));
        b.end_row();
        let (rows, merges) = b.finish();
        assert_eq!(rows[0], vec![text("A"), text("B"), CellValue::Empty]);
        assert_eq!(rows[1], vec![text("A"), text("C"), text("D")]);
        assert_eq!(rows[2], vec![text("E")]);
        assert_eq!(
            merges,
            vec![
                Merge {
                    first_row: 0,
                    first_col: 0,
                    last_row: 1,
                    last_col: 0
                },
                Merge {
                    first_row: 0,
                    first_col: 1,
                    last_row: 0,
                    last_col: 2
                },
            ]
        );
    }

    #[test]
    fn huge_spans_are_capped() {
        let mut b = GridBuilder::new(5);
        b.start_row(3);
        b.cell(1_000_000, None, text("X"));
        b.cell(1, None, text("Y"));
        b.end_row();
        let (rows, merges) = b.finish();
        assert_eq!(rows[0].len(), 5);
        assert_eq!(merges[0].last_col, 4);
    }
}
