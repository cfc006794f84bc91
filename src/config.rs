//! Configuration: `templates/roundup.toml` -> a validated [`Config`] (office, pilot period,
//! rounds, status and column vocabularies, unit aliases, light thresholds, limits, bulletin).
//!
//! Everything an office may want to change without recompiling lives here, not in code.

use crate::vocab::{Field, Status};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Errors while loading the configuration. Messages are Chinese and name the file, line and key.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("无法读取配置文件 `{}`：{}", path.display(), crate::text::io::reason(error))]
    Io {
        /// The configuration file.
        path: PathBuf,
        /// The I/O error (worded in Chinese in the message, so not a `source`).
        error: std::io::Error,
    },
    /// The TOML is malformed or a key has the wrong type.
    #[error("配置文件 `{path}` 第{line}行有误：{message}")]
    Parse {
        /// The configuration file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// What the parser said.
        message: String,
    },
    /// The values are well-formed but inconsistent.
    #[error("配置文件 `{path}` 中 `{key}` 有误：{message}")]
    Invalid {
        /// The configuration file.
        path: PathBuf,
        /// The offending key, e.g. `rounds[3].deadline`.
        key: String,
        /// What is wrong.
        message: String,
    },
}

/// The issuing office and the bulletin's distribution (报/送/发).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Office {
    /// 编发单位, e.g. 南京市服务业扩大开放综合试点工作领导小组办公室.
    pub name: String,
    /// The office's short name (规范化简称), used on the 报头 and 印发 lines when the full
    /// name would need condensing below 80 % to keep the date on the same line.
    #[serde(default)]
    pub short_name: Option<String>,
    /// The leading group the office serves.
    pub leading_group: String,
    /// 简报名称, printed in red at the top of the bulletin.
    pub bulletin_name: String,
    /// 报： recipients (superiors).
    #[serde(default)]
    pub report_to: Vec<String>,
    /// 送： recipients (peers).
    #[serde(default)]
    pub send_to: Vec<String>,
    /// 发： recipients (subordinates).
    #[serde(default)]
    pub distribute_to: Vec<String>,
    /// 共印N份, when printed.
    #[serde(default)]
    pub copies: Option<u32>,
    /// How the city writes itself before a unit's name (`南京市`: `南京市发改委` = `市发改委`);
    /// when absent, the office name up to its first `市` (contract §4).
    #[serde(default)]
    pub city: Option<String>,
}

impl Office {
    /// The city prefix of unit names: [`Office::city`], else the office name up to and
    /// including its first `市` when that comes within the first few characters, else none.
    pub fn city_prefix(&self) -> String {
        if let Some(city) = &self.city {
            return city.trim().to_owned();
        }
        const LONGEST_CITY_NAME: usize = 8;
        self.name
            .char_indices()
            .take(LONGEST_CITY_NAME)
            .find(|(i, c)| *c == '市' && *i > 0)
            .map(|(i, c)| self.name[..i + c.len_utf8()].to_owned())
            .unwrap_or_default()
    }
}

/// The pilot period, used for 序时进度 (expected progress).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Pilot {
    /// First day of the pilot.
    pub start: NaiveDate,
    /// Last day of the pilot.
    pub end: NaiveDate,
}

/// One supervision round (督查轮次).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Round {
    /// e.g. `2024Q2`.
    pub id: String,
    /// e.g. `2024年第二季度`.
    pub title: String,
    /// First day of the reporting period.
    pub start: NaiveDate,
    /// Last day of the reporting period.
    pub end: NaiveDate,
    /// Submission deadline.
    pub deadline: NaiveDate,
    /// The bulletin's issue number (第N期); derived from the round when absent.
    #[serde(default)]
    pub issue: Option<u32>,
}

/// Traffic-light rules (亮灯规则).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Lights {
    /// Yellow when behind 序时进度 by more than this many points.
    pub yellow_margin: f64,
    /// Red when behind 序时进度 by more than this many points.
    pub red_margin: f64,
    /// 未启动 after this many days of the pilot is at least yellow.
    pub not_started_grace_days: i64,
}

impl Default for Lights {
    fn default() -> Self {
        Lights {
            yellow_margin: 15.0,
            red_margin: 30.0,
            not_started_grace_days: 365,
        }
    }
}

