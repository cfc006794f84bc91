//! The native Word 97–2003 reader (`ingest::doc`) against the `.docx` reader: every fixture in
//! `tests/fixtures/doc/` is a `.doc` LibreOffice wrote from a `.docx` (see `generate.py`
//! there), and the `.doc` must give the same text, tables, tasks, statuses and narratives as
//! its source — through the library and through `roundup check --format json` with
//! LibreOffice hidden from PATH. The Apache POI `.doc` files in `../shared/fixtures/peer-files`
//! (some hostile) must never panic or hang.

mod common;

use common::repo;
use roundup::diag::Code;
use roundup::ingest::doc::{read_document, DocError};
use roundup::ingest::{Block, Content, Document};
use roundup::validate::FileResult;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const ROUND: &str = "2024Q1";

/// A `.doc` fixture and its source `.docx`, with the inbox name both are checked under.
struct Pair {
    doc: PathBuf,
    docx: PathBuf,
    /// The name (without extension) the unit is identified by.
    stem: String,
}

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/doc")
}

/// The fixture pairs: the reports made here, and the foreign round's reports when
/// `../shared/fixtures` is present.
fn pairs() -> Vec<Pair> {
    let dir = fixtures();
    let mut pairs = vec![
        Pair {
            doc: dir.join("report.doc"),
            docx: dir.join("report.docx"),
            stem: "市科技局关于2024年第一季度试点任务推进情况的报告".into(),
        },
        Pair {
            doc: dir.join("merged.doc"),
            docx: dir.join("merged.docx"),
            stem: "市金融局2024年第一季度任务推进情况表".into(),
        },
    ];
    match common::foreign() {
        Some(foreign) => {
            let manifest = std::fs::read_to_string(dir.join("foreign.tsv")).unwrap();
            for line in manifest.lines().filter(|l| !l.trim().is_empty()) {
                let (doc, source) = line.split_once('\t').unwrap();
                pairs.push(Pair {
                    doc: dir.join(doc),
                    docx: foreign.join(source),
                    stem: source.trim_end_matches(".docx").to_owned(),
                });
            }
        }
        None => eprintln!("skipped: the foreign round's reports (../shared/fixtures not present)"),
    }
    pairs
}

fn document(content: Content) -> Document {
    match content {
        Content::Document(doc) => doc,
        Content::Workbook(_) => panic!("a document was expected"),
    }
}

/// White space collapsed, so that only the text is compared.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Non-blank paragraphs (numbering label included) and table cells, in reading order.
fn texts(doc: &Document) -> Vec<String> {
    let mut out = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Paragraph(p) => {
                let text = normalise(&p.display_text());
                if !text.is_empty() {
                    out.push(text);
                }
            }
            Block::Table(grid) => {
                out.push(format!("[{}]", grid.name));
                for row in &grid.rows {
                    let cells: Vec<String> = row.iter().map(|c| normalise(&c.to_text())).collect();
                    out.push(cells.join(" | "));
                }
            }
        }
    }
    out
}

/// Ingests and validates `bytes` as the inbox file `name`, as `roundup run` does per file.
fn validate(name: &str, bytes: &[u8]) -> FileResult {
    common::validate_as_run(name, bytes, ROUND)
}

/// What validation made of a file, with the file's name (and so its extension) left out.
fn outcome(result: &FileResult) -> Value {
    let mut rows = serde_json::to_value(&result.rows).unwrap();
    for row in rows.as_array_mut().unwrap() {
        row["file"] = Value::Null;
    }
    let diagnostics: Vec<Value> = result
        .diagnostics
        .iter()
        .map(|d| {
            serde_json::json!({
                "code": d.code.as_str(),
                "task": d.task,
                "location": d.location,
                "message": d.message,
            })
        })
        .collect();
    serde_json::json!({
        "unit": result.unit,
        "kind": result.kind,
        "rejected": result.rejected,
        "rows": rows,
        "texts": result.texts,
        "diagnostics": diagnostics,
    })
}

