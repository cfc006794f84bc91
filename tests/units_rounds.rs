//! Which unit, which round (contract §4, §5, §7), end to end on files made by other producers
//! (openpyxl and python-docx, `tests/fixtures/units_rounds/generate.py`): unit names in full,
//! with the city prefix or unknown; files that fail but name their unit; misplaced files and an
//! outbox inside the inbox; `check` taking the round from its folder; resubmissions in the
//! contract's order; status conflicts; and the safety net for tasks nobody reported.

mod common;

use common::{path, read_json, repo, roundup, run_round};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

const ROUND: &str = "2024Q3";

/// The committed fixtures of one group (`names`, `round`, `resubmit`, `conflicts`).
fn fixtures(group: &str) -> PathBuf {
    repo().join("tests/fixtures/units_rounds").join(group)
}

/// Copies the files of fixture `group` into `to` (created), returning their names.
fn copy_group(group: &str, to: &Path) -> Vec<String> {
    std::fs::create_dir_all(to).unwrap();
    let mut names = Vec::new();
    for entry in std::fs::read_dir(fixtures(group)).unwrap().map(Result::unwrap) {
        let name = entry.file_name().to_string_lossy().into_owned();
        std::fs::copy(entry.path(), to.join(&name)).unwrap();
        names.push(name);
    }
    names.sort();
    names
}

/// Runs round 2024Q3 on `inbox` into `outbox`; returns `roundup.json`.
fn run(inbox: &Path, outbox: &Path) -> Value {
    run_round(inbox, outbox, ROUND)
}

/// One issue as (level, code, location, task), for exact comparisons.
type Brief = (String, String, Option<String>, Option<u64>);

fn brief(issue: &Value) -> Brief {
    (
        issue["level"].as_str().unwrap_or_default().to_owned(),
        issue["code"].as_str().unwrap_or_default().to_owned(),
        issue["location"].as_str().map(str::to_owned),
        issue["task"].as_u64(),
    )
}

fn expect(level: &str, code: &str, location: Option<&str>, task: Option<u64>) -> Brief {
    (level.into(), code.into(), location.map(str::to_owned), task)
}

/// Every issue on `file`, in output order.
fn issues_of(json: &Value, file: &str) -> Vec<Brief> {
    json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(file))
        .map(brief)
        .collect()
}

/// The one issue with `code` on `file`.
fn issue<'a>(json: &'a Value, file: &str, code: &str) -> &'a Value {
    let all: Vec<&Value> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(file) && i["code"].as_str() == Some(code))
        .collect();
    assert_eq!(all.len(), 1, "{file} {code}: {all:#?}");
    all[0]
}

/// (unit, outcome) of `file` in the submissions.
fn submitted(json: &Value, file: &str) -> Option<(String, String)> {
    json["submissions"].as_array()?.iter().find_map(|s| {
        let f = s["files"]
            .as_array()?
            .iter()
            .find(|f| f["path"].as_str() == Some(file))?;
        Some((s["unit"].as_str()?.to_owned(), f["outcome"].as_str()?.to_owned()))
    })
}

fn missing_units(json: &Value) -> Vec<String> {
    json["missing_units"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_owned())
        .collect()
}

/// (status, percent, file) of `unit`'s report on `task`.
fn report(json: &Value, task: u64, unit: &str) -> (Option<String>, Option<f64>, String) {
    let task = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_u64() == Some(task))
        .unwrap();
    let r = task["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"].as_str() == Some(unit))
        .unwrap_or_else(|| panic!("no report of {unit} on task {}", task["id"]));
    (
        r["status"].as_str().map(str::to_owned),
        r["percent"].as_f64(),
        r["file"].as_str().unwrap_or_default().to_owned(),
    )
}

fn names_round() -> &'static Value {
    static JSON: std::sync::OnceLock<(tempfile::TempDir, Value)> = std::sync::OnceLock::new();
    let (_, json) = JSON.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        copy_group("names", &dir.path().join("inbox"));
        let json = run(&dir.path().join("inbox"), &dir.path().join("outbox"));
        (dir, json)
    });
    json
}

