//! `roundup status`: the 催报 view — who has submitted, who has not (with their tasks and the
//! deadline), and the issues found so far. Reads only; writes nothing.

use super::round::{consolidate, load_with_inbox, Timings};
use super::{pick_round, Printer, RunStatus};
use crate::cli::StatusArgs;
use crate::config::Config;
use crate::merge::RoundReport;
use crate::registry::Registry;
use crate::text::date::chinese_date;
use anyhow::Result;
use std::io::Write;
use std::path::Path;

/// Prints the round's submission status on standard output.
pub(super) fn status(args: &StatusArgs) -> Result<RunStatus> {
    let printer = Printer::new(false);
    let config = Config::load(&args.config.config)?;
    let round = pick_round(&config, args.round.as_deref())?.clone();
    let mut timings = Timings::start();
    let (setup, inbox) = load_with_inbox(config, &round, (&args.inbox, None), &printer, &mut timings)?;
    let report = consolidate(&setup, &round, inbox, Path::new(""), &mut timings);
    let today = chrono::Local::now().date_naive();
    let mut out = std::io::stdout().lock();
    write_status(&mut out, &report, &setup.registry, today)?;
    Ok(RunStatus::from_issues(&report.issues))
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
