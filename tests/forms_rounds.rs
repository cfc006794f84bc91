//! Closing the loop between rounds: round R's outputs → `templates` for R+1 pre-filled with
//! each unit's answers → forms filled by code the way a unit would (python openpyxl: some rows
//! changed, some untouched, one copied, one unit absent, one sending last round's form) →
//! `run` for R+1 (exact values, `empty-progress` on the untouched and copied rows) →
//! `status --notice` (the absent and rejected units in the 催报通知, in the bulletin's format).

mod common;

use common::{foreign, path, read_json, repo, roundup};
use roundup::config::Config;
use roundup::registry::Registry;
use roundup::render::forms;
use serde_json::Value;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Fills a form the way a unit does: opens it in openpyxl, writes the 填报人 line and the
/// given cells by header (`<copy>` pastes the row's 上期进展), saves it under a new name.
const FILL: &str = r#"
import json, sys, openpyxl
src, dst, spec = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wb = openpyxl.load_workbook(src)
ws = wb["进展情况"]
header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
cols = {ws.cell(header_row, c).value: c for c in range(1, ws.max_column + 1)}
ws.cell(header_row - 1, 1).value = (
    "填报单位：%s  填报人：张三  联系电话：025-12345678  填报日期：2024年7月8日" % spec["unit"])
rows = {ws.cell(r, 1).value: r for r in range(header_row + 1, ws.max_row + 1)}
for task, values in spec["rows"].items():
    r = rows[int(task)]
    for header, value in values.items():
        if value == "<copy>":
            value = ws.cell(r, cols["上期进展"]).value
        ws.cell(r, cols[header]).value = value
wb.save(dst)
"#;

/// Reopens a filled form in openpyxl and prints what a clerk would check: the headers, the
/// data validations, sheet protection and which cells are locked.
const INSPECT: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["进展情况"]
header_row = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
headers = [ws.cell(header_row, c).value for c in range(1, ws.max_column + 1)]
first = header_row + 1
print(json.dumps({
    "headers": headers,
    "validations": sorted(dv.type for dv in ws.data_validations.dataValidation),
    "protected": bool(ws.protection.sheet),
    "locked": {h: ws.cell(first, c + 1).protection.locked for c, h in enumerate(headers)},
}, ensure_ascii=False))
"#;

fn python() -> Option<&'static str> {
    let ok = Command::new("python3")
        .args(["-c", "import openpyxl"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3 with openpyxl is not available to fill the forms");
    }
    ok.then_some("python3")
}

fn py(script: &str, args: &[&str]) -> Output {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn ok(out: &Output) {
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn setup() -> (Config, Registry) {
    let config = Config::load(&repo().join("templates/roundup.toml")).unwrap();
    let registry = Registry::load(&config.registry_path, &config.aliases)
        .unwrap()
        .with_delegates(&config.delegated_units);
    (config, registry)
}

fn templates(outbox: &Path, round: &str, unit: Option<&str>) -> PathBuf {
    let mut args = vec!["templates", "--round", round, "--outbox", path(outbox)];
    if let Some(unit) = unit {
        args.extend(["--unit", unit]);
    }
    let out = roundup(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    outbox.join("templates").join(round)
}

fn zip_text(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name(name).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

/// The text of a Word part: every `w:t` run, paragraphs joined by line breaks.
fn docx_text(xml: &str) -> String {
    let mut out = String::new();
    for paragraph in xml.split("</w:p>") {
        for piece in paragraph.split("<w:t").skip(1) {
            let Some(start) = piece.find('>') else { continue };
            let body = &piece[start + 1..];
            out.push_str(&body[..body.find("</w:t>").unwrap_or(body.len())]);
        }
        out.push('\n');
    }
    out
}

/// The unit's report on a task in a `roundup.json`.
fn report<'a>(json: &'a Value, task: u64, unit: &str) -> &'a Value {
    json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == task)
        .and_then(|t| {
            t["reports"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["unit"] == unit)
        })
        .unwrap_or_else(|| panic!("no report of {unit} on task {task}"))
}

fn issues<'a>(json: &'a Value, code: &str, unit: &str) -> Vec<&'a Value> {
    json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == code && d["unit"] == unit)
        .collect()
}

#[test]
fn without_previous_results_the_forms_are_the_blank_forms() {
    let (config, registry) = setup();
    let tmp = tempfile::tempdir().unwrap();
    let dir = templates(tmp.path(), "2024Q2", Some("市科技局"));
    let round = config.round("2024Q2").unwrap();
    let blank = forms::render_unit(&registry, &config, round, "市科技局").unwrap();
    for output in blank {
        let written = std::fs::read(dir.join(&output.name)).unwrap();
        assert!(written == output.bytes, "{} is the blank form", output.name);
    }
}

