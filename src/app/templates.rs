//! `roundup templates`: the fillable forms (进展表 and Word skeleton) for each lead unit,
//! pre-filled with the unit's answers of the previous round when its `roundup.json` is in
//! the outbox.

use super::{load_setup, pick_round, resolve_unit_arg, Printer, RunStatus};
use crate::cli::TemplatesArgs;
use crate::config::{Config, Round};
use crate::merge::roundup_json::RoundupJson;
use crate::render::forms::UnitPrevious;
use crate::render::{self, Output};
use crate::write::write_atomic;
use anyhow::Result;
use rayon::prelude::*;
use std::path::Path;

/// Writes the forms of every lead unit (or one) to `outbox/templates/<round>/`.
pub(super) fn templates(args: &TemplatesArgs, printer: &Printer) -> Result<RunStatus> {
    let setup = load_setup(&args.config.config)?;
    let round = pick_round(&setup.config, args.round.as_deref(), None)?;
    let units: Vec<String> = match &args.unit {
        Some(name) => vec![resolve_unit_arg(&setup.registry, name)?.to_owned()],
        None => setup
            .registry
            .lead_units()
            .into_iter()
            .map(str::to_owned)
            .collect(),
    };
    let previous_text = previous_result(&setup.config, round, &args.outbox);
    let previous = previous_text.as_deref().and_then(RoundupJson::parse);
    let dir = args.outbox.join("templates").join(&round.id);
    let forms: Vec<Output> = units
        .par_iter()
        .map(|unit| {
            let answers = previous.as_ref().map(|file| UnitPrevious::of(file, unit));
            render::forms::render_unit_with(&setup.registry, &setup.config, round, unit, answers.as_ref())
        })
        .collect::<Result<Vec<Vec<Output>>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    for form in &forms {
        write_atomic(&dir.join(&form.name), &form.bytes)?;
    }
    if let Some(file) = &previous {
        printer.status(format!("已按 {} 的汇总结果预填各单位上期报送内容", file.round.id));
    }
    printer.status(format!(
        "已为 {} 个单位生成 {} 个填报模板：{}",
        units.len(),
        forms.len(),
        dir.display()
    ));
    Ok(RunStatus::Clean)
}

/// The text of the previous round's `roundup.json` (`outbox/<previous round>/roundup.json`),
/// when there is one.
fn previous_result(config: &Config, round: &Round, outbox: &Path) -> Option<String> {
    let previous = config.previous_round(round)?;
    std::fs::read_to_string(outbox.join(&previous.id).join("roundup.json")).ok()
}
