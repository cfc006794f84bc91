//! The workbooks roundup writes, read back: the summary (总表, 统计, 报送情况, 校验问题, 三单
//! lists), the feedback workbooks and the fillable forms, with calamine; print settings,
//! validation and protection with openpyxl; the page count with LibreOffice; and the round
//! trip form -> filled copy -> `run` -> `roundup.json`.

mod common;

use common::{path, repo, roundup};

use calamine::{Data, Range, Reader, Xlsx};
use roundup::config::Config;
use roundup::diag::{Code, Diagnostic};
use roundup::ingest::{CellValue, FileKind, Grid, RefStyle};
use roundup::merge::{self, MergeInputs, RoundReport};
use roundup::registry::Registry;
use roundup::render::forms::{self, FormValues};
use roundup::render::xlsx::Cell;
use roundup::render::{feedback_xlsx, summary_xlsx, RenderContext};
use roundup::validate::CheckedFile;
use roundup::validate::{Case, Context, FileResult, ReportTexts, TaskReport};
use roundup::vocab::{Field, Status};
use serde_json::Value;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const ROUND: &str = "2024Q1";

fn setup() -> (Config, Registry) {
    let config = Config::load(&repo().join("templates/roundup.toml")).unwrap();
    let registry = Registry::load(&config.registry_path, &config.aliases)
        .unwrap()
        .with_delegates(&config.delegated_units);
    (config, registry)
}

// ---------------------------------------------------------------------------------------
// Reading workbooks back.

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).expect("a readable xlsx")
}

fn text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) => roundup::ingest::format_number(*f),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string(),
    }
}

/// The sheet as rows of text, 0-based at A1 whatever the used range.
fn rows(book: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Vec<Vec<String>> {
    let range: Range<Data> = book.worksheet_range(sheet).expect("sheet exists");
    let (end_row, end_col) = range.end().unwrap_or((0, 0));
    (0..=end_row)
        .map(|r| {
            (0..=end_col)
                .map(|c| range.get_value((r, c)).map(text).unwrap_or_default())
                .collect()
        })
        .collect()
}

fn zip_text(bytes: &[u8], name: &str) -> Option<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut file = archive.by_name(name).ok()?;
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    Some(text)
}

fn column(rows: &[Vec<String>], header_row: usize, header: &str) -> usize {
    rows[header_row]
        .iter()
        .position(|h| h == header)
        .unwrap_or_else(|| panic!("no column {header} in {:?}", rows[header_row]))
}

// ---------------------------------------------------------------------------------------
// A round built in code: files as the validators would return them, merged for real.

fn task_report(unit: &str, task: u32, status: Status, percent: f64, file: &str) -> TaskReport {
    TaskReport {
        task,
        unit: unit.into(),
        status: Some(status),
        percent: Some(percent),
        progress: format!("{unit}推进任务{task}的进展"),
        problems: format!("任务{task}的问题"),
        next_steps: format!("任务{task}的计划"),
        file: file.into(),
        location: Some(format!("进展情况!{task}")),
        ..TaskReport::default()
    }
}

fn read_file(result: FileResult) -> CheckedFile {
    CheckedFile {
        result,
        size: 100,
        sha256: String::new(),
        modified: None,
        modified_at: None,
    }
}

fn spreadsheet(file: &str, unit: &str, rows: Vec<TaskReport>, diagnostics: Vec<Diagnostic>) -> FileResult {
    FileResult {
        file: file.into(),
        kind: FileKind::Spreadsheet,
        unit: Some(unit.into()),
        filled_date: chrono::NaiveDate::from_ymd_opt(2024, 4, 8),
        rows,
        texts: ReportTexts::default(),
        rejected: false,
        diagnostics: diagnostics.into_iter().map(|d| d.file(file).unit(unit)).collect(),
        table: None,
    }
}

/// The table 市科技局 sent: title, unit line, header, and two task rows (the second with an
/// unrecognised status in D5).
fn science_grid() -> Grid {
    let t = |s: &str| CellValue::Text(s.into());
    let header = Field::ALL.iter().map(|f| t(f.header())).collect();
    Grid {
        name: "进展情况".into(),
        hidden: false,
        style: RefStyle::A1,
        rows: vec![
            vec![t("2024年第一季度推进情况表")],
            vec![t(
                "填报单位：市科技局  填报人：张三  联系电话：  填报日期：2024年4月8日",
            )],
            header,
            vec![
                CellValue::Number(1.0),
                t("任务一"),
                t("市科技局"),
                t("推进中"),
                CellValue::Number(60.0),
            ],
            vec![
                CellValue::Number(13.0),
                t("任务十三"),
                t("市发改委、市科技局"),
                t("差不多了"),
                CellValue::Percent(0.5),
            ],
        ],
        merges: vec![roundup::ingest::Merge {
            first_row: 0,
            first_col: 0,
            last_row: 0,
            last_col: 11,
        }],
        hidden_rows: Vec::new(),
        running_numbers: Vec::new(),
        hidden_cols: Vec::new(),
    }
}

