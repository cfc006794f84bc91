//! Progress spreadsheets end to end: every tolerance rule of the contract (§2, §4) and every
//! spreadsheet diagnostic (§5), on workbooks generated here with rust_xlsxwriter (and a
//! hand-built `.ods`), read by the real binary.
//!
//! Two inboxes are built once and shared by the tests: one consolidated with `roundup run`
//! (each file from a different unit, to assert the exact values read) and one validated with
//! `roundup check --format json` (one file per diagnostic, to assert code and location).

use roundup::config::Config;
use roundup::registry::Registry;
use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const ROUND: &str = "2024Q1";

/// The canonical columns, in the template's order.
const HEADER: [&str; 12] = [
    "序号",
    "试点任务",
    "牵头单位",
    "完成状态",
    "完成进度（%）",
    "本期工作进展",
    "项目落地情况",
    "案例报送",
    "存在问题",
    "下步计划",
    "政策诉求",
    "备注",
];

// ---------------------------------------------------------------------------------------
// Building workbooks

/// A cell to write.
#[derive(Debug, Clone, PartialEq)]
enum C {
    /// Text.
    T(String),
    /// A number in General format.
    N(f64),
    /// A number in `0%` format.
    P(f64),
    /// A formula with its cached result.
    F(&'static str, &'static str),
    /// An Excel date serial in a date format.
    D(f64),
    /// Nothing.
    E,
}

fn t(s: &str) -> C {
    C::T(s.to_owned())
}

fn put(ws: &mut Worksheet, row: u32, col: u16, cell: &C) {
    let result = match cell {
        C::T(s) => ws.write_string(row, col, s),
        C::N(n) => ws.write_number(row, col, *n),
        C::P(p) => ws.write_number_with_format(row, col, *p, &Format::new().set_num_format("0%")),
        C::F(f, r) => ws.write_formula(row, col, Formula::new(*f).set_result(*r)),
        C::D(serial) => {
            ws.write_number_with_format(row, col, *serial, &Format::new().set_num_format("yyyy-mm-dd"))
        }
        C::E => return,
    };
    result.unwrap();
}

fn put_row(ws: &mut Worksheet, row: u32, cells: &[C]) {
    for (col, cell) in cells.iter().enumerate() {
        put(ws, row, col as u16, cell);
    }
}

fn header() -> Vec<C> {
    HEADER.iter().map(|h| t(h)).collect()
}

fn setup() -> &'static (Config, Registry) {
    static SETUP: OnceLock<(Config, Registry)> = OnceLock::new();
    SETUP.get_or_init(|| {
        let config = Config::load(&repo().join("templates/roundup.toml")).unwrap();
        let registry = Registry::load(&config.registry_path, &config.aliases)
            .unwrap()
            .with_delegates(&config.delegated_units);
        (config, registry)
    })
}

fn task_text(id: u32) -> String {
    setup().1.task(id).unwrap().text.clone()
}

fn task_leads(id: u32) -> String {
    setup().1.task(id).unwrap().lead.join("、")
}

/// A canonical row: registry text and leads, the given id, status, percent and progress, and
/// `问题N` / `计划N` / `诉求N` in the other columns.
fn row(id: C, status: &str, percent: C, progress: &str, task: u32) -> Vec<C> {
    vec![
        id,
        t(&task_text(task)),
        t(&task_leads(task)),
        t(status),
        percent,
        t(progress),
        t(&format!("落地项目{task}")),
        C::E,
        t(&format!("问题{task}")),
        t(&format!("计划{task}")),
        t(&format!("诉求{task}")),
        C::E,
    ]
}

/// A simple row for task `id`: 推进中, 50, `进展N`.
fn plain(id: u32) -> Vec<C> {
    row(C::N(id.into()), "推进中", C::N(50.0), &format!("进展{id}"), id)
}

/// The title row merged over the table's width.
fn title(ws: &mut Worksheet, text: &str, width: u16) {
    ws.merge_range(0, 0, 0, width - 1, text, &Format::new()).unwrap();
}

/// The template the tool itself writes: title (row 1), unit line (row 2), header (row 3),
/// task rows from row 4, in sheet `进展情况`.
fn template(unit: &str, rows: &[Vec<C>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("进展情况").unwrap();
    title(ws, "南京市服务业扩大开放综合试点任务推进情况表", 12);
    ws.write_string(
        1,
        0,
        format!("填报单位：{unit}  填报人：张三  联系电话：025-12345678  填报日期：2024年4月8日"),
    )
    .unwrap();
    put_row(ws, 2, &header());
    for (i, r) in rows.iter().enumerate() {
        put_row(ws, 3 + i as u32, r);
    }
    wb.save_to_buffer().unwrap()
}

fn book(build: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut wb = Workbook::new();
    build(&mut wb);
    wb.save_to_buffer().unwrap()
}

/// A minimal OpenDocument spreadsheet with one sheet; cells are strings, floats or
/// percentages (`P`, written as office:value-type="percentage").
fn ods(sheet: &str, rows: &[Vec<C>]) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#,
    );
    xml.push_str(&format!(r#"<table:table table:name="{sheet}">"#));
    for r in rows {
        xml.push_str("<table:table-row>");
        for cell in r {
            xml.push_str(&match cell {
                C::T(s) => format!(r#"<table:table-cell office:value-type="string"><text:p>{s}</text:p></table:table-cell>"#),
                C::N(n) => format!(r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#),
                C::P(p) => format!(r#"<table:table-cell office:value-type="percentage" office:value="{p}"><text:p>{}%</text:p></table:table-cell>"#, p * 100.0),
                _ => "<table:table-cell/>".to_owned(),
            });
        }
        xml.push_str("</table:table-row>");
    }
    xml.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

// ---------------------------------------------------------------------------------------
// Running the binary

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn roundup(args: &[&str]) -> std::process::Output {
    let config = repo().join("templates/roundup.toml");
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--config", config.to_str().unwrap()]);
    Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(repo())
        .args(&all)
        .output()
        .expect("roundup runs")
}

fn write_files(dir: &Path, files: &[(String, Vec<u8>)]) {
    std::fs::create_dir_all(dir).unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
}

/// `roundup run` over `files`; the round's roundup.json.
fn run(files: &[(String, Vec<u8>)]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let (inbox, outbox) = (dir.path().join("inbox"), dir.path().join("outbox"));
    write_files(&inbox, files);
    let out = roundup(&[
        "run",
        "--round",
        ROUND,
        "--inbox",
        inbox.to_str().unwrap(),
        "--outbox",
        outbox.to_str().unwrap(),
        "--quiet",
    ]);
    let code = out.status.code();
    assert!(
        matches!(code, Some(0 | 1)),
        "run failed ({code:?}): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(outbox.join(ROUND).join("roundup.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `roundup check --format json` over `files`.
fn check(files: &[(String, Vec<u8>)]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    write_files(dir.path(), files);
    let out = roundup(&[
        "check",
        "--format",
        "json",
        "--round",
        ROUND,
        dir.path().to_str().unwrap(),
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// (code, location, task) of a file's issues, in output order.
fn issues(json: &Value, file: &str) -> Vec<(String, Option<String>, Option<u64>)> {
    json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(file))
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_owned(),
                i["location"].as_str().map(str::to_owned),
                i["task"].as_u64(),
            )
        })
        .collect()
}

/// The one issue of `file` with `code`.
fn issue<'a>(json: &'a Value, file: &str, code: &str) -> &'a Value {
    let found: Vec<&Value> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(file) && i["code"].as_str() == Some(code))
        .collect();
    assert_eq!(found.len(), 1, "{file}: {code}: {:#?}", issues(json, file));
    found[0]
}

fn issue_at(code: &str, location: &str, task: Option<u64>) -> (String, Option<String>, Option<u64>) {
    (code.to_owned(), Some(location.to_owned()), task)
}

/// The report of `unit` on `task` in roundup.json.
fn report<'a>(json: &'a Value, unit: &str, task: u64) -> &'a Value {
    let t = json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_u64() == Some(task))
        .unwrap();
    t["reports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["unit"].as_str() == Some(unit))
        .unwrap_or_else(|| panic!("no report of {unit} on task {task}: {:#?}", t["reports"]))
}

fn task_status(json: &Value, task: u64) -> &Value {
    &json["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"].as_u64() == Some(task))
        .unwrap()["status"]
}

