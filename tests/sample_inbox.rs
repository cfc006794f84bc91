//! The shipped sample round (`inbox/`): it is exactly what the generator writes; its Word
//! 97–2003 reports (`.doc`/`.wps`, made by LibreOffice from the generator's `.docx`) read
//! natively like the `.docx` the generator makes for them now; and a run of `roundup` over it
//! — the same with LibreOffice on PATH as without — finds the planted mistakes, the missing
//! units, the joint report, the superseded, late and stale files, and the legacy reports used.

mod common;

#[allow(dead_code)]
#[path = "../examples/generate/main.rs"]
mod generate;

use common::repo;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

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

/// Output of one run.
struct Run {
    code: Option<i32>,
    /// `roundup.json`, as written.
    text: String,
    json: Value,
    manifest: Value,
    stderr: String,
}

/// `roundup run` of round 2024Q2 over `inbox` (a folder holding `2024Q2/`), with `path` as
/// PATH when given.
fn run_inbox(inbox: &Path, path: Option<&str>) -> Run {
    let out = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_roundup"));
    command
        .current_dir(repo())
        .args(["run", "--round", "2024Q2", "--inbox"])
        .arg(inbox)
        .arg("--outbox")
        .arg(out.path())
        .args(["--config", "templates/roundup.toml"]);
    if let Some(path) = path {
        command.env("PATH", path);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let text = std::fs::read_to_string(out.path().join("2024Q2/roundup.json"))
        .unwrap_or_else(|e| panic!("no roundup.json ({e}); stderr:\n{stderr}"));
    let manifest = std::fs::read_to_string(out.path().join("2024Q2/manifest.json"))
        .unwrap_or_else(|e| panic!("no manifest.json ({e}); stderr:\n{stderr}"));
    Run {
        code: output.status.code(),
        json: serde_json::from_str(&text).unwrap(),
        text,
        manifest: serde_json::from_str(&manifest).unwrap(),
        stderr,
    }
}

/// A run over the committed inbox with LibreOffice hidden from PATH, so that its `.doc` and
/// `.wps` reports can only be read natively.
fn run_sample() -> Run {
    run_inbox(&repo().join("inbox"), Some(&common::path_without_soffice()))
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

/// The sample's Word 97–2003 reports: unit, file name in `2024Q2/`.
const LEGACY: [(&str, &str); 3] = [
    (
        "市医保局",
        "市医保局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.wps",
    ),
    (
        "市规划和自然资源局",
        "市规划和自然资源局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.doc",
    ),
    (
        "市委网信办",
        "市委网信办关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.doc",
    ),
];

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
    check_legacy_reports(&run, &mut e);
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
        wangxin.get(LEGACY[2].1).map(String::as_str) == Some("used") && wangxin.len() == 1,
        format!("市委网信办: its only file, a .doc report with a table, is used: {wangxin:?}"),
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

/// The `.doc`/`.wps` reports, read with LibreOffice hidden from PATH (so natively): the
/// manifest lists each as its unit's report, used, and its tasks carry its narratives.
fn check_legacy_reports(run: &Run, e: &mut Expectations) {
    let inputs = run.manifest["inputs"].as_array().unwrap();
    for (unit, file) in LEGACY {
        let input = inputs.iter().find(|i| i["path"] == file);
        e.check(
            input.is_some_and(|i| i["unit"] == unit && i["kind"] == "report" && i["outcome"] == "used"),
            format!("manifest: {file} read natively as {unit}'s report and used: {input:?}"),
        );
        // A unit's Word report gives the narratives of the rows of its spreadsheet, and the
        // rows of its own progress table.
        let reports: Vec<&Value> = json_reports(&run.json).filter(|r| r["unit"] == unit).collect();
        let narrated = |r: &Value| r["narrative"].as_str().is_some_and(|n| !n.is_empty());
        e.check(
            !reports.is_empty()
                && reports
                    .iter()
                    .all(|r| narrated(r) || (r["file"] == file && has_text(r))),
            format!("{file}: {unit}'s tasks carry its text: {reports:?}"),
        );
    }
}

/// Every task report of a `roundup.json`.
fn json_reports(json: &Value) -> impl Iterator<Item = &Value> {
    json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["reports"].as_array().unwrap())
}

/// The task reports read from `file`.
fn task_reports<'a>(json: &'a Value, file: &str) -> Vec<&'a Value> {
    json_reports(json).filter(|r| r["file"] == file).collect()
}

