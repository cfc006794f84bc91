//! Defects the third red team found in Word reports (`tests/corpora/redteam3/FINDINGS.md`),
//! each checked with the real binary on the real file: `roundup run` on an inbox holding the
//! corpus's `.doc` (read natively, LibreOffice hidden from PATH) or its `.docx` twin
//! (`tests/fixtures/redteam3/`), then the task rows and issues of `roundup.json`.

mod common;

use common::{path, path_without_soffice, repo};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

const ROUND: &str = "2025Q2";

/// A redteam3 corpus file.
fn corpus(name: &str) -> PathBuf {
    repo().join("tests/corpora/redteam3/round").join(ROUND).join(name)
}

/// A `.docx` twin of a corpus file.
fn twin(name: &str) -> PathBuf {
    repo().join("tests/fixtures/redteam3").join(name)
}

/// `roundup run` on an inbox holding `files` (LibreOffice hidden unless `with_soffice`); the
/// round's `roundup.json`.
fn run_with(files: &[PathBuf], with_soffice: bool) -> Value {
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox").join(ROUND);
    std::fs::create_dir_all(&inbox).unwrap();
    for file in files {
        std::fs::copy(file, inbox.join(file.file_name().unwrap())).unwrap();
    }
    let outbox = work.path().join("outbox");
    let mut command = Command::new(env!("CARGO_BIN_EXE_roundup"));
    command.current_dir(repo()).args([
        "run",
        "--quiet",
        "--round",
        ROUND,
        "--inbox",
        path(&work.path().join("inbox")),
        "--outbox",
        path(&outbox),
    ]);
    if !with_soffice {
        command.env("PATH", path_without_soffice());
    }
    let out = command.output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    common::read_json(&outbox.join(ROUND).join("roundup.json"))
}

fn run(files: &[PathBuf]) -> Value {
    run_with(files, false)
}

/// `(status, percent)` a unit reported for a task.
fn reported(json: &Value, unit: &str, task: u64) -> Option<(Option<String>, Option<f64>)> {
    let task = json["tasks"]
        .as_array()?
        .iter()
        .find(|t| t["id"].as_u64() == Some(task))?;
    let report = task["reports"]
        .as_array()?
        .iter()
        .find(|r| r["unit"].as_str() == Some(unit))?;
    Some((
        report["status"].as_str().map(str::to_owned),
        report["percent"].as_f64(),
    ))
}

/// `(level, code, message)` of the issues at a location of a file whose name starts with `stem`.
fn issues_at(json: &Value, stem: &str, location: &str) -> Vec<(String, String, String)> {
    json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str().is_some_and(|f| f.starts_with(stem)))
        .filter(|i| i["location"].as_str() == Some(location))
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
            (s("level"), s("code"), s("message"))
        })
        .collect()
}

/// Issues of a file with `code`.
fn issues_with_code(json: &Value, stem: &str, code: &str) -> Vec<String> {
    json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str().is_some_and(|f| f.starts_with(stem)))
        .filter(|i| i["code"].as_str() == Some(code))
        .map(|i| format!("{} {}", i["location"], i["message"]))
        .collect()
}

fn row(status: &str, percent: Option<f64>) -> Option<(Option<String>, Option<f64>)> {
    Some((Some(status.to_owned()), percent))
}

/// Finding 1 (the silent wrong row), 3 and 4: hidden text is not what the page shows.
#[test]
fn hidden_text_is_left_out_of_cells_with_a_warning_at_the_cell() {
    for (wjw, gaj) in [
        (
            corpus("卫健委二季度推进情况报告.doc"),
            corpus("公安局二季度工作报告.doc"),
        ),
        (
            twin("卫健委二季度推进情况报告.docx"),
            twin("公安局二季度工作报告.docx"),
        ),
    ] {
        let json = run(&[wjw, gaj]);
        // Task 32: a visually empty percent cell holding last quarter's 30 as hidden text.
        assert_eq!(reported(&json, "市卫健委", 32), row("推进中", None));
        let at = issues_at(&json, "卫健委", "表1!R4C4");
        assert!(
            at.iter()
                .any(|(level, code, m)| level == "warning" && code == "hidden-sheet" && m.contains("“30”")),
            "{at:?}"
        );
        // Task 30: last quarter's row, all hidden, above the visible one.
        assert_eq!(reported(&json, "市卫健委", 30), row("推进中", Some(50.0)));
        assert!(issues_with_code(&json, "卫健委", "duplicate-task").is_empty());
        assert!(!issues_at(&json, "卫健委", "表1!R2C4").is_empty());
        // Task 98: a hidden paragraph above the status, hidden text after the percent.
        assert_eq!(reported(&json, "市公安局", 98), row("推进中", Some(40.0)));
        let status = issues_at(&json, "公安局", "表1!R5C3");
        assert!(
            status.iter().all(|(_, code, _)| code == "hidden-sheet") && status.len() == 1,
            "{status:?}"
        );
        let percent = issues_at(&json, "公安局", "表1!R5C4");
        assert!(
            percent.len() == 1 && percent[0].2.contains("（一季度30）"),
            "{percent:?}"
        );
    }
}

