//! A Word table's logical grid: cells placed at their grid columns (`w:gridBefore`,
//! `w:gridSpan`), vertical merges (`w:vMerge`) filled into every row they span, and the merged
//! ranges recorded; and a cell's text as the page shows it ([`CellText`]): hidden text left
//! out, struck-through text beside normal text read as a correction, each with a warning at
//! the cell. Shared with the legacy Word reader.

use crate::diag::{quote, Code, Diagnostic, Level};
use crate::ingest::{CellValue, Merge};
use std::collections::BTreeMap;
use std::ops::Range;

/// The text of one paragraph as the page shows it, with what the page does not show as
/// current: hidden text (left out of `text`) and struck-through spans (kept in `text`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct MarkedText {
    /// The visible text (struck-through text included).
    pub text: String,
    /// Byte ranges of `text` that are struck through, in order.
    pub struck: Vec<Range<usize>>,
    /// Hidden text that was left out, runs joined by a space.
    pub hidden: String,
}

impl MarkedText {
    /// Appends visible text, struck through or not.
    pub fn push(&mut self, text: &str, struck: bool) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        if struck {
            match self.struck.last_mut() {
                Some(last) if last.end == start => last.end = self.text.len(),
                _ => self.struck.push(start..self.text.len()),
            }
        }
    }

    /// Records hidden text (left out of the visible text).
    pub fn push_hidden(&mut self, text: &str) {
        self.hidden.push_str(text);
    }

    /// Puts `label` (a numbering label) before the text.
    pub fn prefix(&mut self, label: &str) {
        if label.is_empty() {
            return;
        }
        self.text.insert_str(0, label);
        for range in &mut self.struck {
            *range = range.start + label.len()..range.end + label.len();
        }
    }

    /// True when everything this paragraph held is hidden: the page shows no line for it.
    pub fn all_hidden(&self) -> bool {
        self.text.is_empty() && !self.hidden.trim().is_empty()
    }

    /// The visible text without its struck-through spans.
    fn plain(&self) -> String {
        let mut out = String::with_capacity(self.text.len());
        let mut at = 0;
        for range in &self.struck {
            out.push_str(self.text.get(at..range.start).unwrap_or_default());
            at = range.end;
        }
        out.push_str(self.text.get(at..).unwrap_or_default());
        out
    }

    /// The struck-through spans, joined by a space.
    fn struck_text(&self) -> String {
        let spans: Vec<&str> = self
            .struck
            .iter()
            .filter_map(|r| self.text.get(r.clone()))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        spans.join(" ")
    }
}

/// A table cell's paragraphs, turned into its value as the page shows it.
#[derive(Debug, Clone, Default)]
pub(crate) struct CellText {
    lines: Vec<MarkedText>,
}

impl CellText {
    /// Adds one paragraph of the cell.
    pub fn push(&mut self, line: MarkedText) {
        self.lines.push(line);
    }

    /// True when no paragraph was added.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The cell's value as the page shows it, and what it left out: paragraphs that are
    /// wholly hidden are no lines at all and hidden text is left out; struck-through text
    /// beside normal text is a correction, so the normal text is the value; a cell struck
    /// through as a whole keeps its text.
    pub fn finish(self) -> (CellValue, CellMarks) {
        let hidden: Vec<&str> = self
            .lines
            .iter()
            .map(|l| l.hidden.trim())
            .filter(|h| !h.is_empty())
            .collect();
        let mut marks = CellMarks {
            hidden: hidden.join(" "),
            ..CellMarks::default()
        };
        let lines: Vec<&MarkedText> = self.lines.iter().filter(|l| !l.all_hidden()).collect();
        let mut value = lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        if lines.iter().any(|l| !l.struck.is_empty()) {
            let struck: Vec<String> = lines
                .iter()
                .map(|l| l.struck_text())
                .filter(|s| !s.is_empty())
                .collect();
            marks.struck = struck.join(" ");
            let plain = lines.iter().map(|l| l.plain()).collect::<Vec<_>>().join("\n");
            if !plain.trim().is_empty() {
                marks.corrected = Some(plain.trim().to_owned());
                value = plain;
            }
        }
        let value = if value.is_empty() {
            CellValue::Empty
        } else {
            CellValue::Text(value)
        };
        (value, marks)
    }
}

/// What a cell held that the page does not show as its current text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CellMarks {
    /// Hidden text left out.
    pub hidden: String,
    /// Struck-through text.
    pub struck: String,
    /// The text read instead of the struck-through text (`None`: the whole cell is struck
    /// through and kept).
    pub corrected: Option<String>,
}

impl CellMarks {
    /// The warnings for the cell at `location` (none when nothing was left out or struck).
    pub fn notes(&self, location: &str) -> Vec<Diagnostic> {
        let mut notes = Vec::new();
        if !self.hidden.is_empty() {
            notes.push(
                Diagnostic::new(
                    Code::HiddenSheet,
                    format!(
                        "单元格中有隐藏文字“{}”（屏幕和打印都不显示），未读取",
                        quote(&self.hidden)
                    ),
                )
                .level(Level::Warning)
                .at(location)
                .hint("如该文字需要报送，请取消“隐藏”格式；否则请删除隐藏文字"),
            );
        }
        if !self.struck.is_empty() {
            let message = match &self.corrected {
                Some(plain) => format!(
                    "单元格中带删除线的文字“{}”视为已更正，按未划线的“{}”读取",
                    quote(&self.struck),
                    quote(plain)
                ),
                None => format!(
                    "单元格文字“{}”全部带删除线，仍按此读取，请确认",
                    quote(&self.struck)
                ),
            };
            notes.push(
                Diagnostic::new(Code::HiddenSheet, message)
                    .level(Level::Warning)
                    .at(location)
                    .hint("更正时请直接改写，不要保留带删除线的旧值"),
            );
        }
        notes
    }
}

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

    /// The grid column the next cell of the current row goes to.
    pub fn next_col(&self) -> usize {
        self.col
    }

    /// How many rows have been started.
    pub fn row_count(&self) -> usize {
        self.rows.len()
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
