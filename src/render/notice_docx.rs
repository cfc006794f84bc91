//! 催报通知: a short Word notice to the lead units that have not submitted or whose files were
//! all rejected, each with its tasks and what was wrong, and the deadline.
//!
//! [`NoticeData`] gathers the facts from the round report; `templates/notice.j2` (minijinja,
//! the bulletin's block language) words them; the bulletin's docx machinery
//! ([`super::bulletin_docx`]) lays them out in the office's format (仿宋_GB2312 三号 body,
//! 方正小标宋简体 title, odd/even page numbers) and finishes the package deterministically.
//! Nothing here sends anything.

use super::bulletin_docx::{blocks, layout, postprocess, style, zip_timestamp};
use super::RenderError;
use crate::config::Config;
use crate::diag::Level;
use crate::merge::{Outcome, RoundReport};
use crate::registry::Registry;
use crate::text::date::chinese_date;
use chrono::NaiveDate;
use serde::Serialize;

/// The shipped notice template, used when the office's `templates/notice.j2` is missing or
/// empty.
pub const DEFAULT_TEMPLATE: &str = include_str!("../../templates/notice.j2");

/// The template's file name (beside `roundup.toml`).
pub const TEMPLATE_NAME: &str = "notice.j2";

/// Days given to submit when the round's deadline has passed.
pub const GRACE_DAYS: i64 = 3;

/// At most this many problems are listed per unit.
const MAX_PROBLEMS: usize = 5;

/// `催报通知-<round>.docx`
pub fn file_name(round_id: &str) -> String {
    format!("催报通知-{round_id}.docx")
}

/// What the notice template sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeData {
    /// The office and the pilot's name.
    pub office: OfficeNames,
    /// The round (dates as printed).
    pub round: RoundNames,
    /// The day the notice is made.
    #[serde(skip)]
    pub today: NaiveDate,
    /// 成文日期 (`today` as printed).
    pub date: String,
    /// The date to submit by: the round's deadline, or [`GRACE_DAYS`] after today when the
    /// deadline has passed.
    pub submit_by: String,
    /// True when the round's deadline has passed.
    pub overdue: bool,
    /// The units chased, lead units in registry order.
    pub units: Vec<NoticeUnit>,
    /// How many have not submitted anything.
    pub missing_count: usize,
    /// How many submitted files that were all rejected.
    pub rejected_count: usize,
}

/// The office's names.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeNames {
    /// 发文单位.
    pub name: String,
    /// The pilot's name (`服务业扩大开放综合试点`).
    pub pilot: String,
}

/// The round's names and dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundNames {
    /// `2024Q2`
    pub id: String,
    /// `2024年第二季度`
    pub title: String,
    /// `2024年7月10日`
    pub deadline: String,
}

/// One unit chased.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeUnit {
    /// Registry name.
    pub name: String,
    /// True when it sent files but none was used.
    pub rejected: bool,
    /// The tasks it leads.
    pub tasks: Vec<NoticeTask>,
    /// `任务1、任务13`
    pub task_list: String,
    /// What was wrong with its files (errors, at most a few), e.g. `《x.xlsx》：……`.
    pub problems: Vec<String>,
}

/// A task to report on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeTask {
    /// Task id.
    pub id: u32,
    /// Task text.
    pub text: String,
}

impl NoticeData {
    /// The notice's facts for `report` as of `today`.
    pub fn build(report: &RoundReport, registry: &Registry, config: &Config, today: NaiveDate) -> NoticeData {
        let round = &report.round;
        let overdue = today > round.deadline;
        let submit_by = if overdue {
            today + chrono::Duration::days(GRACE_DAYS)
        } else {
            round.deadline
        };
        let units: Vec<NoticeUnit> = chased_units(report)
            .into_iter()
            .map(|unit| chased_unit(report, registry, unit))
            .collect();
        let rejected_count = units.iter().filter(|u| u.rejected).count();
        NoticeData {
            office: OfficeNames {
                name: config.office.name.clone(),
                pilot: config.office.programme_name(),
            },
            round: RoundNames {
                id: round.id.clone(),
                title: round.title.clone(),
                deadline: chinese_date(round.deadline),
            },
            today,
            date: chinese_date(today),
            submit_by: chinese_date(submit_by),
            overdue,
            missing_count: units.len() - rejected_count,
            rejected_count,
            units,
        }
    }

    /// The 主送 line: the chased units, `、`-separated.
    pub fn addressees(&self) -> String {
        let names: Vec<&str> = self.units.iter().map(|u| u.name.as_str()).collect();
        names.join("、")
    }
}

/// The units to chase: those that sent nothing (`missing_units`), then those whose every
/// file was rejected (报送但有误: they count as submitted, but nothing of theirs was used).
fn chased_units(report: &RoundReport) -> Vec<&str> {
    let mut units: Vec<&str> = report.missing_units.iter().map(String::as_str).collect();
    units.extend(
        report
            .submissions
            .iter()
            .filter(|s| !s.files.iter().any(|f| f.outcome == crate::merge::Outcome::Used))
            .map(|s| s.unit.as_str())
            .filter(|u| !report.missing_units.iter().any(|m| m == u)),
    );
    units
}

