//! Dates as official Chinese documents write them: `2024年7月10日`, and the official-document
//! style in Chinese numerals (`二〇二五年四月三日`, `二零二五年十二月三十一日`).

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use std::sync::LazyLock;

/// `2024年7月10日` (no zero padding, as official documents write dates).
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The characters a date in Chinese numerals is written with (besides 年月日).
pub const NUMERALS: &str = "〇零○一二三四五六七八九十";

/// A year of four digits (Chinese or Arabic), then month and day in Chinese numerals or
/// digits; 日 (or 号) is required, so that `二〇二五年第一季度` is no date.
static NUMERAL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([〇零○一二三四五六七八九0-9]{4})\s*年\s*([一二三四五六七八九十0-9]{1,3})\s*月\s*([一二三四五六七八九十0-9]{1,4})\s*[日号]")
        .unwrap_or_else(|e| panic!("static regex: {e}"))
});

/// The value of one digit written as a Chinese numeral or an Arabic digit.
fn digit(c: char) -> Option<u32> {
    match c {
        '〇' | '零' | '○' => Some(0),
        '一' => Some(1),
        '二' => Some(2),
        '三' => Some(3),
        '四' => Some(4),
        '五' => Some(5),
        '六' => Some(6),
        '七' => Some(7),
        '八' => Some(8),
        '九' => Some(9),
        _ => c.to_digit(10),
    }
}

/// A year written digit by digit (`二〇二五`, `二零二五`, `2025`).
fn year(text: &str) -> Option<i32> {
    text.chars()
        .try_fold(0u32, |n, c| Some(n * 10 + digit(c)?))
        .and_then(|n| i32::try_from(n).ok())
}

/// A month or day: `三`, `十`, `十二`, `二十`, `三十一`, or Arabic digits.
fn small_number(text: &str) -> Option<u32> {
    if text.chars().all(|c| c.is_ascii_digit()) {
        return text.parse().ok();
    }
    match text.split_once('十') {
        None if text.chars().count() == 1 => text.chars().next().and_then(digit),
        None => None,
        Some((tens, units)) => {
            let tens = if tens.is_empty() { 1 } else { single(tens)? };
            let units = if units.is_empty() { 0 } else { single(units)? };
            Some(tens * 10 + units)
        }
    }
}

/// The value of a text that is exactly one digit 1–9.
fn single(text: &str) -> Option<u32> {
    let mut chars = text.chars();
    let value = chars.next().and_then(digit).filter(|d| *d > 0)?;
    chars.next().is_none().then_some(value)
}

/// The first date in `text` written in Chinese numerals, as official documents date
/// themselves (`二〇二五年四月三日`, `二零二五年十二月三十一日`; a digit year with Chinese
/// month and day is read too). `None` when there is none or it is no calendar date.
pub fn numeral_date(text: &str) -> Option<NaiveDate> {
    NUMERAL_DATE.captures_iter(text).find_map(|c| {
        let y = year(c.get(1)?.as_str())?;
        let m = small_number(c.get(2)?.as_str())?;
        let d = small_number(c.get(3)?.as_str())?;
        NaiveDate::from_ymd_opt(y, m, d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_zero_padding() {
        let d = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
        assert_eq!(chinese_date(d), "2024年7月1日");
    }

    #[test]
    fn chinese_numeral_dates() {
        let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(numeral_date("填报日期：二〇二五年四月三日"), ymd(2025, 4, 3));
        assert_eq!(numeral_date("二零二五年四月八日"), ymd(2025, 4, 8));
        assert_eq!(numeral_date("二〇二四年十二月三十一日"), ymd(2024, 12, 31));
        assert_eq!(numeral_date("二〇二四年十月二十日"), ymd(2024, 10, 20));
        assert_eq!(numeral_date("○二四年"), None);
        assert_eq!(numeral_date("2025年四月三日"), ymd(2025, 4, 3));
        assert_eq!(numeral_date("二〇二五年 四 月 十 日"), ymd(2025, 4, 10));
        // A quarter is no date; neither is a day that does not exist.
        assert_eq!(numeral_date("二〇二五年第一季度"), None);
        assert_eq!(numeral_date("二〇二五年二月三十日"), None);
        assert_eq!(numeral_date("二〇二五年十三月一日"), None);
        assert_eq!(numeral_date("二〇二五年四月四十日"), None);
    }
}
