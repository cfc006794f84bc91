//! Word reports end to end (contract §3, §4): headings found by style, by literal numbering,
//! by automatic numbering and by outline level; every task-reference form; named sections;
//! progress tables (plain, nested, merged, table-only reports); text boxes; reports without
//! task references; a corrupt `document.xml`; a `.doc` converted with LibreOffice.
//!
//! Fixtures are built here: ordinary reports with docx-rs, the rest as raw WordprocessingML
//! zipped with `zip`. Extracted values are asserted through the library (`ingest_and_validate`,
//! the same call `roundup run` makes per file) and through `roundup check --format json`.

use chrono::NaiveDate;
use docx_rs::{Docx, Paragraph, Run, Style, StyleType, Table, TableCell, TableRow};
use roundup::config::Config;
use roundup::diag::{Code, Level};
use roundup::ingest::{self, Block, CellValue, Content, Merge};
use roundup::registry::Registry;
use roundup::validate::{Case, Context, FileResult};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

const ROUND: &str = "2024Q1";
const UNIT: &str = "市科技局";
const TITLE: &str = "市科技局关于2024年第一季度试点任务推进情况的报告";

// ---------------------------------------------------------------------------------------
// Context and running

struct Setup {
    config: Config,
    registry: Registry,
}

fn setup() -> Setup {
    let config = Config::load(&repo().join("templates/roundup.toml")).unwrap();
    let registry = Registry::load(&config.registry_path, &config.aliases)
        .unwrap()
        .with_delegates(&config.delegated_units);
    Setup { config, registry }
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Ingests and validates `bytes` as the inbox file `name`, as `roundup run` does per file.
fn validate(name: &str, bytes: &[u8]) -> FileResult {
    let s = setup();
    let round = s.config.round(ROUND).unwrap();
    let ctx = Context {
        registry: &s.registry,
        config: &s.config,
        round,
    };
    roundup::validate::ingest_and_validate(name, bytes, &ctx)
}

/// The blocks of a `.docx`.
fn blocks(bytes: &[u8]) -> Vec<Block> {
    let ingested = ingest::ingest_bytes("x.docx", bytes, &Default::default()).unwrap();
    match ingested.content {
        Content::Document(doc) => doc.blocks,
        Content::Workbook(_) => panic!("a document was expected"),
    }
}

/// `roundup check --format json` on a folder.
fn check_json(dir: &Path) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(repo())
        .args(["check", "--round", ROUND, "--format", "json"])
        .arg(dir)
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "check failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn narratives(result: &FileResult) -> BTreeMap<u32, &str> {
    result
        .texts
        .narratives
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .collect()
}

fn codes(result: &FileResult) -> Vec<(Code, Level, Option<u32>, Option<String>)> {
    result
        .diagnostics
        .iter()
        .map(|d| (d.code, d.level, d.task, d.location.clone()))
        .collect()
}

// ---------------------------------------------------------------------------------------
// docx-rs fixtures

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn styled(text: &str, style: &str) -> Paragraph {
    para(text).style(style)
}

fn pack(docx: Docx) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    docx.build().pack(&mut buf).unwrap();
    buf.into_inner()
}

fn with_heading_styles(docx: Docx) -> Docx {
    docx.add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1"))
        .add_style(Style::new("Heading2", StyleType::Paragraph).name("heading 2"))
}

fn docx_of(paragraphs: Vec<Paragraph>) -> Vec<u8> {
    let docx = paragraphs
        .into_iter()
        .fold(with_heading_styles(Docx::new()), Docx::add_paragraph);
    pack(docx)
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(para(text))
}

fn table(rows: &[&[&str]]) -> Table {
    Table::new(
        rows.iter()
            .map(|r| TableRow::new(r.iter().map(|t| cell(t)).collect()))
            .collect(),
    )
}

const PROGRESS_HEADER: &[&str] = &["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"];

// ---------------------------------------------------------------------------------------
// Raw WordprocessingML fixtures

const W_NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml""#;

fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut buf);
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        w.start_file(*name, options).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap();
    buf.into_inner()
}

/// A package whose `document.xml` body is `body`, with optional styles and numbering parts.
fn raw_docx(body: &str, styles: Option<&str>, numbering: Option<&str>) -> Vec<u8> {
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body>{body}</w:body></w:document>"#
    );
    raw_package(&document, styles, numbering)
}

