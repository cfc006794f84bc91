//! Word reports written with docx-rs in the usual layout of a government work report (title in
//! 小标宋, body in 仿宋, headings 一、 in 黑体, 落款 at the end), then repacked with deflate
//! and fixed zip times so the bytes are small and depend only on the content.

use docx_rs::{
    AlignmentType, Docx, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts, SpecialIndentType, Table,
    TableCell, TableLayoutType, TableRow, WidthType,
};
use std::io::{Cursor, Read, Write};

/// A block of a report section.
#[derive(Debug, Clone)]
pub enum Block {
    /// A body paragraph (first-line indent).
    Para(String),
    /// A bold line in 楷体, e.g. `（任务5）…` or a case title.
    SubHeading(String),
    /// A table; the first row is the header.
    Table(Vec<Vec<String>>),
}

/// A top-level section: `一、任务推进情况` and its blocks.
#[derive(Debug, Clone)]
pub struct Section {
    /// The heading as written, with its `一、` number.
    pub heading: String,
    /// Content.
    pub blocks: Vec<Block>,
}

/// A whole report.
#[derive(Debug, Clone)]
pub struct Report {
    /// `X关于……的报告`
    pub title: String,
    /// The date line under the title, e.g. `2024年7月5日`.
    pub date_line: Option<String>,
    /// The opening paragraph.
    pub intro: String,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// 落款: unit and date lines at the end.
    pub signature: Vec<String>,
    /// Creation time in the document properties (`2024-07-05T09:30:00Z`).
    pub created: String,
}

/// Errors while writing a report.
#[derive(Debug, thiserror::Error)]
pub enum DocxError {
    /// docx-rs or zip failed.
    #[error("写入Word文件失败：{0}")]
    Write(String),
}

/// Paragraph ids are set from a per-document counter so output does not depend on how many
/// paragraphs the thread built before.
struct Builder {
    docx: Docx,
    next_id: u32,
}

const BODY_FONT: &str = "仿宋_GB2312";
const BODY_SIZE: usize = 32;

impl Builder {
    fn paragraph(&mut self) -> Paragraph {
        self.next_id += 1;
        Paragraph::new().id(format!("{:08X}", 0x1000_0000 + self.next_id))
    }

    fn run(text: &str, font: &str, size: usize) -> Run {
        Run::new()
            .add_text(text)
            .fonts(
                RunFonts::new()
                    .east_asia(font)
                    .ascii("Times New Roman")
                    .hi_ansi("Times New Roman"),
            )
            .size(size)
    }

    fn spacing() -> LineSpacing {
        LineSpacing::new().line_rule(LineSpacingType::Exact).line(560)
    }

    fn push(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    fn title(&mut self, text: &str) {
        let p = self
            .paragraph()
            .align(AlignmentType::Center)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Auto)
                    .line(240)
                    .after(200),
            )
            .add_run(Self::run(text, "方正小标宋简体", 44));
        self.push(p);
    }

    fn centered(&mut self, text: &str) {
        let p = self
            .paragraph()
            .align(AlignmentType::Center)
            .line_spacing(Self::spacing())
            .add_run(Self::run(text, "楷体_GB2312", BODY_SIZE));
        self.push(p);
    }

    fn body(&mut self, text: &str) {
        let p = self
            .paragraph()
            .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
            .line_spacing(Self::spacing())
            .add_run(Self::run(text, BODY_FONT, BODY_SIZE));
        self.push(p);
    }

    fn heading(&mut self, text: &str) {
        let p = self
            .paragraph()
            .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
            .line_spacing(Self::spacing())
            .keep_next(true)
            .add_run(Self::run(text, "黑体", BODY_SIZE));
        self.push(p);
    }

    fn sub_heading(&mut self, text: &str) {
        let p = self
            .paragraph()
            .indent(None, Some(SpecialIndentType::FirstLine(640)), None, None)
            .line_spacing(Self::spacing())
            .keep_next(true)
            .add_run(Self::run(text, "楷体_GB2312", BODY_SIZE).bold());
        self.push(p);
    }

    fn right(&mut self, text: &str) {
        let p = self
            .paragraph()
            .align(AlignmentType::Right)
            .indent(None, None, Some(640), None)
            .line_spacing(Self::spacing())
            .add_run(Self::run(text, BODY_FONT, BODY_SIZE));
        self.push(p);
    }

    fn table(&mut self, rows: &[Vec<String>]) {
        let widths = column_widths(rows, 8800);
        let mut table_rows = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let cells = row
                .iter()
                .zip(&widths)
                .map(|(text, width)| {
                    let mut run = Self::run(text, "宋体", 21);
                    if i == 0 {
                        run = run.bold();
                    }
                    let p = self.paragraph().add_run(run);
                    TableCell::new().width(*width, WidthType::Dxa).add_paragraph(p)
                })
                .collect();
            table_rows.push(TableRow::new(cells));
        }
        let total = widths.iter().sum();
        let table = Table::new(table_rows)
            .set_grid(widths)
            .width(total, WidthType::Dxa)
            .layout(TableLayoutType::Fixed);
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_table(table);
    }
}

/// Column widths (twips) summing to about `total`: each column gets room for two or three
/// characters, and the rest is shared in proportion to its average text length.
fn column_widths(rows: &[Vec<String>], total: usize) -> Vec<usize> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let chars = |r: &Vec<String>, c: usize| r.get(c).map_or(0, |t| t.chars().count());
    let minimum: Vec<usize> = (0..columns)
        .map(|c| {
            let longest = rows.iter().skip(1).map(|r| chars(r, c)).max().unwrap_or(2);
            longest.clamp(2, 3) * 210 + 260
        })
        .collect();
    let weights: Vec<usize> = (0..columns)
        .map(|c| (rows.iter().map(|r| chars(r, c)).sum::<usize>() / rows.len().max(1)).min(60))
        .collect();
    let rest = total.saturating_sub(minimum.iter().sum());
    let all = weights.iter().sum::<usize>().max(1);
    minimum
        .iter()
        .zip(&weights)
        .map(|(m, w)| m + rest * w / all)
        .collect()
}

/// Writes a report to `.docx` bytes.
pub fn report_docx(report: &Report) -> Result<Vec<u8>, DocxError> {
    let docx = Docx::new()
        .created_at(&report.created)
        .updated_at(&report.created);
    let mut b = Builder { docx, next_id: 0 };
    b.title(&report.title);
    if let Some(date) = &report.date_line {
        b.centered(date);
    }
    b.body(&report.intro);
    for section in &report.sections {
        b.heading(&section.heading);
        for block in &section.blocks {
            match block {
                Block::Para(text) => b.body(text),
                Block::SubHeading(text) => b.sub_heading(text),
                Block::Table(rows) => b.table(rows),
            }
        }
    }
    for line in &report.signature {
        b.right(line);
    }
    let mut raw = Cursor::new(Vec::new());
    b.docx
        .build()
        .pack(&mut raw)
        .map_err(|e| DocxError::Write(e.to_string()))?;
    repack(&raw.into_inner()).map_err(|e| DocxError::Write(e.to_string()))
}

/// Rewrites a zip package with deflate compression and the zip format's default time on every
/// entry (docx-rs stores its parts uncompressed).
pub fn repack(bytes: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i)?;
        if entry.is_dir() {
            continue;
        }
        let name = entry.name()?.into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content)?;
        out.start_file(name, options)?;
        out.write_all(&content)?;
    }
    Ok(out.finish()?.into_inner())
}
