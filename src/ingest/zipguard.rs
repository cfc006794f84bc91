//! Zip package pre-checks, run before any reader sees an Office Open XML or OpenDocument
//! package: entry count, inflated size per part and per file (measured while inflating, never
//! trusting declared sizes), CRC, XML nesting depth, DTD entity declarations, truncated XML,
//! cells beyond the row/column limits and a lying shared-string count (both of which make
//! calamine allocate without bound).
//!
//! Every part is inflated once through a counting reader and XML parts are tokenised with
//! quick-xml. The inflated parts are handed on ([`Parts`]) so the readers do not inflate them
//! again; past [`MAX_RETAINED_BYTES`] they are dropped and the readers inflate for themselves.

use super::IngestError;
use crate::config::Limits;
use quick_xml::events::{BytesStart, Event};
use std::cell::Cell;
use std::io::{BufRead, BufReader, Cursor, Read};

/// How many more shared strings than it holds a table may declare before it is rejected
/// (calamine reserves the declared count up front).
const SST_COUNT_SLACK: u64 = 10_000;

/// Inflated parts kept for the readers, at most this many bytes per package; a larger
/// package is checked all the same but its parts are not kept.
pub const MAX_RETAINED_BYTES: u64 = 16 << 20;

/// The inflated parts of a checked package, in archive order, with their names as stored.
#[derive(Debug, Default)]
pub struct Parts {
    entries: Vec<(String, Vec<u8>)>,
}

impl Parts {
    /// The bytes of the part named `name` (compared without a leading `/`, ignoring ASCII
    /// case, as Office does).
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.entries
            .iter()
            .find(|(n, _)| n.trim_start_matches('/').eq_ignore_ascii_case(name))
            .map(|(_, bytes)| bytes.as_slice())
    }

    /// The parts: name as stored, inflated bytes.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.entries.iter().map(|(n, b)| (n.as_str(), b.as_slice()))
    }

    /// The same parts in a zip without compression, for readers that open zip archives
    /// (reading it back costs a copy and a checksum instead of a second inflation).
    pub fn stored_zip(&self) -> Option<Vec<u8>> {
        use std::io::Write;
        let size: usize = self
            .entries
            .iter()
            .map(|(n, b)| b.len() + 2 * n.len() + 100)
            .sum();
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(size + 100)));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored)
            .large_file(size as u64 >= u64::from(u32::MAX));
        for (name, bytes) in &self.entries {
            writer.start_file(name.as_str(), options).ok()?;
            writer.write_all(bytes).ok()?;
        }
        Some(writer.finish().ok()?.into_inner())
    }
}

/// Checks a zip package against `limits` by inflating every part. `Ok` means the package is
/// safe to hand to a reader; an error names the limit that was exceeded. The inflated parts
/// come back when the package is small enough to keep them ([`MAX_RETAINED_BYTES`]) and every
/// part name is text.
pub fn check_package(bytes: &[u8], limits: &Limits) -> Result<Option<Parts>, IngestError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| corrupt_package())?;
    if archive.len() > limits.max_zip_entries {
        return Err(IngestError::unreadable(format!(
            "压缩包内部件过多（{} 个，超过上限 {} 个，配置项 limits.max_zip_entries）",
            archive.len(),
            limits.max_zip_entries
        )));
    }
    let mut inflated = 0u64;
    let mut kept = Some(Parts::default());
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(|e| unreadable_entry(&e))?;
        if entry.is_dir() {
            continue;
        }
        let stored_name = entry.name().ok().map(|n| n.into_owned());
        let declared = entry.size();
        let name = stored_name.clone().unwrap_or_else(|| format!("#{index}"));
        let budget = Budget::for_part(limits, inflated);
        let count = Cell::new(0u64);
        let mut reader = Bounded {
            inner: entry,
            count: &count,
            budget: budget.bytes,
        };
        // Kept parts are read whole, but never more than the room left for keeping: a part
        // that does not fit is checked by streaming the rest, so memory stays bounded.
        let room = if kept.is_some() && stored_name.is_some() {
            MAX_RETAINED_BYTES.saturating_sub(inflated)
        } else {
            0
        };
        let mut head = Vec::with_capacity(usize::try_from(declared.min(room)).unwrap_or(0));
        let outcome = match (&mut reader).take(room.saturating_add(1)).read_to_end(&mut head) {
            Err(_) => Err(PartError::Io),
            Ok(n) if room > 0 && (n as u64) <= room => {
                inspect_inflated(&name, &head, limits).map(|()| Some(head))
            }
            Ok(_) => inspect_part(&name, Cursor::new(head).chain(reader), limits).map(|()| None),
        };
        inflated += count.get();
        match outcome {
            Err(PartError::Io) if count.get() > budget.bytes => {
                return Err(budget.exceeded(&name, limits));
            }
            Err(err) => return Err(err.into_ingest(&name, limits)),
            Ok(Some(part)) => {
                if let (Some(parts), Some(stored)) = (kept.as_mut(), stored_name) {
                    parts.entries.push((stored, part));
                }
            }
            Ok(None) => kept = None,
        }
    }
    Ok(kept)
}

