//! 考核: the quantified assessment of lead units that the plan's 督查考核机制 asks for.
//!
//! Each lead unit of the statistics ([`super::stats`]) gets points on five configured
//! indicators — 工作运行 (its tasks' lights against 序时进度, regressions penalised), 项目落地
//! (projects counted from the 项目落地情况 text), 案例报送 (cases), 按时报送 and 材料质量 (errors
//! in its files). The points are computed from recorded [`Facts`] only, so every number can be
//! explained from the inputs, and an earlier round's facts (read back from its `roundup.json`)
//! are re-scored with today's weights for the cumulative figures.
//!
//! Pure computation; a 项目落地 text whose count cannot be read becomes an `unreadable-count`
//! warning at its row, never a silent zero.

use super::{Change, Light, TaskOutcome, UnitSubmission};
use crate::config::{AssessmentSettings, JointRule};
use crate::diag::{Code, Diagnostic, Level};
use crate::registry::Registry;
use crate::validate::{ReportTexts, TaskReport};
use crate::vocab::Status;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One indicator of the assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// 工作运行
    Operation,
    /// 项目落地
    Projects,
    /// 案例报送
    Cases,
    /// 按时报送
    OnTime,
    /// 材料质量
    Quality,
}

impl Indicator {
    /// Every indicator, in the order the outputs list them.
    pub const ALL: [Indicator; 5] = [
        Indicator::Operation,
        Indicator::Projects,
        Indicator::Cases,
        Indicator::OnTime,
        Indicator::Quality,
    ];

    /// Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            Indicator::Operation => "工作运行",
            Indicator::Projects => "项目落地",
            Indicator::Cases => "案例报送",
            Indicator::OnTime => "按时报送",
            Indicator::Quality => "材料质量",
        }
    }

    /// The indicator's configured weight (full points).
    pub fn weight(self, settings: &AssessmentSettings) -> f64 {
        let w = &settings.weights;
        match self {
            Indicator::Operation => w.operation,
            Indicator::Projects => w.projects,
            Indicator::Cases => w.cases,
            Indicator::OnTime => w.on_time,
            Indicator::Quality => w.quality,
        }
    }
}

/// What a unit's score is computed from: counts read from the round's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Facts {
    /// Tasks credited to the unit (its led tasks under the joint-lead rule).
    pub tasks: usize,
    /// Of them, green lights (on track, 已完成, 常态化推进).
    pub green: usize,
    /// Yellow lights.
    pub yellow: usize,
    /// Red lights (seriously behind, regressed or not reported).
    pub red: usize,
    /// 已完成 or 常态化推进 this round.
    pub completed: usize,
    /// Status went backwards since the previous round.
    pub regressed: usize,
    /// Not reported this round (including carried forward).
    pub not_reported: usize,
    /// Projects landed or signed, counted from the unit's 项目落地情况 texts.
    pub projects: u32,
    /// Distinct 项目落地情况 texts whose count was read.
    pub project_texts: usize,
    /// Distinct 项目落地情况 texts whose count could not be read (warned, not counted).
    pub projects_unreadable: usize,
    /// Cases submitted (Word report cases and distinct 案例报送 texts).
    pub cases: usize,
    /// The unit has a used file this round.
    pub submitted: bool,
    /// Submitted on or before the deadline.
    pub on_time: bool,
    /// Error diagnostics on the unit's files.
    pub errors: usize,
}

/// One indicator's points for a unit, with the reason in words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    /// Which indicator.
    pub indicator: Indicator,
    /// Its weight (full points).
    pub weight: f64,
    /// Points earned, one decimal.
    pub points: f64,
    /// How the points follow from the facts (Chinese).
    pub basis: String,
}

/// The figures since the pilot began (every round whose result carries an assessment).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Cumulative {
    /// Rounds scored for the unit, this one included.
    pub rounds: usize,
    /// Sum of the rounds' totals (earlier rounds re-scored with today's weights).
    pub total: f64,
    /// Average per round, one decimal.
    pub average: f64,
    /// Rank by `total` (ties share a rank).
    pub rank: usize,
}

