//! The application: the one place that sequences the stages, touches the file system, reads
//! the clock and prints. Every command of the CLI is a function here.

use crate::cli::{
    BulletinKindArg, CheckArgs, Cli, Command, Format, RunArgs, StatusArgs, TasksAction, TasksArgs,
    TemplatesArgs,
};
use crate::config::{BulletinKind, Config, Round};
use crate::diag::{Diagnostic, Level};
use crate::ingest::{self, Candidate, FileKind, IngestError};
use crate::merge::{self, FileRecord, MergeInputs, Outcome, PreviousRound, ReadFile, RoundReport};
use crate::registry::{import, Registry};
use crate::render::{self, Output, RenderContext};
use crate::validate::{self, Context, FileResult};
use anyhow::{anyhow, bail, Context as _, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// How a command ended, mapped to the process exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunStatus {
    /// 0: everything was used.
    Clean,
    /// 1: some files or rows were rejected (outputs still written).
    Rejections,
}

impl RunStatus {
    /// The exit code.
    pub fn code(self) -> u8 {
        match self {
            RunStatus::Clean => 0,
            RunStatus::Rejections => 1,
        }
    }

    fn from_issues<'a>(issues: impl IntoIterator<Item = &'a Diagnostic>) -> RunStatus {
        if issues.into_iter().any(|d| d.level == Level::Error) {
            RunStatus::Rejections
        } else {
            RunStatus::Clean
        }
    }
}

/// Runs one command. `Err` means the command could not proceed (exit 2).
pub fn run(cli: Cli) -> Result<RunStatus> {
    match cli.command {
        Command::Run(args) => run_round(&args),
        Command::Check(args) => check(&args),
        Command::Templates(args) => templates(&args),
        Command::Tasks(args) => tasks(&args),
        Command::Status(args) => status(&args),
        Command::Worker => {
            ingest::pool::serve().context("解析进程通信失败")?;
            Ok(RunStatus::Clean)
        }
    }
}

/// Configuration and registry, loaded together.
struct Setup {
    config: Config,
    registry: Registry,
}

fn load_setup(config_path: &Path) -> Result<Setup> {
    let config = Config::load(config_path)?;
    let registry = load_registry(&config)?;
    Ok(Setup { config, registry })
}

/// The task registry the configuration names, with its delegated units applied.
fn load_registry(config: &Config) -> Result<Registry> {
    Ok(Registry::load(&config.registry_path, &config.aliases)?.with_delegates(&config.delegated_units))
}

fn pick_round<'a>(config: &'a Config, id: Option<&str>) -> Result<&'a Round> {
    match id {
        Some(id) => config.round(id).ok_or_else(|| {
            let known: Vec<&str> = config.rounds.iter().map(|r| r.id.as_str()).collect();
            anyhow!("配置中没有轮次“{id}”。可用的轮次：{}", known.join("、"))
        }),
        None => Ok(config.default_round(chrono::Local::now().date_naive())),
    }
}

/// Prints to stderr unless quiet.
struct Printer {
    quiet: bool,
}

impl Printer {
    fn status(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", message.as_ref());
        }
    }

    /// A progress bar on stderr, shown only on a terminal, when not quiet, and only once a
    /// second has passed (short runs stay silent).
    fn progress(&self, len: u64, message: &'static str) -> indicatif::ProgressBar {
        use std::io::IsTerminal;
        if self.quiet || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(len),
            indicatif::ProgressDrawTarget::stderr_with_hz(4),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}") {
            bar.set_style(style);
        }
        bar.set_message(message);
        bar
    }
}

/// Wall time of each stage of a run in seconds, printed with `--timings` (for benchmarks).
#[derive(Debug, serde::Serialize)]
struct Timings {
    #[serde(skip)]
    mark: std::time::Instant,
    files: usize,
    bytes: u64,
    setup: f64,
    discover: f64,
    ingest: f64,
    validate: f64,
    merge: f64,
    render: f64,
    write: f64,
}