/// A unit without a used file: its tasks and, when it sent files, their errors.
fn chased_unit(report: &RoundReport, registry: &Registry, unit: &str) -> NoticeUnit {
    let tasks: Vec<NoticeTask> = registry
        .tasks_led_by(unit)
        .map(|t| NoticeTask {
            id: t.id,
            text: t.text.clone(),
        })
        .collect();
    let files: Vec<&str> = report
        .submissions
        .iter()
        .filter(|s| s.unit == unit)
        .flat_map(|s| s.files.iter())
        .filter(|f| f.outcome == Outcome::Rejected)
        .map(|f| f.path.as_str())
        .collect();
    let task_list: Vec<String> = tasks.iter().map(|t| format!("任务{}", t.id)).collect();
    NoticeUnit {
        name: unit.to_owned(),
        rejected: !files.is_empty(),
        task_list: task_list.join("、"),
        tasks,
        problems: problems(report, &files),
    }
}

/// The distinct error messages on `files`, each with its file, at most [`MAX_PROBLEMS`].
fn problems(report: &RoundReport, files: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in &report.issues {
        let Some(file) = d.file.as_deref() else { continue };
        if d.level != Level::Error || !files.contains(&file) {
            continue;
        }
        let line = format!("《{}》：{}", file_label(file), d.message.trim_end_matches('。'));
        if !out.contains(&line) {
            out.push(line);
        }
        if out.len() == MAX_PROBLEMS {
            break;
        }
    }
    out
}

/// The file's name without its folders.
fn file_label(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// Renders the notice (`.docx` bytes) with `template` (the shipped one when empty).
pub fn render(data: &NoticeData, config: &Config, template: &str) -> Result<Vec<u8>, RenderError> {
    let name = file_name(&data.round.id);
    let template = if template.trim().is_empty() {
        DEFAULT_TEMPLATE
    } else {
        template
    };
    let blocks = blocks::render_serialize(template, TEMPLATE_NAME, data, &[])?;
    let profile = config.bulletin.fonts;
    let time = notice_time(data);
    let created = time.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let addressees = data.addressees();
    let document = layout::short_document(
        &blocks,
        &addressees,
        (&config.office.name, &data.date),
        profile,
        &created,
    );
    let docx_error = |source: postprocess::PostprocessError| RenderError::Docx {
        name: name.clone(),
        source,
    };
    let mut packed = std::io::Cursor::new(Vec::new());
    document
        .build()
        .pack(&mut packed)
        .map_err(|e| docx_error(postprocess::PostprocessError::pack(e)))?;
    postprocess::patch_package(packed.get_ref(), &style::font_table(profile), zip_timestamp(time))
        .map_err(docx_error)
}

/// The document time: 09:00 on the day of the notice.
fn notice_time(data: &NoticeData) -> chrono::NaiveDateTime {
    data.today
        .and_time(chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use std::path::Path;

    fn config() -> Config {
        Config::load(Path::new("templates/roundup.toml")).unwrap()
    }

    fn data(today: NaiveDate) -> NoticeData {
        let unit = |name: &str, rejected: bool, problems: Vec<String>| NoticeUnit {
            name: name.into(),
            rejected,
            tasks: vec![NoticeTask {
                id: 5,
                text: "第5项任务".into(),
            }],
            task_list: "任务5".into(),
            problems,
        };
        NoticeData {
            office: OfficeNames {
                name: "某办".into(),
                pilot: "综合试点".into(),
            },
            round: RoundNames {
                id: "2024Q2".into(),
                title: "2024年第二季度".into(),
                deadline: "2024年7月10日".into(),
            },
            today,
            date: chinese_date(today),
            submit_by: "2024年7月10日".into(),
            overdue: false,
            units: vec![
                unit("市科技局", false, vec![]),
                unit(
                    "市金融局",
                    true,
                    vec!["《a.xlsx》：文件标明的轮次不是本轮".into()],
                ),
            ],
            missing_count: 1,
            rejected_count: 1,
        }
    }

    fn document_xml(bytes: &[u8]) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }

    #[test]
    fn the_notice_names_each_unit_its_tasks_and_what_was_wrong() {
        let today = NaiveDate::from_ymd_opt(2024, 7, 5).unwrap();
        let config = config();
        let bytes = render(&data(today), &config, "").unwrap();
        let xml = document_xml(&bytes);
        for text in [
            "催报通知",
            "市科技局、市金融局：",
            "（一）",
            "尚未报送",
            "任务5",
            "文件标明的轮次不是本轮",
            "2024年7月5日",
            "方正小标宋简体",
        ] {
            assert!(xml.contains(text), "{text}");
        }
        assert_eq!(render(&data(today), &config, "").unwrap(), bytes);
    }

    #[test]
    fn a_broken_template_is_named_with_its_line() {
        let today = NaiveDate::from_ymd_opt(2024, 7, 5).unwrap();
        let err = render(&data(today), &config(), "正文\n{{ units[ }}").unwrap_err();
        assert!(
            matches!(&err, RenderError::Template { template, line: 2, .. } if template == TEMPLATE_NAME),
            "{err:?}"
        );
    }
}
