//! Reading what units really send: files made by other producers (openpyxl, xlwt,
//! python-docx; `tests/fixtures/evidence/generate.py`) whose evidence must be cross-checked —
//! period labels over repeated columns, competing id columns, ids contradicted by their task
//! text, header glosses, percents whose scale is a guess — read by the real binary, with the
//! exact value, code and cell of every reading (contract §2, §5, §7).

mod common;

use common::{repo, run_round, set_local_mtime};
use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
use roundup::diag::Code;
use roundup::validate::{Cells, FileResult};
use serde_json::Value;
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::OnceLock;

const ROUND: &str = "2024Q3";

fn fixtures() -> PathBuf {
    repo().join("tests/fixtures/evidence")
}

/// `roundup run --round 2024Q3` over every fixture; the round's roundup.json.
fn consolidated() -> &'static Value {
    static JSON: OnceLock<Value> = OnceLock::new();
    JSON.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let (inbox, outbox) = (dir.path().join("inbox"), dir.path().join("outbox"));
        std::fs::create_dir_all(&inbox).unwrap();
        for entry in std::fs::read_dir(fixtures()).unwrap().map(Result::unwrap) {
            let name = entry.file_name();
            if !name.to_string_lossy().ends_with(".py") {
                std::fs::copy(entry.path(), inbox.join(name)).unwrap();
            }
        }
        run_round(&inbox, &outbox, ROUND)
    })
}

