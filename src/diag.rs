//! Diagnostics: the one shape every stage uses to report a problem with an input
//! (level, stable code, file, location, unit, task, Chinese message, suggestion).
//!
//! Every text set through the constructor and the builders is bounded and made XML-safe
//! here, once: a message that quotes a 32,767-character cell keeps only an excerpt, so no
//! diagnostic can overflow a workbook note or flood a log.

use crate::text::sanitize::{excerpt, xml_safe_owned};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most characters a diagnostic's message or suggestion keeps (with `…` when cut).
pub const MAX_MESSAGE_CHARS: usize = 400;

/// The most characters a location keeps (with `…` when cut). File and unit are identities
/// (outputs are keyed by them) and are sanitised where they are written instead.
pub const MAX_FIELD_CHARS: usize = 300;

/// A text bounded to `max` characters and stripped of characters XML cannot hold. A message
/// that quotes a huge cell keeps its beginning and its end (what is wrong is usually said
/// after the quote), joined by `…`.
fn bounded(text: String, max: usize) -> String {
    let count = text.chars().count();
    if count <= max {
        return xml_safe_owned(text);
    }
    let tail_chars = max / 4;
    let head = excerpt(&text, max - tail_chars);
    let tail_start = text
        .char_indices()
        .nth(count - tail_chars)
        .map_or(text.len(), |(i, _)| i);
    xml_safe_owned(format!("{head}{}", &text[tail_start..]))
}

/// An excerpt of untrusted cell text for quoting in a message: at most 60 characters.
pub fn quote(text: &str) -> String {
    xml_safe_owned(excerpt(text, 60).into_owned())
}

/// How serious a diagnostic is. `Error` rejects the row or file, `Warning` accepts it with a
/// note, `Info` only informs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The row or file is rejected.
    Error,
    /// Accepted with a note.
    Warning,
    /// For information only.
    Info,
}

impl Level {
    /// The stable English name used in JSON and in `roundup check` output.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        }
    }

    /// The Chinese name shown in workbooks.
    pub fn label(self) -> &'static str {
        match self {
            Level::Error => "错误",
            Level::Warning => "警告",
            Level::Info => "提示",
        }
    }
}

macro_rules! codes {
    ($($variant:ident => $name:literal, $level:ident, $doc:literal;)*) => {
        /// The stable issue codes of the submission contract (§5).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum Code {
            $(#[doc = $doc] $variant,)*
        }

        impl Code {
            /// Every code, in contract order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The level a diagnostic with this code has unless a rule says otherwise.
            pub fn default_level(self) -> Level {
                match self { $(Code::$variant => Level::$level,)* }
            }
        }
    };
}