#[test]
fn every_fixture_reads_natively_like_its_docx() {
    let limits = Default::default();
    for pair in pairs() {
        let doc_bytes = std::fs::read(&pair.doc).unwrap();
        let docx_bytes = std::fs::read(&pair.docx).unwrap();
        let native =
            read_document(&doc_bytes, &limits).unwrap_or_else(|e| panic!("{}: {e}", pair.doc.display()));
        let reference = roundup::ingest::docx::read_document(&docx_bytes, &limits).unwrap();
        assert_eq!(native.kind, reference.kind);
        let (native, reference) = (document(native.content), document(reference.content));
        assert_eq!(
            texts(&native),
            texts(&reference),
            "{} reads unlike {}",
            pair.doc.display(),
            pair.docx.display()
        );
        assert_eq!(native.tables().count(), reference.tables().count());
        for (a, b) in native.tables().zip(reference.tables()) {
            assert_eq!(
                a.merges,
                b.merges,
                "merges of {} in {}",
                a.name,
                pair.doc.display()
            );
        }
    }
}

#[test]
fn every_fixture_validates_like_its_docx() {
    for pair in pairs() {
        let doc = validate(&format!("{}.doc", pair.stem), &std::fs::read(&pair.doc).unwrap());
        let docx = validate(
            &format!("{}.docx", pair.stem),
            &std::fs::read(&pair.docx).unwrap(),
        );
        assert_eq!(outcome(&doc), outcome(&docx), "{}", pair.doc.display());
    }
}

#[test]
fn the_report_fixture_keeps_headings_lists_fields_and_text_boxes() {
    let bytes = std::fs::read(fixtures().join("report.doc")).unwrap();
    let doc = document(read_document(&bytes, &Default::default()).unwrap().content);
    let paragraphs: Vec<_> = doc.paragraphs().collect();
    let find = |text: &str| {
        paragraphs
            .iter()
            .find(|p| p.text.contains(text))
            .unwrap_or_else(|| panic!("no paragraph with {text}"))
    };
    assert_eq!(find("各项任务进展").outline_level, Some(0));
    assert_eq!(
        find("各项任务进展")
            .style
            .as_deref()
            .map(str::to_lowercase)
            .as_deref(),
        Some("heading 1")
    );
    assert_eq!(find("存在问题").numbering.as_deref(), Some("一、"));
    assert_eq!(find("人员不足").numbering.as_deref(), Some("（二）"));
    assert_eq!(find("完善考核机制").numbering.as_deref(), Some("2."));
    // The hyperlink field's result, not its code.
    assert_eq!(find("本季度").text, "本季度共推进试点任务3项，详见进展表。");
    // The soft line break, and the text box right after its anchor.
    assert!(find("（任务12）").text.contains("；\n下步"));
    let anchor = find("典型案例").index;
    assert_eq!(find("案例一").index, anchor + 1);
    let table = doc.tables().next().unwrap();
    assert_eq!(table.rows.len(), 4);
    assert_eq!(table.cell(3, 2).to_text(), "市科技局");
    assert_eq!(table.cell(1, 5).to_text(), "系统已上线运行\n覆盖全市");
}

