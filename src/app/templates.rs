//! `roundup templates`: the fillable forms (进展表 and Word skeleton) for each lead unit.

use super::{load_setup, pick_round, resolve_unit_arg, Printer, RunStatus};
use crate::cli::TemplatesArgs;
use crate::render::{self, Output};
use crate::write::write_atomic;
use anyhow::Result;
use rayon::prelude::*;

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
    printer.status(format!(
        "已为 {} 个单位生成 {} 个填报模板：{}",
        units.len(),
        forms.len(),
        dir.display()
    ));
    Ok(RunStatus::Clean)
}