/// (status, percent, location) of `unit`'s report on `task`.
fn read(unit: &str, task: u64) -> (Option<String>, Option<f64>, Option<String>) {
    let reports = consolidated()["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_u64() == Some(task))
        .unwrap_or_else(|| panic!("task {task}"))["reports"]
        .as_array()
        .unwrap();
    let report = reports
        .iter()
        .find(|r| r["unit"].as_str() == Some(unit))
        .unwrap_or_else(|| panic!("no report of {unit} on task {task}: {reports:#?}"));
    (
        report["status"].as_str().map(str::to_owned),
        report["percent"].as_f64(),
        report["location"].as_str().map(str::to_owned),
    )
}

fn row(status: &str, percent: f64, location: &str) -> (Option<String>, Option<f64>, Option<String>) {
    (Some(status.into()), Some(percent), Some(location.into()))
}

/// True when `unit` has a report on `task`.
fn has_report(unit: &str, task: u64) -> bool {
    consolidated()["tasks"].as_array().unwrap().iter().any(|t| {
        t["id"].as_u64() == Some(task)
            && t["reports"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["unit"].as_str() == Some(unit))
    })
}

/// (level, code, location, task) of a file's issues, in output order.
fn issues(file: &str) -> Vec<(String, String, String, Option<u64>)> {
    file_issues(file)
        .iter()
        .map(|i| {
            (
                i["level"].as_str().unwrap().to_owned(),
                i["code"].as_str().unwrap().to_owned(),
                i["location"].as_str().unwrap_or("").to_owned(),
                i["task"].as_u64(),
            )
        })
        .collect()
}

fn file_issues(file: &str) -> Vec<&'static Value> {
    consolidated()["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(file))
        .collect()
}

fn issue(
    level: &str,
    code: &str,
    location: &str,
    task: Option<u64>,
) -> (String, String, String, Option<u64>) {
    (level.into(), code.into(), location.into(), task)
}

/// The outcome of an inbox file in roundup.json.
fn outcome(file: &str) -> String {
    consolidated()["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["files"].as_array().unwrap())
        .find(|f| f["path"].as_str() == Some(file))
        .map_or_else(|| "absent".into(), |f| f["outcome"].as_str().unwrap().to_owned())
}

/// Ingests and validates one file as `roundup run` does (for what roundup.json does not
/// carry yet, such as `cells`).
fn validate(name: &str, bytes: &[u8]) -> FileResult {
    common::validate_as_run(name, bytes, ROUND)
}

fn fixture(name: &str) -> FileResult {
    validate(name, &std::fs::read(fixtures().join(name)).unwrap())
}

fn cells(status: &str, percent: &str, progress: &str) -> Cells {
    Cells {
        status: Some(status.into()),
        percent: Some(percent.into()),
        progress: Some(progress.into()),
    }
}

// ---------------------------------------------------------------------------------------
// Column groups by period

#[test]
fn the_group_of_this_round_is_read_wherever_it_stands() {
    assert_eq!(read("市医保局", 21), row("已完成", 100.0, "进展情况!E5"));
    assert_eq!(read("市医保局", 35), row("推进中", 30.0, "进展情况!E6"));
    assert_eq!(
        issues("市医保局-分期进展表.xlsx"),
        vec![
            issue("info", "ignored-column", "进展情况!C4", None),
            issue("info", "ignored-column", "进展情况!D4", None),
        ]
    );
    let note = file_issues("市医保局-分期进展表.xlsx")[0]["message"]
        .as_str()
        .unwrap();
    assert!(note.contains("2024年第二季度"), "{note}");
}

#[test]
fn no_group_of_this_round_is_header_not_found_never_the_first_group() {
    assert_eq!(
        issues("南京边检站-进展表.xlsx"),
        vec![issue("error", "header-not-found", "进展情况!C3", None)]
    );
    assert_eq!(outcome("南京边检站-进展表.xlsx"), "rejected");
    assert!(!has_report("南京边检站", 92));
    let message = file_issues("南京边检站-进展表.xlsx")[0]["message"]
        .as_str()
        .unwrap();
    assert_eq!(message.matches("2024年第一季度").count(), 1, "{message}");
    assert!(message.contains("2024年第三季度"), "{message}");
}

#[test]
fn a_period_inside_the_header_cell_chooses_the_column() {
    assert_eq!(read("市司法局", 49), row("推进中", 65.0, "Sheet1!E4"));
    assert_eq!(read("市司法局", 50), row("常态化推进", 90.0, "Sheet1!E5"));
    assert_eq!(
        issues("市司法局-进展表.xls"),
        vec![
            issue("info", "ignored-column", "Sheet1!C3", None),
            issue("info", "ignored-column", "Sheet1!D3", None),
        ]
    );
}

#[test]
fn period_labels_in_the_row_above_a_one_row_header_count() {
    assert_eq!(read("市财政局", 63), row("推进中", 55.0, "进展情况!E5"));
    assert_eq!(read("市财政局", 95), row("推进中", 20.0, "进展情况!E6"));
    assert_eq!(
        issues("市财政局-进展表.xlsx"),
        vec![
            issue("info", "ignored-column", "进展情况!C4", None),
            issue("info", "ignored-column", "进展情况!D4", None),
        ]
    );
}

#[test]
fn a_word_table_reads_the_group_of_this_round_and_says_what_it_lacks() {
    let file = "市卫健委关于2024年第三季度试点任务推进情况的报告.docx";
    assert_eq!(read("市卫健委", 30), row("推进中", 60.0, "表1!R3C3"));
    assert_eq!(read("市卫健委", 32), row("推进中", 45.0, "表1!R4C3"));
    let mut expected = vec![
        issue("info", "ignored-column", "表1!R2C5", None),
        issue("info", "ignored-column", "表1!R2C6", None),
    ];
    for task in [33, 38, 96, 97] {
        expected.push(issue("warning", "missing-task", "第1段", Some(task)));
    }
    assert_eq!(issues(file), expected);
}

// ---------------------------------------------------------------------------------------
// Competing id columns and ids contradicted by their text

#[test]
fn the_id_column_that_agrees_with_the_task_text_is_read() {
    assert_eq!(read("市文旅局", 15), row("推进中", 50.0, "进展情况!D4"));
    assert_eq!(read("市文旅局", 47), row("推进中", 65.0, "进展情况!D5"));
    assert_eq!(read("市文旅局", 68), row("已完成", 100.0, "进展情况!D6"));
    assert_eq!(read("市文旅局", 69), row("推进中", 40.0, "进展情况!D7"));
    assert_eq!(read("市文旅局", 71), row("常态化推进", 90.0, "进展情况!D8"));
    for running in 1..=5 {
        assert!(
            !has_report("市文旅局", running),
            "running number {running} is no task"
        );
    }
    assert_eq!(
        issues("市文旅局-进展表.xlsx"),
        vec![issue("info", "ignored-column", "进展情况!A3", None)]
    );
    let note = file_issues("市文旅局-进展表.xlsx")[0]["message"]
        .as_str()
        .unwrap();
    assert!(note.contains("“序号”") && note.contains("“任务编号”"), "{note}");
}

#[test]
fn an_id_its_text_contradicts_is_settled_by_evidence_or_rejected_at_the_cell() {
    // Row 4: id 12 (市建委's) beside task 11's text: the unit leads 11, not 12.
    assert_eq!(read("市人社局", 11), row("推进中", 45.0, "进展情况!C4"));
    assert!(!has_report("市人社局", 12));
    // Row 5: id 10 beside task 19's text, both the unit's: not read. Row 6 is task 19.
    assert_eq!(read("市人社局", 19), row("推进中", 70.0, "进展情况!C6"));
    assert!(!has_report("市人社局", 10));
    assert_eq!(
        issues("市人社局-进展表.xlsx"),
        vec![
            issue("warning", "task-text-mismatch", "进展情况!A4", Some(11)),
            issue("error", "task-text-mismatch", "进展情况!A5", Some(10)),
            issue("warning", "missing-task", "进展情况!A3", Some(10)),
        ]
    );
    let settled = file_issues("市人社局-进展表.xlsx")[0]["message"]
        .as_str()
        .unwrap();
    assert!(settled.contains("市人社局牵头任务11而非任务12"), "{settled}");
}

// ---------------------------------------------------------------------------------------
// Header glosses, percent guesses

#[test]
fn header_glosses_numbering_and_notes_are_read_quietly() {
    assert_eq!(read("市统计局", 51), row("推进中", 60.0, "三季度!D4"));
    assert_eq!(issues("市统计局-进展表.xlsx"), vec![]);
}

#[test]
fn a_percent_of_one_without_format_is_read_by_its_status_with_a_warning() {
    assert_eq!(
        read("市委组织部（市委人才办）", 62),
        row("已完成", 100.0, "进展情况!C4")
    );
    assert_eq!(
        issues("市委人才办-进展表.xlsx"),
        vec![issue("warning", "invalid-percent", "进展情况!D4", Some(62))]
    );
}

// ---------------------------------------------------------------------------------------
// Provenance

#[test]
fn each_report_says_where_its_values_were_read() {
    let sheet = fixture("市医保局-分期进展表.xlsx");
    let found: Vec<(u32, &Cells)> = sheet.rows.iter().map(|r| (r.task, &r.cells)).collect();
    assert_eq!(
        found,
        vec![
            (21, &cells("进展情况!E5", "进展情况!F5", "进展情况!G5")),
            (35, &cells("进展情况!E6", "进展情况!F6", "进展情况!G6")),
        ]
    );
    let word = fixture("市卫健委关于2024年第三季度试点任务推进情况的报告.docx");
    assert_eq!(word.rows[0].cells, cells("表1!R3C3", "表1!R3C4", "表1!R3C7"));
}

// ---------------------------------------------------------------------------------------
// Word tables over the row limit

fn docx_cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
}

fn docx_row(texts: &[&str]) -> TableRow {
    TableRow::new(texts.iter().map(|t| docx_cell(t)).collect())
}

#[test]
fn a_word_table_over_the_row_limit_is_refused_at_its_header() {
    let mut rows = vec![docx_row(&["序号", "试点任务", "完成状态", "本期工作进展"])];
    rows.extend((0..2_001).map(|_| docx_row(&["89", "甲", "推进中", "乙"])));
    let docx = Docx::new()
        .add_paragraph(
            Paragraph::new().add_run(Run::new().add_text("市外办关于2024年第三季度试点任务推进情况的报告")),
        )
        .add_table(Table::new(rows));
    let mut bytes = Cursor::new(Vec::new());
    docx.build().pack(&mut bytes).unwrap();
    let result = validate("市外办报告.docx", &bytes.into_inner());
    assert!(!result.rejected);
    let found: Vec<(Code, Option<&str>, Option<u32>)> = result
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.as_deref(), d.task))
        .collect();
    assert_eq!(
        found,
        vec![
            (Code::UnreadableFile, Some("表1!R1C1"), None),
            (Code::MissingTask, Some("第1段"), Some(89)),
            (Code::MissingTask, Some("第1段"), Some(90)),
            (Code::MissingTask, Some("第1段"), Some(91)),
        ]
    );
    assert!(
        result.diagnostics[0].message.contains("2000"),
        "{}",
        result.diagnostics[0].message
    );
}