/// Safety limits for untrusted input.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest inflated size of one zip part, in bytes.
    pub max_part_bytes: u64,
    /// Largest inflated size of all parts of one file, in bytes.
    pub max_inflated_bytes: u64,
    /// Most entries in one zip package.
    pub max_zip_entries: usize,
    /// Most rows read from one sheet.
    pub max_rows: u32,
    /// Most columns read from one sheet.
    pub max_cols: u32,
    /// Deepest XML nesting accepted.
    pub max_xml_depth: usize,
    /// Seconds one file may take to parse.
    pub file_timeout_secs: u64,
    /// Memory limit of one parsing worker, in MiB (Unix only).
    pub worker_memory_mib: u64,
    /// Largest parsed result of one file (as the worker sends it), in bytes; a file over it
    /// is rejected, so that no file can flood the main process.
    pub max_result_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 100 << 20,
            max_part_bytes: 200 << 20,
            max_inflated_bytes: 400 << 20,
            max_zip_entries: 10_000,
            max_rows: 100_000,
            max_cols: 200,
            max_xml_depth: 256,
            file_timeout_secs: 30,
            worker_memory_mib: 1024,
            max_result_bytes: 64 << 20,
        }
    }
}

/// Heading words that open the named sections of a Word report (contract §3).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ReportSections {
    /// 典型案例 / 创新案例
    pub cases: Vec<String>,
    /// 存在问题
    pub problems: Vec<String>,
    /// 下步计划 / 下一步工作
    pub next_steps: Vec<String>,
    /// 政策诉求 / 意见建议
    pub policy: Vec<String>,
}

impl Default for ReportSections {
    fn default() -> Self {
        let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect();
        ReportSections {
            cases: words(&["典型案例", "创新案例", "案例"]),
            problems: words(&["存在问题", "存在的问题", "困难和问题", "问题和困难", "困难问题"]),
            next_steps: words(&[
                "下步计划",
                "下一步计划",
                "下一步工作",
                "下步工作",
                "下步打算",
                "下一步打算",
            ]),
            policy: words(&["政策诉求", "意见建议", "诉求", "建议"]),
        }
    }
}

/// Which kind of bulletin is written.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
pub enum BulletinKind {
    /// 工作简报
    #[default]
    #[serde(rename = "简报")]
    Briefing,
    /// 通报
    #[serde(rename = "通报")]
    Circular,
}

/// Which font names are written.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum FontProfile {
    /// 仿宋_GB2312, 楷体_GB2312, 方正小标宋简体 … with fontTable alternates.
    #[default]
    Standard,
    /// 仿宋, 楷体, 宋体 written directly.
    Compat,
}

/// Bulletin settings.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct BulletinSettings {
    /// 简报 or 通报.
    pub kind: BulletinKind,
    /// Font names profile.
    pub fonts: FontProfile,
    /// The body template, relative to the configuration file.
    pub template: String,
    /// 发文字号 prefix for a 通报, e.g. `宁服开办`.
    pub document_prefix: String,
    /// 主送 line for a 通报.
    pub addressees: String,
}

impl Default for BulletinSettings {
    fn default() -> Self {
        BulletinSettings {
            kind: BulletinKind::Briefing,
            fonts: FontProfile::Standard,
            template: "bulletin.j2".into(),
            document_prefix: "宁服开办".into(),
            addressees: "领导小组各成员单位".into(),
        }
    }
}

/// The raw file layout of `roundup.toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    registry: String,
    office: Office,
    pilot: Pilot,
    rounds: Vec<Round>,
    #[serde(default)]
    status_synonyms: BTreeMap<String, Status>,
    columns: BTreeMap<Field, Vec<String>>,
    #[serde(default)]
    aliases: BTreeMap<String, String>,
    #[serde(default)]
    delegated_units: BTreeMap<String, String>,
    #[serde(default)]
    lights: Lights,
    #[serde(default)]
    limits: Limits,
    #[serde(default)]
    bulletin: BulletinSettings,
    #[serde(default)]
    report_sections: ReportSections,
    #[serde(default)]
    assessment: Option<AssessmentSettings>,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Where the configuration was read from.
    pub path: PathBuf,
    /// The folder holding the configuration (and, by default, the registry and templates).
    pub dir: PathBuf,
    /// The registry file.
    pub registry_path: PathBuf,
    /// Office names and distribution.
    pub office: Office,
    /// Pilot period.
    pub pilot: Pilot,
    /// Rounds in chronological order.
    pub rounds: Vec<Round>,
    /// Synonym -> canonical status (canonical labels are always accepted).
    pub status_synonyms: BTreeMap<String, Status>,
    /// Field -> accepted header texts.
    pub columns: BTreeMap<Field, Vec<String>>,
    /// Alias -> unit name as in the registry.
    pub aliases: BTreeMap<String, String>,
    /// Lead unit that does not report itself -> the unit that reports for it.
    pub delegated_units: BTreeMap<String, String>,
    /// Light rules.
    pub lights: Lights,
    /// Input limits.
    pub limits: Limits,
    /// Bulletin settings.
    pub bulletin: BulletinSettings,
    /// Heading words of a Word report's named sections.
    pub report_sections: ReportSections,
    /// SHA-256 of the configuration file's bytes.
    pub digest: String,
    /// 考核 settings; `None` when the file has no `[assessment]` section (no scoring).
    pub assessment: Option<AssessmentSettings>,
}