fn percent(r: &Value) -> Option<f64> {
    r["percent"].as_f64()
}

fn file_entry<'a>(json: &'a Value, path: &str) -> &'a Value {
    json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["files"].as_array().unwrap())
        .find(|f| f["path"].as_str() == Some(path))
        .unwrap_or_else(|| panic!("{path} not among the submissions"))
}

fn submission_unit<'a>(json: &'a Value, path: &str) -> &'a str {
    json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| {
            s["files"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["path"].as_str() == Some(path))
        })
        .and_then(|s| s["unit"].as_str())
        .unwrap_or_else(|| panic!("{path} has no unit"))
}

// ---------------------------------------------------------------------------------------
// The consolidated inbox: one file per tolerance rule, each from a different unit

const CANONICAL: &str = "市科技局-进展表.xlsx";
const TITLE_ROWS: &str = "市人社局-进展表.xlsx";
const TWO_ROW_HEADER: &str = "市外办-进展表.xlsx";
const SHUFFLED: &str = "市规划和自然资源局-进展表.xlsx";
const ID_FORMS: &str = "市工信局-进展表.xlsx";
const STATUS_FORMS: &str = "市金融局-进展表.xlsx";
const PERCENT_FORMS: &str = "市卫健委-进展表.xlsx";
const MERGED: &str = "市公安局-进展表.xlsx";
const FORMULAS: &str = "市政务办-进展表.xlsx";
const SHEETS: &str = "市文旅局-进展表.xlsx";
const FOOTERS: &str = "市司法局-进展表.xlsx";
const WPS_ET: &str = "市统计局-进展表.et";
const XLSM: &str = "市民政局-进展表.xlsm";
const ODS: &str = "市商务局-进展表.ods";
const BY_TEXT: &str = "江北新区-进展表.xlsx";
const LATE: &str = "市医保局-进展表.xlsx";
const DATE_CELL: &str = "市教育局-进展表.xlsx";
const LEAD_COLUMN: &str = "进展表-附件二.xlsx";
const REPORT_TITLE: &str = "进展表-附件三.xlsx";
const NAME_ONLY: &str = "附件1 市税务局任务推进情况表.xlsx";
const CELL_ERRORS: &str = "市委网信办-进展表.xlsx";
const QUARTER_SHEETS: &str = "南京边检站-进展表.xlsx";

fn consolidated() -> &'static Value {
    static RUN: OnceLock<Value> = OnceLock::new();
    RUN.get_or_init(|| {
        let files: Vec<(String, Vec<u8>)> = vec![
            (CANONICAL.into(), canonical()),
            (TITLE_ROWS.into(), title_rows()),
            (TWO_ROW_HEADER.into(), two_row_header()),
            (SHUFFLED.into(), shuffled()),
            (ID_FORMS.into(), id_forms()),
            (STATUS_FORMS.into(), status_forms()),
            (PERCENT_FORMS.into(), percent_forms()),
            (MERGED.into(), merged()),
            (FORMULAS.into(), formulas()),
            (SHEETS.into(), sheets()),
            (FOOTERS.into(), footers()),
            (WPS_ET.into(), template("市统计局", &[plain(51)])),
            (XLSM.into(), template("市民政局", &[plain(33)])),
            (ODS.into(), ods_file()),
            (BY_TEXT.into(), by_text()),
            (LATE.into(), late()),
            (DATE_CELL.into(), date_cell()),
            (LEAD_COLUMN.into(), lead_column()),
            (REPORT_TITLE.into(), report_title()),
            (NAME_ONLY.into(), name_only()),
            (CELL_ERRORS.into(), cell_errors()),
            (QUARTER_SHEETS.into(), quarter_sheets()),
        ];
        run(&files)
    })
}

fn canonical() -> Vec<u8> {
    template(
        "市科技局",
        &[
            row(C::N(1.0), "未启动", C::N(0.0), "已完成前期调研。", 1),
            row(C::N(13.0), "推进中", C::N(60.0), "出台实施细则。", 13),
            row(C::N(58.0), "已完成", C::N(100.0), "平台已上线。", 58),
            row(C::N(93.0), "常态化推进", C::E, "持续开展。", 93),
        ],
    )
}

fn title_rows() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        title(ws, "市人社局服务业扩大开放综合试点任务推进情况表", 12);
        ws.write_string(2, 0, "填报单位：市人社局").unwrap();
        ws.write_string(3, 0, "填报日期：").unwrap();
        put(ws, 3, 1, &C::D(45390.0));
        ws.write_string(5, 11, "（单位：项）").unwrap();
        put_row(ws, 6, &header());
        put_row(ws, 7, &row(C::N(10.0), "推进中", C::N(30.0), "开展试点。", 10));
        put_row(ws, 8, &row(C::N(11.0), "已完成", C::N(100.0), "已出台办法。", 11));
        put_row(ws, 9, &row(C::N(19.0), "未启动", C::N(0.0), "正在研究。", 19));
    })
}

fn two_row_header() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        title(ws, "试点任务推进情况表", 8);
        ws.write_string(1, 0, "填报单位：市外办").unwrap();
        let f = Format::new();
        ws.merge_range(2, 0, 3, 0, "序号", &f).unwrap();
        ws.merge_range(2, 1, 3, 1, "试点任务", &f).unwrap();
        ws.merge_range(2, 2, 3, 2, "牵头单位", &f).unwrap();
        ws.merge_range(2, 3, 2, 5, "推进情况", &f).unwrap();
        put_row(
            ws,
            3,
            &[
                C::E,
                C::E,
                C::E,
                t("完成状态"),
                t("完成进度（%）"),
                t("本期工作进展"),
            ],
        );
        ws.merge_range(2, 6, 3, 6, "存在问题", &f).unwrap();
        ws.merge_range(2, 7, 3, 7, "下步计划", &f).unwrap();
        let data = |id: u32, status: &str, pct: C, progress: &str| {
            vec![
                C::N(id.into()),
                t(&task_text(id)),
                t(&task_leads(id)),
                t(status),
                pct,
                t(progress),
                t(&format!("问题{id}")),
                t(&format!("计划{id}")),
            ]
        };
        put_row(ws, 4, &data(89, "推进中", C::N(80.0), "便利外籍人才。"));
        put_row(ws, 5, &data(90, "推进中", C::N(75.0), "开通绿色通道。"));
        put_row(ws, 6, &data(91, "常态化推进", C::E, "常态化服务。"));
    })
}

fn shuffled() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "填报单位：市规划和自然资源局").unwrap();
        ws.write_string(1, 0, "填报日期：2024.4.7").unwrap();
        let head = [
            "工作推进\n情况",
            "进展状态",
            "任务编号",
            "联系人",
            "完成率(％)",
            "下一步工作",
            "改革试点任务",
            " 存在的问题 ",
        ];
        put_row(ws, 2, &head.iter().map(|h| t(h)).collect::<Vec<_>>());
        put_row(
            ws,
            3,
            &[
                t("完成选址。"),
                t("未启动"),
                C::N(54.0),
                t("张三"),
                C::N(0.0),
                t("计划54"),
                t(&task_text(54)),
                C::E,
            ],
        );
        put_row(
            ws,
            4,
            &[
                t("供地35%。"),
                t("推进中"),
                C::N(60.0),
                t("李四"),
                t("35%"),
                t("计划60"),
                t(&task_text(60)),
                t("问题60"),
            ],
        );
    })
}