const SCIENCE_FILE: &str = "市科技局-进展表.xlsx";
const SCIENCE_POLICY: &str = "建议出台科技成果转化专项支持政策";
const REPORT_POLICY: &str = "建议市级层面统筹软件开源基金";
const CASE_TITLE: &str = "开源社区培育典型案例";

fn sample_files() -> Vec<CheckedFile> {
    let mut science = task_report("市科技局", 1, Status::InProgress, 60.0, SCIENCE_FILE);
    science.policy = SCIENCE_POLICY.into();
    science.projects = "2个：甲项目、乙项目".into();
    let invalid = Diagnostic::new(Code::InvalidStatus, "完成状态“差不多了”无法识别")
        .at("进展情况!D5")
        .task(13)
        .hint(Status::allowed_values_hint());
    let mut science_file = spreadsheet(SCIENCE_FILE, "市科技局", vec![science], vec![invalid]);
    science_file.table = Some(science_grid());
    let market = spreadsheet(
        "市市场监管局.xlsx",
        "市市场监管局",
        vec![task_report(
            "市市场监管局",
            2,
            Status::InProgress,
            40.0,
            "市市场监管局.xlsx",
        )],
        vec![],
    );
    let finance = spreadsheet(
        "市金融局.xlsx",
        "市金融局",
        vec![task_report(
            "市金融局",
            2,
            Status::Completed,
            100.0,
            "市金融局.xlsx",
        )],
        vec![],
    );
    let mut narrative = TaskReport {
        task: 5,
        unit: "市工信局".into(),
        file: "市工信局-工作报告.docx".into(),
        ..TaskReport::default()
    };
    narrative.narrative = Some("任务5：组建开源联盟，培育开源社区3个".into());
    let mut word = spreadsheet("市工信局-工作报告.docx", "市工信局", vec![narrative], vec![]);
    word.kind = FileKind::Report;
    word.texts.policy_requests.push(REPORT_POLICY.into());
    word.texts.cases.push(Case {
        title: CASE_TITLE.into(),
        body: "通过开源基金支持社区建设".into(),
    });
    let broken = FileResult::rejected(
        "附件.xlsx",
        FileKind::Spreadsheet,
        Diagnostic::new(Code::UnreadableFile, "文件无法读取：内容已损坏"),
    );
    vec![science_file, market, finance, word, broken]
        .into_iter()
        .map(read_file)
        .collect()
}

fn sample_report(config: &Config, registry: &Registry) -> RoundReport {
    let round = config.round(ROUND).unwrap();
    let ctx = Context {
        registry,
        config,
        round,
    };
    merge::merge(
        MergeInputs {
            files: sample_files(),
            skipped: Vec::new(),
            previous: None,
        },
        &ctx,
    )
}

fn with_sample<T>(f: impl FnOnce(&RenderContext) -> T) -> T {
    let (config, registry) = setup();
    let report = sample_report(&config, &registry);
    let ctx = RenderContext {
        report: &report,
        registry: &registry,
        config: &config,
        bulletin_template: "",
    };
    f(&ctx)
}

// ---------------------------------------------------------------------------------------
// The summary workbook.

#[test]
fn summary_lists_every_task_in_registry_order_with_sections_lights_and_joint_text() {
    with_sample(|ctx| {
        let bytes = summary_xlsx::render(ctx).unwrap();
        let mut book = open(&bytes);
        assert_eq!(book.sheet_names(), summary_xlsx::sheet_names(ctx));
        let rows = rows(&mut book, "总表");
        assert!(rows[0][0].starts_with("2024年第一季度"), "{:?}", rows[0]);
        let headers = [
            "序号",
            "试点任务",
            "牵头单位",
            "配合单位",
            "完成状态",
            "完成进度\n（%）",
            "序时进度\n（%）",
            "亮灯",
            "本期工作进展",
            "项目落地",
            "案例",
            "存在问题",
            "下步计划",
            "上期状态",
            "变化",
            "来源（文件及单元格）",
        ];
        assert_eq!(rows[1], headers);
        let ids: Vec<u32> = rows[2..].iter().filter_map(|r| r[0].parse().ok()).collect();
        let expected: Vec<u32> = ctx.registry.tasks.iter().map(|t| t.id).collect();
        assert_eq!(ids, expected, "every task once, in registry order");
        for part in &ctx.registry.parts {
            assert!(
                rows.iter().any(|r| r[0] == part.heading()),
                "part row {}",
                part.heading()
            );
        }
        for group in &ctx.registry.groups {
            assert!(
                rows.iter().any(|r| r[0] == group.heading()),
                "group row {}",
                group.heading()
            );
        }
        let row = |id: &str| rows.iter().find(|r| r[0] == id).unwrap().clone();
        let (progress, light) = (column(&rows, 1, "本期工作进展"), column(&rows, 1, "亮灯"));
        let joint = row("2");
        assert!(
            joint[progress].contains("【市市场监管局】市市场监管局推进任务2的进展"),
            "{joint:?}"
        );
        assert!(joint[progress].contains("【市金融局】"), "{joint:?}");
        assert_eq!(
            joint[column(&rows, 1, "完成状态")],
            "推进中",
            "the primary lead decides"
        );
        assert_eq!(
            row("5")[progress],
            "任务5：组建开源联盟，培育开源社区3个",
            "narrative fills in"
        );
        assert_eq!(row("1")[column(&rows, 1, "项目落地")], "2个：甲项目、乙项目");
        assert!(row("1")[column(&rows, 1, "来源（文件及单元格）")].contains(SCIENCE_FILE));
        assert_eq!(row("104")[column(&rows, 1, "完成状态")], "未报送");
        for r in rows[2..].iter().filter(|r| r[0].parse::<u32>().is_ok()) {
            assert!(["红", "黄", "绿"].contains(&r[light].as_str()), "{r:?}");
        }
        assert_eq!(row("104")[light], "红");
        assert!(rows
            .iter()
            .any(|r| r[0].starts_with("亮灯规则") && r[0].contains("超过15个百分点为黄灯")));
        let sheet1 = zip_text(&bytes, "xl/worksheets/sheet1.xml").unwrap();
        assert_eq!(sheet1.matches("<cfRule").count(), 3);
        assert!(
            sheet1.contains("&quot;红&quot;") || sheet1.contains("\"红\""),
            "light rule compares text"
        );
    });
}