fn raw_package(document: &str, styles: Option<&str>, numbering: Option<&str>) -> Vec<u8> {
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let doc_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;
    let mut parts = vec![
        ("[Content_Types].xml", types),
        ("_rels/.rels", rels),
        ("word/_rels/document.xml.rels", doc_rels),
        ("word/document.xml", document),
    ];
    if let Some(styles) = styles {
        parts.push(("word/styles.xml", styles));
    }
    if let Some(numbering) = numbering {
        parts.push(("word/numbering.xml", numbering));
    }
    zip_of(&parts)
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `<w:p>` with optional paragraph properties.
fn p(text: &str, props: &str) -> String {
    format!(
        r#"<w:p><w:pPr>{props}</w:pPr><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
        xml_escape(text)
    )
}

fn tc(text: &str, props: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p(text, ""))
}

fn tr(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn tbl(rows: &[String]) -> String {
    format!("<w:tbl><w:tblPr/>{}</w:tbl>", rows.concat())
}

fn plain_row(texts: &[&str]) -> String {
    tr(&texts.iter().map(|t| tc(t, "")).collect::<Vec<_>>())
}

// ---------------------------------------------------------------------------------------
// One report written four ways: headings by style, by literal numbering, by automatic
// numbering (numPr), and by outline level of a custom style.

/// (heading text, body lines) of the standard report.
fn standard_sections() -> Vec<(&'static str, Vec<&'static str>)> {
    vec![
        ("总体推进情况", vec!["今年以来，我局扎实推进各项任务。"]),
        (
            "各项任务进展",
            vec!["任务1：完成调研。", "第58项：推动签约。", "进展补充一句。"],
        ),
        (
            "典型案例",
            vec!["案例一：科技成果赋权改革", "赋权试点覆盖12所高校。"],
        ),
        ("存在问题", vec!["资金不足。"]),
        ("下步计划", vec!["加强对接。"]),
        ("意见建议", vec!["建议出台配套政策。"]),
    ]
}

const CHINESE: [&str; 6] = ["一", "二", "三", "四", "五", "六"];

fn assert_standard(result: &FileResult) {
    assert!(!result.rejected, "{:?}", result.diagnostics);
    assert_eq!(result.unit.as_deref(), Some(UNIT));
    assert_eq!(result.filled_date, NaiveDate::from_ymd_opt(2024, 4, 5));
    assert_eq!(
        narratives(result),
        BTreeMap::from([(1, "完成调研。"), (58, "推动签约。\n进展补充一句。")])
    );
    assert_eq!(result.texts.general, vec!["今年以来，我局扎实推进各项任务。"]);
    assert_eq!(
        result.texts.cases,
        vec![Case {
            title: "案例一：科技成果赋权改革".into(),
            body: "赋权试点覆盖12所高校。".into()
        }]
    );
    assert_eq!(result.texts.problems, vec!["资金不足。"]);
    assert_eq!(result.texts.next_steps, vec!["加强对接。"]);
    assert_eq!(result.texts.policy_requests, vec!["建议出台配套政策。"]);
    assert!(result.rows.is_empty());
    // Every task the unit leads ends with a status or a warning (contract §5): the report
    // has no segment for tasks 13 and 93, said at its title.
    let missing: Vec<(Code, Option<u32>, Option<&str>)> = result
        .diagnostics
        .iter()
        .map(|d| (d.code, d.task, d.location.as_deref()))
        .collect();
    assert_eq!(
        missing,
        vec![
            (Code::MissingTask, Some(13), Some("第1段")),
            (Code::MissingTask, Some(93), Some("第1段"))
        ]
    );
}

fn standard_docx_rs(heading: impl Fn(usize, &str) -> Paragraph) -> Vec<u8> {
    let mut paragraphs = vec![para(TITLE), para("市服务业扩大开放综合试点工作领导小组办公室：")];
    for (i, (title, body)) in standard_sections().into_iter().enumerate() {
        paragraphs.push(heading(i, title));
        paragraphs.extend(body.into_iter().map(para));
    }
    paragraphs.extend([para(UNIT), para("2024年4月5日")]);
    docx_of(paragraphs)
}

fn standard_raw(heading_props: &str, styles: Option<&str>, numbering: Option<&str>) -> Vec<u8> {
    let mut body = p(TITLE, "") + &p("市服务业扩大开放综合试点工作领导小组办公室：", "");
    for (title, lines) in standard_sections() {
        body += &p(title, heading_props);
        for line in lines {
            body += &p(line, "");
        }
    }
    body += &p(UNIT, "");
    body += &p("2024年4月5日", "");
    raw_docx(&body, styles, numbering)
}

#[test]
fn headings_by_style() {
    let bytes = standard_docx_rs(|_, title| styled(title, "Heading1"));
    assert_standard(&validate("市科技局工作报告.docx", &bytes));
}

#[test]
fn headings_by_literal_numbering() {
    let bytes = standard_docx_rs(|i, title| para(&format!("{}、{title}", CHINESE[i])));
    assert_standard(&validate("市科技局工作报告.docx", &bytes));
}

const NUMBERING: &str = r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#;

#[test]
fn headings_by_automatic_numbering() {
    let bytes = standard_raw(
        r#"<w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>"#,
        None,
        Some(NUMBERING),
    );
    // The labels are reconstructed from numbering.xml.
    let labels: Vec<Option<String>> = blocks(&bytes)
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) if p.numbering.is_some() => Some(p.numbering.clone()),
            _ => None,
        })
        .collect();
    let expected: Vec<Option<String>> = CHINESE.iter().map(|c| Some(format!("{c}、"))).collect();
    assert_eq!(labels, expected);
    assert_standard(&validate("市科技局工作报告.docx", &bytes));
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Base"><w:name w:val="公文一级"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ReportHead"><w:name w:val="报告标题甲"/><w:basedOn w:val="Base"/></w:style><w:style w:type="paragraph" w:styleId="Sub"><w:name w:val="公文二级"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style></w:styles>"#;