codes! {
    UnreadableFile => "unreadable-file", Error, "The file cannot be read (empty, truncated, corrupt, over a limit).";
    EncryptedFile => "encrypted-file", Error, "The file is password-protected.";
    UnsupportedFormat => "unsupported-format", Error, "The content is not a format roundup reads.";
    HeaderNotFound => "header-not-found", Error, "No header row with known columns in the first rows.";
    UnitUnidentified => "unit-unidentified", Error, "The reporting unit cannot be determined.";
    UnitConflict => "unit-conflict", Error, "Content and file name name different units.";
    UnknownUnit => "unknown-unit", Error, "The unit named is not in the registry.";
    UnknownTask => "unknown-task", Error, "The task id is not in the registry.";
    NotLeadUnit => "not-lead-unit", Warning, "The unit reports on a task it does not lead.";
    MissingTask => "missing-task", Warning, "A task the unit leads is not reported.";
    DuplicateTask => "duplicate-task", Error, "The same task appears twice in one file.";
    TaskTextMismatch => "task-text-mismatch", Warning, "The task text differs from the registry.";
    InvalidStatus => "invalid-status", Error, "The status is not one of the allowed values.";
    InvalidPercent => "invalid-percent", Error, "The percent is not a number from 0 to 100.";
    StatusPercentMismatch => "status-percent-mismatch", Warning, "Status and percent contradict each other.";
    EmptyProgress => "empty-progress", Warning, "The row has no progress text.";
    StaleRound => "stale-round", Error, "The file names another round.";
    Superseded => "superseded", Info, "A newer file of the same kind from the same unit is used.";
    LateSubmission => "late-submission", Warning, "The file was submitted after the deadline.";
    IgnoredColumn => "ignored-column", Info, "A column that roundup does not use.";
    HiddenSheet => "hidden-sheet", Info, "A hidden sheet that was not read.";
    StatusConflict => "status-conflict", Warning, "Two sources disagree on one task (joint leads, or a unit's report and its spreadsheet).";
    UncalculatedFormula => "uncalculated-formula", Warning, "A formula cell with no stored value.";
    MisplacedFile => "misplaced-file", Warning, "A file outside the round's folder, not read.";
    UnreadableCount => "unreadable-count", Warning, "A count (项目落地情况) that cannot be read from its text; the assessment does not count it.";
    OutputFailed => "output-failed", Error, "One unit's output could not be written (in full); the other outputs were.";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in the inputs. Field names are part of the stable JSON interface.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Diagnostic {
    /// error, warning or info.
    pub level: Level,
    /// Stable kebab-case code.
    pub code: Code,
    /// The input file, relative to the inbox.
    pub file: Option<String>,
    /// `sheet!E7`, `表2!R3C4` or `第12段`.
    pub location: Option<String>,
    /// The reporting unit, when known.
    pub unit: Option<String>,
    /// The task id, when known.
    pub task: Option<u32>,
    /// What is wrong, in Chinese.
    pub message: String,
    /// How to fix it, in Chinese.
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with the code's default level.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            level: code.default_level(),
            code,
            file: None,
            location: None,
            unit: None,
            task: None,
            message: bounded(message.into(), MAX_MESSAGE_CHARS),
            suggestion: None,
        }
    }

    /// Overrides the level.
    pub fn level(mut self, level: Level) -> Self {
        self.level = level;
        self
    }

    /// Sets the file (relative to the inbox).
    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Sets the location within the file.
    pub fn at(mut self, location: impl Into<String>) -> Self {
        self.location = Some(bounded(location.into(), MAX_FIELD_CHARS));
        self
    }

    /// Sets the unit.
    pub fn unit(mut self, unit: impl Into<String>) -> Self {
        self.unit = Some(unit.into());
        self
    }

    /// Sets the unit when known.
    pub fn maybe_unit(mut self, unit: Option<&str>) -> Self {
        self.unit = unit.map(str::to_owned);
        self
    }

    /// Sets the task.
    pub fn task(mut self, task: u32) -> Self {
        self.task = Some(task);
        self
    }

    /// Sets the suggestion.
    pub fn hint(mut self, suggestion: impl Into<String>) -> Self {
        self.suggestion = Some(bounded(suggestion.into(), MAX_MESSAGE_CHARS));
        self
    }

    /// True for `Level::Error`.
    pub fn is_error(&self) -> bool {
        self.level == Level::Error
    }
}

/// Spreadsheet column letters for a 0-based column index (0 -> `A`, 26 -> `AA`).
pub fn column_letters(col: u32) -> String {
    let mut n = col as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// `sheet!E7` for 0-based row and column, as the user sees it in Excel.
pub fn cell_ref(sheet: &str, row: u32, col: u32) -> String {
    format!("{sheet}!{}{}", column_letters(col), row as u64 + 1)
}

/// `表2!R3C4` for a Word table (1-based table number, 0-based row and column).
pub fn table_ref(table: usize, row: u32, col: u32) -> String {
    format!("表{table}!R{}C{}", row as u64 + 1, col as u64 + 1)
}

/// `第12段` for a 1-based paragraph number.
pub fn paragraph_ref(paragraph: usize) -> String {
    format!("第{paragraph}段")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_match_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
        assert_eq!(column_letters(16383), "XFD");
    }

    #[test]
    fn references_are_one_based() {
        assert_eq!(cell_ref("进展情况", 6, 3), "进展情况!D7");
        assert_eq!(table_ref(2, 2, 3), "表2!R3C4");
        assert_eq!(paragraph_ref(12), "第12段");
    }

    #[test]
    fn messages_are_bounded_and_xml_safe() {
        let cell = "长".repeat(32_767);
        let d = Diagnostic::new(Code::InvalidStatus, format!("状态“{cell}”\u{FFFE}不在允许值中"))
            .hint(cell.clone())
            .at(cell.clone());
        assert!(d.message.chars().count() <= MAX_MESSAGE_CHARS);
        assert!(d.message.contains('…'));
        assert!(d.message.starts_with("状态“") && d.message.ends_with("”不在允许值中"));
        assert!(d.suggestion.as_deref().unwrap_or("").chars().count() <= MAX_MESSAGE_CHARS);
        assert!(d.location.as_deref().unwrap_or("").chars().count() <= MAX_FIELD_CHARS);
        let short = Diagnostic::new(Code::InvalidStatus, "a\u{FFFF}b");
        assert_eq!(short.message, "ab");
        assert_eq!(quote(&cell).chars().count(), 60);
    }

    #[test]
    fn codes_serialise_as_kebab_case() {
        let json = serde_json::to_string(&Code::StatusPercentMismatch).unwrap();
        assert_eq!(json, "\"status-percent-mismatch\"");
        for code in Code::ALL {
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        assert_eq!(Code::ALL.len(), 26);
    }
}
