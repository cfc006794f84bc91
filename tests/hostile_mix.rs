//! The whole hostile mix of the reliability issue (#15), built by Python tools
//! (`tests/hostile_mix/make_mix.py`: openpyxl, xlwt, zipfile, raw bytes, the peer projects'
//! files, the fuzzers' findings) into the foreign-made good round, and run by
//! `tests/hostile_mix/measure.py`: exit 1, every output present and opening, the good units'
//! rows unchanged, no victim's text in another unit's feedback, no connection to the links'
//! listener, the inbox unchanged, and the main process's peak RSS bounded.

mod common;

use serde_json::Value;
use std::process::Command;

/// Why the mix cannot be measured here, if it cannot.
fn missing_tools() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return Some("measure.py reads /proc (Linux only)".into());
    }
    if !common::repo().join("../shared/fixtures/foreign-2024Q1").is_dir() {
        return Some("../shared/fixtures/foreign-2024Q1 not present".into());
    }
    let probe = Command::new("python3")
        .args(["-c", "import openpyxl, xlwt, docx"])
        .status();
    match probe {
        Ok(s) if s.success() => None,
        _ => Some("python3 with openpyxl, xlwt and python-docx not available".into()),
    }
}

#[test]
fn the_whole_hostile_mix_in_a_good_round_loses_and_leaks_nothing() {
    if let Some(reason) = missing_tools() {
        eprintln!("skipped: {reason}");
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let out = Command::new("python3")
        .arg(common::repo().join("tests/hostile_mix/measure.py"))
        .arg(env!("CARGO_BIN_EXE_roundup"))
        .arg(common::repo().join("../shared/fixtures/foreign-2024Q1"))
        .arg(work.path().join("mix"))
        .output()
        .expect("python3 runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let result: Value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "measure.py gave no result ({e}):\n{text}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    eprintln!("{result:#}");
    assert_eq!(result["exit"], 1, "exit code");
    assert_eq!(result["connections"], 0, "a link was fetched");
    assert_eq!(result["inbox_unchanged"], true, "the inbox was modified");
    assert_eq!(
        result["open_failures"],
        Value::Array(vec![]),
        "outputs that do not open"
    );
    assert_eq!(
        result["good_rows_changed"],
        Value::Array(vec![]),
        "good units' rows changed"
    );
    assert_eq!(
        result["leaks"],
        Value::Array(vec![]),
        "a victim's text in another unit's feedback"
    );
    assert!(
        result["good_rows"].as_u64().unwrap_or(0) > 50,
        "the good round was read"
    );
    let victims = result["victims_read"].as_array().map(Vec::len).unwrap_or(0);
    assert!(
        victims >= 3,
        "the victims' hostile rows reach the outputs: {victims}"
    );
    let main_peak = result["main_peak_mib"].as_f64().unwrap_or(f64::MAX);
    assert!(main_peak < 300.0, "main process peak {main_peak} MiB");
}