#[test]
fn headings_by_outline_level_of_a_custom_style() {
    let bytes = standard_raw(r#"<w:pStyle w:val="ReportHead"/>"#, Some(STYLES), None);
    let heads: Vec<(Option<String>, Option<u8>)> = blocks(&bytes)
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) if p.text == "存在问题" => Some((p.style.clone(), p.outline_level)),
            _ => None,
        })
        .collect();
    assert_eq!(heads, vec![(Some("报告标题甲".to_owned()), Some(0))]);
    assert_standard(&validate("市科技局工作报告.docx", &bytes));
}

#[test]
fn plain_section_words_without_heading_marks_stay_in_the_segment() {
    // Without any heading mark, "存在问题" is ordinary text of the running task segment.
    let bytes = docx_of(vec![
        para(TITLE),
        para("一、各项任务进展"),
        para("任务1：完成调研。"),
        para("存在问题"),
        para("资金不足。"),
    ]);
    let result = validate("市科技局.docx", &bytes);
    assert_eq!(
        narratives(&result),
        BTreeMap::from([(1, "完成调研。\n存在问题\n资金不足。")])
    );
    assert!(result.texts.problems.is_empty());
}

// ---------------------------------------------------------------------------------------
// Task references

#[test]
fn every_task_reference_form_opens_a_segment() {
    let bytes = docx_of(vec![
        para(TITLE),
        para("一、各项任务进展"),
        para("任务1：甲。"),
        para("第13项：乙。"),
        para("（任务58）丙。"),
        para("第二行丙。"),
        para("【任务93】丁。"),
        para("二、存在问题"),
        para("无。"),
    ]);
    let result = validate("市科技局.docx", &bytes);
    assert_eq!(
        narratives(&result),
        BTreeMap::from([(1, "甲。"), (13, "乙。"), (58, "丙。\n第二行丙。"), (93, "丁。")])
    );
    assert_eq!(result.texts.problems, vec!["无。"]);
    assert_eq!(result.diagnostics, vec![]);
}

#[test]
fn bare_numbers_count_under_a_task_progress_heading_and_headings_may_name_tasks() {
    let bytes = docx_of(vec![
        para(TITLE),
        para("一、总体情况"),
        para("1.总体平稳。"),
        para("二、各项任务推进情况"),
        para("1.推进情况甲。"),
        para("13、推进情况乙。"),
        para("2.5亿元资金已到位。"),
        styled("（三）关于任务58的落实情况", "Heading2"),
        para("丙。"),
        para("三、存在问题"),
        para("1.人才不足。"),
    ]);
    let result = validate("市科技局.docx", &bytes);
    assert_eq!(
        narratives(&result),
        BTreeMap::from([
            (1, "推进情况甲。"),
            (13, "推进情况乙。\n2.5亿元资金已到位。"),
            (58, "丙。"),
        ])
    );
    assert_eq!(result.texts.general, vec!["1.总体平稳。"]);
    assert_eq!(result.texts.problems, vec!["1.人才不足。"]);
}