fn id_forms() -> Vec<u8> {
    let ids = [
        (C::N(5.0), 5),
        (t("6"), 6),
        (t("42.0"), 42),
        (t("第43项"), 43),
        (t("任务44"), 44),
        (t("５５"), 55),
        (t("\u{3000}56 "), 56),
        (t("\"57\""), 57),
    ];
    let rows: Vec<Vec<C>> = ids
        .into_iter()
        .map(|(id, task)| row(id, "推进中", C::N(40.0), &format!("进展{task}"), task))
        .collect();
    template("市工信局", &rows)
}

/// (task, status as written, canonical status) for 市金融局's 19 tasks.
const STATUS_CASES: [(u64, &str, &str); 19] = [
    (2, "未开始", "未启动"),
    (3, "尚未启动", "未启动"),
    (4, "进行中", "推进中"),
    (9, "正在推进", "推进中"),
    (14, "正在实施", "推进中"),
    (20, "推进", "推进中"),
    (21, "实施中", "推进中"),
    (22, "完成", "已完成"),
    (24, "已办结", "已完成"),
    (25, "已落实", "已完成"),
    (26, "持续推进", "常态化推进"),
    (27, "长期推进", "常态化推进"),
    (28, "常态化", "常态化推进"),
    (29, " 进行中\u{3000}", "推进中"),
    (61, "未启动", "未启动"),
    (101, "推进中", "推进中"),
    (102, "已完成", "已完成"),
    (103, "常态化推进", "常态化推进"),
    (104, "推 进 中", "推进中"),
];

fn status_forms() -> Vec<u8> {
    let rows: Vec<Vec<C>> = STATUS_CASES
        .iter()
        .map(|(task, written, _)| row(C::N(*task as f64), written, C::E, "有进展。", *task as u32))
        .collect();
    template("市金融局", &rows)
}

fn percent_forms() -> Vec<u8> {
    let cases = [
        (30, C::N(80.0)),
        (32, t("80%")),
        (33, t("80％")),
        (38, C::P(0.8)),
        (96, t("—")),
        (97, C::N(12.5)),
    ];
    let rows: Vec<Vec<C>> = cases
        .into_iter()
        .map(|(task, pct)| row(C::N(task.into()), "推进中", pct, "有进展。", task))
        .collect();
    template("市卫健委", &rows)
}

fn merged() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        title(ws, "试点任务推进情况表", 12);
        ws.write_string(1, 0, "填报单位：市公安局").unwrap();
        put_row(ws, 2, &header());
        let mut r89 = row(C::N(89.0), "", C::N(60.0), "", 89);
        r89[3] = C::E;
        r89[5] = C::E;
        let mut r90 = row(C::N(90.0), "", C::N(60.0), "", 90);
        r90[3] = C::E;
        r90[5] = C::E;
        put_row(ws, 3, &r89);
        put_row(ws, 4, &r90);
        let f = Format::new();
        ws.merge_range(3, 3, 4, 3, "推进中", &f).unwrap();
        ws.merge_range(3, 5, 4, 5, "联合推进出入境便利措施。", &f)
            .unwrap();
        put_row(ws, 5, &row(C::N(91.0), "已完成", C::N(100.0), "已落实。", 91));
        put_row(ws, 6, &row(C::N(98.0), "", C::E, "配合开展。", 98));
    })
}

fn formulas() -> Vec<u8> {
    template(
        "市政务办",
        &[
            row(C::N(72.0), "推进中", C::F("=30+30", "60"), "有进展。", 72),
            row(C::N(74.0), "已完成", C::F("=50*2", "100"), "有进展。", 74),
            row(C::N(76.0), "", C::N(20.0), "有进展。", 76)
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    if i == 3 {
                        C::F("=\"推进\"&\"中\"", "推进中")
                    } else {
                        c
                    }
                })
                .collect(),
            row(C::F("=70+7", "77"), "推进中", C::N(90.0), "有进展。", 77),
        ],
    )
}

fn sheets() -> Vec<u8> {
    book(|wb| {
        let notes = wb.add_worksheet().set_name("填报说明").unwrap();
        notes.write_string(0, 0, "填报说明：请按下列各列填写").unwrap();
        put_row(
            notes,
            1,
            &[t("序号"), t("试点任务"), t("完成状态"), t("本期工作进展")],
        );
        put_row(notes, 2, &[C::N(15.0), t("示例"), t("已完成"), t("示例")]);
        let old = wb.add_worksheet().set_name("旧数据").unwrap();
        put_row(old, 0, &header());
        put_row(old, 1, &row(C::N(15.0), "已完成", C::N(100.0), "旧的。", 15));
        old.set_hidden(true);
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "填报单位：市文旅局").unwrap();
        put_row(ws, 1, &header());
        for (i, id) in [15u32, 47, 68, 69, 71].into_iter().enumerate() {
            let pct = if id == 15 { 40.0 } else { 50.0 };
            put_row(
                ws,
                2 + i as u32,
                &row(C::N(id.into()), "推进中", C::N(pct), "本期进展。", id),
            );
        }
    })
}

fn footers() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "填报单位：市司法局").unwrap();
        put_row(ws, 1, &header());
        put_row(ws, 2, &row(C::N(49.0), "推进中", C::N(50.0), "进展49", 49));
        put_row(ws, 4, &row(C::N(50.0), "已完成", C::N(100.0), "进展50", 50));
        put_row(ws, 6, &[t("合计"), C::E, C::E, C::E, C::N(150.0)]);
        put_row(ws, 7, &[C::E, C::E, C::E, C::E, C::E, C::E]);
        put_row(ws, 8, &[t("填报人：张三"), C::E, C::E, t("审核人：李四")]);
        put_row(ws, 9, &[t("注：完成进度按百分比填写。")]);
    })
}

fn ods_file() -> Vec<u8> {
    let mut rows = vec![
        vec![t("市商务局试点任务推进情况表")],
        vec![t("填报单位：市商务局")],
        vec![
            t("序号"),
            t("试点任务"),
            t("完成状态"),
            t("完成进度（%）"),
            t("本期工作进展"),
        ],
    ];
    for (id, pct) in [(38, 0.8), (46, 0.35), (70, 1.0)] {
        rows.push(vec![
            C::N(id.into()),
            t(&task_text(id)),
            t("推进中"),
            C::P(pct),
            t("有进展。"),
        ]);
    }
    ods("进展情况", &rows)
}

/// 江北新区: no ids; tasks 7 and 36 by their exact text, 37 by an edited text.
fn by_text() -> Vec<u8> {
    let edited: String = {
        let text = task_text(37);
        let mut chars: Vec<char> = text.chars().collect();
        chars[0] = '推';
        chars[1] = '进';
        chars.into_iter().collect()
    };
    let mut r37 = row(C::E, "推进中", C::N(30.0), "进展37", 37);
    r37[1] = C::T(edited);
    template(
        "江北新区",
        &[
            row(C::E, "推进中", C::N(10.0), "进展7", 7),
            row(C::E, "推进中", C::N(20.0), "进展36", 36),
            r37,
        ],
    )
}

fn late() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "填报单位：市医保局    填报日期：2024年4月20日")
            .unwrap();
        put_row(ws, 1, &header());
        put_row(ws, 2, &plain(21));
        put_row(ws, 3, &plain(35));
    })
}

fn date_cell() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        put_row(
            ws,
            0,
            &[t("填报单位："), t("市教育局"), t("填报日期："), C::D(45390.0)],
        );
        put_row(ws, 1, &header());
        for (i, id) in [17, 18, 19].into_iter().enumerate() {
            put_row(ws, 2 + i as u32, &plain(id));
        }
    })
}