#[test]
fn next_round_forms_are_prefilled_copies_are_warned_and_absent_units_are_chased() {
    let Some(inbox) = foreign() else { return };
    let Some(_) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let outbox = tmp.path().join("outbox");
    let run = |inbox: &Path, round: &str| {
        roundup(&[
            "run",
            "--round",
            round,
            "--inbox",
            path(inbox),
            "--outbox",
            path(&outbox),
            "--quiet",
        ])
    };
    ok(&run(&inbox, "2024Q1"));
    let q1 = read_json(&outbox.join("2024Q1/roundup.json"));
    let forms_dir = templates(&outbox, "2024Q2", None);

    // The pre-filled form: last round's answers, locked 上期 columns, dropdowns kept.
    let science = forms_dir.join("市科技局-2024Q2-进展表.xlsx");
    let shown: Value = serde_json::from_slice(&py(INSPECT, &[path(&science)]).stdout).unwrap();
    let headers: Vec<&str> = shown["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        &headers[..6],
        ["序号", "试点任务", "牵头单位", "上期状态", "上期进展", "完成状态"]
    );
    assert_eq!(shown["locked"]["上期进展"], true);
    assert_eq!(shown["locked"]["上期状态"], true);
    assert_eq!(shown["locked"]["完成状态"], false);
    // The Word template lists the unit's tasks with last round's status (in each task's note).
    let word = std::fs::read(forms_dir.join("市科技局-2024Q2-工作报告.docx")).unwrap();
    let notes = zip_text(&word, "word/comments.xml");
    let was = report(&q1, 1, "市科技局");
    let status_then = format!("2024Q1状态：{}", was["status"].as_str().unwrap_or("未填报"));
    assert!(notes.contains(&status_then), "{notes}");

    // Units fill their forms.
    let next = tmp.path().join("inbox-2024Q2");
    std::fs::create_dir_all(&next).unwrap();
    let fill = |unit: &str, from: &Path, to: &str, rows: Value| {
        let spec = serde_json::json!({"unit": unit, "rows": rows}).to_string();
        py(FILL, &[path(from), path(&next.join(to)), &spec]);
    };
    fill(
        "市科技局",
        &science,
        "市科技局-2024Q2-进展表.xlsx",
        serde_json::json!({
            "1": {"完成状态": "推进中", "完成进度（%）": 30, "本期工作进展": "本季度召开推进会2次，出台实施细则。"},
            "58": {"完成状态": "已完成", "完成进度（%）": 100, "本期工作进展": "已完成平台建设并上线运行。"},
            "13": {"完成状态": "推进中", "完成进度（%）": 50, "本期工作进展": "<copy>"}
        }),
    );
    fill(
        "市外办",
        &forms_dir.join("市外办-2024Q2-进展表.xlsx"),
        "市外办-2024Q2-进展表.xlsx",
        serde_json::json!({}),
    );
    let old_forms = templates(&tmp.path().join("old"), "2024Q1", Some("市人社局"));
    fill(
        "市人社局",
        &old_forms.join("市人社局-2024Q1-进展表.xlsx"),
        "市人社局-进展表.xlsx",
        serde_json::json!({"10": {"完成状态": "推进中", "完成进度（%）": 30, "本期工作进展": "做了"}}),
    );
    // 市财政局 reported in 2024Q1 and sends nothing now.

    // The filled forms still carry their dropdowns, validation and locked cells.
    let filled = next.join("市科技局-2024Q2-进展表.xlsx");
    let shown: Value = serde_json::from_slice(&py(INSPECT, &[path(&filled)]).stdout).unwrap();
    assert_eq!(shown["validations"], serde_json::json!(["decimal", "list"]));
    assert_eq!(shown["protected"], true);
    assert_eq!(shown["locked"]["试点任务"], true);
    assert_eq!(shown["locked"]["本期工作进展"], false);

    ok(&run(&next, "2024Q2"));
    let q2 = read_json(&outbox.join("2024Q2/roundup.json"));
    assert_eq!(q2["previous_round"], "2024Q1");

    // Exact values: changed rows as written, untouched rows keep last round's start values.
    let r1 = report(&q2, 1, "市科技局");
    assert_eq!(
        (&r1["status"], &r1["percent"]),
        (&Value::from("推进中"), &Value::from(30))
    );
    assert_eq!(r1["progress"], "本季度召开推进会2次，出台实施细则。");
    let r58 = report(&q2, 58, "市科技局");
    assert_eq!(
        (&r58["status"], &r58["percent"]),
        (&Value::from("已完成"), &Value::from(100))
    );
    let r93 = report(&q2, 93, "市科技局");
    let was = report(&q1, 93, "市科技局");
    assert_eq!(
        (&r93["status"], &r93["percent"]),
        (&was["status"], &was["percent"])
    );
    assert_eq!(r93["progress"], "");
    let r13 = report(&q2, 13, "市科技局");
    assert_eq!(r13["progress"], report(&q1, 13, "市科技局")["progress"]);
    let r89 = report(&q2, 89, "市外办");
    assert_eq!(r89["status"], report(&q1, 89, "市外办")["status"]);

    // empty-progress on the untouched rows (at the progress cell) and on the copied one.
    let located = |unit: &str| -> Vec<(u64, String)> {
        issues(&q2, "empty-progress", unit)
            .iter()
            .map(|d| {
                (
                    d["task"].as_u64().unwrap(),
                    d["location"].as_str().unwrap_or("").to_owned(),
                )
            })
            .collect()
    };
    assert_eq!(
        located("市外办"),
        [
            (89, "进展情况!H4".to_owned()),
            (90, "进展情况!H5".to_owned()),
            (91, "进展情况!H6".to_owned())
        ]
    );
    let science_warnings = located("市科技局");
    assert!(
        science_warnings.contains(&(93, "进展情况!H7".to_owned())),
        "{science_warnings:?}"
    );
    assert!(
        science_warnings.iter().all(|(task, _)| [13, 93].contains(task)),
        "{science_warnings:?}"
    );
    let copied = issues(&q2, "empty-progress", "市科技局")
        .into_iter()
        .find(|d| d["task"] == 13)
        .expect("the copied row is warned");
    assert_eq!(copied["level"], "warning");
    assert!(copied["message"].as_str().unwrap().contains("2024Q1"), "{copied}");
    assert_eq!(copied["location"], "进展情况!H5", "{copied}");
    // The 上期 columns are never read as this round's values.
    assert_eq!(issues(&q2, "ignored-column", "市科技局").len(), 2);

    // The notice: the absent and the rejected units, not those who submitted.
    let status = roundup(&[
        "status",
        "--round",
        "2024Q2",
        "--inbox",
        path(&next),
        "--outbox",
        path(&outbox),
        "--notice",
    ]);
    ok(&status);
    let notice = outbox.join("notices/催报通知-2024Q2.docx");
    let printed = String::from_utf8_lossy(&status.stdout);
    assert!(printed.contains("催报通知-2024Q2.docx"), "{printed}");
    let bytes = std::fs::read(&notice).unwrap();
    let document = zip_text(&bytes, "word/document.xml");
    let text = docx_text(&document);
    assert!(text.contains("关于报送2024年第二季度"), "{text}");
    assert!(text.contains("催报通知"), "{text}");
    assert!(text.contains("（一）") && text.contains("市财政局"), "{text}");
    let section = |unit: &str| {
        let start = text
            .find(&format!("）{unit}\n"))
            .unwrap_or_else(|| panic!("{unit} is chased:\n{text}"));
        let rest = &text[start + '）'.len_utf8()..];
        let end = rest.find("\n（").unwrap_or(rest.len());
        rest[..end].to_owned()
    };
    assert!(
        section("市财政局").contains("尚未报送"),
        "{}",
        section("市财政局")
    );
    assert!(
        section("市财政局").contains("任务63、任务95"),
        "{}",
        section("市财政局")
    );
    let rejected = section("市人社局");
    assert!(
        rejected.contains("未通过校验") && rejected.contains("市人社局-进展表.xlsx"),
        "{rejected}"
    );
    for submitted in ["市科技局", "市外办"] {
        assert!(
            !text.contains(&format!("）{submitted}\n")),
            "{submitted} is not chased"
        );
    }
    // The bulletin's format: fonts, A4 margins, odd/even page numbers.
    assert!(document.contains("方正小标宋简体") && document.contains("仿宋_GB2312"));
    assert!(document.contains(r#"w:top="2098""#) && document.contains(r#"w:left="1588""#));
    let footer = zip_text(&bytes, "word/footer1.xml");
    assert!(footer.contains("PAGE"), "{footer}");
    assert!(zip_text(&bytes, "word/settings.xml").contains("evenAndOddHeaders"));
    let docx_opens = Command::new("python3")
        .args([
            "-c",
            "import docx, sys; d = docx.Document(sys.argv[1]); print(d.paragraphs[0].text)",
        ])
        .arg(&notice)
        .output();
    match docx_opens {
        Ok(out) if out.status.success() => {
            assert!(String::from_utf8_lossy(&out.stdout).contains("催报通知"));
        }
        _ => eprintln!("python-docx not available: the notice was checked through its XML only"),
    }
    // The same status again gives the same notice.
    ok(&roundup(&[
        "status",
        "--round",
        "2024Q2",
        "--inbox",
        path(&next),
        "--outbox",
        path(&outbox),
        "--notice",
    ]));
    assert!(
        std::fs::read(&notice).unwrap() == bytes,
        "the notice is deterministic"
    );
}

#[test]
fn status_without_notice_writes_nothing() {
    let Some(inbox) = foreign() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = roundup(&[
        "status",
        "--round",
        "2024Q1",
        "--inbox",
        path(&inbox),
        "--outbox",
        path(tmp.path()),
    ]);
    ok(&out);
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}