#[test]
fn a_heading_that_restates_the_task_is_not_narrative() {
    let s = setup();
    let task_text = &s.registry.task(93).unwrap().text;
    let cut: String = task_text.chars().take(14).collect();
    let bytes = docx_of(vec![
        para(TITLE),
        para("一、各项任务进展"),
        para(&format!("（一）【任务93】：{cut}……")),
        para("制定工作方案，完成调研走访。"),
        para(&format!("（二）任务1：{cut}")),
    ]);
    let result = validate("市科技局.docx", &bytes);
    // Task 1's line is not task 1's text, so it is kept; task 93's restatement is dropped.
    assert_eq!(
        narratives(&result),
        BTreeMap::from([(1, cut.as_str()), (93, "制定工作方案，完成调研走访。")])
    );
}

#[test]
fn narratives_on_tasks_not_led_or_unknown_get_the_spreadsheet_codes() {
    let bytes = docx_of(vec![
        para(TITLE),
        para("一、各项任务进展"),
        para("任务1：甲。"),
        para("任务43：配合推进数据中心建设。"),
        para("任务150：不存在的任务。"),
    ]);
    let result = validate("市科技局.docx", &bytes);
    assert_eq!(
        codes(&result),
        vec![
            (Code::NotLeadUnit, Level::Warning, Some(43), Some("第4段".into())),
            (Code::UnknownTask, Level::Error, Some(150), Some("第5段".into())),
            (Code::MissingTask, Level::Warning, Some(13), Some("第1段".into())),
            (Code::MissingTask, Level::Warning, Some(58), Some("第1段".into())),
            (Code::MissingTask, Level::Warning, Some(93), Some("第1段".into())),
        ]
    );
    assert_eq!(
        narratives(&result),
        BTreeMap::from([(1, "甲。"), (43, "配合推进数据中心建设。")])
    );
    let supplementary: Vec<(u32, bool, Option<&str>)> = result
        .rows
        .iter()
        .map(|r| (r.task, r.supplementary, r.narrative.as_deref()))
        .collect();
    assert_eq!(supplementary, vec![(43, true, Some("配合推进数据中心建设。"))]);
}

#[test]
fn a_report_without_task_references_keeps_its_text_as_general() {
    let bytes = docx_of(vec![
        para(TITLE),
        para("市服务业扩大开放综合试点工作领导小组办公室："),
        para("现将我局2024年第一季度试点任务推进情况报告如下："),
        styled("一、总体推进情况", "Heading1"),
        para("各项工作稳步推进。"),
        para("成效初步显现。"),
        styled("二、存在问题", "Heading1"),
        para("协调难度大。"),
        para(UNIT),
        para("2024年4月5日"),
    ]);
    let result = validate("市科技局.docx", &bytes);
    assert!(!result.rejected);
    assert_eq!(result.texts.general, vec!["各项工作稳步推进。", "成效初步显现。"]);
    assert_eq!(result.texts.problems, vec!["协调难度大。"]);
    assert!(result.texts.narratives.is_empty());
    // No task is read, so each task the unit leads is missing (said at the title).
    let mut expected = vec![(Code::EmptyProgress, Level::Info, None, None)];
    for task in [1, 13, 58, 93] {
        expected.push((
            Code::MissingTask,
            Level::Warning,
            Some(task),
            Some("第1段".into()),
        ));
    }
    assert_eq!(codes(&result), expected);
}

#[test]
fn unit_and_round_come_from_the_title() {
    let stale = docx_of(vec![
        para("市科技局关于2023年第四季度试点任务推进情况的报告"),
        para("一、各项任务进展"),
        para("任务1：甲。"),
    ]);
    let result = validate("工作报告.docx", &stale);
    assert!(result.rejected);
    assert_eq!(result.unit.as_deref(), Some(UNIT));
    assert_eq!(codes(&result)[0].0, Code::StaleRound);

    let labelled = docx_of(vec![para("报送单位：市科技局"), para("任务1：甲。")]);
    let result = validate("报告.docx", &labelled);
    assert_eq!(result.unit.as_deref(), Some(UNIT));
    assert_eq!(narratives(&result), BTreeMap::from([(1, "甲。")]));
}

// ---------------------------------------------------------------------------------------
// Tables

fn progress_rows() -> Vec<Vec<&'static str>> {
    vec![
        PROGRESS_HEADER.to_vec(),
        vec![
            "1",
            "深化高等院校和科研机构科技成果使用权……",
            "推进中",
            "60",
            "完成调研。",
        ],
        vec!["13", "重点发展面向工业互联网……", "已完成", "100%", "已投产。"],
        vec!["58", "加快推动生物医药全产业链……", "正在实施", "30", "推动签约。"],
        vec![
            "93",
            "探索外国人才创业期间申办工作许可新模式……",
            "未开始",
            "0",
            "筹备中。",
        ],
    ]
}

