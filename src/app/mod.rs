//! The application: one file per command (`run`, `check`, `status`, `templates`, `tasks`),
//! the round loading they share (`round`), and the [`Printer`] every message goes through.
//! It is the only layer that reads the clock, prints, and sequences the stages; the write
//! stage ([`crate::write`]) owns the output folder.

mod check;
pub mod console;
mod printer;
mod round;
mod run;
mod status;
mod tasks;
mod templates;

pub mod interrupt;

pub use printer::Printer;

use crate::cli::{Cli, Command};
use crate::config::{Config, Round};
use crate::diag::{Diagnostic, Level};
use crate::ingest;
use crate::registry::Registry;
use anyhow::{anyhow, Context as _, Result};
use std::path::Path;

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

/// Runs one command; with none, the main job with every default (contract §7), from the
/// folder that holds `templates/`. `Err` means the command could not proceed (exit 2).
pub fn run(cli: Cli) -> Result<RunStatus> {
    let printer = Printer::new(cli.quiet);
    let no_arguments = cli.command.is_none();
    match cli.command_or_default() {
        Command::Run(args) if no_arguments => run::run_default(&args, &printer),
        Command::Run(args) => run::run(&args, &printer),
        Command::Check(args) => check::check(&args, &printer),
        Command::Templates(args) => templates::templates(&args, &printer),
        Command::Tasks(args) => tasks::tasks(&args, &printer),
        Command::Status(args) => status::status(&args, &printer),
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

/// The task registry the configuration names, with its delegated units and city prefix
/// applied.
fn load_registry(config: &Config) -> Result<Registry> {
    Ok(Registry::from_config(config)?)
}

/// The round named on the command line, else the one today falls in, else the latest past
/// one — unless `inbox` holds round folders and none for that round: then the newest round
/// that has a folder (contract §7).
fn pick_round<'a>(config: &'a Config, id: Option<&str>, inbox: Option<&Path>) -> Result<&'a Round> {
    let today = chrono::Local::now().date_naive();
    match (id, inbox) {
        (Some(id), _) => config.round(id).ok_or_else(|| {
            let known: Vec<&str> = config.rounds.iter().map(|r| r.id.as_str()).collect();
            anyhow!("配置中没有轮次“{id}”。可用的轮次：{}", known.join("、"))
        }),
        (None, Some(inbox)) => Ok(config.default_round_for_inbox(today, |id| inbox.join(id).is_dir())),
        (None, None) => Ok(config.default_round(today)),
    }
}

/// A unit name from the command line resolved against the registry, or an error suggesting
/// the nearest known unit.
fn resolve_unit_arg<'a>(registry: &'a Registry, name: &str) -> Result<&'a str> {
    registry.resolve_unit(name).ok_or_else(|| {
        let hint = registry
            .nearest_unit(name)
            .map(|u| format!("，是否为“{u}”？"))
            .unwrap_or_default();
        anyhow!("任务清单中没有单位“{name}”{hint}")
    })
}

/// Sets the size of rayon's global pool (`--jobs`); only the first call takes effect.
fn configure_threads(jobs: Option<usize>) {
    if let Some(n) = jobs.filter(|n| *n > 0) {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(n).build_global();
    }
}
