//! Hostile input against the outputs (issue #15, items 1, 2 and 15), mixed into the
//! foreign-made round and run through the real binary:
//!
//! 1. cells of 32,767 characters (Excel's maximum) in the status, percent and id columns and a
//!    sheet name of emoji: the round still writes every output, the unit gets its feedback;
//! 2. U+FFFE / U+FFFF from an xlsx `_xFFFE_` escape and from an `.xls` string: the bulletin,
//!    the workbooks and `roundup.json` hold no character XML cannot hold, and open;
//! 3. a file name with a newline, ESC and BEL: printed escaped by `check`, `status` and in the
//!    run log, kept as it is in the data outputs' file references.
//!
//! The hostile files are built with python (openpyxl, xlwt); the outputs are opened with
//! openpyxl and python-docx. Without them the test is skipped with a printed reason.

mod common;

use common::{copy_dir, foreign, path, read_json, roundup};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

const ROUND: &str = "2024Q1";

/// The units whose files are replaced or added here; every other unit's results must not move.
const HOSTILE_UNITS: &[&str] = &["市建委", "市商务局", "市卫健委"];

/// A name that tries to forge a log line and to send ESC and BEL to the terminal.
const FORGED_NAME: &str = "市财政局\n[2024-01-01 00:00:00] 伪造\u{1b}[31m红\u{7}.xlsx";

/// Builds the hostile files in `dir` from the 市建委 workbook of the foreign round.
const BUILD: &str = r#"
import sys, zipfile, shutil, openpyxl, xlwt
src, out = sys.argv[1], sys.argv[2]
big = 32767

def patch(path, pairs):
    tmp = path + '.tmp'
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, 'w', zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.endswith('.xml'):
                text = data.decode('utf-8')
                for a, b in pairs:
                    text = text.replace(a, b)
                data = text.encode('utf-8')
            zout.writestr(item, data)
    shutil.move(tmp, path)

# 1. Cells of Excel's maximum length in the status, percent and id columns; an emoji sheet name.
wb = openpyxl.load_workbook(src)
ws = wb['进展情况']
ws.cell(3, 6).value = '推' * big
ws.cell(3, 7).value = '百' * big
ws.insert_rows(4)
row = [None, '一项登记册里没有的任务。', '市建委', None, '继续推进。', '正在推进', 0.5,
       '无', '无', None, '市建委推进工作。', None]
for c, v in enumerate(row, start=1):
    ws.cell(4, c).value = v
ws.cell(4, 1).value = '号' * big
ws.title = '进展情况' + '😀' * 20
wb.save(out + '/市建委2024年第一季度进展情况.xlsx')

# 2a. U+FFFE / U+FFFF through xlsx `_xFFFE_` escapes, for 市商务局 (task 38).
wb = openpyxl.load_workbook(src)
ws = wb['进展情况']
for c, v in enumerate([38, '加强国家中医药服务出口基地建设，扩大中医药服务出口。', '市商务局', None,
                       '下季度继续MARKFFFE推进。', '正在推进', 0.5, '存在问题MARKFFFF。', '无', None,
                       '市商务局推进中医药服务出口MARKFFFE基地建设，累计服务企业12家。', None], start=1):
    ws.cell(3, c).value = v
name = out + '/市商务局-2024年第一季度推进情况.xlsx'
wb.save(name)
patch(name, [('MARKFFFE', '_xFFFE_'), ('MARKFFFF', '_xFFFF_')])

# 2b. U+FFFE / U+FFFF in an .xls string, for 市卫健委 (task 38).
book = xlwt.Workbook(encoding='utf-8')
sheet = book.add_sheet('进展情况')
sheet.write(0, 0, '南京市服务业扩大开放综合试点任务推进情况表（2024年第一季度）')
header = ['编号', '任务内容', '牵头单位', '项目落地情况', '下一步计划', '推进状态', '进度', '存在的问题', '诉求', '创新案例', '工作进展', '责任处室']
values = [38, '加强国家中医药服务出口基地建设，扩大中医药服务出口。', '市卫健委', '', '下季度\ufffe继续推进。', '正在推进', 0.5,
          '问题\uffff。', '无', '', '市卫健委推进中医药\ufffe服务出口，累计服务机构8家。', '']
for c, v in enumerate(header):
    sheet.write(1, c, v)
for c, v in enumerate(values):
    sheet.write(2, c, v)
book.save(out + '/市卫健委2024年第一季度进展情况.xls')
"#;

/// Opens every output with openpyxl / python-docx; prints what failed.
const OPEN: &str = r#"
import sys, pathlib, openpyxl, docx
bad = []
for p in sorted(pathlib.Path(sys.argv[1]).rglob('*')):
    try:
        if p.suffix == '.xlsx':
            wb = openpyxl.load_workbook(p)
            for ws in wb:
                for row in ws.iter_rows(values_only=True):
                    pass
        elif p.suffix == '.docx':
            d = docx.Document(str(p))
            _ = [para.text for para in d.paragraphs]
    except Exception as e:
        bad.append(f'{p}: {e}')
