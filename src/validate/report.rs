//! Word reports: unit and date from the title, per-task narrative segments, named sections
//! (cases, problems, next steps, policy requests) and progress tables.

use super::{Context, FileResult, ReportTexts};
use crate::ingest::{Document, FileKind};

/// Validates one Word report.
pub fn validate(file: &str, _doc: &Document, _ctx: &Context) -> FileResult {
    FileResult {
        file: file.to_owned(),
        kind: FileKind::Report,
        unit: None,
        filled_date: None,
        rows: Vec::new(),
        texts: ReportTexts::default(),
        rejected: false,
        diagnostics: Vec::new(),
        table: None,
    }
}
