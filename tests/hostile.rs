//! Hostile input: a corpus of broken, crafted and malicious files generated here, mixed into a
//! normal round. `roundup run` must finish (exit 1, not 2), write every output, reject each bad
//! file with the right code, leave the good files' results unchanged, account for every inbox
//! entry in the manifest with one outcome and its SHA-256, and never modify the inbox.
//! Also: worker death and timeouts, files that change while being read, and the peer
//! projects' test files.

mod common;

use common::{copy_dir, foreign, path, read_json, repo, roundup};

use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

fn run_round(inbox: &Path, outbox: &Path, config: Option<&Path>) -> Output {
    let mut args = vec![
        "run",
        "--round",
        "2024Q1",
        "--inbox",
        path(inbox),
        "--outbox",
        path(outbox),
        "--quiet",
    ];
    if let Some(config) = config {
        args.extend(["--config", path(config)]);
    }
    roundup(&args)
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A configuration folder (config, registry, template) with some `[limits]` replaced.
fn config_with(dir: &Path, limits: &[(&str, &str)]) -> PathBuf {
    let templates = repo().join("templates");
    let mut text = std::fs::read_to_string(templates.join("roundup.toml")).unwrap();
    for (key, value) in limits {
        let start = text.find(&format!("\n{key} = ")).expect("limit present") + 1;
        let end = start + text[start..].find('\n').unwrap();
        text.replace_range(start..end, &format!("{key} = {value}"));
    }
    std::fs::create_dir_all(dir).unwrap();
    for name in ["tasks.toml", "bulletin.j2"] {
        std::fs::copy(templates.join(name), dir.join(name)).unwrap();
    }
    let config = dir.join("roundup.toml");
    std::fs::write(&config, text).unwrap();
    config
}

/// A name as roundup displays it: UTF-8 as is, else GB18030 when valid, else lossy.
fn displayed(name: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    if name.to_str().is_none() {
        use std::os::unix::ffi::OsStrExt;
        let (text, errors) = encoding_rs::GB18030.decode_without_bom_handling(name.as_bytes());
        if !errors {
            return text.into_owned();
        }
    }
    name.to_string_lossy().into_owned()
}

/// Every entry below `dir` that is not a directory: relative path -> (bytes, is symlink).
/// Names are displayed as roundup reports them.
fn entries(dir: &Path) -> BTreeMap<String, (Vec<u8>, bool)> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, (Vec<u8>, bool)>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let p = entry.path();
            let file_type = entry.file_type().unwrap();
            let rel = displayed(p.strip_prefix(root).unwrap().as_os_str());
            if file_type.is_dir() {
                walk(root, &p, out);
            } else if file_type.is_symlink() {
                let target = std::fs::read_link(&p).unwrap();
                out.insert(rel, (target.to_string_lossy().as_bytes().to_vec(), true));
            } else {
                out.insert(rel, (std::fs::read(&p).unwrap_or_default(), false));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// Builders

fn zip_of(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        .large_file(false);
    for (name, data) in parts {
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

const CONTENT_TYPES_XLSX: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const ROOT_RELS_XLSX: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;

/// A hand-made xlsx with one sheet (`sheet_data` is the content of `<sheetData>`) and a
/// shared-string part.
fn xlsx(sheet_data: &str, shared_strings: &str, method: zip::CompressionMethod) -> Vec<u8> {
    let sheet = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    zip_of(
        &[
            ("[Content_Types].xml", CONTENT_TYPES_XLSX.as_bytes()),
            ("_rels/.rels", ROOT_RELS_XLSX.as_bytes()),
            ("xl/workbook.xml", WORKBOOK.as_bytes()),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
            ("xl/sharedStrings.xml", shared_strings.as_bytes()),
        ],
        method,
    )
}

fn sst(strings: &[&str]) -> String {
    let items: String = strings.iter().map(|s| format!("<si><t>{s}</t></si>")).collect();
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">{items}</sst>"#,
        n = strings.len()
    )
}

const DEFLATED: zip::CompressionMethod = zip::CompressionMethod::Deflated;
const STORED: zip::CompressionMethod = zip::CompressionMethod::Stored;

/// A hand-made docx whose `word/document.xml` is `document`.
fn docx(document: &str) -> Vec<u8> {
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    zip_of(
        &[
            ("[Content_Types].xml", types.as_bytes()),
            ("_rels/.rels", rels.as_bytes()),
            ("word/document.xml", document.as_bytes()),
        ],
        DEFLATED,
    )
}

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>"#
    )
}

/// A real workbook written by rust_xlsxwriter.
fn xlsxwriter_book(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (row, col, text) in cells {
        sheet.write_string(*row, *col, *text).unwrap();
    }
    book.save_to_buffer().unwrap()
}

/// A minimal compound file (CFB v3) holding the two streams of an encrypted OOXML package.
fn encrypted_ooxml() -> Vec<u8> {
    const END: u32 = 0xFFFF_FFFE;
    const FREE: u32 = 0xFFFF_FFFF;
    const NONE: u32 = 0xFFFF_FFFF;
    let mut header = vec![0u8; 512];
    header[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    let put16 = |b: &mut Vec<u8>, at: usize, v: u16| b[at..at + 2].copy_from_slice(&v.to_le_bytes());
    let put32 = |b: &mut Vec<u8>, at: usize, v: u32| b[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put16(&mut header, 0x18, 0x003E);
    put16(&mut header, 0x1A, 0x0003);
    put16(&mut header, 0x1C, 0xFFFE);
    put16(&mut header, 0x1E, 9);
    put16(&mut header, 0x20, 6);
    put32(&mut header, 0x2C, 1); // FAT sectors
    put32(&mut header, 0x30, 1); // first directory sector
    put32(&mut header, 0x38, 4096); // mini stream cutoff
    put32(&mut header, 0x3C, END); // no mini FAT
    put32(&mut header, 0x44, END); // no DIFAT sectors
    put32(&mut header, 0x4C, 0); // DIFAT[0]: the FAT is sector 0
    for i in 1..109 {
        put32(&mut header, 0x4C + 4 * i, FREE);
    }
    // Sector 0: the FAT. Sector 1: directory. Sectors 2..10: EncryptionInfo; 10..18: package.
    let mut fat = vec![0u8; 512];
    let mut chain = vec![0xFFFF_FFFDu32, END];
    for start in [2u32, 10] {
        chain.extend((start + 1..start + 8).chain([END]));
    }
    chain.resize(128, FREE);
    for (i, v) in chain.iter().enumerate() {
        put32(&mut fat, 4 * i, *v);
    }
    let entry = |name: &str, kind: u8, right: u32, child: u32, start: u32, size: u32| {
        let mut e = vec![0u8; 128];
        let utf16: Vec<u8> = name
            .encode_utf16()
            .chain([0])
            .flat_map(u16::to_le_bytes)
            .collect();
        e[..utf16.len()].copy_from_slice(&utf16);
        e[0x40..0x42].copy_from_slice(&(utf16.len() as u16).to_le_bytes());
        e[0x42] = kind;
        e[0x43] = 1;
        e[0x44..0x48].copy_from_slice(&NONE.to_le_bytes());
        e[0x48..0x4C].copy_from_slice(&right.to_le_bytes());
        e[0x4C..0x50].copy_from_slice(&child.to_le_bytes());
        e[0x74..0x78].copy_from_slice(&start.to_le_bytes());
        e[0x78..0x7C].copy_from_slice(&size.to_le_bytes());
        e
    };
    let mut dir = Vec::new();
    dir.extend(entry("Root Entry", 5, NONE, 1, END, 0));
    dir.extend(entry("EncryptionInfo", 2, 2, NONE, 2, 4096));
    dir.extend(entry("EncryptedPackage", 2, NONE, NONE, 10, 4096));
    dir.extend(vec![0u8; 128]);
    let mut out = header;
    out.extend(fat);
    out.extend(dir);
    out.extend(vec![0x04u8; 4096]);
    out.extend(vec![0xA5u8; 4096]);
    out
}

/// Bits written least-significant first, as deflate wants them.
#[derive(Default)]
struct BitWriter {
    bytes: Vec<u8>,
    bit: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, bits: u32) {
        for i in 0..bits {
            if self.bit.is_multiple_of(8) {
                self.bytes.push(0);
            }
            if value >> i & 1 == 1 {
                *self.bytes.last_mut().unwrap() |= 1 << (self.bit % 8);
            }
            self.bit += 1;
        }
    }

    /// A fixed-Huffman code (written most-significant bit first).
    fn code(&mut self, code: u32, bits: u32) {
        let reversed = (0..bits).fold(0, |acc, i| acc | ((code >> i & 1) << (bits - 1 - i)));
        self.put(reversed, bits);
    }
}

/// A raw deflate stream of `blocks` × 1022 × 258 + 1 zero bytes, built by hand in
/// milliseconds: one literal, then copies of 258 bytes at distance 1. Each block is a whole
/// number of bytes, so blocks are simply repeated.
fn deflate_zeros(blocks: usize) -> (Vec<u8>, u64) {
    let block = |first: bool, last: bool| {
        let mut w = BitWriter::default();
        w.put(u32::from(last), 1);
        w.put(1, 2); // fixed Huffman
        let copies = if first { 1021 } else { 1022 };
        if first {
            w.code(0x30, 8); // literal 0
        }
        for _ in 0..copies {
            w.code(0b1100_0101, 8); // length code 285 = 258
            w.code(0, 5); // distance code 0 = 1
        }
        w.code(0, 7); // end of block
        w.bytes
    };
    let mut out = block(true, false);
    let middle = block(false, false);
    for _ in 1..blocks - 1 {
        out.extend_from_slice(&middle);
    }
    out.extend(block(false, true));
    let size = 1 + 1021 * 258 + (blocks as u64 - 1) * 1022 * 258;
    (out, size)
}

/// A zip with one deflated part given as raw deflate data (honest sizes and CRC).
fn zip_raw_deflate(name: &str, data: &[u8], size: u64, crc: u32) -> Vec<u8> {
    let size = u32::try_from(size).unwrap();
    let mut local = Vec::new();
    local.extend(b"PK\x03\x04");
    local.extend(20u16.to_le_bytes());
    local.extend(0u16.to_le_bytes());
    local.extend(8u16.to_le_bytes());
    local.extend([0u8; 4]); // time, date
    local.extend(crc.to_le_bytes());
    local.extend((data.len() as u32).to_le_bytes());
    local.extend(size.to_le_bytes());
    local.extend((name.len() as u16).to_le_bytes());
    local.extend(0u16.to_le_bytes());
    local.extend(name.as_bytes());
    let mut out = local.clone();
    out.extend(data);
    let central_at = out.len() as u32;
    let mut central = Vec::new();
    central.extend(b"PK\x01\x02");
    central.extend(20u16.to_le_bytes());
    central.extend(&local[4..30]);
    central.extend([0u8; 10]); // comment length, disk, internal and external attributes
    central.extend(0u32.to_le_bytes()); // local header offset
    central.extend(name.as_bytes());
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend(1u16.to_le_bytes());
    out.extend(1u16.to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(central_at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// A 1.7 MB file that inflates to 269 MB of zeros in one part (limit: 200 MiB).
fn zip_bomb() -> Vec<u8> {
    let (deflate, size) = deflate_zeros(1020);
    let mut crc = crc32fast::Hasher::new();
    let zeros = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        crc.update(&zeros[..n]);
        left -= n as u64;
    }
    zip_raw_deflate("xl/media/image1.png", &deflate, size, crc.finalize())
}

fn many_entries() -> Vec<u8> {
    let names: Vec<String> = (0..10_001).map(|i| format!("xl/media/p{i}.bin")).collect();
    let mut parts: Vec<(&str, &[u8])> = vec![("xl/workbook.xml", WORKBOOK.as_bytes())];
    parts.extend(names.iter().map(|n| (n.as_str(), &b""[..])));
    zip_of(&parts, STORED)
}

fn million_rows() -> Vec<u8> {
    let mut rows = String::with_capacity(48_000_000);
    for r in 1..=1_000_000u32 {
        rows.push_str(&format!(r#"<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>"#));
    }
    xlsx(&rows, &sst(&[]), STORED)
}

/// One 1 MiB shared string used by 2,000 cells: 12 KB that a dense reader turns into 2 GB.
fn amplified_string() -> Vec<u8> {
    let big = "x".repeat(1 << 20);
    let cells: String = (1..=2000)
        .map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#))
        .collect();
    xlsx(&cells, &sst(&[&big]), DEFLATED)
}

fn billion_laughs() -> String {
    let mut dtd = String::from("<!ENTITY lol0 \"lol\">");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        dtd.push_str(&format!("<!ENTITY lol{i} \"{refs}\">"));
    }
    format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [{dtd}]><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
    )
}

fn external_entity_sst() -> String {
    r#"<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>"#.to_owned()
}

fn deep_nesting() -> String {
    let open = "<w:tbl><w:tr><w:tc>".repeat(3334);
    let close = "</w:tc></w:tr></w:tbl>".repeat(3334);
    document(&format!("{open}<w:p/>{close}"))
}

/// An ods whose content.xml is cut inside a table (calamine loops forever on it).
fn truncated_ods() -> Vec<u8> {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="S"><table:table-row><table:table-cell>"#;
    zip_of(
        &[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("content.xml", content.as_bytes()),
        ],
        STORED,
    )
}

/// One corpus file: name, content, and the code its rejection must carry (`None` when the
/// file is readable and only its validation decides).
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    code: Option<&'static str>,
}

fn case(name: &'static str, bytes: Vec<u8>, code: &'static str) -> Case {
    Case {
        name,
        bytes,
        code: Some(code),
    }
}

fn hostile_corpus() -> Vec<Case> {
    let good_xlsx = xlsxwriter_book(&[(0, 0, "序号"), (0, 1, "试点任务"), (1, 0, "1")]);
    let mut truncated = good_xlsx.clone();
    truncated.truncate(good_xlsx.len() * 2 / 3);
    let mut corrupted = good_xlsx.clone();
    for b in corrupted[600..900].iter_mut() {
        *b ^= 0x5A;
    }
    let good_docx = docx(&document("<w:p><w:r><w:t>你好</w:t></w:r></w:p>"));
    let unreadable = "unreadable-file";
    let cell_text = "长".repeat(32_767);
    let far_cell = r#"<row r="1"><c r="A1"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>"#;
    vec![
        case("hostile-truncated.xlsx", truncated, unreadable),
        case("hostile-corrupted.xlsx", corrupted, unreadable),
        case("hostile-encrypted.xlsx", encrypted_ooxml(), "encrypted-file"),
        case(
            "hostile-html.xls",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>".to_vec(),
            "unsupported-format",
        ),
        case(
            "hostile-csv.xls",
            "序号,试点任务,完成状态\n1,任务,推进中\n".as_bytes().to_vec(),
            "unsupported-format",
        ),
        Case {
            name: "hostile-sheet-named.docx",
            bytes: good_xlsx.clone(),
            code: None,
        },
        Case {
            name: "hostile-report-named.xlsx",
            bytes: good_docx,
            code: None,
        },
        case("hostile-empty.xlsx", Vec::new(), unreadable),
        case("hostile-one-byte.xlsx", vec![0x50], "unsupported-format"),
        case("hostile-zip-bomb.xlsx", zip_bomb(), unreadable),
        case("hostile-many-entries.xlsx", many_entries(), unreadable),
        case("hostile-billion-laughs.docx", docx(&billion_laughs()), unreadable),
        case(
            "hostile-external-entity.xlsx",
            xlsx(
                r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#,
                &external_entity_sst(),
                DEFLATED,
            ),
            unreadable,
        ),
        case("hostile-deep-nesting.docx", docx(&deep_nesting()), unreadable),
        case("hostile-million-rows.xlsx", million_rows(), unreadable),
        case(
            "hostile-far-cell.xlsx",
            xlsx(far_cell, &sst(&[]), DEFLATED),
            unreadable,
        ),
        case(
            "hostile-string-count.xlsx",
            xlsx(
                "",
                r#"<sst count="4294967295" uniqueCount="4294967295"><si><t>a</t></si></sst>"#,
                DEFLATED,
            ),
            unreadable,
        ),
        case("hostile-amplified-string.xlsx", amplified_string(), unreadable),
        case("hostile-truncated.ods", truncated_ods(), unreadable),
        Case {
            name: "hostile-long-cell.xlsx",
            bytes: xlsxwriter_book(&[(0, 0, &cell_text)]),
            code: None,
        },
    ]
}

/// Issues of `roundup.json` by file.
fn issues_by_file(report: &Value) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for issue in report["issues"].as_array().unwrap() {
        let Some(file) = issue["file"].as_str() else {
            continue;
        };
        out.entry(file.to_owned()).or_default().push((
            issue["code"].as_str().unwrap_or_default().to_owned(),
            issue["message"].as_str().unwrap_or_default().to_owned(),
        ));
    }
    out
}

/// Checks that every non-directory entry of the inbox is in the manifest exactly once, with
/// one outcome, and with the SHA-256 of its bytes when it was read.
fn assert_manifest_accounts_for(inbox: &Path, manifest: &Value) {
    let inputs = manifest["inputs"].as_array().expect("manifest inputs");
    let mut seen: BTreeMap<String, &Value> = BTreeMap::new();
    for input in inputs {
        let path = input["path"].as_str().unwrap().to_owned();
        assert!(seen.insert(path.clone(), input).is_none(), "{path} listed twice");
    }
    for (rel, (bytes, is_link)) in entries(inbox) {
        let input = seen
            .get(&rel)
            .unwrap_or_else(|| panic!("{rel} missing from the manifest"));
        let outcome = input["outcome"].as_str().unwrap();
        assert!(
            ["used", "superseded", "rejected", "skipped"].contains(&outcome),
            "{rel}: {outcome}"
        );
        if outcome != "skipped" && !is_link {
            assert_eq!(input["sha256"], sha256(&bytes), "{rel}: SHA-256");
            assert_eq!(input["size"], bytes.len() as u64, "{rel}: size");
        }
    }
}

#[test]
fn hostile_corpus_mixed_into_a_round_loses_nothing() {
    let Some(foreign) = foreign() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let clean_inbox = tmp.path().join("clean");
    copy_dir(&foreign, &clean_inbox);
    let clean = run_round(&clean_inbox, &tmp.path().join("clean-out"), None);
    assert!(matches!(clean.status.code(), Some(0 | 1)), "{clean:?}");

    let inbox = tmp.path().join("mixed");
    copy_dir(&foreign, &inbox);
    let corpus = hostile_corpus();
    for case in &corpus {
        std::fs::write(inbox.join(case.name), &case.bytes).unwrap();
    }
    let extra = add_filesystem_cases(&inbox, tmp.path());
    let before = entries(&inbox);
    let out = tmp.path().join("mixed-out");
    let run = run_round(&inbox, &out, None);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(entries(&inbox), before, "the inbox was modified");

    let round = out.join("2024Q1");
    for name in ["roundup.json", "manifest.json"] {
        assert!(round.join(name).is_file(), "{name} missing");
    }
    let has = |ext: &str| {
        std::fs::read_dir(&round)
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == ext))
    };
    assert!(has("xlsx") && has("docx"), "workbooks and bulletin written");
    let report = read_json(&round.join("roundup.json"));
    let issues = issues_by_file(&report);
    for case in &corpus {
        let found = issues.get(case.name).cloned().unwrap_or_default();
        match case.code {
            Some(code) => assert!(
                found.iter().any(|(c, _)| c == code),
                "{}: expected {code}, got {found:?}",
                case.name
            ),
            None => assert!(
                !found.iter().any(|(c, _)| c == "unreadable-file"),
                "{}: {found:?}",
                case.name
            ),
        }
    }
    for (name, code) in &extra {
        let found = issues.get(name).cloned().unwrap_or_default();
        assert!(found.iter().any(|(c, _)| c == code), "{name}: {found:?}");
    }
    let clean_report = read_json(&tmp.path().join("clean-out/2024Q1/roundup.json"));
    assert_eq!(
        report["tasks"], clean_report["tasks"],
        "the good files' results changed"
    );
    let manifest = read_json(&round.join("manifest.json"));
    assert_manifest_accounts_for(&inbox, &manifest);
    let outcome_of = |rel: &str| {
        manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == rel)
            .map(|i| i["outcome"].as_str().unwrap().to_owned())
    };
    for case in corpus.iter().filter(|c| c.code.is_some()) {
        assert_eq!(
            outcome_of(case.name).as_deref(),
            Some("rejected"),
            "{}",
            case.name
        );
    }
    if cfg!(unix) {
        assert_eq!(
            outcome_of("hostile-link-outside.xlsx").as_deref(),
            Some("skipped")
        );
    }
}

