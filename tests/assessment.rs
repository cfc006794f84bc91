//! End-to-end tests of 考核 (the assessment of lead units) on two consecutive rounds — the
//! foreign-made round as 2024Q1, then the sample inbox as 2024Q2, into one outbox: the 考核
//! sheet, `roundup.json` and the bulletin paragraph agree, the statistics and the assessment
//! count the same tasks, the cumulative figures add the earlier round, and a weight changed in
//! a copied configuration changes the ranking without recompiling.

mod common;

use calamine::{Data, DataType, Reader};
use common::{foreign, path, read_json, repo, roundup};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A copy of the shipped templates with `edit` applied to `roundup.toml`; returns the
/// copied `roundup.toml`.
fn config_copy(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for name in ["tasks.toml", "bulletin.j2"] {
        std::fs::copy(repo().join("templates").join(name), dir.join(name)).unwrap();
    }
    let text = std::fs::read_to_string(repo().join("templates/roundup.toml")).unwrap();
    let file = dir.join("roundup.toml");
    std::fs::write(&file, edit(text)).unwrap();
    file
}

fn run(inbox: &Path, outbox: &Path, round: &str, config: &Path) {
    let out = roundup(&[
        "run",
        "--round",
        round,
        "--inbox",
        path(inbox),
        "--outbox",
        path(outbox),
        "--config",
        path(config),
        "--quiet",
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn with_bulletin(text: String) -> String {
    text.replacen("bulletin = false", "bulletin = true", 1)
}

/// The shipped configuration without its `[assessment]` section.
fn without_assessment(text: String) -> String {
    let start = text.find("[assessment]\n").unwrap();
    let end = text.find("[limits]\n").unwrap();
    format!("{}{}", &text[..start], &text[end..])
}

/// The units of `roundup.json`'s assessment, in order.
fn units(json: &Value) -> &Vec<Value> {
    json["assessment"]["units"].as_array().expect("assessment.units")
}

fn names(json: &Value) -> Vec<String> {
    units(json)
        .iter()
        .map(|u| u["unit"].as_str().unwrap().to_owned())
        .collect()
}

/// The 考核 sheet: units in order, and unit -> column header (one line) -> cell.
fn sheet(book: &Path) -> (Vec<String>, BTreeMap<String, BTreeMap<String, Data>>) {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(book).unwrap();
    let range = book.worksheet_range("考核").unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let header: Vec<String> = rows[1].iter().map(|c| c.to_string().replace('\n', "")).collect();
    let mut order = Vec::new();
    let mut by_unit = BTreeMap::new();
    for row in &rows[2..] {
        if row.get(1).is_none_or(|c| c.is_empty()) || row[0].as_f64().is_none() {
            continue;
        }
        let unit = row[1].to_string();
        order.push(unit.clone());
        by_unit.insert(unit, header.iter().cloned().zip(row.iter().cloned()).collect());
    }
    (order, by_unit)
}

/// The bulletin's text (runs joined, paragraphs on lines).
fn bulletin_text(docx: &Path) -> String {
    let file = std::fs::File::open(docx).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let xml = xml.replace("</w:p>", "\n");
    let mut text = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn number(cell: &Data) -> f64 {
    cell.as_f64().unwrap_or(f64::NAN)
}

#[test]
fn two_rounds_agree_across_sheet_json_and_bulletin() {
    let Some(foreign) = foreign() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let config = config_copy(&tmp.path().join("config"), with_bulletin);
    let outbox = tmp.path().join("outbox");
    run(&foreign, &outbox, "2024Q1", &config);
    run(&repo().join("inbox"), &outbox, "2024Q2", &config);
    let q1 = read_json(&outbox.join("2024Q1/roundup.json"));
    let q2 = read_json(&outbox.join("2024Q2/roundup.json"));
    assert_eq!(
        q2["assessment"]["rounds"],
        serde_json::json!(["2024Q1", "2024Q2"])
    );

    // The statistics and the assessment count the same tasks, lights and submissions.
    let by_unit: BTreeMap<&str, &Value> = units(&q2)
        .iter()
        .map(|u| (u["unit"].as_str().unwrap(), u))
        .collect();
    let stats = q2["statistics"]["by_unit"].as_array().unwrap();
    assert_eq!(stats.len(), by_unit.len());
    for s in stats {
        let facts = &by_unit[s["unit"].as_str().unwrap()]["facts"];
        for key in ["tasks", "green", "yellow", "red"] {
            assert_eq!(facts[key], s["counts"][key], "{} {key}", s["unit"]);
        }
        assert_eq!(facts["submitted"], s["submitted"]);
        assert_eq!(facts["on_time"], s["on_time"]);
    }

    // Cumulative = the earlier round's total (same weights) + this round's.
    let q1_totals: BTreeMap<&str, f64> = units(&q1)
        .iter()
        .map(|u| (u["unit"].as_str().unwrap(), u["total"].as_f64().unwrap()))
        .collect();
    for u in units(&q2) {
        let before = q1_totals[u["unit"].as_str().unwrap()];
        let total = u["total"].as_f64().unwrap();
        let cumulative = &u["cumulative"];
        assert_eq!(cumulative["rounds"], 2);
        assert!((cumulative["total"].as_f64().unwrap() - (before + total)).abs() < 0.051);
    }

    // The 考核 sheet says what the JSON says, in the same order.
    let (order, rows) = sheet(&outbox.join("2024Q2/汇总表-2024Q2.xlsx"));
    assert_eq!(order, names(&q2));
    for u in units(&q2) {
        let row = &rows[u["unit"].as_str().unwrap()];
        assert_eq!(number(&row["名次"]), u["rank"].as_f64().unwrap());
        assert_eq!(number(&row["本期得分"]), u["total"].as_f64().unwrap());
        for i in u["indicators"].as_array().unwrap() {
            let label = match i["indicator"].as_str().unwrap() {
                "operation" => "工作运行",
                "projects" => "项目落地",
                "cases" => "案例报送",
                "on_time" => "按时报送",
                _ => "材料质量",
            };
            let header = format!("{label}（{}分）", i["weight"].as_f64().unwrap());
            assert_eq!(number(&row[&header]), i["points"].as_f64().unwrap(), "{header}");
            assert!(row["计分依据"].to_string().contains(i["basis"].as_str().unwrap()));
        }
        assert_eq!(number(&row["计分任务"]), u["facts"]["tasks"].as_f64().unwrap());
        assert_eq!(number(&row["项目个数"]), u["facts"]["projects"].as_f64().unwrap());
        assert_eq!(number(&row["累计轮次"]), 2.0);
    }

    // The bulletin names the units ranked third or better, in rank order.
    let text = bulletin_text(&outbox.join("2024Q2/工作简报-2024Q2.docx"));
    let paragraph = text
        .lines()
        .find(|l| l.contains("量化评分"))
        .expect("the assessment paragraph");
    let better: Vec<&str> = units(&q2)
        .iter()
        .filter(|u| u["rank"].as_u64().unwrap() <= 3)
        .map(|u| u["unit"].as_str().unwrap())
        .collect();
    let better = better.join("、");
    assert!(paragraph.contains(&format!("{better}得分靠前")), "{paragraph}");
    let last = names(&q2).last().unwrap().clone();
    assert!(paragraph.contains(&last), "{paragraph}");
}

#[test]
fn a_weight_in_the_configuration_changes_the_ranking() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = repo().join("inbox");
    let shipped = config_copy(&tmp.path().join("a"), |t| t);
    let reweighted = config_copy(&tmp.path().join("b"), |t| {
        t.replacen("operation = 40", "operation = 0", 1)
            .replacen("cases = 15 ", "cases = 100 ", 1)
    });
    run(&inbox, &tmp.path().join("out-a"), "2024Q2", &shipped);
    run(&inbox, &tmp.path().join("out-b"), "2024Q2", &reweighted);
    let a = read_json(&tmp.path().join("out-a/2024Q2/roundup.json"));
    let b = read_json(&tmp.path().join("out-b/2024Q2/roundup.json"));
    assert_ne!(names(&a), names(&b));
    let weight = |json: &Value, unit: usize| json_weight(&units(json)[unit], "cases");
    assert_eq!((weight(&a, 0), weight(&b, 0)), (15.0, 100.0));
}

fn json_weight(unit: &Value, indicator: &str) -> f64 {
    unit["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator"] == indicator)
        .and_then(|i| i["weight"].as_f64())
        .unwrap()
}

#[test]
fn with_the_paragraph_off_the_bulletin_is_unchanged_and_without_the_section_nothing_is_scored() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = repo().join("inbox");
    let shipped = config_copy(&tmp.path().join("a"), |t| t);
    let none = config_copy(&tmp.path().join("b"), without_assessment);
    run(&inbox, &tmp.path().join("out-a"), "2024Q2", &shipped);
    run(&inbox, &tmp.path().join("out-b"), "2024Q2", &none);
    let docx = "2024Q2/工作简报-2024Q2.docx";
    assert_eq!(
        std::fs::read(tmp.path().join("out-a").join(docx)).unwrap(),
        std::fs::read(tmp.path().join("out-b").join(docx)).unwrap()
    );
    let json = read_json(&tmp.path().join("out-b/2024Q2/roundup.json"));
    assert!(json.get("assessment").is_none());
    let book: calamine::Xlsx<_> =
        calamine::open_workbook(tmp.path().join("out-b/2024Q2/汇总表-2024Q2.xlsx")).unwrap();
    assert!(!book.sheet_names().iter().any(|s| s == "考核"));
}
