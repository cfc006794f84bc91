//! Loading one round, shared by `run` and `status`: discover and parse the inbox (the
//! registry loads meanwhile), validate every file, and merge with the previous round.
//!
//! When the inbox holds the round's folder (`inbox/2024Q3/`), that folder is read and every
//! other file in the inbox is listed as skipped with `misplaced-file` (contract §4). An
//! outbox inside the inbox, and the outputs an earlier run wrote there, are never read.

use super::{load_registry, Printer, Setup};
use crate::config::{Config, Round};
use crate::diag::{Code, Diagnostic};
use crate::ingest::{self, discover::Exclusions, Candidate, LoadedFile};
use crate::merge::{self, FileRecord, MergeInputs, Outcome, PreviousRound, RoundReport};
use crate::validate::{self, CheckedFile, Context};
use anyhow::{anyhow, bail, Context as _, Result};
use rayon::prelude::*;
use std::borrow::Cow;
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
    /// Files outside the round's folder, not read (paths relative to the round's folder).
    misplaced: Vec<Candidate>,
}

/// Where a round's files are read from.
struct Layout {
    /// `inbox/<round>/` when the inbox holds the round's folder, else `inbox/`.
    dir: PathBuf,
    /// The inbox itself, when `dir` is the round's folder (its other files are misplaced).
    root: Option<PathBuf>,
    /// What is never read: other rounds' folders, the outbox and its outputs.
    exclusions: Exclusions,
}

/// Where the round's files are: its folder in the inbox when there is one that is not only
/// roundup's own outputs (`--outbox` the same as `--inbox`), else the inbox.
fn layout(config: &Config, round: &Round, inbox: &Path, outbox: Option<&Path>) -> Layout {
    let ids: Vec<&str> = config.rounds.iter().map(|r| r.id.as_str()).collect();
    let paths = outbox.map_or_else(Vec::new, |o| ingest::discover::outbox_exclusions(inbox, o, &ids));
    let other_rounds = ids
        .iter()
        .filter(|id| **id != round.id)
        .map(|id| (*id).to_owned());
    let exclusions = Exclusions {
        dir_names: other_rounds.collect(),
        paths,
    };
    let sub = inbox.join(&round.id);
    if sub.is_dir() && !only_outputs(&sub, &exclusions) {
        return Layout {
            dir: sub,
            root: Some(inbox.to_path_buf()),
            exclusions,
        };
    }
    Layout {
        dir: inbox.to_path_buf(),
        root: None,
        exclusions,
    }
}

/// True when `dir` holds an earlier run's manifest and nothing but the outputs it lists.
fn only_outputs(dir: &Path, exclusions: &Exclusions) -> bool {
    let manifest = dir.join("manifest.json").canonicalize();
    let has_manifest = manifest.is_ok_and(|m| exclusions.paths.contains(&m));
    has_manifest
        && ingest::discover::discover_excluding(dir, exclusions).is_ok_and(|d| d.candidates.is_empty())
}

/// The files elsewhere in the inbox than the round's folder (not in any round's folder, the
/// outbox or its outputs), with paths relative to the round's folder (`../x.xlsx`); junk
/// (lock files, OS files) is left out as everywhere.
fn misplaced(layout: &Layout, config: &Config) -> Vec<Candidate> {
    let Some(root) = &layout.root else {
        return Vec::new();
    };
    let exclusions = Exclusions {
        dir_names: config.rounds.iter().map(|r| r.id.clone()).collect(),
        paths: layout.exclusions.paths.clone(),
    };
    let Ok(found) = ingest::discover::discover_excluding(root, &exclusions) else {
        return Vec::new();
    };
    found
        .candidates
        .into_iter()
        .map(|c| Candidate {
            rel: format!("../{}", c.rel),
            ..c
        })
        .collect()
}

/// Discovers and parses one round's inbox; needs the configuration but not the registry, so
/// the registry can load meanwhile.
fn read_inbox(
    config: &Config,
    round: &Round,
    (inbox, outbox): (&Path, Option<&Path>),
    printer: &Printer,
    timings: &mut Timings,
) -> Result<Inbox> {
    if !inbox.is_dir() {
        bail!("收件箱文件夹 `{}` 不存在或无法读取", inbox.display());
    }
    let layout = layout(config, round, inbox, outbox);
    let discovery = ingest::discover::discover_excluding(&layout.dir, &layout.exclusions)
        .with_context(|| format!("无法读取收件箱 `{}`", layout.dir.display()))?;
    let misplaced = misplaced(&layout, config);
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
    Ok(Inbox {
        discovery,
        loaded,
        misplaced,
    })
}

