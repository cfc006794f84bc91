//! A small layout estimate for the one decision the word processor cannot make for us: does
//! the 报尾 fit under the body on the body's last page, and is that page even? Every paragraph
//! of the bulletin has an exact line height, so the estimate only has to guess line breaks
//! (28 full-width characters per line of body text), which it does under both Latin metrics
//! of [`super::metrics`]. The same line breaking finds paragraphs that would end with a one-
//! or two-character last line (少字成行) and the character spacing that avoids it.

use super::metrics::{self, Latin, LATIN_METRICS};
use super::style::TEXT_HEIGHT;

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
                lines, pitch, extra, ..
            } => lines * pitch + extra,
            Flow::Table { header, rows } => header + rows.iter().sum::<u32>(),
            Flow::Break => 0,
        }
    }
}

/// Characters that may not start a line (they stay with the character before them).
const NO_LINE_START: &str = "，。、；：？！）》」』】〕”’…—%·,.;:?!)]}";
/// Characters that may not end a line (they go with the character after them).
const NO_LINE_END: &str = "（《「『【〔“‘([{";

/// Lines a paragraph of `text` at `size_pt` takes in `width` twips with a first-line indent of
/// `indent` twips and `spacing` twips added to each character, under `latin` metrics.
pub fn lines_for(text: &str, size_pt: f64, spacing: f64, width: u32, indent: u32, latin: Latin) -> u32 {
    line_lengths(text, size_pt, spacing, width, indent, latin).len() as u32
}

/// The number of characters on each line of a body paragraph (as [`lines_for`] sets it).
pub fn line_lengths(
    text: &str,
    size_pt: f64,
    spacing: f64,
    width: u32,
    indent: u32,
    latin: Latin,
) -> Vec<usize> {
    let char_width = |c: char| metrics::advance(c, latin) * size_pt * 20.0 + spacing;
    let gap = metrics::AUTOSPACE_EM * size_pt * 20.0;
    wrap(text, &char_width, gap, f64::from(width), f64::from(indent), true)
}

/// Lines a text takes in a table cell of `width` twips (no indent, no spacing; LibreOffice
/// does not let punctuation hang in left-aligned cells).
pub fn cell_lines(text: &str, size_pt: f64, width: u32, latin: Latin) -> u32 {
    let char_width = |c: char| metrics::advance(c, latin) * size_pt * 20.0;
    let gap = metrics::AUTOSPACE_EM * size_pt * 20.0;
    wrap(text, &char_width, gap, f64::from(width), 0.0, false).len() as u32
}

/// A last line this short or shorter is 少字成行 (one or two characters).
const SHORT_LAST_LINE: usize = 2;

/// Twips a line may come out narrower or wider in the render than in the estimate
/// (LibreOffice keeps character spacing in hundredths of a millimetre): a spacing is only
/// chosen when it leaves no short last line at the full width, this much less and this much
/// more.
const WIDTH_SLACK: u32 = 16;

/// Character spacings tried, in order, when a paragraph would end with a short last line:
/// tightening first (as 公文 tools do), up to 1 pt, then loosening by at most 0.2 pt.
const SPACING_CANDIDATES: &[i32] = &[
    -6, -8, -10, -12, -14, -15, -16, -17, -18, -19, -20, -4, -2, 0, 2, 4,
];

/// The character spacing (twentieths of a point) for a body paragraph of `text`: `default`
/// unless that would leave a last line of at most [`SHORT_LAST_LINE`] characters under either
/// Latin metric or a width [`WIDTH_SLACK`] off, else the first of [`SPACING_CANDIDATES`] that leaves none under both (the
/// words are never changed); `default` when none does.
pub fn spacing_without_short_last_line(
    text: &str,
    size_pt: f64,
    width: u32,
    indent: u32,
    default: i32,
) -> i32 {
    let clean = |spacing: i32| {
        LATIN_METRICS.iter().all(|&latin| {
            [width.saturating_sub(WIDTH_SLACK), width, width + WIDTH_SLACK]
                .iter()
                .all(|&width| {
                    let lines = line_lengths(text, size_pt, f64::from(spacing), width, indent, latin);
                    lines.len() < 2 || lines.last().is_some_and(|&n| n > SHORT_LAST_LINE)
                })
        })
    };
    if clean(default) {
        return default;
    }
    SPACING_CANDIDATES
        .iter()
        .copied()
        .find(|&s| clean(s))
        .unwrap_or(default)
}