/// One unit's assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitScore {
    /// Unit name.
    pub unit: String,
    /// Rank this round by `total` (1 = best; ties share a rank).
    pub rank: usize,
    /// Sum of the indicators' points.
    pub total: f64,
    /// Each indicator, in [`Indicator::ALL`] order.
    pub indicators: Vec<IndicatorScore>,
    /// What the points are computed from.
    pub facts: Facts,
    /// Since the pilot began.
    #[serde(default)]
    pub cumulative: Cumulative,
}

impl UnitScore {
    /// The points of one indicator.
    pub fn points(&self, indicator: Indicator) -> f64 {
        self.indicators
            .iter()
            .find(|s| s.indicator == indicator)
            .map_or(0.0, |s| s.points)
    }
}

/// The round's assessment: every lead unit, best first.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Assessment {
    /// How joint tasks were credited.
    pub joint_leads: JointRule,
    /// Rounds in the cumulative figures, oldest first (this round last).
    pub rounds: Vec<String>,
    /// Lead units, ranked by this round's total, then in registry order.
    pub units: Vec<UnitScore>,
}

/// An earlier round's recorded facts, for the cumulative figures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EarlierRound {
    /// The round's id.
    pub id: String,
    /// Unit -> its facts in that round.
    pub facts: BTreeMap<String, Facts>,
}

impl EarlierRound {
    /// The facts recorded in a `roundup.json`; `None` when it is not one or has no assessment.
    pub fn from_json(text: &str) -> Option<EarlierRound> {
        let file = super::roundup_json::RoundupJson::parse(text)?;
        let assessment = file.assessment?;
        Some(EarlierRound {
            id: file.round.id.into_owned(),
            facts: assessment
                .units
                .iter()
                .map(|u| (u.unit.clone(), u.facts.clone()))
                .collect(),
        })
    }
}

/// What the assessment reads from the merged round.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The registry (tasks, their lead units, the lead units assessed).
    pub registry: &'a Registry,
    /// Every task's outcome.
    pub tasks: &'a [TaskOutcome],
    /// Each unit's submission.
    pub submissions: &'a [UnitSubmission],
    /// Each unit's free text (cases from Word reports).
    pub unit_texts: &'a BTreeMap<String, ReportTexts>,
    /// The round's id (for the cumulative figures).
    pub round: &'a str,
}

/// Assesses every lead unit; returns the assessment and the warnings on unreadable counts.
pub fn assess(inputs: &Inputs, settings: &AssessmentSettings) -> (Assessment, Vec<Diagnostic>) {
    let units = inputs.registry.lead_units();
    let mut facts: BTreeMap<&str, Facts> = units.iter().map(|u| (*u, Facts::default())).collect();
    add_task_facts(&mut facts, inputs, settings.joint_leads);
    let notes = add_project_facts(&mut facts, inputs.tasks);
    add_case_facts(&mut facts, inputs);
    add_submission_facts(&mut facts, inputs.submissions);
    let scores = units
        .iter()
        .map(|u| unit_score(u, facts.remove(u).unwrap_or_default(), settings))
        .collect();
    let mut assessment = Assessment {
        joint_leads: settings.joint_leads,
        rounds: Vec::new(),
        units: ranked(scores),
    };
    cumulate(&mut assessment, inputs.round, &[], settings);
    (assessment, notes)
}

/// The round's assessment when the configuration asks for one; its warnings are added to
/// `notes`.
pub fn for_round(
    ctx: &crate::validate::Context,
    tasks: &[TaskOutcome],
    submissions: &[UnitSubmission],
    unit_texts: &BTreeMap<String, ReportTexts>,
    notes: &mut Vec<Diagnostic>,
) -> Option<Assessment> {
    let settings = ctx.config.assessment.as_ref()?;
    let inputs = Inputs {
        registry: ctx.registry,
        tasks,
        submissions,
        unit_texts,
        round: &ctx.round.id,
    };
    let (assessment, warnings) = assess(&inputs, settings);
    notes.extend(warnings);
    Some(assessment)
}

/// The units a task credits under the joint-lead rule.
fn credited(task: &crate::registry::Task, rule: JointRule) -> Vec<&str> {
    match rule {
        JointRule::Primary => task.primary_lead().into_iter().collect(),
        JointRule::Each => {
            let mut seen = BTreeSet::new();
            task.leads
                .iter()
                .map(String::as_str)
                .filter(|u| seen.insert(*u))
                .collect()
        }
    }
}

