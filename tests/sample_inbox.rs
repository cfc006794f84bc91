//! The shipped sample round (`inbox/`): it is exactly what the generator writes, and a run of
//! `roundup` over it finds the planted mistakes, the missing units, the joint report, and the
//! superseded, late and stale files.

#[allow(dead_code)]
#[path = "../examples/generate/main.rs"]
mod generate;

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, relative path (with `/`) -> bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

#[test]
fn committed_inbox_is_what_the_generator_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let files = generate::sample_files(&generate::default_config()).unwrap();
    generate::write_files(tmp.path(), &files).unwrap();
    let fresh = tree(tmp.path());
    let committed = tree(&repo().join("inbox"));
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<BTreeSet<_>>();
    let only_fresh: Vec<_> = names(&fresh).difference(&names(&committed)).cloned().collect();
    let only_committed: Vec<_> = names(&committed).difference(&names(&fresh)).cloned().collect();
    let differing: Vec<_> = fresh
        .iter()
        .filter(|(name, bytes)| committed.get(*name).is_some_and(|c| c != *bytes))
        .map(|(name, _)| name.clone())
        .collect();
    assert!(
        only_fresh.is_empty() && only_committed.is_empty() && differing.is_empty(),
        "inbox/ differs from `cargo run --release --example generate -- sample inbox`:\n\
         only generated: {only_fresh:?}\nonly committed: {only_committed:?}\ndiffering: {differing:?}"
    );
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    let config = generate::default_config();
    let a = generate::sample_files(&config).unwrap();
    let b = generate::sample_files(&config).unwrap();
    assert_eq!(a.len(), b.len());
    for ((na, ba), (nb, bb)) in a.iter().zip(&b) {
        assert_eq!(na, nb);
        assert!(ba == bb, "{na} differs between two runs");
    }
}

/// Output of one run over the committed inbox.
struct Run {
    code: Option<i32>,
    json: Value,
    stderr: String,
}

fn run_sample() -> Run {
    let out = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(repo())
        .args(["run", "--round", "2024Q2", "--inbox", "inbox", "--outbox"])
        .arg(out.path())
        .args(["--config", "templates/roundup.toml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let text = std::fs::read_to_string(out.path().join("2024Q2/roundup.json"))
        .unwrap_or_else(|e| panic!("no roundup.json ({e}); stderr:\n{stderr}"));
    Run {
        code: output.status.code(),
        json: serde_json::from_str(&text).unwrap(),
        stderr,
    }
}

/// (level, code, unit, task) of every issue.
fn issues(json: &Value) -> Vec<(String, String, String, Option<u64>, String)> {
    json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let s = |k: &str| i[k].as_str().unwrap_or_default().to_owned();
            (s("level"), s("code"), s("unit"), i["task"].as_u64(), s("file"))
        })
        .collect()
}

fn has_issue(json: &Value, code: &str, unit: &str, task: Option<u64>) -> bool {
    issues(json)
        .iter()
        .any(|(_, c, u, t, _)| c == code && u == unit && (task.is_none() || *t == task))
}

/// The submission files of `unit`: file name -> outcome, and its on_time flag.
fn submission(json: &Value, unit: &str) -> (BTreeMap<String, String>, Option<bool>) {
    let Some(s) = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["unit"] == unit)
    else {
        return (BTreeMap::new(), None);
    };
    let files = s["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let path = f["path"].as_str().unwrap_or_default();
            let name = path.rsplit('/').next().unwrap_or(path).to_owned();
            (name, f["outcome"].as_str().unwrap_or_default().to_owned())
        })
        .collect();
    (files, s["on_time"].as_bool())
}

/// Collects failed expectations instead of stopping at the first, so one run reports every
/// expectation that the readers do not meet yet.
#[derive(Default)]
struct Expectations {
    failed: Vec<String>,
}

impl Expectations {
    fn check(&mut self, ok: bool, what: impl Into<String>) {
        if !ok {
            self.failed.push(what.into());
        }
    }
}

const PLANTED: &[(&str, &str, Option<u64>)] = &[
    ("invalid-status", "市商务局", Some(46)),
    ("invalid-percent", "市发改委", Some(52)),
    ("status-percent-mismatch", "江北新区", Some(36)),
    ("unknown-task", "人行南京营管部", Some(105)),
    ("not-lead-unit", "市科技局", Some(5)),
    ("missing-task", "市教育局", Some(18)),
    ("superseded", "市工信局", None),
    ("late-submission", "市文旅局", None),
    ("stale-round", "市卫健委", None),
];

const MISSING_UNITS: [&str; 3] = ["南京边检站", "市民政局", "市统计局"];

