//! The document body in reading order: paragraphs (text from runs, hyperlinks, fields,
//! content controls and insertions, with style, outline level and numbering), text-box
//! content after the paragraph that anchors it, and tables followed by their nested tables.
//! Text is what the page shows: hidden runs (`w:vanish`) are left out, and of a field only
//! the outermost field's result is text (nested fields' results are part of its code).

use super::numbering::Numbering;
use super::styles::{parse_outline, NumRef, Styles};
use super::table::{CellMarks, CellText, GridBuilder, MarkedText};
use super::xml::{Node, Tag};
use crate::config::Limits;
use crate::diag::{table_ref, Diagnostic};
use crate::ingest::{Block, Grid, IngestError, Paragraph};

/// Walks the body tree and collects its blocks.
pub(super) struct Walker<'a> {
    styles: &'a Styles,
    numbering: Numbering,
    limits: &'a Limits,
    blocks: Vec<Block>,
    paragraphs: usize,
    tables: usize,
    /// Table cells still allowed in the whole document.
    cells_left: u64,
    /// Warnings at table cells (hidden or struck-through text).
    notes: Vec<Diagnostic>,
}

/// Table cells a document may hold per allowed spreadsheet row (with the default 100 000
/// rows: two million cells, about 64 MB), so that spans and `gridBefore` cannot turn a small
/// part into a huge grid.
pub(super) const CELLS_PER_ROW_LIMIT: u64 = 20;

/// A paragraph's own text and the block content (text boxes) anchored in it.
#[derive(Default)]
struct Inline<'n> {
    text: MarkedText,
    anchored: Vec<&'n Node>,
    /// Complex fields open in this paragraph: for each, whether its code (before
    /// `separate`) is being read.
    fields: Vec<bool>,
    /// How many open fields are in their code.
    in_code: usize,
}

/// How the run being read shows.
#[derive(Debug, Clone, Copy, Default)]
struct RunLook {
    hidden: bool,
    struck: bool,
}

impl RunLook {
    /// The look of a run from its `w:rPr`.
    fn of(run: &Node) -> RunLook {
        let Some(props) = run.child(Tag::RPr) else {
            return RunLook::default();
        };
        let on = |tag: Tag| props.child(tag).is_some_and(Node::is_on);
        RunLook {
            hidden: on(Tag::Vanish),
            struck: on(Tag::Strike) || on(Tag::DStrike),
        }
    }
}

impl Inline<'_> {
    fn push(&mut self, text: &str, look: RunLook) {
        if self.in_code > 0 {
            return;
        }
        if look.hidden {
            self.text.push_hidden(text);
        } else {
            self.text.push(text, look.struck);
        }
    }

    /// A `w:fldChar`: begin, separate or end of a complex field.
    fn field_char(&mut self, node: &Node) {
        match node.attr(super::xml::Attr::FldCharType) {
            Some("begin") => {
                self.fields.push(true);
                self.in_code += 1;
            }
            Some("separate") => {
                if let Some(top) = self.fields.last_mut() {
                    if *top {
                        *top = false;
                        self.in_code -= 1;
                    }
                }
            }
            Some("end") if self.fields.pop() == Some(true) => self.in_code -= 1,
            _ => {}
        }
    }
}

