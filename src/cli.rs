//! The command line (clap derive types only; nothing below `app` sees clap).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// roundup：把各牵头单位报送的进展表和工作报告汇总成汇总表、工作简报和反馈。
#[derive(Debug, Parser)]
#[command(
    name = "roundup",
    version,
    about = "汇总各牵头单位报送的进展表和工作报告，生成汇总表、工作简报、反馈表和 roundup.json",
    after_help = "退出码：0 全部采用；1 有文件或数据行被退回（输出仍已生成）；2 无法运行（配置错误、收件箱无法读取、另一运行正在进行）。"
)]
pub struct Cli {
    /// 安静模式：只输出警告和错误（用于计划任务）
    #[arg(long, short = 'q', global = true)]
    pub quiet: bool,
    /// 子命令（不写时运行 `run`，全部取默认值，如在 Windows 上双击 roundup.exe）
    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Cli {
    /// The command to run: the one given, else the main job with every default (contract
    /// §7: a run with no arguments at all, as a double-click on Windows starts it).
    pub fn command_or_default(self) -> Command {
        match self.command {
            Some(command) => command,
            None => Command::Run(RunArgs::default()),
        }
    }
}

impl Default for RunArgs {
    /// `roundup run` with every option at its declared default.
    fn default() -> RunArgs {
        match Cli::parse_from(["roundup", "run"]).command {
            Some(Command::Run(args)) => args,
            _ => unreachable!("`roundup run` parses as the run command"),
        }
    }
}

/// Options shared by the commands that read the configuration.
#[derive(Debug, Args, Clone)]
pub struct ConfigArgs {
    /// 配置文件
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        default_value = "templates/roundup.toml"
    )]
    pub config: PathBuf,
}

/// Output format of `check` and `tasks list`.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Format {
    /// 文本
    Text,
    /// JSON
    Json,
}

/// The subcommands (contract §7).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 汇总一轮报送材料（主命令）
    Run(RunArgs),
    /// 校验文件或文件夹，只报告问题，不写任何文件
    Check(CheckArgs),
    /// 为各牵头单位生成填报模板（进展表和工作报告）
    Templates(TemplatesArgs),
    /// 任务清单：列出或从方案附件导入
    Tasks(TasksArgs),
    /// 报送进度：谁已报送、谁未报送（催报名单）、目前发现的问题；只读，不写文件
    Status(StatusArgs),
    /// Internal: parse files for the parent process (not for users).
    #[command(hide = true)]
    Worker,
}

/// `roundup run`
#[derive(Debug, Args)]
pub struct RunArgs {
    /// 督查轮次，如 2024Q2（默认：今天所在的轮次，否则最近结束的轮次；收件箱里有轮次文件夹而没有该轮次的，取最新的轮次文件夹）
    #[arg(long, value_name = "ID")]
    pub round: Option<String>,
    /// 收件箱文件夹（若存在 <收件箱>/<轮次>/ 则读取该子文件夹）
    #[arg(long, value_name = "DIR", default_value = "inbox")]
    pub inbox: PathBuf,
    /// 输出文件夹（结果写入 <输出>/<轮次>/）
    #[arg(long, value_name = "DIR", default_value = "outbox")]
    pub outbox: PathBuf,
    /// 配置
    #[command(flatten)]
    pub config: ConfigArgs,
    /// 并行读取文件的任务数（默认：CPU 核数）
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// 简报类型（默认取配置 [bulletin] kind）
    #[arg(long, value_enum, value_name = "KIND")]
    pub bulletin_kind: Option<BulletinKindArg>,
    /// 同时用 LibreOffice 把简报导出为 PDF（需已安装 LibreOffice）
    #[arg(long)]
    pub pdf: bool,
    /// Print each stage's wall time as JSON on stderr (for benchmarks).
    #[arg(long, hide = true)]
    pub timings: bool,
}