/// Loads the registry while the round's inbox is read and parsed. `outbox`, when given, is
/// never read as input if it lies inside the inbox.
pub(super) fn load_with_inbox(
    config: Config,
    round: &Round,
    (inbox, outbox): (&Path, Option<&Path>),
    printer: &Printer,
    timings: &mut Timings,
) -> Result<(Setup, Inbox)> {
    // A thread of its own: parsing waits on the worker processes, so this overlaps even with
    // `--jobs 1`.
    let (registry, read) = std::thread::scope(|scope| {
        let registry = scope.spawn(|| load_registry(&config));
        let read = read_inbox(&config, round, (inbox, outbox), printer, timings);
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
    let Inbox {
        discovery,
        loaded,
        misplaced,
    } = inbox;
    let files: Vec<CheckedFile> = loaded
        .into_par_iter()
        .map(|f| validate::check_loaded(f, &ctx))
        .collect();
    timings.validate = timings.lap();
    let skipped = discovery
        .skipped
        .iter()
        .map(|(c, _)| c)
        .chain(&misplaced)
        .map(skipped_record)
        .collect();
    let previous_text = setup
        .config
        .previous_round(round)
        .and_then(|p| round_json(outbox, &p.id));
    let previous = previous_text.as_deref().and_then(PreviousRound::from_json);
    let mut report = merge::merge(
        MergeInputs {
            files,
            skipped,
            previous,
        },
        &ctx,
    );
    report
        .issues
        .extend(misplaced.iter().map(|c| misplaced_note(&c.rel, &ctx)));
    report
        .issues
        .extend(discovery.skipped.iter().filter_map(|(c, r)| skip_note(c, *r)));
    report.issues.sort_by(|a, b| a.file.cmp(&b.file));
    if let (Some(scores), Some(settings)) = (report.assessment.as_mut(), &setup.config.assessment) {
        merge::assessment::cumulate(
            scores,
            &round.id,
            &earlier_rounds(&setup.config, round, outbox, previous_text.as_deref()),
            settings,
        );
    }
    timings.merge = timings.lap();
    report
}

/// A round's `roundup.json` in the outbox, if there is one.
fn round_json(outbox: &Path, id: &str) -> Option<String> {
    std::fs::read_to_string(outbox.join(id).join("roundup.json")).ok()
}

/// The assessment facts of every earlier round whose `roundup.json` is in the outbox; the
/// previous round's text, already read for the history, is not read again.
fn earlier_rounds(
    config: &Config,
    round: &Round,
    outbox: &Path,
    previous_text: Option<&str>,
) -> Vec<merge::assessment::EarlierRound> {
    let previous_id = config.previous_round(round).map(|p| p.id.as_str());
    config
        .rounds
        .iter()
        .take_while(|r| r.id != round.id)
        .filter_map(|r| match previous_text {
            Some(text) if Some(r.id.as_str()) == previous_id => Some(Cow::Borrowed(text)),
            _ => round_json(outbox, &r.id).map(Cow::Owned),
        })
        .filter_map(|text| merge::assessment::EarlierRound::from_json(&text))
        .collect()
}

/// The note for an inbox entry skipped for a reason the office should hear of: a folder that
/// cannot be listed (a warning; the rest of the inbox is read) and a link to a folder.
fn skip_note(c: &Candidate, reason: ingest::SkipReason) -> Option<Diagnostic> {
    use crate::diag::Level;
    let (level, hint) = match reason {
        ingest::SkipReason::UnreadableFolder => (Level::Warning, "请检查该文件夹的访问权限后重新运行"),
        ingest::SkipReason::FolderLink => (Level::Info, "如需读取其中的文件，请将文件复制到收件箱中"),
        _ => return None,
    };
    let note = Diagnostic::new(
        Code::UnreadableFile,
        format!("{}，其中的文件未读取", reason.label()),
    )
    .level(level)
    .file(c.rel.clone())
    .hint(hint);
    Some(note)
}

/// `misplaced-file` for a file outside the round's folder (`rel` is `../x.xlsx`), with the
/// unit its name names so that the unit hears of it.
fn misplaced_note(rel: &str, ctx: &Context) -> Diagnostic {
    let inside = rel.trim_start_matches("../");
    let place = match inside.rsplit_once('/') {
        Some((folder, _)) => format!("收件箱的“{folder}”文件夹"),
        None => "收件箱根目录".to_owned(),
    };
    let note = Diagnostic::new(
        Code::MisplacedFile,
        format!("文件位于{place}，不在本轮文件夹“{}”中，未读取", ctx.round.id),
    )
    .file(rel)
    .hint(format!(
        "如为{}的材料，请移入收件箱的“{}”文件夹后重新运行；否则请移出收件箱",
        ctx.round.title, ctx.round.id
    ));
    note.maybe_unit(validate::identify::file_unit(inside, ctx))
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