fn lead_column() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("Sheet1").unwrap();
        title(ws, "试点任务推进情况表", 12);
        put_row(ws, 1, &header());
        put_row(ws, 2, &plain(48));
    })
}

fn report_title() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("Sheet1").unwrap();
        ws.write_string(0, 0, "雨花台区关于2024年第一季度试点任务推进情况的报告")
            .unwrap();
        let head: Vec<C> = ["序号", "试点任务", "完成状态", "完成进度", "本期工作进展"]
            .iter()
            .map(|h| t(h))
            .collect();
        put_row(ws, 1, &head);
        put_row(
            ws,
            2,
            &[
                C::N(66.0),
                t(&task_text(66)),
                t("推进中"),
                C::N(20.0),
                t("进展66"),
            ],
        );
        put_row(
            ws,
            3,
            &[C::N(67.0), t(&task_text(67)), t("未启动"), C::N(0.0), t("进展67")],
        );
    })
}

fn name_only() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("Sheet1").unwrap();
        let head: Vec<C> = ["序号", "完成状态", "完成进度", "本期工作进展"]
            .iter()
            .map(|h| t(h))
            .collect();
        put_row(ws, 0, &head);
        put_row(ws, 1, &[C::N(72.0), t("推进中"), C::N(45.0), t("进展72")]);
    })
}

/// 南京边检站 keeps one sheet per quarter: the sheet named for this round is read.
fn quarter_sheets() -> Vec<u8> {
    book(|wb| {
        for (name, status, pct) in [
            ("2023年第四季度", "推进中", 50.0),
            ("2024年第一季度", "已完成", 100.0),
        ] {
            let ws = wb.add_worksheet().set_name(name).unwrap();
            ws.write_string(0, 0, "填报单位：南京边检站").unwrap();
            put_row(ws, 1, &header());
            put_row(
                ws,
                2,
                &row(C::N(92.0), status, C::N(pct), &format!("{name}进展"), 92),
            );
        }
    })
}

/// 市委网信办: cell errors keep their rows, identity errors drop theirs.
fn cell_errors() -> Vec<u8> {
    template(
        "市委网信办",
        &[
            row(C::N(94.0), "差不多了", C::N(30.0), "进展94", 94),
            row(C::N(95.0), "推进中", t("120"), "进展95", 95),
            row(C::N(98.0), "常态化推进", C::N(100.0), "进展98", 98),
            row(C::N(99.0), "推进中", C::N(60.0), "进展99", 99),
            row(C::N(98.0), "已完成", C::N(100.0), "重复的98", 98),
            row(C::N(8.0), "已完成", C::N(100.0), "协助推进8", 8),
            row(C::N(105.0), "推进中", C::N(50.0), "不在清单", 8),
        ],
    )
}

// ---------------------------------------------------------------------------------------
// Tolerance rules: exact values read

/// Asserts a report's status, percent and progress.
fn assert_report(
    json: &Value,
    unit: &str,
    task: u64,
    status: Option<&str>,
    pct: Option<f64>,
    progress: &str,
) {
    let r = report(json, unit, task);
    assert_eq!(r["status"].as_str(), status, "{unit} task {task}: {r:#}");
    assert_eq!(percent(r), pct, "{unit} task {task}: {r:#}");
    assert_eq!(r["progress"].as_str(), Some(progress), "{unit} task {task}");
}

#[test]
fn canonical_template_is_read_exactly() {
    let json = consolidated();
    assert_report(json, "市科技局", 1, Some("未启动"), Some(0.0), "已完成前期调研。");
    assert_report(json, "市科技局", 13, Some("推进中"), Some(60.0), "出台实施细则。");
    assert_report(json, "市科技局", 58, Some("已完成"), Some(100.0), "平台已上线。");
    assert_report(json, "市科技局", 93, Some("常态化推进"), None, "持续开展。");
    let r = report(json, "市科技局", 13);
    assert_eq!(r["problems"], "问题13");
    assert_eq!(r["next_steps"], "计划13");
    assert_eq!(r["policy"], "诉求13");
    assert_eq!(r["projects"], "落地项目13");
    assert_eq!(r["file"], CANONICAL);
    assert_eq!(r["location"], "进展情况!D5");
    assert_eq!(r["supplementary"], false);
    assert_eq!(file_entry(json, CANONICAL)["outcome"], "used");
    assert_eq!(file_entry(json, CANONICAL)["date"], "2024-04-08");
    assert_eq!(issues(json, CANONICAL), vec![]);
}

#[test]
fn header_after_title_unit_and_date_rows() {
    let json = consolidated();
    assert_report(json, "市人社局", 10, Some("推进中"), Some(30.0), "开展试点。");
    assert_report(json, "市人社局", 11, Some("已完成"), Some(100.0), "已出台办法。");
    assert_report(json, "市人社局", 19, Some("未启动"), Some(0.0), "正在研究。");
    assert_eq!(report(json, "市人社局", 10)["location"], "进展情况!D8");
    assert_eq!(file_entry(json, TITLE_ROWS)["date"], "2024-04-08");
    // Task 19 is joint-led (市教育局、市人社局) and another fixture of this round reports it for
    // 市教育局 with another status: the second lead's row gets the joint-lead warning.
    let joint = (
        "status-conflict".to_owned(),
        Some("进展情况!D10".to_owned()),
        Some(19),
    );
    assert_eq!(issues(json, TITLE_ROWS), vec![joint]);
}

#[test]
fn two_row_header_under_a_merged_group_label() {
    let json = consolidated();
    assert_report(json, "市外办", 89, Some("推进中"), Some(80.0), "便利外籍人才。");
    assert_report(json, "市外办", 90, Some("推进中"), Some(75.0), "开通绿色通道。");
    assert_report(json, "市外办", 91, Some("常态化推进"), None, "常态化服务。");
    assert_eq!(report(json, "市外办", 89)["problems"], "问题89");
    assert_eq!(report(json, "市外办", 89)["location"], "进展情况!D5");
    // Task 91 is joint-led and reported by its other lead unit too, with another status.
    let joint = (
        "status-conflict".to_owned(),
        Some("进展情况!D7".to_owned()),
        Some(91),
    );
    assert_eq!(issues(json, TWO_ROW_HEADER), vec![joint]);
}

#[test]
fn shuffled_columns_synonyms_and_an_extra_column() {
    let json = consolidated();
    assert_report(
        json,
        "市规划和自然资源局",
        54,
        Some("未启动"),
        Some(0.0),
        "完成选址。",
    );
    assert_report(
        json,
        "市规划和自然资源局",
        60,
        Some("推进中"),
        Some(35.0),
        "供地35%。",
    );
    assert_eq!(report(json, "市规划和自然资源局", 60)["problems"], "问题60");
    assert_eq!(report(json, "市规划和自然资源局", 60)["next_steps"], "计划60");
    assert_eq!(file_entry(json, SHUFFLED)["date"], "2024-04-07");
    assert_eq!(
        issues(json, SHUFFLED),
        vec![issue_at("ignored-column", "进展情况!D3", None)]
    );
    assert_eq!(issue(json, SHUFFLED, "ignored-column")["level"], "info");
}

#[test]
fn task_ids_in_every_written_form() {
    let json = consolidated();
    for task in [5, 6, 42, 43, 44, 55, 56, 57] {
        assert_report(
            json,
            "市工信局",
            task,
            Some("推进中"),
            Some(40.0),
            &format!("进展{task}"),
        );
    }
    assert_eq!(issues(json, ID_FORMS), vec![]);
}

#[test]
fn status_synonyms_become_canonical() {
    let json = consolidated();
    for (task, written, canonical) in STATUS_CASES {
        let r = report(json, "市金融局", task);
        assert_eq!(
            r["status"].as_str(),
            Some(canonical),
            "“{written}” on task {task}"
        );
    }
    assert_eq!(issues(json, STATUS_FORMS), vec![]);
}

