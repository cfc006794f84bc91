//! Loading one inbox file: read its bytes once (size and SHA-256 on the way), parse them in
//! the worker pool, and keep what the file system said — never failing, since every problem
//! becomes the file's own error.

use super::{ingest_bytes, Candidate, FileKind, IngestError, Ingested};
use crate::config::Limits;
use chrono::{NaiveDate, NaiveDateTime};

/// One inbox file after reading and parsing, before validation.
#[derive(Debug)]
pub struct LoadedFile {
    /// Path relative to the inbox, `/`-separated.
    pub rel: String,
    /// Size in bytes (0 when it could not be read).
    pub size: u64,
    /// SHA-256, hex (empty when it could not be read).
    pub sha256: String,
    /// The file's modification day, when the file system tells.
    pub modified: Option<NaiveDate>,
    /// The file's modification time (local), when the file system tells: on the same day, the
    /// later file wins a resubmission (contract §4).
    pub modified_at: Option<NaiveDateTime>,
    /// What parsing made of it.
    pub ingested: Result<Ingested, IngestError>,
}

/// Reads one file's bytes and parses them in the worker pool. Never fails: problems become
/// the file's error.
pub fn load_file(candidate: &Candidate, limits: &Limits) -> LoadedFile {
    let modified_at = std::fs::metadata(&candidate.path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Local>::from(t).naive_local());
    let modified = modified_at.map(|t| t.date());
    let (size, sha256, ingested) = match super::pool::read_input(&candidate.path, limits.max_file_bytes) {
        Ok(input) => (
            input.size,
            input.sha256,
            super::pool::Pool::global().ingest(file_name(&candidate.rel), &input.bytes, limits),
        ),
        Err(e) => (
            0,
            String::new(),
            Err(IngestError::unreadable(format!("无法打开文件（{e}）"))),
        ),
    };
    LoadedFile {
        rel: candidate.rel.clone(),
        size,
        sha256,
        modified,
        modified_at,
        ingested,
    }
}

/// Parses bytes in this process, turning a panic into the file's error. The worker runs
/// this; so do fuzzing and library users that need no process isolation.
pub fn ingest_guarded(name: &str, bytes: &[u8], limits: &Limits) -> Result<Ingested, IngestError> {
    std::panic::catch_unwind(|| ingest_bytes(name, bytes, limits))
        .unwrap_or_else(|_| Err(IngestError::unreadable("解析文件时发生内部错误，文件可能已损坏")))
}

/// The last component of an inbox-relative path.
pub fn file_name(rel: &str) -> &str {
    rel.rsplit('/').next().unwrap_or(rel)
}

/// Whether a name has a legacy Word extension (`.doc`, WPS `.wps`).
pub fn is_legacy_word_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.ends_with(".doc") || lower.ends_with(".wps")
}

/// The kind a file is meant to be, from its name, for files that cannot be read at all.
pub fn kind_from_name(name: &str) -> FileKind {
    let lower = name.to_lowercase();
    if is_legacy_word_name(&lower) || lower.ends_with(".docx") || lower.ends_with(".docm") {
        FileKind::Report
    } else {
        FileKind::Spreadsheet
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_names() {
        assert_eq!(kind_from_name("a/报告.DOC"), FileKind::Report);
        assert_eq!(kind_from_name("报告.wps"), FileKind::Report);
        assert_eq!(kind_from_name("报告.docx"), FileKind::Report);
        assert_eq!(kind_from_name("表.xlsx"), FileKind::Spreadsheet);
        assert!(is_legacy_word_name("X.WPS"));
        assert!(!is_legacy_word_name("X.docx"));
        assert_eq!(file_name("2024Q2/a.xlsx"), "a.xlsx");
    }

    #[test]
    fn a_guarded_parse_of_nothing_is_an_error() {
        assert!(ingest_guarded("a.xlsx", b"", &Limits::default()).is_err());
    }
}