/// 工作运行 facts: each credited task's light, status and change.
fn add_task_facts(facts: &mut BTreeMap<&str, Facts>, inputs: &Inputs, rule: JointRule) {
    for outcome in inputs.tasks {
        let Some(task) = inputs.registry.task(outcome.id) else {
            continue;
        };
        for unit in credited(task, rule) {
            if let Some(f) = facts.get_mut(unit) {
                add_task(f, outcome);
            }
        }
    }
}

fn add_task(f: &mut Facts, t: &TaskOutcome) {
    f.tasks += 1;
    match t.light {
        Light::Green => f.green += 1,
        Light::Yellow => f.yellow += 1,
        Light::Red => f.red += 1,
    }
    let reported = t.status.is_some() && !t.carried_forward;
    if !reported {
        f.not_reported += 1;
    } else if matches!(t.status, Some(Status::Completed | Status::Ongoing)) {
        f.completed += 1;
    }
    if t.change == Some(Change::Regressed) {
        f.regressed += 1;
    }
}

/// 项目落地 facts from every report the unit wrote (each distinct text once); unreadable
/// texts are warned at their row.
fn add_project_facts(facts: &mut BTreeMap<&str, Facts>, tasks: &[TaskOutcome]) -> Vec<Diagnostic> {
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut notes = Vec::new();
    for report in tasks.iter().flat_map(|t| &t.reports) {
        let text = report.projects.trim();
        let Some(f) = facts.get_mut(report.unit.as_str()) else {
            continue;
        };
        if !seen.insert((report.unit.as_str(), text)) {
            continue;
        }
        match count_projects(text) {
            ProjectCount::Nothing => {}
            ProjectCount::Count(n) => {
                f.projects += n;
                f.project_texts += 1;
            }
            ProjectCount::Unreadable => {
                f.projects_unreadable += 1;
                notes.push(unreadable_projects(report));
            }
        }
    }
    notes
}

/// The warning for a 项目落地情况 text whose count cannot be read.
fn unreadable_projects(report: &TaskReport) -> Diagnostic {
    let mut note = Diagnostic::new(
        Code::UnreadableCount,
        format!(
            "任务{}的项目落地情况“{}”中未能读出项目个数，考核未计入",
            report.task,
            clipped(report.projects.trim(), 40)
        ),
    )
    .level(Level::Warning)
    .file(report.file.clone())
    .unit(report.unit.clone())
    .task(report.task)
    .hint("请写明项目个数，如“落地项目2个”“签约项目1个，总投资3亿元”；没有项目请填“无”");
    note.location = report.location.clone();
    note
}

/// The cases a 案例报送 text reports: the `N个`/`N篇`/`N件` of its clauses that speak of
/// 案例 (titles in 《》 aside), else one.
pub fn count_cases(text: &str) -> usize {
    let mut plain = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    let counted: u32 = plain
        .split(['，', '。', '；', ',', ';', '、', '\n'])
        .filter(|clause| clause.contains("案例"))
        .flat_map(|clause| counted_numbers(clause, "个篇件项"))
        .sum();
    usize::try_from(counted).ok().filter(|n| *n > 0).unwrap_or(1)
}

/// At most `n` characters of `text`, with `…` when cut.
fn clipped(text: &str, n: usize) -> String {
    match text.char_indices().nth(n) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}

/// 案例报送 facts: the cases of the unit's Word reports and its distinct 案例报送 texts.
fn add_case_facts(facts: &mut BTreeMap<&str, Facts>, inputs: &Inputs) {
    for (unit, texts) in inputs.unit_texts {
        if let Some(f) = facts.get_mut(unit.as_str()) {
            f.cases += texts.cases.len();
        }
    }
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for report in inputs.tasks.iter().flat_map(|t| &t.reports) {
        let text = report.cases.trim();
        if says_nothing(text) || !seen.insert((report.unit.as_str(), text)) {
            continue;
        }
        if let Some(f) = facts.get_mut(report.unit.as_str()) {
            f.cases += count_cases(text);
        }
    }
}

/// 按时报送 and 材料质量 facts from the submissions.
fn add_submission_facts(facts: &mut BTreeMap<&str, Facts>, submissions: &[UnitSubmission]) {
    for s in submissions {
        let Some(f) = facts.get_mut(s.unit.as_str()) else {
            continue;
        };
        f.errors += s.errors;
        if s.has_used_file() {
            f.submitted = true;
            f.on_time = s.on_time;
        }
    }
}