#[test]
fn percent_in_every_written_form() {
    let json = consolidated();
    for (task, expected) in [
        (30, Some(80.0)),
        (32, Some(80.0)),
        (33, Some(80.0)),
        (38, Some(80.0)),
        (96, None),
        (97, Some(12.5)),
    ] {
        assert_eq!(percent(report(json, "市卫健委", task)), expected, "task {task}");
    }
    assert_eq!(issues(json, PERCENT_FORMS), vec![]);
}

#[test]
fn merged_cells_fill_the_rows_they_span_and_blanks_stay_blank() {
    let json = consolidated();
    assert_report(
        json,
        "市公安局",
        89,
        Some("推进中"),
        Some(60.0),
        "联合推进出入境便利措施。",
    );
    assert_report(
        json,
        "市公安局",
        90,
        Some("推进中"),
        Some(60.0),
        "联合推进出入境便利措施。",
    );
    assert_report(json, "市公安局", 91, Some("已完成"), Some(100.0), "已落实。");
    assert_report(json, "市公安局", 98, None, None, "配合开展。");
    // A led task with a blank status ends with a warning saying so (issue #14 safety net).
    assert_eq!(
        issues(json, MERGED),
        vec![issue_at("invalid-status", "进展情况!D7", Some(98))]
    );
}

#[test]
fn formulas_give_their_cached_results() {
    let json = consolidated();
    assert_eq!(percent(report(json, "市政务办", 72)), Some(60.0));
    assert_eq!(percent(report(json, "市政务办", 74)), Some(100.0));
    assert_eq!(report(json, "市政务办", 76)["status"], "推进中");
    assert_report(json, "市政务办", 77, Some("推进中"), Some(90.0), "有进展。");
    assert_eq!(issues(json, FORMULAS), vec![]);
}

#[test]
fn instruction_and_hidden_sheets_are_not_read() {
    let json = consolidated();
    assert_report(json, "市文旅局", 15, Some("推进中"), Some(40.0), "本期进展。");
    assert_eq!(report(json, "市文旅局", 15)["location"], "进展情况!D3");
    assert_eq!(
        issues(json, SHEETS),
        vec![("hidden-sheet".to_owned(), Some("旧数据".to_owned()), None)]
    );
    assert_eq!(issue(json, SHEETS, "hidden-sheet")["level"], "info");
}

#[test]
fn blank_total_signature_and_note_rows_are_skipped() {
    let json = consolidated();
    assert_report(json, "市司法局", 49, Some("推进中"), Some(50.0), "进展49");
    assert_report(json, "市司法局", 50, Some("已完成"), Some(100.0), "进展50");
    assert_eq!(issues(json, FOOTERS), vec![]);
}

#[test]
fn wps_et_and_xlsm_names_are_read_by_content() {
    let json = consolidated();
    assert_report(json, "市统计局", 51, Some("推进中"), Some(50.0), "进展51");
    assert_report(json, "市民政局", 33, Some("推进中"), Some(50.0), "进展33");
    assert_eq!(file_entry(json, WPS_ET)["kind"], "spreadsheet");
    assert_eq!(file_entry(json, XLSM)["outcome"], "used");
}

#[test]
fn ods_with_percentage_cells() {
    let json = consolidated();
    assert_report(json, "市商务局", 38, Some("推进中"), Some(80.0), "有进展。");
    assert_report(json, "市商务局", 46, Some("推进中"), Some(35.0), "有进展。");
    assert_report(json, "市商务局", 70, Some("推进中"), Some(100.0), "有进展。");
    let missing: Vec<u64> = issues(json, ODS)
        .into_iter()
        .filter(|(code, loc, _)| code == "missing-task" && loc.as_deref() == Some("进展情况!A3"))
        .filter_map(|(_, _, task)| task)
        .collect();
    assert_eq!(missing, vec![79, 81, 82, 83, 84, 85, 86, 87, 88]);
}

#[test]
fn tasks_without_ids_are_matched_by_text() {
    let json = consolidated();
    assert_report(json, "江北新区", 7, Some("推进中"), Some(10.0), "进展7");
    assert_report(json, "江北新区", 36, Some("推进中"), Some(20.0), "进展36");
    assert_report(json, "江北新区", 37, Some("推进中"), Some(30.0), "进展37");
    // Every id matched by text is a warning at the text cell (contract §2), exact or not.
    let warnings: Vec<&Value> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(BY_TEXT) && i["code"] == "task-text-mismatch")
        .collect();
    let found: Vec<(&str, u64, &str)> = warnings
        .iter()
        .map(|w| {
            let (at, task) = (w["location"].as_str().unwrap(), w["task"].as_u64().unwrap());
            (at, task, w["level"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("进展情况!B4", 7, "warning"),
            ("进展情况!B5", 36, "warning"),
            ("进展情况!B6", 37, "warning")
        ]
    );
    assert!(warnings[2]["suggestion"]
        .as_str()
        .unwrap()
        .contains(&task_text(37)));
    assert!(warnings[2]["message"].as_str().unwrap().contains("不完全一致"));
}

#[test]
fn filled_dates_from_text_and_date_cells() {
    let json = consolidated();
    assert_eq!(file_entry(json, LATE)["date"], "2024-04-20");
    assert_eq!(issue(json, LATE, "late-submission")["level"], "warning");
    assert_eq!(file_entry(json, DATE_CELL)["date"], "2024-04-08");
    assert_eq!(submission_unit(json, DATE_CELL), "市教育局");
    assert!(issues(json, DATE_CELL)
        .iter()
        .all(|(c, _, _)| c != "late-submission"));
}

#[test]
fn unit_from_lead_column_report_title_or_file_name() {
    let json = consolidated();
    assert_eq!(submission_unit(json, LEAD_COLUMN), "市委宣传部");
    assert_report(json, "市委宣传部", 48, Some("推进中"), Some(50.0), "进展48");
    assert_eq!(submission_unit(json, REPORT_TITLE), "雨花台区");
    assert_report(json, "雨花台区", 67, Some("未启动"), Some(0.0), "进展67");
    assert_eq!(submission_unit(json, NAME_ONLY), "市税务局");
    assert_report(json, "市税务局", 72, Some("推进中"), Some(45.0), "进展72");
}

#[test]
fn the_sheet_named_for_this_round_is_read() {
    let json = consolidated();
    assert_report(
        json,
        "南京边检站",
        92,
        Some("已完成"),
        Some(100.0),
        "2024年第一季度进展",
    );
    assert_eq!(report(json, "南京边检站", 92)["location"], "2024年第一季度!D3");
    // The sheet of the other quarter is not read, and an info says so (issue #14).
    assert_eq!(
        issues(json, QUARTER_SHEETS),
        vec![("hidden-sheet".to_owned(), Some("2023年第四季度".to_owned()), None)]
    );
}

#[test]
fn cell_errors_keep_the_row_and_identity_errors_drop_it() {
    let json = consolidated();
    assert_report(json, "市委网信办", 94, None, Some(30.0), "进展94");
    assert_report(json, "市委网信办", 95, Some("推进中"), None, "进展95");
    assert_report(json, "市委网信办", 98, Some("常态化推进"), Some(100.0), "进展98");
    assert_report(json, "市委网信办", 99, Some("推进中"), Some(60.0), "进展99");
    let r8 = report(json, "市委网信办", 8);
    assert_eq!(r8["supplementary"], true);
    assert!(
        task_status(json, 8).is_null(),
        "a supplementary row must not set the status"
    );
    assert_eq!(
        issues(json, CELL_ERRORS),
        vec![
            issue_at("invalid-status", "进展情况!D4", Some(94)),
            issue_at("invalid-percent", "进展情况!E5", Some(95)),
            issue_at("duplicate-task", "进展情况!A8", Some(98)),
            issue_at("not-lead-unit", "进展情况!A9", Some(8)),
            issue_at("unknown-task", "进展情况!A10", Some(105)),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Diagnostics: one file per code, validated with `roundup check --format json`

const NO_HEADER: &str = "市科技局-无表头.xlsx";
const NO_REQUIRED: &str = "市科技局-缺必需列.xlsx";
const NO_UNIT: &str = "进展表-无单位.xlsx";
const CONFLICT: &str = "市外办-进展表.xlsx";
const UNKNOWN_UNIT: &str = "进展表-单位名称.xlsx";
const ROW_RULES: &str = "市科技局-行规则.xlsx";
const MISSING: &str = "市科技局-缺任务.xlsx";
const STALE_NAME: &str = "市科技局-2023年第四季度推进情况.xlsx";
const STALE_TITLE: &str = "市科技局-旧表.xlsx";
const STALE_DATE: &str = "市科技局-填报日期.xlsx";
const STALE_SHEET: &str = "市科技局-上季度.xlsx";
const EXTRA_COLUMN: &str = "市科技局-多余列.xlsx";
const HIDDEN: &str = "市科技局-隐藏表.xlsx";
const TRUNCATED: &str = "市科技局-损坏.xlsx";
const HTML: &str = "市科技局-网页.xls";

fn checked() -> &'static Value {
    static CHECK: OnceLock<Value> = OnceLock::new();
    CHECK.get_or_init(|| {
        let mut truncated = canonical();
        truncated.truncate(truncated.len() / 2);
        let files: Vec<(String, Vec<u8>)> = vec![
            (NO_HEADER.into(), no_header()),
            (NO_REQUIRED.into(), no_required()),
            (NO_UNIT.into(), no_unit()),
            (CONFLICT.into(), template("市科技局", &[plain(1)])),
            (UNKNOWN_UNIT.into(), template("市科技创新局", &[plain(1)])),
            (ROW_RULES.into(), row_rules()),
            (MISSING.into(), missing()),
            (STALE_NAME.into(), template("市科技局", &[plain(1)])),
            (STALE_TITLE.into(), stale_title()),
            (STALE_DATE.into(), stale_date()),
            (STALE_SHEET.into(), stale_sheet()),
            (EXTRA_COLUMN.into(), extra_column()),
            (HIDDEN.into(), hidden()),
            (TRUNCATED.into(), truncated),
            (
                HTML.into(),
                b"<html><body><table><tr><td>1</td></tr></table></body></html>".to_vec(),
            ),
        ];
        check(&files)
    })
}

fn no_header() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "本季度工作总结").unwrap();
        ws.write_string(1, 0, "各项任务进展顺利。").unwrap();
    })
}