#[test]
fn a_run_over_the_sample_finds_what_was_planted() {
    let run = run_sample();
    let json = &run.json;
    let mut e = Expectations::default();
    e.check(
        run.code == Some(1),
        format!("exit code 1 (planted errors), got {:?}", run.code),
    );
    for (code, unit, task) in PLANTED {
        e.check(
            has_issue(json, code, unit, *task),
            format!("{code} for {unit} task {task:?}"),
        );
    }
    let errors: BTreeSet<(String, String, Option<u64>)> = issues(json)
        .into_iter()
        .filter(|(level, ..)| level == "error")
        .map(|(_, c, u, t, _)| (c, u, t))
        .collect();
    let expected_errors: BTreeSet<(String, String, Option<u64>)> = [
        ("invalid-status", "市商务局", Some(46)),
        ("invalid-percent", "市发改委", Some(52)),
        ("unknown-task", "人行南京营管部", Some(105)),
        ("stale-round", "市卫健委", None),
    ]
    .iter()
    .map(|(c, u, t)| (c.to_string(), u.to_string(), *t))
    .collect();
    e.check(
        errors == expected_errors,
        format!("errors are exactly the planted ones: {errors:?}"),
    );
    // Said once for the unit, on its spreadsheet (its Word report lacks the task too).
    let missing_tasks: Vec<_> = issues(json)
        .into_iter()
        .filter(|(_, c, ..)| c == "missing-task")
        .map(|(_, _, u, t, f)| (u, t, f))
        .collect();
    let planted = |file: &str| ("市教育局".to_owned(), Some(18), file.to_owned());
    e.check(
        missing_tasks == vec![planted("市教育局2024年第二季度进展情况.xlsx")],
        format!("missing-task only for 市教育局 task 18, once: {missing_tasks:?}"),
    );
    let missing: BTreeSet<&str> = json["missing_units"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    e.check(
        missing == MISSING_UNITS.into_iter().collect(),
        format!("missing units {MISSING_UNITS:?}, got {missing:?}"),
    );
    check_task_2(json, &mut e);
    check_files(json, &mut e);
    assert!(
        e.failed.is_empty(),
        "{} expectation(s) not met:\n- {}\nstderr:\n{}",
        e.failed.len(),
        e.failed.join("\n- "),
        run.stderr
    );
}

fn check_task_2(json: &Value, e: &mut Expectations) {
    let task = json["tasks"].as_array().unwrap().iter().find(|t| t["id"] == 2);
    let units: BTreeSet<&str> = task
        .and_then(|t| t["reports"].as_array())
        .map(|r| r.iter().filter_map(|r| r["unit"].as_str()).collect())
        .unwrap_or_default();
    e.check(
        units == BTreeSet::from(["市市场监管局", "市金融局"]),
        format!("task 2 reported by both 市市场监管局 and 市金融局, got {units:?}"),
    );
}

fn check_files(json: &Value, e: &mut Expectations) {
    let (gongxin, _) = submission(json, "市工信局");
    e.check(
        gongxin
            .get("市工信局-2024年第二季度进展表（初稿）.xlsx")
            .map(String::as_str)
            == Some("superseded")
            && gongxin
                .get("市工信局-2024年第二季度进展表.xlsx")
                .map(String::as_str)
                == Some("used"),
        format!("市工信局: draft superseded, final used: {gongxin:?}"),
    );
    let (weijian, _) = submission(json, "市卫健委");
    e.check(
        weijian
            .get("市卫健委-2024年第一季度进展表.xlsx")
            .map(String::as_str)
            == Some("rejected"),
        format!("市卫健委: Q1 spreadsheet rejected as stale: {weijian:?}"),
    );
    let (wenlv, on_time) = submission(json, "市文旅局");
    e.check(
        on_time == Some(false) && wenlv.values().any(|o| o == "used"),
        format!("市文旅局: used but late: {wenlv:?}, on_time {on_time:?}"),
    );
    let (wangxin, _) = submission(json, "市委网信办");
    e.check(
        wangxin.values().any(|o| o == "used"),
        format!("市委网信办: its Word report with a table is used: {wangxin:?}"),
    );
    for bad in [
        "header-not-found",
        "unit-unidentified",
        "unit-conflict",
        "unknown-unit",
        "unreadable-file",
    ] {
        let hits: Vec<_> = issues(json).into_iter().filter(|(_, c, ..)| c == bad).collect();
        e.check(hits.is_empty(), format!("no {bad}: {hits:?}"));
    }
}

#[test]
fn city_workload_has_a_configuration_and_two_files_per_unit() {
    let tmp = tempfile::tempdir().unwrap();
    let files = generate::workload_files("city", &generate::default_config()).unwrap();
    generate::write_files(tmp.path(), &files).unwrap();
    let config = roundup::config::Config::load(&tmp.path().join("templates/roundup.toml")).unwrap();
    assert!(config.bulletin_template_path().is_file());
    let registry = roundup::registry::Registry::load(&config.registry_path, &config.aliases)
        .unwrap()
        .with_delegates(&config.delegated_units);
    assert_eq!(registry.tasks.len(), 104);
    assert_eq!(registry.lead_units().len(), 35);
    let inbox: Vec<_> = std::fs::read_dir(tmp.path().join("inbox")).unwrap().collect();
    assert_eq!(inbox.len(), 70);
    assert!(generate::workload_files("county", &generate::default_config()).is_err());
}
