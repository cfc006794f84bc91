//! Paragraphs to blocks, as the `.docx` reader builds them: body paragraphs with style,
//! outline level and numbering label; runs of table paragraphs as tables (cells ended by cell
//! marks, rows by row-end marks, nested tables following their parent as their own blocks);
//! text-box stories read once, after the paragraph that anchors them.

use super::lists::Lists;
use super::tables::{place_row, Columns, RowDef};
use super::text::{Mark, RawParagraph, Source};
use super::DocError;
use crate::config::Limits;
use crate::diag::{table_ref, Diagnostic};
use crate::ingest::docx::{CellMarks, CellText, GridBuilder};
use crate::ingest::{Block, CellValue, Grid, Paragraph};
use std::collections::HashMap;

/// Table cells a document may hold per allowed spreadsheet row, as in the `.docx` reader.
pub const CELLS_PER_ROW_LIMIT: u64 = 20;

/// Deepest table nesting followed; deeper paragraphs count as this deep.
const MAX_DEPTH: u32 = 16;

/// A text-box story: its CP range and the CP of its anchor in the main document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Story {
    /// CP range of its text.
    pub start: u32,
    /// One past its last CP.
    pub end: u32,
    /// Where it is anchored, if known.
    pub anchor: Option<u32>,
    /// Already read.
    pub placed: bool,
}

/// Builds the blocks of a document.
pub struct Walker<'a> {
    src: &'a Source<'a>,
    lists: Lists,
    limits: &'a Limits,
    stories: Vec<Story>,
    /// Story indices by anchor CP.
    by_anchor: HashMap<u32, Vec<usize>>,
    blocks: Vec<Block>,
    paragraphs: usize,
    tables: usize,
    /// Raw paragraphs read so far (all subdocuments), for the limit.
    raw_count: usize,
    cells_left: u64,
    /// Warnings at table cells (hidden or struck-through text).
    notes: Vec<Diagnostic>,
}

impl<'a> Walker<'a> {
    /// A walker over `src` with the document's lists and text-box stories.
    pub fn new(src: &'a Source<'a>, lists: Lists, stories: Vec<Story>, limits: &'a Limits) -> Walker<'a> {
        let mut by_anchor: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, story) in stories.iter().enumerate() {
            if let Some(anchor) = story.anchor {
                by_anchor.entry(anchor).or_default().push(i);
            }
        }
        Walker {
            src,
            lists,
            limits,
            stories,
            by_anchor,
            blocks: Vec::new(),
            paragraphs: 0,
            tables: 0,
            raw_count: 0,
            cells_left: u64::from(limits.max_rows).saturating_mul(CELLS_PER_ROW_LIMIT),
            notes: Vec::new(),
        }
    }