impl Timings {
    fn start() -> Timings {
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
    fn lap(&mut self) -> f64 {
        let now = std::time::Instant::now();
        let seconds = (now - self.mark).as_secs_f64();
        self.mark = now;
        seconds
    }
}

/// The files of a round's inbox, read and parsed (not yet validated).
struct Inbox {
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
            let file = load_file(c, &config.limits);
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
fn load_with_inbox(
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
fn consolidate(
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
    let files: Vec<ReadFile> = loaded.into_par_iter().map(|f| check_file(f, &ctx)).collect();
    timings.validate = timings.lap();
    let skipped = discovery.skipped.iter().map(|(c, _)| skipped_record(c)).collect();
    let previous = setup
        .config
        .previous_round(round)
        .and_then(|p| std::fs::read_to_string(outbox.join(&p.id).join("roundup.json")).ok())
        .and_then(|text| PreviousRound::from_json(&text));
    let report = merge::merge(
        MergeInputs {
            files,
            skipped,
            previous,
        },
        &ctx,
    );
    timings.merge = timings.lap();
    report
}

fn run_round(args: &RunArgs) -> Result<RunStatus> {
    let printer = Printer { quiet: args.quiet };
    let mut timings = Timings::start();
    let mut config = Config::load(&args.config.config)?;
    if let Some(kind) = args.bulletin_kind {
        config.bulletin.kind = match kind {
            BulletinKindArg::Briefing => BulletinKind::Briefing,
            BulletinKindArg::Circular => BulletinKind::Circular,
        };
    }
    let round = pick_round(&config, args.round.as_deref())?.clone();
    configure_threads(args.jobs);
    timings.setup = timings.lap();
    let (setup, inbox) = load_with_inbox(config, &round, &args.inbox, &printer, &mut timings)?;
    let report = consolidate(&setup, &round, inbox, &args.outbox, &mut timings);
    let template_path = setup.config.bulletin_template_path();
    let template = std::fs::read_to_string(&template_path)
        .with_context(|| format!("无法读取简报模板 `{}`", template_path.display()))?;
    let render_ctx = RenderContext {
        report: &report,
        registry: &setup.registry,
        config: &setup.config,
        bulletin_template: &template,
    };
    let outputs = render::render_round(&render_ctx)?;
    let manifest =
        render::json::manifest_json(&report, &setup.registry.digest, &setup.config.digest, &outputs)?;
    timings.render = timings.lap();
    let out_dir = args.outbox.join(&round.id);
    write_outputs(&out_dir, &outputs, &manifest)?;
    timings.write = timings.lap();
    if args.timings {
        eprintln!("{}", serde_json::to_string(&timings)?);
    }
    let layout = if args.pdf {
        export_pdf(&out_dir, &round, &printer, &render_ctx)
    } else {
        Vec::new()
    };
    let mut summary = summary_line(&report, &out_dir);
    for finding in &layout {
        summary.push_str(&format!("\n警告：简报版式自检：{finding}"));
    }
    write_log(&args.outbox, &round, &summary, &report);
    printer.status(summary);
    Ok(RunStatus::from_issues(&report.issues))
}

/// Converts the bulletin to PDF with LibreOffice (a missing LibreOffice is a warning) and
/// checks the rendered layout; returns the layout findings.
fn export_pdf(out_dir: &Path, round: &Round, printer: &Printer, ctx: &RenderContext) -> Vec<String> {
    use crate::render::bulletin_docx::pagecheck;
    let docx = out_dir.join(format!("工作简报-{}.docx", round.id));
    match crate::ingest::convert::export_pdf(&docx, out_dir) {
        Ok(pdf) => {
            printer.status(format!("已导出 PDF：{}", pdf.display()));
            pagecheck::check_pdf(&pdf, &pagecheck::expected(ctx)).unwrap_or_else(|e| vec![e])
        }
        Err(message) => {
            eprintln!("警告：未能导出 PDF：{message}");
            Vec::new()
        }
    }
}

/// Appends the run's summary and diagnostics to `outbox/logs/roundup-<round>.log` (outside the
/// round folder, which holds only the deterministic outputs). Failure to log is not fatal.
fn write_log(outbox: &Path, round: &Round, summary: &str, report: &RoundReport) {
    let dir = outbox.join("logs");
    let Ok(()) = std::fs::create_dir_all(&dir) else {
        return;
    };
    let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("roundup-{}.log", round.id)))
    else {
        return;
    };
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    let _ = writeln!(file, "[{now}] {summary}");
    for d in &report.issues {
        let _ = writeln!(
            file,
            "  {}[{}] {} {} {}",
            d.level.as_str(),
            d.code,
            d.file.as_deref().unwrap_or(""),
            d.location.as_deref().unwrap_or(""),
            d.message
        );
    }
}

fn status(args: &StatusArgs) -> Result<RunStatus> {
    let printer = Printer { quiet: false };
    let config = Config::load(&args.config.config)?;
    let round = pick_round(&config, args.round.as_deref())?.clone();
    let mut timings = Timings::start();
    let (setup, inbox) = load_with_inbox(config, &round, &args.inbox, &printer, &mut timings)?;
    let report = consolidate(&setup, &round, inbox, Path::new(""), &mut timings);
    let today = chrono::Local::now().date_naive();
    let mut out = std::io::stdout().lock();
    write_status(&mut out, &report, &setup.registry, today)?;
    Ok(RunStatus::from_issues(&report.issues))
}

/// The 催报 view: who has submitted, who has not (with their tasks and the deadline), and the
/// issues found so far.
fn write_status(
    out: &mut impl Write,
    report: &RoundReport,
    registry: &Registry,
    today: chrono::NaiveDate,
) -> Result<()> {
    let round = &report.round;
    let days = (round.deadline - today).num_days();
    let when = match days {
        d if d > 0 => format!("还有 {d} 天"),
        0 => "就是今天".to_owned(),
        d => format!("已过 {} 天", -d),
    };
    writeln!(
        out,
        "{}（截止日期 {}，{}）",
        round.title,
        merge::chinese_date(round.deadline),
        when
    )?;
    writeln!(
        out,
        "已报送 {} 家，未报送 {} 家。",
        report.stats.units_submitted,
        report.missing_units.len()
    )?;
    writeln!(out, "\n未报送（催报名单）：")?;
    for unit in &report.missing_units {
        let ids: Vec<String> = registry.tasks_led_by(unit).map(|t| t.id.to_string()).collect();
        writeln!(out, "  {unit}（牵头任务：{}）", ids.join("、"))?;
    }
    writeln!(out, "\n已报送：")?;
    for s in &report.submissions {
        let files: Vec<String> = s
            .files
            .iter()
            .map(|f| format!("{}（{}）", f.path, f.outcome.label()))
            .collect();
        let timing = if s.on_time { "" } else { "，逾期或未采用" };
        writeln!(
            out,
            "  {}：错误 {}、警告 {}{timing}；{}",
            s.unit,
            s.errors,
            s.warnings,
            files.join("；")
        )?;
    }
    Ok(())
}

fn configure_threads(jobs: Option<usize>) {
    if let Some(n) = jobs.filter(|n| *n > 0) {
        // Only the first configuration of the global pool takes effect; later ones are no-ops.
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
    }
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

/// The kind a file is meant to be, from its name, for files that cannot be read at all.
fn kind_from_name(name: &str) -> FileKind {
    let lower = name.to_lowercase();
    if [".docx", ".docm", ".doc", ".wps"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        FileKind::Report
    } else {
        FileKind::Spreadsheet
    }
}

/// One inbox file after reading and parsing, before validation.
pub struct LoadedFile {
    rel: String,
    size: u64,
    sha256: String,
    modified: Option<chrono::NaiveDate>,
    ingested: Result<ingest::Ingested, IngestError>,
}

/// Reads one file's bytes and parses them. Never fails: problems become the file's error.
fn load_file(candidate: &Candidate, limits: &crate::config::Limits) -> LoadedFile {
    let modified = std::fs::metadata(&candidate.path)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| chrono::DateTime::<chrono::Local>::from(t).date_naive());
    let name = candidate.rel.rsplit('/').next().unwrap_or(&candidate.rel);
    let (size, sha256, ingested) = match ingest::pool::read_input(&candidate.path, limits.max_file_bytes) {
        Ok(input) => (
            input.size,
            input.sha256,
            ingest::pool::Pool::global().ingest(name, &input.bytes, limits),
        ),
        Err(e) => (
            0,
            String::new(),
            Err(IngestError::unreadable(format!("无法打开文件（{e}）"))),
        ),
    };
    LoadedFile {
        rel: candidate.rel.clone(),
        size,
        sha256,
        modified,
        ingested,
    }
}

/// Parses bytes, turning a panic into that file's error.
fn ingest_guarded(
    rel: &str,
    bytes: &[u8],
    limits: &crate::config::Limits,
) -> Result<ingest::Ingested, IngestError> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ingest::ingest_bytes(name, bytes, limits)
    }))
    .unwrap_or_else(|_| Err(IngestError::unreadable("解析文件时发生内部错误，文件可能已损坏")))
}