/// Greedy line breaking the way word processors do it for Chinese text: ASCII words and
/// numbers do not break, closing punctuation stays with the character before it and opening
/// punctuation with the character after it (禁则); with `hanging`, a closing comma or full stop
/// may hang past the margin. Returns the number of characters on each line.
fn wrap(
    text: &str,
    char_width: &dyn Fn(char) -> f64,
    gap: f64,
    width: f64,
    indent: f64,
    hanging: bool,
) -> Vec<usize> {
    let units = units(text, char_width, gap);
    if units.is_empty() {
        return vec![0];
    }
    let mut lines = vec![0];
    let mut used = indent;
    for unit in units {
        let hang = if hanging { unit.hang } else { 0.0 };
        let mut unit_width = unit.width;
        if used + unit_width - hang > width + 1.0 && used > 0.0 {
            lines.push(0);
            used = 0.0;
            unit_width -= unit.lead_gap;
        }
        used += unit_width;
        if let Some(last) = lines.last_mut() {
            *last += unit.chars;
        }
    }
    lines
}

/// Words a title line reads well starting with (a break before them is a good break).
const GOOD_LINE_STARTS: &[&str] = &[
    "关于",
    "任务",
    "工作",
    "情况",
    "服务",
    "推进",
    "综合",
    "试点",
    "有关",
    "进一步",
    "落实",
    "推动",
    "加快",
    "全面",
    "深化",
    "专项",
    "通报",
    "通知",
    "报告",
    "实施",
    "建设",
    "发展",
];

/// Splits a title into lines: at `//` where the template asks for a break, else — when it
/// does not fit on one line — into balanced lines (the upper ones preferably longer), breaking
/// where a break reads well: after `的`, `和`, `与`, `及`, `于`, between Chinese and
/// Latin/digits, before common words ([`GOOD_LINE_STARTS`]); never inside a number or before
/// closing punctuation.
pub fn split_title(text: &str, size_pt: f64, width: u32) -> Vec<String> {
    if text.contains("//") {
        return text
            .split("//")
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
    }
    let chars: Vec<char> = text.chars().collect();
    let w = |c: char| crate::text::width::ems(c) * size_pt * 20.0;
    let total: f64 = chars.iter().map(|&c| w(c)).sum();
    let width = f64::from(width);
    if total <= width || chars.len() < 2 {
        return vec![text.to_string()];
    }
    let n = (total / width).ceil();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut remaining = total;
    for line in 0..(n as usize - 1) {
        let target = remaining / (n - line as f64);
        let best = (start + 1..chars.len())
            .filter_map(|end| {
                let used: f64 = chars[start..end].iter().map(|&c| w(c)).sum();
                let rest = remaining - used;
                let fits = used <= width && rest <= width * (n - line as f64 - 1.0);
                fits.then(|| (break_cost(&chars, end, (used - target) / (size_pt * 20.0)), end))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let Some((_, end)) = best else { break };
        lines.push(chars[start..end].iter().collect::<String>());
        remaining -= chars[start..end].iter().map(|&c| w(c)).sum::<f64>();
        start = end;
    }
    lines.push(chars[start..].iter().collect());
    lines
}

/// The cost of breaking before `chars[end]` when the line is `excess` characters longer than
/// the balanced target.
fn break_cost(chars: &[char], end: usize, excess: f64) -> f64 {
    let weight = if excess >= 0.0 { 1.0 } else { 1.5 };
    let mut cost = excess * excess * weight / 8.0;
    let (before, after) = (chars[end - 1], chars[end]);
    if NO_LINE_START.contains(after) || NO_LINE_END.contains(before) {
        cost += 100.0;
    }
    if before.is_ascii_alphanumeric() && after.is_ascii_alphanumeric() {
        cost += 100.0;
    }
    let rest: String = chars[end..].iter().take(3).collect();
    if "的和与于及".contains(before) || before.is_ascii() != after.is_ascii() {
        cost -= 1.5;
    } else if GOOD_LINE_STARTS.iter().any(|w| rest.starts_with(w)) {
        cost -= 1.0;
    } else {
        cost += 1.5;
    }
    cost
}

/// Punctuation that may hang past the right margin at the end of a line (LibreOffice's hanging
/// punctuation, Word's `w:overflowPunct`, both on by default).
const HANGING: &str = "，。、；：？！";

/// An unbreakable piece of text.
struct Unit {
    /// Its width.
    width: f64,
    /// The width that may hang past the margin (its closing punctuation).
    hang: f64,
    /// Its characters.
    chars: usize,
    /// Autospacing before its first character (not set at the start of a line).
    lead_gap: f64,
}

/// The unbreakable units of `text`.
fn units(text: &str, char_width: &dyn Fn(char) -> f64, gap: f64) -> Vec<Unit> {
    let mut units: Vec<Unit> = Vec::new();
    let mut glue_next = false;
    let mut prev_ascii_word = false;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let mut w = char_width(c);
        let spaced = if prev.is_some_and(|p| metrics::autospaced(p, c)) {
            gap
        } else {
            0.0
        };
        w += spaced;
        prev = Some(c);
        let ascii_word = c.is_ascii_alphanumeric() || c == '.' || c == '%';
        let joins_previous = NO_LINE_START.contains(c) || (ascii_word && prev_ascii_word) || glue_next;
        let hang = if HANGING.contains(c) { w } else { 0.0 };
        match units.last_mut() {
            Some(last) if joins_previous => {
                last.width += w;
                last.hang = hang;
                last.chars += 1;
            }
            _ => units.push(Unit {
                width: w,
                hang,
                chars: 1,
                lead_gap: spaced,
            }),
        }
        glue_next = NO_LINE_END.contains(c);
        prev_ascii_word = ascii_word;
    }
    units
}

/// Where a laid-out flow ends: its last page (counted from 1) and the height used on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct End {
    /// The last page's number.
    pub page: u32,
    /// Height used on the last page, twips.
    pub used: u32,
}

