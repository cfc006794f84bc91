//! Cell formats (font, borders, fills) and the print setup every sheet shares.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, RowNum, Worksheet, XlsxError};

/// The font every cell uses.
pub const FONT_NAME: &str = "宋体";
/// Body font size in points.
pub const FONT_SIZE: f64 = 11.0;
/// Paper size index of A3 in the OOXML page setup.
pub const PAPER_A3: u8 = 8;
/// The printed footer: page N of M.
pub const FOOTER: &str = "&C第 &P 页 共 &N 页";

/// The base cell format: body font, thin border, wrapped, vertically centred.
pub fn cell_format() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(FONT_SIZE)
        .set_border(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// A header cell: bold, centred, shaded.
pub fn header_format() -> Format {
    cell_format()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("D9E1F2")
}

/// A sheet title: large, bold, centred, no border.
pub fn title_format() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap()
}

/// A free-text line (notes, the 填报单位 row): wrapped, top-aligned, no border.
pub fn line_format() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(FONT_SIZE)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
}

/// Print setup shared by every sheet: A3 landscape, one page wide, `repeat` rows (if any)
/// printed on every page, page numbers in the footer.
pub fn print_setup(ws: &mut Worksheet, repeat: Option<(RowNum, RowNum)>) -> Result<(), XlsxError> {
    ws.set_paper_size(PAPER_A3)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_footer(FOOTER);
    if let Some((first, last)) = repeat {
        ws.set_repeat_rows(first, last)?;
    }
    Ok(())
}