fn no_required() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "填报单位：市科技局").unwrap();
        put_row(
            ws,
            2,
            &[t("牵头单位"), t("项目落地情况"), t("存在问题"), t("下步计划")],
        );
        put_row(ws, 3, &[t("市科技局"), t("无"), t("无"), t("继续")]);
    })
}

fn no_unit() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        put_row(ws, 0, &[t("序号"), t("完成状态"), t("本期工作进展")]);
        put_row(ws, 1, &[C::N(1.0), t("推进中"), t("进展")]);
    })
}

/// 市科技局 with one problem per row (rows 4–11).
fn row_rules() -> Vec<u8> {
    let mut unrelated = row(C::E, "推进中", C::N(10.0), "进展", 1);
    unrelated[1] = t("完全无关的一段话");
    template(
        "市科技局",
        &[
            row(C::N(1.0), "未启动", C::N(0.0), "", 1),
            row(C::N(105.0), "推进中", C::N(50.0), "进展", 1),
            row(C::N(13.0), "差不多了", C::N(50.0), "进展", 13),
            row(C::N(58.0), "已完成", C::N(50.0), "进展", 58),
            row(C::N(93.0), "推进中", t("120"), "进展", 93),
            row(C::N(1.0), "推进中", C::N(10.0), "重复", 1),
            row(C::N(5.0), "推进中", C::N(10.0), "协助", 5),
            unrelated,
        ],
    )
}

/// 市科技局 without task 93, and task 58's text replaced.
fn missing() -> Vec<u8> {
    let mut r58 = plain(58);
    r58[1] = t("建设一个与任务清单完全不同的综合性服务平台");
    template("市科技局", &[plain(1), plain(13), r58])
}

fn stale_title() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "市科技局2023Q4试点任务推进情况表").unwrap();
        put_row(ws, 1, &header());
        put_row(ws, 2, &plain(1));
    })
}

fn stale_date() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "填报单位：市科技局  填报日期：2023年12月28日")
            .unwrap();
        put_row(ws, 1, &header());
        put_row(ws, 2, &plain(1));
    })
}

fn stale_sheet() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("2023Q4").unwrap();
        ws.write_string(0, 0, "填报单位：市科技局").unwrap();
        put_row(ws, 1, &header());
        put_row(ws, 2, &plain(1));
    })
}

fn extra_column() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "填报单位：市科技局").unwrap();
        let mut head = header();
        head.push(t("联系人"));
        put_row(ws, 2, &head);
        for (i, id) in [1, 13, 58, 93].into_iter().enumerate() {
            let mut r = plain(id);
            r.push(t("张三"));
            put_row(ws, 3 + i as u32, &r);
        }
    })
}

fn hidden() -> Vec<u8> {
    book(|wb| {
        let ws = wb.add_worksheet().set_name("进展情况").unwrap();
        ws.write_string(0, 0, "填报单位：市科技局").unwrap();
        put_row(ws, 1, &header());
        for (i, id) in [1, 13, 58, 93].into_iter().enumerate() {
            put_row(ws, 2 + i as u32, &plain(id));
        }
        let draft = wb.add_worksheet().set_name("草稿").unwrap();
        draft.write_string(0, 0, "x").unwrap();
        draft.set_hidden(true);
    })
}

/// The `files` entry of a checked file: (unit, rows).
fn checked_file(json: &Value, path: &str) -> (Option<String>, u64) {
    let f = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str() == Some(path))
        .unwrap_or_else(|| panic!("{path} not checked"));
    (f["unit"].as_str().map(str::to_owned), f["rows"].as_u64().unwrap())
}

fn only_issue(json: &Value, file: &str) -> (String, Option<String>, Option<u64>) {
    let all = issues(json, file);
    assert_eq!(all.len(), 1, "{file}: {all:#?}");
    all.into_iter().next().unwrap()
}

