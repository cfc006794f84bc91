//! The defects red-team corpus 4 found (`tests/corpora/redteam4`: openpyxl, xlwt, LibreOffice,
//! python-docx files made by `generate.py`), each run by the real binary on its own files from
//! that round, with the file times of `times.json`: the value read, the code and the cell.

mod common;

use common::{read_json, repo, run_round, set_local_mtime};
use serde_json::Value;

const ROUND: &str = "2025Q3";

/// `roundup run --round 2025Q3` over the named files of the red-team 4 round (paths under
/// `round/2025Q3`), each with its file time from `times.json`; the round's roundup.json.
fn redteam4(files: &[&str]) -> Value {
    let corpus = repo().join("tests/corpora/redteam4");
    let times: Value = read_json(&corpus.join("times.json"));
    let dir = tempfile::tempdir().unwrap();
    let (inbox, outbox) = (dir.path().join("inbox"), dir.path().join("outbox"));
    for name in files {
        let target = inbox.join(ROUND).join(name);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(corpus.join("round").join(ROUND).join(name), &target).unwrap();
        let time = times[format!("{ROUND}/{name}")].as_str().unwrap();
        let time = chrono::NaiveDateTime::parse_from_str(time, "%Y-%m-%dT%H:%M:%S").unwrap();
        set_local_mtime(&target, time);
    }
    run_round(&inbox, &outbox, ROUND)
}

/// (status, percent, location) of `unit`'s report on `task`, if it has one.
fn report_in(json: &Value, unit: &str, task: u64) -> Option<(Option<String>, Option<f64>, String)> {
    let task = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_u64() == Some(task))?;
    let report = task["reports"]
        .as_array()?
        .iter()
        .find(|r| r["unit"].as_str() == Some(unit))?;
    Some((
        report["status"].as_str().map(str::to_owned),
        report["percent"].as_f64(),
        report["location"].as_str().unwrap_or("").to_owned(),
    ))
}

/// The issues of `file` with `code`: (level, location, task, message).
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