#[test]
fn statistics_use_the_one_definition_and_chart_the_parts() {
    with_sample(|ctx| {
        let bytes = summary_xlsx::render(ctx).unwrap();
        let rows = rows(&mut open(&bytes), "统计");
        let stats = &ctx.report.stats;
        let find = |name: &str| {
            rows.iter()
                .find(|r| r[1] == name)
                .unwrap_or_else(|| panic!("{name}"))
        };
        let col = |h: &str| column(&rows, 1, h);
        let all = find("全部任务");
        assert_eq!(all[col("任务数")], "104");
        assert_eq!(all[col("已报送")], stats.overall.reported.to_string());
        assert_eq!(all[col("已完成")], stats.overall.completed.to_string());
        assert_eq!(all[col("红灯")], stats.overall.red.to_string());
        for part in &stats.by_part {
            assert_eq!(find(&part.label)[col("任务数")], part.counts.tasks.to_string());
        }
        for group in &stats.by_group {
            assert_eq!(
                find(&group.label)[col("完成率\n（%）")],
                roundup::ingest::format_number(group.counts.completion_rate())
            );
        }
        for unit in &stats.by_unit {
            let row = find(&unit.unit);
            assert_eq!(row[col("任务数")], unit.counts.tasks.to_string());
            assert_eq!(
                row[col("是否报送")],
                if unit.submitted { "已报送" } else { "未报送" }
            );
        }
        let chart = zip_text(&bytes, "xl/charts/chart1.xml").expect("a chart");
        assert!(chart.contains("<c:barChart>") && chart.contains("各篇章任务完成情况"));
    });
}

#[test]
fn submission_sheet_lists_every_lead_unit_and_highlights_the_missing() {
    with_sample(|ctx| {
        let bytes = summary_xlsx::render(ctx).unwrap();
        let rows = rows(&mut open(&bytes), "报送情况");
        let unit_col = column(&rows, 1, "单位");
        let units: Vec<&str> = rows[2..]
            .iter()
            .map(|r| r[unit_col].as_str())
            .filter(|u| !u.is_empty() && !u.starts_with("牵头单位共"))
            .collect();
        let leads = ctx.registry.lead_units();
        assert_eq!(&units[..leads.len()], &leads[..], "lead units in registry order");
        let science = rows.iter().find(|r| r[unit_col] == "市科技局").unwrap();
        assert_eq!(science[column(&rows, 1, "是否报送")], "已报送");
        assert_eq!(science[column(&rows, 1, "填报日期")], "2024-04-08");
        assert_eq!(science[column(&rows, 1, "错误")], "1");
        let missing = rows.iter().find(|r| r[unit_col] == "市发改委").unwrap();
        assert_eq!(missing[column(&rows, 1, "是否报送")], "未报送");
        let note = rows.iter().find(|r| r[0].starts_with("牵头单位共")).unwrap();
        assert!(
            note[0].contains("市发改委"),
            "the 催报 list names the missing units"
        );
        let styles = zip_text(&bytes, "xl/styles.xml").unwrap();
        assert!(styles.contains("FFFCE4D6"), "missing units are shaded");
    });
}