impl<'a> Walker<'a> {
    /// A walker with the document's styles and list definitions.
    pub fn new(styles: &'a Styles, numbering: Numbering, limits: &'a Limits) -> Walker<'a> {
        Walker {
            styles,
            numbering,
            limits,
            blocks: Vec::new(),
            paragraphs: 0,
            tables: 0,
            cells_left: u64::from(limits.max_rows).saturating_mul(CELLS_PER_ROW_LIMIT),
            notes: Vec::new(),
        }
    }

    /// The warnings found at table cells (hidden or struck-through text).
    pub fn take_notes(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.notes)
    }

    /// The blocks read, or an error when the tables exceed the cell budget.
    pub fn finish(self) -> Result<Vec<Block>, IngestError> {
        if self.cells_left == 0 {
            return Err(IngestError::unreadable(format!(
                "文档中的表格过大（单元格总数超过 {} 个），可能已损坏",
                u64::from(self.limits.max_rows).saturating_mul(CELLS_PER_ROW_LIMIT)
            )));
        }
        Ok(self.blocks)
    }

    /// Reads block-level content: the body, a text box, a content control's content.
    pub fn container(&mut self, node: &Node) {
        if self.cells_left == 0 {
            return;
        }
        for child in &node.children {
            self.block(child);
        }
    }

    fn block(&mut self, node: &Node) {
        match node.tag {
            Tag::P => self.paragraph(node),
            Tag::Tbl => self.table(node),
            Tag::PPr | Tag::TcPr | Tag::TrPr => {}
            _ => self.container(node),
        }
    }

    fn paragraph(&mut self, p: &Node) {
        let mut inline = Inline::default();
        collect_inline(p, &mut inline, RunLook::default());
        let mut paragraph = self.paragraph_props(p);
        self.paragraphs += 1;
        paragraph.index = self.paragraphs;
        paragraph.text = inline.text.text;
        self.blocks.push(Block::Paragraph(paragraph));
        for anchored in inline.anchored {
            self.block(anchored);
        }
    }

    /// Style name, outline level and numbering label (advancing the list counters).
    fn paragraph_props(&mut self, p: &Node) -> Paragraph {
        let p_pr = p.child(Tag::PPr);
        let style_id = self
            .styles
            .effective_id(p_pr.and_then(|pp| pp.child_val(Tag::PStyle)));
        let own_outline = p_pr
            .and_then(|pp| pp.child_val(Tag::OutlineLvl))
            .and_then(parse_outline);
        let own_num = p_pr
            .and_then(|pp| pp.child(Tag::NumPr))
            .map(NumRef::from_node)
            .unwrap_or_default();
        let num = own_num.or(style_id.map(|id| self.styles.numbering(id)).unwrap_or_default());
        let numbering = match num.num_id {
            Some(id) if id != 0 => self.numbering.next_label(id, num.ilvl.unwrap_or(0)),
            _ => None,
        };
        Paragraph {
            index: 0,
            text: String::new(),
            style: style_id.map(|id| self.styles.name(id)),
            outline_level: own_outline.or_else(|| style_id.and_then(|id| self.styles.outline_level(id))),
            numbering,
        }
    }

    fn table(&mut self, tbl: &Node) {
        self.tables += 1;
        let number = self.tables;
        let mut nested = Vec::new();
        let mut builder = GridBuilder::new(self.limits.max_cols as usize);
        let mut rows = Vec::new();
        rows_of(tbl, &mut rows);
        for tr in rows.into_iter().take(self.limits.max_rows as usize) {
            if self.cells_left == 0 {
                break;
            }
            self.row(number, tr, &mut builder, &mut nested);
        }
        let (rows, merges) = builder.finish();
        self.blocks
            .push(Block::Table(Grid::word_table(number, rows, merges)));
        for inner in nested {
            self.table(inner);
        }
    }

    fn row<'n>(
        &mut self,
        number: usize,
        tr: &'n Node,
        builder: &mut GridBuilder,
        nested: &mut Vec<&'n Node>,
    ) {
        let grid_before = tr
            .child(Tag::TrPr)
            .and_then(|pr| pr.child_val(Tag::GridBefore))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .unwrap_or(0);
        builder.start_row(grid_before);
        let mut cells = Vec::new();
        cells_of(tr, &mut cells);
        for tc in cells {
            let props = tc.child(Tag::TcPr);
            let span = props
                .and_then(|pr| pr.child_val(Tag::GridSpan))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(1);
            let v_merge = props
                .and_then(|pr| pr.child(Tag::VMerge))
                .map(|m| m.val() == Some("restart"));
            let mut lines = CellText::default();
            self.cell_lines(tc, &mut lines, nested);
            let (row, col) = (builder.row_count().saturating_sub(1), builder.next_col());
            let (value, marks) = lines.finish();
            if marks != CellMarks::default() {
                self.notes
                    .extend(marks.notes(&table_ref(number, row as u32, col as u32)));
            }
            builder.cell(span, v_merge, value);
        }
        builder.end_row();
        let placed = builder.last_row_len() as u64;
        self.cells_left = self.cells_left.saturating_sub(placed.max(1));
    }

    /// The text of a cell (or of a text box inside one), one line per paragraph; nested tables
    /// are collected to follow the parent table as their own blocks.
    fn cell_lines<'n>(&mut self, node: &'n Node, lines: &mut CellText, nested: &mut Vec<&'n Node>) {
        for child in &node.children {
            match child.tag {
                Tag::P => {
                    let mut inline = Inline::default();
                    collect_inline(child, &mut inline, RunLook::default());
                    let label = self.paragraph_props(child).numbering.unwrap_or_default();
                    inline.text.prefix(&label);
                    lines.push(inline.text);
                    for anchored in inline.anchored {
                        self.cell_lines_of_block(anchored, lines, nested);
                    }
                }
                Tag::Tbl => nested.push(child),
                Tag::TcPr | Tag::PPr => {}
                _ => self.cell_lines(child, lines, nested),
            }
        }
    }

    fn cell_lines_of_block<'n>(&mut self, node: &'n Node, lines: &mut CellText, nested: &mut Vec<&'n Node>) {
        match node.tag {
            Tag::Tbl => nested.push(node),
            Tag::P => {
                let mut inline = Inline::default();
                collect_inline(node, &mut inline, RunLook::default());
                lines.push(inline.text);
            }
            _ => self.cell_lines(node, lines, nested),
        }
    }
}

/// Text of runs inside a paragraph, in order, as the page shows it (`look` is the run being
/// read); text boxes (and any block content found inline) are set aside to be read as blocks
/// after the paragraph.
fn collect_inline<'n>(node: &'n Node, out: &mut Inline<'n>, look: RunLook) {
    for child in &node.children {
        match child.tag {
            Tag::T => out.push(&child.text, look),
            Tag::Tab => out.push("\t", look),
            Tag::Br => out.push("\n", look),
            Tag::NoBreakHyphen => out.push("-", look),
            Tag::FldChar => out.field_char(child),
            Tag::PPr | Tag::RPr => {}
            Tag::TxbxContent | Tag::P | Tag::Tbl => out.anchored.push(child),
            Tag::R => collect_inline(child, out, RunLook::of(child)),
            _ => collect_inline(child, out, look),
        }
    }
}

/// Rows of a table, also inside content controls and custom XML wrappers.
fn rows_of<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
    for child in &node.children {
        match child.tag {
            Tag::Tr => out.push(child),
            Tag::Tbl | Tag::P | Tag::Tc => {}
            _ => rows_of(child, out),
        }
    }
}

/// Cells of a row, also inside wrappers.
fn cells_of<'n>(node: &'n Node, out: &mut Vec<&'n Node>) {
    for child in &node.children {
        match child.tag {
            Tag::Tc => out.push(child),
            Tag::Tbl | Tag::P | Tag::Tr | Tag::TrPr => {}
            _ => cells_of(child, out),
        }
    }
}