/// Entries only a file system can hold: odd names, links, folders with file names, files
/// that cannot be opened. Returns (name as reported, expected code) for files read.
fn add_filesystem_cases(inbox: &Path, scratch: &Path) -> Vec<(String, &'static str)> {
    std::fs::create_dir(inbox.join("hostile-folder.xlsx")).unwrap();
    let mut expected = Vec::new();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let outside = scratch.join("outside.xlsx");
        std::fs::write(&outside, b"secret").unwrap();
        std::os::unix::fs::symlink(&outside, inbox.join("hostile-link-outside.xlsx")).unwrap();
        let names: [&[u8]; 2] = [
            b"hostile-\xff\xfe-invalid-utf8.xlsx",
            b"hostile-\xbd\xf8\xd5\xb9\xb1\xed-gbk.xlsx",
        ];
        for raw in names {
            let name = std::ffi::OsStr::from_bytes(raw);
            std::fs::write(inbox.join(name), b"PK\x03\x04broken").unwrap();
            expected.push((displayed(name), "unreadable-file"));
        }
        add_unopenable_file(inbox, &mut expected);
    }
    let _ = scratch;
    expected
}

#[cfg(unix)]
fn add_unopenable_file(inbox: &Path, expected: &mut Vec<(String, &'static str)>) {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        eprintln!("permission-denied case skipped: running as root, permissions do not apply");
        return;
    }
    let path = inbox.join("hostile-no-permission.xlsx");
    std::fs::write(&path, b"PK").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000)).unwrap();
    expected.push(("hostile-no-permission.xlsx".into(), "unreadable-file"));
}

