//! A small pagination estimate: how much of the last page the body uses, so that the 报尾
//! can be pushed to the bottom of the last page by layout (LibreOffice ignores bottom
//! anchoring). Every paragraph of the bulletin has an exact line height, so the estimate only
//! has to guess line breaks: 28 full-width characters per line of body text.

use super::style::TEXT_HEIGHT;
use super::text::width_in_chars;

/// How one piece of the document occupies vertical space.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Flow {
    /// `lines` lines of `pitch` twips plus `extra` twips (borders, spacing); splits between
    /// lines; with `keep_next` it moves to the next page together with the next piece's first
    /// line.
    Lines {
        /// Number of lines.
        lines: u32,
        /// Height of one line.
        pitch: u32,
        /// Extra height not split.
        extra: u32,
        /// Keep with the next piece.
        keep_next: bool,
    },
    /// A table whose rows do not split and whose header row repeats on each page.
    Table {
        /// Header row height.
        header: u32,
        /// Body row heights.
        rows: Vec<u32>,
    },
    /// A page break.
    Break,
}

impl Flow {
    /// One line of `pitch`.
    pub fn line(pitch: u32) -> Flow {
        Flow::Lines {
            lines: 1,
            pitch,
            extra: 0,
            keep_next: false,
        }
    }

    /// The height that must fit on a page for the piece to start there.
    fn first_height(&self) -> u32 {
        match self {
            Flow::Lines { pitch, extra, .. } => pitch + extra,
            Flow::Table { header, rows } => header + rows.first().copied().unwrap_or(0),
            Flow::Break => 0,
        }
    }

    /// Total height when not split.
    pub fn height(&self) -> u32 {
        match self {
            Flow::Lines {
                lines,
                pitch,
                extra,
                ..
            } => lines * pitch + extra,
            Flow::Table { header, rows } => header + rows.iter().sum::<u32>(),
            Flow::Break => 0,
        }
    }
}

/// Lines a paragraph of `text` at `size_pt` takes in `width` twips with a first-line indent of
/// `indent` twips and `spacing` twips added to each character.
pub fn lines_for(text: &str, size_pt: f64, spacing: f64, width: u32, indent: u32) -> u32 {
    if text.is_empty() {
        return 1;
    }
    let per_char = |c: char| {
        let w = if c.is_ascii() { 0.5 } else { 1.0 };
        w * size_pt * 20.0 + spacing
    };
    let total: f64 = text.chars().map(per_char).sum::<f64>() + f64::from(indent);
    let capacity = f64::from(width);
    // A small tolerance: a line exactly full still fits.
    ((total - 1.0) / capacity).ceil().max(1.0) as u32
}

/// Lines a text takes in a table cell of `width` twips (no indent, no spacing).
pub fn cell_lines(text: &str, size_pt: f64, width: u32) -> u32 {
    let per_line = (f64::from(width) / (size_pt * 20.0)).floor().max(1.0);
    (width_in_chars(text) / per_line).ceil().max(1.0) as u32
}

/// The height used on the last page after laying out `flows` on pages of the 版心 height.
pub fn used_on_last_page(flows: &[Flow]) -> u32 {
    let capacity = TEXT_HEIGHT;
    let mut used = 0u32;
    for (i, flow) in flows.iter().enumerate() {
        match flow {
            Flow::Break => used = 0,
            Flow::Lines {
                lines,
                pitch,
                extra,
                keep_next,
            } => {
                let next = if *keep_next {
                    flows.get(i + 1).map_or(0, Flow::first_height)
                } else {
                    0
                };
                if used > 0 && used + pitch + extra + next > capacity {
                    used = 0;
                }
                used += extra;
                for _ in 0..*lines {
                    if used + pitch > capacity {
                        used = 0;
                    }
                    used += pitch;
                }
            }
            Flow::Table { header, rows } => {
                if used > 0 && used + flow.first_height() > capacity {
                    used = 0;
                }
                used += header;
                for row in rows {
                    if used + row > capacity {
                        used = *header;
                    }
                    used += row;
                }
            }
        }
    }
    used
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_lines_hold_28_characters() {
        // 16 pt with −0.25 pt spacing in 8844 twips, first line indented 640 twips.
        let line = |n: usize| lines_for(&"字".repeat(n), 16.0, -5.0, 8844, 640);
        assert_eq!(line(26), 1);
        assert_eq!(line(27), 2);
        assert_eq!(line(26 + 28), 2);
        assert_eq!(line(26 + 29), 3);
        assert_eq!(lines_for("", 16.0, -5.0, 8844, 640), 1);
    }

    #[test]
    fn pagination_wraps_pages_and_repeats_table_headers() {
        let lines = |n| Flow::Lines {
            lines: n,
            pitch: 579,
            extra: 0,
            keep_next: false,
        };
        assert_eq!(used_on_last_page(&[lines(3)]), 3 * 579);
        assert_eq!(used_on_last_page(&[lines(22 + 2)]), 2 * 579);
        assert_eq!(used_on_last_page(&[lines(2), Flow::Break, lines(1)]), 579);
        let table = Flow::Table {
            header: 500,
            rows: vec![1000; 13],
        };
        // 500 + 12 × 1000 fills page one; the 13th row starts page two under a repeated header.
        assert_eq!(used_on_last_page(&[table]), 1500);
        let heading = Flow::Lines {
            lines: 1,
            pitch: 579,
            extra: 0,
            keep_next: true,
        };
        assert_eq!(used_on_last_page(&[lines(21), heading, lines(1)]), 2 * 579);
    }
}
