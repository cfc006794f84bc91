//! Dates as official Chinese documents write them.

use chrono::{Datelike, NaiveDate};

/// `2024年7月10日` (no zero padding, as official documents write dates).
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_zero_padding() {
        let d = NaiveDate::from_ymd_opt(2024, 7, 1).unwrap();
        assert_eq!(chinese_date(d), "2024年7月1日");
    }
}