/// Validates a loaded file, turning a panic into that file's error.
fn check_file(loaded: LoadedFile, ctx: &Context) -> ReadFile {
    let result = validate_guarded(&loaded.rel, loaded.ingested, ctx);
    ReadFile {
        result,
        size: loaded.size,
        sha256: loaded.sha256,
        modified: loaded.modified,
    }
}

fn validate_guarded(rel: &str, ingested: Result<ingest::Ingested, IngestError>, ctx: &Context) -> FileResult {
    let rejected = |err: IngestError| FileResult::rejected(rel, kind_from_name(rel), err.to_diagnostic(rel));
    match ingested {
        Ok(ingested) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            validate::validate_file(rel, &ingested, ctx)
        }))
        .unwrap_or_else(|_| {
            rejected(IngestError::unreadable(
                "校验文件时发生内部错误，文件内容可能异常",
            ))
        }),
        Err(err) => rejected(err),
    }
}

/// Reads one file (parse and validate). Never fails: problems become diagnostics.
fn read_file(candidate: &Candidate, ctx: &Context) -> ReadFile {
    check_file(load_file(candidate, &ctx.config.limits), ctx)
}

/// Ingests and validates bytes in this process, turning a panic inside either into that
/// file's error (for fuzzing and library use).
pub fn ingest_and_validate(rel: &str, bytes: &[u8], ctx: &Context) -> FileResult {
    validate_guarded(rel, ingest_guarded(rel, bytes, &ctx.config.limits), ctx)
}

