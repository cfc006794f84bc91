//! Shared workbook helpers, so every workbook roundup writes (summary, feedback, forms) looks
//! and prints alike:
//!
//! - [`measure`]: CJK-aware text widths, column widths, wrapped lines and row heights;
//! - [`format`]: cell formats and the print setup (A3 landscape, one page wide, page numbers);
//! - [`props`]: a workbook with fixed document properties and deflate level;
//! - [`lists`]: dropdown lists, inline or on a hidden sheet;
//! - [`sheet_name`]: valid, unique worksheet names;
//! - [`cell`]: cell values and writing one cell within Excel's limits;
//! - [`table`]: the table model (title, columns, rows, notes) and its writer;
//! - [`issues`]: the issue list shared by the summary and the feedback workbooks.
//!
//! Everything a renderer needs is re-exported here (`xlsx::write_table`, `xlsx::Cell`).

pub mod cell;
pub mod format;
pub mod issues;
pub mod lists;
pub mod measure;
pub mod props;
pub mod sheet_name;
pub mod table;

pub use cell::{
    clip, clip_to, write_cell, write_number, write_text, write_title, Cell, MAX_CELL_CHARS, MAX_NOTE_CHARS,
};
pub use format::{
    cell_format, header_format, line_format, print_setup, title_format, FONT_NAME, FONT_SIZE, FOOTER,
    PAPER_A3,
};
pub use issues::{issue_columns, issue_row};
pub use lists::{fits_inline, list_validation, INLINE_LIST_LIMIT, LIST_SHEET};
pub use measure::{
    fit_width, height_for_lines, row_height, text_width, wrapped_lines, LINE_HEIGHT, MAX_ROW_HEIGHT,
};
pub use props::{new_workbook, properties, FAST_ZIP_LEVEL};
pub use sheet_name::sheet_name;
pub use table::{data_format, write_table, Align, Column, Placement, Row, RowKind, Table};
