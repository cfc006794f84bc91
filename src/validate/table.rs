//! Progress tables: header detection, column mapping and row reading shared by spreadsheets
//! and the tables of Word reports (one code path, contract §2 and §3).

use super::{Context, TaskReport};
use crate::diag::Diagnostic;
use crate::ingest::Grid;

/// The rows read from one grid whose header was recognised.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRead {
    /// 0-based row index of the header row (the last row, for a two-row header).
    pub header_row: usize,
    /// Accepted task rows, `unit` and `file` filled in.
    pub rows: Vec<TaskReport>,
    /// Every diagnostic from header mapping, values and row rules (file and unit filled in).
    pub diagnostics: Vec<Diagnostic>,
}

/// True when `grid` has a recognisable progress header in its first 15 rows.
pub fn has_progress_header(_grid: &Grid, _ctx: &Context) -> bool {
    false
}

/// Reads a progress table for `unit` from `grid`; `None` when no header is found.
pub fn read_progress_table(_grid: &Grid, _file: &str, _unit: &str, _ctx: &Context) -> Option<TableRead> {
    None
}