print('\n'.join(bad))
sys.exit(1 if bad else 0)
"#;

fn python(script: &str, args: &[&str]) -> Output {
    Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs")
}

/// True when python3 with openpyxl, xlwt and python-docx is present (else prints why not).
fn python_ready() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import openpyxl, xlwt, docx"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: python3 with openpyxl, xlwt and python-docx is not present");
    }
    ok
}

fn run_round(inbox: &Path, outbox: &Path) -> Output {
    roundup(&[
        "run",
        "--round",
        ROUND,
        "--inbox",
        path(inbox),
        "--outbox",
        path(outbox),
        "--quiet",
    ])
}

/// Every task's reports by the units not touched here, keyed by (task, unit).
fn good_reports(json: &Value) -> BTreeMap<(u64, String), Value> {
    let mut out = BTreeMap::new();
    for task in json["tasks"].as_array().into_iter().flatten() {
        let id = task["id"].as_u64().unwrap_or_default();
        for report in task["reports"].as_array().into_iter().flatten() {
            let unit = report["unit"].as_str().unwrap_or_default().to_owned();
            if !HOSTILE_UNITS.contains(&unit.as_str()) {
                out.insert((id, unit), report.clone());
            }
        }
    }
    out
}

/// All bytes of every file below `dir`.
fn all_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out
}

#[test]
fn hostile_cells_names_and_characters_never_stop_or_corrupt_the_outputs() {
    let Some(foreign) = foreign() else { return };
    if !python_ready() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let (clean, hostile) = (tmp.path().join("clean"), tmp.path().join("hostile"));
    copy_dir(&foreign, &clean);
    copy_dir(&foreign, &hostile);
    let built = python(
        BUILD,
        &[
            path(&foreign.join("市建委2024年第一季度进展情况.xlsx")),
            path(&hostile),
        ],
    );
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    std::fs::write(hostile.join(FORGED_NAME), b"not a workbook").unwrap();

    let (clean_out, hostile_out) = (tmp.path().join("out-clean"), tmp.path().join("out-hostile"));
    run_round(&clean, &clean_out);
    let run = run_round(&hostile, &hostile_out);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");

    // Every output is present and opens.
    let dir = hostile_out.join(ROUND);
    for name in [
        "汇总表-2024Q1.xlsx",
        "工作简报-2024Q1.docx",
        "roundup.json",
        "manifest.json",
        "反馈/市建委-2024Q1.xlsx",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing; {stderr}");
    }
    let opened = python(OPEN, &[path(&dir)]);
    assert!(
        opened.status.success(),
        "{}{}",
        String::from_utf8_lossy(&opened.stdout),
        String::from_utf8_lossy(&opened.stderr)
    );

    // Item 2: no output holds U+FFFE / U+FFFF (nor the xlsx escape of them).
    for (name, bytes) in all_files(&dir) {
        let text = if name.ends_with(".json") {
            String::from_utf8(bytes).unwrap()
        } else {
            unzip_text(&bytes)
        };
        assert!(
            !text.contains(['\u{FFFE}', '\u{FFFF}']),
            "{name} holds U+FFFE/U+FFFF"
        );
        assert!(!text.contains("_xFFFE_") && !text.contains("_xFFFF_"), "{name}");
    }

    // Item 1: the messages quote excerpts only; good units' results are unchanged.
    let json = read_json(&dir.join("roundup.json"));
    for issue in json["issues"].as_array().unwrap() {
        let message = issue["message"].as_str().unwrap_or_default();
        assert!(message.chars().count() <= 400, "{}", issue["code"]);
    }
    let before = good_reports(&read_json(&clean_out.join(ROUND).join("roundup.json")));
    assert!(!before.is_empty());
    assert_eq!(before, good_reports(&json));

    // Item 15: the data outputs keep the real name; the log, check and status escape it.
    let manifest = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    assert!(manifest.contains(&serde_json::to_string(FORGED_NAME).unwrap()));
    let log = std::fs::read_to_string(hostile_out.join("logs/roundup-2024Q1.log")).unwrap();
    assert_no_forgery("log", &log);
    let check = roundup(&["check", "--round", ROUND, path(&hostile)]);
    assert_no_forgery("check", &String::from_utf8_lossy(&check.stdout));
    let status = roundup(&["status", "--round", ROUND, "--inbox", path(&hostile)]);
    assert_no_forgery("status", &String::from_utf8_lossy(&status.stdout));
}

/// The forged line never starts a line, and no ESC or BEL reaches the text.
fn assert_no_forgery(what: &str, text: &str) {
    assert!(
        !text.lines().any(|l| l.starts_with("[2024-01-01")),
        "{what} has a forged line:\n{text}"
    );
    assert!(!text.contains(['\u{1b}', '\u{7}']), "{what} prints ESC/BEL raw");
}

/// The text of every XML part of a zip package.
fn unzip_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut part = String::new();
        if file.read_to_string(&mut part).is_ok() {
            out.push_str(&part);
        }
    }
    out
}