/// A text that says there is nothing: empty, 无, 暂无, a dash.
fn is_none_text(text: &str) -> bool {
    let t = text.trim_matches(|c: char| c.is_whitespace() || "。.;；".contains(c));
    t.is_empty() || ["无", "暂无", "没有", "/", "／", "-", "—", "——", "0", "〇", "零"].contains(&t)
}

/// A text that says there is nothing, or begins so (`暂无典型案例`).
fn says_nothing(text: &str) -> bool {
    is_none_text(text) || text.starts_with("暂无") || text.starts_with('无')
}

/// What a 项目落地情况 text says about the number of projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectCount {
    /// The text says there are none (empty, 无, 暂无).
    Nothing,
    /// This many projects.
    Count(u32),
    /// A text whose count cannot be read.
    Unreadable,
}

/// Reads the number of projects from a 项目落地情况 text: a plain number (`3`), or every
/// `N个`/`N项`/`N家` in a clause that speaks of 项目 (`落地项目2个、签约项目1个，总投资3亿元`
/// gives 3; the 3 of 3亿元 is an amount, not a count). Chinese numerals up to 99 are read.
pub fn count_projects(text: &str) -> ProjectCount {
    let text = text.trim();
    if is_none_text(text) {
        return ProjectCount::Nothing;
    }
    if let Ok(n) = text.parse::<u32>() {
        return ProjectCount::Count(n);
    }
    let mut found = None;
    for clause in text.split(['，', '。', '；', ',', ';', '、', '\n']) {
        if !clause.contains("项目") {
            continue;
        }
        for n in counts_in(clause) {
            found = Some(found.unwrap_or(0) + n);
        }
    }
    match found {
        Some(n) => ProjectCount::Count(n),
        None if says_nothing(text) => ProjectCount::Nothing,
        None => ProjectCount::Unreadable,
    }
}

/// Every number followed by a counting word (个, 项, 家) in a clause, and a number that ends
/// the clause right after 项目 (`落地项目13`, `签约项目：2`).
fn counts_in(clause: &str) -> Vec<u32> {
    let mut counts = counted_numbers(clause, "个项家");
    let chars: Vec<char> = clause.trim().chars().collect();
    let start = chars.iter().rposition(|c| !is_numeral(*c)).map_or(0, |p| p + 1);
    if start < chars.len() && ends_with_projects(&chars[..start]) {
        counts.extend(numeral_value(&chars[start..]));
    }
    counts
}

/// Every number in `clause` followed by one of the counting words `counters`.
fn counted_numbers(clause: &str, counters: &str) -> Vec<u32> {
    let chars: Vec<char> = clause.trim().chars().collect();
    let mut counts = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        while i < chars.len() && is_numeral(chars[i]) {
            i += 1;
        }
        if i == start {
            i += 1;
            continue;
        }
        let counted = chars.get(i).is_some_and(|c| counters.contains(*c));
        if let (true, Some(n)) = (counted, numeral_value(&chars[start..i])) {
            counts.push(n);
        }
    }
    counts
}

/// True when the text ends with 项目 (or 项目数, 项目：).
fn ends_with_projects(chars: &[char]) -> bool {
    let text: String = chars.iter().collect();
    let text = text.trim_end().trim_end_matches([':', '：']).trim_end();
    text.ends_with("项目") || text.ends_with("项目数")
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit() || "零〇一二两三四五六七八九十".contains(c)
}

/// The value of an Arabic number or a Chinese numeral below 100 (`十二`, `二十`, `两`).
fn numeral_value(chars: &[char]) -> Option<u32> {
    let text: String = chars.iter().collect();
    if let Ok(n) = text.parse::<u32>() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
    };
    let digit = |c: char| {
        if c == '两' {
            Some(2)
        } else if c == '〇' {
            Some(0)
        } else {
            digit(c)
        }
    };
    match chars {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', u] => Some(digit(*t)? * 10 + digit(*u)?),
        _ => None,
    }
}

/// One decimal.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// A number as the outputs write it: `40`, `26.7`.
pub fn points_text(x: f64) -> String {
    let x = round1(x);
    if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x:.1}")
    }
}

