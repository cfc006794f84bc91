//! Benchmark workloads (issue 8): a configuration folder (`templates/`) and an inbox of round
//! 2024Q2 with one spreadsheet and one Word report per lead unit, canonical and messy looks
//! mixed, a few value mistakes sprinkled in. `city` uses the shipped registry; `province` and
//! `stress` use synthetic ones.

use super::registry;
use super::rng::Rng;
use super::sample::{sheet_title, OutFile};
use super::submission::{self, Look, Plant, ReportStyle, RoundCtx, TaskRef};
use super::texts::Period;
use chrono::NaiveDate;
use roundup::config::Config;
use roundup::registry::import::RegistryFile;
use roundup::registry::Registry;
use std::path::Path;

/// The workload sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The shipped 104-task registry, 35 units, 70 files.
    City,
    /// 5,000 tasks over 500 lead units, 1,000 files.
    Province,
    /// 20,000 tasks over 2,000 lead units, 4,000 files.
    Stress,
}

impl Kind {
    /// Parses `city`, `province` or `stress`.
    pub fn parse(word: &str) -> Option<Kind> {
        match word {
            "city" => Some(Kind::City),
            "province" => Some(Kind::Province),
            "stress" => Some(Kind::Stress),
            _ => None,
        }
    }

    /// (tasks, units) of a synthetic registry.
    fn size(self) -> Option<(usize, usize)> {
        match self {
            Kind::City => None,
            Kind::Province => Some((5_000, 500)),
            Kind::Stress => Some((20_000, 2_000)),
        }
    }
}

const ROUND: &str = "2024Q2";
const SEED: u64 = 0x8BE1_C4A0_2024_0008;

/// The configuration file with `registry = "tasks.toml"`.
pub fn config_text(original: &str) -> String {
    let mut out: String = original
        .lines()
        .map(|line| match line.trim_start().starts_with("registry =") {
            true => "registry = \"tasks.toml\"",
            false => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}

/// The `templates/` files: roundup.toml, tasks.toml, bulletin.j2.
pub fn template_files(
    kind: Kind,
    config: &Config,
    shipped: &Registry,
) -> Result<(Vec<OutFile>, RegistryFile), String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("无法读取 {}：{e}", p.display()));
    let registry_file = match kind.size() {
        None => RegistryFile::from_registry(shipped),
        Some((tasks, units)) => registry::synthetic(tasks, units, SEED ^ tasks as u64),
    };
    let toml = registry_file.to_toml().map_err(|e| e.to_string())?;
    let config_bytes = read(&config.path)?;
    let files = vec![
        (
            "templates/roundup.toml".to_owned(),
            config_text(&String::from_utf8_lossy(&config_bytes)).into_bytes(),
        ),
        ("templates/tasks.toml".to_owned(), toml.into_bytes()),
        (
            "templates/bulletin.j2".to_owned(),
            read(&config.bulletin_template_path())?,
        ),
    ];
    Ok((files, registry_file))
}

/// Every file of a workload, paths relative to its folder.
pub fn all_files(kind: Kind, config: &Config, shipped: &Registry) -> Result<Vec<OutFile>, String> {
    use rayon::prelude::*;
    let (mut files, registry_file) = template_files(kind, config, shipped)?;
    let registry = registry_file
        .into_registry(&config.aliases)
        .map_err(|e| e.to_string())?
        .with_delegates(&config.delegated_units);
    let round = config.round(ROUND).ok_or("配置中没有轮次 2024Q2")?;
    let ctx = RoundCtx {
        config,
        registry: &registry,
        period: Period {
            title: round.title.clone(),
            months: vec![4, 5, 6],
            end_label: "6月底".to_owned(),
        },
    };
    let units = registry.lead_units();
    let inbox: Vec<Vec<OutFile>> = units
        .par_iter()
        .enumerate()
        .map(|(i, unit)| unit_files(&ctx, unit, i))
        .collect::<Result<_, _>>()?;
    files.extend(
        inbox
            .into_iter()
            .flatten()
            .map(|(n, b)| (format!("inbox/{n}"), b)),
    );
    Ok(files)
}

fn look(rng: &mut Rng) -> Look {
    match rng.chance(0.45) {
        true => Look::Canonical,
        false => *rng.pick(&Look::ALL),
    }
}

/// A value mistake on one entry of about one file in twenty.
fn plants(rng: &mut Rng, ids: &[u32]) -> Vec<(u32, Plant)> {
    if ids.is_empty() || !rng.chance(0.05) {
        return Vec::new();
    }
    let id = *rng.pick(ids);
    let plant = match rng.range(0, 2) {
        0 => Plant::StatusText("差不多了".to_owned()),
        1 => Plant::Percent(120.0),
        _ => Plant::CompletedAt(60.0),
    };
    vec![(id, plant)]
}

fn unit_files(ctx: &RoundCtx, unit: &str, index: usize) -> Result<Vec<OutFile>, String> {
    let mut rng = Rng::derive(SEED, unit);
    let ids: Vec<u32> = ctx.registry.tasks_led_by(unit).map(|t| t.id).collect();
    let planted = plants(&mut rng, &ids);
    let entries = ctx.entries(unit, &[], &[], &planted, &mut rng);
    let date = NaiveDate::from_ymd_opt(2024, 7, rng.range(1, 10)).unwrap_or_default();
    let layout = look(&mut rng).layout(sheet_title(&ctx.period), ctx.config, &mut rng);
    let sheet = submission::spreadsheet(ctx, &layout, &entries, unit, date, &mut rng)?;
    let style = ReportStyle {
        refs: *rng.pick(&[TaskRef::Colon, TaskRef::Paren, TaskRef::Bracket]),
        alt_headings: rng.chance(0.3),
        case_style: rng.range(0, 2),
        table: None,
        date_line: rng.chance(0.6),
    };
    let report = submission::word_report(ctx, &style, &entries, unit, date, &mut rng)?;
    let (sheet_name, report_name) = file_names(unit, index, &mut rng);
    Ok(vec![(sheet_name, sheet), (report_name, report)])
}

fn file_names(unit: &str, index: usize, rng: &mut Rng) -> (String, String) {
    let sheet = match rng.range(0, 3) {
        0 => format!("{unit}-2024年第二季度进展表.xlsx"),
        1 => format!("附件1 {unit}任务推进情况表.xlsx"),
        2 => format!("{unit}2024年第二季度进展情况.xlsx"),
        _ => format!("{ROUND}_{unit}_进展表_{index:04}.xlsx"),
    };
    let report = match rng.range(0, 2) {
        0 => format!("{}.docx", submission::report_title(unit, "2024年第二季度")),
        1 => format!("附件2 {unit}工作报告.docx"),
        _ => format!("{unit}试点任务推进情况报告.docx"),
    };
    (sheet, report)
}

/// Counts of a workload, for the summary line.
pub fn describe(files: &[OutFile]) -> String {
    let inbox = files.iter().filter(|(n, _)| n.starts_with("inbox/")).count();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    format!("{inbox} 个报送文件，共 {:.1} MB", bytes as f64 / 1_048_576.0)
}