/// A task report with a narrative (a report's paragraph) or progress text (a table row).
fn has_text(report: &Value) -> bool {
    ["narrative", "progress"]
        .iter()
        .any(|k| report[k].as_str().is_some_and(|t| !t.is_empty()))
}

/// The sample inbox's `.doc`/`.wps` reports and the `.docx` the generator makes for them now,
/// each in an inbox of its own under `2024Q2/` (the `.docx` under the same name, extension
/// changed).
fn legacy_inboxes(work: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let config = generate::default_config();
    let inbox = generate::sample_files(&config).unwrap();
    let sources = generate::legacy_sources(&config).unwrap();
    let names: BTreeSet<String> = sources
        .iter()
        .map(|(n, _)| n.strip_suffix(".docx").unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        LEGACY.iter().map(|(_, f)| f.to_string()).collect(),
        "the generator's legacy reports"
    );
    let (legacy, modern) = (work.join("legacy"), work.join("docx"));
    std::fs::create_dir_all(legacy.join("2024Q2")).unwrap();
    std::fs::create_dir_all(modern.join("2024Q2")).unwrap();
    for (source, docx) in &sources {
        let name = source.strip_suffix(".docx").unwrap();
        let (stem, _) = name.rsplit_once('.').unwrap();
        let (_, bytes) = inbox
            .iter()
            .find(|(n, _)| *n == format!("2024Q2/{name}"))
            .unwrap_or_else(|| panic!("{name} is not in the sample"));
        // The native reader reads it itself: no LibreOffice fallback is involved.
        roundup::ingest::doc::read_document(bytes, &Default::default())
            .unwrap_or_else(|e| panic!("{name} is not read natively: {e}"));
        std::fs::write(legacy.join("2024Q2").join(name), bytes).unwrap();
        std::fs::write(modern.join("2024Q2").join(format!("{stem}.docx")), docx).unwrap();
    }
    (legacy, modern)
}

/// `roundup.json` with the reports' extensions taken out of file names and messages.
fn without_extensions(text: &str) -> Value {
    let text = text.replace(".docx", "").replace(".doc", "").replace(".wps", "");
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_sample_doc_reports_read_like_the_generators_docx() {
    let work = tempfile::tempdir().unwrap();
    let (legacy, modern) = legacy_inboxes(work.path());
    let hidden = common::path_without_soffice();
    let from_legacy = run_inbox(&legacy, Some(&hidden));
    let from_docx = run_inbox(&modern, Some(&hidden));
    // Not vacuous: every legacy report gives its unit's tasks with their text, and the one
    // with a progress table (市委网信办) their statuses and percents.
    for (unit, file) in LEGACY {
        let reports = task_reports(&from_legacy.json, file);
        assert!(
            !reports.is_empty() && reports.iter().all(|r| r["unit"] == unit && has_text(r)),
            "{file} gives {unit}'s tasks: {reports:?}\nstderr:\n{}",
            from_legacy.stderr
        );
    }
    let table = task_reports(&from_legacy.json, LEGACY[2].1);
    assert!(
        table
            .iter()
            .all(|r| !r["status"].is_null() && !r["percent"].is_null()),
        "{table:?}"
    );
    assert_eq!(from_legacy.code, from_docx.code);
    assert!(
        without_extensions(&from_legacy.text) == without_extensions(&from_docx.text),
        "a .doc/.wps of examples/generate/legacy/ no longer reads like the .docx the generator \
         makes for it: run examples/generate/legacy/refresh.sh (needs LibreOffice)\n\
         from .doc/.wps:\n{}\nfrom .docx:\n{}",
        from_legacy.text,
        from_docx.text
    );
}

#[test]
fn the_sample_gives_the_same_results_with_and_without_libreoffice() {
    if !common::soffice_on_path() {
        eprintln!("skipped: soffice (LibreOffice) is not on PATH");
        return;
    }
    let with = run_inbox(&repo().join("inbox"), None);
    let without = run_sample();
    assert_eq!(with.code, without.code, "{}\n{}", with.stderr, without.stderr);
    assert!(
        with.text == without.text,
        "roundup.json differs with LibreOffice on PATH:\n{}\nwithout:\n{}",
        with.text,
        without.text
    );
    assert_eq!(with.manifest, without.manifest);
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
