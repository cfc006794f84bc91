//! Format detection by content, not extension: zip packages by their parts, OLE compound
//! files by their streams (including encrypted OOXML), and text formats that are not
//! spreadsheets at all (HTML or CSV saved with an `.xls` name); RTF, and HTML saved with a
//! Word name (`.doc`), are Word-processor documents.

use super::zipguard::Parts;
use super::IngestError;
use crate::config::Limits;
use std::io::Cursor;

/// A format roundup can read (or convert).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (xlsx, xlsm, and WPS files saved as xlsx).
    Xlsx,
    /// Excel binary workbook.
    Xlsb,
    /// OpenDocument spreadsheet.
    Ods,
    /// Excel 97–2003 (BIFF) workbook, also WPS `.et`.
    Xls,
    /// Word document (docx, docm).
    Docx,
    /// Word 97–2003 `.doc` or WPS `.wps`: needs conversion.
    LegacyWord,
    /// Rich Text Format (often saved with a `.doc` name): converted with LibreOffice.
    Rtf,
    /// A web page saved with a Word name (`.doc`, `.wps`; OA systems' “Word” exports, Word's
    /// 网页 format): converted with LibreOffice.
    WordHtml,
}

impl Format {
    /// What a Word-processor document that needs LibreOffice is, in Chinese, for the message
    /// given when LibreOffice is not installed (`None` for the formats read natively).
    pub fn needs_conversion(self) -> Option<&'static str> {
        match self {
            Format::Rtf => Some("RTF 格式的文档"),
            Format::WordHtml => Some("网页（HTML）格式的文档"),
            _ => None,
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Detects the format of `bytes`. `name` only breaks ties the content leaves open.
pub fn sniff(name: &str, bytes: &[u8], limits: &Limits) -> Result<Format, IngestError> {
    sniff_package(name, bytes, limits).map(|(format, _)| format)
}

/// [`sniff`], also returning a zip package's parts as the zip guard inflated them (when it
/// kept them), so that readers need not inflate them again.
pub fn sniff_package(
    name: &str,
    bytes: &[u8],
    limits: &Limits,
) -> Result<(Format, Option<Parts>), IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::unreadable("文件为空（0 字节）"));
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(IngestError::unreadable(format!(
            "文件大小超过上限（{} MiB）",
            limits.max_file_bytes >> 20
        )));
    }
    if bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(ZIP_EMPTY) {
        return sniff_zip(bytes, limits);
    }
    if bytes.starts_with(OLE_MAGIC) {
        return sniff_ole(name, bytes).map(|f| (f, None));
    }
    if let Some(format) = sniff_word_text(name, bytes) {
        return Ok((format, None));
    }
    Err(sniff_other(bytes))
}

/// RTF (by its `{\rtf` signature, whatever the name), or HTML under a Word name.
fn sniff_word_text(name: &str, bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(1024)];
    let start = head.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(head);
    let start = &start[start.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(0)..];
    if start.starts_with(b"{\\rtf") {
        return Some(Format::Rtf);
    }
    let lower = String::from_utf8_lossy(start).to_lowercase();
    let html = lower.starts_with("<!doctype html") || lower.starts_with("<html");
    (html && super::load::is_legacy_word_name(name)).then_some(Format::WordHtml)
}

fn sniff_zip(bytes: &[u8], limits: &Limits) -> Result<(Format, Option<Parts>), IngestError> {
    let parts = super::zipguard::check_package(bytes, limits)?;
    let format = match &parts {
        Some(parts) => {
            let types = parts
                .iter()
                .find(|(n, _)| is_content_types(n))
                .map(|(_, b)| &b[..b.len().min(CONTENT_TYPES_HEAD)]);
            zip_format(bytes, parts.iter().map(|(n, _)| n), types)
        }
        // The guard has checked the archive (entry count included) but did not keep its parts.
        None => {
            let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
                IngestError::unreadable("文件已损坏（压缩包结构不完整，可能未完整保存或传输中断）")
            })?;
            let types = content_types_head(&mut archive);
            let names: Vec<String> = archive
                .file_names()
                .filter_map(Result::ok)
                .map(|n| n.into_owned())
                .collect();
            zip_format(bytes, names.iter().map(String::as_str), types.as_deref())
        }
    }?;
    Ok((format, parts))
}

/// How much of `[Content_Types].xml` is read to find the main part's type.
const CONTENT_TYPES_HEAD: usize = 256 << 10;

