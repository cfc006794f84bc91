//! Ingest: find the inbox's files and turn each one's bytes into positioned content —
//! sheets of cells ([`Grid`]) or a Word document's blocks ([`Document`]) — without judging it.
//!
//! Readers take bytes, never paths, so the same code runs in-process, in a worker process
//! and under a fuzzer; every type here is serialisable for that reason.

pub mod convert;
pub mod discover;
pub mod doc;
pub mod docx;
pub mod load;
pub mod pool;
pub mod sheet;
pub mod sniff;
pub mod zipguard;

use crate::config::Limits;
use crate::diag::{cell_ref, table_ref, Code, Diagnostic};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub use discover::{discover, Candidate, Discovery, SkipReason};
pub use load::{ingest_guarded, load_file, LoadedFile};

/// What a file is for: a progress spreadsheet or a Word report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    /// 进展表: xlsx, xlsm, xls, xlsb, ods, et.
    Spreadsheet,
    /// 工作报告: docx, doc and wps (doc and wps read natively, LibreOffice only as a fallback).
    Report,
}

impl FileKind {
    /// Chinese name for messages and workbooks.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Spreadsheet => "进展表",
            FileKind::Report => "工作报告",
        }
    }
}

/// One cell's value as read, before any interpretation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub enum CellValue {
    /// Nothing in the cell.
    #[default]
    Empty,
    /// Text as written (not trimmed).
    Text(String),
    /// A number (integers too).
    Number(f64),
    /// A fraction from a percent-formatted cell (0.8 shown as 80%).
    Percent(f64),
    /// TRUE / FALSE.
    Bool(bool),
    /// A date (from a date-formatted serial or an ISO cell).
    Date(NaiveDate),
    /// An error cell such as `#DIV/0!`.
    Error(String),
    /// A formula with no stored value (written by a program that does not calculate, such as
    /// openpyxl or xlwt): the value is not given. Holds the formula text when the file gives
    /// it (`30+30`), else nothing.
    Formula(String),
}

impl CellValue {
    /// True for an empty cell or one holding only white space (a formula with no stored value
    /// is not blank: something was written there).
    pub fn is_blank(&self) -> bool {
        match self {
            CellValue::Empty => true,
            CellValue::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The value as display text: integers without `.0`, dates as `2024-07-10`, percent as
    /// `80%`; a formula with no stored value has no text.
    pub fn to_text(&self) -> String {
        match self {
            CellValue::Empty => String::new(),
            CellValue::Text(t) => t.clone(),
            CellValue::Number(n) => format_number(*n),
            CellValue::Percent(p) => format!("{}%", format_number(p * 100.0)),
            CellValue::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            CellValue::Date(d) => d.format("%Y-%m-%d").to_string(),
            CellValue::Error(e) => e.clone(),
            CellValue::Formula(_) => String::new(),
        }
    }
}

/// `5` for 5.0, `12.5` for 12.5; no float noise.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        let s = format!("{:.6}", n);
        s.trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// How locations inside a grid are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RefStyle {
    /// `sheet!E7` (spreadsheets).
    A1,
    /// `表2!R3C4` (Word tables; the number is the table's 1-based position).
    Table(usize),
}

/// A merged range, 0-based and inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Merge {
    /// First row.
    pub first_row: u32,
    /// First column.
    pub first_col: u32,
    /// Last row.
    pub last_row: u32,
    /// Last column.
    pub last_col: u32,
}