/// Finding 5: `{ IF { =7/20 } > 0.5 "50" "35" }` shows 35, not the inner result joined to it.
#[test]
fn nested_field_shows_only_the_outermost_result() {
    let json = run(&[corpus("财政局二季度报告.docx")]);
    assert_eq!(reported(&json, "市财政局", 63), row("推进中", Some(35.0)));
    assert!(issues_at(&json, "财政局", "表1!R2C4").is_empty());
}

/// Finding 14: ~~45~~ 60 is a correction to 60.
#[test]
fn struck_through_old_percent_beside_the_new_one_reads_the_new_one() {
    for file in [
        corpus("临空经济示范区二季度报告.doc"),
        twin("临空经济示范区二季度报告.docx"),
    ] {
        let json = run(&[file]);
        assert_eq!(
            reported(&json, "国家（南京）临空经济示范区", 16),
            row("推进中", Some(60.0))
        );
        let at = issues_at(&json, "临空", "表1!R2C4");
        assert!(
            at.len() == 1 && at[0].0 == "warning" && at[0].2.contains("“45”"),
            "{at:?}"
        );
    }
}

/// The progress text a unit reported for a task.
fn progress(json: &Value, unit: &str, task: u64) -> Option<String> {
    let task = json["tasks"]
        .as_array()?
        .iter()
        .find(|t| t["id"].as_u64() == Some(task))?;
    let report = task["reports"]
        .as_array()?
        .iter()
        .find(|r| r["unit"].as_str() == Some(unit))?;
    report["progress"].as_str().map(str::to_owned)
}

/// Finding 15: after a docx→RTF→doc round trip cell edges are off by a twip; the progress
/// column must not become a sliver-shifted duplicate of 完成进度.
#[test]
fn column_edges_off_by_a_twip_keep_the_progress_column() {
    let json = run(&[corpus("江北新区二季度试点任务推进情况.doc")]);
    for task in [7, 36, 37, 64, 65] {
        let text = progress(&json, "江北新区", task).unwrap_or_default();
        assert!(!text.trim().is_empty(), "task {task}: no progress read");
    }
    assert_eq!(reported(&json, "江北新区", 37), row("已完成", Some(100.0)));
    assert!(issues_at(&json, "江北新区", "表1!R2C7").is_empty());
}

/// Findings 7, 8: an RTF file and a web page saved with a `.doc` name, without LibreOffice:
/// said to be what they are, with the Word fix, not "plain text" or "a spreadsheet".
#[test]
fn rtf_or_html_saved_as_doc_without_libreoffice_is_named_as_such() {
    let json = run(&[corpus("边检站二季度报告.doc"), corpus("生态环境局二季度报告.doc")]);
    let issues: Vec<(String, String, String)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"].as_str() == Some("unsupported-format"))
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
            (s("file"), s("message"), s("suggestion"))
        })
        .collect();
    assert_eq!(issues.len(), 2, "{issues:?}");
    for (file, message, suggestion) in &issues {
        let what = if file.starts_with("边检站") {
            "RTF 格式的文档"
        } else {
            "网页（HTML）格式的文档"
        };
        assert!(message.contains(what), "{message}");
        assert!(
            !message.contains("纯文本") && !message.contains("表格"),
            "{message}"
        );
        assert!(suggestion.contains("另存为 .docx"), "{suggestion}");
    }
}

/// Findings 7, 8 with LibreOffice installed: both are converted and read like any report.
#[test]
fn rtf_or_html_saved_as_doc_is_converted_with_libreoffice() {
    if roundup::ingest::convert::find_soffice().is_none() {
        eprintln!("skipped: LibreOffice is not installed");
        return;
    }
    let json = run_with(
        &[corpus("边检站二季度报告.doc"), corpus("生态环境局二季度报告.doc")],
        true,
    );
    assert_eq!(reported(&json, "南京边检站", 92), row("推进中", Some(70.0)));
    assert_eq!(reported(&json, "市生态环境局", 23), row("推进中", Some(45.0)));
    assert!(json["missing_units"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u != "南京边检站" && u != "市生态环境局"));
}