fn row_values(result: &FileResult) -> Vec<(u32, Option<&str>, Option<f64>, &str)> {
    result
        .rows
        .iter()
        .map(|r| {
            (
                r.task,
                r.status.map(|s| s.label()),
                r.percent,
                r.progress.as_str(),
            )
        })
        .collect()
}

#[test]
fn a_table_only_report_is_read_as_a_progress_sheet() {
    let rows = progress_rows();
    let refs: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    let bytes = pack(Docx::new().add_table(table(&refs)));
    let result = validate("附件1 市科技局任务推进情况表.docx", &bytes);
    assert!(!result.rejected, "{:?}", result.diagnostics);
    assert_eq!(result.unit.as_deref(), Some(UNIT));
    assert_eq!(
        row_values(&result),
        vec![
            (1, Some("推进中"), Some(60.0), "完成调研。"),
            (13, Some("已完成"), Some(100.0), "已投产。"),
            (58, Some("推进中"), Some(30.0), "推动签约。"),
            (93, Some("未启动"), Some(0.0), "筹备中。"),
        ]
    );
    assert_eq!(result.table.as_ref().map(|g| g.name.as_str()), Some("表1"));
    assert!(result.texts.narratives.is_empty());
    assert_eq!(result.diagnostics, vec![]);
}

#[test]
fn a_progress_table_and_narratives_in_one_report() {
    let rows = progress_rows();
    let refs: Vec<&[&str]> = rows[..3].iter().map(Vec::as_slice).collect();
    let docx = with_heading_styles(Docx::new())
        .add_paragraph(para(TITLE))
        .add_paragraph(styled("一、各项任务进展", "Heading1"))
        .add_paragraph(para("任务58：推动签约，详见附表。"))
        .add_paragraph(para("附：任务推进情况表"))
        .add_table(table(&refs));
    let result = validate("市科技局报告.docx", &pack(docx));
    assert_eq!(
        row_values(&result),
        vec![
            (1, Some("推进中"), Some(60.0), "完成调研。"),
            (13, Some("已完成"), Some(100.0), "已投产。"),
        ]
    );
    assert_eq!(
        narratives(&result),
        BTreeMap::from([(58, "推动签约，详见附表。")])
    );
    // 93 is in neither the table nor a narrative.
    assert_eq!(
        codes(&result),
        vec![(Code::MissingTask, Level::Warning, Some(93), Some("第1段".into()))]
    );
}

#[test]
fn a_progress_table_nested_in_a_layout_table_is_read_with_its_own_number() {
    let header = tr(&PROGRESS_HEADER.iter().map(|t| tc(t, "")).collect::<Vec<_>>());
    let inner = tbl(&[
        header,
        plain_row(&["1", "深化……", "推进中", "60", "完成调研。"]),
        plain_row(&["58", "加快……", "差不多了", "30", "推动签约。"]),
    ]);
    let outer = format!(
        "<w:tbl><w:tblPr/><w:tr><w:tc>{}{inner}{}</w:tc></w:tr></w:tbl>",
        p("附表：市科技局任务推进情况", ""),
        p("（表后说明）", "")
    );
    let bytes = raw_docx(&(p(TITLE, "") + &outer), None, None);
    let grids: Vec<(String, Vec<Vec<String>>)> = blocks(&bytes)
        .iter()
        .filter_map(|b| match b {
            Block::Table(g) => Some((
                g.name.clone(),
                g.rows
                    .iter()
                    .map(|r| r.iter().map(CellValue::to_text).collect())
                    .collect(),
            )),
            Block::Paragraph(_) => None,
        })
        .collect();
    assert_eq!(grids.len(), 2);
    assert_eq!(grids[0].0, "表1");
    assert_eq!(
        grids[0].1,
        vec![vec!["附表：市科技局任务推进情况\n（表后说明）".to_owned()]]
    );
    assert_eq!(grids[1].0, "表2");
    assert_eq!(grids[1].1[2][2], "差不多了");

    let result = validate("市科技局报告.docx", &bytes);
    assert_eq!(
        row_values(&result),
        vec![
            (1, Some("推进中"), Some(60.0), "完成调研。"),
            (58, None, Some(30.0), "推动签约。")
        ]
    );
    let invalid: Vec<_> = codes(&result)
        .into_iter()
        .filter(|c| c.0 == Code::InvalidStatus)
        .collect();
    assert_eq!(
        invalid,
        vec![(
            Code::InvalidStatus,
            Level::Error,
            Some(58),
            Some("表2!R3C3".into())
        )]
    );
}

