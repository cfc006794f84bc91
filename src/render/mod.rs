//! Render: [`RoundReport`] -> the bytes of every output (summary workbook, bulletin, feedback
//! workbooks, `roundup.json`, `manifest.json`), and the fillable forms. No I/O and no clock:
//! document timestamps are derived from the round, so outputs are byte-identical across runs.

pub mod bulletin_docx;
pub mod feedback_xlsx;
pub mod forms;
pub mod json;
pub mod notice_docx;
pub mod summary_xlsx;
pub mod xlsx;

use crate::config::{Config, Round};
use crate::diag::Diagnostic;
use crate::merge::RoundReport;
use crate::registry::Registry;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Errors while rendering an output.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// rust_xlsxwriter refused something.
    #[error("生成工作簿 `{name}` 失败：{source}")]
    Xlsx {
        /// The output's name.
        name: String,
        /// The writer's error.
        source: rust_xlsxwriter::XlsxError,
    },
    /// docx-rs or the post-processing failed.
    #[error("生成 Word 文档 `{name}` 失败：{source}")]
    Docx {
        /// The output's name.
        name: String,
        /// What went wrong (docx-rs's zip error, or the post-processing's).
        #[source]
        source: bulletin_docx::postprocess::PostprocessError,
    },
    /// The bulletin template failed (names the template line).
    #[error("简报模板 `{template}` 第{line}行有误：{message}")]
    Template {
        /// The template file.
        template: String,
        /// 1-based line.
        line: usize,
        /// What went wrong.
        message: String,
    },
    /// JSON serialisation failed.
    #[error("生成 JSON 失败：{0}")]
    Json(#[from] serde_json::Error),
}

/// What every renderer reads.
#[derive(Debug, Clone, Copy)]
pub struct RenderContext<'a> {
    /// The consolidated round.
    pub report: &'a RoundReport,
    /// The task registry.
    pub registry: &'a Registry,
    /// The configuration.
    pub config: &'a Config,
    /// The bulletin body template's text (from `templates/`).
    pub bulletin_template: &'a str,
}

/// One output file: its path relative to `outbox/<round>/` and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Relative path with `/` separators.
    pub name: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// The fixed document timestamp of a round's outputs: its deadline at 09:00.
pub fn document_time(round: &Round) -> NaiveDateTime {
    round
        .deadline
        .and_time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
}

/// The issue date printed on the bulletin: the round's deadline.
pub fn issue_date(round: &Round) -> NaiveDate {
    round.deadline
}

/// Every output of a round except the manifest, and the issues raised while rendering them.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The outputs, sorted by name.
    pub outputs: Vec<Output>,
    /// One issue per unit whose output could not be written in full (`output-failed`); they
    /// are already in the summary workbook and `roundup.json` rendered here.
    pub issues: Vec<Diagnostic>,
}

/// Renders every output of a round except `manifest.json` (which describes them).
/// Independent outputs are rendered in parallel; the list is sorted by name. A unit's
/// feedback workbook that cannot be written becomes an issue for that unit, and the summary
/// workbook and `roundup.json` are rendered again to list it (contract §5).
pub fn render_round(ctx: &RenderContext) -> Result<Rendered, RenderError> {
    let round = &ctx.report.round.id;
    // The two largest single outputs start first; the feedback workbooks fill the gaps.
    let (summary, (bulletin, (feedback, json))) = rayon::join(
        || summary_xlsx::render(ctx),
        || {
            rayon::join(
                || bulletin_docx::render(ctx),
                || {
                    rayon::join(
                        || feedback_xlsx::render_each(ctx),
                        || json::roundup_json(ctx.report),
                    )
                },
            )
        },
    );
    let (feedback, issues) = feedback;
    let (summary, json) = if issues.is_empty() {
        (summary?, json?)
    } else {
        let mut report = ctx.report.clone();
        report.issues.extend(issues.iter().cloned());
        let again = RenderContext {
            report: &report,
            ..*ctx
        };
        (summary_xlsx::render(&again)?, json::roundup_json(&report)?)
    };
    let mut outputs = vec![
        Output {
            name: format!("汇总表-{round}.xlsx"),
            bytes: summary,
        },
        Output {
            name: bulletin_file_name(round),
            bytes: bulletin?,
        },
        Output {
            name: "roundup.json".into(),
            bytes: json,
        },
    ];
    outputs.extend(feedback);
    outputs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Rendered { outputs, issues })
}

/// The bulletin's file name in a round's output folder, e.g. `工作简报-2024Q2.docx`.
pub fn bulletin_file_name(round_id: &str) -> String {
    format!("工作简报-{round_id}.docx")
}