/// Where `flows` end when laid out on pages of the 版心 height.
pub fn end_of(flows: &[Flow]) -> End {
    let capacity = TEXT_HEIGHT;
    let mut end = End { page: 1, used: 0 };
    let new_page = |end: &mut End, used: u32| {
        end.page += 1;
        end.used = used;
    };
    for (i, flow) in flows.iter().enumerate() {
        match flow {
            Flow::Break => new_page(&mut end, 0),
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
                let whole = if *keep_next { lines * pitch } else { *pitch };
                if end.used > 0 && end.used + whole + extra + next > capacity {
                    new_page(&mut end, 0);
                }
                end.used += extra;
                for _ in 0..*lines {
                    if end.used + pitch > capacity {
                        new_page(&mut end, 0);
                    }
                    end.used += pitch;
                }
            }
            Flow::Table { header, rows } => {
                if end.used > 0 && end.used + flow.first_height() > capacity {
                    new_page(&mut end, 0);
                }
                end.used += header;
                for row in rows {
                    if end.used + row > capacity {
                        new_page(&mut end, *header);
                    }
                    end.used += row;
                }
            }
        }
    }
    end
}

/// The height used on the last page after laying out `flows` on pages of the 版心 height.
#[cfg(test)]
fn used_on_last_page(flows: &[Flow]) -> u32 {
    end_of(flows).used
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: Latin = Latin::Times;

    #[test]
    fn body_lines_hold_28_characters() {
        // 16 pt with −0.25 pt spacing in 8844 twips, first line indented 640 twips.
        let line = |n: usize| lines_for(&"字".repeat(n), 16.0, -5.0, 8844, 640, T);
        assert_eq!(line(26), 1);
        assert_eq!(line(27), 2);
        assert_eq!(line(26 + 28), 2);
        assert_eq!(line(26 + 29), 3);
        assert_eq!(lines_for("", 16.0, -5.0, 8844, 640, T), 1);
        // A comma may not start a line: the character before it moves down with it.
        assert_eq!(cell_lines("打造融合发展生态，加强", 14.0, 2240, T), 2);
        assert_eq!(cell_lines("打造融合发展生态加强", 14.0, 2240, T), 2);
        assert_eq!(cell_lines("打造融合发展生，加强", 14.0, 2240, T), 2);
        let eight = cell_lines("打造融合发展生态", 14.0, 2240, T);
        assert_eq!(eight, 1);
        assert_eq!(cell_lines("打造融合发展生态，", 14.0, 2240, T), 2);
        // In body text a closing comma or full stop may hang past the margin.
        let full = format!("{}，", "字".repeat(26));
        assert_eq!(lines_for(&full, 16.0, -5.0, 8844, 640, T), 1);
        assert_eq!(lines_for(&format!("{full}字"), 16.0, -5.0, 8844, 640, T), 2);
        let bracket = format!("{}）", "字".repeat(26));
        assert_eq!(lines_for(&bracket, 16.0, -5.0, 8844, 640, T), 2);
        // Numbers do not break.
        assert_eq!(cell_lines("一二三四五六七2024", 14.0, 2240, T), 2);
        // Space is added between Chinese and digits: 27 characters and two switches overflow.
        let mixed = format!("{}12{}", "字".repeat(24), "字");
        assert_eq!(lines_for(&mixed, 16.0, -5.0, 8844, 640, T), 2);
        assert_eq!(lines_for(&"字".repeat(26), 16.0, -5.0, 8844, 640, T), 1);
        // Wider digits take more room.
        let digits = format!("{}{}", "字".repeat(20), "1".repeat(10));
        assert_eq!(lines_for(&digits, 16.0, -5.0, 8844, 640, T), 1);
        assert_eq!(lines_for(&digits, 16.0, -5.0, 8844, 640, Latin::Wide), 2);
    }

    #[test]
    fn line_lengths_count_characters_per_line() {
        let text = "字".repeat(26 + 28 + 2);
        assert_eq!(line_lengths(&text, 16.0, -5.0, 8844, 640, T), vec![26, 28, 2]);
        assert_eq!(line_lengths("", 16.0, -5.0, 8844, 640, T), vec![0]);
    }

    #[test]
    fn short_last_lines_are_tightened_away() {
        // 26 + 28 + 28 + 2: tightening to 29 characters a line absorbs the last two.
        let text = "字".repeat(26 + 28 + 28 + 2);
        let spacing = spacing_without_short_last_line(&text, 16.0, 8844, 640, -5);
        assert!((-20..-5).contains(&spacing), "{spacing}");
        for latin in LATIN_METRICS {
            let lines = line_lengths(&text, 16.0, f64::from(spacing), 8844, 640, latin);
            assert!(
                lines.len() < 2 || *lines.last().unwrap() > SHORT_LAST_LINE,
                "{lines:?}"
            );
        }
        // A paragraph ending well is left alone; so is a one-line paragraph.
        let fine = "字".repeat(26 + 20);
        assert_eq!(spacing_without_short_last_line(&fine, 16.0, 8844, 640, -5), -5);
        assert_eq!(spacing_without_short_last_line("短句。", 16.0, 8844, 640, -5), -5);
    }

    #[test]
    fn titles_break_into_balanced_lines() {
        let t = "南京市服务业扩大开放综合试点2024年第二季度推进情况";
        assert_eq!(
            split_title(t, 22.0, 8844),
            vec!["南京市服务业扩大开放综合试点", "2024年第二季度推进情况"]
        );
        let t = "关于2024年第二季度南京市服务业扩大开放综合试点任务推进情况的通报";
        assert_eq!(
            split_title(t, 22.0, 8844),
            vec![
                "关于2024年第二季度南京市服务业扩大开放",
                "综合试点任务推进情况的通报"
            ]
        );
        assert_eq!(
            split_title("上半句//下半句", 22.0, 8844),
            vec!["上半句", "下半句"]
        );
        assert_eq!(split_title("短标题", 22.0, 8844), vec!["短标题"]);
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
        assert_eq!(
            end_of(&[lines(2), Flow::Break, lines(1)]),
            End { page: 2, used: 579 }
        );
        assert_eq!(end_of(&[lines(22 * 3 + 1)]), End { page: 4, used: 579 });
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
        // A two-line heading kept with the next line moves as a whole.
        let long_heading = Flow::Lines {
            lines: 2,
            pitch: 579,
            extra: 0,
            keep_next: true,
        };
        assert_eq!(used_on_last_page(&[lines(20), long_heading, lines(1)]), 3 * 579);
    }
}
