//! The official-format bulletin: renders a 工作简报 (and a 通报) from a round report built
//! here, unzips it and checks the XML against the "Decisions for roundup" table of
//! `official-format.md`; opens it with python-docx and converts it with LibreOffice when they
//! are installed (else the check is skipped with a printed reason).
//!
//! Set `ROUNDUP_KEEP_BULLETIN=<folder>` to keep the generated files for inspection.

use roundup::config::{BulletinKind, Config, FontProfile};
use roundup::ingest::FileKind;
use roundup::merge::{stats, Change, FileOutcome, Light, Outcome, RoundReport, TaskOutcome, UnitSubmission};
use roundup::registry::Registry;
use roundup::render::{bulletin_docx, RenderContext, RenderError};
use roundup::validate::{Case, ReportTexts, TaskReport};
use roundup::vocab::Status;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

const TEMPLATE: &str = include_str!("../templates/bulletin.j2");

struct Fixture {
    config: Config,
    registry: Registry,
    report: RoundReport,
}

fn fixture(kind: BulletinKind) -> Fixture {
    let mut config = Config::load(Path::new("templates/roundup.toml")).unwrap();
    config.bulletin.kind = kind;
    let registry = Registry::load(&config.registry_path, &config.aliases)
        .unwrap()
        .with_delegates(&config.delegated_units);
    let round = config.round("2024Q2").unwrap().clone();
    let tasks: Vec<TaskOutcome> = registry.tasks.iter().map(task_outcome).collect();
    let units: Vec<String> = registry.lead_units().iter().map(|u| u.to_string()).collect();
    let missing: Vec<String> = units.iter().skip(3).step_by(9).cloned().collect();
    let submissions: Vec<UnitSubmission> = units
        .iter()
        .filter(|u| !missing.contains(u))
        .enumerate()
        .map(|(i, unit)| UnitSubmission {
            unit: unit.clone(),
            on_time: i % 7 != 2,
            files: vec![FileOutcome {
                path: format!("{unit}.xlsx"),
                kind: FileKind::Spreadsheet,
                outcome: Outcome::Used,
                date: Some(round.deadline),
            }],
            errors: 0,
            warnings: 0,
        })
        .collect();
    let mut unit_texts = BTreeMap::new();
    for (i, unit) in units.iter().take(6).enumerate() {
        unit_texts.insert(unit.clone(), unit_texts_for(i));
    }
    let stats = stats::compute(&registry, &tasks, &submissions);
    let report = RoundReport {
        round,
        previous_round: Some("2024Q1".into()),
        tasks,
        submissions,
        missing_units: missing,
        issues: Vec::new(),
        unit_texts,
        files: Vec::new(),
        stats,
        tables: BTreeMap::new(),
    };
    Fixture {
        config,
        registry,
        report,
    }
}

fn task_outcome(task: &roundup::registry::Task) -> TaskOutcome {
    let (status, percent, light) = match task.id % 6 {
        0 => (Some(Status::Completed), Some(100.0), Light::Green),
        1 | 4 => (Some(Status::InProgress), Some(60.0), Light::Green),
        2 => (Some(Status::InProgress), Some(20.0), Light::Red),
        3 => (Some(Status::Ongoing), None, Light::Green),
        _ if task.id.is_multiple_of(11) => (None, None, Light::Red),
        _ => (Some(Status::NotStarted), Some(0.0), Light::Yellow),
    };
    let unit = task.leads[0].clone();
    let report = TaskReport {
        task: task.id,
        unit: unit.clone(),
        status,
        percent,
        progress: format!(
            "我局围绕第{}项任务制定工作方案，召开专题推进会{}次，累计服务企业{}家。下一阶段将继续推进。",
            task.id,
            task.id % 4 + 1,
            task.id * 3
        ),
        problems: if task.id.is_multiple_of(10) {
            "跨部门数据共享机制尚不健全，部分事项推进较慢。".into()
        } else {
            "无".into()
        },
        file: format!("{unit}.xlsx"),
        ..TaskReport::default()
    };
    TaskOutcome {
        id: task.id,
        status,
        percent,
        expected_percent: 41.7,
        light,
        previous_status: Some(Status::InProgress),
        change: Some(match status {
            Some(Status::Completed) => Change::NewlyCompleted,
            Some(Status::NotStarted) => Change::Regressed,
            _ => Change::Unchanged,
        }),
        carried_forward: false,
        reports: if status.is_some() { vec![report] } else { vec![] },
    }
}

fn unit_texts_for(i: usize) -> ReportTexts {
    ReportTexts {
        cases: if i < 3 {
            vec![Case {
                title: format!("案例{}：“一站式”服务平台上线运行", ["一", "二", "三"][i]),
                body: "我局依托政务服务平台推出“一站式”办理，企业开办时间压缩至1个工作日。平台上线以来累计办理业务1200余件。群众满意度达到99%。后续还将持续优化。".into(),
            }]
        } else {
            vec![]
        },
        problems: vec![
            "专业人才储备不足，高端服务业人才引进难度较大。".into(),
            format!("部分政策落地细则尚未出台（单位{i}）。"),
        ],
        next_steps: vec!["加强统筹调度，对滞后任务实行清单化管理，按月跟踪推进。".into()],
        ..ReportTexts::default()
    }
}

fn render(f: &Fixture, template: &str) -> Result<Vec<u8>, RenderError> {
    bulletin_docx::render(&RenderContext {
        report: &f.report,
        registry: &f.registry,
        config: &f.config,
        bulletin_template: template,
    })
}