// ---- 1. unit names -------------------------------------------------------------------

#[test]
fn official_full_name_and_city_prefix_are_known_units() {
    let json = names_round();
    let file = "南京市发改委-2024Q3.xlsx";
    assert_eq!(submitted(json, file), Some(("市发改委".into(), "used".into())));
    assert_eq!(issues_of(json, file), vec![]);
    assert_eq!(report(json, 86, "市发改委").0.as_deref(), Some("推进中"));
    let file = "营业管理部关于2024年第三季度试点任务推进情况的报告.docx";
    assert_eq!(
        submitted(json, file),
        Some(("人行南京营管部".into(), "used".into()))
    );
    assert_eq!(issues_of(json, file), vec![]);
}

#[test]
fn an_unknown_name_is_assumed_from_the_lead_column_with_a_warning_at_its_cell() {
    let json = names_round();
    let file = "三季度进展-统计.xlsx";
    assert_eq!(submitted(json, file), Some(("市统计局".into(), "used".into())));
    assert_eq!(
        issues_of(json, file),
        vec![expect("warning", "unknown-unit", Some("进展情况!A2"), None)]
    );
    let d = issue(json, file, "unknown-unit");
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("南京市统计信息中心")
            && message.contains("牵头单位列")
            && message.contains("市统计局"),
        "{message}"
    );
    assert_eq!(report(json, 51, "市统计局").0.as_deref(), Some("推进中"));
}

#[test]
fn an_unknown_report_title_is_assumed_from_the_file_name_with_a_warning_at_its_paragraph() {
    let json = names_round();
    let file = "市委网信办-三季度报告.docx";
    assert_eq!(submitted(json, file), Some(("市委网信办".into(), "used".into())));
    assert_eq!(
        issues_of(json, file),
        vec![expect("warning", "unknown-unit", Some("第1段"), None)]
    );
    let message = issue(json, file, "unknown-unit")["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        message.contains("南京市网络信息办公室") && message.contains("文件名"),
        "{message}"
    );
}