/// A rectangle of cells: one worksheet, or one Word table. Row and column indices are the
/// positions the user sees (row 0 is Excel's row 1 even when it is empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grid {
    /// Sheet name, or `表N` for a Word table.
    pub name: String,
    /// Hidden sheet (not read, noted).
    pub hidden: bool,
    /// How locations are written.
    pub style: RefStyle,
    /// Rows of cells; rows may be shorter than others.
    pub rows: Vec<Vec<CellValue>>,
    /// Merged ranges, as declared by the file.
    pub merges: Vec<Merge>,
    /// Rows the file hides (0-based, sorted: hidden by hand or by a filter), where the reader
    /// can tell (xlsx, xls/et, ods).
    #[serde(default)]
    pub hidden_rows: Vec<u32>,
    /// Cells (row, col; 0-based, sorted) whose value a formula computes from the row's
    /// position (`=ROW()-3`, `=A4+1`): a running number, not a typed id. Known for xlsx and
    /// ods.
    #[serde(default)]
    pub running_numbers: Vec<(u32, u32)>,
    /// Columns the file hides (0-based, sorted), where the reader can tell (xlsx).
    #[serde(default)]
    pub hidden_cols: Vec<u32>,
}

impl Grid {
    /// The `number`th table of a Word document (`表N`, located as `表N!R3C4`).
    pub fn word_table(number: usize, rows: Vec<Vec<CellValue>>, merges: Vec<Merge>) -> Grid {
        Grid {
            name: format!("表{number}"),
            hidden: false,
            style: RefStyle::Table(number),
            rows,
            merges,
            hidden_rows: Vec::new(),
            running_numbers: Vec::new(),
            hidden_cols: Vec::new(),
        }
    }

    /// True when the file hides row `row`.
    pub fn is_row_hidden(&self, row: usize) -> bool {
        u32::try_from(row).is_ok_and(|r| self.hidden_rows.binary_search(&r).is_ok())
    }

    /// True when the file hides column `col`.
    pub fn is_col_hidden(&self, col: usize) -> bool {
        u32::try_from(col).is_ok_and(|c| self.hidden_cols.binary_search(&c).is_ok())
    }

    /// True when the value at (row, col) is a running number computed by a formula.
    pub fn is_running_number(&self, row: usize, col: usize) -> bool {
        match (u32::try_from(row), u32::try_from(col)) {
            (Ok(r), Ok(c)) => self.running_numbers.binary_search(&(r, c)).is_ok(),
            _ => false,
        }
    }

    /// The cell at (row, col), or `Empty`.
    pub fn cell(&self, row: usize, col: usize) -> &CellValue {
        static EMPTY: CellValue = CellValue::Empty;
        self.rows.get(row).and_then(|r| r.get(col)).unwrap_or(&EMPTY)
    }

    /// The location of a cell as the user sees it.
    pub fn location(&self, row: usize, col: usize) -> String {
        match self.style {
            RefStyle::A1 => cell_ref(&self.name, row as u32, col as u32),
            RefStyle::Table(n) => table_ref(n, row as u32, col as u32),
        }
    }

    /// The location of a whole row (`sheet!7` / `表2!R7`).
    pub fn row_location(&self, row: usize) -> String {
        match self.style {
            RefStyle::A1 => format!("{}!{}", self.name, row + 1),
            RefStyle::Table(n) => format!("表{n}!R{}", row + 1),
        }
    }
}

/// One paragraph of a Word document, with what identifies headings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Paragraph {
    /// 1-based position among the document's paragraphs (body order, tables excluded).
    pub index: usize,
    /// The text, with automatic numbering not included (see `numbering`).
    pub text: String,
    /// Style name (resolved through styles.xml), e.g. `heading 1`, `Title`.
    pub style: Option<String>,
    /// Outline level 0–8 from the paragraph or its style.
    pub outline_level: Option<u8>,
    /// The reconstructed text of automatic numbering, e.g. `一、` or `（二）`.
    pub numbering: Option<String>,
}

impl Paragraph {
    /// Numbering label followed by the text, as the reader sees it on screen.
    pub fn display_text(&self) -> String {
        match &self.numbering {
            Some(n) => format!("{n}{}", self.text),
            None => self.text.clone(),
        }
    }
}

/// A block of a Word document in reading order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Block {
    /// A paragraph (including text from text boxes, placed where the box is anchored).
    Paragraph(Paragraph),
    /// A table; nested tables follow their parent as their own blocks.
    Table(Grid),
}