/// Writes every output under a lock, all or nothing: every file is first written to a
/// temporary file beside its target, and only when all of them are written are they renamed
/// into place, the manifest last. Outputs of an earlier run of the same round that this run no
/// longer produces are removed.
fn write_outputs(dir: &Path, outputs: &[Output], manifest: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出文件夹 `{}`", dir.display()))?;
    let _lock = RunLock::acquire(dir)?;
    let earlier = earlier_outputs(dir);
    let mut staged = stage_all(dir, outputs)?;
    staged.push(stage(&dir.join("manifest.json"), manifest)?);
    for (tmp, target) in staged {
        tmp.persist(&target)
            .map_err(|e| anyhow!("无法写入 `{}`：{}", target.display(), e.error))?;
    }
    for name in earlier {
        if !outputs.iter().any(|o| o.name == name) {
            let _ = std::fs::remove_file(dir.join(&name));
        }
    }
    Ok(())
}

/// Threads that stage outputs: syncing waits on the disk, not the CPU, so more threads than
/// cores keep its queue full.
const STAGING_THREADS: usize = 8;

/// Stages every output (in order), [`STAGING_THREADS`] at a time.
fn stage_all(dir: &Path, outputs: &[Output]) -> Result<Vec<(tempfile::NamedTempFile, PathBuf)>> {
    let chunk = outputs.len().div_ceil(STAGING_THREADS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = outputs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|output| stage(&dir.join(&output.name), &output.bytes))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        let mut staged = Vec::with_capacity(outputs.len() + 1);
        for handle in handles {
            let part = handle
                .join()
                .unwrap_or_else(|_| Err(anyhow!("写入输出文件时发生内部错误")))?;
            staged.extend(part);
        }
        Ok(staged)
    })
}

