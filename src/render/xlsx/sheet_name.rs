//! Worksheet names: Excel's rules (forbidden characters, 31 characters, unique).

/// A valid, unique worksheet name from `raw`: forbidden characters replaced, at most 31
/// characters, a numeric suffix when `taken` already holds it (case-insensitively).
pub fn sheet_name(raw: &str, taken: &[String]) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| match c {
            '[' | ']' | ':' | '*' | '?' | '/' | '\\' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim();
    let base: String = if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        "表".to_owned()
    } else {
        cleaned.chars().take(31).collect()
    };
    let is_taken = |name: &str| taken.iter().any(|t| t.to_lowercase() == name.to_lowercase());
    if !is_taken(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!("({n})");
            let keep = 31 - suffix.chars().count();
            format!("{}{suffix}", base.chars().take(keep).collect::<String>())
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
}
