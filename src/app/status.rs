//! `roundup status`: the 催报 view — who has submitted, who has not (with their tasks and the
//! deadline), and the issues found so far. Reads only; with `--notice` it also writes the
//! 催报通知 (Word) to `outbox/notices/催报通知-<round>.docx` and prints its path. Nothing is
//! sent.

use super::round::{consolidate, load_with_inbox, Timings};
use super::{configure_threads, pick_round, Printer, RunStatus, Setup};
use crate::cli::StatusArgs;
use crate::config::Config;
use crate::merge::RoundReport;
use crate::registry::Registry;
use crate::render::notice_docx::{self, NoticeData};
use crate::text::date::chinese_date;
use crate::write::write_atomic;
use anyhow::Result;
use std::io::Write;
use std::path::Path;

/// Prints the round's submission status on standard output.
pub(super) fn status(args: &StatusArgs, printer: &Printer) -> Result<RunStatus> {
    let config = Config::load(&args.config.config)?;
    let round = pick_round(&config, args.round.as_deref(), Some(&args.inbox))?.clone();
    configure_threads(args.jobs);
    let mut timings = Timings::start();
    let (setup, inbox) = load_with_inbox(config, &round, (&args.inbox, None), printer, &mut timings)?;
    let report = consolidate(&setup, &round, inbox, Path::new(""), &mut timings);
    let today = chrono::Local::now().date_naive();
    let mut out = std::io::stdout().lock();
    write_status(&mut out, &report, &setup.registry, today)?;
    if args.notice {
        write_notice(&mut out, &report, &setup, &args.outbox, today)?;
    }
    Ok(RunStatus::from_issues(&report.issues))
}

/// Writes the 催报通知 (when any unit is to be chased) and prints its path.
fn write_notice(
    out: &mut impl Write,
    report: &RoundReport,
    setup: &Setup,
    outbox: &Path,
    today: chrono::NaiveDate,
) -> Result<()> {
    let data = NoticeData::build(report, &setup.registry, &setup.config, today);
    if data.units.is_empty() {
        writeln!(out, "\n各牵头单位均已报送，无需催报，未生成催报通知。")?;
        return Ok(());
    }
    let template = notice_template(&setup.config)?;
    let bytes = notice_docx::render(&data, &setup.config, &template)?;
    let path = outbox
        .join("notices")
        .join(notice_docx::file_name(&report.round.id));
    write_atomic(&path, &bytes)?;
    writeln!(
        out,
        "\n已生成催报通知（{} 家单位，未发送）：{}",
        data.units.len(),
        path.display()
    )?;
    Ok(())
}

/// The office's `notice.j2` beside the configuration, or empty (the shipped one) when absent.
fn notice_template(config: &Config) -> Result<String> {
    let path = config.dir.join(notice_docx::TEMPLATE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(anyhow::anyhow!("无法读取催报通知模板 `{}`：{e}", path.display())),
    }
}

/// The status text: deadline, counts, the 催报 list with each unit's tasks, and what each
/// submitting unit sent.
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
        chinese_date(round.deadline),
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
            .map(|f| {
                format!(
                    "{}（{}）",
                    crate::text::sanitize::display_name(&f.path),
                    f.outcome.label()
                )
            })
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