/// A Word document as a sequence of blocks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Document {
    /// Blocks in reading order.
    pub blocks: Vec<Block>,
    /// The non-blank paragraphs of the page headers and footers (a letterhead), apart from
    /// the blocks: the weakest evidence of who sent the report.
    #[serde(default)]
    pub headers: Vec<String>,
}

impl Document {
    /// The paragraphs in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &Paragraph> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Paragraph(p) => Some(p),
            Block::Table(_) => None,
        })
    }

    /// The tables in order.
    pub fn tables(&self) -> impl Iterator<Item = &Grid> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            Block::Paragraph(_) => None,
        })
    }
}

/// The content of one readable file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Content {
    /// The sheets of a workbook, in workbook order.
    Workbook(Vec<Grid>),
    /// A Word document.
    Document(Document),
}

/// A file read successfully.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ingested {
    /// Spreadsheet or report, decided by content.
    pub kind: FileKind,
    /// What was read.
    pub content: Content,
    /// Notes from reading (e.g. `hidden-sheet`), without file or unit yet.
    pub notes: Vec<Diagnostic>,
}

/// Why a file could not be read. Each variant maps to one contract code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum IngestError {
    /// Empty, truncated, corrupt, or over a limit.
    #[error("文件无法读取：{reason}")]
    Unreadable {
        /// What went wrong, in Chinese.
        reason: String,
        /// How to fix it, in Chinese.
        hint: String,
    },
    /// Password-protected.
    #[error("文件已加密（设置了打开密码），无法读取")]
    Encrypted,
    /// Not a format roundup reads.
    #[error("不支持的文件格式：{what}")]
    Unsupported {
        /// What the file is, in Chinese (e.g. `网页（HTML）文件`).
        what: String,
        /// How to fix it, in Chinese.
        hint: String,
    },
}

impl IngestError {
    /// An unreadable-file error with the standard hint.
    pub fn unreadable(reason: impl Into<String>) -> Self {
        IngestError::Unreadable {
            reason: reason.into(),
            hint: "请用 Excel/WPS 或 Word 打开检查后重新保存并报送".into(),
        }
    }

    /// The contract code.
    pub fn code(&self) -> Code {
        match self {
            IngestError::Unreadable { .. } => Code::UnreadableFile,
            IngestError::Encrypted => Code::EncryptedFile,
            IngestError::Unsupported { .. } => Code::UnsupportedFormat,
        }
    }

    /// The diagnostic for `file`.
    pub fn to_diagnostic(&self, file: &str) -> Diagnostic {
        let hint = match self {
            IngestError::Unreadable { hint, .. } | IngestError::Unsupported { hint, .. } => hint.clone(),
            IngestError::Encrypted => "请取消打开密码后重新保存并报送".into(),
        };
        Diagnostic::new(self.code(), self.to_string())
            .file(file)
            .hint(hint)
    }
}

/// Reads one file's bytes. `name` is the file name (its extension is a hint only: the content
/// decides). Never panics on any input; see [`sniff`] for format detection.
pub fn ingest_bytes(name: &str, bytes: &[u8], limits: &Limits) -> Result<Ingested, IngestError> {
    use sniff::Format;
    match sniff::sniff_package(name, bytes, limits)? {
        // The zip guard's inflated parts, repacked without compression for calamine.
        (Format::Xlsx, Some(parts)) => match parts.stored_zip() {
            Some(stored) => sheet::read_workbook_parts(Format::Xlsx, &stored, Some(&parts), limits),
            None => sheet::read_workbook_parts(Format::Xlsx, bytes, Some(&parts), limits),
        },
        (format @ (Format::Xlsx | Format::Xlsb | Format::Ods | Format::Xls), parts) => {
            sheet::read_workbook_parts(format, bytes, parts.as_ref(), limits)
        }
        (Format::Docx, Some(parts)) => docx::read_document_parts(&parts, limits),
        (Format::Docx, None) => docx::read_document(bytes, limits),
        (Format::LegacyWord, _) => convert::read_legacy_word(name, bytes, limits),
        (format @ (Format::Rtf | Format::WordHtml), _) => read_word_text(format, name, bytes, limits),
    }
}

