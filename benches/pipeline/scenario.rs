//! The benchmark's driver: builds, generates or reuses each workload, runs and reports it.

use crate::report::{self, ScenarioResult};
use crate::runs::{self, Reference, Run, Workload};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Runs the scenarios named in `args` (cargo bench passes `--bench`; without it, nothing).
pub fn main(args: &[String]) {
    if !args.iter().any(|a| a == "--bench") {
        println!("pipeline: run with `cargo bench --bench pipeline -- [city|province|stress|all]`");
        return;
    }
    if let Err(e) = run(args) {
        eprintln!("pipeline bench failed: {e:#}");
        std::process::exit(2);
    }
}

const SCENARIOS: [&str; 3] = ["city", "province", "stress"];

fn run(args: &[String]) -> Result<()> {
    let names = scenarios(args)?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = target_dir(root);
    let roundup = build(root, &target)?;
    let reference = find_reference(root);
    for name in &names {
        let result = bench(&target, &roundup, reference.as_ref(), name)?;
        report::print(&result);
        save(&target, &result)?;
    }
    print_saved_growth(&target);
    Ok(())
}

/// The scenarios named on the command line (cargo's own flags skipped); `all` or none: all.
fn scenarios(args: &[String]) -> Result<Vec<String>> {
    let named: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if named.is_empty() || named.iter().any(|a| *a == "all") {
        return Ok(SCENARIOS.iter().map(|s| (*s).to_owned()).collect());
    }
    for name in &named {
        if !SCENARIOS.contains(&name.as_str()) {
            bail!("unknown scenario `{name}` (city, province, stress or all)");
        }
    }
    Ok(named.into_iter().cloned().collect())
}

fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), PathBuf::from)
}

/// Builds the release binary and the generator (unless told not to); returns the binary.
fn build(root: &Path, target: &Path) -> Result<PathBuf> {
    if std::env::var_os("ROUNDUP_BENCH_NO_BUILD").is_none() {
        cargo(root, &["build", "--release", "--bin", "roundup"])?;
        cargo(root, &["build", "--release", "--example", "generate"])?;
    }
    let bin = target.join("release/roundup");
    if !bin.is_file() {
        bail!("{} is missing: run `cargo build --release` first", bin.display());
    }
    Ok(bin)
}

fn cargo(root: &Path, args: &[&str]) -> Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo).args(args).current_dir(root).status()?;
    if !status.success() {
        bail!("`cargo {}` failed", args.join(" "));
    }
    Ok(())
}

/// The reference pipeline, or `None` (with the reason printed) when it cannot run here.
fn find_reference(root: &Path) -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("ROUNDUP_REFERENCE").map(PathBuf::from),
        Some(root.join("../shared/tools/reference_pipeline.py")),
        Some(PathBuf::from("/work/shared/tools/reference_pipeline.py")),
    ];
    let Some(script) = candidates.into_iter().flatten().find(|p| p.is_file()) else {
        println!("reference pipeline skipped: reference_pipeline.py not found (set ROUNDUP_REFERENCE)");
        return None;
    };
    let imports = Command::new("python3")
        .args(["-c", "import openpyxl, xlrd, python_calamine, docx"])
        .output();
    match imports {
        Ok(out) if out.status.success() => Some(script),
        Ok(_) => {
            println!("reference pipeline skipped: python3 lacks openpyxl, xlrd, python-calamine or python-docx (pip install openpyxl xlrd python-calamine python-docx)");
            None
        }
        Err(e) => {
            println!("reference pipeline skipped: python3 not available ({e})");
            None
        }
    }
}

/// Repetitions per measured command: best of 3, or 1 for stress.
fn reps(name: &str) -> usize {
    if name == "stress" {
        1
    } else {
        3
    }
}

fn bench(target: &Path, roundup: &Path, reference: Option<&PathBuf>, name: &str) -> Result<ScenarioResult> {
    let w = prepare(target, roundup, name)?;
    let mut result = ScenarioResult {
        name: name.to_owned(),
        files: w.files.len(),
        bytes: w
            .files
            .iter()
            .filter_map(|f| f.metadata().ok())
            .map(|m| m.len())
            .sum(),
        load_before: load_average(),
        ..ScenarioResult::default()
    };
    println!("{name}: measuring (load average {})", result.load_before);
    for jobs in [1, 2] {
        result.roundup.push(runs::roundup(&w, jobs, reps(name))?);
    }
    result.floor = [1, 2].iter().map(|&n| runs::floor(&w, n, reps(name))).collect();
    result.reference = match reference {
        Some(script) => reference_runs(&w, script, name)?,
        None => vec![Run::skipped(
            "reference",
            0,
            "skipped: python packages absent".into(),
        )],
    };
    result.load_after = load_average();
    Ok(result)
}

