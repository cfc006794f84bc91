//! `roundup run`: the main job — load the round, render every output, write them as one set,
//! log, and print the summary.

use super::round::{consolidate, load_with_inbox, Timings};
use super::{configure_threads, pick_round, Printer, RunStatus};
use crate::cli::{BulletinKindArg, RunArgs};
use crate::config::{BulletinKind, Config};
use crate::diag::Level;
use crate::merge::{Outcome, RoundReport};
use crate::render::{self, RenderContext};
use crate::text::sanitize::display_name;
use crate::write;
use anyhow::{Context as _, Result};
use std::path::Path;

/// Runs the main job (contract §7).
pub(super) fn run(args: &RunArgs, printer: &Printer) -> Result<RunStatus> {
    run_round(args, printer).map(|(status, _)| status)
}

/// The main job run with no arguments (a double-click on Windows): from the folder that
/// holds `templates/` — the current one, else the executable's — then says in full where the
/// outputs are, for a clerk who has no terminal to look around in.
pub(super) fn run_default(args: &RunArgs, printer: &Printer) -> Result<RunStatus> {
    enter_bundle_dir(&args.config.config, printer);
    let (status, out_dir) = run_round(args, printer)?;
    let shown = std::path::absolute(&out_dir).unwrap_or(out_dir);
    printer.status(format!(
        "汇总表、工作简报、反馈表和 roundup.json 在文件夹：{}",
        shown.display()
    ));
    if status == RunStatus::Rejections {
        printer.status("有文件或数据行被退回：见汇总表的“校验问题”表和“反馈”文件夹。");
    }
    Ok(status)
}

/// Moves to the executable's folder when the current folder lacks the configuration and the
/// executable's has it (a shortcut or a scheduler may start roundup elsewhere).
fn enter_bundle_dir(config: &Path, printer: &Printer) {
    if config.is_absolute() || config.is_file() {
        return;
    }
    let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf))
    else {
        return;
    };
    if dir.join(config).is_file() && std::env::set_current_dir(&dir).is_ok() {
        printer.status(format!("工作文件夹：{}", dir.display()));
    }
}

/// The main job; also returns the round's output folder.
fn run_round(args: &RunArgs, printer: &Printer) -> Result<(RunStatus, std::path::PathBuf)> {
    let mut timings = Timings::start();
    let mut config = Config::load(&args.config.config)?;
    if let Some(kind) = args.bulletin_kind {
        config.bulletin.kind = match kind {
            BulletinKindArg::Briefing => BulletinKind::Briefing,
            BulletinKindArg::Circular => BulletinKind::Circular,
        };
    }
    let round = pick_round(&config, args.round.as_deref(), Some(&args.inbox))?.clone();
    if args.round.is_none() {
        printer.status(format!("轮次：{}（{}）", round.title, round.id));
    }
    configure_threads(args.jobs);
    timings.setup = timings.lap();
    let (setup, inbox) = load_with_inbox(
        config,
        &round,
        (&args.inbox, Some(&args.outbox)),
        printer,
        &mut timings,
    )?;
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
    let render::Rendered { outputs, issues } = render::render_round(&render_ctx)?;
    let manifest =
        render::json::manifest_json(&report, &setup.registry.digest, &setup.config.digest, &outputs)?;
    timings.render = timings.lap();
    let out_dir = args.outbox.join(&round.id);
    write::write_outputs(&out_dir, &outputs, &manifest)?;
    timings.write = timings.lap();
    if args.timings {
        printer.machine(serde_json::to_string(&timings)?);
    }
    let layout = if args.pdf {
        export_pdf(&out_dir, &render_ctx, printer)
    } else {
        Vec::new()
    };
    let mut report = report;
    for issue in issues {
        printer.warn(display_name(&format!(
            "{}：{}",
            issue.file.as_deref().unwrap_or(""),
            issue.message
        )));
        report.issues.push(issue);
    }
    let mut summary = summary_line(&report, &out_dir);
    for finding in &layout {
        summary.push_str(&format!("\n警告：简报版式自检：{finding}"));
    }
    write::log::append(&args.outbox, &round, &summary, &report);
    printer.status(summary);
    Ok((RunStatus::from_issues(&report.issues), out_dir))
}

/// Converts the bulletin to PDF with LibreOffice (a missing LibreOffice is a warning) and
/// checks the rendered layout; returns the layout findings.
fn export_pdf(out_dir: &Path, ctx: &RenderContext, printer: &Printer) -> Vec<String> {
    let docx = out_dir.join(render::bulletin_file_name(&ctx.report.round.id));
    match write::pdf::export_pdf(&docx, out_dir) {
        Ok(pdf) => {
            printer.status(format!(
                "已导出 PDF：{}",
                display_name(&pdf.display().to_string())
            ));
            let expected = render::bulletin_docx::pagecheck::expected(ctx);
            write::pdf::check_layout(&pdf, &expected).unwrap_or_else(|e| vec![e])
        }
        Err(err) => {
            printer.warn(format!("未能导出 PDF：{err}"));
            Vec::new()
        }
    }
}

/// The one-line summary printed and logged at the end of a run.
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
        display_name(&out_dir.display().to_string())
    )
}
