//! Fillable forms per lead unit: the progress spreadsheet (locked task columns, dropdowns,
//! validation, instructions) and the Word report skeleton that the readers recognise.

use super::{Output, RenderError};
use crate::config::{Config, Round};
use crate::registry::Registry;

/// The forms of one lead unit: `<unit>-<round>-进展表.xlsx` and `<unit>-<round>-工作报告.docx`.
pub fn render_unit(
    _registry: &Registry,
    _config: &Config,
    _round: &Round,
    _unit: &str,
) -> Result<Vec<Output>, RenderError> {
    Ok(Vec::new())
}
