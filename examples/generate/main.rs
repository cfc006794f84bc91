//! `generate`: writes the sample round shipped in `inbox/` and the synthetic benchmark
//! workloads, with the project's own writers (rust_xlsxwriter, docx-rs) and registry.
//!
//! ```text
//! cargo run --release --example generate -- sample <dir>
//! cargo run --release --example generate -- workload <city|province|stress> <dir>
//! cargo run --release --example generate -- legacy-sources <dir>
//! options: --config FILE   (default: templates/roundup.toml of this repository)
//! ```
//!
//! **sample** writes `<dir>/2024Q2/` — the files of round 2024Q2 (2024年第二季度, deadline
//! 2024-07-10) from 32 of the 35 lead units of the shipped registry — and `<dir>/README.md`,
//! a Chinese list of what each file demonstrates and of the planted mistakes. The plan is the
//! table `sample::SPECS`: per unit, its spreadsheet look (`submission::Look`: canonical form,
//! merged titles, synonym headers, shuffled and extra columns, full-width digits, `第5项` ids,
//! `80%` / percent-formatted 0.8, status synonyms, 合计 and signature rows, 填报说明 and
//! hidden sheets), its Word report style (`任务N：` / `（任务N）` / `【任务N】`, section
//! names, a progress table), its 填报日期, and planted mistakes: an invalid status (市商务局,
//! task 46), a percent of 120 (市发改委, 52), 已完成 at 60% (江北新区, 36), an unknown task
//! 105 (人行南京营管部), another unit's task (市科技局 reports 5), a missing task (市教育局, 18),
//! a superseded draft (市工信局), a late file (市文旅局, 7月15日) and a stale file naming
//! 2024年第一季度 (市卫健委). 市统计局, 市民政局 and 南京边检站 send nothing. Three Word
//! reports are Word 97–2003 files (市规划和自然资源局 and 市委网信办 `.doc`, 市医保局 `.wps`):
//! the generator's `.docx` saved once by LibreOffice and committed in `legacy/` (module
//! `legacy`), so the generator itself never needs LibreOffice. Regenerate the committed inbox
//! with `cargo run --release --example generate -- sample inbox`; `tests/sample_inbox.rs`
//! checks that it is byte-identical, that each `.doc`/`.wps` reads like the `.docx` the
//! generator makes for it now, and what `roundup run` finds. After a change to the
//! generator's reports, `examples/generate/legacy/refresh.sh` (needs `soffice`) converts
//! them again (their `.docx` come from `generate -- legacy-sources <dir>`) and rewrites the
//! inbox.
//!
//! **workload** writes `<dir>/templates/{roundup.toml,tasks.toml,bulletin.j2}` (the
//! configuration and template copied from this repository, `registry = "tasks.toml"`) and
//! `<dir>/inbox/` with one spreadsheet and one Word report per lead unit: `city` = the
//! shipped 104-task registry (35 units, 70 files), `province` = 5,000 synthetic tasks over 500
//! units (1,000 files), `stress` = 20,000 tasks over 2,000 units (4,000 files). Benchmark with
//! `roundup run --config <dir>/templates/roundup.toml --inbox <dir>/inbox --round 2024Q2
//! --outbox <dir>/outbox`.
//!
//! Everything is deterministic: texts come from a seeded splitmix64 (`rng`), document
//! creation times are fixed, zip entries carry the zip format's default time, and nothing
//! reads the clock, so the same command writes the same bytes. Texts are derived from the
//! task text (its clauses and a topic phrase) and phrase tables (`texts`), with status,
//! percent and counts drawn per task so the spreadsheet and the report agree.

mod docx;
mod layout;
mod legacy;
mod registry;
mod rng;
mod sample;
mod submission;
mod texts;
mod workload;
mod xlsx;

use roundup::config::Config;
use roundup::registry::Registry;
use std::path::{Path, PathBuf};

/// The shipped configuration of this repository.
pub fn default_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/roundup.toml")
}

/// Loads the configuration and its registry (delegations applied).
pub fn load(config_path: &Path) -> Result<(Config, Registry), String> {
    let config = Config::load(config_path).map_err(|e| e.to_string())?;
    let registry = Registry::load(&config.registry_path, &config.aliases)
        .map_err(|e| e.to_string())?
        .with_delegates(&config.delegated_units);
    Ok((config, registry))
}

/// Every file of the sample round (`2024Q2/…` and `README.md`).
pub fn sample_files(config_path: &Path) -> Result<Vec<sample::OutFile>, String> {
    let (config, registry) = load(config_path)?;
    sample::all_files(&config, &registry)
}

/// The `.docx` sources of the sample's Word 97–2003 reports, named `<inbox name>.docx`.
pub fn legacy_sources(config_path: &Path) -> Result<Vec<sample::OutFile>, String> {
    let (config, registry) = load(config_path)?;
    sample::legacy_sources(&config, &registry)
}

/// Every file of a workload (`templates/…` and `inbox/…`).
pub fn workload_files(kind: &str, config_path: &Path) -> Result<Vec<sample::OutFile>, String> {
    let kind = workload::Kind::parse(kind)
        .ok_or_else(|| format!("未知的规模“{kind}”，可选：city、province、stress"))?;
    let (config, registry) = load(config_path)?;
    workload::all_files(kind, &config, &registry)
}

/// Writes files under `dir` (in parallel; folders created as needed).
pub fn write_files(dir: &Path, files: &[sample::OutFile]) -> Result<(), String> {
    use rayon::prelude::*;
    files.par_iter().try_for_each(|(name, bytes)| {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("无法创建 {}：{e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("无法写入 {}：{e}", path.display()))
    })
}

const USAGE: &str = "用法：\n  generate sample <目录> [--config FILE]\n  generate workload <city|province|stress> <目录> [--config FILE]\n  generate legacy-sources <目录> [--config FILE]";

/// Parsed command line.
struct Args {
    words: Vec<String>,
    config: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut words = Vec::new();
    let mut config = default_config();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--config" => config = args.next().map(PathBuf::from).ok_or(USAGE)?,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ => words.push(arg),
        }
    }
    Ok(Args { words, config })
}

fn run() -> Result<String, String> {
    let args = parse_args()?;
    let words: Vec<&str> = args.words.iter().map(String::as_str).collect();
    match words[..] {
        ["sample", dir] => {
            let files = sample_files(&args.config)?;
            write_files(Path::new(dir), &files)?;
            Ok(format!("已生成示例收件箱：{} 个文件 → {dir}", files.len()))
        }
        ["legacy-sources", dir] => {
            let files = legacy_sources(&args.config)?;
            write_files(Path::new(dir), &files)?;
            Ok(format!(
                "已生成 {} 份待 LibreOffice 转换的 .docx 工作报告 → {dir}",
                files.len()
            ))
        }
        ["workload", kind, dir] => {
            let files = workload_files(kind, &args.config)?;
            write_files(Path::new(dir), &files)?;
            Ok(format!(
                "已生成 {kind} 规模测试数据：{} → {dir}",
                workload::describe(&files)
            ))
        }
        _ => Err(USAGE.to_owned()),
    }
}

fn main() -> std::process::ExitCode {
    match run() {
        Ok(message) => {
            eprintln!("{message}");
            std::process::ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            std::process::ExitCode::from(2)
        }
    }
}
