//! Loading one inbox file: read its bytes once (size and SHA-256 on the way), parse them in
//! the worker pool, and keep what the file system said — never failing, since every problem
//! becomes the file's own error.

use super::discover::FileId;
use super::pool::Input;
use super::{ingest_bytes, Block, Candidate, CellValue, Content, FileKind, Grid, IngestError, Ingested};
use crate::config::Limits;
use crate::diag::{paragraph_ref, Code, Diagnostic, Level};
use chrono::{NaiveDate, NaiveDateTime};
use sha2::{Digest, Sha256};
use std::fs::{File, Metadata};
use std::io::{self, Read};

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
    let opened = open_checked(candidate);
    let modified_at = opened
        .as_ref()
        .ok()
        .and_then(|(_, meta)| meta.modified().ok())
        .map(|t| chrono::DateTime::<chrono::Local>::from(t).naive_local());
    let modified = modified_at.map(|t| t.date());
    let (size, sha256, ingested) =
        match opened.and_then(|(file, meta)| read_bounded(file, &meta, limits.max_file_bytes)) {
            Ok(input) => (
                input.size,
                input.sha256,
                super::pool::Pool::global().ingest(file_name(&candidate.rel), &input.bytes, limits),
            ),
            Err(failure) => (failure.size(), String::new(), Err(failure.into_error(limits))),
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

/// Why a file's bytes were not read.
#[derive(Debug)]
pub enum ReadFailure {
    /// The file could not be opened or read (a symbolic link swapped in is refused here).
    Io(io::Error),
    /// Not a regular file (a FIFO, a device, a folder).
    NotRegular,
    /// Not the file discovered: replaced since.
    Swapped,
    /// Larger than `limits.max_file_bytes`; the size seen.
    TooLarge(u64),
}

impl ReadFailure {
    /// The size to record in the manifest.
    fn size(&self) -> u64 {
        match self {
            ReadFailure::TooLarge(size) => *size,
            _ => 0,
        }
    }

    /// The file's error.
    pub fn into_error(self, limits: &Limits) -> IngestError {
        IngestError::unreadable(match self {
            ReadFailure::Io(e) if is_link_refusal(&e) => {
                "文件在发现后被替换为链接，未读取".to_owned()
            }
            ReadFailure::Io(e) => format!("无法打开文件（{e}）"),
            ReadFailure::NotRegular => "不是普通文件（可能在发现后被替换），未读取".to_owned(),
            ReadFailure::Swapped => "文件在发现后被替换，未读取".to_owned(),
            ReadFailure::TooLarge(size) => format!(
                "文件大小（{} MiB）超过上限（{} MiB，配置项 limits.max_file_bytes），未读取，清单不记录其摘要",
                size.div_ceil(1 << 20),
                limits.max_file_bytes >> 20
            ),
        })
    }
}

/// Whether an open failed because the path is a symbolic link (`O_NOFOLLOW`).
fn is_link_refusal(e: &io::Error) -> bool {
    #[cfg(unix)]
    {
        e.raw_os_error() == Some(libc::ELOOP)
    }
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// Opens a candidate without following links and without blocking, and checks that what
/// was opened is a regular file, the one discovered.
pub fn open_checked(candidate: &Candidate) -> Result<(File, Metadata), ReadFailure> {
    let file = open_no_follow(&candidate.path).map_err(ReadFailure::Io)?;
    let meta = file.metadata().map_err(ReadFailure::Io)?;
    if !meta.is_file() {
        return Err(ReadFailure::NotRegular);
    }
    if candidate.id.is_some() && FileId::of(&meta) != candidate.id {
        return Err(ReadFailure::Swapped);
    }
    Ok((file, meta))
}

#[cfg(unix)]
fn open_no_follow(path: &std::path::Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
}

#[cfg(windows)]
fn open_no_follow(path: &std::path::Path) -> io::Result<File> {
    use std::os::windows::fs::OpenOptionsExt;
    /// Opens a reparse point (link) itself rather than its target.
    const FILE_FLAG_OPEN_REPARSE_POINT: u32 = 0x0020_0000;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(FILE_FLAG_OPEN_REPARSE_POINT)
        .open(path)
}

#[cfg(not(any(unix, windows)))]
fn open_no_follow(path: &std::path::Path) -> io::Result<File> {
    File::open(path)
}

/// Reads an opened file once: refused by its size before any byte is read when over `max`,
/// and never read or hashed past `max` (a file that grows meanwhile is refused too).
pub fn read_bounded(file: File, meta: &Metadata, max: u64) -> Result<Input, ReadFailure> {
    if meta.len() > max {
        return Err(ReadFailure::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadFailure::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadFailure::TooLarge(bytes.len() as u64));
    }
    let sha256 = crate::digest::hex(&Sha256::digest(&bytes));
    Ok(Input {
        size: bytes.len() as u64,
        bytes,
        sha256,
    })
}

/// Parses bytes in this process, turning a panic into the file's error. The worker runs
/// this; so do fuzzing and library users that need no process isolation.
pub fn ingest_guarded(name: &str, bytes: &[u8], limits: &Limits) -> Result<Ingested, IngestError> {
    std::panic::catch_unwind(|| ingest_bytes(name, bytes, limits).map(bound))
        .unwrap_or_else(|_| Err(IngestError::unreadable("解析文件时发生内部错误，文件可能已损坏")))
}

/// Longest text kept in one cell or paragraph, in characters (Excel's own cell maximum).
pub const MAX_TEXT_CHARS: usize = 32_767;

/// What replaces the end of a text cut at [`MAX_TEXT_CHARS`].
pub const TRUNCATED: &str = "…（已截断）";

/// Bounds what a parsed file may become before it leaves the worker: every text cut at
/// [`MAX_TEXT_CHARS`] (with a note where), and merged ranges clipped to the cells used.
pub fn bound(mut ingested: Ingested) -> Ingested {
    let mut notes = Vec::new();
    match &mut ingested.content {
        Content::Workbook(grids) => grids.iter_mut().for_each(|g| bound_grid(g, &mut notes)),
        Content::Document(doc) => {
            for block in &mut doc.blocks {
                match block {
                    Block::Table(grid) => bound_grid(grid, &mut notes),
                    Block::Paragraph(p) => {
                        if cut_text(&mut p.text) {
                            notes.push(cut_note(paragraph_ref(p.index), Level::Info, "段落"));
                        }
                    }
                }
            }
        }
    }
    ingested.notes.extend(notes);
    ingested
}

/// Cuts a grid's texts and clips its merges to the rows and columns that hold cells.
fn bound_grid(grid: &mut Grid, notes: &mut Vec<Diagnostic>) {
    let mut cut_at = Vec::new();
    for (r, row) in grid.rows.iter_mut().enumerate() {
        for (c, cell) in row.iter_mut().enumerate() {
            if let CellValue::Text(t) | CellValue::Error(t) | CellValue::Formula(t) = cell {
                if cut_text(t) {
                    cut_at.push((r, c));
                }
            }
        }
    }
    notes.extend(
        cut_at
            .into_iter()
            .map(|(r, c)| cut_note(grid.location(r, c), Level::Warning, "单元格")),
    );
    clip_merges(grid);
}

/// Merged ranges only within the cells the sheet uses: a range declared over the whole
/// sheet (`I1:XFD1048576`) cannot make a small file fill millions of cells downstream.
fn clip_merges(grid: &mut Grid) {
    let rows = grid.rows.len() as u32;
    let cols = grid.rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
    grid.merges.retain(|m| m.first_row < rows && m.first_col < cols);
    for m in &mut grid.merges {
        m.last_row = m.last_row.min(rows.saturating_sub(1));
        m.last_col = m.last_col.min(cols.saturating_sub(1));
    }
}

/// Cuts a `text` longer than [`MAX_TEXT_CHARS`] characters to that length, [`TRUNCATED`]
/// included; true when cut.
fn cut_text(text: &mut String) -> bool {
    if text.len() <= MAX_TEXT_CHARS || text.chars().nth(MAX_TEXT_CHARS).is_none() {
        return false;
    }
    let keep = MAX_TEXT_CHARS - TRUNCATED.chars().count();
    match text.char_indices().nth(keep) {
        Some((end, _)) => {
            text.truncate(end);
            text.push_str(TRUNCATED);
            true
        }
        None => false,
    }
}

fn cut_note(location: String, level: Level, what: &str) -> Diagnostic {
    Diagnostic::new(
        Code::UnreadableFile,
        format!("{what}文字超过 {MAX_TEXT_CHARS} 字，超出部分已截断"),
    )
    .level(level)
    .at(location)
    .hint("请精简文字，或将详细材料作为附件另行报送")
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
    fn long_texts_are_cut_within_excel_s_limit() {
        let mut text = "长".repeat(40_000);
        assert!(cut_text(&mut text));
        assert_eq!(text.chars().count(), MAX_TEXT_CHARS);
        assert!(text.ends_with(TRUNCATED));
        let mut short = "短".repeat(MAX_TEXT_CHARS);
        assert!(!cut_text(&mut short));
    }

    #[test]
    fn merges_are_clipped_to_the_cells_used() {
        let mut grid = Grid {
            name: "表".into(),
            hidden: false,
            style: super::super::RefStyle::A1,
            rows: vec![vec![CellValue::Text("a".into()); 3]; 2],
            merges: vec![
                super::super::Merge {
                    first_row: 0,
                    first_col: 1,
                    last_row: 1_048_575,
                    last_col: 16_383,
                },
                super::super::Merge {
                    first_row: 5,
                    first_col: 0,
                    last_row: 9,
                    last_col: 0,
                },
            ],
            hidden_rows: Vec::new(),
            running_numbers: Vec::new(),
            hidden_cols: Vec::new(),
        };
        clip_merges(&mut grid);
        assert_eq!(grid.merges.len(), 1);
        assert_eq!((grid.merges[0].last_row, grid.merges[0].last_col), (1, 2));
    }

    #[cfg(unix)]
    #[test]
    fn files_swapped_after_discovery_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.xlsx");
        std::fs::write(&path, b"PK").unwrap();
        let candidate = Candidate::new("a.xlsx".into(), path.clone());
        assert!(open_checked(&candidate).is_ok());
        let outside = dir.path().join("outside.xlsx");
        std::fs::write(&outside, b"secret").unwrap();
        std::fs::remove_file(&path).unwrap();
        std::os::unix::fs::symlink(&outside, &path).unwrap();
        assert!(matches!(open_checked(&candidate), Err(ReadFailure::Io(_))));
        std::fs::remove_file(&path).unwrap();
        let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        // SAFETY: mkfifo with a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o644) }, 0);
        assert!(matches!(open_checked(&candidate), Err(ReadFailure::NotRegular)));
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, b"PK").unwrap();
        let other = dir.path().join("b.xlsx");
        std::fs::write(&other, b"PK").unwrap();
        std::fs::rename(&other, &path).unwrap();
        assert!(matches!(open_checked(&candidate), Err(ReadFailure::Swapped)));
    }

    #[test]
    fn a_sparse_huge_file_is_refused_by_its_size_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.xlsx");
        std::fs::File::create(&path).unwrap().set_len(5 << 30).unwrap();
        let started = std::time::Instant::now();
        let loaded = load_file(&Candidate::new("big.xlsx".into(), path), &Limits::default());
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        assert_eq!(loaded.size, 5 << 30);
        assert!(loaded.sha256.is_empty());
        assert!(loaded
            .ingested
            .unwrap_err()
            .to_string()
            .contains("max_file_bytes"));
    }

    #[test]
    fn a_guarded_parse_of_nothing_is_an_error() {
        assert!(ingest_guarded("a.xlsx", b"", &Limits::default()).is_err());
    }
}