    /// The warnings found at table cells (hidden or struck-through text).
    pub fn take_notes(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.notes)
    }

    /// Reads the main document (CPs `[0, end)`), then the text-box stories no anchor placed.
    pub fn main_document(&mut self, end: u32) -> Result<(), DocError> {
        let paragraphs = self.src.paragraphs(0, end, &mut self.raw_count)?;
        self.blocks_of(&paragraphs, true)?;
        for i in 0..self.stories.len() {
            if self.stories.get(i).is_some_and(|s| !s.placed) {
                let paragraphs = self.story_paragraphs(i)?;
                self.blocks_of(&paragraphs, false)?;
            }
        }
        Ok(())
    }

    /// The blocks read, or an error when the tables exceed the cell budget.
    pub fn finish(self) -> Result<Vec<Block>, DocError> {
        if self.cells_left == 0 {
            return Err(DocError::TooLarge(format!(
                "文档中的表格过大（单元格总数超过 {} 个），可能已损坏",
                u64::from(self.limits.max_rows).saturating_mul(CELLS_PER_ROW_LIMIT)
            )));
        }
        Ok(self.blocks)
    }

    fn blocks_of(&mut self, paragraphs: &[RawParagraph], with_stories: bool) -> Result<(), DocError> {
        let mut i = 0;
        while let Some(p) = paragraphs.get(i) {
            if p.depth(MAX_DEPTH) == 0 {
                self.paragraph(p);
                if with_stories {
                    for story in self.anchored(p.start, p.end) {
                        let paragraphs = self.story_paragraphs(story)?;
                        self.blocks_of(&paragraphs, false)?;
                    }
                }
                i += 1;
            } else {
                let len = run_len(&paragraphs[i..], 1);
                self.table(&paragraphs[i..i + len], 1, with_stories)?;
                i += len;
            }
        }
        Ok(())
    }

    fn paragraph(&mut self, p: &RawParagraph) {
        let numbering = self.label(p);
        self.paragraphs += 1;
        self.blocks.push(Block::Paragraph(Paragraph {
            index: self.paragraphs,
            text: p.text(),
            style: p.istd.and_then(|istd| self.src.styles.name(istd)),
            outline_level: p.props.outline.filter(|l| *l <= 8),
            numbering,
        }));
    }

    /// The numbering label of a paragraph (advancing its list's counters).
    fn label(&mut self, p: &RawParagraph) -> Option<String> {
        let ilfo = p.props.ilfo?;
        self.lists.next_label(ilfo, p.props.ilvl.unwrap_or(0))
    }

    /// Indices of the unplaced stories anchored in CPs `[start, end]`, marked placed.
    fn anchored(&mut self, start: u32, end: u32) -> Vec<usize> {
        let mut found = Vec::new();
        for cp in self.src.anchors(start, end.saturating_add(1)) {
            for &i in self.by_anchor.get(&cp).map(Vec::as_slice).unwrap_or_default() {
                if let Some(story) = self.stories.get_mut(i).filter(|s| !s.placed) {
                    story.placed = true;
                    found.push(i);
                }
            }
        }
        found
    }

    /// The paragraphs of story `index`, marking it placed.
    fn story_paragraphs(&mut self, index: usize) -> Result<Vec<RawParagraph>, DocError> {
        let Some(story) = self.stories.get_mut(index) else {
            return Ok(Vec::new());
        };
        story.placed = true;
        let (start, end) = (story.start, story.end);
        let mut paragraphs = self.src.paragraphs(start, end, &mut self.raw_count)?;
        // A story's text ends with an extra empty paragraph; an empty story (the frame of a
        // shape whose text is in the next story) has no text at all.
        while paragraphs
            .last()
            .is_some_and(|p| p.depth(MAX_DEPTH) == 0 && p.text().trim().is_empty())
        {
            paragraphs.pop();
        }
        Ok(paragraphs)
    }

    /// A table of depth `depth` from its paragraphs (all at least that deep).
    fn table(&mut self, paragraphs: &[RawParagraph], depth: u32, with_stories: bool) -> Result<(), DocError> {
        self.tables += 1;
        let number = self.tables;
        let defs: Vec<Option<RowDef>> = paragraphs
            .iter()
            .map(|p| {
                let is_row_end = p.depth(MAX_DEPTH) == depth && row_end(p, depth);
                is_row_end
                    .then(|| p.props.tdef.as_deref().and_then(RowDef::parse))
                    .flatten()
            })
            .collect();
        let columns = Columns::of(defs.iter().flatten());
        let mut builder = GridBuilder::new(self.limits.max_cols as usize);
        let mut nested: Vec<&[RawParagraph]> = Vec::new();
        let mut cells: Vec<(CellValue, CellMarks)> = Vec::new();
        let mut lines = CellText::default();
        let mut rows = 0usize;
        let mut i = 0;
        while let Some(p) = paragraphs.get(i) {
            if p.depth(MAX_DEPTH) > depth {
                let len = run_len(&paragraphs[i..], depth + 1);
                nested.push(&paragraphs[i..i + len]);
                i += len;
                continue;
            }
            if row_end(p, depth) {
                if !lines.is_empty() {
                    cells.push(std::mem::take(&mut lines).finish());
                }
                let values = std::mem::take(&mut cells);
                if rows < self.limits.max_rows as usize && self.cells_left > 0 {
                    let def = defs.get(i).and_then(Option::as_ref);
                    self.place(number, &mut builder, &columns, def, values);
                    rows += 1;
                }
            } else {
                let label = self.label(p).unwrap_or_default();
                lines.push(p.marked(&label));
                if with_stories {
                    for story in self.anchored(p.start, p.end) {
                        let story_paragraphs = self.story_paragraphs(story)?;
                        for sp in &story_paragraphs {
                            let label = self.label(sp).unwrap_or_default();
                            lines.push(sp.marked(&label));
                        }
                    }
                }
                if cell_end(p, depth) {
                    cells.push(std::mem::take(&mut lines).finish());
                }
            }
            i += 1;
        }
        if !lines.is_empty() {
            cells.push(lines.finish());
        }
        if !cells.is_empty() && rows < self.limits.max_rows as usize && self.cells_left > 0 {
            self.place(number, &mut builder, &columns, None, cells);
        }
        let (rows, merges) = builder.finish();
        self.blocks
            .push(Block::Table(Grid::word_table(number, rows, merges)));
        for inner in nested {
            self.table(inner, depth + 1, with_stories)?;
        }
        Ok(())
    }

    /// Places one row of table `number`, with the warnings of its cells.
    fn place(
        &mut self,
        number: usize,
        builder: &mut GridBuilder,
        columns: &Columns,
        def: Option<&RowDef>,
        cells: Vec<(CellValue, CellMarks)>,
    ) {
        let (values, marks): (Vec<CellValue>, Vec<CellMarks>) = cells.into_iter().unzip();
        let cols = place_row(builder, columns, def, values);
        let row = builder.row_count().saturating_sub(1) as u32;
        for (mark, col) in marks.iter().zip(cols) {
            if *mark != CellMarks::default() {
                self.notes.extend(mark.notes(&table_ref(number, row, col as u32)));
            }
        }
        self.count_cells(builder);
    }

    fn count_cells(&mut self, builder: &GridBuilder) {
        let placed = builder.last_row_len() as u64;
        self.cells_left = self.cells_left.saturating_sub(placed.max(1));
    }
}

