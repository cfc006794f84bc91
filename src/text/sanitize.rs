//! The one sanitiser for text that reaches an output, bounded excerpts of untrusted text,
//! and names made safe to print on a terminal or in a log.
//!
//! - [`xml_safe`] keeps only the characters of XML 1.0's `Char` production, so no cell or
//!   paragraph can make a docx or xlsx unopenable (U+FFFE, U+FFFF, C0 controls).
//! - [`excerpt`] cuts a text to a number of characters and marks the cut with `…`.
//! - [`display_name`] shows control characters as visible escapes (`\n`, `\x1b`), so a file
//!   name cannot forge log lines or send codes to a terminal.

use std::borrow::Cow;

/// True when `c` is allowed by XML 1.0's `Char` production:
/// `#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]`.
/// (Surrogates cannot occur in a Rust `char`.)
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// `text` with every character outside XML 1.0's `Char` production removed; borrowed when
/// nothing had to go.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(is_xml_char) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// [`xml_safe`] for an owned string, without copying when it is clean.
pub fn xml_safe_owned(text: String) -> String {
    match xml_safe(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(clean) => clean,
    }
}

/// At most `max_chars` characters of `text`; when cut, the last one kept is `…`.
pub fn excerpt(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let keep = max_chars.saturating_sub(1);
            let end = text.char_indices().nth(keep).map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", &text[..end]))
        }
    }
}

/// At most `max_units` UTF-16 code units of `text` (the measure Excel and rust_xlsxwriter
/// use), never splitting a character.
pub fn take_utf16(text: &str, max_units: usize) -> &str {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        units += c.len_utf16();
        if units > max_units {
            return &text[..i];
        }
    }
    text
}

/// A name as it may be printed on a terminal or in a log: control characters (C0, DEL, C1)
/// and the line and paragraph separators become visible escapes (`\n`, `\t`, `\x1b`,
/// `\u{2028}`), and a backslash stays a backslash. Borrowed when nothing needs escaping.
pub fn display_name(name: &str) -> Cow<'_, str> {
    if !name.chars().any(needs_escape) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 && needs_escape(c) => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if needs_escape(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}')
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_keeps_only_xml_chars() {
        assert_eq!(xml_safe("进展\u{FFFE}情况\u{FFFF}"), "进展情况");
        assert_eq!(xml_safe("a\u{1}b\u{b}c\td\n"), "abc\td\n");
        assert!(matches!(xml_safe("干净𠀀"), Cow::Borrowed(_)));
        assert_eq!(xml_safe_owned("x\u{FFFE}".into()), "x");
    }

    #[test]
    fn excerpts_are_bounded_and_marked() {
        assert_eq!(excerpt("短文本", 10), "短文本");
        assert_eq!(excerpt("一二三四五", 5), "一二三四五");
        assert_eq!(excerpt("一二三四五六", 5), "一二三四…");
        assert_eq!(excerpt(&"长".repeat(40_000), 200).chars().count(), 200);
    }

    #[test]
    fn utf16_cut_never_splits_a_character() {
        assert_eq!(take_utf16("𠀀𠀀", 3), "𠀀");
        assert_eq!(take_utf16("ab", 31), "ab");
        assert_eq!(take_utf16(&"😀".repeat(20), 31).encode_utf16().count(), 30);
    }

    #[test]
    fn names_are_escaped_for_printing() {
        assert_eq!(display_name("市人社局.xlsx"), "市人社局.xlsx");
        assert_eq!(display_name("a\nb.xlsx"), "a\\nb.xlsx");
        assert_eq!(display_name("\u{1b}[31m\u{7}x"), "\\x1b[31m\\x07x");
        assert_eq!(display_name("\u{202E}x"), "\\u{202e}x");
    }
}