/// Files whose reports carry `code` and whose message contains `needle`.
fn rejected_with(report: &Value, code: &str, needle: &str) -> Vec<String> {
    let mut files: Vec<String> = report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == code && i["message"].as_str().unwrap_or("").contains(needle))
        .filter_map(|i| i["file"].as_str().map(str::to_owned))
        .collect();
    files.sort();
    files.dedup();
    files
}

/// With the depth limit lifted, 20,000 nested tables overflow the Word reader's stack: the
/// worker aborts, each such file alone is rejected, and fresh workers read the rest.
#[test]
fn a_worker_that_dies_costs_only_its_file_and_is_replaced() {
    let tmp = tempfile::tempdir().unwrap();
    let config = config_with(&tmp.path().join("config"), &[("max_xml_depth", "10000000")]);
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let open = "<w:tbl><w:tr><w:tc>".repeat(20_000);
    let close = "</w:tc></w:tr></w:tbl>".repeat(20_000);
    let deep = docx(&document(&format!("{open}<w:p/>{close}")));
    for name in ["a.docx", "b.docx", "c.docx"] {
        std::fs::write(inbox.join(name), &deep).unwrap();
    }
    std::fs::write(inbox.join("d.xlsx"), b"").unwrap();
    let out = tmp.path().join("out");
    let run = roundup(&[
        "run",
        "--round",
        "2024Q1",
        "--inbox",
        path(&inbox),
        "--outbox",
        path(&out),
        "--quiet",
        "--config",
        path(&config),
        "--jobs",
        "1",
    ]);
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report = read_json(&out.join("2024Q1/roundup.json"));
    assert_eq!(
        rejected_with(&report, "unreadable-file", "进程异常退出"),
        vec!["a.docx", "b.docx", "c.docx"],
        "{}",
        report["issues"]
    );
    assert_eq!(
        rejected_with(&report, "unreadable-file", "0 字节"),
        vec!["d.xlsx"]
    );
    assert_manifest_accounts_for(&inbox, &read_json(&out.join("2024Q1/manifest.json")));
}

