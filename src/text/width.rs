//! How wide text prints: the one character classification every renderer measures with.
//!
//! A character is *full-width* (one em: a Chinese character, full-width punctuation such as
//! `，。：（）`, kana, hangul) or *half-width* (half an em: ASCII and everything else). Each
//! renderer converts ems to its own unit: the workbooks to Excel character units
//! ([`crate::render::xlsx::measure`]), the bulletin to twips at a font size or to a count of
//! full-width characters ([`crate::render::bulletin_docx`]).

/// The width of a full-width character, in ems.
pub const FULL: f64 = 1.0;
/// The width of a half-width character, in ems.
pub const HALF: f64 = 0.5;

/// True for characters that take a full em: the East Asian wide and full-width ranges
/// (hangul jamo, CJK radicals to Yi, hangul syllables, CJK compatibility ideographs, CJK
/// compatibility forms, full-width forms, the CJK extension planes).
///
/// Characters of ambiguous width (`“”‘’…—·`) count half, as Unicode's default for them.
pub fn is_full_width(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The width of `c` in ems: [`FULL`] or [`HALF`].
pub fn ems(c: char) -> f64 {
    if is_full_width(c) {
        FULL
    } else {
        HALF
    }
}

/// The width of `text` in ems, as if on one line.
pub fn width_in_ems(text: &str) -> f64 {
    text.chars().map(ems).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_full_and_ascii_half() {
        assert_eq!(width_in_ems("2024年7月10日"), 3.0 * FULL + 7.0 * HALF);
        assert_eq!(width_in_ems("，。（）"), 4.0);
        assert_eq!(width_in_ems("ab"), 1.0);
        assert!(is_full_width('𠀀') && is_full_width('한'));
        assert!(!is_full_width('ｱ'), "half-width katakana");
    }
}
