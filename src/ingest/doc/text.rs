//! From character positions to paragraphs: the text of a CP range split at paragraph marks
//! (`\r`, a table's cell mark `\x07`, a section break), field codes dropped and field results
//! kept, deleted revisions and hidden text left out (hidden text kept aside for a warning),
//! struck-through text marked, special characters mapped the way the `.docx` reader renders
//! their WordprocessingML counterparts, and each paragraph's properties looked up.

use super::pieces::PieceTable;
use super::props::{huge_papx, in_ranges, CharLooks, PapxIndex, ParaProps};
use super::styles::Styles;
use super::DocError;
use crate::ingest::docx::MarkedText;

/// Paragraph mark.
const PARAGRAPH_MARK: u16 = 0x0D;
/// Cell mark (and row-end mark) of a table.
const CELL_MARK: u16 = 0x07;
/// Page or section break.
const PAGE_BREAK: u16 = 0x0C;
/// Field begin, separator, end.
const FIELD_BEGIN: u16 = 0x13;
const FIELD_SEPARATOR: u16 = 0x14;
const FIELD_END: u16 = 0x15;
/// Anchor of a drawn object (a shape, e.g. a text box).
const DRAWN_OBJECT: u16 = 0x08;

/// How a paragraph ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// `\r`.
    Paragraph,
    /// `\x07` in a table: a cell ends (or a row, see `ParaProps::ttp`).
    Cell,
    /// A section break.
    Section,
    /// The range ended without a mark.
    None,
}

/// One paragraph as read from the text, before it is placed in a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawParagraph {
    /// First CP.
    pub start: u32,
    /// CP of the mark (or the range's end).
    pub end: u32,
    /// The visible text (UTF-16), without its mark.
    pub text: Vec<u16>,
    /// Hidden text left out of `text`.
    pub hidden: Vec<u16>,
    /// Ranges of `text` (UTF-16 indices) that are struck through.
    pub struck: Vec<(usize, usize)>,
    /// How it ended.
    pub mark: Mark,
    /// Its style.
    pub istd: Option<u16>,
    /// Its properties (style's, then its own, then its piece's).
    pub props: ParaProps,
}

impl RawParagraph {
    /// The text as a string.
    pub fn text(&self) -> String {
        String::from_utf16_lossy(&self.text)
    }

    /// Table depth, at most `max`.
    pub fn depth(&self, max: u32) -> u32 {
        self.props.depth().min(max)
    }

    /// The text with its hidden and struck-through parts, after a numbering `label`.
    pub fn marked(&self, label: &str) -> MarkedText {
        let mut out = MarkedText::default();
        out.push(label, false);
        let mut at = 0;
        for &(start, end) in &self.struck {
            let plain = self.text.get(at..start).unwrap_or_default();
            out.push(&String::from_utf16_lossy(plain), false);
            let struck = self.text.get(start..end).unwrap_or_default();
            out.push(&String::from_utf16_lossy(struck), true);
            at = end.max(at);
        }
        out.push(
            &String::from_utf16_lossy(self.text.get(at..).unwrap_or_default()),
            false,
        );
        out.push_hidden(&String::from_utf16_lossy(&self.hidden));
        out
    }
}

/// A paragraph's text while it is read.
#[derive(Debug, Default)]
struct TextBuf {
    text: Vec<u16>,
    hidden: Vec<u16>,
    struck: Vec<(usize, usize)>,
}

impl TextBuf {
    /// Appends one character of the text as it shows.
    fn push(&mut self, unit: u16, look: Look) {
        match look {
            Look::Deleted => {}
            Look::Hidden => push_char(&mut self.hidden, unit),
            Look::Plain => push_char(&mut self.text, unit),
            Look::Struck => {
                let start = self.text.len();
                push_char(&mut self.text, unit);
                let end = self.text.len();
                match self.struck.last_mut() {
                    Some(last) if last.1 == start => last.1 = end,
                    _ if end > start => self.struck.push((start, end)),
                    _ => {}
                }
            }
        }
    }
}