// ---------------------------------------------------------------------------------------
// Which sheets of a workbook are read (issue #14: evidence, never position in silence)

/// The (task, percent, status cell) of each row read.
fn read_rows(result: &FileResult) -> Vec<(u32, Option<f64>, Option<&str>)> {
    result
        .rows
        .iter()
        .map(|r| (r.task, r.percent, r.cells.status.as_deref()))
        .collect()
}

/// The (code, location) of each diagnostic.
fn found_codes(result: &FileResult) -> Vec<(Code, Option<&str>)> {
    result
        .diagnostics
        .iter()
        .map(|d| (d.code, d.location.as_deref()))
        .collect()
}

#[test]
fn an_example_sheet_is_not_read_and_says_so() {
    let result = fixture("市生态环境局-进展表.xlsx");
    assert!(!result.rejected, "{:?}", result.diagnostics);
    assert_eq!(read_rows(&result), vec![(23, Some(40.0), Some("三季度!C4"))]);
    let note = &result.diagnostics[0];
    assert_eq!(
        (note.code, note.location.as_deref()),
        (Code::HiddenSheet, Some("填写示例"))
    );
    assert!(note.message.contains("填写示例"), "{}", note.message);
}

#[test]
fn one_sheet_per_quarter_reads_this_quarters_sheet_whatever_its_position() {
    let result = fixture("南京禄口机场海关-按季度进展表.xlsx");
    assert!(!result.rejected, "{:?}", result.diagnostics);
    assert_eq!(read_rows(&result), vec![(16, Some(45.0), Some("Sheet2!C4"))]);
    let found = found_codes(&result);
    assert!(
        found.contains(&(Code::HiddenSheet, Some("Sheet1!A1"))),
        "{found:?}"
    );
    assert!(!found.iter().any(|(c, _)| *c == Code::StaleRound), "{found:?}");
    let note = result.diagnostics.iter().find(|d| d.code == Code::HiddenSheet);
    let message = note.map_or("", |d| d.message.as_str());
    assert!(message.contains("2024年第二季度"), "{message}");
}

