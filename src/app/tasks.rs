//! `roundup tasks`: list the registry, or import it from the plan's annex.

use super::{load_registry, resolve_unit_arg, Printer, RunStatus};
use crate::cli::{Format, TasksAction, TasksArgs};
use crate::config::Config;
use crate::registry::{import, Registry};
use crate::write::write_atomic;
use anyhow::{Context as _, Result};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Runs `tasks list` or `tasks import`.
pub(super) fn tasks(args: &TasksArgs, printer: &Printer) -> Result<RunStatus> {
    let config = Config::load(&args.config.config)?;
    match &args.action {
        TasksAction::List { unit, format } => {
            let registry = load_registry(&config)?;
            list_tasks(&registry, unit.as_deref(), *format)
        }
        TasksAction::Import { file, output } => {
            let registry = import_annex(file, &config.aliases)?;
            let target = output.clone().unwrap_or_else(|| config.registry_path.clone());
            let text = import::RegistryFile::from_registry(&registry).to_toml()?;
            write_atomic(&target, text.as_bytes())?;
            printer.status(format!(
                "已导入 {} 项任务（{} 个篇章、{} 个分组、{} 个牵头单位）到 {}",
                registry.tasks.len(),
                registry.parts.len(),
                registry.groups.len(),
                registry.lead_units().len(),
                target.display()
            ));
            Ok(RunStatus::Clean)
        }
    }
}

/// Prints the tasks (all, or those a unit reports on) as text or JSON.
fn list_tasks(registry: &Registry, unit: Option<&str>, format: Format) -> Result<RunStatus> {
    let unit = unit.map(|name| resolve_unit_arg(registry, name)).transpose()?;
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

/// Reads the plan's annex (`.txt`, or a `.docx`/`.xlsx` whose table has the annex's columns)
/// into a registry.
fn import_annex(path: &Path, aliases: &BTreeMap<String, String>) -> Result<Registry> {
    let bytes = std::fs::read(path).with_context(|| format!("无法读取 `{}`", path.display()))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let rows = match ext.as_str() {
        "txt" | "text" | "md" => import::text_rows(&String::from_utf8_lossy(&bytes)),
        _ => crate::ingest::table_rows_for_import(path, &bytes)
            .with_context(|| format!("无法从 `{}` 导入任务清单", path.display()))?,
    };
    import::import_rows(&rows, aliases).map_err(|source| {
        crate::registry::RegistryError::Import {
            path: path.to_owned(),
            source: Box::new(source),
        }
        .into()
    })
}
