//! End-to-end tests of `roundup run` / `check` / `tasks` / `status` on real files: the
//! foreign-made round against its ground truth, repeatability, accounting, locking, failed
//! writes, and round history.

mod common;

use common::{foreign, path, read_json, roundup};

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Output;

fn run_round(inbox: &Path, outbox: &Path, round: &str) -> Output {
    roundup(&[
        "run",
        "--round",
        round,
        "--inbox",
        path(inbox),
        "--outbox",
        path(outbox),
        "--quiet",
    ])
}

/// Every file below `dir` (relative path -> bytes).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
            let p = entry.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn foreign_round_consolidates_like_its_ground_truth() {
    let Some(inbox) = foreign() else { return };
    let truth = read_json(&inbox.with_extension("truth.json"));
    let out = tempfile::tempdir().unwrap();
    let result = run_round(&inbox, out.path(), "2024Q1");
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let got = read_json(&out.path().join("2024Q1/roundup.json"));

    let mut reports: BTreeMap<(String, u64), &Value> = BTreeMap::new();
    for task in got["tasks"].as_array().unwrap() {
        for report in task["reports"].as_array().unwrap() {
            let key = (
                report["unit"].as_str().unwrap().to_owned(),
                task["id"].as_u64().unwrap(),
            );
            assert!(
                reports.insert(key.clone(), report).is_none(),
                "two reports for {key:?}"
            );
        }
    }
    let mut wrong_rows = Vec::new();
    for row in truth["rows"].as_array().unwrap() {
        let key = (
            row["unit"].as_str().unwrap().to_owned(),
            row["task"].as_u64().unwrap(),
        );
        let Some(report) = reports.get(&key) else {
            wrong_rows.push(format!("{key:?}: missing"));
            continue;
        };
        if row["status"] != "any" && report["status"] != row["status"] {
            wrong_rows.push(format!(
                "{key:?}: status {} != {}",
                report["status"], row["status"]
            ));
        }
        if row["percent"] != "any" && report["percent"].as_f64() != row["percent"].as_f64() {
            wrong_rows.push(format!(
                "{key:?}: percent {} != {}",
                report["percent"], row["percent"]
            ));
        }
    }
    assert!(
        wrong_rows.is_empty(),
        "rows differ from the truth:\n{}",
        wrong_rows.join("\n")
    );

    let mut outcomes: BTreeMap<String, (Value, Value)> = BTreeMap::new();
    for s in got["submissions"].as_array().unwrap() {
        for f in s["files"].as_array().unwrap() {
            outcomes.insert(
                f["path"].as_str().unwrap().to_owned(),
                (s["unit"].clone(), f["outcome"].clone()),
            );
        }
    }
    let mut codes: BTreeMap<String, Vec<(String, Option<u64>)>> = BTreeMap::new();
    for i in got["issues"].as_array().unwrap() {
        codes
            .entry(i["file"].as_str().unwrap_or_default().to_owned())
            .or_default()
            .push((i["code"].as_str().unwrap().to_owned(), i["task"].as_u64()));
    }
    let mut wrong_files = Vec::new();
    for (name, expected) in truth["files"].as_object().unwrap() {
        let got = outcomes.get(name);
        let file_codes: BTreeSet<&str> = codes
            .get(name)
            .into_iter()
            .flatten()
            .map(|(c, _)| c.as_str())
            .collect();
        let wants_code = |c: &Value| file_codes.contains(c.as_str().unwrap());
        let ok = match expected["outcome"].as_str().unwrap() {
            "used" | "superseded" => {
                got.is_some_and(|(u, o)| *u == expected["unit"] && *o == expected["outcome"])
                    && expected["codes"].as_array().unwrap().iter().all(wants_code)
            }
            "skipped" | "rejected-or-skipped" => got.is_none_or(|(_, o)| o == "skipped" || o == "rejected"),
            _ => {
                got.is_none_or(|(_, o)| o == "rejected" || o == "superseded")
                    && expected["codes"].as_array().unwrap().iter().any(wants_code)
            }
        };
        let task_codes_ok = expected["task_codes"].as_array().unwrap().iter().all(|tc| {
            let (code, task) = (tc[0].as_str().unwrap(), tc[1].as_u64());
            codes
                .get(name)
                .is_some_and(|cs| cs.iter().any(|(c, t)| c == code && *t == task))
        });
        if !ok || !task_codes_ok {
            wrong_files.push(format!(
                "{name}: expected {expected}, got {got:?} with codes {:?}",
                codes.get(name)
            ));
        }
    }
    assert!(
        wrong_files.is_empty(),
        "files differ from the truth:\n{}",
        wrong_files.join("\n")
    );

    let missing: BTreeSet<&str> = got["missing_units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let expected: BTreeSet<&str> = truth["missing_units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(missing, expected);
}

#[test]
fn rerun_is_byte_identical_and_the_inbox_is_untouched() {
    let Some(inbox) = foreign() else { return };
    let before = snapshot(&inbox);
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    run_round(&inbox, a.path(), "2024Q1");
    run_round(&inbox, b.path(), "2024Q1");
    let first = snapshot(&a.path().join("2024Q1"));
    let second = snapshot(&b.path().join("2024Q1"));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(second[name] == *bytes, "{name} differs between two runs");
    }
    // The same outbox again: replaces its own outputs, still identical.
    run_round(&inbox, a.path(), "2024Q1");
    assert_eq!(snapshot(&a.path().join("2024Q1")), first);
    assert_eq!(snapshot(&inbox), before, "the inbox was modified");
}