#[test]
fn an_unknown_name_nothing_agrees_on_is_an_error_suggesting_the_nearest_unit() {
    let json = names_round();
    let file = "进展表-不明单位.xlsx";
    assert_eq!(
        issues_of(json, file),
        vec![expect("error", "unknown-unit", Some("进展情况!A2"), None)]
    );
    let hint = issue(json, file, "unknown-unit")["suggestion"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(hint.contains("市科技局"), "{hint}");
}

// ---- 2. a file that fails but names its unit --------------------------------------------

#[test]
fn a_failed_file_counts_as_its_units_submission() {
    let json = names_round();
    for (file, unit, code) in [
        ("市司法局进展表.xlsx", "市司法局", "unreadable-file"),
        ("市教育局进展表.xlsx", "市教育局", "header-not-found"),
    ] {
        assert_eq!(submitted(json, file), Some((unit.into(), "rejected".into())));
        let d = issue(json, file, code);
        assert_eq!(
            (d["level"].as_str(), d["unit"].as_str()),
            (Some("error"), Some(unit))
        );
        assert!(
            !missing_units(json).contains(&unit.to_owned()),
            "{unit} sent a file: not missing"
        );
    }
    assert!(missing_units(json).contains(&"市公安局".to_owned()));
}

// ---- 3. misplaced files, an outbox inside the inbox ----------------------------------------

#[test]
fn files_beside_the_round_folder_are_listed_as_misplaced_and_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    copy_group("round", &inbox.join(ROUND));
    copy_group("round", &inbox);
    std::fs::rename(
        inbox.join("市公安局-进展表.xlsx"),
        inbox.join("市公安局-进展表（副本）.xlsx"),
    )
    .unwrap();
    copy_group("names", &inbox.join("2024Q2"));
    std::fs::create_dir(inbox.join("其他")).unwrap();
    std::fs::write(inbox.join("其他/说明.txt"), "x").unwrap();
    std::fs::write(inbox.join("~$锁定.xlsx"), "x").unwrap();
    let json = run(&inbox, &dir.path().join("outbox"));

    for (rel, folder) in [
        ("../市公安局-进展表（副本）.xlsx", "根目录"),
        ("../其他/说明.txt", "“其他”文件夹"),
    ] {
        assert_eq!(
            issues_of(&json, rel),
            vec![expect("warning", "misplaced-file", None, None)]
        );
        let message = issue(&json, rel, "misplaced-file")["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains(folder) && message.contains(ROUND), "{message}");
    }
    let unit = issue(&json, "../市公安局-进展表（副本）.xlsx", "misplaced-file")["unit"].clone();
    assert_eq!(unit, "市公安局");
    assert_eq!(
        submitted(&json, "市公安局-进展表.xlsx"),
        Some(("市公安局".into(), "used".into()))
    );
    let manifest = read_json(&dir.path().join("outbox").join(ROUND).join("manifest.json"));
    let inputs: Vec<(&str, &str)> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(
        inputs,
        vec![
            ("../其他/说明.txt", "skipped"),
            ("../市公安局-进展表（副本）.xlsx", "skipped"),
            ("市公安局-进展表.xlsx", "used"),
        ],
        "the other round's folder and lock files are left out; nothing else is"
    );
}

#[test]
fn an_outbox_inside_the_inbox_is_never_read() {
    for nested in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        copy_group("round", &inbox);
        let outbox = if nested { inbox.join("out") } else { inbox.clone() };
        let first = run(&inbox, &outbox);
        let second = run(&inbox, &outbox);
        assert_eq!(first["submissions"], second["submissions"], "nested: {nested}");
        assert_eq!(first["issues"], second["issues"], "nested: {nested}");
        let manifest = read_json(&outbox.join(ROUND).join("manifest.json"));
        let inputs: Vec<&str> = manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(inputs, vec!["市公安局-进展表.xlsx"], "nested: {nested}");
    }
}

#[test]
fn submissions_in_the_round_folder_are_read_even_when_outputs_land_there() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    copy_group("round", &inbox.join(ROUND));
    run(&inbox, &inbox);
    let second = run(&inbox, &inbox);
    assert_eq!(
        submitted(&second, "市公安局-进展表.xlsx"),
        Some(("市公安局".into(), "used".into()))
    );
    let manifest = read_json(&inbox.join(ROUND).join("manifest.json"));
    assert_eq!(manifest["inputs"].as_array().unwrap().len(), 1, "{manifest:#}");
}

// ---- 4. check takes the round from the folder ----------------------------------------------

#[test]
fn check_takes_the_round_from_a_round_folder_in_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join(ROUND);
    copy_group("round", &folder);
    copy_group("round", dir.path());
    let check = |p: &Path| {
        let out = roundup(&["check", "--format", "json", path(p)]);
        serde_json::from_slice::<Value>(&out.stdout).unwrap()
    };
    let codes = |json: &Value| -> Vec<String> {
        json["issues"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(&check(&folder)), Vec::<String>::new());
    assert_eq!(
        codes(&check(&folder.join("市公安局-进展表.xlsx"))),
        Vec::<String>::new()
    );
    // Outside a round folder the default round (today's) applies: the 2024 file is stale.
    let outside = check(&dir.path().join("市公安局-进展表.xlsx"));
    assert_eq!(codes(&outside), vec!["stale-round"]);
}

// ---- 5. resubmissions ----------------------------------------------------------------------

/// 2024-10-`day` at `hour`:00, local time (file days are read in local time).
fn at(day: u32, hour: u32) -> SystemTime {
    use chrono::TimeZone;
    let local = chrono::Local.with_ymd_and_hms(2024, 10, day, hour, 0, 0).single();
    SystemTime::from(local.expect("a plain local time"))
}

