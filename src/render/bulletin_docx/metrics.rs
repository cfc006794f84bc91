//! Font metrics for measuring bulletin text the way a word processor sets it: CJK ideographs
//! and full-width punctuation one em wide in every CJK font (仿宋_GB2312, 黑体, Noto CJK,
//! WenQuanYi…), digits and Latin letters in Times New Roman — or, where a machine lacks Times
//! New Roman and a metric-compatible font (Liberation Serif), in a wider substitute such as
//! DejaVu Serif, which LibreOffice picks on a bare Linux install.
//!
//! Every measurement that decides a layout is made under both [`Latin`] metrics, so that the
//! decision holds on the clerk's Windows PC and on a LibreOffice machine alike.

/// The Latin metrics a renderer may use for runs whose Latin font is Times New Roman.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Latin {
    /// Times New Roman itself (Word, WPS) or a metric-compatible font (Liberation Serif).
    Times,
    /// A wider substitute (DejaVu Serif: digits 0.636 em).
    Wide,
}

/// Both Latin metrics, narrow first.
pub const LATIN_METRICS: [Latin; 2] = [Latin::Times, Latin::Wide];

/// The space word processors add between CJK ideographs and Latin letters or digits
/// (`w:autoSpaceDE` / `w:autoSpaceDN`, on by default), in ems: measured 0.2–0.22 em in
/// LibreOffice.
pub const AUTOSPACE_EM: f64 = 0.22;

/// True for CJK ideographs (the characters autospacing applies to).
pub fn is_ideograph(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Advance width of `c` in ems under `latin`.
pub fn advance(c: char, latin: Latin) -> f64 {
    if !c.is_ascii() {
        return if is_half_width(c) { 0.5 } else { 1.0 };
    }
    match latin {
        Latin::Times => times_advance(c),
        Latin::Wide => wide_advance(c),
    }
}

/// Non-ASCII characters set half an em wide (half-width forms).
fn is_half_width(c: char) -> bool {
    matches!(c, '\u{FF61}'..='\u{FFDC}' | '\u{00B7}')
}

/// Times New Roman advance widths (units of 2048 per em, rounded up a little).
fn times_advance(c: char) -> f64 {
    match c {
        '0'..='9' => 0.5,
        ' ' | '.' | ',' | ';' | ':' => 0.28,
        '%' => 0.84,
        'A'..='Z' => 0.73,
        'a'..='z' => 0.5,
        '-' | '(' | ')' | '[' | ']' | '/' => 0.34,
        _ => 0.56,
    }
}

/// DejaVu Serif advance widths, the widest common substitute for Times New Roman.
fn wide_advance(c: char) -> f64 {
    match c {
        '0'..='9' => 0.64,
        ' ' | '.' | ',' | ';' | ':' => 0.36,
        '%' => 0.95,
        'A'..='Z' => 0.8,
        'a'..='z' => 0.64,
        '-' | '(' | ')' | '[' | ']' | '/' => 0.4,
        _ => 0.84,
    }
}

/// Width in twips of `text` at `size_pt` with `spacing` twips added to every character,
/// under `latin`, including the autospacing between ideographs and Latin letters or digits.
pub fn width(text: &str, size_pt: f64, spacing: f64, latin: Latin) -> f64 {
    let mut total = 0.0;
    let mut prev: Option<char> = None;
    for c in text.chars() {
        total += advance(c, latin) * size_pt * 20.0 + spacing;
        if prev.is_some_and(|p| autospaced(p, c)) {
            total += AUTOSPACE_EM * size_pt * 20.0;
        }
        prev = Some(c);
    }
    total
}

/// True when a word processor adds autospacing between `a` and `b`.
pub fn autospaced(a: char, b: char) -> bool {
    (is_ideograph(a) && b.is_ascii_alphanumeric()) || (a.is_ascii_alphanumeric() && is_ideograph(b))
}

/// The widest of [`width`] under both metrics.
pub fn widest(text: &str, size_pt: f64, spacing: f64) -> f64 {
    LATIN_METRICS
        .iter()
        .map(|&latin| width(text, size_pt, spacing, latin))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideographs_are_one_em_and_digits_depend_on_the_latin_font() {
        assert_eq!(width("工作简报", 16.0, 0.0, Latin::Times), 4.0 * 320.0);
        assert_eq!(width("2024", 16.0, 0.0, Latin::Times), 4.0 * 160.0);
        assert!(width("2024", 16.0, 0.0, Latin::Wide) > 4.0 * 200.0);
        // Two switches between ideographs and digits add autospacing.
        let date = width("7月10日", 14.0, 0.0, Latin::Times);
        assert!((date - (2.0 * 280.0 + 3.0 * 140.0 + 3.0 * 0.22 * 280.0)).abs() < 1e-6);
        assert!(widest("7月10日", 14.0, 0.0) > date);
        assert_eq!(width("字字", 16.0, -5.0, Latin::Times), 2.0 * 315.0);
        assert_eq!(advance('，', Latin::Wide), 1.0);
    }
}