/// The unit's points on every indicator, from its facts.
pub fn unit_score(unit: &str, facts: Facts, settings: &AssessmentSettings) -> UnitScore {
    let indicators: Vec<IndicatorScore> = Indicator::ALL
        .iter()
        .map(|i| score(*i, &facts, settings))
        .collect();
    UnitScore {
        unit: unit.to_owned(),
        rank: 0,
        total: round1(indicators.iter().map(|s| s.points).sum()),
        indicators,
        facts,
        cumulative: Cumulative::default(),
    }
}

/// One indicator's points and their explanation.
pub fn score(indicator: Indicator, f: &Facts, s: &AssessmentSettings) -> IndicatorScore {
    let weight = indicator.weight(s);
    let (share, basis) = match indicator {
        Indicator::Operation => operation(f, s, weight),
        Indicator::Projects => (
            (f64::from(f.projects) / s.projects_full).min(1.0),
            projects_basis(f, s),
        ),
        Indicator::Cases => (
            (f.cases as f64 / s.cases_full).min(1.0),
            format!(
                "报送案例{}个（{}个及以上得满分）",
                f.cases,
                points_text(s.cases_full)
            ),
        ),
        Indicator::OnTime => on_time(f, s),
        Indicator::Quality => quality(f, s, weight),
    };
    IndicatorScore {
        indicator,
        weight,
        points: round1((weight * share).clamp(0.0, weight)),
        basis,
    }
}

/// 工作运行: (green + yellow × share) ÷ tasks, less the regression penalty.
fn operation(f: &Facts, s: &AssessmentSettings, weight: f64) -> (f64, String) {
    if f.tasks == 0 {
        return (
            1.0,
            "无计分任务（联合牵头任务按主要牵头单位计分），按满分计".into(),
        );
    }
    let credit = f.green as f64 + f.yellow as f64 * s.yellow_share;
    let penalty = f.regressed as f64 * s.regression_penalty;
    let share = if weight > 0.0 {
        credit / f.tasks as f64 - penalty / weight
    } else {
        0.0
    };
    let mut basis = format!(
        "计分任务{}项，其中绿灯{}项（含已完成或常态化推进{}项）、黄灯{}项、红灯{}项",
        f.tasks, f.green, f.completed, f.yellow, f.red
    );
    if f.not_reported > 0 {
        basis.push_str(&format!("（含未报送{}项）", f.not_reported));
    }
    if f.regressed > 0 {
        basis.push_str(&format!(
            "；状态倒退{}项，扣{}分",
            f.regressed,
            points_text(penalty)
        ));
    }
    (share, basis)
}

fn projects_basis(f: &Facts, s: &AssessmentSettings) -> String {
    let mut basis = format!(
        "落地（签约）项目{}个（{}个及以上得满分）",
        f.projects,
        points_text(s.projects_full)
    );
    if f.projects_unreadable > 0 {
        basis.push_str(&format!("；另有{}处未能读出个数，未计入", f.projects_unreadable));
    }
    basis
}

fn on_time(f: &Facts, s: &AssessmentSettings) -> (f64, String) {
    match (f.submitted, f.on_time) {
        (true, true) => (1.0, "按时报送".into()),
        (true, false) => (s.late_share, "逾期报送".into()),
        _ => (0.0, "未报送".into()),
    }
}

fn quality(f: &Facts, s: &AssessmentSettings, weight: f64) -> (f64, String) {
    if !f.submitted {
        return (0.0, "未报送材料".into());
    }
    let penalty = f.errors as f64 * s.error_penalty;
    let share = if weight > 0.0 { 1.0 - penalty / weight } else { 0.0 };
    let basis = if f.errors == 0 {
        "材料无错误".into()
    } else {
        format!("材料错误{}个，扣{}分", f.errors, points_text(penalty))
    };
    (share, basis)
}

/// Sorts by total (best first, registry order among equals) and sets the ranks.
fn ranked(mut scores: Vec<UnitScore>) -> Vec<UnitScore> {
    // `sort_by` is stable: equal totals keep registry order.
    scores.sort_by(|a, b| b.total.total_cmp(&a.total));
    let totals: Vec<f64> = scores.iter().map(|s| s.total).collect();
    for (score, rank) in scores.iter_mut().zip(competition_ranks(&totals)) {
        score.rank = rank;
    }
    scores
}