#[test]
fn a_file_that_takes_too_long_is_stopped_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let config = config_with(
        &tmp.path().join("config"),
        &[("max_rows", "2000000"), ("file_timeout_secs", "1")],
    );
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(inbox.join("slow.xlsx"), million_rows()).unwrap();
    std::fs::write(inbox.join("empty.xlsx"), b"").unwrap();
    let out = tmp.path().join("out");
    let run = run_round(&inbox, &out, Some(&config));
    assert_eq!(
        run.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report = read_json(&out.join("2024Q1/roundup.json"));
    assert_eq!(
        rejected_with(&report, "unreadable-file", "解析超时（超过 1 秒"),
        vec!["slow.xlsx"]
    );
    assert_eq!(
        rejected_with(&report, "unreadable-file", "0 字节"),
        vec!["empty.xlsx"]
    );
}

/// A file rewritten and regrown in a loop while the round runs: whatever was read, the
/// manifest's size and SHA-256 describe the same bytes (whole 4 KiB chunks of one byte).
#[test]
fn a_file_changing_while_read_is_described_consistently() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(inbox.join("stable.xlsx"), b"").unwrap();
    let moving = inbox.join("moving.xlsx");
    let chunk = vec![b'z'; 4096];
    std::fs::write(&moving, &chunk).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let (stop, moving, chunk) = (stop.clone(), moving.clone(), chunk.clone());
        std::thread::spawn(move || {
            let mut round = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                round += 1;
                if round.is_multiple_of(50) {
                    let _ = std::fs::remove_file(&moving);
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                if let Ok(mut f) = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&moving)
                {
                    let _ = f.write_all(&chunk);
                }
            }
        })
    };
    let mut outcomes = Vec::new();
    for i in 0..3 {
        let out = tmp.path().join(format!("out{i}"));
        let run = run_round(&inbox, &out, None);
        assert!(matches!(run.status.code(), Some(0 | 1)), "{run:?}");
        let manifest = read_json(&out.join("2024Q1/manifest.json"));
        for input in manifest["inputs"].as_array().unwrap() {
            if input["path"] != "moving.xlsx" {
                continue;
            }
            let size = input["size"].as_u64().unwrap();
            assert_eq!(size % 4096, 0, "whole chunks");
            let expected = sha256(&b"z".repeat(size as usize));
            assert!(
                input["sha256"] == expected || input["sha256"] == "",
                "size and hash describe the same bytes"
            );
            outcomes.push(input["outcome"].as_str().unwrap().to_owned());
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    assert!(outcomes.iter().all(|o| o == "rejected"), "{outcomes:?}");
}

/// The peer projects' test files (calamine, python-docx, docx-rs, mammoth.js; some hostile),
/// flattened into one inbox: every file ends with an outcome and the run ends normally.
#[test]
fn peer_projects_test_files_all_get_an_outcome() {
    let peers = repo().join("../shared/fixtures/peer-files");
    if !peers.is_dir() {
        eprintln!("skipped: {} not present", peers.display());
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    let mut copied = 0;
    for (rel, (bytes, _)) in entries(&peers) {
        let name = rel.replace('/', "_");
        if name.ends_with(".md") {
            continue;
        }
        std::fs::write(inbox.join(&name), bytes).unwrap();
        copied += 1;
    }
    let started = std::time::Instant::now();
    let run = run_round(&inbox, &tmp.path().join("out"), None);
    eprintln!("{copied} peer files in {:.1} s", started.elapsed().as_secs_f64());
    assert!(
        matches!(run.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let manifest = read_json(&tmp.path().join("out/2024Q1/manifest.json"));
    assert_manifest_accounts_for(&inbox, &manifest);
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), copied);
}

/// Inputs found by fuzzing (`fuzz/`, target `sheet`), kept as fixtures named after what they
/// did: calamine panics, a huge allocation, and two `.ods` files whose malformed
/// `content.xml` made calamine's reader loop forever. Each is that file's `unreadable-file`;
/// the hangs are stopped by the zip guard's well-formedness check, not by the timeout.
#[test]
fn files_found_by_fuzzing_are_each_reported_and_contained() {
    let dir = common::repo().join("tests/fixtures/fuzz");
    let out = roundup(&["check", "--round", "2024Q1", "--format", "json", path(&dir)]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 9, "the fixtures found by fuzzing (two sessions)");
    for name in names {
        let issues: Vec<&Value> = json["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["file"] == name.as_str())
            .collect();
        assert_eq!(issues.len(), 1, "{name}: {issues:?}");
        assert_eq!(issues[0]["code"], "unreadable-file", "{name}");
        let message = issues[0]["message"].as_str().unwrap();
        if name.ends_with("-hang.ods") {
            assert!(message.contains("content.xml"), "{name}: {message}");
        }
        assert!(
            !message.contains("超时"),
            "{name} ran into the timeout: {message}"
        );
    }
}