#[test]
fn a_units_tasks_split_over_two_sheets_are_all_read() {
    let result = fixture("市规划和自然资源局-分部分进展表.xlsx");
    assert!(!result.rejected, "{:?}", result.diagnostics);
    assert_eq!(
        read_rows(&result),
        vec![
            (54, Some(20.0), Some("第一部分!C4")),
            (60, Some(100.0), Some("第二部分!C2"))
        ]
    );
    assert!(
        result.diagnostics.iter().all(|d| d.code != Code::MissingTask),
        "{:?}",
        result.diagnostics
    );
}

#[test]
fn another_units_sheet_in_a_joint_workbook_is_never_dropped_in_silence() {
    let result = fixture("市民政局-联合进展表.xlsx");
    assert!(!result.rejected, "{:?}", result.diagnostics);
    assert_eq!(result.unit.as_deref(), Some("市民政局"));
    assert_eq!(read_rows(&result), vec![(33, Some(60.0), Some("市民政局!C4"))]);
    let warning = result
        .diagnostics
        .iter()
        .find(|d| d.code == Code::UnitConflict)
        .expect("a warning for the other unit's sheet");
    assert_eq!(warning.location.as_deref(), Some("市委宣传部!A2"));
    assert!(!warning.is_error());
    assert!(warning.message.contains("市委宣传部"), "{}", warning.message);
}

