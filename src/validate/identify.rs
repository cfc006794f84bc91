//! Which unit and which round a file belongs to: `填报单位：X` / `报送单位：X` / a report title
//! `X关于……的报告`, else the file name, else an agreeing 牵头单位 column (contract §4); and the
//! rounds a title or 填报日期 names (for `stale-round`), and the 填报日期 itself.

use super::Context;
use crate::diag::Diagnostic;
use chrono::NaiveDate;

/// What the content of a file says about who sent it and when.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentClues<'a> {
    /// Text lines above the header (spreadsheets) or the first paragraphs (reports).
    pub lines: Vec<&'a str>,
    /// Values of a 牵头单位 column, if any.
    pub lead_column: Vec<&'a str>,
}

/// Identifies the unit of `file` from its content, then its name, then the lead column.
/// Errors are `unknown-unit`, `unit-conflict` or `unit-unidentified` diagnostics.
pub fn identify_unit(_file: &str, _clues: &ContentClues, _ctx: &Context) -> Result<String, Diagnostic> {
    Err(Diagnostic::new(crate::diag::Code::UnitUnidentified, "无法确定报送单位"))
}

/// `stale-round` when the file name or the lines name only other rounds than `ctx.round`.
pub fn check_round(_file: &str, _lines: &[&str], _ctx: &Context) -> Option<Diagnostic> {
    None
}

/// The 填报日期 (or a date line) found in the lines.
pub fn filled_date(_lines: &[&str]) -> Option<NaiveDate> {
    None
}