/// Which inflation limit applies to the next part, and how much of it is left.
struct Budget {
    bytes: u64,
    per_part: bool,
}

impl Budget {
    fn for_part(limits: &Limits, inflated_so_far: u64) -> Budget {
        let left = limits.max_inflated_bytes.saturating_sub(inflated_so_far);
        Budget {
            bytes: left.min(limits.max_part_bytes),
            per_part: limits.max_part_bytes <= left,
        }
    }

    fn exceeded(&self, part: &str, limits: &Limits) -> IngestError {
        if self.per_part {
            IngestError::unreadable(format!(
                "压缩包内部件“{part}”解压后超过上限 {}（配置项 limits.max_part_bytes），可能是压缩炸弹",
                mib(limits.max_part_bytes)
            ))
        } else {
            IngestError::unreadable(format!(
                "文件解压后总大小超过上限 {}（配置项 limits.max_inflated_bytes），可能是压缩炸弹",
                mib(limits.max_inflated_bytes)
            ))
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{} MiB", bytes >> 20)
}

fn corrupt_package() -> IngestError {
    IngestError::unreadable("文件已损坏（压缩包结构不完整，可能未完整保存或传输中断）")
}

fn unreadable_entry(err: &zip::result::ZipError) -> IngestError {
    match err {
        zip::result::ZipError::UnsupportedArchive(_) => {
            IngestError::unreadable("压缩包使用了不支持的压缩方式或加密方式")
        }
        _ => corrupt_package(),
    }
}

/// A reader that counts what passes through and fails once more than `budget` bytes came.
struct Bounded<'a, R> {
    inner: R,
    count: &'a Cell<u64>,
    budget: u64,
}

impl<R: Read> Read for Bounded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let allowed = (self.budget + 1).saturating_sub(self.count.get());
        let cap = buf.len().min(usize::try_from(allowed).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..cap])?;
        self.count.set(self.count.get() + n as u64);
        if self.count.get() > self.budget {
            return Err(std::io::Error::other("inflation limit exceeded"));
        }
        Ok(n)
    }
}

/// What is wrong with one part.
#[derive(Debug, PartialEq)]
enum PartError {
    /// Inflation failed (corrupt data, CRC) or hit the size budget.
    Io,
    /// The document ends inside an element.
    Truncated,
    /// Nesting deeper than the limit.
    TooDeep,
    /// A DTD declaring entities (entity expansion, external entities).
    Entities,
    /// A cell with a value beyond the row limit.
    TooManyRows,
    /// A cell with a value beyond the column limit.
    TooManyCols,
    /// A shared-string table declaring far more strings than it holds.
    StringCount { declared: u64, found: u64 },
}