#[test]
fn every_inbox_entry_is_in_the_manifest_once_with_its_checksum() {
    let Some(inbox) = foreign() else { return };
    let out = tempfile::tempdir().unwrap();
    run_round(&inbox, out.path(), "2024Q1");
    let manifest = read_json(&out.path().join("2024Q1/manifest.json"));
    let inputs = manifest["inputs"].as_array().unwrap();
    let files = snapshot(&inbox);
    assert_eq!(inputs.len(), files.len());
    for input in inputs {
        let name = input["path"].as_str().unwrap();
        let bytes = files
            .get(name)
            .unwrap_or_else(|| panic!("{name} is not in the inbox"));
        assert_eq!(input["size"].as_u64(), Some(bytes.len() as u64));
        let outcome = input["outcome"].as_str().unwrap();
        assert!(["used", "superseded", "rejected", "skipped"].contains(&outcome));
        if outcome != "skipped" {
            let digest = sha2_hex(bytes);
            assert_eq!(input["sha256"].as_str(), Some(digest.as_str()), "{name}");
        }
    }
    assert!(manifest["registry_sha256"]
        .as_str()
        .is_some_and(|s| s.len() == 64));
    assert!(manifest["config_sha256"].as_str().is_some_and(|s| s.len() == 64));
    let outputs: Vec<&str> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["name"].as_str())
        .collect();
    for expected in ["roundup.json", "工作简报-2024Q1.docx", "汇总表-2024Q1.xlsx"] {
        assert!(outputs.contains(&expected), "{expected} missing from {outputs:?}");
    }
}

/// `roundup.json` and `manifest.json` are each one schema used both ways: what a run writes
/// reads back into the same types and serialises to the same bytes.
#[test]
fn written_json_reads_back_to_the_same_bytes() {
    use roundup::merge::roundup_json::RoundupJson;
    use roundup::render::json::Manifest;
    let Some(inbox) = foreign() else { return };
    let out = tempfile::tempdir().unwrap();
    run_round(&inbox, out.path(), "2024Q1");
    let text = std::fs::read_to_string(out.path().join("2024Q1/roundup.json")).unwrap();
    let report = RoundupJson::parse(&text).expect("roundup.json reads back");
    assert_eq!(pretty(&report), text);
    let text = std::fs::read_to_string(out.path().join("2024Q1/manifest.json")).unwrap();
    let manifest: Manifest = serde_json::from_str(&text).unwrap();
    assert_eq!(pretty(&manifest), text);
    let names = Manifest::output_names(&text);
    assert!(names.iter().any(|n| n == "roundup.json"), "{names:?}");
    assert_eq!(names.len(), manifest.outputs.len());
}

/// Pretty-printed with a final newline, as the writers do.
fn pretty<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string_pretty(value).unwrap() + "\n"
}

fn sha2_hex(bytes: &[u8]) -> String {
    roundup::digest::sha256_hex(bytes)
}