/// Writes `bytes` to a temporary file in `path`'s folder, to be renamed onto `path`.
fn stage(path: &Path, bytes: &[u8]) -> Result<(tempfile::NamedTempFile, PathBuf)> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 `{}`", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".roundup-")
        .tempfile_in(dir)
        .with_context(|| format!("无法在 `{}` 中写入", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("无法写入 `{}`", path.display()))?;
    tmp.as_file().sync_all().ok();
    Ok((tmp, path.to_path_buf()))
}

/// Output names listed in the manifest of an earlier run.
fn earlier_outputs(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    value
        .get("outputs")
        .and_then(|o| o.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|o| o.get("name").and_then(|n| n.as_str()))
                .filter(|n| !n.contains("..") && !n.starts_with('/'))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let (tmp, target) = stage(path, bytes)?;
    tmp.persist(&target)
        .map_err(|e| anyhow!("无法写入 `{}`：{}", target.display(), e.error))?;
    Ok(())
}

/// A lock file in the round's output folder, held while writing.
struct RunLock {
    path: PathBuf,
}

impl RunLock {
    fn acquire(dir: &Path) -> Result<RunLock> {
        let path = dir.join(".roundup.lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(RunLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let pid = holder.trim().parse::<u32>().ok();
                    if pid.is_some_and(is_process_alive) {
                        bail!(
                            "另一个 roundup 正在写入 `{}`（进程 {}）。请等待其结束后再运行。",
                            dir.display(),
                            holder.trim()
                        );
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(e).with_context(|| format!("无法创建锁文件 `{}`", path.display())),
            }
        }
        bail!("无法获得输出文件夹 `{}` 的锁", dir.display())
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(target_os = "linux")]
fn is_process_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(not(target_os = "linux"))]
fn is_process_alive(pid: u32) -> bool {
    // Without a portable liveness check, a lock held by another process is respected.
    pid != std::process::id()
}

fn summary_line(report: &RoundReport, out_dir: &Path) -> String {
    let count = |level| report.issues.iter().filter(|d| d.level == level).count();
    let read = report
        .files
        .iter()
        .filter(|f| f.outcome != Outcome::Skipped)
        .count();
    let used = report.files.iter().filter(|f| f.outcome == Outcome::Used).count();
    format!(
        "{}：读取 {} 个文件（采用 {} 个），{} 个单位已报送、{} 个未报送，{} 项任务有报告；错误 {}、警告 {}、提示 {}。输出：{}",
        report.round.title,
        read,
        used,
        report.stats.units_submitted,
        report.missing_units.len(),
        report.stats.overall.reported,
        count(Level::Error),
        count(Level::Warning),
        count(Level::Info),
        out_dir.display()
    )
}

fn check(args: &CheckArgs) -> Result<RunStatus> {
    let setup = load_setup(&args.config.config)?;
    let round = pick_round(&setup.config, args.round.as_deref())?;
    let ctx = Context {
        registry: &setup.registry,
        config: &setup.config,
        round,
    };
    let mut candidates = Vec::new();
    for path in &args.paths {
        if path.is_dir() {
            let d = ingest::discover(path, &[]).with_context(|| format!("无法读取 `{}`", path.display()))?;
            candidates.extend(d.candidates);
        } else {
            let rel = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            candidates.push(Candidate {
                rel,
                path: path.clone(),
            });
        }
    }
    let results: Vec<FileResult> = candidates.par_iter().map(|c| read_file(c, &ctx).result).collect();
    let mut out = std::io::stdout().lock();
    match args.format {
        Format::Json => {
            let files: Vec<serde_json::Value> = results
                .iter()
                .map(|r| serde_json::json!({"path": r.file, "unit": r.unit, "kind": r.kind, "rows": r.rows.len()}))
                .collect();
            let issues: Vec<&Diagnostic> = results.iter().flat_map(|r| &r.diagnostics).collect();
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({"files": files, "issues": issues}))?;
            writeln!(out)?;
        }
        Format::Text => write_check_text(&mut out, &results)?,
    }
    Ok(RunStatus::from_issues(
        results.iter().flat_map(|r| &r.diagnostics),
    ))
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
            writeln!(out, "{}[{}]: {}", d.level.as_str(), d.code, d.message)?;
            let mut place = format!("  --> {}", r.file);
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