/// How a character shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Plain,
    Struck,
    Hidden,
    Deleted,
}

/// Everything needed to read paragraphs from the text.
pub struct Source<'a> {
    /// The document's text by CP.
    pub text: &'a [u16],
    /// Pieces (CP → FC).
    pub pieces: &'a PieceTable,
    /// Paragraph properties by FC.
    pub papx: PapxIndex<'a>,
    /// The `Data` stream (where `sprmPHugePapx` puts large paragraph properties).
    pub data: &'a [u8],
    /// FC ranges of deleted, hidden and struck-through text.
    pub looks: CharLooks,
    /// Styles.
    pub styles: &'a Styles,
    /// CPs at which sections end (sorted).
    pub section_ends: Vec<u32>,
    /// Most paragraphs read in all.
    pub max_paragraphs: usize,
}

/// Open fields: for each, whether its code (before the separator) is being read.
#[derive(Debug, Default)]
struct Fields {
    stack: Vec<bool>,
    in_code: usize,
}

impl Fields {
    fn begin(&mut self) {
        self.stack.push(true);
        self.in_code += 1;
    }

    fn separate(&mut self) {
        if let Some(top) = self.stack.last_mut() {
            if *top {
                *top = false;
                self.in_code -= 1;
            }
        }
    }

    fn end(&mut self) {
        if self.stack.pop() == Some(true) {
            self.in_code -= 1;
        }
    }

    fn hidden(&self) -> bool {
        self.in_code > 0
    }
}

impl Source<'_> {
    /// The paragraphs of CPs `[start, end)` (clipped to the text). `count` is the number of
    /// paragraphs read so far, checked against the limit.
    pub fn paragraphs(&self, start: u32, end: u32, count: &mut usize) -> Result<Vec<RawParagraph>, DocError> {
        let end = end.min(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        let mut out = Vec::new();
        let mut fields = Fields::default();
        let mut para_start = start;
        let mut text = TextBuf::default();
        let mut cp = start;
        while cp < end {
            let unit = self.text.get(cp as usize).copied().unwrap_or(0);
            let mark = match unit {
                PARAGRAPH_MARK => Some((Mark::Paragraph, None)),
                CELL_MARK => {
                    let props = self.props_at(cp);
                    (props.1.depth() > 0).then_some((Mark::Cell, Some(props)))
                }
                PAGE_BREAK if self.section_ends.binary_search(&(cp + 1)).is_ok() => {
                    Some((Mark::Section, None))
                }
                _ => None,
            };
            if let Some((mark, props)) = mark {
                let (istd, props) = props.unwrap_or_else(|| self.props_at(cp));
                self.push(
                    &mut out,
                    count,
                    para_start,
                    cp,
                    std::mem::take(&mut text),
                    mark,
                    istd,
                    props,
                )?;
                para_start = cp + 1;
            } else {
                match unit {
                    FIELD_BEGIN => fields.begin(),
                    FIELD_SEPARATOR => fields.separate(),
                    FIELD_END => fields.end(),
                    _ if fields.hidden() => {}
                    _ => text.push(unit, self.look(cp)),
                }
            }
            cp += 1;
        }
        if para_start < end {
            let (istd, props) = self.props_at(end - 1);
            self.push(&mut out, count, para_start, end, text, Mark::None, istd, props)?;
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &self,
        out: &mut Vec<RawParagraph>,
        count: &mut usize,
        start: u32,
        end: u32,
        text: TextBuf,
        mark: Mark,
        istd: Option<u16>,
        props: ParaProps,
    ) -> Result<(), DocError> {
        *count += 1;
        if *count > self.max_paragraphs {
            return Err(DocError::TooLarge(format!(
                "文档段落过多（超过 {} 个），可能已损坏",
                self.max_paragraphs
            )));
        }
        out.push(RawParagraph {
            start,
            end,
            text: text.text,
            hidden: text.hidden,
            struck: text.struck,
            mark,
            istd,
            props,
        });
        Ok(())
    }

    /// The style and properties of the paragraph whose mark is at `cp`.
    pub fn props_at(&self, cp: u32) -> (Option<u16>, ParaProps) {
        let piece = self.pieces.piece_at(cp);
        let papx = piece.and_then(|piece| self.papx.papx(piece.fc_of(cp)));
        let istd = papx.map(|(istd, _)| istd);
        let mut props = istd.map(|i| self.styles.para_props(i)).unwrap_or_default();
        if let Some((_, grpprl)) = papx {
            props.apply(grpprl);
            if let Some(huge) = huge_papx(grpprl, self.data) {
                props.apply(huge);
            }
        }
        if let Some(grpprl) = piece.and_then(|p| self.pieces.prm_grpprl(p.prm)) {
            props.apply(grpprl);
        }
        (istd, props)
    }

    /// How the character at `cp` shows (deleted wins over hidden, hidden over struck).
    fn look(&self, cp: u32) -> Look {
        if self.looks.is_empty() {
            return Look::Plain;
        }
        let Some(fc) = self.pieces.piece_at(cp).map(|p| p.fc_of(cp)) else {
            return Look::Plain;
        };
        if in_ranges(&self.looks.deleted, fc) {
            Look::Deleted
        } else if in_ranges(&self.looks.hidden, fc) {
            Look::Hidden
        } else if in_ranges(&self.looks.struck, fc) {
            Look::Struck
        } else {
            Look::Plain
        }
    }

    /// CPs of drawn-object anchors in `[start, end)`.
    pub fn anchors(&self, start: u32, end: u32) -> impl Iterator<Item = u32> + '_ {
        (start..end).filter(|&cp| self.text.get(cp as usize) == Some(&DRAWN_OBJECT))
    }
}