// ---------------------------------------------------------------------------------------
// Files of the red-team corpus 2 (tests/corpora/redteam2: openpyxl, re-saved by LibreOffice),
// each defect it found run on its own file

/// `roundup run --round 2025Q1` over the named files of the red-team 2 round, each with the
/// file time given (local time); the round's roundup.json.
fn redteam2(files: &[(&str, &str)]) -> Value {
    let round = repo().join("tests/corpora/redteam2/round/2025Q1");
    let dir = tempfile::tempdir().unwrap();
    let (inbox, outbox) = (dir.path().join("inbox"), dir.path().join("outbox"));
    std::fs::create_dir_all(inbox.join("2025Q1")).unwrap();
    for (name, time) in files {
        let target = inbox.join("2025Q1").join(name);
        std::fs::copy(round.join(name), &target).unwrap();
        let time = chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H:%M").unwrap();
        set_local_mtime(&target, time);
    }
    run_round(&inbox, &outbox, "2025Q1")
}

/// (status, percent, location) of `unit`'s report on `task` in a roundup.json.
fn report_in(json: &Value, unit: &str, task: u64) -> (Option<String>, Option<f64>, Option<String>) {
    let reports = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_u64() == Some(task))
        .unwrap_or_else(|| panic!("task {task}"))["reports"]
        .as_array()
        .unwrap();
    let report = reports
        .iter()
        .find(|r| r["unit"].as_str() == Some(unit))
        .unwrap_or_else(|| panic!("no report of {unit} on task {task}: {reports:#?}"));
    (
        report["status"].as_str().map(str::to_owned),
        report["percent"].as_f64(),
        report["location"].as_str().map(str::to_owned),
    )
}