/// An RTF document, or a web page saved with a Word name: converted to `.docx` with
/// LibreOffice ([`convert::convert_text_to_docx`]), else an error saying what the file is and
/// how to fix it.
fn read_word_text(
    format: sniff::Format,
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Ingested, IngestError> {
    let what = format.needs_conversion().unwrap_or("文档");
    let Some(soffice) = convert::find_soffice() else {
        let extension = name
            .rsplit_once('.')
            .map(|(_, e)| format!("（扩展名为 .{e}）"))
            .unwrap_or_default();
        return Err(IngestError::Unsupported {
            what: format!("{what}{extension}，不是 Word 97-2003 文档"),
            hint:
                "请在 Word/WPS 中打开该文件，另存为 .docx 后重新报送（或在本机安装 LibreOffice 以自动转换）"
                    .into(),
        });
    };
    let html = format == sniff::Format::WordHtml;
    let converted = convert::convert_text_to_docx(&soffice, what, bytes, html, convert::CONVERT_TIMEOUT)?;
    docx::read_document(&converted, limits)
}

/// Cell texts of the first table-like content of a file, for `roundup tasks import`
/// (a Word document's tables in order, concatenated, or a workbook's visible sheets).
pub fn table_rows_for_import(path: &Path, bytes: &[u8]) -> Result<Vec<Vec<String>>, IngestError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ingested = ingest_bytes(&name, bytes, &Limits::default())?;
    let grids: Vec<Grid> = match ingested.content {
        Content::Workbook(sheets) => sheets.into_iter().filter(|s| !s.hidden).collect(),
        Content::Document(doc) => doc.tables().cloned().collect(),
    };
    Ok(grids
        .iter()
        .flat_map(|g| g.rows.iter().map(|r| r.iter().map(CellValue::to_text).collect()))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_without_noise() {
        assert_eq!(format_number(5.0), "5");
        assert_eq!(format_number(12.5), "12.5");
        assert_eq!(CellValue::Percent(0.8).to_text(), "80%");
        assert_eq!(
            CellValue::Date(NaiveDate::from_ymd_opt(2024, 7, 1).unwrap()).to_text(),
            "2024-07-01"
        );
    }

    #[test]
    fn readers_give_the_same_result_from_the_guards_parts() {
        let limits = Limits::default();
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "序号").unwrap();
        sheet.write_number(1, 0, 1.0).unwrap();
        sheet.write_string(1, 1, "推进“一件事”改革").unwrap();
        let xlsx = book.save_to_buffer().unwrap();
        let via_parts = ingest_bytes("a.xlsx", &xlsx, &limits).unwrap();
        let direct = sheet::read_workbook(sniff::Format::Xlsx, &xlsx, &limits).unwrap();
        assert_eq!(format!("{via_parts:?}"), format!("{direct:?}"));

        let mut docx = std::io::Cursor::new(Vec::new());
        let para = |t: &str| docx_rs::Paragraph::new().add_run(docx_rs::Run::new().add_text(t));
        docx_rs::Docx::new()
            .add_paragraph(para("一、总体情况"))
            .add_paragraph(para("任务1：已完成。"))
            .build()
            .pack(&mut docx)
            .unwrap();
        let docx = docx.into_inner();
        let via_parts = ingest_bytes("a.docx", &docx, &limits).unwrap();
        let direct = docx::read_document(&docx, &limits).unwrap();
        assert_eq!(format!("{via_parts:?}"), format!("{direct:?}"));
        assert!(matches!(via_parts.content, Content::Document(_)));
    }
}