#[test]
fn merged_cells_fill_every_row_they_span() {
    let span5 = r#"<w:gridSpan w:val="5"/>"#;
    let restart = r#"<w:vMerge w:val="restart"/>"#;
    let cont = "<w:vMerge/>";
    let header = tr(&PROGRESS_HEADER.iter().map(|t| tc(t, "")).collect::<Vec<_>>());
    let body = tbl(&[
        tr(&[tc("市科技局任务推进情况表", span5)]),
        header,
        tr(&[
            tc("1", ""),
            tc("深化……", ""),
            tc("推进中", restart),
            tc("60", ""),
            tc("完成调研。", ""),
        ]),
        tr(&[
            tc("58", ""),
            tc("加快……", ""),
            tc("", cont),
            tc("30", ""),
            tc("推动签约。", ""),
        ]),
        tr(&[
            tc("93", ""),
            tc("探索……", ""),
            tc("未启动", ""),
            tc("0", ""),
            tc("筹备中。", ""),
        ]),
    ]);
    let bytes = raw_docx(&body, None, None);
    let grid = match &blocks(&bytes)[0] {
        Block::Table(g) => g.clone(),
        Block::Paragraph(_) => panic!("table first"),
    };
    assert_eq!(
        grid.merges,
        vec![
            Merge {
                first_row: 0,
                first_col: 0,
                last_row: 0,
                last_col: 4
            },
            Merge {
                first_row: 2,
                first_col: 2,
                last_row: 3,
                last_col: 2
            },
        ]
    );
    assert_eq!(grid.rows[0].len(), 5);
    assert_eq!(grid.rows[3][2], CellValue::Text("推进中".into()));

    let result = validate("报告.docx", &bytes);
    assert_eq!(result.unit.as_deref(), Some(UNIT), "{:?}", result.diagnostics);
    assert_eq!(
        row_values(&result),
        vec![
            (1, Some("推进中"), Some(60.0), "完成调研。"),
            (58, Some("推进中"), Some(30.0), "推动签约。"),
            (93, Some("未启动"), Some(0.0), "筹备中。"),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Text boxes, runs, revisions

/// A text box as Word writes it: DrawingML in `mc:Choice`, the VML copy in `mc:Fallback`.
fn text_box(paragraphs: &str) -> String {
    format!(
        r#"<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="1" name="文本框 1"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#
    )
}

#[test]
fn text_box_content_is_read_once_after_its_anchor() {
    let boxed = p("任务1：文本框中的进展。", "") + &p("第二段。", "");
    let body = p(TITLE, "")
        + &p("一、各项任务进展", "")
        + &format!("<w:p><w:r><w:t>锚定段落</w:t></w:r>{}</w:p>", text_box(&boxed))
        + &p("任务58：正文中的进展。", "");
    let bytes = raw_docx(&body, None, None);
    let texts: Vec<(usize, String)> = blocks(&bytes)
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(p) => Some((p.index, p.text.clone())),
            Block::Table(_) => None,
        })
        .collect();
    assert_eq!(
        texts,
        vec![
            (1, TITLE.to_owned()),
            (2, "一、各项任务进展".to_owned()),
            (3, "锚定段落".to_owned()),
            (4, "任务1：文本框中的进展。".to_owned()),
            (5, "第二段。".to_owned()),
            (6, "任务58：正文中的进展。".to_owned()),
        ]
    );
    let result = validate("报告.docx", &bytes);
    assert_eq!(
        narratives(&result),
        BTreeMap::from([(1, "文本框中的进展。\n第二段。"), (58, "正文中的进展。")])
    );
}

#[test]
fn runs_keep_insertions_fields_links_and_breaks_and_drop_deletions() {
    let para = concat!(
        r#"<w:p><w:r><w:t>任务1：</w:t></w:r>"#,
        r#"<w:ins w:id="1"><w:r><w:t>新增</w:t></w:r></w:ins>"#,
        r#"<w:del w:id="2"><w:r><w:delText>删除</w:delText></w:r></w:del>"#,
        r#"<w:hyperlink r:id="rId9" xmlns:r="r"><w:r><w:t>链接</w:t></w:r></w:hyperlink>"#,
        r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"#,
        r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#,
        r#"<w:sdt><w:sdtPr><w:alias w:val="控件"/></w:sdtPr><w:sdtContent><w:r><w:t>控件</w:t></w:r></w:sdtContent></w:sdt>"#,
        r#"<w:r><w:tab/><w:t>甲&amp;乙</w:t><w:br/><w:t>下一行</w:t></w:r></w:p>"#
    );
    let bytes = raw_docx(para, None, None);
    match &blocks(&bytes)[0] {
        Block::Paragraph(p) => assert_eq!(p.text, "任务1：新增链接7控件\t甲&乙\n下一行"),
        Block::Table(_) => panic!("paragraph expected"),
    }
    let result = validate("市科技局.docx", &bytes);
    assert_eq!(
        narratives(&result),
        BTreeMap::from([(1, "新增链接7控件\t甲&乙\n下一行")])
    );
}

// ---------------------------------------------------------------------------------------
// Broken files, through the binary

#[test]
fn a_corrupt_document_part_is_an_unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let good = raw_docx(&p("任务1：甲。", ""), None, None);
    let truncated_document =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body><w:p><w:r w:rsidR="00"#);
    let cut_between_tags = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document {W_NS}><w:body><w:p><w:r><w:t>甲</w:t></w:r>"#
    );
    std::fs::write(dir.path().join("市科技局报告.docx"), good).unwrap();
    std::fs::write(
        dir.path().join("损坏的报告.docx"),
        raw_package(&truncated_document, None, None),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("截断的报告.docx"),
        raw_package(&cut_between_tags, None, None),
    )
    .unwrap();
    let json = check_json(dir.path());
    let issues: Vec<(String, String)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["level"] == "error")
        .map(|i| {
            (
                i["file"].as_str().unwrap().to_owned(),
                i["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        issues.contains(&("损坏的报告.docx".into(), "unreadable-file".into())),
        "{issues:?}"
    );
    assert!(
        issues.contains(&("截断的报告.docx".into(), "unreadable-file".into())),
        "{issues:?}"
    );
    let good_file = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "市科技局报告.docx")
        .unwrap();
    assert_eq!(good_file["unit"], UNIT);
    assert_eq!(good_file["kind"], "report");
    // The reader itself refuses both, independent of the package pre-checks.
    for document in [&truncated_document, &cut_between_tags] {
        let bytes = raw_package(document, None, None);
        let err = ingest::docx::read_document(&bytes, &Default::default()).unwrap_err();
        assert_eq!(err.code(), Code::UnreadableFile);
    }
}

// ---------------------------------------------------------------------------------------
// Legacy Word through LibreOffice

#[test]
fn a_doc_converted_by_libreoffice_reads_like_its_docx() {
    let Some(soffice) = ingest::convert::find_soffice() else {
        eprintln!("skipped: LibreOffice (soffice) is not on PATH");
        return;
    };
    let docx = standard_docx_rs(|i, title| para(&format!("{}、{title}", CHINESE[i])));
    let work = tempfile::tempdir().unwrap();
    let source = work.path().join("report.docx");
    std::fs::write(&source, docx).unwrap();
    let profile = format!("-env:UserInstallation=file://{}/profile", work.path().display());
    let status = Command::new(&soffice)
        .args([
            "--headless",
            "--norestore",
            &profile,
            "--convert-to",
            "doc",
            "--outdir",
        ])
        .arg(work.path())
        .arg(&source)
        .status()
        .unwrap();
    let doc = work.path().join("report.doc");
    if !status.success() || !doc.exists() {
        eprintln!("skipped: LibreOffice could not write a .doc here");
        return;
    }
    let bytes = std::fs::read(&doc).unwrap();
    assert_standard(&validate("市科技局工作报告.doc", &bytes));

    let inbox = work.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::copy(&doc, inbox.join("市科技局工作报告.doc")).unwrap();
    let json = check_json(&inbox);
    assert_eq!(json["files"][0]["unit"], UNIT);
    assert_eq!(json["files"][0]["kind"], "report");
    let codes: Vec<(&str, &str, i64)> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let task = i["task"].as_i64().unwrap_or(0);
            (i["code"].as_str().unwrap(), i["location"].as_str().unwrap(), task)
        })
        .collect();
    assert_eq!(
        codes,
        vec![("missing-task", "第1段", 13), ("missing-task", "第1段", 93)]
    );
    let left: Vec<_> = std::fs::read_dir(&inbox).unwrap().collect();
    assert_eq!(left.len(), 1, "nothing is written into the inbox");
}