/// The issues of `file` with `code` in a roundup.json: (level, location, task, message).
fn issues_in(json: &Value, file: &str, code: &str) -> Vec<(String, String, Option<u64>, String)> {
    json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(file) && i["code"].as_str() == Some(code))
        .map(|i| {
            (
                i["level"].as_str().unwrap().to_owned(),
                i["location"].as_str().unwrap_or("").to_owned(),
                i["task"].as_u64(),
                i["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// The (outcome, date) of an inbox file in a roundup.json.
fn submitted(json: &Value, file: &str) -> (String, String) {
    let entry = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["files"].as_array().unwrap())
        .find(|f| f["path"].as_str() == Some(file))
        .unwrap_or_else(|| panic!("{file} not in submissions"));
    (
        entry["outcome"].as_str().unwrap().to_owned(),
        entry["date"].as_str().unwrap_or("").to_owned(),
    )
}

#[test]
fn a_chinese_numeral_filing_date_is_read_and_decides_between_versions() {
    let (plain, revised) = ("统计局进展表.xlsx", "统计局进展表（修改）.xlsx");
    let json = redteam2(&[
        // 填报日期：二〇二五年四月三日, saved on 4月7日.
        ("发改委试点任务进展（2025年一季度）.xlsx", "2025-04-07T10:00"),
        // 二〇二五年四月八日, with a file time before the other file's 填报日期 2025.4.3.
        (plain, "2025-04-01T10:00"),
        (revised, "2025-04-10T09:00"),
    ]);
    assert_eq!(
        submitted(&json, "发改委试点任务进展（2025年一季度）.xlsx"),
        ("used".into(), "2025-04-03".into())
    );
    assert_eq!(submitted(&json, plain), ("used".into(), "2025-04-08".into()));
    assert_eq!(submitted(&json, revised).0, "superseded");
    // The warning names each file with its own date.
    let warnings = issues_in(&json, plain, "superseded");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(
        warnings[0].3,
        "“统计局进展表（修改）.xlsx”的文件名标有“修改”，但本文件填报日期为2025年4月8日，“统计局进展表（修改）.xlsx”填报日期为2025年4月3日，本文件日期在后，按日期采用了本文件"
    );
}

#[test]
fn a_hidden_row_from_last_quarter_yields_to_the_visible_row() {
    let file = "卫健委-一季度推进情况.xlsx";
    let json = redteam2(&[(file, "2025-04-07T10:00")]);
    assert_eq!(
        report_in(&json, "市卫健委", 30),
        (Some("常态化推进".into()), Some(90.0), Some("卫健委!D5".into()))
    );
    let duplicates = issues_in(&json, file, "duplicate-task");
    assert_eq!(duplicates.len(), 1, "{duplicates:?}");
    let (level, location, task, message) = &duplicates[0];
    assert_eq!(
        (level.as_str(), location.as_str(), *task),
        ("warning", "卫健委!A4", Some(30))
    );
    assert!(
        message.contains("隐藏行") && message.contains("第5行"),
        "{message}"
    );
}

#[test]
fn a_formula_running_number_yields_to_the_exact_task_text() {
    let file = "市场监管局进展表（分部分）.xlsx";
    let json = redteam2(&[(file, "2025-04-07T10:00")]);
    // Sorted by status, `=ROW()-3` renumbered the rows: A6 says 3 beside task 4's full text,
    // A7 says 4 beside task 2's.
    assert_eq!(
        report_in(&json, "市市场监管局", 4),
        (Some("常态化推进".into()), Some(80.0), Some("第一部分!D6".into()))
    );
    assert_eq!(
        report_in(&json, "市市场监管局", 2),
        (Some("推进中".into()), Some(20.0), Some("第一部分!D7".into()))
    );
    let mismatches = issues_in(&json, file, "task-text-mismatch");
    assert!(mismatches.iter().all(|m| m.0 == "warning"), "{mismatches:?}");
    for (location, task) in [("第一部分!A6", 4), ("第一部分!A7", 2)] {
        let found = mismatches.iter().find(|m| m.1 == location).unwrap();
        assert_eq!(found.2, Some(task));
        assert!(found.3.contains("序号由公式按行号生成"), "{}", found.3);
    }
}

#[test]
fn numbered_notes_under_the_total_row_are_no_tasks() {
    let file = "市商务局一季度推进情况表.xlsx";
    let json = redteam2(&[(file, "2025-04-07T10:00")]);
    // 合计, then 说明：, then notes numbered 1 2 3 in the 序号 column (rows 19–21).
    for task in 1..=3 {
        let reports = json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"].as_u64() == Some(task))
            .unwrap()["reports"]
            .as_array()
            .unwrap();
        assert!(
            reports.iter().all(|r| r["unit"].as_str() != Some("市商务局")),
            "task {task}: {reports:#?}"
        );
    }
    let noisy: Vec<&Value> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(file))
        .filter(|i| {
            ["19", "20", "21"]
                .iter()
                .any(|r| i["location"].as_str().is_some_and(|l| l.ends_with(r)))
        })
        .collect();
    assert!(noisy.is_empty(), "{noisy:#?}");
    assert_eq!(report_in(&json, "市商务局", 82).0.as_deref(), Some("已完成"));
}

#[test]
fn ticks_in_per_status_columns_are_the_status() {
    let file = "市工信局一季度试点任务推进情况.xlsx";
    let json = redteam2(&[(file, "2025-04-07T10:00")]);
    // 完成情况 merged over 未启动 / 推进中 / 已完成 / 常态化推进 (C–F), a ✓ in one of them.
    assert_eq!(
        report_in(&json, "市工信局", 5),
        (Some("已完成".into()), Some(100.0), Some("推进情况!E5".into()))
    );
    assert_eq!(
        report_in(&json, "市工信局", 6),
        (Some("未启动".into()), Some(0.0), Some("推进情况!C6".into()))
    );
    assert_eq!(report_in(&json, "市工信局", 42).0.as_deref(), Some("常态化推进"));
    assert!(issues_in(&json, file, "invalid-status").is_empty());
    assert!(issues_in(&json, file, "ignored-column").is_empty());
}