impl Config {
    /// Loads and validates the configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let bytes = std::fs::read(path).map_err(|error| ConfigError::Io {
            path: path.to_owned(),
            error,
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let mut config = Config::parse(&text, path)?;
        config.digest = crate::digest::sha256_hex(&bytes);
        Ok(config)
    }

    /// Parses configuration text; `path` is used for messages and relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_owned(),
            line: e.span().map(|s| line_of(text, s.start)).unwrap_or_default(),
            message: e.message().trim().to_owned(),
        })?;
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let config = Config {
            path: path.to_owned(),
            registry_path: dir.join(&raw.registry),
            dir,
            office: raw.office,
            pilot: raw.pilot,
            rounds: raw.rounds,
            status_synonyms: raw.status_synonyms,
            columns: raw.columns,
            aliases: raw.aliases,
            delegated_units: raw.delegated_units,
            lights: raw.lights,
            limits: raw.limits,
            bulletin: raw.bulletin,
            report_sections: raw.report_sections,
            digest: String::new(),
            assessment: raw.assessment,
        };
        config.validate()?;
        Ok(config)
    }

    fn invalid(&self, key: impl Into<String>, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.clone(),
            key: key.into(),
            message: message.into(),
        }
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.rounds.is_empty() {
            return Err(self.invalid("rounds", "至少需要配置一个督查轮次"));
        }
        for (i, round) in self.rounds.iter().enumerate() {
            if round.end < round.start {
                return Err(self.invalid(format!("rounds[{i}].end"), "结束日期早于开始日期"));
            }
            if self.rounds[..i].iter().any(|r| r.id == round.id) {
                return Err(self.invalid(format!("rounds[{i}].id"), format!("轮次“{}”重复", round.id)));
            }
            if i > 0 && round.start <= self.rounds[i - 1].start {
                return Err(self.invalid(format!("rounds[{i}].start"), "轮次应按时间先后排列"));
            }
        }
        if self.pilot.end <= self.pilot.start {
            return Err(self.invalid("pilot.end", "试点结束日期应晚于开始日期"));
        }
        for field in [Field::Id, Field::Text, Field::Status, Field::Progress] {
            if self.columns.get(&field).is_none_or(Vec::is_empty) {
                let key = serde_json::to_value(field)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                return Err(self.invalid(format!("columns.{key}"), "缺少该列的表头名称"));
            }
        }
        if self.lights.red_margin < self.lights.yellow_margin {
            return Err(self.invalid("lights.red_margin", "红灯差距应不小于黄灯差距"));
        }
        if let Some(assessment) = &self.assessment {
            assessment
                .check()
                .map_err(|(key, message)| self.invalid(key, message))?;
        }
        Ok(())
    }

    /// The round with this id.
    pub fn round(&self, id: &str) -> Option<&Round> {
        self.rounds.iter().find(|r| r.id == id)
    }

    /// The round whose period contains `today`, else the latest round that ended before it,
    /// else the first round.
    pub fn default_round(&self, today: NaiveDate) -> &Round {
        let containing = self.rounds.iter().find(|r| r.start <= today && today <= r.end);
        let latest_past = self.rounds.iter().rev().find(|r| r.end < today);
        containing.or(latest_past).unwrap_or(&self.rounds[0])
    }

    /// The default round for an inbox (contract §7): [`Config::default_round`], unless the
    /// inbox holds round folders (`has_folder` says which round ids have one) and none for
    /// that round: then the newest round that has a folder.
    pub fn default_round_for_inbox(&self, today: NaiveDate, has_folder: impl Fn(&str) -> bool) -> &Round {
        let by_date = self.default_round(today);
        if has_folder(&by_date.id) {
            return by_date;
        }
        self.rounds
            .iter()
            .rev()
            .find(|r| has_folder(&r.id))
            .unwrap_or(by_date)
    }

    /// The round before `round`, if any.
    pub fn previous_round(&self, round: &Round) -> Option<&Round> {
        let i = self.rounds.iter().position(|r| r.id == round.id)?;
        i.checked_sub(1).map(|p| &self.rounds[p])
    }

    /// Canonical status for a synonym or canonical label (exact match; callers normalise).
    pub fn status_for(&self, word: &str) -> Option<Status> {
        Status::from_label(word).or_else(|| self.status_synonyms.get(word).copied())
    }

    /// The path of the bulletin body template.
    pub fn bulletin_template_path(&self) -> PathBuf {
        self.dir.join(&self.bulletin.template)
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Office {
    /// The programme's name from the leading group's name, as the office writes it:
    /// `南京市服务业扩大开放综合试点工作领导小组` -> `服务业扩大开放综合试点`.
    pub fn programme_name(&self) -> String {
        let name = self.leading_group.trim();
        let name = name
            .strip_suffix("工作领导小组")
            .or_else(|| name.strip_suffix("领导小组"))
            .unwrap_or(name);
        let city_end = name
            .char_indices()
            .take(6)
            .find(|(_, c)| *c == '市')
            .map(|(i, c)| i + c.len_utf8());
        match city_end {
            Some(end) if end < name.len() => name[end..].to_owned(),
            _ => name.to_owned(),
        }
    }
}

/// How a task with several lead units is credited in the assessment.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum JointRule {
    /// Every lead unit is credited with the task in full (as the statistics count it).
    #[default]
    Each,
    /// Only the primary (first-listed) lead unit is credited.
    Primary,
}