#[test]
fn issue_and_list_sheets_carry_every_diagnostic_and_the_three_lists() {
    with_sample(|ctx| {
        let bytes = summary_xlsx::render(ctx).unwrap();
        let mut book = open(&bytes);
        let issues = rows(&mut book, "校验问题");
        let data: Vec<&Vec<String>> = issues[2..]
            .iter()
            .filter(|r| r[0].parse::<u32>().is_ok())
            .collect();
        assert_eq!(data.len(), ctx.report.issues.len());
        let level = column(&issues, 1, "级别");
        assert!(data
            .iter()
            .all(|r| ["错误", "警告", "提示"].contains(&r[level].as_str())));
        let invalid = data
            .iter()
            .find(|r| r.contains(&"invalid-status".to_owned()))
            .unwrap();
        assert!(invalid.contains(&"进展情况!D5".to_owned()) && invalid.contains(&"13".to_owned()));
        assert!(
            data.iter().any(|r| r.contains(&"附件.xlsx".to_owned())),
            "unit-less files are listed"
        );
        let policy = rows(&mut book, "政策诉求");
        let content = column(&policy, 1, "内容");
        let texts: Vec<&str> = policy.iter().map(|r| r[content].as_str()).collect();
        assert!(
            texts.contains(&SCIENCE_POLICY) && texts.contains(&REPORT_POLICY),
            "{texts:?}"
        );
        let projects = rows(&mut book, "重点项目及案例");
        let content = column(&projects, 1, "内容");
        assert!(projects.iter().any(|r| r[content].starts_with(CASE_TITLE)));
        assert!(projects.iter().any(|r| r[content] == "2个：甲项目、乙项目"));
    });
}

#[test]
fn summary_is_byte_identical_and_dated_by_the_round() {
    with_sample(|ctx| {
        let first = summary_xlsx::render(ctx).unwrap();
        assert_eq!(first, summary_xlsx::render(ctx).unwrap());
        let core = zip_text(&first, "docProps/core.xml").unwrap();
        assert!(core.contains("2024-04-10T09:00:00Z"), "{core}");
        assert!(core.contains(&ctx.config.office.name));
    });
}

// ---------------------------------------------------------------------------------------
// Feedback workbooks.

#[test]
fn feedback_goes_to_units_with_issues_and_marks_the_cells_as_sent() {
    with_sample(|ctx| {
        let outputs = feedback_xlsx::render_all(ctx).unwrap();
        let names: Vec<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
        // 市金融局 has an issue too: it reports the joint task 2 as 已完成 while the first-listed
        // lead 市市场监管局 reports 推进中 (status-conflict warning). 市市场监管局 and 市工信局 are
        // told of the tasks they lead and did not report (missing-task, the safety net). The
        // rejected file without a unit gets no workbook.
        assert_eq!(
            names,
            [
                "反馈/市科技局-2024Q1.xlsx",
                "反馈/市市场监管局-2024Q1.xlsx",
                "反馈/市金融局-2024Q1.xlsx",
                "反馈/市工信局-2024Q1.xlsx"
            ],
            "no workbook for a file without a unit"
        );
        let bytes = &outputs[0].bytes;
        let mut book = open(bytes);
        assert_eq!(book.sheet_names(), ["问题清单", "未报任务", "进展情况"]);
        let issues = rows(&mut book, "问题清单");
        let list_row = issues.iter().position(|r| r[0] == "序号").unwrap();
        let listed: Vec<&Vec<String>> = issues[list_row + 1..]
            .iter()
            .filter(|r| r[0].parse::<u32>().is_ok())
            .collect();
        let own = ctx
            .report
            .issues
            .iter()
            .filter(|d| d.unit.as_deref() == Some("市科技局"))
            .count();
        assert_eq!(listed.len(), own);
        let sent = rows(&mut book, "进展情况");
        let grid = science_grid();
        for (r, cells) in grid.rows.iter().enumerate() {
            for (c, value) in cells.iter().enumerate() {
                let expected = match value {
                    CellValue::Percent(p) => roundup::ingest::format_number(*p),
                    other => other.to_text(),
                };
                assert_eq!(sent[r][c], expected, "cell ({r},{c}) as sent");
            }
        }
        let comments = zip_text(bytes, "xl/comments1.xml").expect("notes on the sent sheet");
        assert!(comments.contains("完成状态“差不多了”无法识别") && comments.contains("建议：可选值"));
        let sheet = zip_text(bytes, "xl/worksheets/sheet3.xml").unwrap();
        assert!(sheet.contains("<mergeCell ref=\"A1:L1\"/>"));
        let missing = rows(&mut book, "未报任务");
        let expected: Vec<String> =
            feedback_xlsx::missing_tasks(ctx, &feedback_xlsx::FeedbackIndex::new(ctx), "市科技局")
                .iter()
                .map(|t| t.id.to_string())
                .collect();
        let listed: Vec<String> = missing[2..]
            .iter()
            .map(|r| r[0].clone())
            .filter(|s| !s.is_empty())
            .collect();
        assert_eq!(listed, expected);
        assert!(
            expected.contains(&"13".to_owned()),
            "the rejected row's task is missing too"
        );
    });
}

