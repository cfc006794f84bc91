//! Shared workbook helpers: CJK-aware column widths, row heights for wrapped text, print
//! setup and fixed document properties, so every workbook roundup writes looks and prints alike.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, XlsxError};

/// Display width of text in Excel character units: CJK and full-width characters count ≈ 2.1,
/// others ≈ 1.1 (rust_xlsxwriter's `autofit` counts CJK as narrow).
pub fn text_width(text: &str) -> f64 {
    text.lines()
        .map(|line| {
            line.chars()
                .map(|c| if is_wide(c) { 2.1 } else { 1.1 })
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
        0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// Document properties with a fixed creation time, so the file is byte-identical across runs.
pub fn properties(
    title: &str,
    author: &str,
    created: chrono::NaiveDateTime,
) -> Result<DocProperties, XlsxError> {
    use chrono::{Datelike, Timelike};
    let when = ExcelDateTime::from_ymd(
        created.year() as u16,
        created.month() as u8,
        created.day() as u8,
    )?
    .and_hms(
        created.hour() as u16,
        created.minute() as u8,
        created.second() as f64,
    )?;
    Ok(DocProperties::new()
        .set_title(title)
        .set_author(author)
        .set_creation_datetime(&when))
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
}