fn parts(docx: &[u8]) -> BTreeMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        out.insert(file.name().unwrap().to_string(), text);
    }
    out
}

/// The attributes of every `<name …>` element, in document order.
fn elements(xml: &str, name: &str) -> Vec<BTreeMap<String, String>> {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    reader.config_mut().allow_unmatched_ends = true;
    let mut out = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.name().as_ref() == name =>
            {
                out.push(
                    e.attributes()
                        .flatten()
                        .map(|a| (a.key.as_ref().to_string(), a.value.to_string()))
                        .collect(),
                );
            }
            _ => {}
        }
    }
    out
}

/// The text of the `<w:t>` elements in `xml`, concatenated.
fn text_of(xml: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(xml);
    reader.config_mut().check_end_names = false;
    reader.config_mut().allow_unmatched_ends = true;
    let (mut out, mut inside) = (String::new(), false);
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) => inside = e.name().as_ref() == "w:t",
            quick_xml::events::Event::End(_) => inside = false,
            quick_xml::events::Event::Text(t) if inside => {
                out.push_str(&t.xml10_content());
            }
            _ => {}
        }
    }
    out
}

fn attrs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The XML of the style with this id.
fn style<'a>(styles: &'a str, id: &str) -> &'a str {
    let start = styles
        .find(&format!(r#"w:styleId="{id}""#))
        .unwrap_or_else(|| panic!("style {id}"));
    let end = styles[start..].find("</w:style>").unwrap() + start;
    &styles[start..end]
}

/// The XML of the paragraph containing `text`.
fn paragraph_with<'a>(xml: &'a str, text: &str) -> &'a str {
    let at = xml
        .find(text)
        .unwrap_or_else(|| panic!("no paragraph with {text}"));
    let start = xml[..at]
        .rfind("<w:p>")
        .or_else(|| xml[..at].rfind("<w:p "))
        .unwrap();
    let end = xml[at..].find("</w:p>").unwrap() + at;
    &xml[start..end]
}

/// The run properties of the run holding `text`.
fn name_rpr_first<'a>(xml: &'a str, text: &str) -> &'a str {
    let at = xml.find(text).unwrap();
    let start = xml[..at].rfind("<w:rPr>").unwrap();
    &xml[start..at]
}