// ---------------------------------------------------------------------------------------
// Forms.

fn templates(outbox: &Path, unit: Option<&str>) -> PathBuf {
    let mut args = vec!["templates", "--round", ROUND, "--outbox", path(outbox)];
    if let Some(unit) = unit {
        args.extend(["--unit", unit]);
    }
    let out = roundup(&args);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    outbox.join("templates").join(ROUND)
}

#[test]
fn templates_write_a_form_and_a_report_skeleton_for_every_lead_unit() {
    let (config, registry) = setup();
    let tmp = tempfile::tempdir().unwrap();
    let dir = templates(tmp.path(), None);
    let round = config.round(ROUND).unwrap();
    let leads = registry.lead_units();
    let count = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(count, leads.len() * 2);
    for unit in leads {
        let bytes = std::fs::read(dir.join(forms::form_name(unit, round))).unwrap();
        let mut book = open(&bytes);
        assert_eq!(book.sheet_names(), ["进展情况", "填报说明"]);
        let rows = rows(&mut book, "进展情况");
        assert_eq!(rows[0][0], forms::form_title(&config, round));
        assert!(rows[0][0].contains("2024年第一季度"));
        assert_eq!(
            rows[1][0],
            format!("填报单位：{unit}  填报人：  联系电话：  填报日期：")
        );
        let headers: Vec<&str> = Field::ALL.iter().map(|f| f.header()).collect();
        assert_eq!(rows[2], headers);
        let tasks: Vec<_> = registry.tasks_led_by(unit).collect();
        assert_eq!(rows.len() - 3, tasks.len(), "{unit}");
        for (row, task) in rows[3..].iter().zip(&tasks) {
            assert_eq!(row[0], task.id.to_string());
            assert_eq!(row[1], task.text);
            assert_eq!(row[2], task.lead.join("、"));
            assert!(row[3..].iter().all(String::is_empty), "input cells start empty");
        }
        let docx = std::fs::read(dir.join(forms::report_name(unit, round))).unwrap();
        let body = zip_text(&docx, "word/document.xml").unwrap();
        assert!(body.contains(&forms::report_title(&config, round, unit)));
        assert!(body.contains(&format!("填报单位：{unit}")) && body.contains("填报日期："));
        for heading in forms::REPORT_SECTIONS {
            assert!(body.contains(heading), "{heading}");
        }
        for task in &tasks {
            assert!(body.contains(&format!("任务{}：", task.id)));
        }
    }
    let joint = std::fs::read(dir.join(forms::form_name("市金融局", round))).unwrap();
    let rows = rows(&mut open(&joint), "进展情况");
    assert!(
        rows.iter().any(|r| r[2] == "市市场监管局、市金融局"),
        "joint leads are named"
    );
    let again = || forms::render_unit(&registry, &config, round, "市金融局").unwrap();
    assert_eq!(again(), again(), "forms are byte-identical across runs");
    let title = forms::report_title(&config, round, "市科技局");
    assert_eq!(
        title,
        "市科技局关于2024年第一季度服务业扩大开放综合试点任务推进情况的报告"
    );
}

#[test]
fn long_dropdown_lists_move_to_a_hidden_sheet_behind_a_name() {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook.add_worksheet().set_name("表").unwrap();
    let units: Vec<String> = (0..40).map(|i| format!("南京市第{i}个成员单位")).collect();
    let refs: Vec<&str> = units.iter().map(String::as_str).collect();
    assert!(!roundup::render::xlsx::fits_inline(&refs));
    let rule = roundup::render::xlsx::list_validation(&mut workbook, "UnitOptions", 0, &refs).unwrap();
    workbook
        .worksheet_from_name("表")
        .unwrap()
        .add_data_validation(1, 0, 9, 0, &rule)
        .unwrap();
    let bytes = workbook.save_to_buffer().unwrap();
    let book_xml = zip_text(&bytes, "xl/workbook.xml").unwrap();
    assert!(book_xml.contains("state=\"hidden\"") && book_xml.contains("UnitOptions"));
    let sheet = zip_text(&bytes, "xl/worksheets/sheet1.xml").unwrap();
    assert!(sheet.contains("<formula1>UnitOptions</formula1>"), "{sheet}");
    let mut book = open(&bytes);
    let listed = rows(&mut book, roundup::render::xlsx::LIST_SHEET);
    assert_eq!(listed.len(), 40);
}