impl PartError {
    fn into_ingest(self, part: &str, limits: &Limits) -> IngestError {
        IngestError::unreadable(match self {
            PartError::Io => format!("文件已损坏（压缩包内部件“{part}”无法解压或校验失败）"),
            PartError::Truncated => {
                format!("文件已损坏（部件“{part}”的 XML 不完整或结构错误，可能未完整保存）")
            }
            PartError::TooDeep => format!(
                "部件“{part}”的 XML 嵌套超过上限 {} 层（配置项 limits.max_xml_depth）",
                limits.max_xml_depth
            ),
            PartError::Entities => {
                format!("部件“{part}”包含 DTD 实体声明（可能是实体扩展或外部实体攻击），已拒绝读取")
            }
            PartError::TooManyRows => format!(
                "工作表“{part}”的行数超过上限 {} 行（配置项 limits.max_rows）",
                limits.max_rows
            ),
            PartError::TooManyCols => format!(
                "工作表“{part}”的列数超过上限 {} 列（配置项 limits.max_cols）",
                limits.max_cols
            ),
            PartError::StringCount { declared, found } => {
                format!("部件“{part}”声明了 {declared} 个共享字符串，实际只有 {found} 个（文件构造异常）")
            }
        })
    }
}

/// What kind of checks a part gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    /// Not XML: only inflated.
    Binary,
    /// Any XML part: depth, DTD, completeness.
    Xml,
    /// An xlsx worksheet: also cell positions.
    Worksheet,
    /// The xlsx shared-string table: also the declared count.
    SharedStrings,
    /// An OpenDocument `content.xml`: must also be well-formed (mismatched or unmatched end
    /// tags make calamine's ods reader loop forever).
    OdsContent,
}

fn part_kind(name: &str) -> PartKind {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("xl/worksheets/") && lower.ends_with(".xml") {
        PartKind::Worksheet
    } else if lower == "xl/sharedstrings.xml" {
        PartKind::SharedStrings
    } else if lower == "content.xml" {
        PartKind::OdsContent
    } else if [".xml", ".rels", ".vml"].iter().any(|e| lower.ends_with(e)) {
        PartKind::Xml
    } else {
        PartKind::Binary
    }
}

fn inspect_part(name: &str, mut reader: impl Read, limits: &Limits) -> Result<(), PartError> {
    match part_kind(name) {
        PartKind::Binary => std::io::copy(&mut reader, &mut std::io::sink())
            .map(|_| ())
            .map_err(|_| PartError::Io),
        kind => scan_xml(BufReader::new(reader), kind, limits),
    }
}

/// [`inspect_part`] for a part already inflated into memory: the tokenizer borrows from it
/// instead of copying every event.
fn inspect_inflated(name: &str, part: &[u8], limits: &Limits) -> Result<(), PartError> {
    let kind = part_kind(name);
    if kind == PartKind::Binary || is_utf16(part) {
        return Ok(());
    }
    let mut reader = quick_xml::Reader::from_reader(part);
    configure(&mut reader, kind);
    let strict = kind == PartKind::OdsContent;
    let mut state = ScanState::new(kind, limits);
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => return state.finish(),
            Ok(event) => state.on_event(&event)?,
            Err(quick_xml::Error::Io(_)) => return Err(PartError::Io),
            Err(quick_xml::Error::Syntax(_)) => return Err(PartError::Truncated),
            Err(quick_xml::Error::IllFormed(_)) if strict => return Err(PartError::Truncated),
            // Not XML the tokenizer accepts: its size counted; the reader decides the rest.
            Err(_) => return Ok(()),
        }
    }
}

/// The tokenizer settings of a part kind: end tags checked only where calamine needs them.
fn configure<R>(reader: &mut quick_xml::Reader<R>, kind: PartKind) {
    let strict = kind == PartKind::OdsContent;
    let config = reader.config_mut();
    config.check_end_names = strict;
    config.allow_unmatched_ends = !strict;
    config.check_comments = false;
}

/// Tokenises one XML part, checking depth, DTD and, per kind, cells or string counts.
fn scan_xml(mut input: impl BufRead, kind: PartKind, limits: &Limits) -> Result<(), PartError> {
    if is_utf16(input.fill_buf().map_err(|_| PartError::Io)?) {
        return drain(input);
    }
    let mut reader = quick_xml::Reader::from_reader(input);
    configure(&mut reader, kind);
    let strict = kind == PartKind::OdsContent;
    let mut state = ScanState::new(kind, limits);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Eof) => return state.finish(),
            Ok(event) => state.on_event(&event)?,
            Err(quick_xml::Error::Io(_)) => return Err(PartError::Io),
            Err(quick_xml::Error::Syntax(_)) => return Err(PartError::Truncated),
            Err(quick_xml::Error::IllFormed(_)) if strict => return Err(PartError::Truncated),
            Err(_) => return drain(reader.into_inner()),
        }
    }
}