#[test]
fn a_heading_after_a_page_break_is_still_a_heading() {
    let heading = r#"<w:p><w:pPr><w:pStyle w:val="ReportHead"/></w:pPr><w:r><w:br w:type="page"/><w:t>存在问题</w:t></w:r></w:p>"#;
    let body =
        p(TITLE, "") + &p("一、各项任务进展", "") + &p("任务1：甲。", "") + heading + &p("资金不足。", "");
    let result = validate("市科技局.docx", &raw_docx(&body, Some(STYLES), None));
    assert_eq!(narratives(&result), BTreeMap::from([(1, "甲。")]));
    assert_eq!(result.texts.problems, vec!["资金不足。"]);
}

// ---------------------------------------------------------------------------------------
// Status and percent words, and tables of another period (python-docx fixture)

/// A report written by python-docx: a comparison table of the previous quarter before this
/// quarter's table, check-box statuses, statuses with remarks and percents in words. `None`
/// (with the reason printed) when python3 with python-docx is not available.
fn python_docx_report() -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().ok()?;
    let out = dir.path().join("report.docx");
    let script = r#"
import sys, docx
d = docx.Document()
d.add_paragraph("市科技局关于2024年第一季度试点任务推进情况的报告")
header = ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"]
def table(rows):
    t = d.add_table(rows=0, cols=5)
    for row in [header] + rows:
        cells = t.add_row().cells
        for c, text in zip(cells, row):
            c.text = text