/// Finding 13: the progress table continues after a page break as a second table without a
/// header row; its rows are read (and located in the second table), with an info.
#[test]
fn table_continued_after_a_page_break_without_a_header_is_read() {
    for file in [
        corpus("市工信局关于二季度试点任务推进情况的报告.doc"),
        twin("市工信局关于二季度试点任务推进情况的报告.docx"),
    ] {
        let json = run(&[file]);
        assert_eq!(reported(&json, "市工信局", 55), row("已完成", Some(100.0)));
        assert_eq!(reported(&json, "市工信局", 56), row("常态化推进", Some(85.0)));
        assert_eq!(reported(&json, "市工信局", 5), row("推进中", Some(60.0)));
        let task = json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == 55)
            .unwrap();
        assert_eq!(task["reports"][0]["cells"]["status"], "表2!R1C3");
        let info = issues_at(&json, "市工信局", "表2!R1C1");
        assert!(
            info.len() == 1 && info[0].0 == "info" && info[0].2.contains("续表"),
            "{info:?}"
        );
        assert!(issues_with_code(&json, "市工信局", "missing-task").is_empty());
    }
}

/// Finding 9: `边检站…`/`生态环境局…` file names (the unit without its city prefix) name
/// 南京边检站 and 市生态环境局: a file that cannot be read still counts as their submission.
#[test]
fn short_unit_names_in_file_names_count_as_submissions() {
    let json = run(&[corpus("边检站二季度报告.doc"), corpus("生态环境局二季度报告.doc")]);
    let missing: Vec<&str> = json["missing_units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        !missing.contains(&"南京边检站") && !missing.contains(&"市生态环境局"),
        "{missing:?}"
    );
    let units: Vec<(&str, &str)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "unsupported-format")
        .map(|i| (i["file"].as_str().unwrap(), i["unit"].as_str().unwrap_or("")))
        .collect();
    assert!(
        units.contains(&("边检站二季度报告.doc", "南京边检站")),
        "{units:?}"
    );
    assert!(
        units.contains(&("生态环境局二季度报告.doc", "市生态环境局")),
        "{units:?}"
    );
}

/// Finding 12: the unit is named only in the page header (letterhead): accepted as that unit
/// with a warning saying where it was read.
#[test]
fn unit_named_only_in_the_page_header_is_read_from_it_with_a_warning() {
    for file in [
        corpus("二季度试点任务推进情况报告.doc"),
        twin("二季度试点任务推进情况报告.docx"),
    ] {
        let json = run(&[file]);
        assert_eq!(reported(&json, "市人社局", 10), row("推进中", Some(55.0)));
        assert_eq!(reported(&json, "市人社局", 19), row("已完成", Some(100.0)));
        let notes = issues_with_code(&json, "二季度试点", "unit-unidentified");
        assert!(notes.len() == 1 && notes[0].contains("页眉"), "{notes:?}");
        let level = json["issues"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == "unit-unidentified")
            .map(|i| i["level"].clone());
        assert_eq!(level, Some(Value::from("warning")));
        assert!(!json["missing_units"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u == "市人社局"));
    }
}

/// RTF and HTML cannot be rewritten in place like a compound file, so one that names anything
/// outside (a UNC `INCLUDEPICTURE`, an escaped path, an image) is never handed to LibreOffice:
/// it gets `unsupported-format` saying why, with LibreOffice installed or not.
#[test]
fn rtf_or_html_with_links_saved_as_doc_is_never_converted() {
    let work = tempfile::tempdir().unwrap();
    let rtf = work.path().join("市外办二季度报告.doc");
    std::fs::write(
        &rtf,
        br#"{\rtf1\ansi {\field{\*\fldinst INCLUDEPICTURE "\\\\127.0.0.1\\s\\x.png" \\d}{\fldrslt }}\par}"#,
    )
    .unwrap();
    let escaped = work.path().join("市教育局二季度报告.doc");
    std::fs::write(&escaped, br"{\rtf1\ansi \'5c\'5c127.0.0.1\'5cs\par}").unwrap();
    let html = work.path().join("市卫健委二季度报告.doc");
    std::fs::write(
        &html,
        "<html><body><p>报告</p><img src=\"file:////127.0.0.1/s/x.png\"></body></html>",
    )
    .unwrap();
    for with_soffice in [true, false] {
        let json = run_with(&[rtf.clone(), escaped.clone(), html.clone()], with_soffice);
        for stem in ["市外办", "市教育局", "市卫健委"] {
            let found = issues_with_code(&json, stem, "unsupported-format");
            assert_eq!(found.len(), 1, "{stem} (LibreOffice {with_soffice}): {found:?}");
            if with_soffice {
                assert!(found[0].contains("为安全起见不自动转换"), "{stem}: {found:?}");
            }
        }
    }
}