/// The reference at 2 then 1 workers. Stress runs once each under a 15-minute limit, and
/// `--workers 1` is not run when `--workers 2` already took more than half of it.
fn reference_runs(w: &Workload, script: &Path, name: &str) -> Result<Vec<Run>> {
    let minutes = if name == "stress" { 15 } else { 60 };
    let r = Reference {
        script: script.to_path_buf(),
        limit: Duration::from_secs(minutes * 60),
    };
    let reps = if name == "city" { 3 } else { 1 };
    println!("{name}: running the reference pipeline (limit {minutes} min per run)");
    let two = runs::reference(w, &r, 2, reps)?;
    let too_slow = two.best().is_none_or(|b| b * 2.0 > r.limit.as_secs_f64());
    let one = if name == "stress" && too_slow {
        let note = format!(
            "not run: --workers 2 took {:?} s, so --workers 1 would pass {minutes} min",
            two.best()
        );
        Run::skipped("reference", 1, note)
    } else {
        runs::reference(w, &r, 1, reps)?
    };
    Ok(vec![one, two])
}

/// Generates the workload unless already there, writes `registry.json` for the reference, and
/// lists the inbox.
fn prepare(target: &Path, roundup: &Path, name: &str) -> Result<Workload> {
    let dir = target.join("bench").join(name);
    if !dir.join(".generated").is_file() {
        generate(target, &dir, name)?;
    } else if is_newer(&target.join("release/examples/generate"), &dir.join(".generated")) {
        println!(
            "{name}: note: the generator is newer than this workload; delete {} to regenerate",
            dir.display()
        );
    }
    let registry = dir.join("registry.json");
    if !registry.is_file() {
        write_registry(roundup, &dir, &registry)?;
    }
    let mut files = Vec::new();
    list_files(&dir.join("inbox"), &mut files)?;
    files.sort();
    Ok(Workload {
        dir,
        roundup: roundup.to_path_buf(),
        files,
    })
}

fn generate(target: &Path, dir: &Path, name: &str) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    let generator = target.join("release/examples/generate");
    println!("{name}: generating the workload into {}", dir.display());
    let start = Instant::now();
    let status = Command::new(&generator)
        .args(["workload", name])
        .arg(dir)
        .status()
        .with_context(|| format!("cannot run {}", generator.display()))?;
    if !status.success() {
        bail!("the generator failed for `{name}` ({status})");
    }
    std::fs::write(dir.join(".generated"), "")?;
    println!("{name}: generated in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}

/// Whether `a` was modified after `b` (false when either is missing).
fn is_newer(a: &Path, b: &Path) -> bool {
    let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
    matches!((modified(a), modified(b)), (Some(a), Some(b)) if a > b)
}

fn write_registry(roundup: &Path, dir: &Path, registry: &Path) -> Result<()> {
    let out = Command::new(roundup)
        .args(["tasks", "list", "--format", "json", "--config"])
        .arg(dir.join("templates/roundup.toml"))
        .output()?;
    if !out.status.success() {
        bail!(
            "`roundup tasks list` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    std::fs::write(registry, out.stdout)?;
    Ok(())
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            list_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn save(target: &Path, result: &ScenarioResult) -> Result<()> {
    let path = target.join("bench").join(&result.name).join("results.json");
    std::fs::write(&path, serde_json::to_string_pretty(result)?)?;
    println!("saved {}", path.display());
    Ok(())
}

/// Province → stress growth from the saved results (of this or an earlier invocation).
fn print_saved_growth(target: &Path) {
    let load = |name: &str| -> Option<ScenarioResult> {
        let text = std::fs::read_to_string(target.join("bench").join(name).join("results.json")).ok()?;
        serde_json::from_str(&text).ok()
    };
    if let (Some(province), Some(stress)) = (load("province"), load("stress")) {
        report::print_growth(&province, &stress);
    }
}