/// Appends one visible character: breaks become `\n`, a non-breaking hyphen `-`; optional
/// hyphens, object anchors and other control characters are dropped.
fn push_char(text: &mut Vec<u16>, unit: u16) {
    match unit {
        0x0B | 0x0C | 0x0E | 0x0A => text.push(u16::from(b'\n')),
        0x09 => text.push(unit),
        0x1E => text.push(u16::from(b'-')),
        0x00..=0x1F => {}
        _ => text.push(unit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::doc::pieces::Piece;

    fn source<'a>(text: &'a [u16], pieces: &'a PieceTable, styles: &'a Styles) -> Source<'a> {
        Source {
            text,
            pieces,
            papx: PapxIndex::default(),
            data: &[],
            looks: CharLooks::default(),
            styles,
            section_ends: vec![11],
            max_paragraphs: 100,
        }
    }

    fn one_piece(len: u32) -> PieceTable {
        PieceTable {
            pieces: vec![Piece {
                cp_start: 0,
                cp_end: len,
                fc: 0,
                compressed: false,
                prm: 0,
            }],
            prcs: Vec::new(),
        }
    }

    fn texts(paras: &[RawParagraph]) -> Vec<String> {
        paras.iter().map(RawParagraph::text).collect()
    }

    #[test]
    fn fields_keep_their_result_and_drop_their_code() {
        // 见{PAGE|3}页{HYPERLINK x{SEQ|1}|链接}。{NOTE}\r
        let s = "见\u{13} PAGE \u{14}3\u{15}页\u{13}HYPERLINK x\u{13}SEQ\u{14}1\u{15}\u{14}链接\u{15}。\u{13}X\u{15}\r";
        let units: Vec<u16> = s.encode_utf16().collect();
        let pieces = one_piece(units.len() as u32);
        let styles = Styles::default();
        let src = source(&units, &pieces, &styles);
        let paras = src.paragraphs(0, units.len() as u32, &mut 0).unwrap();
        assert_eq!(texts(&paras), vec!["见3页链接。"]);
        assert_eq!(paras[0].mark, Mark::Paragraph);
    }

    #[test]
    fn nested_fields_show_only_the_outermost_result() {
        // {IF {=7/20|0.35} > 0.5 "50" "35"|35}: the inner result belongs to the IF's code.
        let s = "\u{13}IF \u{13}=7/20\u{14}0.35\u{15} > 0.5 \"50\" \"35\"\u{14}35\u{15}\r";
        let units: Vec<u16> = s.encode_utf16().collect();
        let pieces = one_piece(units.len() as u32);
        let styles = Styles::default();
        let src = source(&units, &pieces, &styles);
        let paras = src.paragraphs(0, units.len() as u32, &mut 0).unwrap();
        assert_eq!(texts(&paras), vec!["35"]);
    }

    #[test]
    fn hidden_text_is_left_out_and_struck_text_is_marked() {
        // 40（一季度30）, the bracket hidden; ~~45~~ 60.
        let s = "40（一季度30）\r45 60\r";
        let units: Vec<u16> = s.encode_utf16().collect();
        let pieces = one_piece(units.len() as u32);
        let styles = Styles::default();
        let mut src = source(&units, &pieces, &styles);
        // FCs are twice the CPs (one uncompressed piece at FC 0).
        src.looks = CharLooks {
            hidden: vec![(4, 18)],
            struck: vec![(20, 24)],
            deleted: Vec::new(),
        };
        let paras = src.paragraphs(0, units.len() as u32, &mut 0).unwrap();
        assert_eq!(texts(&paras), vec!["40", "45 60"]);
        assert_eq!(String::from_utf16_lossy(&paras[0].hidden), "（一季度30）");
        assert_eq!(paras[1].struck, vec![(0, 2)]);
        let marked = paras[1].marked("1.");
        assert_eq!(marked.text, "1.45 60");
        assert_eq!(marked.struck, vec![2..4]);
        assert_eq!(paras[0].marked("").hidden, "（一季度30）");
    }

    #[test]
    fn special_characters_and_marks() {
        // Soft break, tab, non-breaking and optional hyphens, a picture, a bell outside a
        // table, a page break, and a section break at CP 11.
        let s = "甲\u{0B}乙\t\u{1E}\u{1F}\u{01}\u{07}\u{0C}丙\u{0C}丁\r戊";
        let units: Vec<u16> = s.encode_utf16().collect();
        let pieces = one_piece(units.len() as u32);
        let styles = Styles::default();
        let src = source(&units, &pieces, &styles);
        let mut count = 0;
        let paras = src.paragraphs(0, units.len() as u32, &mut count).unwrap();
        assert_eq!(texts(&paras), vec!["甲\n乙\t-\n丙", "丁", "戊"]);
        assert_eq!(
            paras.iter().map(|p| p.mark).collect::<Vec<_>>(),
            vec![Mark::Section, Mark::Paragraph, Mark::None]
        );
        assert_eq!(count, 3);
        assert_eq!((paras[1].start, paras[1].end), (11, 12));
    }

    #[test]
    fn unbalanced_fields_and_limits() {
        let units: Vec<u16> = "\u{15}\u{14}甲\u{13}乙\r丙\r".encode_utf16().collect();
        let pieces = one_piece(units.len() as u32);
        let styles = Styles::default();
        let src = source(&units, &pieces, &styles);
        let paras = src.paragraphs(0, 100, &mut 0).unwrap();
        assert_eq!(texts(&paras), vec!["甲", ""]);
        let many: Vec<u16> = vec![0x0D; 200];
        let pieces = one_piece(200);
        let src = source(&many, &pieces, &styles);
        assert!(matches!(
            src.paragraphs(0, 200, &mut 0),
            Err(DocError::TooLarge(_))
        ));
    }
}