fn keep(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::var_os("ROUNDUP_KEEP_BULLETIN").map(PathBuf::from);
    if let Some(dir) = &dir {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    dir.unwrap_or_default().join(name)
}

#[test]
fn briefing_carries_the_decided_format() {
    let f = fixture(BulletinKind::Briefing);
    let docx = render(&f, TEMPLATE).unwrap();
    keep("briefing.docx", &docx);
    let p = parts(&docx);
    let doc = &p["word/document.xml"];
    let styles = &p["word/styles.xml"];

    // Page, margins, grid.
    assert_eq!(
        elements(doc, "w:pgSz"),
        vec![attrs(&[("w:w", "11906"), ("w:h", "16838")])]
    );
    let margin = &elements(doc, "w:pgMar")[0];
    for (k, v) in [
        ("w:top", "2098"),
        ("w:bottom", "1984"),
        ("w:left", "1588"),
        ("w:right", "1474"),
    ] {
        assert_eq!(margin[k], v, "{k}");
    }
    assert_eq!(
        elements(doc, "w:docGrid"),
        vec![attrs(&[("w:type", "lines"), ("w:linePitch", "579")])]
    );

    // Normal: 仿宋_GB2312 / Times New Roman 16 pt, justified, 2-character first line, exact 579.
    let normal = style(styles, "Normal");
    assert_eq!(styles.matches(r#"w:styleId="Normal""#).count(), 1);
    assert!(normal.contains(r#"w:default="1""#), "{normal}");
    let fonts = &elements(normal, "w:rFonts")[0];
    assert_eq!(fonts["w:eastAsia"], "仿宋_GB2312");
    assert_eq!(fonts["w:ascii"], "Times New Roman");
    assert_eq!(fonts["w:hAnsi"], "Times New Roman");
    assert_eq!(elements(normal, "w:sz")[0]["w:val"], "32");
    assert_eq!(elements(normal, "w:jc")[0]["w:val"], "both");
    let ind = &elements(normal, "w:ind")[0];
    assert_eq!(ind["w:firstLineChars"], "200");
    assert_eq!(ind["w:firstLine"], "640");
    let spacing = elements(normal, "w:spacing");
    assert!(spacing
        .iter()
        .any(|s| s.get("w:line").map(String::as_str) == Some("579")
            && s.get("w:lineRule").map(String::as_str) == Some("exact")));
    assert!(spacing
        .iter()
        .any(|s| s.get("w:val").map(String::as_str) == Some("-5")));

    // Headings: 黑体 / 楷体_GB2312 / 仿宋_GB2312 / 仿宋_GB2312, 16 pt, not bold.
    for (id, face) in [
        ("Heading1", "黑体"),
        ("Heading2", "楷体_GB2312"),
        ("Heading3", "仿宋_GB2312"),
        ("Heading4", "仿宋_GB2312"),
    ] {
        let s = style(styles, id);
        assert_eq!(elements(s, "w:rFonts")[0]["w:eastAsia"], face, "{id}");
        assert_eq!(elements(s, "w:sz")[0]["w:val"], "32", "{id}");
        assert!(!s.contains("<w:b "), "{id}");
    }
    let h1 = paragraph_with(doc, "一、总体情况");
    assert_eq!(elements(h1, "w:rFonts")[0]["w:eastAsia"], "黑体");
    assert!(doc.contains("（一）推动服务业重点行业领域深化改革扩大开放"));
    let h2 = paragraph_with(doc, "（一）推动服务业重点行业领域深化改革扩大开放");
    assert_eq!(elements(h2, "w:rFonts")[0]["w:eastAsia"], "楷体_GB2312");

    // Properties are in schema order (docx-rs writes w:sz before w:rFonts).
    for rpr in doc.split("<w:rPr>").skip(1) {
        let rpr = &rpr[..rpr.find("</w:rPr>").unwrap_or(rpr.len())];
        if let (Some(fonts), Some(size)) = (rpr.find("<w:rFonts"), rpr.find("<w:sz ")) {
            assert!(fonts < size, "{rpr}");
        }
    }
    assert!(name_rpr_first(doc, &f.config.office.bulletin_name).starts_with("<w:rPr><w:rFonts"));
    assert!(!styles.contains("<w:pPr><w:rPr />"));

    // Every run names its East Asian font; body runs carry −0.25 pt.
    let runs = elements(doc, "w:rFonts");
    assert!(runs.iter().all(|r| r.contains_key("w:eastAsia")));
    let body = paragraph_with(doc, "截至2024年6月30日");
    assert_eq!(elements(body, "w:spacing").last().unwrap()["w:val"], "-5");
    assert_eq!(elements(body, "w:ind")[0]["w:firstLineChars"], "200");

    // Title: 方正小标宋简体 22 pt, centred, not bold.
    let title = paragraph_with(doc, "南京市服务业扩大开放综合试点<");
    assert!(title.contains(">2024年第二季度推进情况<"), "{title}");
    assert!(title.contains(r#"<w:br w:type="textWrapping""#), "{title}");
    assert_eq!(elements(title, "w:rFonts")[0]["w:eastAsia"], "方正小标宋简体");
    assert_eq!(elements(title, "w:sz")[0]["w:val"], "44");
    assert_eq!(elements(title, "w:jc")[0]["w:val"], "center");
    assert!(!title.contains("<w:b "));

    // 报头: red 36 pt name, 第2期, office left + date right (tab 8844) over a red rule.
    let name = paragraph_with(doc, &f.config.office.bulletin_name);
    assert_eq!(elements(name, "w:color")[0]["w:val"], "FF0000");
    assert_eq!(elements(name, "w:sz")[0]["w:val"], "72");
    assert_eq!(elements(name, "w:jc")[0]["w:val"], "center");
    assert_eq!(elements(name, "w:rFonts")[0]["w:eastAsia"], "方正小标宋简体");
    let issue = paragraph_with(doc, "第2期");
    assert_eq!(elements(issue, "w:sz")[0]["w:val"], "32");
    assert_eq!(elements(issue, "w:jc")[0]["w:val"], "center");
    let line = paragraph_with(doc, "2024年7月10日<");
    assert!(line.contains(&f.config.office.name));
    assert_eq!(
        elements(line, "w:tab")[0],
        attrs(&[("w:val", "right"), ("w:pos", "8844")])
    );
    let rule = &elements(line, "w:bottom")[0];
    assert_eq!(rule["w:val"], "single");
    assert_eq!(rule["w:sz"], "12");
    assert_eq!(rule["w:color"], "FF0000");
    assert!(elements(line, "w:top").is_empty(), "a rule, not a box");

    // Lagging tasks table: caption, 黑体 header repeated, 仿宋 14 pt cells, 0.5 pt borders.
    let caption = paragraph_with(doc, "进展滞后任务情况表");
    assert_eq!(elements(caption, "w:rFonts")[0]["w:eastAsia"], "黑体");
    assert_eq!(elements(caption, "w:jc")[0]["w:val"], "center");
    let table_start = doc[..doc.find("DataTable").unwrap()].rfind("<w:tbl>").unwrap();
    let table = &doc[table_start..doc[table_start..].find("</w:tbl>").unwrap() + table_start];
    assert_eq!(table.matches("<w:tblHeader/>").count(), 1);
    let header = paragraph_with(table, "序时进度");
    assert_eq!(elements(header, "w:rFonts")[0]["w:eastAsia"], "黑体");
    assert_eq!(elements(header, "w:sz")[0]["w:val"], "28");
    let cell = paragraph_with(table, ">红<");
    assert_eq!(elements(cell, "w:rFonts")[0]["w:eastAsia"], "仿宋_GB2312");
    assert_eq!(elements(cell, "w:sz")[0]["w:val"], "28");
    let widths: u32 = elements(table, "w:gridCol")
        .iter()
        .map(|c| c["w:w"].parse::<u32>().unwrap())
        .sum();
    assert!(widths <= 8844, "{widths}");
    let borders = elements(table, "w:insideH");
    assert_eq!(borders[0]["w:sz"], "4");
    assert_eq!(borders[0]["w:color"], "000000");

    // Page numbers: — PAGE — in 宋体 14 pt, odd right / even left, 280 in.
    assert_eq!(elements(&p["word/settings.xml"], "w:evenAndOddHeaders").len(), 1);
    let footers: Vec<&String> = p
        .iter()
        .filter(|(k, _)| k.starts_with("word/footer"))
        .map(|(_, v)| v)
        .collect();
    assert_eq!(footers.len(), 2);
    let mut sides = Vec::new();
    for footer in footers {
        assert!(footer.contains("\u{2014} </w:t>"), "{footer}");
        assert!(footer.contains("> \u{2014}</w:t>"), "{footer}");
        assert!(footer.contains(r#"<w:fldChar w:fldCharType="begin""#));
        assert!(footer.contains(">PAGE</w:instrText>"));
        assert_eq!(elements(footer, "w:rFonts")[0]["w:eastAsia"], "宋体");
        assert_eq!(elements(footer, "w:rFonts")[0]["w:ascii"], "宋体");
        assert_eq!(elements(footer, "w:sz")[0]["w:val"], "28");
        let jc = elements(footer, "w:jc")[0]["w:val"].clone();
        let ind = elements(footer, "w:ind")[0].clone();
        sides.push((jc, ind["w:left"].clone(), ind["w:right"].clone()));
    }
    sides.sort();
    assert_eq!(
        sides,
        vec![
            ("left".to_string(), "280".to_string(), "0".to_string()),
            ("right".to_string(), "0".to_string(), "280".to_string()),
        ]
    );
    let refs = elements(doc, "w:footerReference");
    let mut types: Vec<&str> = refs.iter().map(|r| r["w:type"].as_str()).collect();
    types.sort();
    assert_eq!(types, vec!["default", "even"]);

    // 报尾: thick – thin – thick black rules, 报/送/发 with hanging indent, 印发 line.
    let colophon_start = doc.rfind("<w:tbl>").unwrap();
    let colophon = &doc[colophon_start..];
    let rules: Vec<String> = ["w:top", "w:bottom"]
        .iter()
        .flat_map(|side| {
            elements(colophon, side)
                .into_iter()
                .filter(|b| b.contains_key("w:sz"))
                .map(move |b| format!("{side}:{}:{}", b["w:sz"], b["w:color"]))
        })
        .collect();
    assert_eq!(
        rules,
        vec!["w:top:8:000000", "w:top:6:000000", "w:bottom:8:000000"]
    );
    let report_to = paragraph_with(colophon, "报：");
    assert_eq!(elements(report_to, "w:sz")[0]["w:val"], "28");
    let ind = &elements(report_to, "w:ind")[0];
    assert_eq!(ind["w:hanging"], "560");
    assert_eq!(ind["w:hangingChars"], "200");
    assert!(colophon.contains("送："));
    assert!(colophon.contains("发："));
    assert!(colophon.contains("（共印60份）"));
    let issued = paragraph_with(colophon, "2024年7月10日印发");
    assert!(issued.contains(&f.config.office.name));
    assert_eq!(elements(issued, "w:tab")[0]["w:val"], "right");

    // Fonts table with alternates; the package is compressed.
    let table = &p["word/fontTable.xml"];
    assert!(table.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>"#));
    assert!(table.contains(r#"<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>"#));
    let total: usize = p.values().map(String::len).sum();
    assert!(docx.len() * 3 < total, "{} vs {total}", docx.len());
}

#[test]
fn output_is_deterministic() {
    let f = fixture(BulletinKind::Briefing);
    assert_eq!(render(&f, TEMPLATE).unwrap(), render(&f, TEMPLATE).unwrap());
}

#[test]
fn compat_profile_writes_common_font_names() {
    let mut f = fixture(BulletinKind::Briefing);
    f.config.bulletin.fonts = FontProfile::Compat;
    let p = parts(&render(&f, TEMPLATE).unwrap());
    let all = format!("{}{}", p["word/document.xml"], p["word/styles.xml"]);
    assert!(!all.contains("_GB2312"));
    assert!(!all.contains("方正小标宋简体"));
    assert!(all.contains(r#"w:eastAsia="仿宋""#));
    assert!(all.contains(r#"w:eastAsia="楷体""#));
}

#[test]
fn circular_has_the_official_document_header_and_addressees() {
    let f = fixture(BulletinKind::Circular);
    let docx = render(&f, TEMPLATE).unwrap();
    keep("circular.docx", &docx);
    let p = parts(&docx);
    let doc = &p["word/document.xml"];
    let mark = paragraph_with(doc, &format!("{}文件", f.config.office.name));
    assert_eq!(elements(mark, "w:color")[0]["w:val"], "FF0000");
    let number = paragraph_with(doc, "宁服开办〔2024〕2号");
    assert_eq!(elements(number, "w:bottom")[0]["w:color"], "FF0000");
    assert_eq!(
        text_of(paragraph_with(doc, "的通报<")),
        "关于2024年第二季度南京市服务业扩大开放综合试点任务推进情况的通报"
    );
    let addressees = paragraph_with(doc, "领导小组各成员单位：");
    assert_eq!(elements(addressees, "w:ind")[0]["w:firstLine"], "0");
    assert!(doc.contains("抄送："));
    assert!(!doc.contains("（共印"));
}

#[test]
fn editing_the_template_changes_the_output() {
    let f = fixture(BulletinKind::Briefing);
    let edited = TEMPLATE.replace("按照亮灯规则", "对照亮灯规则统计");
    assert_ne!(edited, TEMPLATE);
    let doc = &parts(&render(&f, &edited).unwrap())["word/document.xml"];
    assert!(doc.contains("对照亮灯规则统计，绿灯任务"));
    let custom = "::title 自定义标题\n# 第一部分\n共{{ overall.tasks }}项任务。\n::pagebreak\n# 第二部分\n::table parts 分领域统计表\n";
    let doc = &parts(&render(&f, custom).unwrap())["word/document.xml"];
    assert!(doc.contains("自定义标题"));
    assert!(doc.contains(&format!("共{}项任务。", f.report.stats.overall.tasks)));
    assert!(doc.contains("二、第二部分"));
    assert!(doc.contains(r#"<w:pageBreakBefore"#));
    assert!(doc.contains("分领域统计表"));
}

#[test]
fn template_errors_name_the_template_line() {
    let f = fixture(BulletinKind::Briefing);
    let broken = "::title 标题\n# 总体情况\n共{{ overall.tasks }项任务。\n";
    match render(&f, broken) {
        Err(RenderError::Template { line, template, .. }) => {
            assert_eq!(line, 3);
            assert_eq!(template, "bulletin.j2");
        }
        other => panic!("expected a template error, got {other:?}"),
    }
    let undefined = "::title 标题\n\n{{ overall.no_such_field }}\n";
    let err = render(&f, undefined).unwrap_err();
    assert!(matches!(err, RenderError::Template { line: 3, .. }), "{err}");
    assert!(err.to_string().contains("第3行"), "{err}");
    let table = "::title 标题\n::table nope 表\n";
    let err = render(&f, table).unwrap_err();
    assert!(matches!(err, RenderError::Template { line: 2, .. }), "{err}");
}

fn have(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn python_docx_opens_the_bulletin() {
    if !have("python3", "-c")
        || !Command::new("python3")
            .args(["-c", "import docx"])
            .output()
            .is_ok_and(|o| o.status.success())
    {
        println!("skipped: python-docx is not installed (`python3 -c \"import docx\"` failed)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let script = r#"
import sys, docx
d = docx.Document(sys.argv[1])
s = d.sections[0]
print(s.page_width, s.page_height, len(d.paragraphs), len(d.tables))
print(d.styles['Normal'].font.size.pt)
print("sections", len(d.sections), d.sections[-1].start_type)
"#;
    // The 报尾 under the body (one section), and in a last section starting on an even page.
    for (name, f, sections) in [
        ("under-body", fixture(BulletinKind::Briefing), 1),
        ("even-page", sized(BulletinKind::Briefing, 0, 0), 2),
    ] {
        let path = dir.path().join(format!("{name}.docx"));
        std::fs::write(&path, render(&f, TEMPLATE).unwrap()).unwrap();
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.starts_with("7560310 10692130 "), "{text}");
        assert!(text.contains("\n16.0"), "{text}");
        assert!(text.contains(&format!("sections {sections} ")), "{name}: {text}");
        if sections == 2 {
            assert!(text.contains("EVEN_PAGE"), "{name}: {text}");
        }
    }
}

/// `pdftotext` of pages `first..=last`; `raw` keeps content-stream order and narrow spaces.
fn pdf_text(pdf: &Path, first: u32, last: u32, raw: bool) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    if raw {
        cmd.arg("-raw");
    }
    let out = cmd.arg(pdf).arg("-").output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn libreoffice_renders_a4_pages_with_header_numbers_and_colophon() {
    if roundup::ingest::convert::find_soffice().is_none() {
        println!("skipped: LibreOffice (soffice) is not installed");
        return;
    }
    if !have("pdfinfo", "-v") || !have("pdftotext", "-v") {
        println!("skipped: poppler-utils (pdfinfo, pdftotext) are not installed");
        return;
    }
    let f = fixture(BulletinKind::Briefing);
    let dir = tempfile::tempdir().unwrap();
    let docx = dir.path().join("bulletin.docx");
    std::fs::write(&docx, render(&f, TEMPLATE).unwrap()).unwrap();
    let pdf = roundup::write::pdf::export_pdf(&docx, dir.path()).unwrap();
    if let Ok(bytes) = std::fs::read(&pdf) {
        keep("briefing.pdf", &bytes);
    }
    let info = Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let size = info
        .lines()
        .find(|l| l.starts_with("Page size:"))
        .unwrap_or_default();
    let dims: Vec<f64> = size.split_whitespace().filter_map(|w| w.parse().ok()).collect();
    assert!(
        dims.len() == 2 && (dims[0] - 595.3).abs() < 1.0 && (dims[1] - 841.9).abs() < 1.0,
        "{info}"
    );
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap();
    assert!(pages >= 3, "{info}");

    let first = pdf_text(&pdf, 1, 1, false);
    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
    let first_flat = squeeze(&first);
    assert!(first_flat.contains(&f.config.office.bulletin_name), "{first}");
    assert!(first_flat.contains("第2期"), "{first}");
    assert!(
        first_flat.contains("南京市服务业扩大开放综合试点2024年第二季度推进情况"),
        "{first}"
    );
    assert!(first_flat.contains("—1—"), "{first}");

    let second = pdf_text(&pdf, 2, 2, true);
    let footer = second
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or_default();
    assert_eq!(footer.trim(), "— 2 —", "{second}");

    let last = pdf_text(&pdf, pages, pages, true);
    let lines: Vec<&str> = last.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let number = format!("— {pages} —");
    let body_end = lines
        .iter()
        .rev()
        .find(|l| **l != number)
        .map(|l| squeeze(l))
        .unwrap_or_default();
    assert!(body_end.ends_with("2024年7月10日印发"), "{last}");
    assert!(body_end.starts_with(&f.config.office.name), "{last}");
}

// ---------------------------------------------------------------------------------------------
// Layout acceptance on the rendered page (official-format.md, "Layout acceptance").

use roundup::render::bulletin_docx::pagecheck::{self, Expected, Row};

/// No theme fonts anywhere in the package (WPS reports Calibri / 等线 as 缺失字体), every
/// table's grid adds up to its width, the font table names the standard families with
/// alternates, PANOSE and the GB2312 charset.
#[test]
fn the_package_has_no_theme_fonts_and_grids_add_up() {
    for kind in [BulletinKind::Briefing, BulletinKind::Circular] {
        let f = fixture(kind);
        let p = parts(&render(&f, TEMPLATE).unwrap());
        for (name, xml) in &p {
            for theme in [
                "Calibri",
                "等线",
                "Cambria",
                "asciiTheme",
                "eastAsiaTheme",
                "hAnsiTheme",
                "minorHAnsi",
                "majorHAnsi",
            ] {
                assert!(!xml.contains(theme), "{name} mentions {theme}");
            }
            assert!(!name.contains("theme"), "{name}");
        }
        let doc = &p["word/document.xml"];
        for table in doc.split("<w:tbl>").skip(1) {
            let table = &table[..table.find("</w:tbl>").unwrap()];
            let width: u32 = elements(table, "w:tblW")[0]["w:w"].parse().unwrap();
            let grid: u32 = elements(table, "w:gridCol")
                .iter()
                .map(|c| c["w:w"].parse::<u32>().unwrap())
                .sum();
            assert_eq!(grid, width, "{}", &table[..200.min(table.len())]);
        }
        let fonts = &p["word/fontTable.xml"];
        for (name, alt) in [
            ("仿宋_GB2312", "仿宋"),
            ("方正小标宋简体", "宋体"),
            ("黑体", "SimHei"),
            ("楷体_GB2312", "楷体"),
        ] {
            let at = fonts
                .find(&format!(r#"<w:font w:name="{name}">"#))
                .unwrap_or_else(|| panic!("{name}"));
            let entry = &fonts[at..at + fonts[at..].find("</w:font>").unwrap()];
            assert!(
                entry.contains(&format!(r#"<w:altName w:val="{alt}"/>"#)),
                "{entry}"
            );
            assert!(entry.contains("<w:panose1 w:val="), "{entry}");
            assert!(entry.contains(r#"<w:charset w:val="86"/>"#), "{entry}");
        }
    }
}

/// The 报尾 is a table anchored at the foot of the 版心, with no padding paragraphs in front.
#[test]
fn the_colophon_is_anchored_at_the_page_bottom() {
    let f = fixture(BulletinKind::Briefing);
    let doc = &parts(&render(&f, TEMPLATE).unwrap())["word/document.xml"];
    let start = doc.rfind("<w:tbl>").unwrap();
    let position = &elements(&doc[start..], "w:tblpPr")[0];
    assert_eq!(position["w:vertAnchor"], "margin");
    assert_eq!(position["w:tblpYSpec"], "bottom");
    assert_eq!(position["w:horzAnchor"], "page");
    assert_eq!(position["w:tblpX"], "1588");
    let exact: Vec<u32> = elements(doc, "w:spacing")
        .iter()
        .filter_map(|s| s.get("w:line").and_then(|l| l.parse().ok()))
        .collect();
    assert!(
        exact.iter().all(|&l| l <= 1400),
        "no padding paragraph: {exact:?}"
    );
    // Either under the body or in a last section starting on an even page.
    let sections = elements(doc, "w:sectPr").len();
    let even = elements(doc, "w:type").iter().any(|t| t["w:val"] == "evenPage");
    assert!(
        (sections == 1 && !even) || (sections == 2 && even),
        "{sections} {even}"
    );
}

/// Every body paragraph of the template comes out word for word (spacing may change, words
/// never do).
#[test]
fn the_bulletins_words_are_unchanged() {
    let f = fixture(BulletinKind::Briefing);
    let ctx = RenderContext {
        report: &f.report,
        registry: &f.registry,
        config: &f.config,
        bulletin_template: TEMPLATE,
    };
    let data = bulletin_docx::data::build(&ctx);
    let tables = bulletin_docx::data::tables(&data);
    let names: Vec<&str> = tables.keys().copied().collect();
    let blocks = bulletin_docx::blocks::render(TEMPLATE, "bulletin.j2", &data, &names).unwrap();
    let doc = &parts(&render(&f, TEMPLATE).unwrap())["word/document.xml"];
    let texts: Vec<String> = doc.split("<w:p ").map(text_of).collect();
    let mut checked = 0;
    for block in &blocks {
        if let bulletin_docx::blocks::Block::Paragraph(text) = block {
            assert!(texts.iter().any(|t| t == text), "{text}");
            checked += 1;
        }
    }
    assert!(checked > 10, "{checked}");
}

/// A round of the shipped registry with the first `lagging` tasks red (the lagging table
/// grows with it) and report texts from the first `texts` units.
fn sized(kind: BulletinKind, lagging: usize, texts: usize) -> Fixture {
    let mut f = fixture(kind);
    for (i, t) in f.report.tasks.iter_mut().enumerate() {
        if i < lagging {
            t.light = Light::Red;
            if t.status == Some(Status::Completed) {
                t.status = Some(Status::InProgress);
                t.percent = Some(20.0);
            }
        } else {
            t.light = Light::Green;
        }
    }
    let units: Vec<String> = f.report.unit_texts.keys().cloned().collect();
    for unit in units.iter().skip(texts) {
        f.report.unit_texts.remove(unit);
    }
    f.report.stats = stats::compute(&f.registry, &f.report.tasks, &f.report.submissions);
    f
}

/// A one-page body: an office's short template.
const SHORT_TEMPLATE: &str = "::title {{ office.pilot }}{{ round.title }}推进情况\n# 总体情况\n截至{{ round.end }}，共{{ overall.tasks }}项任务，已完成{{ overall.completed }}项。\n";

/// The font setups the render must hold under: Noto CJK only, and Noto CJK with WenQuanYi
/// Zen Hei (the machine's own configuration when `fonts-wqy-zenhei` is installed).
fn font_setups(dir: &Path) -> Vec<(&'static str, Option<PathBuf>)> {
    let conf = dir.join("noto-only.conf");
    std::fs::write(
        &conf,
        r#"<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include><selectfont><rejectfont><glob>*wqy*</glob><glob>*zenhei*</glob><pattern><patelt name="family"><string>WenQuanYi Zen Hei</string></patelt></pattern></rejectfont></selectfont></fontconfig>"#,
    )
    .unwrap();
    let wqy = Command::new("fc-list")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).to_lowercase().contains("wqy"));
    if !wqy {
        println!("note: WenQuanYi Zen Hei is not installed; the second setup is the machine's own fonts");
    }
    vec![("Noto only", Some(conf)), ("Noto + WenQuanYi", None)]
}

/// Converts `docs` to PDF in one LibreOffice run (blank pages kept) under `fonts`.
fn to_pdf(docs: &[PathBuf], out: &Path, fonts: Option<&Path>) -> Vec<PathBuf> {
    let Some(soffice) = roundup::ingest::convert::find_soffice() else {
        return Vec::new();
    };
    let profile = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(soffice);
    cmd.args(["--headless", "--norestore", "--convert-to"])
        .arg(r#"pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}"#)
        .arg("--outdir")
        .arg(out)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.path().display()
        ))
        .args(docs);
    if let Some(conf) = fonts {
        cmd.env("FONTCONFIG_FILE", conf);
    }
    let status = cmd.output().unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    docs.iter()
        .map(|d| out.join(d.file_stem().unwrap()).with_extension("pdf"))
        .collect()
}

/// `pdftotext -bbox-layout` of `pdf`.
fn bbox(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// What one rendered bulletin measures: pages, blank pages, the 印发 line's distance from the
/// 版心 bottom (points), and the pages that carry a number.
#[derive(Debug)]
struct Measured {
    pages: usize,
    blank: Vec<usize>,
    colophon_gap: Option<f64>,
    numbered: Vec<bool>,
}

fn measure(rows: &[Vec<Row>], e: &Expected) -> Measured {
    let inside = |r: &&Row| r.y_min <= e.text_bottom + 2.0;
    let numbered = rows
        .iter()
        .map(|page| {
            page.iter()
                .any(|r| r.y_min > e.text_bottom + 2.0 && r.text.chars().any(|c| c.is_ascii_digit()))
        })
        .collect();
    let blank = rows
        .iter()
        .enumerate()
        .filter(|(_, page)| !page.iter().any(|r| inside(&r)))
        .map(|(i, _)| i + 1)
        .collect();
    let colophon_gap = rows
        .last()
        .and_then(|page| page.iter().filter(inside).rev().find(|r| r.text.contains("印发")))
        .map(|r| e.text_bottom - r.y_max);
    Measured {
        pages: rows.len(),
        blank,
        colophon_gap,
        numbered,
    }
}

/// Asserts the acceptance list on one rendered bulletin and returns its measurements.
fn accept(label: &str, pdf: &Path, e: &Expected) -> Measured {
    let xhtml = bbox(pdf);
    let rows = pagecheck::pages(&xhtml).unwrap();
    let findings = pagecheck::check(&xhtml, e).unwrap();
    let m = measure(&rows, e);
    println!(
        "{label}: {} pages, blank {:?}, 印发 line {:.1} pt above the 版心 bottom, numbered {}",
        m.pages,
        m.blank,
        m.colophon_gap.unwrap_or(f64::NAN),
        m.numbered
            .iter()
            .map(|&n| if n { '#' } else { '-' })
            .collect::<String>()
    );
    assert!(findings.is_empty(), "{label}: {findings:#?}");
    assert_eq!(m.pages % 2, 0, "{label}: {m:?}");
    let gap = m.colophon_gap.unwrap_or(f64::MAX);
    assert!(gap.abs() <= e.line_pitch, "{label}: {m:?}");
    for &b in &m.blank {
        assert_eq!(
            b + 1,
            m.pages,
            "{label}: blank page {b} not before the 版记 page: {m:?}"
        );
        assert!(!m.numbered[b - 1] && !m.numbered[b], "{label}: {m:?}");
    }
    // Every page before the 版记 page is numbered unless blank; the 版记 page alone may go
    // unnumbered when the layout estimate could not rule out a blank page before it.
    let body_pages = m.pages - 1 - m.blank.len();
    assert!(m.numbered[..body_pages].iter().all(|&n| n), "{label}: {m:?}");
    if m.blank.is_empty() && !m.numbered[m.pages - 1] {
        println!("{label}: note: the 版记 page is unnumbered (no blank page came before it)");
    }
    m
}

fn have_renderer() -> bool {
    if roundup::ingest::convert::find_soffice().is_none() {
        println!("skipped: LibreOffice (soffice) is not installed");
        return false;
    }
    if !have("pdftotext", "-v") {
        println!("skipped: poppler-utils (pdftotext) are not installed");
        return false;
    }
    true
}

/// Generated rounds of growing size, one page to about twenty, 简报 and 通报, rendered by
/// LibreOffice under both font setups: every one passes the layout acceptance list.
#[test]
fn generated_rounds_pass_the_layout_acceptance_on_the_rendered_page() {
    if !have_renderer() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut docs = Vec::new();
    let mut expectations = Vec::new();
    let mut add = |name: String, f: &Fixture, template: &str| {
        let path = dir.path().join(format!("{name}.docx"));
        let bytes = render(f, template).unwrap();
        keep(&format!("{name}.docx"), &bytes);
        std::fs::write(&path, bytes).unwrap();
        let ctx = RenderContext {
            report: &f.report,
            registry: &f.registry,
            config: &f.config,
            bulletin_template: template,
        };
        docs.push(path);
        expectations.push((name, pagecheck::expected(&ctx)));
    };
    add("short".into(), &fixture(BulletinKind::Briefing), SHORT_TEMPLATE);
    let sizes = [
        (0, 0),
        (0, 6),
        (3, 2),
        (7, 4),
        (12, 1),
        (18, 6),
        (25, 3),
        (33, 5),
        (42, 0),
        (52, 6),
        (63, 2),
        (75, 4),
        (88, 1),
        (104, 6),
    ];
    for (lagging, texts) in sizes {
        add(
            format!("briefing-{lagging}-{texts}"),
            &sized(BulletinKind::Briefing, lagging, texts),
            TEMPLATE,
        );
    }
    for (lagging, texts) in [(9, 3), (40, 6)] {
        add(
            format!("circular-{lagging}-{texts}"),
            &sized(BulletinKind::Circular, lagging, texts),
            TEMPLATE,
        );
    }
    let mut short_name = sized(BulletinKind::Briefing, 20, 6);
    short_name.config.office.short_name = Some("市服务业开放办".into());
    add("short-name".into(), &short_name, TEMPLATE);
    let mut pages_seen = Vec::new();
    for (setup, fonts) in font_setups(dir.path()) {
        let out = dir.path().join(setup.replace([' ', '+'], "_"));
        let pdfs = to_pdf(&docs, &out, fonts.as_deref());
        for (pdf, (name, e)) in pdfs.iter().zip(&expectations) {
            let m = accept(&format!("[{setup}] {name}"), pdf, e);
            pages_seen.push(m.pages);
            if let Ok(bytes) = std::fs::read(pdf) {
                keep(&format!("{name}-{}.pdf", setup.replace([' ', '+'], "_")), &bytes);
            }
        }
    }
    assert!(
        pages_seen.contains(&2) && pages_seen.iter().any(|&p| p >= 16),
        "{pages_seen:?}"
    );
}

/// The sample round and the foreign-made round, through the real binary with `--pdf` under
/// both font setups: the self-check reports nothing and the measurements hold.
#[test]
fn sample_and_foreign_rounds_pass_the_layout_acceptance_with_the_self_check() {
    if !have_renderer() {
        return;
    }
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut rounds = vec![("sample 2024Q2", repo.join("inbox"), "2024Q2")];
    let foreign = repo.join("../shared/fixtures/foreign-2024Q1");
    if foreign.is_dir() {
        rounds.push(("foreign 2024Q1", foreign, "2024Q1"));
    } else {
        println!("skipped the foreign round: {} not present", foreign.display());
    }
    let dir = tempfile::tempdir().unwrap();
    let config = Config::load(Path::new("templates/roundup.toml")).unwrap();
    for (setup, fonts) in font_setups(dir.path()) {
        for (name, inbox, round) in &rounds {
            let outbox = dir
                .path()
                .join(format!("{}-{round}", setup.replace([' ', '+'], "_")));
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_roundup"));
            cmd.current_dir(&repo)
                .args(["run", "--round", round, "--pdf", "--inbox"])
                .arg(inbox)
                .arg("--outbox")
                .arg(&outbox);
            if let Some(conf) = &fonts {
                cmd.env("FONTCONFIG_FILE", conf);
            }
            let out = cmd.output().unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(!stdout.contains("简报版式自检"), "[{setup}] {name}: {stdout}");
            let pdf = outbox.join(round).join(format!("工作简报-{round}.pdf"));
            assert!(
                pdf.is_file(),
                "[{setup}] {name}: {stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let round_config = config.round(round).unwrap();
            let e = Expected {
                date: roundup::text::date::chinese_date(roundup::render::issue_date(round_config)),
                ..expected_of(&config)
            };
            accept(&format!("[{setup}] {name}"), &pdf, &e);
            if let Ok(bytes) = std::fs::read(&pdf) {
                keep(&format!("{round}-{}.pdf", setup.replace([' ', '+'], "_")), &bytes);
            }
        }
    }
}

/// The expectations for a bulletin of `config` (date filled in by the caller).
fn expected_of(config: &Config) -> Expected {
    Expected {
        text_left: 1588.0 / 20.0,
        text_right: (1588.0 + 8844.0) / 20.0,
        text_bottom: (2098.0 + 12756.0) / 20.0,
        line_pitch: 579.0 / 20.0,
        office_names: std::iter::once(config.office.name.clone())
            .chain(config.office.short_name.clone())
            .collect(),
        date: String::new(),
        header_line: config.bulletin.kind == BulletinKind::Briefing,
    }
}