/// How many paragraphs from the start are at least `depth` deep.
fn run_len(paragraphs: &[RawParagraph], depth: u32) -> usize {
    paragraphs
        .iter()
        .take_while(|p| p.depth(MAX_DEPTH) >= depth)
        .count()
}

/// The paragraph ends a row of a table of depth `depth`.
fn row_end(p: &RawParagraph, depth: u32) -> bool {
    if depth <= 1 {
        p.props.ttp
    } else {
        p.props.inner_ttp
    }
}

/// The paragraph ends a cell of a table of depth `depth`.
fn cell_end(p: &RawParagraph, depth: u32) -> bool {
    if depth <= 1 {
        p.mark == Mark::Cell
    } else {
        p.props.inner_cell || p.mark == Mark::Cell
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::doc::pieces::PieceTable;
    use crate::ingest::doc::props::{CharLooks, PapxIndex, ParaProps};
    use crate::ingest::doc::styles::Styles;
    use crate::ingest::doc::tables::tests::tdef;

    fn para(text: &str, mark: Mark, props: ParaProps) -> RawParagraph {
        RawParagraph {
            start: 0,
            end: 0,
            text: text.encode_utf16().collect(),
            hidden: Vec::new(),
            struck: Vec::new(),
            mark,
            istd: None,
            props,
        }
    }

    fn cell(text: &str, itap: u32) -> RawParagraph {
        let props = ParaProps {
            in_table: true,
            itap: Some(itap),
            inner_cell: itap > 1,
            ..ParaProps::default()
        };
        let mark = if itap > 1 { Mark::Paragraph } else { Mark::Cell };
        para(text, mark, props)
    }

    fn row_end(itap: u32, edges: &[i16]) -> RawParagraph {
        let props = ParaProps {
            in_table: true,
            itap: Some(itap),
            ttp: itap == 1,
            inner_ttp: itap > 1,
            tdef: Some(tdef(edges, &vec![0; edges.len() - 1])),
            ..ParaProps::default()
        };
        para("", if itap > 1 { Mark::Paragraph } else { Mark::Cell }, props)
    }

    #[test]
    fn cells_rows_and_nested_tables_become_grids_in_order() {
        let pieces = PieceTable::default();
        let styles = Styles::default();
        let src = Source {
            text: &[],
            pieces: &pieces,
            papx: PapxIndex::default(),
            data: &[],
            looks: CharLooks::default(),
            styles: &styles,
            section_ends: Vec::new(),
            max_paragraphs: 100,
        };
        let limits = Limits::default();
        let mut walker = Walker::new(&src, Lists::default(), Vec::new(), &limits);
        let paragraphs = vec![
            para("前言", Mark::Paragraph, ParaProps::default()),
            cell("序号", 1),
            para(
                "第一行",
                Mark::Paragraph,
                ParaProps {
                    in_table: true,
                    ..ParaProps::default()
                },
            ),
            cell("第二行", 1),
            row_end(1, &[0, 100, 300]),
            cell("1", 1),
            cell("内甲", 2),
            cell("内乙", 2),
            row_end(2, &[0, 50, 100]),
            cell("外", 1),
            row_end(1, &[0, 100, 300]),
            para("后记", Mark::Paragraph, ParaProps::default()),
        ];
        walker.blocks_of(&paragraphs, false).unwrap();
        let blocks = walker.finish().unwrap();
        let summary: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Paragraph(p) => format!("P{}:{}", p.index, p.text),
                Block::Table(g) => format!(
                    "{}:{:?}",
                    g.name,
                    g.rows
                        .iter()
                        .map(|r| r.iter().map(CellValue::to_text).collect::<Vec<_>>())
                        .collect::<Vec<_>>()
                ),
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                "P1:前言".to_owned(),
                r#"表1:[["序号", "第一行\n第二行"], ["1", "外"]]"#.to_owned(),
                r#"表2:[["内甲", "内乙"]]"#.to_owned(),
                "P2:后记".to_owned(),
            ]
        );
    }

    #[test]
    fn the_table_cell_budget_is_enforced() {
        let pieces = PieceTable::default();
        let styles = Styles::default();
        let src = Source {
            text: &[],
            pieces: &pieces,
            papx: PapxIndex::default(),
            data: &[],
            looks: CharLooks::default(),
            styles: &styles,
            section_ends: Vec::new(),
            max_paragraphs: 100,
        };
        let limits = Limits {
            max_rows: 1,
            ..Limits::default()
        };
        let mut walker = Walker::new(&src, Lists::default(), Vec::new(), &limits);
        let mut paragraphs = Vec::new();
        // Thirty one-cell tables: each keeps at most one row, together over 20 cells.
        for _ in 0..30 {
            paragraphs.push(cell("x", 1));
            paragraphs.push(row_end(1, &[0, 10]));
            paragraphs.push(cell("dropped", 1));
            paragraphs.push(row_end(1, &[0, 10]));
            paragraphs.push(para("", Mark::Paragraph, ParaProps::default()));
        }
        walker.blocks_of(&paragraphs, false).unwrap();
        assert!(walker.tables > 20);
        assert!(matches!(walker.finish(), Err(DocError::TooLarge(_))));
    }
}