/// 1-based ranks of values sorted best first; equal values share a rank (1, 2, 2, 4).
fn competition_ranks(sorted: &[f64]) -> Vec<usize> {
    let mut ranks = Vec::with_capacity(sorted.len());
    for (i, v) in sorted.iter().enumerate() {
        let rank = match i {
            0 => 1,
            _ if sorted[i - 1] == *v => ranks[i - 1],
            _ => i + 1,
        };
        ranks.push(rank);
    }
    ranks
}

/// Sets the cumulative figures: this round plus every earlier round's facts, re-scored with
/// today's weights. `earlier` is oldest first and holds only rounds before this one.
pub fn cumulate(
    assessment: &mut Assessment,
    round: &str,
    earlier: &[EarlierRound],
    settings: &AssessmentSettings,
) {
    assessment.rounds = earlier
        .iter()
        .map(|e| e.id.clone())
        .chain(std::iter::once(round.to_owned()))
        .collect();
    for unit in &mut assessment.units {
        let past: Vec<f64> = earlier
            .iter()
            .filter_map(|e| e.facts.get(&unit.unit))
            .map(|f| unit_score(&unit.unit, f.clone(), settings).total)
            .collect();
        let total = round1(past.iter().sum::<f64>() + unit.total);
        let rounds = past.len() + 1;
        unit.cumulative = Cumulative {
            rounds,
            total,
            average: round1(total / rounds as f64),
            rank: 0,
        };
    }
    let mut order: Vec<(f64, usize)> = assessment
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.cumulative.total, i))
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let totals: Vec<f64> = order.iter().map(|(t, _)| *t).collect();
    for ((_, i), rank) in order.iter().zip(competition_ranks(&totals)) {
        assessment.units[*i].cumulative.rank = rank;
    }
}

/// The units the bulletin names: the better ones are those ranked `n` or better (every unit
/// tied at the cut is named), the lagging ones those scoring no more than the `n`-th from the
/// bottom; a unit is named once.
pub fn named_units(assessment: &Assessment, n: usize) -> (Vec<&UnitScore>, Vec<&UnitScore>) {
    let units = &assessment.units;
    if n == 0 || units.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let better: Vec<&UnitScore> = units.iter().filter(|u| u.rank <= n).collect();
    let floor = units[units.len().saturating_sub(n)].total;
    let lagging = units.iter().filter(|u| u.rank > n && u.total <= floor).collect();
    (better, lagging)
}