fn set_time(file: &Path, time: SystemTime) {
    let f = std::fs::File::options().write(true).open(file).unwrap();
    f.set_modified(time).unwrap();
}

fn resubmit_round() -> &'static Value {
    static JSON: std::sync::OnceLock<(tempfile::TempDir, Value)> = std::sync::OnceLock::new();
    let (_, json) = JSON.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let inbox = dir.path().join("inbox");
        copy_group("resubmit", &inbox);
        for (file, day, hour) in [
            ("市规划和自然资源局进展（初稿）.xlsx", 9, 12),
            ("市规划和自然资源局进展.xlsx", 8, 12),
            ("作废-市教育局进展表.xlsx", 10, 12),
            ("市教育局进展表.xlsx", 8, 12),
            ("市司法局进展表v2.xlsx", 9, 15),
            ("市司法局进展表v3.xlsx", 9, 10),
            ("金陵海关进展表.xlsx", 9, 16),
            ("金陵海关进展表（修改）.xlsx", 9, 11),
            ("市医保局进展表（最新）.xlsx", 9, 12),
            ("市医保局进展表.xlsx", 9, 10),
            ("市大数据局进展表.xlsx", 9, 12),
            ("市大数据局进展表(2).xlsx", 8, 12),
            ("市民政局进展表-上午.xlsx", 8, 9),
            ("市民政局进展表-下午.xlsx", 8, 15),
            ("市统计局进展表-甲.xlsx", 8, 12),
            ("市统计局进展表-乙.xlsx", 8, 12),
        ] {
            set_time(&inbox.join(file), at(day, hour));
        }
        let json = run(&inbox, &dir.path().join("outbox"));
        (dir, json)
    });
    json
}

#[test]
fn resubmissions_follow_the_contracts_order() {
    let json = resubmit_round();
    // (used, superseded, unit, rule)
    for (used, superseded, unit) in [
        (
            "市规划和自然资源局进展.xlsx",
            "市规划和自然资源局进展（初稿）.xlsx",
            "市规划和自然资源局",
        ),
        ("市教育局进展表.xlsx", "作废-市教育局进展表.xlsx", "市教育局"),
        ("市司法局进展表v3.xlsx", "市司法局进展表v2.xlsx", "市司法局"),
        ("金陵海关进展表（修改）.xlsx", "金陵海关进展表.xlsx", "金陵海关"),
        ("市医保局进展表.xlsx", "市医保局进展表（最新）.xlsx", "市医保局"),
        ("市大数据局进展表.xlsx", "市大数据局进展表(2).xlsx", "市大数据局"),
        ("市民政局进展表-下午.xlsx", "市民政局进展表-上午.xlsx", "市民政局"),
        ("市统计局进展表-乙.xlsx", "市统计局进展表-甲.xlsx", "市统计局"),
    ] {
        assert_eq!(
            submitted(json, used),
            Some((unit.into(), "used".into())),
            "{used}"
        );
        assert_eq!(
            submitted(json, superseded),
            Some((unit.into(), "superseded".into())),
            "{superseded}"
        );
        let note = issue(json, superseded, "superseded");
        assert_eq!(note["level"], "info", "{superseded}");
        assert!(note["location"].is_null(), "a file-level note: {note:#}");
        let text = format!("{} {}", note["message"], note["suggestion"]);
        assert!(text.contains(used), "{superseded}: {text}");
    }
    assert_eq!(
        report(json, 60, "市规划和自然资源局").0.as_deref(),
        Some("已完成")
    );
    assert_eq!(report(json, 19, "市教育局").0.as_deref(), Some("常态化推进"));
    assert_eq!(report(json, 50, "市司法局").1, Some(90.0));
    assert_eq!(report(json, 82, "金陵海关").1, Some(45.0));
    assert_eq!(report(json, 35, "市医保局").1, Some(100.0));
    assert_eq!(report(json, 43, "市大数据局").1, Some(70.0));
    assert_eq!(report(json, 33, "市民政局").1, Some(35.0));
}

