//! 工作简报 / 通报: the official-format bulletin (GB/T 9704 layout) written with docx-rs.
//!
//! Pipeline: [`data`] gathers the figures and texts from the round report → [`blocks`] renders
//! the office-editable template (`templates/bulletin.j2`, minijinja) into a small block
//! language → [`layout`] builds the document with docx-rs ([`style`] holds the format values,
//! [`metrics`] the fonts' widths, [`measure`] estimates line breaks and where the body ends)
//! → [`postprocess`] patches what docx-rs cannot
//! write and repacks the package deflated and deterministic. [`pagecheck`] checks a rendered
//! PDF against the layout acceptance list; the write stage exports the PDF and runs it.

pub mod blocks;
pub mod data;
pub mod layout;
pub mod measure;
pub mod metrics;
pub mod pagecheck;
pub mod postprocess;
pub mod style;
pub mod text;

use super::{RenderContext, RenderError};
use std::path::Path;

/// The template's name in messages when the configuration does not name one.
const DEFAULT_TEMPLATE_NAME: &str = "bulletin.j2";

/// The shipped body template, used when the configured one is empty or missing.
const DEFAULT_TEMPLATE: &str = include_str!("../../../templates/bulletin.j2");

/// Renders the bulletin (`.docx` bytes).
pub fn render(ctx: &RenderContext) -> Result<Vec<u8>, RenderError> {
    let name = super::bulletin_file_name(&ctx.report.round.id);
    let docx_error = |source: postprocess::PostprocessError| RenderError::Docx {
        name: name.clone(),
        source,
    };
    let data = data::build(ctx);
    let tables = data::tables(&data);
    let table_names: Vec<&str> = tables.keys().copied().collect();
    let (template, template_name) = if ctx.bulletin_template.trim().is_empty() {
        (DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME.to_string())
    } else {
        (ctx.bulletin_template, template_name(ctx))
    };
    let blocks = blocks::render(template, &template_name, &data, &table_names)?;
    let time = super::document_time(&ctx.report.round);
    let created = time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let document = layout::document(&layout::Inputs {
        data: &data,
        blocks: &blocks,
        tables: &tables,
        config: ctx.config,
        created: &created,
    });
    let mut packed = std::io::Cursor::new(Vec::new());
    document
        .build()
        .pack(&mut packed)
        .map_err(|e| docx_error(postprocess::PostprocessError::pack(e)))?;
    let fonts = style::font_table(ctx.config.bulletin.fonts);
    postprocess::patch_package(packed.get_ref(), &fonts, zip_time(time)).map_err(docx_error)
}

/// The template file's name as configured (for messages).
fn template_name(ctx: &RenderContext) -> String {
    Path::new(&ctx.config.bulletin.template)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| DEFAULT_TEMPLATE_NAME.to_string())
}

/// A zip timestamp for the round's document time (1980-01-01 when out of range).
fn zip_time(time: chrono::NaiveDateTime) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let part = |v: u32| u8::try_from(v).unwrap_or(0);
    u16::try_from(time.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                part(time.month()),
                part(time.day()),
                part(time.hour()),
                part(time.minute()),
                part(time.second()),
            )
            .ok()
        })
        .unwrap_or_default()
}

/// The zip timestamp of a document dated `time` (for other documents in the bulletin's
/// format, finished by [`postprocess::patch_package`]).
pub fn zip_timestamp(time: chrono::NaiveDateTime) -> zip::DateTime {
    zip_time(time)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::merge::{stats, Light, RoundReport, TaskOutcome};
    use crate::registry::{Group, Part, Registry, Task};
    use crate::vocab::Status;
    use std::collections::BTreeMap;

    fn context_parts() -> (Config, Registry, RoundReport) {
        let path = Path::new("templates/roundup.toml");
        let text = std::fs::read_to_string(path).unwrap();
        let config = Config::parse(&text, path).unwrap();
        let task = |id: u32, lead: &str| Task {
            id,
            part: 0,
            group: 0,
            text: format!("第{id}项试点任务的内容，包括若干具体要求。"),
            guidance: vec![],
            lead: vec![lead.to_string()],
            cooperating: vec![],
            leads: vec![],
        };
        let registry = Registry::new(
            vec![Part {
                number: "一".into(),
                title: "推动重点领域扩大开放".into(),
            }],
            vec![Group {
                number: "（一）".into(),
                title: "重点行业".into(),
                part: 0,
            }],
            vec![task(1, "市商务局"), task(2, "市科技局")],
            &BTreeMap::new(),
        )
        .unwrap();
        let tasks = vec![
            TaskOutcome {
                id: 1,
                status: Some(Status::Completed),
                percent: Some(100.0),
                expected_percent: 41.7,
                light: Light::Green,
                previous_status: None,
                change: None,
                carried_forward: false,
                reports: vec![],
            },
            TaskOutcome {
                id: 2,
                status: None,
                percent: None,
                expected_percent: 41.7,
                light: Light::Red,
                previous_status: None,
                change: None,
                carried_forward: false,
                reports: vec![],
            },
        ];
        let stats = stats::compute(&registry, &tasks, &[]);
        let report = RoundReport {
            round: config.round("2024Q2").unwrap().clone(),
            previous_round: None,
            tasks,
            submissions: vec![],
            missing_units: vec!["市商务局".into(), "市科技局".into()],
            issues: vec![],
            unit_texts: BTreeMap::new(),
            files: vec![],
            stats,
            assessment: None,
            tables: BTreeMap::new(),
        };
        (config, registry, report)
    }

    #[test]
    fn two_renders_are_byte_identical_and_an_empty_template_falls_back() {
        let (config, registry, report) = context_parts();
        let ctx = RenderContext {
            report: &report,
            registry: &registry,
            config: &config,
            bulletin_template: "",
        };
        let first = render(&ctx).unwrap();
        assert_eq!(first, render(&ctx).unwrap());
        assert!(first.starts_with(b"PK"));
        let with_default = RenderContext {
            bulletin_template: DEFAULT_TEMPLATE,
            ..ctx
        };
        assert_eq!(first, render(&with_default).unwrap());
    }

    #[test]
    fn issue_numbers_count_rounds_within_their_year() {
        let (config, registry, mut report) = context_parts();
        let number = |report: &RoundReport| {
            data::issue_number(&RenderContext {
                report,
                registry: &registry,
                config: &config,
                bulletin_template: "",
            })
        };
        assert_eq!(number(&report), 2);
        report.round = config.round("2023Q4").unwrap().clone();
        assert_eq!(number(&report), 2);
        report.round = config.round("2025Q1").unwrap().clone();
        assert_eq!(number(&report), 1);
        report.round.issue = Some(9);
        assert_eq!(number(&report), 9);
    }
}
