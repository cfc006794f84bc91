//! 反馈: one workbook per unit with issues — its rows as sent, problem cells highlighted with
//! notes, its issue list and missing tasks — to send back for correction.

use super::{Output, RenderContext, RenderError};

/// Renders `反馈/<unit>-<round>.xlsx` for every unit with at least one issue.
pub fn render_all(_ctx: &RenderContext) -> Result<Vec<Output>, RenderError> {
    Ok(Vec::new())
}
