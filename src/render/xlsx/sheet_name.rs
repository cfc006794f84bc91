//! Worksheet names: Excel's rules (forbidden characters, 31 UTF-16 units as Excel and
//! rust_xlsxwriter count them, unique).

use crate::text::sanitize::{is_xml_char, take_utf16};

/// Excel's limit on a worksheet name, in UTF-16 units.
const MAX_UNITS: usize = 31;

/// A valid, unique worksheet name from `raw`: forbidden characters replaced, at most 31
/// UTF-16 units (an emoji or a CJK Extension-B character counts two), a numeric suffix when `taken` already holds it (case-insensitively).
pub fn sheet_name(raw: &str, taken: &[String]) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() || !is_xml_char(c) => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim();
    let base: String = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        "表".to_owned()
    } else {
        take_utf16(cleaned, MAX_UNITS).trim_end_matches('\'').to_owned()
    };
    let is_taken = |name: &str| taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    if !is_taken(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!("({n})");
            let keep = MAX_UNITS - suffix.len();
            format!("{}{suffix}", take_utf16(&base, keep))
        })
        .find(|name| !is_taken(name))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(sheet_name("进展情况", &[]), "进展情况");
        assert_eq!(sheet_name("a/b:c", &[]), "a_b_c");
        assert_eq!(sheet_name("", &[]), "表");
        assert_eq!(sheet_name("问题清单", &["问题清单".into()]), "问题清单(2)");
        let long = "长".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        let taken = vec![sheet_name(&long, &[])];
        let second = sheet_name(&long, &taken);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with("(2)"));
    }

    #[test]
    fn names_are_cut_by_utf16_units() {
        for raw in ["𠀀".repeat(40), "😀".repeat(40), format!("a{}", "𠀀".repeat(40))] {
            let name = sheet_name(&raw, &[]);
            assert!(name.encode_utf16().count() <= 31, "{name}");
            let mut workbook = rust_xlsxwriter::Workbook::new();
            assert!(workbook.add_worksheet().set_name(&name).is_ok());
            let second = sheet_name(&raw, &[name]);
            assert!(second.encode_utf16().count() <= 31, "{second}");
            assert!(workbook.add_worksheet().set_name(&second).is_ok());
        }
        assert_eq!(sheet_name("a\u{FFFE}b", &[]), "a_b");
    }
}
