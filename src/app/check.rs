//! `roundup check`: validate files or folders and report, compiler-style or as JSON; writes
//! nothing. Without `--round`, a file lying in a round's folder (`…/2024Q3/x.xlsx`) is checked
//! against that round (contract §7), any other against the default round.

use super::{load_setup, pick_round, RunStatus};
use crate::cli::{CheckArgs, Format};
use crate::config::{Config, Round};
use crate::diag::Diagnostic;
use crate::ingest::{self, Candidate};
use crate::validate::{self, Context, FileResult};
use anyhow::{Context as _, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Validates the given paths and prints the result on standard output.
pub(super) fn check(args: &CheckArgs) -> Result<RunStatus> {
    let setup = load_setup(&args.config.config)?;
    let default_round = pick_round(&setup.config, args.round.as_deref())?;
    let candidates = candidates(&args.paths)?;
    let results: Vec<FileResult> = candidates
        .par_iter()
        .map(|c| {
            let round = match args.round {
                Some(_) => default_round,
                None => round_folder(&c.path, &setup.config).unwrap_or(default_round),
            };
            let ctx = Context {
                registry: &setup.registry,
                config: &setup.config,
                round,
            };
            validate::check_loaded(ingest::load_file(c, &setup.config.limits), &ctx).result
        })
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

/// The round whose folder `path` lies in (the innermost folder named like a configured
/// round), if any.
fn round_folder<'c>(path: &Path, config: &'c Config) -> Option<&'c Round> {
    let full = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let folders = full.parent()?.components().rev();
    folders
        .filter_map(|c| c.as_os_str().to_str())
        .find_map(|name| config.round(name))
}

/// The files named on the command line, folders expanded as the inbox would be.
fn candidates(paths: &[PathBuf]) -> Result<Vec<Candidate>> {
    let mut candidates = Vec::new();
    for path in paths {
        if path.is_dir() {
            let d = ingest::discover(path, &[]).with_context(|| format!("无法读取 `{}`", path.display()))?;
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
            r.file,
            unit,
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

/// One diagnostic: `level[code]: message`, then where, then the hint.
fn write_diagnostic(out: &mut impl Write, file: &str, d: &Diagnostic) -> Result<()> {
    writeln!(out, "{}[{}]: {}", d.level.as_str(), d.code, d.message)?;
    let mut place = format!("  --> {file}");
    if let Some(loc) = &d.location {
        place.push(' ');
        place.push_str(loc);
    }
    if let Some(task) = d.task {
        place.push_str(&format!(" (任务{task})"));
    }
    writeln!(out, "{place}")?;
    if let Some(s) = &d.suggestion {
        writeln!(out, "  = 提示：{s}")?;
    }
    Ok(())
}
