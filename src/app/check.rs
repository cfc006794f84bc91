//! `roundup check`: validate files or folders and report, compiler-style or as JSON; writes
//! nothing.

use super::{configure_threads, load_setup, pick_round, Printer, RunStatus};
use crate::cli::{CheckArgs, Format};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::ingest::{self, Candidate};
use crate::text::sanitize::display_name;
use crate::validate::{self, Context, FileResult};
use anyhow::{bail, Context as _, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Validates the given paths and prints the result on standard output.
pub(super) fn check(args: &CheckArgs, printer: &Printer) -> Result<RunStatus> {
    let setup = load_setup(&args.config.config)?;
    let from_paths = match &args.round {
        Some(_) => None,
        None => round_of_paths(&setup.config, &args.paths)?,
    };
    let round = pick_round(&setup.config, args.round.as_deref().or(from_paths), None)?;
    if args.round.is_none() {
        printer.status(format!("按轮次 {}（{}）校验", round.title, round.id));
    }
    configure_threads(args.jobs);
    let ctx = Context {
        registry: &setup.registry,
        config: &setup.config,
        round,
    };
    let candidates = candidates(&args.paths)?;
    let results: Vec<FileResult> = candidates
        .par_iter()
        .map(|c| validate::check_loaded(ingest::load_file(c, &ctx.config.limits), &ctx).result)
        .collect();
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => write_check_json(&mut out, &results)?,
        Format::Text => write_check_text(&mut out, &results)?,
    }
    Ok(RunStatus::from_issues(
        results.iter().flat_map(|r| &r.diagnostics),
    ))
}

/// The round whose folder the paths name (`inbox/2024Q2/…`, the innermost such folder of
/// each path, as given or else as resolved), or `None`; paths in different rounds' folders
/// are an error (contract §7).
fn round_of_paths<'a>(config: &'a Config, paths: &[PathBuf]) -> Result<Option<&'a str>> {
    let round_in = |path: &Path| {
        path.components()
            .rev()
            .find_map(|c| config.round(&c.as_os_str().to_string_lossy()))
            .map(|r| r.id.as_str())
    };
    let mut found: Vec<&str> = paths
        .iter()
        .filter_map(|p| round_in(p).or_else(|| round_in(&std::path::absolute(p).ok()?)))
        .collect();
    found.sort_unstable();
    found.dedup();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        several => bail!(
            "要校验的路径属于不同轮次的文件夹（{}），请用 --round 指定轮次",
            several.join("、")
        ),
    }
}

/// The files named on the command line, folders expanded as the inbox would be.
fn candidates(paths: &[PathBuf]) -> Result<Vec<Candidate>> {
    let mut candidates = Vec::new();
    for path in paths {
        if path.is_dir() {
            let d = ingest::discover(path, &[])
                .with_context(|| format!("无法读取 `{}`", display_name(&path.display().to_string())))?;
            candidates.extend(d.candidates);
        } else {
            let rel = path
                .file_name()
                .map(ingest::discover::display_name)
                .unwrap_or_default();
            candidates.push(Candidate::new(rel, path.clone()));
        }
    }
    Ok(candidates)
}

/// `{"files": [{"path", "unit", "kind", "rows"}], "issues": [...]}` (contract §7).
fn write_check_json(out: &mut impl Write, results: &[FileResult]) -> Result<()> {
    let files: Vec<serde_json::Value> = results
        .iter()
        .map(|r| serde_json::json!({"path": r.file, "unit": r.unit, "kind": r.kind, "rows": r.rows.len()}))
        .collect();
    let issues: Vec<&Diagnostic> = results.iter().flat_map(|r| &r.diagnostics).collect();
    serde_json::to_writer_pretty(&mut *out, &serde_json::json!({"files": files, "issues": issues}))?;
    writeln!(out)?;
    Ok(())
}

/// Compiler-style diagnostics grouped by file, then a count by code.
fn write_check_text(out: &mut impl Write, results: &[FileResult]) -> Result<()> {
    let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
    for r in results {
        let unit = r.unit.as_deref().unwrap_or("单位未识别");
        writeln!(
            out,
            "{}（{}，{}，{} 行）",
            display_name(&r.file),
            display_name(unit),
            r.kind.label(),
            r.rows.len()
        )?;
        for d in &r.diagnostics {
            *by_code.entry(d.code.as_str()).or_default() += 1;
            write_diagnostic(out, &r.file, d)?;
        }
        writeln!(out)?;
    }
    let total: usize = by_code.values().sum();
    writeln!(out, "共 {} 个文件，{} 个问题", results.len(), total)?;
    for (code, n) in by_code {
        writeln!(out, "  {code}: {n}")?;
    }
    Ok(())
}

/// One diagnostic: `level[code]: message`, then where, then the hint. Names and quoted
/// texts are printed with control characters escaped, so a file name cannot forge lines or
/// send codes to the terminal.
fn write_diagnostic(out: &mut impl Write, file: &str, d: &Diagnostic) -> Result<()> {
    writeln!(
        out,
        "{}[{}]: {}",
        d.level.as_str(),
        d.code,
        display_name(&d.message)
    )?;
    let mut place = format!("  --> {}", display_name(file));
    if let Some(loc) = &d.location {
        place.push(' ');
        place.push_str(&display_name(loc));
    }
    if let Some(task) = d.task {
        place.push_str(&format!(" (任务{task})"));
    }
    writeln!(out, "{place}")?;
    if let Some(s) = &d.suggestion {
        writeln!(out, "  = 提示：{}", display_name(s))?;
    }
    Ok(())
}