/// A fully filled form for `unit`: every task with a status, a matching percent and text.
fn filled(registry: &Registry, unit: &str) -> FormValues {
    let mut values = FormValues {
        filler: "张三".into(),
        phone: "025-12345678".into(),
        date: "2024年4月8日".into(),
        ..FormValues::default()
    };
    for (i, task) in registry.tasks_led_by(unit).enumerate() {
        let (status, percent) = [
            ("推进中", 60.0),
            ("已完成", 100.0),
            ("常态化推进", 80.0),
            ("未启动", 0.0),
        ][i % 4];
        let id = task.id;
        let row = [
            (Field::Status, Cell::from(status)),
            (Field::Percent, Cell::Number(percent)),
            (
                Field::Progress,
                format!("任务{id}：本期召开推进会{}次，出台实施方案", i + 1).into(),
            ),
            (
                Field::Projects,
                format!("{}个：项目甲{id}、项目乙{id}", i + 1).into(),
            ),
            (Field::Cases, format!("案例{id}：首单落地").into()),
            (Field::Problems, format!("问题{id}：资金保障不足").into()),
            (Field::NextSteps, format!("计划{id}：扩大试点范围").into()),
            (Field::Policy, format!("诉求{id}：争取省级支持").into()),
            (Field::Remarks, format!("备注{id}").into()),
        ];
        values.rows.insert(id, row.into_iter().collect());
    }
    values
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

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn a_filled_form_round_trips_through_run_with_no_issues_and_exact_values() {
    let (config, registry) = setup();
    let round = config.round(ROUND).unwrap();
    let unit = "市金融局";
    let values = filled(&registry, unit);
    let bytes = forms::progress_form(&registry, &config, round, unit, &values).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, outbox) = (tmp.path().join("inbox"), tmp.path().join("outbox"));
    std::fs::create_dir_all(&inbox).unwrap();
    let name = forms::form_name(unit, round);
    std::fs::write(inbox.join(&name), &bytes).unwrap();
    let out = run_round(&inbox, &outbox);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = read_json(&outbox.join(ROUND).join("roundup.json"));
    let issues: Vec<&Value> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == name.as_str())
        .collect();
    assert!(
        issues.is_empty(),
        "no diagnostics for the filled form: {issues:#?}"
    );
    let submission = json["submissions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["unit"] == unit)
        .unwrap();
    assert_eq!(submission["on_time"], true);
    assert_eq!(submission["files"][0]["date"], "2024-04-08");
    for (id, row) in &values.rows {
        let task = json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == *id)
            .unwrap();
        let report = task["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["unit"] == unit)
            .unwrap_or_else(|| panic!("task {id} reported"));
        let expect = |field: Field, key: &str| {
            let want = match &row[&field] {
                Cell::Text(t) => Value::from(t.as_str()),
                Cell::Number(n) => Value::from(*n as i64),
                Cell::Blank => Value::Null,
            };
            assert_eq!(report[key], want, "task {id} {key}");
        };
        expect(Field::Status, "status");
        expect(Field::Percent, "percent");
        expect(Field::Progress, "progress");
        expect(Field::Projects, "projects");
        expect(Field::Cases, "cases");
        expect(Field::Problems, "problems");
        expect(Field::NextSteps, "next_steps");
        expect(Field::Policy, "policy");
        expect(Field::Remarks, "remarks");
        assert_eq!(report["file"], name.as_str());
    }
}

/// An inbox with two filled forms (one with two bad cells) and an unreadable file; returns
/// the round's output folder.
fn run_sample_inbox(dir: &Path) -> PathBuf {
    let (config, registry) = setup();
    let round = config.round(ROUND).unwrap();
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let science = filled(&registry, "市科技局");
    let science_form = forms::progress_form(&registry, &config, round, "市科技局", &science).unwrap();
    std::fs::write(inbox.join(forms::form_name("市科技局", round)), science_form).unwrap();
    let mut finance = filled(&registry, "市金融局");
    let first = *finance.rows.keys().next().unwrap();
    let row = finance.rows.get_mut(&first).unwrap();
    row.insert(Field::Status, "差不多了".into());
    let second = *finance.rows.keys().nth(1).unwrap();
    finance
        .rows
        .get_mut(&second)
        .unwrap()
        .insert(Field::Percent, Cell::Number(150.0));
    let finance_form = forms::progress_form(&registry, &config, round, "市金融局", &finance).unwrap();
    std::fs::write(inbox.join(forms::form_name("市金融局", round)), finance_form).unwrap();
    std::fs::write(inbox.join("附件.xlsx"), b"PK\x03\x04 not really a workbook").unwrap();
    let outbox = dir.join("outbox");
    let out = run_round(&inbox, &outbox);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    outbox.join(ROUND)
}