d.add_paragraph("表1 2023年第四季度推进情况（对比）")
table([["1", "深化……", "未启动", "0", "上季度。"], ["58", "加快……", "未启动", "0", "上季度。"]])
d.add_paragraph("表2 2024年第一季度推进情况")
table([
    ["1", "深化……", "☐未启动 ☑推进中 ☐已完成 ☐常态化推进", "约60%", "完成调研。"],
    ["13", "重点发展……", "☐未启动 ☑推进中 ☑已完成", "60％左右", "已投产。"],
    ["58", "加快……", "推进中，预计年底完成", "六成", "推动签约。"],
    ["93", "探索……", "正在推进中", "过半", "研究方案。"],
])
d.save(sys.argv[1])
"#;
    let run = Command::new("python3").arg("-c").arg(script).arg(&out).output();
    match run {
        Ok(o) if o.status.success() => std::fs::read(&out).ok(),
        Ok(o) => {
            println!(
                "skipped: python-docx unavailable ({})",
                String::from_utf8_lossy(&o.stderr).trim()
            );
            None
        }
        Err(e) => {
            println!("skipped: python3 unavailable ({e})");
            None
        }
    }
}

#[test]
fn the_current_period_table_and_status_and_percent_words_are_read_with_warnings() {
    let Some(bytes) = python_docx_report() else {
        return;
    };
    let result = validate("市科技局一季度报告.docx", &bytes);
    let rows: BTreeMap<u32, _> = result
        .rows
        .iter()
        .map(|r| (r.task, (r.status, r.percent)))
        .collect();
    use roundup::vocab::Status;
    assert_eq!(rows[&1], (Some(Status::InProgress), Some(60.0)));
    assert_eq!(rows[&13], (None, Some(60.0)));
    assert_eq!(rows[&58], (Some(Status::InProgress), Some(60.0)));
    assert_eq!(rows[&93], (Some(Status::InProgress), None));
    let found = codes(&result);
    let has = |code: Code, level: Level, task: Option<u32>| {
        found
            .iter()
            .any(|(c, l, t, _)| *c == code && *l == level && *t == task)
    };
    assert!(
        !found.iter().any(|(c, ..)| *c == Code::DuplicateTask),
        "{found:?}"
    );
    assert!(has(Code::IgnoredColumn, Level::Info, None), "{found:?}");
    assert!(has(Code::InvalidStatus, Level::Warning, Some(1)), "{found:?}");
    assert!(has(Code::InvalidStatus, Level::Error, Some(13)), "{found:?}");
    assert!(has(Code::InvalidStatus, Level::Warning, Some(58)), "{found:?}");
    assert!(
        !found
            .iter()
            .any(|(c, _, t, _)| *c == Code::InvalidStatus && *t == Some(93)),
        "{found:?}"
    );
    for task in [1, 13, 58] {
        assert!(has(Code::InvalidPercent, Level::Warning, Some(task)), "{found:?}");
    }
    assert!(has(Code::InvalidPercent, Level::Error, Some(93)), "{found:?}");
}