#[test]
fn the_next_round_compares_with_the_previous_one_and_carries_statuses_forward() {
    let Some(inbox) = foreign() else { return };
    let out = tempfile::tempdir().unwrap();
    run_round(&inbox, out.path(), "2024Q1");
    let q1 = read_json(&out.path().join("2024Q1/roundup.json"));
    let empty = tempfile::tempdir().unwrap();
    let result = run_round(empty.path(), out.path(), "2024Q2");
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let q2 = read_json(&out.path().join("2024Q2/roundup.json"));
    assert_eq!(q2["previous_round"], "2024Q1");
    let q1_tasks = q1["tasks"].as_array().unwrap();
    let mut carried = 0;
    for (before, now) in q1_tasks.iter().zip(q2["tasks"].as_array().unwrap()) {
        assert_eq!(now["previous_status"], before["status"], "task {}", now["id"]);
        if !before["status"].is_null() {
            carried += 1;
            assert_eq!(now["carried_forward"], true);
            assert_eq!(now["status"], before["status"]);
            assert_eq!(now["light"], "red");
        }
    }
    assert!(carried > 0, "the 2024Q1 round reported no task");
    assert_eq!(q2["missing_units"].as_array().unwrap().len(), 35);
}

#[test]
fn unknown_round_and_broken_configuration_exit_2() {
    let result = roundup(&["run", "--round", "1999Q1", "--outbox", "/nonexistent"]);
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("1999Q1"));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("roundup.toml");
    std::fs::write(&config, "registry = \"tasks.toml\"\n[office\n").unwrap();
    let result = roundup(&["tasks", "list", "--config", path(&config)]);
    assert_eq!(result.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&result.stderr).contains("第2行"),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn tasks_list_json_reproduces_the_annex() {
    let result = roundup(&["tasks", "list", "--format", "json"]);
    assert_eq!(result.status.code(), Some(0));
    let tasks: Value = serde_json::from_slice(&result.stdout).unwrap();
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), 104);
    assert_eq!(tasks[0]["part"], "一、推动服务业重点行业领域深化改革扩大开放");
    assert_eq!(tasks[0]["group"], "（一）充分竞争性服务业");
    assert_eq!(tasks[99]["guidance"], Value::Array(vec![]));
    assert_eq!(
        tasks[99]["lead"],
        serde_json::json!(["市大数据局", "市大数据集团"])
    );
    let units = roundup(&["tasks", "list", "--unit", "市场监管局", "--format", "json"]);
    let led: Value = serde_json::from_slice(&units.stdout).unwrap();
    assert!(led.as_array().unwrap().iter().all(|t| t["lead"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == "市市场监管局" || u == "市场监管局")));
}

#[test]
fn check_prints_json_with_files_and_issues_and_writes_nothing() {
    let Some(inbox) = foreign() else { return };
    let before = snapshot(&inbox);
    let result = roundup(&["check", "--round", "2024Q1", "--format", "json", path(&inbox)]);
    assert!(matches!(result.status.code(), Some(0 | 1)));
    let json: Value = serde_json::from_slice(&result.stdout).unwrap();
    assert!(json["files"].as_array().is_some_and(|f| !f.is_empty()));
    assert!(json["issues"].as_array().is_some());
    for file in json["files"].as_array().unwrap() {
        for key in ["path", "unit", "kind", "rows"] {
            assert!(file.get(key).is_some(), "{key} missing in {file}");
        }
    }
    assert_eq!(snapshot(&inbox), before);
}

/// The sample round shipped in `inbox/`, consolidated into a fresh outbox.
fn sample_round() -> (tempfile::TempDir, Value) {
    let out = tempfile::tempdir().unwrap();
    let inbox = common::repo().join("inbox");
    let result = run_round(&inbox, out.path(), "2024Q2");
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    let json = read_json(&out.path().join("2024Q2/roundup.json"));
    (out, json)
}