/// UTF-16 XML (a byte-order mark, or NULs among the first bytes), which the tokenizer does not
/// read; such parts (e.g. `customXml/item1.xml` written by Excel) are only inflated.
fn is_utf16(head: &[u8]) -> bool {
    head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) || head.iter().take(4).any(|b| *b == 0)
}

/// Reads the rest of a part without looking at it, for XML the tokenizer does not accept
/// (another encoding, ill-formed markup): its size still counts; the reader decides the rest.
fn drain(mut rest: impl BufRead) -> Result<(), PartError> {
    std::io::copy(&mut rest, &mut std::io::sink())
        .map(|_| ())
        .map_err(|_| PartError::Io)
}

/// Position and counters while scanning one part.
struct ScanState<'a> {
    kind: PartKind,
    limits: &'a Limits,
    depth: usize,
    cells: CellTracker,
    declared_strings: Option<u64>,
    found_strings: u64,
}

impl<'a> ScanState<'a> {
    fn new(kind: PartKind, limits: &'a Limits) -> Self {
        ScanState {
            kind,
            limits,
            depth: 0,
            cells: CellTracker::default(),
            declared_strings: None,
            found_strings: 0,
        }
    }

    fn on_event(&mut self, event: &Event) -> Result<(), PartError> {
        match event {
            Event::Start(e) => {
                self.depth += 1;
                if self.depth > self.limits.max_xml_depth {
                    return Err(PartError::TooDeep);
                }
                self.on_element(e, false)
            }
            Event::Empty(e) => self.on_element(e, true),
            Event::End(e) => {
                self.depth = self.depth.saturating_sub(1);
                if self.kind == PartKind::Worksheet && e.local_name().into_inner() == "c" {
                    self.cells.in_cell = false;
                }
                Ok(())
            }
            Event::DocType(text) if declares_entities(text.as_bytes()) => Err(PartError::Entities),
            _ => Ok(()),
        }
    }

    fn on_element(&mut self, e: &BytesStart, empty: bool) -> Result<(), PartError> {
        match self.kind {
            PartKind::Worksheet => self.cells.on_element(e, empty, self.limits),
            PartKind::SharedStrings => {
                self.count_string(e);
                Ok(())
            }
            PartKind::Xml | PartKind::OdsContent | PartKind::Binary => Ok(()),
        }
    }

    fn count_string(&mut self, e: &BytesStart) {
        match e.local_name().into_inner() {
            "si" => self.found_strings += 1,
            "sst" => {
                self.declared_strings = attribute(e, "uniqueCount").and_then(|v| v.parse().ok());
            }
            _ => {}
        }
    }

    fn finish(self) -> Result<(), PartError> {
        if self.depth > 0 {
            return Err(PartError::Truncated);
        }
        match self.declared_strings {
            Some(declared) if declared > self.found_strings + SST_COUNT_SLACK => {
                Err(PartError::StringCount {
                    declared,
                    found: self.found_strings,
                })
            }
            _ => Ok(()),
        }
    }
}

/// A DOCTYPE's content declares entities.
fn declares_entities(doctype: &[u8]) -> bool {
    doctype.windows(8).any(|w| w.eq_ignore_ascii_case(b"<!ENTITY"))
}

/// The value of an attribute by local name, as text.
fn attribute(e: &BytesStart, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == local)
        .map(|a| a.value.into_owned())
}

/// Follows `<row>`/`<c>` positions (explicit `r` attributes or implicit succession) and checks
/// every cell that holds a value (`<v>` or `<is>`) against the limits.
#[derive(Debug, Default)]
struct CellTracker {
    /// 1-based number of the current row (0 before the first).
    row: u64,
    /// 1-based number of the current cell's column (0 before the first in the row).
    col: u64,
    in_cell: bool,
}

