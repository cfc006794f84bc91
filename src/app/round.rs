//! Loading one round, shared by `run` and `status`: discover and parse the inbox (the
//! registry loads meanwhile), validate every file, and merge with the previous round.

use super::{load_registry, Printer, Setup};
use crate::config::{Config, Round};
use crate::ingest::{self, Candidate, LoadedFile};
use crate::merge::{self, FileRecord, MergeInputs, Outcome, PreviousRound, RoundReport};
use crate::validate::{self, CheckedFile, Context};
use anyhow::{anyhow, bail, Context as _, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Wall time of each stage of a run in seconds, printed with `--timings` (for benchmarks).
#[derive(Debug, serde::Serialize)]
pub(super) struct Timings {
    #[serde(skip)]
    mark: std::time::Instant,
    files: usize,
    bytes: u64,
    pub(super) setup: f64,
    discover: f64,
    ingest: f64,
    validate: f64,
    merge: f64,
    pub(super) render: f64,
    pub(super) write: f64,
}

impl Timings {
    pub(super) fn start() -> Timings {
        Timings {
            mark: std::time::Instant::now(),
            files: 0,
            bytes: 0,
            setup: 0.0,
            discover: 0.0,
            ingest: 0.0,
            validate: 0.0,
            merge: 0.0,
            render: 0.0,
            write: 0.0,
        }
    }

    /// Seconds since the previous lap.
    pub(super) fn lap(&mut self) -> f64 {
        let now = std::time::Instant::now();
        let seconds = (now - self.mark).as_secs_f64();
        self.mark = now;
        seconds
    }
}

/// The files of a round's inbox, read and parsed (not yet validated).
pub(super) struct Inbox {
    discovery: ingest::Discovery,
    loaded: Vec<LoadedFile>,
}

/// Discovers and parses one round's inbox; needs the configuration but not the registry, so
/// the registry can load meanwhile.
fn read_inbox(
    config: &Config,
    round: &Round,
    inbox: &Path,
    printer: &Printer,
    timings: &mut Timings,
) -> Result<Inbox> {
    let inbox = round_inbox(inbox, round);
    if !inbox.is_dir() {
        bail!("收件箱文件夹 `{}` 不存在或无法读取", inbox.display());
    }
    let other_rounds: Vec<&str> = config
        .rounds
        .iter()
        .map(|r| r.id.as_str())
        .filter(|id| *id != round.id)
        .collect();
    let discovery = ingest::discover(&inbox, &other_rounds)
        .with_context(|| format!("无法读取收件箱 `{}`", inbox.display()))?;
    timings.discover = timings.lap();
    let progress = printer.progress(discovery.candidates.len() as u64, "读取文件");
    let loaded: Vec<LoadedFile> = discovery
        .candidates
        .par_iter()
        .map(|c| {
            let file = ingest::load_file(c, &config.limits);
            progress.inc(1);
            file
        })
        .collect();
    progress.finish_and_clear();
    timings.bytes = loaded.iter().map(|f| f.size).sum();
    timings.files = loaded.len();
    timings.ingest = timings.lap();
    Ok(Inbox { discovery, loaded })
}

/// Loads the registry while the round's inbox is read and parsed.
pub(super) fn load_with_inbox(
    config: Config,
    round: &Round,
    inbox: &Path,
    printer: &Printer,
    timings: &mut Timings,
) -> Result<(Setup, Inbox)> {
    // A thread of its own: parsing waits on the worker processes, so this overlaps even with
    // `--jobs 1`.
    let (registry, read) = std::thread::scope(|scope| {
        let registry = scope.spawn(|| load_registry(&config));
        let read = read_inbox(&config, round, inbox, printer, timings);
        let registry = registry
            .join()
            .unwrap_or_else(|_| Err(anyhow!("读取任务清单时发生内部错误")));
        (registry, read)
    });
    let setup = Setup {
        registry: registry?,
        config,
    };
    Ok((setup, read?))
}

/// Validates and merges a round's parsed files. `outbox` supplies the previous round's result.
pub(super) fn consolidate(
    setup: &Setup,
    round: &Round,
    inbox: Inbox,
    outbox: &Path,
    timings: &mut Timings,
) -> RoundReport {
    let ctx = Context {
        registry: &setup.registry,
        config: &setup.config,
        round,
    };
    let Inbox { discovery, loaded } = inbox;
    let files: Vec<CheckedFile> = loaded
        .into_par_iter()
        .map(|f| validate::check_loaded(f, &ctx))
        .collect();
    timings.validate = timings.lap();
    let skipped = discovery.skipped.iter().map(|(c, _)| skipped_record(c)).collect();
    let previous = setup
        .config
        .previous_round(round)
        .and_then(|p| std::fs::read_to_string(outbox.join(&p.id).join("roundup.json")).ok())
        .and_then(|text| PreviousRound::from_json(&text));
    let mut report = merge::merge(
        MergeInputs {
            files,
            skipped,
            previous,
        },
        &ctx,
    );
    if let (Some(scores), Some(settings)) = (report.assessment.as_mut(), &setup.config.assessment) {
        merge::assessment::cumulate(
            scores,
            &round.id,
            &earlier_rounds(&setup.config, round, outbox),
            settings,
        );
    }
    timings.merge = timings.lap();
    report
}

/// The assessment facts of every earlier round whose `roundup.json` is in the outbox.
fn earlier_rounds(config: &Config, round: &Round, outbox: &Path) -> Vec<merge::assessment::EarlierRound> {
    config
        .rounds
        .iter()
        .take_while(|r| r.id != round.id)
        .filter_map(|r| std::fs::read_to_string(outbox.join(&r.id).join("roundup.json")).ok())
        .filter_map(|text| merge::assessment::EarlierRound::from_json(&text))
        .collect()
}

/// `inbox/<round>/` when it exists, else `inbox/`.
fn round_inbox(inbox: &Path, round: &Round) -> PathBuf {
    let sub = inbox.join(&round.id);
    if sub.is_dir() {
        sub
    } else {
        inbox.to_path_buf()
    }
}

/// The manifest's record of a file that discovery skipped.
fn skipped_record(c: &Candidate) -> FileRecord {
    let size = std::fs::symlink_metadata(&c.path).map(|m| m.len()).unwrap_or(0);
    FileRecord {
        path: c.rel.clone(),
        size,
        sha256: String::new(),
        unit: None,
        kind: None,
        outcome: Outcome::Skipped,
    }
}