/// `--bulletin-kind`
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum BulletinKindArg {
    /// 工作简报
    #[value(name = "简报", alias = "briefing")]
    Briefing,
    /// 通报
    #[value(name = "通报", alias = "circular")]
    Circular,
}

/// `roundup status`
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// 督查轮次（默认同 run）
    #[arg(long, value_name = "ID")]
    pub round: Option<String>,
    /// 收件箱文件夹
    #[arg(long, value_name = "DIR", default_value = "inbox")]
    pub inbox: PathBuf,
    /// 同时生成催报通知（Word），写入 <输出>/notices/催报通知-<轮次>.docx；不发送
    #[arg(long)]
    pub notice: bool,
    /// 输出文件夹（仅 --notice 使用）
    #[arg(long, value_name = "DIR", default_value = "outbox")]
    pub outbox: PathBuf,
    /// 配置
    #[command(flatten)]
    pub config: ConfigArgs,
    /// 并行读取文件的任务数（默认：CPU 核数）
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
}

/// `roundup check`
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 输出格式
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// 按哪个轮次校验（默认：路径中的轮次文件夹，如 inbox/2024Q2；否则同 run）
    #[arg(long, value_name = "ID")]
    pub round: Option<String>,
    /// 配置
    #[command(flatten)]
    pub config: ConfigArgs,
    /// 并行读取文件的任务数（默认：CPU 核数）
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
    /// 要校验的文件或文件夹
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
}

/// `roundup templates`
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// 督查轮次（默认：今天所在的轮次，否则最近结束的轮次）
    #[arg(long, value_name = "ID")]
    pub round: Option<String>,
    /// 只生成该单位的模板
    #[arg(long, value_name = "NAME")]
    pub unit: Option<String>,
    /// 输出文件夹（模板写入 <输出>/templates/<轮次>/）
    #[arg(long, value_name = "DIR", default_value = "outbox")]
    pub outbox: PathBuf,
    /// 配置
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// `roundup tasks`
#[derive(Debug, Args)]
pub struct TasksArgs {
    /// 配置
    #[command(flatten)]
    pub config: ConfigArgs,
    /// 操作
    #[command(subcommand)]
    pub action: TasksAction,
}

/// `roundup tasks list|import`
#[derive(Debug, Subcommand)]
pub enum TasksAction {
    /// 列出任务
    List {
        /// 只列出该单位牵头的任务
        #[arg(long, value_name = "NAME")]
        unit: Option<String>,
        /// 输出格式
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// 从方案附件（.txt、.docx 或 .xlsx）导入任务清单
    Import {
        /// 附件文件
        file: PathBuf,
        /// 写入的任务清单文件（默认：配置中的 registry）
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_arguments_is_the_main_job_with_its_defaults() {
        let cli = Cli::try_parse_from(["roundup"]).unwrap();
        assert!(!cli.quiet);
        let Command::Run(args) = cli.command_or_default() else {
            panic!("not the run command")
        };
        assert_eq!(args.round, None);
        assert_eq!(args.inbox, PathBuf::from("inbox"));
        assert_eq!(args.outbox, PathBuf::from("outbox"));
        assert_eq!(args.config.config, PathBuf::from("templates/roundup.toml"));
    }

    #[test]
    fn every_command_takes_quiet_and_the_parsing_ones_take_jobs() {
        for args in [
            &["roundup", "run", "-q", "-j", "2"][..],
            &["roundup", "-q", "run"],
            &["roundup", "check", "a.xlsx", "-q", "--jobs", "1"],
            &["roundup", "status", "--quiet", "-j", "1"],
            &["roundup", "templates", "-q", "--round", "2024Q3"],
            &["roundup", "tasks", "list", "-q"],
            &["roundup", "tasks", "import", "a.txt", "-q"],
        ] {
            let cli = Cli::try_parse_from(args).unwrap_or_else(|e| panic!("{args:?}: {e}"));
            assert!(cli.quiet, "{args:?}");
        }
    }
}