#[test]
fn header_not_found() {
    let json = checked();
    assert_eq!(
        only_issue(json, NO_HEADER),
        ("header-not-found".into(), None, None)
    );
    assert_eq!(issue(json, NO_HEADER, "header-not-found")["level"], "error");
    assert_eq!(checked_file(json, NO_HEADER).1, 0);
    assert_eq!(
        only_issue(json, NO_REQUIRED),
        issue_at("header-not-found", "进展情况!A3", None)
    );
    let message = issue(json, NO_REQUIRED, "header-not-found")["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("完成状态"), "{message}");
}

#[test]
fn unit_unidentified() {
    let json = checked();
    assert_eq!(
        only_issue(json, NO_UNIT),
        ("unit-unidentified".into(), None, None)
    );
    assert_eq!(checked_file(json, NO_UNIT), (None, 0));
}

#[test]
fn unit_conflict() {
    let json = checked();
    assert_eq!(
        only_issue(json, CONFLICT),
        issue_at("unit-conflict", "进展情况!A2", None)
    );
    let message = issue(json, CONFLICT, "unit-conflict")["message"]
        .as_str()
        .unwrap();
    assert!(
        message.contains("市科技局") && message.contains("市外办"),
        "{message}"
    );
}

#[test]
fn unknown_unit_suggests_the_nearest() {
    // The 牵头单位 column agrees on one unit: the file is read as that unit, with a warning
    // at the cell naming the unknown unit (contract §4).
    let json = checked();
    let all = issues(json, UNKNOWN_UNIT);
    assert_eq!(all[0], issue_at("unknown-unit", "进展情况!A2", None));
    // The unit's other tasks are not in the file.
    let rest: Vec<&str> = all[1..].iter().map(|i| i.0.as_str()).collect();
    assert_eq!(rest, ["missing-task"; 3]);
    let d = issue(json, UNKNOWN_UNIT, "unknown-unit");
    assert_eq!(d["level"], "warning");
    assert!(d["message"].as_str().unwrap().contains("市科技创新局"));
    assert!(d["suggestion"].as_str().unwrap().contains("市科技局"), "{d:#}");
    assert_eq!(checked_file(json, UNKNOWN_UNIT), (Some("市科技局".into()), 1));
}

#[test]
fn row_rules_have_exact_codes_and_cells() {
    let json = checked();
    assert_eq!(
        issues(json, ROW_RULES),
        vec![
            issue_at("empty-progress", "进展情况!F4", Some(1)),
            issue_at("unknown-task", "进展情况!A5", Some(105)),
            issue_at("invalid-status", "进展情况!D6", Some(13)),
            issue_at("status-percent-mismatch", "进展情况!E7", Some(58)),
            issue_at("invalid-percent", "进展情况!E8", Some(93)),
            issue_at("duplicate-task", "进展情况!A9", Some(1)),
            issue_at("not-lead-unit", "进展情况!A10", Some(5)),
            issue_at("unknown-task", "进展情况!A11", None),
        ]
    );
    // Rows kept: 1, 13 (status empty), 58, 93 (percent empty), 5 (supplementary).
    assert_eq!(checked_file(json, ROW_RULES), (Some("市科技局".into()), 5));
    let status = issue(json, ROW_RULES, "invalid-status");
    assert_eq!(status["level"], "error");
    assert_eq!(status["unit"], "市科技局");
    assert_eq!(status["message"], "完成状态“差不多了”无法识别");
    assert_eq!(status["suggestion"], "可选值：未启动、推进中、已完成、常态化推进");
    let levels: Vec<(&str, &str)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"] == ROW_RULES)
        .map(|i| (i["code"].as_str().unwrap(), i["level"].as_str().unwrap()))
        .collect();
    for (code, level) in levels {
        let expected = match code {
            "empty-progress" | "status-percent-mismatch" | "not-lead-unit" => "warning",
            _ => "error",
        };
        assert_eq!(level, expected, "{code}");
    }
}

#[test]
fn missing_task_and_task_text_mismatch() {
    let json = checked();
    assert_eq!(
        issues(json, MISSING),
        vec![
            issue_at("task-text-mismatch", "进展情况!B6", Some(58)),
            ("missing-task".into(), Some("进展情况!A3".into()), Some(93)),
        ]
    );
    let mismatch = issue(json, MISSING, "task-text-mismatch");
    assert_eq!(mismatch["level"], "warning");
    assert!(mismatch["suggestion"].as_str().unwrap().contains(&task_text(58)));
    assert_eq!(issue(json, MISSING, "missing-task")["level"], "warning");
}

#[test]
fn stale_round_by_name_title_date_or_sheet() {
    let json = checked();
    assert_eq!(only_issue(json, STALE_NAME), ("stale-round".into(), None, None));
    assert_eq!(
        only_issue(json, STALE_TITLE),
        issue_at("stale-round", "进展情况!A1", None)
    );
    assert_eq!(
        only_issue(json, STALE_DATE),
        issue_at("stale-round", "进展情况!A1", None)
    );
    assert_eq!(
        only_issue(json, STALE_SHEET),
        issue_at("stale-round", "2023Q4", None)
    );
    for file in [STALE_NAME, STALE_TITLE, STALE_DATE, STALE_SHEET] {
        assert_eq!(checked_file(json, file).1, 0, "{file}");
    }
    let message = issue(json, STALE_NAME, "stale-round")["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("2023年第四季度"), "{message}");
}

#[test]
fn ignored_column_and_hidden_sheet_notes() {
    let json = checked();
    assert_eq!(
        only_issue(json, EXTRA_COLUMN),
        issue_at("ignored-column", "进展情况!M3", None)
    );
    assert_eq!(checked_file(json, EXTRA_COLUMN).1, 4);
    assert_eq!(only_issue(json, HIDDEN), issue_at("hidden-sheet", "草稿", None));
    assert_eq!(checked_file(json, HIDDEN).1, 4);
}

#[test]
fn unreadable_and_unsupported_files() {
    let json = checked();
    assert_eq!(only_issue(json, TRUNCATED).0, "unreadable-file");
    assert_eq!(only_issue(json, HTML).0, "unsupported-format");
}

// ---------------------------------------------------------------------------------------
// Files of other producers (tests/fixtures/formats, made by generate.py there with xlwt,
// odfpy, openpyxl and LibreOffice): the cell's own percent format in every format, formulas
// with no stored value, the row limit in .ods, non-finite numbers (contract §2, §5)

const FX_XLS_ALL_ONE: &str = "市政务办-进展表.xls";
const FX_XLS_MIXED: &str = "市工信局-进展表.xls";
const FX_ODS_ODFPY: &str = "市科技局-进展表.ods";
const FX_ODS_LIBREOFFICE: &str = "市商务局-进展表.ods";
const FX_ODS_ROWS: &str = "市财政局-进展表.ods";
const FX_FORMULAS: &str = "雨花台区-进展表.xlsx";
const FX_GENERAL_ONES: &str = "市人社局-进展表.xlsx";
const FX_NON_FINITE: &str = "市医保局-进展表.xlsx";

fn format_fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = repo().join("tests/fixtures/formats");
    [
        FX_XLS_ALL_ONE,
        FX_XLS_MIXED,
        FX_ODS_ODFPY,
        FX_ODS_LIBREOFFICE,
        FX_ODS_ROWS,
        FX_FORMULAS,
        FX_GENERAL_ONES,
        FX_NON_FINITE,
    ]
    .iter()
    .map(|name| (name.to_string(), std::fs::read(dir.join(name)).unwrap()))
    .collect()
}

fn formats_run() -> &'static Value {
    static RUN: OnceLock<Value> = OnceLock::new();
    RUN.get_or_init(|| run(&format_fixtures()))
}

fn formats_checked() -> &'static Value {
    static CHECK: OnceLock<Value> = OnceLock::new();
    CHECK.get_or_init(|| check(&format_fixtures()))
}

/// (status, percent) of `unit`'s report on each task.
fn read_values(json: &Value, unit: &str, tasks: &[u64]) -> Vec<(Option<String>, Option<f64>)> {
    tasks
        .iter()
        .map(|task| {
            let r = report(json, unit, *task);
            (r["status"].as_str().map(str::to_owned), percent(r))
        })
        .collect()
}

fn sp(status: &str, percent: Option<f64>) -> (Option<String>, Option<f64>) {
    (Some(status.to_owned()), percent)
}

#[test]
fn formats_xls_percent_format_makes_a_stored_1_read_100() {
    let json = formats_run();
    assert_eq!(
        read_values(json, "市政务办", &[72, 74, 76, 77]),
        vec![
            sp("已完成", Some(100.0)),
            sp("常态化推进", Some(100.0)),
            sp("已完成", Some(100.0)),
            sp("常态化推进", Some(100.0)),
        ]
    );
    assert_eq!(issues(formats_checked(), FX_XLS_ALL_ONE), vec![]);
}