impl CellTracker {
    fn on_element(&mut self, e: &BytesStart, empty: bool, limits: &Limits) -> Result<(), PartError> {
        match e.local_name().into_inner() {
            "row" => {
                self.row = attribute(e, "r")
                    .and_then(|r| r.trim().parse().ok())
                    .unwrap_or(self.row + 1);
                self.col = 0;
            }
            "c" => {
                let (row, col) = attribute(e, "r")
                    .and_then(|r| parse_a1(&r))
                    .unwrap_or((self.row.max(1), self.col + 1));
                self.row = row;
                self.col = col;
                self.in_cell = !empty;
            }
            "v" | "is" if self.in_cell => return self.check(limits),
            _ => {}
        }
        Ok(())
    }

    fn check(&self, limits: &Limits) -> Result<(), PartError> {
        if self.row > u64::from(limits.max_rows) {
            Err(PartError::TooManyRows)
        } else if self.col > u64::from(limits.max_cols) {
            Err(PartError::TooManyCols)
        } else {
            Ok(())
        }
    }
}

/// `B7` -> (7, 2), 1-based; `None` for anything else. Saturates instead of overflowing.
fn parse_a1(reference: &str) -> Option<(u64, u64)> {
    let reference = reference.trim();
    let split = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = reference.split_at(split);
    if letters.is_empty() || !letters.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let col = letters.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(26)
            .saturating_add(u64::from(b.to_ascii_uppercase() - b'A' + 1))
    });
    let row = digits.bytes().fold(0u64, |acc, b| {
        acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
    });
    Some((row, col))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn package(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        for (name, data) in parts {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    #[test]
    fn checked_parts_are_kept_for_the_readers_up_to_a_limit() {
        let small = package(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook/>"),
        ]);
        let parts = check_package(&small, &Limits::default()).unwrap().expect("kept");
        assert_eq!(parts.get("XL/Workbook.xml"), Some(&b"<workbook/>"[..]));
        let stored = parts.stored_zip().unwrap();
        let mut again = zip::ZipArchive::new(Cursor::new(stored)).unwrap();
        let mut text = String::new();
        again
            .by_name("xl/workbook.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, "<workbook/>");
        let big = vec![b' '; (MAX_RETAINED_BYTES + 1) as usize];
        let large = package(&[("media/blank.bin", &big), ("xl/workbook.xml", b"<workbook/>")]);
        assert!(check_package(&large, &Limits::default()).unwrap().is_none());
    }

    fn message(bytes: &[u8], limits: &Limits) -> String {
        match check_package(bytes, limits) {
            Ok(_) => "ok".into(),
            Err(e) => e.to_string(),
        }
    }

    fn sheet(cells: &str) -> Vec<u8> {
        format!("<?xml version=\"1.0\"?><worksheet xmlns=\"x\"><sheetData>{cells}</sheetData></worksheet>")
            .into_bytes()
    }

    #[test]
    fn ordinary_packages_pass() {
        let bytes = package(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("xl/workbook.xml", b"<workbook><sheets/></workbook>"),
            (
                "xl/worksheets/sheet1.xml",
                &sheet("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>"),
            ),
            ("xl/media/image1.png", &[0x89, b'P', b'N', b'G', 0, 1, 2]),
        ]);
        assert_eq!(message(&bytes, &Limits::default()), "ok");
    }

    #[test]
    fn inflated_size_is_measured_not_declared() {
        let zeros = vec![b' '; 300_000];
        let bytes = package(&[("xl/styles.xml", &zeros)]);
        let limits = Limits {
            max_part_bytes: 100_000,
            ..Limits::default()
        };
        let m = message(&bytes, &limits);
        assert!(m.contains("limits.max_part_bytes"), "{m}");
        let limits = Limits {
            max_inflated_bytes: 100_000,
            ..Limits::default()
        };
        let m = message(&bytes, &limits);
        assert!(m.contains("limits.max_inflated_bytes"), "{m}");
    }

    #[test]
    fn too_many_entries_name_the_limit() {
        let names: Vec<String> = (0..30).map(|i| format!("p{i}.bin")).collect();
        let parts: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let limits = Limits {
            max_zip_entries: 10,
            ..Limits::default()
        };
        assert!(message(&package(&parts), &limits).contains("limits.max_zip_entries"));
    }

    #[test]
    fn entity_declarations_are_rejected() {
        let laughs = b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><lolz>&lol2;</lolz>";
        let m = message(&package(&[("word/document.xml", laughs)]), &Limits::default());
        assert!(m.contains("DTD"), "{m}");
        let xxe =
            b"<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><r>&x;</r>";
        let m = message(&package(&[("xl/sharedStrings.xml", xxe)]), &Limits::default());
        assert!(m.contains("DTD"), "{m}");
    }

    #[test]
    fn deep_and_truncated_xml_is_rejected() {
        let deep = format!("{}{}", "<a>".repeat(10_000), "</a>".repeat(10_000));
        let m = message(
            &package(&[("word/document.xml", deep.as_bytes())]),
            &Limits::default(),
        );
        assert!(m.contains("limits.max_xml_depth"), "{m}");
        let cut = b"<document><body><p>text";
        let m = message(&package(&[("content.xml", cut)]), &Limits::default());
        assert!(m.contains("不完整"), "{m}");
    }

    #[test]
    fn cells_beyond_the_limits_are_rejected_before_calamine_sees_them() {
        let far = sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1048576\"><v>1</v></c></row>");
        let m = message(
            &package(&[("xl/worksheets/sheet1.xml", &far)]),
            &Limits::default(),
        );
        assert!(m.contains("limits.max_rows"), "{m}");
        let wide = sheet("<row><c r=\"ZZ1\"><v>1</v></c></row>");
        let m = message(
            &package(&[("xl/worksheets/sheet1.xml", &wide)]),
            &Limits::default(),
        );
        assert!(m.contains("limits.max_cols"), "{m}");
        let styled_only = sheet("<row r=\"1048576\"><c r=\"XFD1048576\" s=\"1\"/></row>");
        assert_eq!(
            message(
                &package(&[("xl/worksheets/sheet1.xml", &styled_only)]),
                &Limits::default()
            ),
            "ok"
        );
    }

    #[test]
    fn implicit_positions_are_counted() {
        let rows = "<row><c><v>1</v></c></row>".repeat(12);
        let limits = Limits {
            max_rows: 10,
            ..Limits::default()
        };
        let m = message(&package(&[("xl/worksheets/sheet1.xml", &sheet(&rows))]), &limits);
        assert!(m.contains("limits.max_rows"), "{m}");
    }

    #[test]
    fn lying_shared_string_counts_are_rejected() {
        let sst = b"<sst count=\"4000000000\" uniqueCount=\"4000000000\"><si><t>a</t></si></sst>";
        let m = message(&package(&[("xl/sharedStrings.xml", sst)]), &Limits::default());
        assert!(m.contains("4000000000"), "{m}");
    }

    #[test]
    fn corrupt_data_fails_the_crc() {
        let mut bytes = package(&[("xl/workbook.xml", b"<workbook>hello hello hello</workbook>")]);
        let at = bytes.windows(5).position(|w| w == b"xl/wo").unwrap() + 30;
        bytes[at] ^= 0x55;
        assert!(check_package(&bytes, &Limits::default()).is_err());
    }

    #[test]
    fn utf16_parts_are_only_inflated() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                "<?xml version=\"1.0\" encoding=\"utf-16\"?><a><b/></a>"
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let bytes = package(&[("customXml/item1.xml", &utf16)]);
        assert_eq!(message(&bytes, &Limits::default()), "ok");
    }

    #[test]
    fn ods_content_with_mismatched_tags_is_rejected() {
        // Found by fuzzing: calamine's ods reader loops forever on this content.xml.
        let content = b"<office:document-content><office:body><office:spreadsheet><table:table><table::named-range/></table:named-expressions></office:spreadsheet></office:body></office:document-content>";
        let bytes = package(&[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", content),
        ]);
        let m = message(&bytes, &Limits::default());
        assert!(m.contains("content.xml"), "{m}");
        let good = b"<office:document-content><office:body><office:spreadsheet/></office:body></office:document-content>";
        let bytes = package(&[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", good),
        ]);
        assert!(check_package(&bytes, &Limits::default()).is_ok());
    }

    #[test]
    fn a1_references_parse() {
        assert_eq!(parse_a1("B7"), Some((7, 2)));
        assert_eq!(parse_a1("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(parse_a1("7"), None);
        assert_eq!(parse_a1("B"), None);
        assert!(parse_a1("A99999999999999999999999").is_some());
    }
}