/// The outcome of an inbox file (`used`, `superseded`, `rejected`…).
fn outcome(json: &Value, file: &str) -> String {
    json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["files"].as_array().unwrap())
        .find(|f| f["path"].as_str() == Some(file))
        .unwrap_or_else(|| panic!("{file} not in submissions"))["outcome"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn s1_a_unit_name_holding_two_units_is_the_unit_named_last_with_a_warning() {
    let (park, district) = ("雨花台区软件谷三季度进展.xls", "雨花台区三季度进展.xlsx");
    let json = redteam4(&[park, district]);
    // 填报单位：雨花台区软件谷管委会 is 软件谷's, not 雨花台区's: both files are used.
    assert_eq!(outcome(&json, park), "used");
    assert_eq!(outcome(&json, district), "used");
    let notes = issues_in(&json, park, "unknown-unit");
    assert_eq!(notes.len(), 1, "{notes:?}");
    let (level, location, _, message) = &notes[0];
    assert_eq!((level.as_str(), location.as_str()), ("warning", "Sheet1!A2"));
    assert!(
        message.contains("“雨花台区”") && message.contains("认定为“软件谷”"),
        "{message}"
    );
    assert_eq!(
        report_in(&json, "雨花台区", 66).map(|r| (r.0, r.1)),
        Some((Some("推进中".into()), Some(1.0)))
    );
    assert_eq!(
        report_in(&json, "软件谷", 66).map(|r| (r.0, r.1)),
        Some((Some("推进中".into()), Some(50.0)))
    );
    let missing = json["missing_units"].as_array().unwrap();
    assert!(
        !missing.iter().any(|u| u.as_str() == Some("软件谷")),
        "{missing:?}"
    );
}

#[test]
fn w4_a_status_naming_two_statuses_is_an_error_at_the_cell() {
    let file = "金陵海关三季度进展.xlsx";
    let json = redteam4(&[file]);
    let errors = issues_in(&json, file, "invalid-status");
    assert!(
        errors
            .iter()
            .any(|(level, location, task, message)| level == "error"
                && location == "Sheet!E5"
                && *task == Some(92)
                && message.contains("已完成（常态化推进）")),
        "{errors:?}"
    );
    let status = report_in(&json, "金陵海关", 92).and_then(|r| r.0);
    assert_eq!(status, None);
}

#[test]
fn w5_a_year_typo_in_the_filing_date_of_a_revision_is_a_warning_and_the_revision_wins() {
    let (v2, v3) = ("市建委三季度进展v2.xlsx", "市建委三季度进展v3.xlsx");
    let json = redteam4(&[v2, v3]);
    assert_eq!(outcome(&json, v3), "used");
    assert_eq!(outcome(&json, v2), "superseded");
    let stale = issues_in(&json, v3, "stale-round");
    assert_eq!(stale.len(), 1, "{stale:?}");
    let (level, location, _, message) = &stale[0];
    assert_eq!((level.as_str(), location.as_str()), ("warning", "Sheet!A2"));
    assert!(message.contains("2024年10月9日"), "{message}");
    assert_eq!(
        report_in(&json, "市建委", 12).map(|r| (r.0, r.1)),
        Some((Some("已完成".into()), Some(100.0)))
    );
}

#[test]
fn l1_a_title_copied_from_last_quarter_is_a_warning_when_date_and_sheet_say_this_round() {
    let file = "卫健委三季度进展.xlsx";
    let json = redteam4(&[file]);
    assert_eq!(outcome(&json, file), "used");
    let stale = issues_in(&json, file, "stale-round");
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(
        (stale[0].0.as_str(), stale[0].1.as_str()),
        ("warning", "三季度!A1")
    );
    for task in [30, 32, 33, 38, 96, 97] {
        assert!(report_in(&json, "市卫健委", task).is_some(), "task {task}");
    }
}

#[test]
fn l1_last_quarters_file_resent_is_still_rejected() {
    let file = "市民政局进展表.xlsx";
    let json = redteam4(&[file]);
    assert_eq!(outcome(&json, file), "rejected");
    let stale = issues_in(&json, file, "stale-round");
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(stale[0].0, "error");
}

#[test]
fn w3_an_older_copy_sheet_yields_to_the_later_dated_copy_with_a_warning() {
    let file = "市科技局2025年三季度进展表.xlsx";
    let json = redteam4(&[file]);
    assert_eq!(
        report_in(&json, "市科技局", 1),
        Some((Some("推进中".into()), Some(85.0), "进展表 (2)!D5".into()))
    );
    let notes = issues_in(&json, file, "duplicate-task");
    assert_eq!(notes.len(), 1, "{notes:?}");
    let (level, location, _, message) = &notes[0];
    assert_eq!((level.as_str(), location.as_str()), ("warning", "进展表!A4"));
    assert!(message.contains("“进展表”未采用"), "{message}");
}

#[test]
fn w3b_a_sheet_named_for_this_quarter_wins_over_last_quarters_sheet() {
    let file = "市公安局三季度进展情况.xlsx";
    let json = redteam4(&[file]);
    assert_eq!(
        report_in(&json, "市公安局", 89),
        Some((Some("推进中".into()), Some(60.0), "三季度!D4".into()))
    );
    let skipped = issues_in(&json, file, "hidden-sheet");
    assert!(
        skipped
            .iter()
            .any(|(_, location, _, message)| location == "二季度" && message.contains("二季度")),
        "{skipped:?}"
    );
    assert!(issues_in(&json, file, "duplicate-task").is_empty());
}

#[test]
fn w1_a_hidden_status_column_yields_to_the_visible_one() {
    let file = "市医保局进展表.xlsx";
    let json = redteam4(&[file]);
    assert_eq!(
        report_in(&json, "市医保局", 21).map(|r| r.0),
        Some(Some("推进中".into()))
    );
    assert_eq!(
        report_in(&json, "市医保局", 35).map(|r| (r.0, r.2)),
        Some((Some("推进中".into()), "进展情况!E5".into()))
    );
    let notes = issues_in(&json, file, "ignored-column");
    assert!(
        notes
            .iter()
            .any(|(level, location, _, message)| level == "warning"
                && location == "进展情况!D3"
                && message.contains("隐藏列")),
        "{notes:?}"
    );
    assert!(issues_in(&json, file, "status-percent-mismatch").is_empty());
}

#[test]
fn l2_last_quarters_table_above_this_quarters_in_one_sheet_is_skipped_with_an_info() {
    let file = "市工信局三季度进展.ods";
    let json = redteam4(&[file]);
    assert_eq!(outcome(&json, file), "used");
    let stale = issues_in(&json, file, "stale-round");
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert_eq!(
        (stale[0].0.as_str(), stale[0].1.as_str()),
        ("info", "进展情况!A1")
    );
    assert_eq!(
        report_in(&json, "市工信局", 57),
        Some((Some("已完成".into()), Some(100.0), "进展情况!D24".into()))
    );
    assert_eq!(
        report_in(&json, "市工信局", 43).map(|r| (r.0, r.1)),
        Some((Some("未启动".into()), Some(0.0)))
    );
}

#[test]
fn l5_a_running_count_with_shortened_task_texts_is_read_by_the_text() {
    let file = "南京市地方金融监督管理局三季度进展.xls";
    let json = redteam4(&[file]);
    for (task, status, percent, cell) in [
        (3, "推进中", 60.0, "Sheet1!A5"),
        (4, "推进中", 80.0, "Sheet1!A6"),
        (9, "未启动", 0.0, "Sheet1!A7"),
    ] {
        assert_eq!(
            report_in(&json, "市金融局", task).map(|r| (r.0, r.1)),
            Some((Some(status.into()), Some(percent))),
            "task {task}"
        );
        let notes = issues_in(&json, file, "task-text-mismatch");
        assert!(
            notes
                .iter()
                .any(|(level, location, t, message)| level == "warning"
                    && location == cell
                    && *t == Some(task)
                    && message.contains("流水号")),
            "{notes:?}"
        );
    }
    let errors: Vec<_> = issues_in(&json, file, "task-text-mismatch")
        .into_iter()
        .filter(|i| i.0 == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn l4_one_row_for_two_tasks_is_read_for_both_with_a_warning() {
    let file = "市外办三季度进展.xlsx";
    let json = redteam4(&[file]);
    let on_89 = report_in(&json, "市外办", 89).map(|r| (r.0, r.1));
    assert!(on_89.is_some());
    assert_eq!(report_in(&json, "市外办", 90).map(|r| (r.0, r.1)), on_89);
    let notes = issues_in(&json, file, "task-text-mismatch");
    assert!(
        notes
            .iter()
            .any(|(level, location, _, message)| level == "warning"
                && location == "进展情况!E4"
                && message.contains("任务89、任务90")),
        "{notes:?}"
    );
    assert!(issues_in(&json, file, "missing-task")
        .iter()
        .all(|i| i.2 != Some(90)));
}

#[test]
fn l7_a_two_row_header_with_a_group_label_over_status_and_ratio_is_read() {
    let file = "市税务局三季度进展.et";
    let json = redteam4(&[file]);
    assert_eq!(
        report_in(&json, "市税务局", 72),
        Some((Some("已完成".into()), Some(100.0), "Sheet!D5".into()))
    );
    assert!(issues_in(&json, file, "invalid-status").is_empty());
}

#[test]
fn w3b_monthly_sheets_the_latest_dated_is_read_and_the_others_named() {
    let file = "市科技局月度进展.xlsx";
    let dir = tempfile::tempdir().unwrap();
    let (inbox, outbox) = (dir.path().join("inbox"), dir.path().join("outbox"));
    std::fs::create_dir_all(inbox.join(ROUND)).unwrap();
    let target = inbox.join(ROUND).join(file);
    std::fs::copy(repo().join("tests/fixtures/redteam4_probes").join(file), &target).unwrap();
    let time = chrono::NaiveDate::from_ymd_opt(2025, 10, 9)
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .unwrap();
    set_local_mtime(&target, time);
    let json = run_round(&inbox, &outbox, ROUND);
    assert_eq!(
        report_in(&json, "市科技局", 1),
        Some((Some("已完成".into()), Some(100.0), "9月!C4".into()))
    );
    let notes = issues_in(&json, file, "duplicate-task");
    let named: Vec<&str> = notes.iter().map(|n| n.1.as_str()).collect();
    assert_eq!(named, vec!["8月!A3", "7月!A3"], "{notes:?}");
    assert!(notes.iter().all(|n| n.0 == "warning"));
}
