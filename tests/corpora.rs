//! Rounds made by other tools than roundup (openpyxl, xlwt, LibreOffice, python-docx), each in
//! `tests/corpora/<name>/` with its generator, its ground truth and the file times its
//! resubmissions depend on, scored by the shared `score.py`: every row read right, every file
//! and code as the truth says, and no wrong row without an error or warning at it.

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The corpora with a `run.sh`, sorted.
fn corpora() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(common::repo().join("tests/corpora"))
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    dirs.retain(|d| d.join("run.sh").is_file());
    dirs.sort();
    dirs
}

/// Why the scorer cannot run here, if it cannot.
fn scorer_missing() -> Option<String> {
    let score = common::repo().join("../shared/tools/score.py");
    if !score.is_file() {
        return Some(format!("{} not present", score.display()));
    }
    let probe = Command::new("python3")
        .args(["-c", "import openpyxl, docx"])
        .status();
    match probe {
        Ok(s) if s.success() => None,
        _ => Some("python3 with openpyxl and python-docx not available".into()),
    }
}

/// Runs a corpus's `run.sh` and returns score.py's JSON result.
fn score(corpus: &Path) -> Value {
    let out = Command::new("bash")
        .arg(corpus.join("run.sh"))
        .arg(env!("CARGO_BIN_EXE_roundup"))
        .output()
        .expect("bash runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let json_end = text.rfind("\n}").map(|i| i + 2).unwrap_or(0);
    serde_json::from_str(&text[..json_end]).unwrap_or_else(|e| {
        panic!(
            "{}: score.py gave no result ({e}):\n{text}\n{}",
            corpus.display(),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn is_full(fraction: &Value) -> bool {
    let text = fraction.as_str().unwrap_or("");
    matches!(text.split_once('/'), Some((a, b)) if a == b)
}

/// Whether a corpus is marked as fully passing (`expect-full`): every row, file and code as
/// its truth says. Every corpus, marked or not, must have no silent wrong row.
fn expects_full(corpus: &Path) -> bool {
    corpus.join("expect-full").is_file()
}

#[test]
fn every_corpus_reads_every_row_right_or_loudly() {
    if let Some(reason) = scorer_missing() {
        eprintln!("skipped: {reason}");
        return;
    }
    for corpus in corpora() {
        let result = score(&corpus);
        let name = corpus.display();
        assert_eq!(
            result["silent_rows"],
            Value::Array(vec![]),
            "{name}: silent wrong rows"
        );
        if !expects_full(&corpus) {
            eprintln!(
                "{name}: rows {}, files {}, codes {} (not marked expect-full)",
                result["rows"], result["files"], result["codes"]
            );
            continue;
        }
        for key in ["rows", "files", "codes"] {
            assert!(is_full(&result[key]), "{name}: {key} {}\n{result:#}", result[key]);
        }
        assert_eq!(result["missing_units"]["extra"], Value::Array(vec![]), "{name}");
        assert_eq!(result["missing_units"]["absent"], Value::Array(vec![]), "{name}");
        assert_eq!(result["outputs_open"], Value::Bool(true), "{name}: outputs open");
    }
}
