//! The measured runs of one scenario: roundup end to end at 1 and 2 threads, the Python
//! reference pipeline at 1 and 2 workers, and the decompression floor at 1 and 2 threads.
//! Each keeps its best wall time, the peak memory over its repetitions and, for roundup, the
//! per-stage times it prints with `--timings`.

use crate::child::{kib_to_mb, measure, Measured};
use crate::floor::{decompress_all, Floor};
use anyhow::{bail, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// The round every generated workload is for.
pub const ROUND: &str = "2024Q2";

/// Per-stage wall seconds, as `roundup run --timings` prints them.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Stages {
    /// Files read.
    pub files: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Loading the configuration (the registry loads during ingest).
    pub setup: f64,
    /// Listing the inbox.
    pub discover: f64,
    /// Reading and parsing the files.
    pub ingest: f64,
    /// Validating against the registry.
    pub validate: f64,
    /// Merging per task.
    pub merge: f64,
    /// Rendering workbooks, bulletin and JSON.
    pub render: f64,
    /// Writing the outputs.
    pub write: f64,
}

/// The best of a few repetitions of one command, or why it was not run.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Run {
    /// `roundup` or `reference`.
    pub tool: String,
    /// `--jobs` / `--workers`.
    pub threads: usize,
    /// Wall seconds of every repetition, in order.
    pub walls: Vec<f64>,
    /// Peak memory over the repetitions, MB (larger of the single-process and group figures).
    pub peak_mb: f64,
    /// Peak RSS of the largest single process, MB.
    pub rss_proc_mb: f64,
    /// Sampled peak of the process group's summed RSS, MB.
    pub rss_group_mb: f64,
    /// Stage times of the fastest repetition (roundup only).
    pub stages: Option<Stages>,
    /// Set when the run was skipped, failed or timed out.
    pub note: Option<String>,
}

impl Run {
    /// The best wall time, if it ran.
    pub fn best(&self) -> Option<f64> {
        self.walls.iter().copied().reduce(f64::min)
    }

    /// A run that did not happen, with the reason.
    pub fn skipped(tool: &str, threads: usize, note: String) -> Run {
        Run {
            tool: tool.to_owned(),
            threads,
            note: Some(note),
            ..Run::default()
        }
    }

    fn record(&mut self, m: &Measured, stages: Option<Stages>) {
        let faster = self.best().is_none_or(|b| m.wall < b);
        self.walls.push(m.wall);
        self.peak_mb = self.peak_mb.max(m.peak_mb());
        self.rss_proc_mb = self.rss_proc_mb.max(kib_to_mb(m.rss_proc_kib));
        self.rss_group_mb = self.rss_group_mb.max(kib_to_mb(m.rss_group_kib));
        if faster && stages.is_some() {
            self.stages = stages;
        }
    }
}

/// Where a scenario's workload lives and what the runs need.
pub struct Workload {
    /// `target/bench/<scenario>/`.
    pub dir: PathBuf,
    /// The release `roundup` binary.
    pub roundup: PathBuf,
    /// Every file in the inbox, sorted.
    pub files: Vec<PathBuf>,
}

impl Workload {
    fn inbox(&self) -> PathBuf {
        self.dir.join("inbox")
    }

    fn outbox(&self, name: &str) -> Result<PathBuf> {
        let out = self.dir.join("out").join(name);
        if out.exists() {
            std::fs::remove_dir_all(&out)?;
        }
        std::fs::create_dir_all(&out)?;
        Ok(out)
    }
}

/// `roundup run … --jobs N --timings`, `reps` times.
pub fn roundup(w: &Workload, jobs: usize, reps: usize) -> Result<Run> {
    let mut run = Run::skipped("roundup", jobs, String::new());
    run.note = None;
    for _ in 0..reps {
        let outbox = w.outbox(&format!("roundup-j{jobs}"))?;
        let m = measure(
            Command::new(&w.roundup)
                .args(["run", "--round", ROUND, "--quiet", "--timings", "--jobs"])
                .arg(jobs.to_string())
                .arg("--inbox")
                .arg(w.inbox())
                .arg("--outbox")
                .arg(&outbox)
                .arg("--config")
                .arg(w.dir.join("templates/roundup.toml")),
            Duration::from_secs(30 * 60),
        )?;
        if !matches!(m.exit, Some(0 | 1)) {
            bail!(
                "roundup --jobs {jobs} failed ({:?}):\n{}",
                m.exit,
                tail(&m.stderr)
            );
        }
        run.record(&m, parse_stages(&m.stderr));
    }
    Ok(run)
}

/// The last line of `stderr` that is the `--timings` JSON object.
fn parse_stages(stderr: &str) -> Option<Stages> {
    stderr
        .lines()
        .rev()
        .filter(|l| l.trim_start().starts_with('{') && l.contains("\"ingest\""))
        .find_map(|l| serde_json::from_str(l).ok())
}

fn tail(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

/// The Python reference pipeline and how long one run may take.
pub struct Reference {
    /// `reference_pipeline.py`.
    pub script: PathBuf,
    /// Time limit of one run.
    pub limit: Duration,
}

/// The reference pipeline at `--workers N`, `reps` times; a run past the limit is killed and
/// reported as not run.
pub fn reference(w: &Workload, r: &Reference, workers: usize, reps: usize) -> Result<Run> {
    let mut run = Run::skipped("reference", workers, String::new());
    run.note = None;
    for _ in 0..reps {
        let outbox = w.outbox(&format!("reference-w{workers}"))?;
        let m = measure(&mut reference_command(w, r, workers, &outbox), r.limit)?;
        if m.timed_out {
            let note = format!("not run: killed after {} min", r.limit.as_secs() / 60);
            return Ok(Run::skipped("reference", workers, note));
        }
        if !matches!(m.exit, Some(0 | 1)) {
            let note = format!("failed ({:?}): {}", m.exit, tail(&m.stderr));
            return Ok(Run::skipped("reference", workers, note));
        }
        run.record(&m, None);
    }
    Ok(run)
}

fn reference_command(w: &Workload, r: &Reference, workers: usize, outbox: &Path) -> Command {
    let mut cmd = Command::new("python3");
    cmd.arg(&r.script)
        .args(["run", "--round", ROUND, "--inbox"])
        .arg(w.inbox())
        .arg("--outbox")
        .arg(outbox)
        .arg("--registry")
        .arg(w.dir.join("registry.json"))
        .arg("--workers")
        .arg(workers.to_string());
    cmd
}

/// The decompression floor on `threads` threads, best of `reps`.
pub fn floor(w: &Workload, threads: usize, reps: usize) -> Floor {
    (0..reps.max(1))
        .map(|_| decompress_all(&w.files, threads))
        .reduce(|a, b| if b.wall < a.wall { b } else { a })
        .unwrap_or_default()
}