#[test]
fn statistics_agree_across_json_workbook_and_bulletin() {
    use calamine::{Data, DataType, Reader};
    let (out, json) = sample_round();
    let stats = &json["statistics"];
    let dir = out.path().join("2024Q2");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(dir.join("汇总表-2024Q2.xlsx")).unwrap();
    let sheet = book.worksheet_range("统计").unwrap();
    let header: Vec<String> = sheet
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let column = |name: &str| header.iter().position(|h| h.starts_with(name)).unwrap();
    let number = |cell: &Data| cell.as_f64().unwrap_or(f64::NAN);
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let overall = rows.iter().find(|r| r[0] == "全部").expect("overall row");
    for (key, name) in [
        ("tasks", "任务数"),
        ("reported", "已报送"),
        ("completed", "已完成"),
        ("in_progress", "推进中"),
        ("not_started", "未启动"),
        ("ongoing", "常态化推进"),
        ("green", "绿灯"),
        ("yellow", "黄灯"),
        ("red", "红灯"),
    ] {
        assert_eq!(
            number(&overall[column(name)]),
            stats["overall"][key].as_f64().unwrap(),
            "{name}"
        );
    }
    let parts: Vec<&&[Data]> = rows.iter().filter(|r| r[0] == "篇章").collect();
    for (row, part) in parts.iter().zip(stats["by_part"].as_array().unwrap()) {
        assert_eq!(row[1].to_string(), part["label"].as_str().unwrap());
        assert_eq!(
            number(&row[column("已完成")]),
            part["counts"]["completed"].as_f64().unwrap()
        );
    }
    let docx = std::fs::read(dir.join("工作简报-2024Q2.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    let text: String = regex::Regex::new("<[^>]*>")
        .unwrap()
        .replace_all(&xml, "")
        .into_owned();
    let o = &stats["overall"];
    for phrase in [
        format!("共{}项任务", o["tasks"]),
        format!("已完成{}项", o["completed"]),
        format!("推进中{}项", o["in_progress"]),
        format!("未启动{}项", o["not_started"]),
    ] {
        assert!(text.contains(&phrase), "the bulletin does not say {phrase}");
    }
}

#[test]
fn changes_since_the_previous_round_are_classified() {
    use roundup::config::Config;
    use roundup::render::forms::{form_name, progress_form, FormValues};
    use roundup::render::xlsx::Cell;
    use roundup::vocab::Field;
    let Some(q1_inbox) = foreign() else { return };
    let out = tempfile::tempdir().unwrap();
    run_round(&q1_inbox, out.path(), "2024Q1");
    let q1 = read_json(&out.path().join("2024Q1/roundup.json"));
    let status_of = |json: &Value, id: usize| json["tasks"][id - 1]["status"].clone();
    assert_eq!(status_of(&q1, 54), "未启动");
    assert_eq!(status_of(&q1, 60), "推进中");

    let config = Config::load(std::path::Path::new("templates/roundup.toml")).unwrap();
    let registry = roundup::registry::Registry::load(&config.registry_path, &config.aliases).unwrap();
    let round = config.round("2024Q2").unwrap();
    let unit = "市规划和自然资源局";
    let row = |status: &str, percent: f64| {
        std::collections::BTreeMap::from([
            (Field::Status, Cell::Text(status.into())),
            (Field::Percent, Cell::Number(percent)),
            (Field::Progress, Cell::Text("按计划推进相关工作。".into())),
        ])
    };
    let values = FormValues {
        filler: "张三".into(),
        phone: "025-00000000".into(),
        date: "2024年7月5日".into(),
        rows: [(54, row("已完成", 100.0)), (60, row("未启动", 0.0))]
            .into_iter()
            .collect(),
    };
    let q2_inbox = tempfile::tempdir().unwrap();
    let form = progress_form(&registry, &config, round, unit, &values).unwrap();
    std::fs::write(q2_inbox.path().join(form_name(unit, round)), form).unwrap();
    run_round(q2_inbox.path(), out.path(), "2024Q2");
    let q2 = read_json(&out.path().join("2024Q2/roundup.json"));
    let task = |id: usize| &q2["tasks"][id - 1];
    assert_eq!(task(54)["change"], "新完成");
    assert_eq!(task(54)["previous_status"], "未启动");
    assert_eq!(task(54)["light"], "green");
    assert_eq!(task(60)["change"], "状态倒退");
    assert_eq!(task(60)["light"], "red");
    assert_eq!(task(60)["carried_forward"], false);
}