#[test]
fn a_date_that_beats_a_revision_marker_is_a_warning_on_the_used_file() {
    let json = resubmit_round();
    for (used, marked) in [
        ("市医保局进展表.xlsx", "市医保局进展表（最新）.xlsx"),
        ("市大数据局进展表.xlsx", "市大数据局进展表(2).xlsx"),
    ] {
        let all = issues_of(json, used);
        assert_eq!(all, vec![expect("warning", "superseded", None, None)], "{used}");
        let note = issue(json, used, "superseded");
        let text = format!("{} {}", note["message"], note["suggestion"]);
        assert!(text.contains(marked), "{used}: {text}");
    }
    for quiet in [
        "市规划和自然资源局进展.xlsx",
        "市司法局进展表v3.xlsx",
        "金陵海关进展表（修改）.xlsx",
    ] {
        assert_eq!(issues_of(json, quiet), vec![], "{quiet}");
    }
}

// ---- 6. status conflicts -------------------------------------------------------------------

fn conflicts_round() -> &'static Value {
    static JSON: std::sync::OnceLock<(tempfile::TempDir, Value)> = std::sync::OnceLock::new();
    let (_, json) = JSON.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        copy_group("conflicts", &dir.path().join("inbox"));
        let json = run(&dir.path().join("inbox"), &dir.path().join("outbox"));
        (dir, json)
    });
    json
}

/// A status conflict is located where the losing report's status was read: its status cell,
/// or its row for as long as the readers locate a report by its row only.
fn assert_status_cell(location: Option<&str>, cell: &str, row: &str) {
    assert!(
        location == Some(cell) || location == Some(row),
        "{location:?}: expected {cell}"
    );
}

#[test]
fn joint_leads_that_disagree_are_a_status_conflict_at_the_losing_cell() {
    let json = conflicts_round();
    let all = issues_of(json, "市外办-进展表.xlsx");
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        (all[0].0.as_str(), all[0].1.as_str()),
        ("warning", "status-conflict")
    );
    assert_eq!(all[0].3, Some(90));
    assert_status_cell(all[0].2.as_deref(), "进展情况!D5", "进展情况!5");
    assert_eq!(issues_of(json, "市公安局-进展表.xlsx"), vec![]);
    let task = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == 90)
        .unwrap();
    assert_eq!(task["status"], "推进中", "the first-listed lead decides");
}

#[test]
fn a_report_that_contradicts_the_spreadsheet_is_a_status_conflict_at_its_table_cell() {
    let json = conflicts_round();
    let file = "市建委关于2024年第三季度试点任务推进情况的报告.docx";
    let all = issues_of(json, file);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(
        (all[0].0.as_str(), all[0].1.as_str()),
        ("warning", "status-conflict")
    );
    assert_eq!(all[0].3, Some(12));
    assert_status_cell(all[0].2.as_deref(), "表1!R2C4", "表1!R2");
    assert_eq!(report(json, 12, "市建委").0.as_deref(), Some("推进中"));
    assert_eq!(issues_of(json, "市建委-进展表.xlsx"), vec![]);
}

// ---- 7. safety net -------------------------------------------------------------------------

#[test]
fn a_report_only_unit_is_told_of_every_task_it_did_not_report() {
    let json = conflicts_round();
    let file = "市卫健委关于2024年第三季度试点任务推进情况的报告.docx";
    assert_eq!(
        issues_of(json, file),
        [33, 38, 96, 97]
            .into_iter()
            .map(|t| expect("warning", "missing-task", Some("第1段"), Some(t)))
            .collect::<Vec<_>>()
    );
    // Units whose spreadsheets cover their tasks are not told anything.
    assert_eq!(issues_of(json, "市建委-进展表.xlsx"), vec![]);
}