/// Unit -> its score, for lookups by name.
pub fn by_unit(assessment: &Assessment) -> HashMap<&str, &UnitScore> {
    assessment.units.iter().map(|u| (u.unit.as_str(), u)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> AssessmentSettings {
        AssessmentSettings::default()
    }

    fn points(i: Indicator, f: &Facts) -> f64 {
        score(i, f, &settings()).points
    }

    #[test]
    fn operation_scores_lights_and_penalises_regressions() {
        let f = Facts {
            tasks: 4,
            green: 2,
            yellow: 1,
            red: 1,
            ..Facts::default()
        };
        // (2 + 0.5) / 4 × 40 = 25
        assert_eq!(points(Indicator::Operation, &f), 25.0);
        let regressed = Facts {
            regressed: 1,
            ..f.clone()
        };
        assert_eq!(points(Indicator::Operation, &regressed), 23.0);
        let all_red = Facts {
            tasks: 2,
            red: 2,
            regressed: 2,
            ..Facts::default()
        };
        assert_eq!(points(Indicator::Operation, &all_red), 0.0);
        let done = Facts {
            tasks: 3,
            green: 3,
            completed: 3,
            ..Facts::default()
        };
        assert_eq!(points(Indicator::Operation, &done), 40.0);
        assert!(score(Indicator::Operation, &regressed, &settings())
            .basis
            .contains("状态倒退1项，扣2分"));
    }

    #[test]
    fn projects_are_counted_from_text() {
        assert_eq!(count_projects("落地项目2个"), ProjectCount::Count(2));
        assert_eq!(count_projects("签约项目1个，总投资3亿元"), ProjectCount::Count(1));
        assert_eq!(count_projects("落地项目2个、签约项目1个"), ProjectCount::Count(3));
        assert_eq!(
            count_projects("新引进两个项目，开工十二项项目"),
            ProjectCount::Count(14)
        );
        assert_eq!(count_projects("3"), ProjectCount::Count(3));
        assert_eq!(count_projects("落地项目13"), ProjectCount::Count(13));
        assert_eq!(count_projects("签约项目：2，总投资5亿元"), ProjectCount::Count(2));
        assert_eq!(count_projects("项目总投资13亿元"), ProjectCount::Unreadable);
        assert_eq!(count_projects("无"), ProjectCount::Nothing);
        assert_eq!(count_projects("暂无落地项目"), ProjectCount::Nothing);
        assert_eq!(count_projects(""), ProjectCount::Nothing);
        assert_eq!(count_projects("正在积极对接相关项目"), ProjectCount::Unreadable);
        assert_eq!(count_projects("总投资3亿元"), ProjectCount::Unreadable);
        let f = Facts {
            projects: 1,
            ..Facts::default()
        };
        assert_eq!(points(Indicator::Projects, &f), 10.0);
        let f = Facts {
            projects: 5,
            projects_unreadable: 1,
            ..Facts::default()
        };
        assert_eq!(points(Indicator::Projects, &f), 20.0);
        assert!(score(Indicator::Projects, &f, &settings())
            .basis
            .contains("1处未能读出"));
    }

    #[test]
    fn cases_are_counted_from_text() {
        assert_eq!(count_cases("报送《人才服务的南京实践》案例1篇"), 1);
        assert_eq!(count_cases("报送创新案例3篇，其中1篇获评"), 3);
        assert_eq!(count_cases("报送《3个平台的南京实践》"), 1);
        assert_eq!(count_cases("形成典型经验做法"), 1);
    }

    #[test]
    fn cases_on_time_and_quality() {
        let none = Facts::default();
        assert_eq!(points(Indicator::Cases, &none), 0.0);
        let one = Facts {
            cases: 1,
            ..Facts::default()
        };
        assert_eq!(points(Indicator::Cases, &one), 15.0);
        assert_eq!(points(Indicator::OnTime, &none), 0.0);
        assert_eq!(points(Indicator::Quality, &none), 0.0);
        let late = Facts {
            submitted: true,
            errors: 3,
            ..Facts::default()
        };
        assert_eq!(points(Indicator::OnTime, &late), 7.5);
        assert_eq!(points(Indicator::Quality, &late), 4.0);
        let good = Facts {
            submitted: true,
            on_time: true,
            errors: 9,
            ..Facts::default()
        };
        assert_eq!(points(Indicator::OnTime, &good), 15.0);
        assert_eq!(points(Indicator::Quality, &good), 0.0);
    }

    #[test]
    fn ranks_are_shared_by_equal_totals() {
        assert_eq!(competition_ranks(&[90.0, 80.0, 80.0, 70.0]), [1, 2, 2, 4]);
        let s = settings();
        let a = unit_score("甲", Facts::default(), &s);
        let b = unit_score(
            "乙",
            Facts {
                submitted: true,
                on_time: true,
                ..Facts::default()
            },
            &s,
        );
        let ranked = ranked(vec![a, b]);
        assert_eq!(ranked[0].unit, "乙");
        assert_eq!((ranked[0].rank, ranked[1].rank), (1, 2));
    }

    #[test]
    fn cumulative_rescores_earlier_facts() {
        let s = settings();
        let facts = Facts {
            submitted: true,
            on_time: true,
            ..Facts::default()
        };
        let mut assessment = Assessment {
            units: ranked(vec![unit_score("甲", facts.clone(), &s)]),
            ..Assessment::default()
        };
        let earlier = EarlierRound {
            id: "2024Q1".into(),
            facts: [("甲".to_string(), facts)].into_iter().collect(),
        };
        cumulate(&mut assessment, "2024Q2", &[earlier], &s);
        let c = &assessment.units[0].cumulative;
        // 按时报送 15 + 材料质量 10 + 工作运行 40 (no tasks) per round.
        assert_eq!((c.rounds, c.total, c.average, c.rank), (2, 130.0, 65.0, 1));
        assert_eq!(assessment.rounds, ["2024Q1", "2024Q2"]);
    }

    #[test]
    fn the_bulletin_names_distinct_units() {
        let s = settings();
        let mk = |name: &str, errors| {
            unit_score(
                name,
                Facts {
                    submitted: true,
                    on_time: true,
                    errors,
                    ..Facts::default()
                },
                &s,
            )
        };
        let assessment = Assessment {
            units: ranked(vec![mk("甲", 0), mk("乙", 1), mk("丙", 2), mk("丁", 3)]),
            ..Assessment::default()
        };
        let (better, lagging) = named_units(&assessment, 3);
        let names = |v: &[&UnitScore]| v.iter().map(|u| u.unit.clone()).collect::<Vec<_>>();
        assert_eq!(names(&better), ["甲", "乙", "丙"]);
        assert_eq!(names(&lagging), ["丁"]);
        let tied = Assessment {
            units: ranked(vec![mk("甲", 0), mk("乙", 0), mk("丙", 2), mk("丁", 3)]),
            ..Assessment::default()
        };
        let (better, lagging) = named_units(&tied, 1);
        assert_eq!(names(&better), ["甲", "乙"]);
        assert_eq!(names(&lagging), ["丁"]);
        let (better, lagging) = named_units(&assessment, 1);
        assert_eq!(
            (names(&better), names(&lagging)),
            (vec!["甲".into()], vec!["丁".into()])
        );
    }

    fn registry() -> Registry {
        use crate::registry::{Group, Part, Task};
        let task = |id: u32, leads: &[&str]| Task {
            id,
            part: 0,
            group: 0,
            text: format!("第{id}项任务"),
            guidance: vec![],
            lead: leads.iter().map(|s| s.to_string()).collect(),
            cooperating: vec![],
            leads: vec![],
        };
        Registry::new(
            vec![Part {
                number: "一".into(),
                title: "领域".into(),
            }],
            vec![Group {
                number: "（一）".into(),
                title: "组".into(),
                part: 0,
            }],
            vec![task(1, &["市商务局", "市科技局"]), task(2, &["市科技局"])],
            &BTreeMap::new(),
        )
        .unwrap()
    }

    fn outcome(id: u32, light: Light, change: Option<Change>, reports: Vec<TaskReport>) -> TaskOutcome {
        TaskOutcome {
            id,
            status: Some(Status::InProgress),
            percent: Some(50.0),
            expected_percent: 40.0,
            light,
            previous_status: None,
            change,
            carried_forward: false,
            reports,
        }
    }

    fn report(unit: &str, task: u32, projects: &str) -> TaskReport {
        TaskReport {
            task,
            unit: unit.into(),
            projects: projects.into(),
            file: format!("{unit}-进展表.xlsx"),
            location: Some(format!("进展情况!{}", task + 2)),
            ..TaskReport::default()
        }
    }

    #[test]
    fn joint_tasks_follow_the_rule_and_unreadable_counts_are_warned() {
        let registry = registry();
        let tasks = vec![
            outcome(1, Light::Green, None, vec![report("市商务局", 1, "落地项目2个")]),
            outcome(
                2,
                Light::Red,
                Some(Change::Regressed),
                vec![report("市科技局", 2, "正在对接")],
            ),
        ];
        let texts = BTreeMap::new();
        let inputs = Inputs {
            registry: &registry,
            tasks: &tasks,
            submissions: &[],
            unit_texts: &texts,
            round: "2024Q2",
        };
        let (each, notes) = assess(&inputs, &settings());
        let by = by_unit(&each);
        assert_eq!((by["市商务局"].facts.tasks, by["市科技局"].facts.tasks), (1, 2));
        assert_eq!(by["市商务局"].facts.projects, 2);
        assert_eq!(by["市科技局"].facts.projects_unreadable, 1);
        // 市科技局: (1 green of 2) × 40 − 2 for the regression.
        assert_eq!(by["市科技局"].points(Indicator::Operation), 18.0);
        assert_eq!(each.units[0].unit, "市商务局");
        assert_eq!(notes.len(), 1);
        let note = &notes[0];
        assert_eq!((note.code, note.level), (Code::UnreadableCount, Level::Warning));
        assert_eq!(note.file.as_deref(), Some("市科技局-进展表.xlsx"));
        assert_eq!(note.location.as_deref(), Some("进展情况!4"));
        let primary = AssessmentSettings {
            joint_leads: JointRule::Primary,
            ..settings()
        };
        let (only_primary, _) = assess(&inputs, &primary);
        let by = by_unit(&only_primary);
        assert_eq!((by["市商务局"].facts.tasks, by["市科技局"].facts.tasks), (1, 1));
        assert_eq!(by["市科技局"].points(Indicator::Operation), 0.0);
    }
}