/// The weight (full points) of each indicator of the assessment (考核指标分值).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AssessmentWeights {
    /// 工作运行: led tasks against 序时进度.
    pub operation: f64,
    /// 项目落地: projects landed or signed.
    pub projects: f64,
    /// 案例报送: cases submitted.
    pub cases: f64,
    /// 按时报送: on time, late or missing.
    pub on_time: f64,
    /// 材料质量: errors in the unit's files.
    pub quality: f64,
}

impl Default for AssessmentWeights {
    fn default() -> Self {
        AssessmentWeights {
            operation: 40.0,
            projects: 20.0,
            cases: 15.0,
            on_time: 15.0,
            quality: 10.0,
        }
    }
}

/// `[assessment]`: the quantified assessment of lead units (督查考核), its indicators' weights
/// and scoring rules, and whether the bulletin names the better and the lagging units.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct AssessmentSettings {
    /// Joint-lead rule: `each` or `primary`.
    pub joint_leads: JointRule,
    /// True: the bulletin carries a paragraph naming the better and the lagging units.
    pub bulletin: bool,
    /// How many units the bulletin names at the top and at the bottom.
    pub named: usize,
    /// Share of a task's marks for a yellow-light task (green 1, red 0).
    pub yellow_share: f64,
    /// Points taken from 工作运行 per task whose status went backwards.
    pub regression_penalty: f64,
    /// Projects in a round that earn the full 项目落地 points.
    pub projects_full: f64,
    /// Cases in a round that earn the full 案例报送 points.
    pub cases_full: f64,
    /// Share of the 按时报送 points for a late submission (missing: 0).
    pub late_share: f64,
    /// Points taken from 材料质量 per error in the unit's files.
    pub error_penalty: f64,
    /// The indicators' weights.
    pub weights: AssessmentWeights,
}

impl Default for AssessmentSettings {
    fn default() -> Self {
        AssessmentSettings {
            joint_leads: JointRule::Each,
            bulletin: false,
            named: 3,
            yellow_share: 0.5,
            regression_penalty: 2.0,
            projects_full: 2.0,
            cases_full: 1.0,
            late_share: 0.5,
            error_penalty: 2.0,
            weights: AssessmentWeights::default(),
        }
    }
}

