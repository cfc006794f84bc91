//! Text measuring: how wide text is in Excel character units, the column width that fits
//! it, how many lines it wraps to and the row height that shows them.

use crate::text::width;

/// Height of one line of wrapped 11 pt CJK text in points (LibreOffice's CJK fallback fonts
/// are taller than Excel's 宋体, so this errs on the generous side).
pub const LINE_HEIGHT: f64 = 16.0;
/// Excel's largest row height in points.
pub const MAX_ROW_HEIGHT: f64 = 409.0;
/// Width units a cell loses to its padding.
const CELL_PADDING: f64 = 1.0;

/// Excel character units one full-width character of 11 pt 宋体 takes (see
/// [`crate::text::width`]); rust_xlsxwriter's `autofit` counts CJK as narrow.
const FULL_WIDTH_UNITS: f64 = 2.1;
/// Excel character units one half-width character takes.
const HALF_WIDTH_UNITS: f64 = 1.1;

/// Display width of text in Excel character units: its widest line, full-width characters
/// counting ≈ 2.1 and half-width ones ≈ 1.1.
pub fn text_width(text: &str) -> f64 {
    text.lines().map(line_width).fold(0.0, f64::max)
}

fn line_width(line: &str) -> f64 {
    line.chars()
        .map(|c| {
            if width::is_full_width(c) {
                FULL_WIDTH_UNITS
            } else {
                HALF_WIDTH_UNITS
            }
        })
        .sum()
}

/// A column width that fits the widest of `texts` (plus padding), kept within `min..=max`;
/// text wider than `max` wraps.
pub fn fit_width<'a>(texts: impl IntoIterator<Item = &'a str>, min: f64, max: f64) -> f64 {
    let widest = texts.into_iter().map(text_width).fold(0.0, f64::max);
    clamp_width(widest, min, max)
}

/// The column width for content `widest` units wide, padded and kept within `min..=max`.
pub(super) fn clamp_width(widest: f64, min: f64, max: f64) -> f64 {
    (widest + CELL_PADDING + 1.0).clamp(min, max.max(min))
}

/// How many lines `text` takes when wrapped in a column `width` units wide.
pub fn wrapped_lines(text: &str, width: f64) -> usize {
    let usable = (width - CELL_PADDING).max(1.0);
    text.lines()
        .map(|line| (line_width(line) / usable).ceil().max(1.0) as usize)
        .sum::<usize>()
        .max(1)
}

/// The row height (points) that shows `lines` lines of wrapped text, capped at Excel's limit.
pub fn height_for_lines(lines: usize) -> f64 {
    (lines as f64 * LINE_HEIGHT + 4.0).min(MAX_ROW_HEIGHT)
}

/// The row height that shows every `(text, column width)` cell of a row in full.
pub fn row_height<'a>(cells: impl IntoIterator<Item = (&'a str, f64)>) -> f64 {
    let lines = cells
        .into_iter()
        .map(|(text, width)| wrapped_lines(text, width))
        .max()
        .unwrap_or(1);
    height_for_lines(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_wide() {
        assert!((text_width("序号") - 4.2).abs() < 1e-9);
        assert!((text_width("ab") - 2.2).abs() < 1e-9);
        assert!((text_width("长行\n短") - 4.2).abs() < 1e-9);
    }

    #[test]
    fn widths_are_clamped() {
        assert_eq!(fit_width(["序号"], 6.0, 40.0), 6.2);
        assert_eq!(fit_width(["很".repeat(100).as_str()], 6.0, 40.0), 40.0);
        assert_eq!(fit_width([""], 8.0, 40.0), 8.0);
    }

    #[test]
    fn long_text_wraps_to_several_lines() {
        assert_eq!(wrapped_lines("", 10.0), 1);
        assert_eq!(wrapped_lines("短", 10.0), 1);
        // 40 CJK characters ≈ 84 units in a 21-unit column: at least 4 lines.
        assert!(wrapped_lines(&"字".repeat(40), 21.0) >= 4);
        assert_eq!(wrapped_lines("一\n二\n三", 10.0), 3);
        assert!(row_height([("一\n二\n三", 10.0), ("x", 5.0)]) >= 3.0 * LINE_HEIGHT);
        assert_eq!(height_for_lines(10_000), MAX_ROW_HEIGHT);
    }
}