#[test]
fn formats_xls_builtin_custom_and_literal_percent_formats() {
    let json = formats_run();
    assert_eq!(
        read_values(json, "市工信局", &[5, 6, 42, 43, 44, 55, 56, 57]),
        vec![
            sp("推进中", Some(35.0)),  // 0.35 as 0%
            sp("推进中", Some(35.0)),  // 35 as 0"%" (a literal, not a percent format)
            sp("推进中", Some(60.0)),  // 60 as 0\% (escaped, not a percent format)
            sp("已完成", Some(100.0)), // 1 as 0.0% (a custom FORMAT record)
            sp("推进中", None),        // a formula xlwt did not calculate
            sp("推进中", Some(50.0)),
            sp("未启动", Some(0.0)),
            sp("推进中", Some(72.5)),
        ]
    );
    let checked = formats_checked();
    assert_eq!(
        issues(checked, FX_XLS_MIXED),
        vec![issue_at("uncalculated-formula", "进展情况!E8", Some(44))]
    );
    let formula = issue(checked, FX_XLS_MIXED, "uncalculated-formula");
    assert_eq!(formula["level"], "warning");
    assert!(formula["suggestion"].as_str().unwrap().contains("Excel/WPS"));
}

#[test]
fn formats_ods_percentage_cells_formulas_and_overflow() {
    let json = formats_run();
    assert_eq!(
        read_values(json, "市科技局", &[1, 13, 58, 93]),
        vec![
            sp("常态化推进", Some(100.0)),
            sp("已完成", Some(100.0)),
            sp("推进中", None),
            sp("推进中", None),
        ]
    );
    // Two repeated empty cells start every row: the table is in columns C–J.
    let checked = formats_checked();
    assert_eq!(
        issues(checked, FX_ODS_ODFPY),
        vec![
            issue_at("uncalculated-formula", "进展情况!G6", Some(58)),
            issue_at("invalid-percent", "进展情况!G7", Some(93)),
        ]
    );
    let formula = issue(checked, FX_ODS_ODFPY, "uncalculated-formula");
    assert!(
        formula["message"].as_str().unwrap().contains("=30+30"),
        "{formula}"
    );
    assert_eq!(issue(checked, FX_ODS_ODFPY, "invalid-percent")["level"], "error");
}

#[test]
fn formats_ods_converted_by_libreoffice() {
    let json = formats_run();
    let tasks: Vec<u64> = setup()
        .1
        .tasks_led_by("市商务局")
        .map(|t| u64::from(t.id))
        .collect();
    assert_eq!(tasks.len(), 12);
    let values = read_values(json, "市商务局", &tasks);
    let mut expected = vec![sp("已完成", Some(100.0)); 12];
    expected[1] = sp("推进中", Some(35.0));
    assert_eq!(values, expected);
    assert_eq!(issues(formats_checked(), FX_ODS_LIBREOFFICE), vec![]);
}

#[test]
fn formats_ods_rows_beyond_the_limit_are_an_error() {
    let checked = formats_checked();
    assert_eq!(
        only_issue(checked, FX_ODS_ROWS),
        ("unreadable-file".into(), None, None)
    );
    let message = issue(checked, FX_ODS_ROWS, "unreadable-file")["message"]
        .as_str()
        .unwrap();
    assert!(message.contains("limits.max_rows"), "{message}");
    assert!(message.contains("进展情况"), "{message}");
}

#[test]
fn formats_xlsx_formulas_without_a_cached_value() {
    let json = formats_run();
    assert_eq!(
        read_values(json, "雨花台区", &[66, 67]),
        vec![sp("推进中", None), (None, Some(100.0))]
    );
    let checked = formats_checked();
    assert_eq!(
        issues(checked, FX_FORMULAS),
        vec![
            issue_at("uncalculated-formula", "进展情况!E4", Some(66)),
            issue_at("uncalculated-formula", "进展情况!D5", Some(67)),
        ]
    );
}

#[test]
fn formats_an_ambiguous_guess_of_ones_warns_at_each_cell() {
    let json = formats_run();
    assert_eq!(
        read_values(json, "市人社局", &[10, 11, 19]),
        // Every 1 stands beside 已完成 or 常态化推进: the statuses settle the guess for 100 %
        // (issue #14: follow the stronger evidence, with a warning at each guessed cell).
        vec![
            sp("已完成", Some(100.0)),
            sp("未启动", Some(0.0)),
            sp("常态化推进", Some(100.0)),
        ]
    );
    let checked = formats_checked();
    assert_eq!(
        issues(checked, FX_GENERAL_ONES),
        vec![
            issue_at("invalid-percent", "进展情况!E4", Some(10)),
            issue_at("invalid-percent", "进展情况!E6", Some(19)),
        ]
    );
    let levels: Vec<&Value> = checked["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"].as_str() == Some(FX_GENERAL_ONES))
        .map(|i| &i["level"])
        .collect();
    assert!(levels.iter().all(|l| *l == "warning"), "{levels:?}");
}

#[test]
fn formats_non_finite_numbers_are_invalid_at_their_cell() {
    let json = formats_run();
    let tasks: Vec<u64> = setup()
        .1
        .tasks_led_by("市医保局")
        .map(|t| u64::from(t.id))
        .collect();
    assert_eq!(
        read_values(json, "市医保局", &tasks),
        vec![sp("推进中", None), sp("推进中", None)]
    );
    assert_eq!(
        issues(formats_checked(), FX_NON_FINITE),
        vec![
            issue_at("invalid-percent", "进展情况!E4", Some(tasks[0])),
            issue_at("invalid-percent", "进展情况!E5", Some(tasks[1])),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// A hidden row beside a visible row of the same task (tests/fixtures/hidden_rows, made by
// generate.py there with xlwt and LibreOffice): the visible row is read, with a warning at
// the hidden row (contract §5: the stronger evidence, a warning at the cell)

#[test]
fn hidden_row_of_last_quarter_yields_to_the_visible_row_in_xls_and_ods() {
    let dir = repo().join("tests/fixtures/hidden_rows");
    for name in ["市卫健委-进展表.xls", "市卫健委-进展表.ods"] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let json = run(&[(name.to_owned(), bytes)]);
        assert_eq!(
            read_values(&json, "市卫健委", &[30, 32]),
            vec![sp("常态化推进", Some(90.0)), sp("推进中", Some(55.0))],
            "{name}"
        );
        let duplicate = issue(&json, name, "duplicate-task");
        assert_eq!(
            (
                duplicate["level"].as_str(),
                duplicate["location"].as_str(),
                duplicate["task"].as_u64()
            ),
            (Some("warning"), Some("卫健委!A4"), Some(30)),
            "{name}"
        );
        assert!(
            duplicate["message"].as_str().unwrap().contains("隐藏行"),
            "{name}: {duplicate}"
        );
    }
}

/// redteam4 W1, for `.xls` (COLINFO) and `.ods` (`table:visibility`): an old 完成状态 column
/// kept hidden beside the one the clerk filled; the visible column is read and the hidden one
/// gets an `ignored-column` warning.
#[test]
fn hidden_status_column_yields_to_the_visible_one_in_xls_and_ods() {
    let dir = repo().join("tests/fixtures/hidden_columns");
    for name in ["市卫健委-进展表.xls", "市卫健委-进展表.ods"] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        let json = run(&[(name.to_owned(), bytes)]);
        assert_eq!(
            read_values(&json, "市卫健委", &[30, 32]),
            vec![sp("常态化推进", Some(90.0)), sp("推进中", Some(55.0))],
            "{name}"
        );
        let ignored = issue(&json, name, "ignored-column");
        assert_eq!(
            (ignored["level"].as_str(), ignored["location"].as_str()),
            (Some("warning"), Some("卫健委!D3")),
            "{name}: {ignored}"
        );
    }
}
