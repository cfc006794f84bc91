//! Progress spreadsheets: choose the sheet, find the header, map columns, read each row into a
//! [`TaskReport`] and apply the row and file rules.

use super::{Context, FileResult, ReportTexts};
use crate::ingest::{FileKind, Grid};

/// Validates the sheets of one workbook.
pub fn validate(file: &str, _sheets: &[Grid], _ctx: &Context) -> FileResult {
    FileResult {
        file: file.to_owned(),
        kind: FileKind::Spreadsheet,
        unit: None,
        filled_date: None,
        rows: Vec::new(),
        texts: ReportTexts::default(),
        rejected: false,
        diagnostics: Vec::new(),
        table: None,
    }
}