#[test]
fn run_writes_a_summary_and_feedback_that_read_back() {
    let (_, registry) = setup();
    let tmp = tempfile::tempdir().unwrap();
    let out = run_sample_inbox(tmp.path());
    let summary = std::fs::read(out.join(format!("汇总表-{ROUND}.xlsx"))).unwrap();
    let mut book = open(&summary);
    assert_eq!(book.sheet_names(), with_sample(summary_xlsx::sheet_names));
    let overview = rows(&mut book, "总表");
    let ids: Vec<u32> = overview.iter().filter_map(|r| r[0].parse().ok()).collect();
    assert_eq!(ids.len(), registry.tasks.len());
    let submitted = rows(&mut book, "报送情况");
    let status = |unit: &str| {
        let row = submitted.iter().find(|r| r[1] == unit).unwrap();
        row[column(&submitted, 1, "是否报送")].clone()
    };
    assert_eq!(status("市科技局"), "已报送");
    assert_eq!(status("市金融局"), "已报送");
    assert_eq!(status("市发改委"), "未报送");
    let issues = rows(&mut book, "校验问题");
    let codes: Vec<&str> = issues.iter().map(|r| r[2].as_str()).collect();
    assert!(
        codes.contains(&"invalid-status") && codes.contains(&"invalid-percent"),
        "{codes:?}"
    );
    assert!(codes.contains(&"unreadable-file"), "{codes:?}");
    let feedback: Vec<String> = std::fs::read_dir(out.join("反馈"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        feedback,
        [format!("市金融局-{ROUND}.xlsx")],
        "only the unit with issues"
    );
    let bytes = std::fs::read(out.join("反馈").join(format!("市金融局-{ROUND}.xlsx"))).unwrap();
    let mut book = open(&bytes);
    assert!(book.sheet_names().contains(&"进展情况".to_owned()));
    let sent = rows(&mut book, "进展情况");
    assert_eq!(sent[3][3], "差不多了", "the bad cell as sent, at its place");
    let comments = zip_text(&bytes, "xl/comments1.xml").expect("notes");
    assert!(
        comments.contains("差不多了") && comments.contains("150"),
        "{comments}"
    );
    let sheet_xml = zip_text(&bytes, "xl/worksheets/sheet2.xml").unwrap();
    assert!(sheet_xml.contains("r=\"D4\""), "D4 is written");
}

// ---------------------------------------------------------------------------------------
// External checks: openpyxl and LibreOffice.

fn has_python_module(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

const OPENPYXL_CHECK: &str = r#"
import json, sys, openpyxl
out = {}
for path in sys.argv[1:]:
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        ps = ws.page_setup
        out[path + "|" + ws.title] = {
            "state": ws.sheet_state,
            "freeze": ws.freeze_panes,
            "filter": ws.auto_filter.ref,
            "orientation": ps.orientation,
            "paper": ps.paperSize,
            "fit_to_page": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
            "fit_width": ps.fitToWidth if ps.fitToWidth is not None else 1,
            "fit_height": ps.fitToHeight,
            "print_titles": ws.print_title_rows,
            "footer": ws.oddFooter.center.text,
            "protected": bool(ws.protection.sheet),
            "validations": [[dv.type, dv.formula1, dv.formula2, str(dv.sqref), dv.prompt] for dv in ws.data_validations.dataValidation],
            "locked": {c: ws[c].protection.locked for c in ("A4", "B4", "D4", "E4", "F4", "A2")} if ws.title == "进展情况" else {},
            "wrapped_heights": sum(1 for r, d in ws.row_dimensions.items() if d.height and d.height > 20),
        }
print(json.dumps(out, ensure_ascii=False))
"#;

#[test]
fn openpyxl_sees_freeze_filter_print_setup_validation_and_protection() {
    if !has_python_module("openpyxl") {
        eprintln!("skipped: python3 with openpyxl is not available");
        return;
    }
    let (config, registry) = setup();
    let round = config.round(ROUND).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let summary = tmp.path().join("summary.xlsx");
    let form = tmp.path().join("form.xlsx");
    with_sample(|ctx| std::fs::write(&summary, summary_xlsx::render(ctx).unwrap()).unwrap());
    let blank = forms::progress_form(&registry, &config, round, "市科技局", &FormValues::default()).unwrap();
    std::fs::write(&form, blank).unwrap();
    let out = Command::new("python3")
        .args(["-c", OPENPYXL_CHECK, path(&summary), path(&form)])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let sheets: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sheets = sheets.as_object().unwrap();
    assert_eq!(sheets.len(), with_sample(summary_xlsx::sheet_names).len() + 2);
    for (name, s) in sheets {
        assert_eq!(s["orientation"], "landscape", "{name}");
        assert_eq!(s["paper"], 8, "{name}: A3");
        assert_eq!(s["fit_to_page"], true, "{name}");
        assert_eq!(s["fit_width"], 1, "{name}");
        assert_eq!(s["fit_height"], 0, "{name}");
        assert_eq!(s["footer"], "第 &P 页 共 &N 页", "{name}");
        assert!(
            s["freeze"]
                .as_str()
                .is_some_and(|f| f.ends_with('3') || f.ends_with('4')),
            "{name}: {s}"
        );
        assert!(s["filter"].as_str().is_some(), "{name}");
        assert!(
            s["print_titles"].as_str().is_some_and(|t| t.starts_with('$')),
            "{name}: {s}"
        );
    }
    let overview = &sheets[&format!("{}|总表", path(&summary))];
    assert_eq!(overview["freeze"], "C3");
    assert!(
        overview["wrapped_heights"].as_u64().unwrap() > 50,
        "rows are sized for wrapped text"
    );
    let sheet = &sheets[&format!("{}|进展情况", path(&form))];
    assert_eq!(sheet["protected"], true);
    assert_eq!(sheet["freeze"], "D4");
    assert_eq!(sheet["print_titles"], "$3:$3");
    let locked = &sheet["locked"];
    assert_eq!(locked["A4"], true);
    assert_eq!(locked["B4"], true);
    assert_eq!(locked["D4"], false);
    assert_eq!(locked["F4"], false);
    assert_eq!(locked["A2"], false, "the 填报人 line stays editable");
    let validations = sheet["validations"].as_array().unwrap();
    assert!(
        validations
            .iter()
            .any(|v| v[0] == "list" && v[1] == "\"未启动,推进中,已完成,常态化推进\""),
        "{validations:?}"
    );
    assert!(
        validations
            .iter()
            .any(|v| v[0] == "decimal" && v[1] == "0" && v[2] == "100" && v[4].as_str().is_some()),
        "{validations:?}"
    );
}

fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|name| {
        Command::new(name)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Converts `file` to PDF next to it with a private LibreOffice profile.
fn to_pdf(soffice: &str, file: &Path) -> PathBuf {
    let dir = file.parent().unwrap();
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    let out = Command::new(soffice)
        .args([
            profile.as_str(),
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            path(dir),
            path(file),
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    file.with_extension("pdf")
}

fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.matches("/Type/Page").count() + text.matches("/Type /Page").count()
        - text.matches("/Type/Pages").count()
        - text.matches("/Type /Pages").count()
}

#[test]
fn libreoffice_prints_the_summary_on_a_plausible_number_of_pages() {
    let Some(soffice) = soffice() else {
        eprintln!("skipped: LibreOffice (soffice) is not on PATH");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let summary = tmp.path().join("summary.xlsx");
    with_sample(|ctx| std::fs::write(&summary, summary_xlsx::render(ctx).unwrap()).unwrap());
    let pdf = std::fs::read(to_pdf(soffice, &summary)).unwrap();
    let pages = pdf_pages(&pdf);
    // One page wide: 总表 (104 tasks with section rows) takes a few pages, each other sheet one
    // or two; dozens of pages would mean a sheet is printed several pages wide.
    assert!((6..=30).contains(&pages), "{pages} pages");
}

#[test]
fn a_filled_report_skeleton_round_trips_through_run_beside_its_form() {
    let (config, registry) = setup();
    let round = config.round(ROUND).unwrap();
    let unit = "市科技局";
    let mut report = forms::ReportValues {
        date: "2024年4月9日".into(),
        cases: vec![(
            "科技成果赋权改革案例".into(),
            "赋予科研人员职务科技成果所有权，转化成果12项。".into(),
        )],
        problems: vec!["专业人才不足。".into()],
        next_steps: vec!["扩大赋权改革试点范围。".into()],
        policy: vec!["建议省级层面出台成果转化尽职免责办法。".into()],
        ..forms::ReportValues::default()
    };
    for task in registry.tasks_led_by(unit) {
        report.tasks.insert(
            task.id,
            vec![format!("本季度围绕任务{}召开专题会议，形成工作方案。", task.id)],
        );
    }
    let tmp = tempfile::tempdir().unwrap();
    let (inbox, outbox) = (tmp.path().join("inbox"), tmp.path().join("outbox"));
    std::fs::create_dir_all(&inbox).unwrap();
    let form = forms::progress_form(&registry, &config, round, unit, &filled(&registry, unit)).unwrap();
    std::fs::write(inbox.join(forms::form_name(unit, round)), form).unwrap();
    let docx = forms::report_document(&registry, &config, round, unit, &report).unwrap();
    let name = forms::report_name(unit, round);
    std::fs::write(inbox.join(&name), docx).unwrap();
    let out = run_round(&inbox, &outbox);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = read_json(&outbox.join(ROUND).join("roundup.json"));
    let issues: Vec<&Value> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["unit"] == unit)
        .collect();
    assert!(issues.is_empty(), "{issues:#?}");
    for (id, paragraphs) in &report.tasks {
        let task = json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == *id)
            .unwrap();
        let mine = task["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["unit"] == unit)
            .unwrap();
        let narrative = mine["narrative"].as_str().unwrap_or_default();
        assert!(narrative.contains(&paragraphs[0]), "task {id}: {narrative:?}");
    }
    let summary = std::fs::read(outbox.join(ROUND).join(format!("汇总表-{ROUND}.xlsx"))).unwrap();
    let mut book = open(&summary);
    let policy = rows(&mut book, "政策诉求");
    assert!(
        policy.iter().flatten().any(|c| c.contains("尽职免责")),
        "the report's 政策诉求 is listed"
    );
    let cases = rows(&mut book, "重点项目及案例");
    assert!(
        cases.iter().flatten().any(|c| c.contains("科技成果赋权改革案例")),
        "the report's case is listed"
    );
}