fn is_content_types(name: &str) -> bool {
    name.trim_start_matches(['/', '\\']) == "[Content_Types].xml"
}

/// The package format from its part names and the head of its `[Content_Types].xml`.
fn zip_format<'n>(
    bytes: &[u8],
    names: impl Iterator<Item = &'n str>,
    content_types: Option<&[u8]>,
) -> Result<Format, IngestError> {
    // Zips made on Windows may write `xl\\workbook.xml`.
    let names: Vec<String> = names.map(|n| n.replace('\\', "/").to_lowercase()).collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if let Some(format) = content_types.and_then(main_part_format) {
        return Ok(format);
    }
    if has("xl/workbook.xml") {
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("word/document.xml") {
        Ok(Format::Docx)
    } else if has("content.xml") && is_ods_mimetype(bytes) {
        Ok(Format::Ods)
    } else if has("content.xml") {
        Err(IngestError::Unsupported {
            what: "OpenDocument 文本或其他非表格文档".into(),
            hint: "请另存为 .xlsx（进展表）或 .docx（工作报告）后报送".into(),
        })
    } else {
        Err(IngestError::Unsupported {
            what: "压缩包（不是 Office 文档）".into(),
            hint: "请直接报送 .xlsx 进展表或 .docx 工作报告，不要压缩".into(),
        })
    }
}

/// The format `[Content_Types].xml` declares for the package's main part (a workbook or
/// document stored under another path than the usual one).
fn main_part_format(head: &[u8]) -> Option<Format> {
    let types = String::from_utf8_lossy(head);
    const KINDS: [(&str, Format); 7] = [
        ("spreadsheetml.sheet.main+xml", Format::Xlsx),
        ("spreadsheetml.template.main+xml", Format::Xlsx),
        ("ms-excel.sheet.macroEnabled.main+xml", Format::Xlsx),
        ("ms-excel.sheet.binary.macroEnabled.main", Format::Xlsb),
        ("wordprocessingml.document.main+xml", Format::Docx),
        ("wordprocessingml.template.main+xml", Format::Docx),
        ("ms-word.document.macroEnabled.main+xml", Format::Docx),
    ];
    KINDS
        .iter()
        .find(|(kind, _)| types.contains(kind))
        .map(|(_, format)| *format)
}

/// The first [`CONTENT_TYPES_HEAD`] bytes of the package's `[Content_Types].xml`.
fn content_types_head(archive: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<Vec<u8>> {
    use std::io::Read;
    let index = archive
        .file_names()
        .position(|n| n.is_ok_and(|n| is_content_types(&n)))?;
    let entry = archive.by_index(index).ok()?;
    let mut head = Vec::new();
    entry
        .take(CONTENT_TYPES_HEAD as u64)
        .read_to_end(&mut head)
        .ok()?;
    Some(head)
}

/// ODF puts `mimetype` first and stored; its text is in the local header right after the name.
fn is_ods_mimetype(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(200)];
    contains(head, b"application/vnd.oasis.opendocument.spreadsheet") || !contains(head, b"mimetype")
}

fn sniff_ole(name: &str, bytes: &[u8]) -> Result<Format, IngestError> {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    if contains(bytes, &utf16("EncryptedPackage")) || contains(bytes, &utf16("EncryptionInfo")) {
        return Err(IngestError::Encrypted);
    }
    if contains(bytes, &utf16("WordDocument")) {
        return Ok(Format::LegacyWord);
    }
    let lower = name.to_lowercase();
    if super::load::is_legacy_word_name(&lower) {
        return Ok(Format::LegacyWord);
    }
    Ok(Format::Xls)
}

fn sniff_other(bytes: &[u8]) -> IngestError {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
    let trimmed = head.trim_start_matches('\u{feff}').trim_start();
    let office_text_hint = "请用 Excel 或 WPS 打开该文件，另存为 .xlsx 格式后重新报送".to_owned();
    if trimmed.starts_with("<!doctype html") || trimmed.starts_with("<html") || trimmed.contains("<table") {
        return IngestError::Unsupported {
            what: "网页（HTML）文件，只是扩展名为表格".into(),
            hint: office_text_hint,
        };
    }
    if trimmed.starts_with("<?xml") || trimmed.starts_with('<') {
        return IngestError::Unsupported {
            what: "XML 文件（不是 Office 文档）".into(),
            hint: office_text_hint,
        };
    }
    if bytes.starts_with(b"%PDF") {
        return IngestError::Unsupported {
            what: "PDF 文件".into(),
            hint: "请报送可编辑的 .xlsx 进展表或 .docx 工作报告".into(),
        };
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let is_text = std::str::from_utf8(sample).is_ok() || !sample.contains(&0);
    if is_text {
        return IngestError::Unsupported {
            what: "纯文本（CSV/TXT）文件".into(),
            hint: office_text_hint,
        };
    }
    IngestError::Unsupported {
        what: "无法识别的文件格式".into(),
        hint: "请报送 .xlsx/.xls/.ods 进展表或 .docx 工作报告".into(),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn rtf_or_html_with_a_doc_name_is_a_word_processor_document() {
        let limits = Limits::default();
        let rtf = b"{\\rtf1\\ansi\\deff4 {\\fonttbl}}";
        assert_eq!(sniff("边检站二季度报告.doc", rtf, &limits), Ok(Format::Rtf));
        assert_eq!(sniff("报告.rtf", rtf, &limits), Ok(Format::Rtf));
        let html = b"\xEF\xBB\xBF\n<!DOCTYPE html>\n<html><body><table></table></body></html>";
        assert_eq!(
            sniff("生态环境局二季度报告.doc", html, &limits),
            Ok(Format::WordHtml)
        );
        assert_eq!(sniff("报告.WPS", html, &limits), Ok(Format::WordHtml));
        // Under a spreadsheet name it stays a web page that is not a workbook.
        let err = sniff("进展表.xls", html, &limits).unwrap_err();
        assert!(err.to_string().contains("网页（HTML）"), "{err}");
        assert_eq!(Format::Rtf.needs_conversion(), Some("RTF 格式的文档"));
        assert_eq!(Format::Docx.needs_conversion(), None);
    }

    fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        for n in names {
            w.start_file(*n, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(b"<x/>").unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    fn code(r: Result<Format, IngestError>) -> &'static str {
        r.map(|_| "ok").unwrap_or_else(|e| e.code().as_str())
    }

    #[test]
    fn zip_packages_by_their_parts() {
        let l = Limits::default();
        assert_eq!(
            sniff("a.docx", &zip_with(&["xl/workbook.xml"]), &l).unwrap(),
            Format::Xlsx
        );
        assert_eq!(
            sniff("a.xlsx", &zip_with(&["word/document.xml"]), &l).unwrap(),
            Format::Docx
        );
        assert_eq!(
            sniff("a.xlsb", &zip_with(&["xl/workbook.bin"]), &l).unwrap(),
            Format::Xlsb
        );
        assert_eq!(
            code(sniff("a.xlsx", &zip_with(&["foo.txt"]), &l)),
            "unsupported-format"
        );
    }

    #[test]
    fn windows_paths_and_main_parts_elsewhere() {
        let l = Limits::default();
        assert_eq!(
            sniff("a.xlsx", &zip_with(&["xl\\workbook.xml"]), &l).unwrap(),
            Format::Xlsx
        );
        let mut buf = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        w.start_file("[Content_Types].xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(br#"<Types><Override PartName="/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#).unwrap();
        w.start_file("workbook.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"<x/>").unwrap();
        w.finish().unwrap();
        assert_eq!(sniff("a.xlsx", &buf.into_inner(), &l).unwrap(), Format::Xlsx);
    }

    #[test]
    fn broken_and_empty_files_are_unreadable() {
        let l = Limits::default();
        assert_eq!(code(sniff("a.xlsx", b"", &l)), "unreadable-file");
        let mut truncated = zip_with(&["xl/workbook.xml"]);
        truncated.truncate(truncated.len() / 2);
        assert_eq!(code(sniff("a.xlsx", &truncated, &l)), "unreadable-file");
    }

    #[test]
    fn text_saved_as_xls_is_unsupported() {
        let l = Limits::default();
        assert_eq!(
            code(sniff(
                "a.xls",
                b"<html><table><tr><td>1</td></tr></table></html>",
                &l
            )),
            "unsupported-format"
        );
        assert_eq!(
            code(sniff("a.xls", "序号,任务\n1,x\n".as_bytes(), &l)),
            "unsupported-format"
        );
    }

    #[test]
    fn encrypted_ooxml_is_detected() {
        let mut bytes = OLE_MAGIC.to_vec();
        bytes.extend(vec![0u8; 100]);
        bytes.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            code(sniff("a.xlsx", &bytes, &Limits::default())),
            "encrypted-file"
        );
    }
}