fn templates(args: &TemplatesArgs) -> Result<RunStatus> {
    let setup = load_setup(&args.config.config)?;
    let round = pick_round(&setup.config, args.round.as_deref())?;
    let units: Vec<String> = match &args.unit {
        Some(name) => {
            let unit = setup.registry.resolve_unit(name).ok_or_else(|| {
                let hint = setup
                    .registry
                    .nearest_unit(name)
                    .map(|u| format!("，是否为“{u}”？"))
                    .unwrap_or_default();
                anyhow!("任务清单中没有单位“{name}”{hint}")
            })?;
            vec![unit.to_owned()]
        }
        None => setup
            .registry
            .lead_units()
            .into_iter()
            .map(str::to_owned)
            .collect(),
    };
    let dir = args.outbox.join("templates").join(&round.id);
    let forms: Vec<Output> = units
        .par_iter()
        .map(|unit| render::forms::render_unit(&setup.registry, &setup.config, round, unit))
        .collect::<Result<Vec<Vec<Output>>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    for form in &forms {
        write_atomic(&dir.join(&form.name), &form.bytes)?;
    }
    eprintln!(
        "已为 {} 个单位生成 {} 个填报模板：{}",
        units.len(),
        forms.len(),
        dir.display()
    );
    Ok(RunStatus::Clean)
}

fn tasks(args: &TasksArgs) -> Result<RunStatus> {
    let config = Config::load(&args.config.config)?;
    match &args.action {
        TasksAction::List { unit, format } => {
            let registry = Registry::load(&config.registry_path, &config.aliases)?
                .with_delegates(&config.delegated_units);
            list_tasks(&registry, unit.as_deref(), *format)
        }
        TasksAction::Import { file, output } => {
            let registry = import::import_file(file, &config.aliases)?;
            let target = output.clone().unwrap_or_else(|| config.registry_path.clone());
            let text = import::RegistryFile::from_registry(&registry).to_toml()?;
            write_atomic(&target, text.as_bytes())?;
            eprintln!(
                "已导入 {} 项任务（{} 个篇章、{} 个分组、{} 个牵头单位）到 {}",
                registry.tasks.len(),
                registry.parts.len(),
                registry.groups.len(),
                registry.lead_units().len(),
                target.display()
            );
            Ok(RunStatus::Clean)
        }
    }
}

fn list_tasks(registry: &Registry, unit: Option<&str>, format: Format) -> Result<RunStatus> {
    let unit = match unit {
        Some(name) => Some(registry.resolve_unit(name).ok_or_else(|| {
            let hint = registry
                .nearest_unit(name)
                .map(|u| format!("，是否为“{u}”？"))
                .unwrap_or_default();
            anyhow!("任务清单中没有单位“{name}”{hint}")
        })?),
        None => None,
    };
    let tasks: Vec<_> = registry
        .tasks
        .iter()
        .filter(|t| unit.is_none_or(|u| registry.reports_for(u, t)))
        .collect();
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let items: Vec<serde_json::Value> = tasks
                .iter()
                .map(|t| {
                    serde_json::json!({
                        "id": t.id,
                        "part": registry.part_of(t).heading(),
                        "group": registry.group_of(t).heading(),
                        "text": t.text,
                        "guidance": t.guidance,
                        "lead": t.lead,
                        "cooperating": t.cooperating,
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &items)?;
            writeln!(out)?;
        }
        Format::Text => {
            for t in tasks {
                writeln!(out, "{:>4}  {}  【牵头：{}】", t.id, t.text, t.lead.join("、"))?;
            }
        }
    }
    Ok(RunStatus::Clean)
}