impl AssessmentSettings {
    /// The first inconsistent value as (key, Chinese message).
    fn check(&self) -> Result<(), (String, String)> {
        let w = &self.weights;
        let weights = [
            ("operation", w.operation),
            ("projects", w.projects),
            ("cases", w.cases),
            ("on_time", w.on_time),
            ("quality", w.quality),
        ];
        for (key, value) in weights {
            if !(value.is_finite() && value >= 0.0) {
                return Err((format!("assessment.weights.{key}"), "分值应为不小于0的数".into()));
            }
        }
        if weights.iter().map(|(_, v)| v).sum::<f64>() <= 0.0 {
            return Err(("assessment.weights".into(), "各项指标分值之和应大于0".into()));
        }
        for (key, value) in [
            ("yellow_share", self.yellow_share),
            ("late_share", self.late_share),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err((format!("assessment.{key}"), "应为0到1之间的比例".into()));
            }
        }
        for (key, value) in [
            ("regression_penalty", self.regression_penalty),
            ("error_penalty", self.error_penalty),
        ] {
            if !(value.is_finite() && value >= 0.0) {
                return Err((format!("assessment.{key}"), "扣分应为不小于0的数".into()));
            }
        }
        for (key, value) in [
            ("projects_full", self.projects_full),
            ("cases_full", self.cases_full),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err((format!("assessment.{key}"), "满分标准应大于0".into()));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped() -> Config {
        Config::load(Path::new("templates/roundup.toml")).expect("shipped configuration loads")
    }

    #[test]
    fn shipped_configuration_has_twelve_quarterly_rounds() {
        let config = shipped();
        let ids: Vec<&str> = config.rounds.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), 12);
        assert_eq!(ids[0], "2023Q3");
        assert_eq!(ids[11], "2026Q2");
        let q2 = config.round("2024Q2").unwrap();
        assert_eq!(q2.title, "2024年第二季度");
        assert_eq!(q2.deadline, NaiveDate::from_ymd_opt(2024, 7, 10).unwrap());
        for r in &config.rounds {
            assert_eq!(r.deadline, r.end + chrono::Days::new(10));
        }
    }

    #[test]
    fn default_round_is_current_or_latest_past() {
        let config = shipped();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(config.default_round(d(2024, 5, 1)).id, "2024Q2");
        assert_eq!(config.default_round(d(2026, 11, 27)).id, "2026Q2");
        assert_eq!(config.default_round(d(2020, 1, 1)).id, "2023Q3");
    }

    #[test]
    fn default_round_for_an_inbox_prefers_the_newest_round_folder() {
        let config = shipped();
        let today = NaiveDate::from_ymd_opt(2026, 5, 1).unwrap();
        let none = |_: &str| false;
        assert_eq!(config.default_round_for_inbox(today, none).id, "2026Q2");
        let sample = |id: &str| id == "2024Q2";
        assert_eq!(config.default_round_for_inbox(today, sample).id, "2024Q2");
        let two = |id: &str| id == "2024Q1" || id == "2024Q3";
        assert_eq!(config.default_round_for_inbox(today, two).id, "2024Q3");
        let current = |id: &str| id == "2026Q2" || id == "2024Q2";
        assert_eq!(config.default_round_for_inbox(today, current).id, "2026Q2");
    }

    #[test]
    fn status_synonyms_come_from_configuration() {
        let config = shipped();
        assert_eq!(config.status_for("进行中"), Some(Status::InProgress));
        assert_eq!(config.status_for("已完成"), Some(Status::Completed));
        assert_eq!(config.status_for("差不多了"), None);
    }

    #[test]
    fn parse_errors_name_the_line() {
        let text = std::fs::read_to_string("templates/roundup.toml").unwrap();
        let broken = text.replacen("yellow_margin = 15", "yellow_margin = \"x\"", 1);
        let err = Config::parse(&broken, Path::new("roundup.toml")).unwrap_err();
        let line = broken
            .lines()
            .position(|l| l.starts_with("yellow_margin"))
            .unwrap()
            + 1;
        let message = err.to_string();
        assert!(message.contains(&format!("第{line}行")), "{message}");
    }

    #[test]
    fn inconsistent_rounds_are_rejected_with_the_key() {
        let text = std::fs::read_to_string("templates/roundup.toml").unwrap();
        let broken = text.replacen("id = \"2023Q4\"", "id = \"2023Q3\"", 1);
        let err = Config::parse(&broken, Path::new("roundup.toml")).unwrap_err();
        assert!(err.to_string().contains("rounds[1].id"), "{err}");
    }

    #[test]
    fn programme_name_drops_city_and_group() {
        let mut office = shipped().office;
        assert_eq!(office.programme_name(), "服务业扩大开放综合试点");
        office.leading_group = "综合试点领导小组".into();
        assert_eq!(office.programme_name(), "综合试点");
    }

    #[test]
    fn assessment_settings_are_read_and_checked() {
        let assessment = shipped().assessment.expect("the shipped file has [assessment]");
        assert_eq!(assessment.weights, AssessmentWeights::default());
        assert_eq!(assessment.joint_leads, JointRule::Each);
        assert!(!assessment.bulletin);
        let text = std::fs::read_to_string("templates/roundup.toml").unwrap();
        let broken = text.replacen("late_share = 0.5", "late_share = 2", 1);
        let err = Config::parse(&broken, Path::new("roundup.toml")).unwrap_err();
        assert!(err.to_string().contains("assessment.late_share"), "{err}");
    }
}