/// `roundup check --format json` on a folder, with `path` as PATH.
fn check(dir: &Path, path: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(repo())
        .env("PATH", path)
        .args(["check", "--round", ROUND, "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The check result with file extensions taken out of paths and messages.
fn without_extensions(mut json: Value) -> Value {
    let strip = |v: &mut Value| {
        if let Some(s) = v.as_str() {
            *v = Value::String(s.replace(".docx", "").replace(".doc", ""));
        }
    };
    for file in json["files"].as_array_mut().unwrap() {
        strip(&mut file["path"]);
    }
    for issue in json["issues"].as_array_mut().unwrap() {
        strip(&mut issue["file"]);
        strip(&mut issue["message"]);
    }
    json
}

#[test]
fn check_reads_the_doc_fixtures_without_libreoffice_like_their_docx() {
    let work = tempfile::tempdir().unwrap();
    let (docs, docxs) = (work.path().join("doc"), work.path().join("docx"));
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::create_dir_all(&docxs).unwrap();
    for pair in pairs() {
        std::fs::copy(&pair.doc, docs.join(format!("{}.doc", pair.stem))).unwrap();
        std::fs::copy(&pair.docx, docxs.join(format!("{}.docx", pair.stem))).unwrap();
    }
    let hidden = common::path_without_soffice();
    let full = std::env::var("PATH").unwrap_or_default();
    let from_doc = check(&docs, &hidden);
    let from_docx = check(&docxs, &full);
    let files = from_doc["files"].as_array().unwrap();
    assert!(files.iter().all(|f| f["kind"] == "report"), "{from_doc}");
    assert!(
        files.iter().any(|f| f["rows"].as_u64().unwrap_or(0) > 0),
        "some fixture has task rows: {from_doc}"
    );
    assert_eq!(without_extensions(from_doc), without_extensions(from_docx));
}

/// How the POI corpus fared.
#[derive(Debug, Default)]
struct Tally {
    read: usize,
    fallback_old: usize,
    fallback_corrupt: usize,
    encrypted: usize,
    not_word: usize,
    too_large: usize,
    slowest: Duration,
}

#[test]
fn poi_corpus_never_panics_or_hangs() {
    let dir = repo().join("../shared/fixtures/peer-files");
    if !dir.is_dir() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let mut files = Vec::new();
    collect_docs(&dir, &mut files);
    files.sort();
    let started = Instant::now();
    let mut tally = Tally::default();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let (send, receive) = mpsc::channel();
        let one = Instant::now();
        std::thread::spawn(move || {
            let result = std::panic::catch_unwind(|| read_document(&bytes, &Default::default()));
            let _ = send.send(result.map(|r| r.map(|_| ())).map_err(|_| ()));
        });
        let result = receive
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("{} took more than 20 s", file.display()));
        tally.slowest = tally.slowest.max(one.elapsed());
        match result {
            Err(()) => panic!("{} panicked", file.display()),
            Ok(Ok(())) => tally.read += 1,
            Ok(Err(DocError::OldFormat { .. })) => tally.fallback_old += 1,
            Ok(Err(DocError::Corrupt(_))) => tally.fallback_corrupt += 1,
            Ok(Err(DocError::Encrypted)) => tally.encrypted += 1,
            Ok(Err(DocError::NotWord)) => tally.not_word += 1,
            Ok(Err(DocError::TooLarge(_))) => tally.too_large += 1,
        }
    }
    println!(
        "POI .doc corpus: {} files in {:.2?} (slowest {:.2?}): {tally:?}",
        files.len(),
        started.elapsed(),
        tally.slowest
    );
    if files.is_empty() {
        eprintln!("skipped: no .doc files under {}", dir.display());
        return;
    }
    // Most of the corpus is ordinary Word 97+ documents, read natively.
    assert!(tally.read * 10 >= files.len() * 7, "{tally:?}");
}

/// Every `.doc` under `dir`, recursively.
fn collect_docs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_docs(&path, out);
        } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("doc")) {
            out.push(path);
        }
    }
}

#[test]
fn encrypted_and_foreign_compound_files_are_not_converted() {
    // A spreadsheet's compound file named .doc: rejected by the native reader at once.
    let xls = repo().join("../shared/fixtures/foreign-2024Q1/市人社局2024年第一季度进展情况.xls");
    let Ok(bytes) = std::fs::read(&xls) else {
        eprintln!("skipped: {} not present", xls.display());
        return;
    };
    let err = read_document(&bytes, &Default::default()).unwrap_err();
    assert_eq!(err, DocError::NotWord);
    assert!(!err.wants_fallback());
    let started = Instant::now();
    let err = roundup::ingest::ingest_bytes("报告.doc", &bytes, &Default::default()).unwrap_err();
    assert_eq!(err.code(), Code::UnsupportedFormat);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "not sent to LibreOffice"
    );
}
