//! The sample round 2024Q2 shipped in `inbox/`: which unit sends which files in which look,
//! the planted mistakes, and the Chinese README that tells a clerk what each file shows.

use super::legacy;
use super::rng::Rng;
use super::submission::{self, Look, Plant, ReportStyle, RoundCtx, TaskRef};
use super::texts::Period;
use chrono::NaiveDate;
use roundup::config::Config;
use roundup::registry::{Registry, Task};
use roundup::vocab::Field;
use std::fmt::Write as _;

/// The round the sample is for.
pub const ROUND: &str = "2024Q2";
/// The round the stale file names.
pub const STALE_ROUND: &str = "2024Q1";
/// The seed of every sample text.
pub const SEED: u64 = 0x2024_0702_5A3F_11C7;
/// Lead units that send nothing.
pub const MISSING: [&str; 3] = ["市统计局", "市民政局", "南京边检站"];

/// A planted mistake, in a form that fits a constant table.
#[derive(Debug, Clone, Copy)]
pub enum PlantSpec {
    /// Status written as this text.
    Status(&'static str),
    /// Percent as this number.
    Percent(f64),
    /// 已完成 with this percent.
    CompletedAt(f64),
}

impl PlantSpec {
    fn plant(self) -> Plant {
        match self {
            PlantSpec::Status(t) => Plant::StatusText(t.to_owned()),
            PlantSpec::Percent(p) => Plant::Percent(p),
            PlantSpec::CompletedAt(p) => Plant::CompletedAt(p),
        }
    }

    fn describe(self, task: u32) -> String {
        match self {
            PlantSpec::Status(t) => {
                format!("任务{task}完成状态写作“{t}”→ invalid-status（错误，该行不采用）")
            }
            PlantSpec::Percent(p) => format!("任务{task}完成进度填写{p}→ invalid-percent（错误）"),
            PlantSpec::CompletedAt(p) => {
                format!("任务{task}状态“已完成”但进度{p}%→ status-percent-mismatch（警告）")
            }
        }
    }
}

/// A spreadsheet a unit sends.
#[derive(Debug, Clone, Copy)]
pub struct SheetSpec {
    /// Its look.
    pub look: Look,
    /// File name.
    pub file: &'static str,
    /// The unit name written in it (empty: the registry name).
    pub written: &'static str,
}

/// A Word report a unit sends.
#[derive(Debug, Clone, Copy)]
pub struct ReportSpec {
    /// How tasks are referenced.
    pub refs: TaskRef,
    /// Alternative section names.
    pub alt: bool,
    /// A progress table instead of narratives.
    pub table: bool,
    /// File name.
    pub file: &'static str,
    /// The unit name written in it (empty: the registry name).
    pub written: &'static str,
}

/// What one unit sends.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Registry name.
    pub unit: &'static str,
    /// Its spreadsheet.
    pub sheet: Option<SheetSpec>,
    /// Its Word report.
    pub report: Option<ReportSpec>,
    /// 填报日期: day of July 2024.
    pub day: u32,
    /// Tasks it leads but leaves out (missing-task).
    pub skip: &'static [u32],
    /// Tasks of other units it reports on (not-lead-unit).
    pub extra: &'static [u32],
    /// Task ids that do not exist (unknown-task).
    pub unknown: &'static [u32],
    /// Planted value mistakes.
    pub plants: &'static [(u32, PlantSpec)],
    /// An earlier spreadsheet of this round that the newer one supersedes: file name, day.
    pub draft: Option<(&'static str, u32)>,
    /// Last quarter's spreadsheet sent again by mistake: file name.
    pub stale: Option<&'static str>,
}

const fn sheet(look: Look, file: &'static str) -> Option<SheetSpec> {
    Some(SheetSpec {
        look,
        file,
        written: "",
    })
}

const fn report(refs: TaskRef, file: &'static str) -> Option<ReportSpec> {
    Some(ReportSpec {
        refs,
        alt: false,
        table: false,
        file,
        written: "",
    })
}

const fn alt_report(refs: TaskRef, file: &'static str) -> Option<ReportSpec> {
    Some(ReportSpec {
        refs,
        alt: true,
        table: false,
        file,
        written: "",
    })
}

const fn plain(unit: &'static str, day: u32) -> Spec {
    Spec {
        unit,
        sheet: None,
        report: None,
        day,
        skip: &[],
        extra: &[],
        unknown: &[],
        plants: &[],
        draft: None,
        stale: None,
    }
}

use TaskRef::{Bracket, Colon, Paren};

/// Every submitting unit and what it sends.
pub const SPECS: &[Spec] = &[
    Spec {
        sheet: sheet(Look::Canonical, "市科技局-2024年第二季度进展表.xlsx"),
        report: report(
            Colon,
            "市科技局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        extra: &[5],
        ..plain("市科技局", 5)
    },
    Spec {
        sheet: Some(SheetSpec {
            look: Look::MergedSynonyms,
            file: "市场监管局2024年第二季度进展情况.xlsx",
            written: "市场监管局",
        }),
        report: Some(ReportSpec {
            refs: Paren,
            alt: true,
            table: false,
            file: "市场监管局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
            written: "市场监管局",
        }),
        ..plain("市市场监管局", 8)
    },
    Spec {
        sheet: sheet(Look::Canonical, "附件1 市金融局任务推进情况表.xlsx"),
        report: report(
            Bracket,
            "市金融局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市金融局", 9)
    },
    Spec {
        sheet: sheet(Look::Canonical, "市工信局-2024年第二季度进展表.xlsx"),
        report: report(
            Colon,
            "市工信局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        draft: Some(("市工信局-2024年第二季度进展表（初稿）.xlsx", 2)),
        ..plain("市工信局", 8)
    },
    Spec {
        sheet: sheet(Look::ShuffledExtra, "市发改委2024年第二季度进展情况.xlsx"),
        report: alt_report(
            Colon,
            "市发改委关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        plants: &[(52, PlantSpec::Percent(120.0))],
        ..plain("市发改委", 9)
    },
    Spec {
        sheet: sheet(
            Look::InstructionsHidden,
            "江北新区-服务业扩大开放综合试点任务进展表.xlsx",
        ),
        report: report(
            Paren,
            "江北新区关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        plants: &[(36, PlantSpec::CompletedAt(60.0))],
        ..plain("江北新区", 10)
    },
    Spec {
        sheet: sheet(Look::Canonical, "2024Q2_市人社局_进展表.xlsx"),
        report: report(Bracket, "附件2 市人社局工作报告.docx"),
        ..plain("市人社局", 4)
    },
    Spec {
        sheet: sheet(Look::Canonical, "市建委-进展表.xlsx"),
        report: report(Bracket, "市建委试点任务推进情况报告.docx"),
        ..plain("市建委", 3)
    },
    Spec {
        sheet: Some(SheetSpec {
            look: Look::TextIds,
            file: "人行南京营业管理部-2024年第二季度进展表.xlsx",
            written: "人行南京营业管理部",
        }),
        report: report(
            Colon,
            "人行南京营管部关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        unknown: &[105],
        ..plain("人行南京营管部", 9)
    },
    Spec {
        sheet: sheet(Look::PercentFraction, "市文旅局-2024年第二季度进展表.xlsx"),
        ..plain("市文旅局", 15)
    },
    Spec {
        sheet: sheet(
            Look::Canonical,
            "国家（南京）临空经济示范区2024年第二季度进展情况.xlsx",
        ),
        report: report(
            Colon,
            "国家（南京）临空经济示范区关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("国家（南京）临空经济示范区", 5)
    },
    Spec {
        sheet: sheet(Look::Canonical, "南京禄口机场海关-2024年第二季度进展表.xlsx"),
        ..plain("南京禄口机场海关", 5)
    },
    Spec {
        sheet: sheet(Look::Signature, "市教育局2024年第二季度进展情况.xlsx"),
        report: report(
            Colon,
            "市教育局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        skip: &[18],
        ..plain("市教育局", 8)
    },
    Spec {
        sheet: sheet(Look::Canonical, "市医保局-2024年第二季度进展表.xlsx"),
        report: report(
            Paren,
            "市医保局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.wps",
        ),
        ..plain("市医保局", 4)
    },
    Spec {
        sheet: sheet(Look::Canonical, "附件1 市生态环境局任务推进情况表.xlsx"),
        report: report(Colon, "附件2 市生态环境局工作报告.docx"),
        ..plain("市生态环境局", 10)
    },
    Spec {
        report: report(
            Paren,
            "市卫健委关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        stale: Some("市卫健委-2024年第一季度进展表.xlsx"),
        ..plain("市卫健委", 9)
    },
    Spec {
        sheet: sheet(Look::TotalSignature, "附件1 市商务局任务推进情况表.xlsx"),
        report: alt_report(
            Colon,
            "市商务局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        plants: &[(46, PlantSpec::Status("差不多了"))],
        ..plain("市商务局", 10)
    },
    Spec {
        sheet: Some(SheetSpec {
            look: Look::FullWidth,
            file: "南京通管办-2024年第二季度进展表.xlsx",
            written: "南京通管办",
        }),
        report: report(
            Bracket,
            "南京通管办（联系省通管局）关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("南京通管办（联系省通管局）", 7)
    },
    Spec {
        sheet: sheet(Look::Canonical, "市大数据局-2024年第二季度进展表.xlsx"),
        report: report(
            Colon,
            "市大数据局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市大数据局", 5)
    },
    Spec {
        sheet: sheet(Look::Canonical, "市委宣传部-2024年第二季度进展表.xlsx"),
        report: report(
            Colon,
            "市委宣传部关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市委宣传部", 3)
    },
    Spec {
        sheet: sheet(Look::TextIds, "市司法局2024年第二季度进展情况.xlsx"),
        report: report(
            Paren,
            "市司法局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市司法局", 8)
    },
    Spec {
        sheet: sheet(Look::Canonical, "市规划和自然资源局-2024年第二季度进展表.xlsx"),
        report: alt_report(
            Colon,
            "市规划和自然资源局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.doc",
        ),
        ..plain("市规划和自然资源局", 9)
    },
    Spec {
        sheet: Some(SheetSpec {
            look: Look::Canonical,
            file: "市委人才办-2024年第二季度进展表.xlsx",
            written: "市委人才办",
        }),
        report: report(
            Bracket,
            "市委组织部（市委人才办）关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市委组织部（市委人才办）", 5)
    },
    Spec {
        sheet: sheet(Look::Canonical, "2024Q2_市财政局_进展表.xlsx"),
        report: report(
            Colon,
            "市财政局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市财政局", 10)
    },
    Spec {
        sheet: sheet(Look::Canonical, "雨花台区-2024年第二季度进展表.xlsx"),
        report: report(
            Paren,
            "雨花台区关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("雨花台区", 8)
    },
    Spec {
        sheet: sheet(Look::TaskPrefix, "软件谷2024年第二季度进展情况.xlsx"),
        report: report(
            Colon,
            "软件谷关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("软件谷", 9)
    },
    Spec {
        sheet: sheet(Look::Canonical, "市政务办-2024年第二季度进展表.xlsx"),
        report: report(
            Bracket,
            "市政务办关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市政务办", 5)
    },
    Spec {
        sheet: sheet(Look::Canonical, "市税务局-进展表.xlsx"),
        ..plain("市税务局", 4)
    },
    Spec {
        sheet: sheet(Look::Canonical, "金陵海关-2024年第二季度进展表.xlsx"),
        report: report(
            Colon,
            "金陵海关关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("金陵海关", 8)
    },
    Spec {
        sheet: sheet(Look::ShuffledExtra, "市公安局2024年第二季度进展情况.xlsx"),
        report: report(
            Paren,
            "市公安局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市公安局", 10)
    },
    Spec {
        sheet: sheet(Look::Canonical, "附件1 市外办任务推进情况表.xlsx"),
        report: report(
            Colon,
            "市外办关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.docx",
        ),
        ..plain("市外办", 9)
    },
    Spec {
        report: Some(ReportSpec {
            refs: Colon,
            alt: false,
            table: true,
            file: "市委网信办关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.doc",
            written: "",
        }),
        ..plain("市委网信办", 8)
    },
];

/// A generated file: path relative to the output folder, and bytes.
pub type OutFile = (String, Vec<u8>);

fn period(config: &Config, id: &str) -> Result<Period, String> {
    let round = config.round(id).ok_or_else(|| format!("配置中没有轮次 {id}"))?;
    use chrono::Datelike;
    let months = (round.start.month()..=round.end.month()).collect();
    Ok(Period {
        title: round.title.clone(),
        months,
        end_label: format!("{}月底", round.end.month()),
    })
}

/// The spreadsheet title naming the period.
pub fn sheet_title(period: &Period) -> String {
    format!("南京市服务业扩大开放综合试点任务推进情况表（{}）", period.title)
}

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, month, day).unwrap_or_default()
}

fn written<'a>(written: &'a str, unit: &'a str) -> &'a str {
    if written.is_empty() {
        unit
    } else {
        written
    }
}

/// A made-up task that is not in the registry (for `unknown-task`).
fn unknown_task(id: u32, unit: &str) -> Task {
    Task {
        id,
        part: 0,
        group: 0,
        text: "建立人民币跨境使用便利化服务机制，扩大跨境贸易和投资人民币结算规模。".to_owned(),
        guidance: vec!["人行南京分行".to_owned()],
        lead: vec![unit.to_owned()],
        cooperating: vec!["市商务局".to_owned()],
        leads: Vec::new(),
    }
}

/// The sample's contexts: this round and the stale round.
pub struct SampleCtx<'a> {
    now: RoundCtx<'a>,
    stale: RoundCtx<'a>,
}

impl<'a> SampleCtx<'a> {
    /// Builds the contexts.
    pub fn new(config: &'a Config, registry: &'a Registry) -> Result<SampleCtx<'a>, String> {
        Ok(SampleCtx {
            now: RoundCtx {
                config,
                registry,
                period: period(config, ROUND)?,
            },
            stale: RoundCtx {
                config,
                registry,
                period: period(config, STALE_ROUND)?,
            },
        })
    }
}

/// Checks that the plan covers every lead unit exactly once (submitting or missing).
pub fn check_plan(registry: &Registry) -> Result<(), String> {
    let leads = registry.lead_units();
    for unit in &leads {
        let n =
            SPECS.iter().filter(|s| s.unit == *unit).count() + MISSING.iter().filter(|m| *m == unit).count();
        if n != 1 {
            return Err(format!("样例计划中单位“{unit}”出现{n}次（应为1次）"));
        }
    }
    if let Some(s) = SPECS.iter().find(|s| !leads.contains(&s.unit)) {
        return Err(format!("样例计划中的“{}”不是牵头单位", s.unit));
    }
    let planned = |file: &str| SPECS.iter().any(|s| s.report.is_some_and(|r| r.file == file));
    if let Some(a) = legacy::ASSETS.iter().find(|a| !planned(a.file)) {
        return Err(format!(
            "examples/generate/legacy/ 中的“{}”不是样例计划中的工作报告",
            a.file
        ));
    }
    Ok(())
}

/// Every file one unit sends.
pub fn unit_files(ctx: &SampleCtx, spec: &Spec) -> Result<Vec<OutFile>, String> {
    unit_output(ctx, spec).map(|(files, _)| files)
}

/// Every file one unit sends and, when its Word report is sent as Word 97–2003, the `.docx`
/// that report is made from (named by [`legacy::source_name`]).
fn unit_output(ctx: &SampleCtx, spec: &Spec) -> Result<(Vec<OutFile>, Option<OutFile>), String> {
    let registry = ctx.now.registry;
    let mut rng = Rng::derive(SEED, spec.unit);
    let mut extra: Vec<Task> = spec
        .extra
        .iter()
        .filter_map(|id| registry.task(*id).cloned())
        .collect();
    extra.extend(spec.unknown.iter().map(|id| unknown_task(*id, spec.unit)));
    let plants: Vec<(u32, Plant)> = spec.plants.iter().map(|(t, p)| (*t, p.plant())).collect();
    let entries = ctx.now.entries(spec.unit, spec.skip, &extra, &plants, &mut rng);
    let date = day(7, spec.day);
    let mut files = Vec::new();
    if let Some(s) = &spec.sheet {
        let layout = s
            .look
            .layout(sheet_title(&ctx.now.period), ctx.now.config, &mut rng);
        let who = written(s.written, spec.unit);
        if let Some((file, d)) = spec.draft {
            let draft = submission::draft_of(&entries);
            files.push((
                file.to_owned(),
                submission::spreadsheet(&ctx.now, &layout, &draft, who, day(7, d), &mut rng)?,
            ));
        }
        files.push((
            s.file.to_owned(),
            submission::spreadsheet(&ctx.now, &layout, &entries, who, date, &mut rng)?,
        ));
    }
    if let Some(file) = spec.stale {
        let old = ctx.stale.entries(spec.unit, &[], &[], &[], &mut rng);
        let layout = Look::Canonical.layout(sheet_title(&ctx.stale.period), ctx.stale.config, &mut rng);
        files.push((
            file.to_owned(),
            submission::spreadsheet(&ctx.stale, &layout, &old, spec.unit, day(4, 8), &mut rng)?,
        ));
    }
    if let Some(r) = &spec.report {
        let style = report_style(ctx, r, &mut rng);
        let bytes = submission::word_report(
            &ctx.now,
            &style,
            &entries,
            written(r.written, spec.unit),
            date,
            &mut rng,
        )?;
        if legacy::is_legacy(r.file) {
            files.push((r.file.to_owned(), legacy::bytes(r.file)?.to_vec()));
            return Ok((files, Some((legacy::source_name(r.file), bytes))));
        }
        files.push((r.file.to_owned(), bytes));
    }
    Ok((files, None))
}

/// The `.docx` sources of the sample's Word 97–2003 reports (`generate legacy-sources`; what
/// `legacy/refresh.sh` converts with LibreOffice), in plan order.
pub fn legacy_sources(config: &Config, registry: &Registry) -> Result<Vec<OutFile>, String> {
    check_plan(registry)?;
    let ctx = SampleCtx::new(config, registry)?;
    let mut sources = Vec::new();
    for spec in SPECS {
        if spec.report.is_some_and(|r| legacy::is_legacy(r.file)) {
            sources.extend(unit_output(&ctx, spec)?.1);
        }
    }
    Ok(sources)
}

fn report_style(ctx: &SampleCtx, r: &ReportSpec, rng: &mut Rng) -> ReportStyle {
    let table = r.table.then(|| {
        let mut layout = Look::Canonical.layout(String::new(), ctx.now.config, rng);
        layout.drop_columns(&[
            Field::Lead,
            Field::Projects,
            Field::Cases,
            Field::Policy,
            Field::Remarks,
        ]);
        layout
    });
    ReportStyle {
        refs: r.refs,
        alt_headings: r.alt,
        case_style: rng.range(0, 2),
        table,
        date_line: rng.chance(0.6),
    }
}

/// Every file of the sample round, under `2024Q2/`, and the README.
pub fn all_files(config: &Config, registry: &Registry) -> Result<Vec<OutFile>, String> {
    use rayon::prelude::*;
    check_plan(registry)?;
    let ctx = SampleCtx::new(config, registry)?;
    let per_unit: Vec<Vec<OutFile>> = SPECS
        .par_iter()
        .map(|spec| unit_files(&ctx, spec))
        .collect::<Result<_, _>>()?;
    let mut files: Vec<OutFile> = per_unit
        .into_iter()
        .flatten()
        .map(|(name, bytes)| (format!("{ROUND}/{name}"), bytes))
        .collect();
    files.push(("README.md".to_owned(), readme(registry).into_bytes()));
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

fn refs_label(refs: TaskRef) -> &'static str {
    match refs {
        Colon => "任务段落以“任务N：”开头",
        Paren => "任务段落以“（任务N）”小标题开头",
        Bracket => "任务段落以“【任务N】”开头",
    }
}

fn sheet_notes(spec: &Spec, s: &SheetSpec) -> String {
    let mut notes = vec![s.look.describe().to_owned()];
    if !s.written.is_empty() {
        notes.push(format!("表内填报单位写作别名“{}”", s.written));
    }
    notes.extend(spec.plants.iter().map(|(t, p)| p.describe(*t)));
    notes.extend(
        spec.unknown
            .iter()
            .map(|t| format!("多出一行任务{t}（任务清单只有104项）→ unknown-task（错误）")),
    );
    notes.extend(
        spec.extra
            .iter()
            .map(|t| format!("多报了其他单位牵头的任务{t}→ not-lead-unit（警告，作为补充材料保留）")),
    );
    notes.extend(
        spec.skip
            .iter()
            .map(|t| format!("漏报本单位牵头的任务{t}（工作报告中也未提及）→ missing-task（警告）")),
    );
    if spec.day > 10 {
        notes.push(format!(
            "填报日期2024年7月{}日，晚于截止日期7月10日 → late-submission（警告）",
            spec.day
        ));
    }
    notes.join("；")
}

fn report_notes(spec: &Spec, r: &ReportSpec) -> String {
    let mut notes = vec![];
    if r.file.ends_with(".doc") {
        notes.push(
            "Word 97–2003 格式（.doc，由 LibreOffice 另存），用内置读取器直接读取，无需安装 LibreOffice"
                .to_owned(),
        );
    } else if r.file.ends_with(".wps") {
        notes.push(
            "WPS 文字格式（.wps，内容为 Word 97–2003 格式，由 LibreOffice 另存），用内置读取器直接读取，无需安装 LibreOffice"
                .to_owned(),
        );
    }
    if r.table {
        notes.push("只报送工作报告，报告中含进展表格（表头与进展表一致）".to_owned());
    } else {
        notes.push(refs_label(r.refs).to_owned());
    }
    if r.alt {
        notes.push(
            "章节标题用同义写法（重点任务推进情况/创新案例/存在的问题/下一步工作/意见建议）".to_owned(),
        );
    }
    if !r.written.is_empty() && r.written != spec.unit {
        notes.push(format!("标题中单位写作别名“{}”", r.written));
    }
    notes.extend(
        spec.unknown
            .iter()
            .map(|t| format!("报告中也写了任务{t} → unknown-task（错误，该段不采用）")),
    );
    notes.extend(
        spec.extra
            .iter()
            .map(|t| format!("报告中也写了任务{t} → not-lead-unit（警告）")),
    );
    notes.extend(spec.skip.iter().map(|t| format!("未提及任务{t}")));
    if spec.sheet.is_none() && spec.stale.is_some() {
        notes.push("本季度进展表未报（误报了上季度的表），任务进展只能从报告中读取".to_owned());
    }
    notes.join("；")
}

/// The README of the sample inbox.
pub fn readme(registry: &Registry) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# 示例收件箱：2024年第二季度（2024Q2）\n");
    let _ = writeln!(
        out,
        "本文件夹是一轮模拟督查的报送材料，由 `cargo run --release --example generate -- sample inbox` 生成（固定随机种子，不读取时钟，重复生成的文件逐字节相同）。材料放在 `inbox/2024Q2/` 中，汇总命令：\n\n```\ncargo run --release -- run --round 2024Q2 --inbox inbox\n```\n\n这些文件模拟各牵头单位真实报来的材料：多数单位使用标准模板，部分单位格式不规范，另有几处故意埋设的错误，用来检验和演示校验功能。内容均为虚构，人名、电话、数字不对应任何真实单位或个人。\n"
    );
    let _ = writeln!(
        out,
        "共 {} 家牵头单位，{} 家报送，{} 家未报送。报送截止日期：2024年7月10日。\n",
        registry.lead_units().len(),
        SPECS.len(),
        MISSING.len()
    );
    let _ = writeln!(out, "## 文件清单\n\n| 文件（`2024Q2/`） | 单位 | 类型 | 说明 | 预期结果 |\n| --- | --- | --- | --- | --- |");
    for spec in SPECS {
        readme_rows(&mut out, spec);
    }
    let _ = writeln!(out, "\n## 未报送的单位（应出现在催报名单中）\n");
    for unit in MISSING {
        let tasks: Vec<String> = registry.tasks_led_by(unit).map(|t| t.id.to_string()).collect();
        let _ = writeln!(out, "- {unit}（牵头任务：{}）", tasks.join("、"));
    }
    let _ = writeln!(
        out,
        "\n## 埋设的问题（运行后应在“校验问题”表和 roundup.json 中看到）\n"
    );
    for line in planted_summary() {
        let _ = writeln!(out, "- {line}");
    }
    let _ = writeln!(
        out,
        "\n因有错误级问题，`roundup run` 的退出码应为 1（输出照常生成）。格式不规范之处（同义表头、全角数字、合计行、签字行、隐藏工作表等）都应被正确读取，不应产生其他错误；多出的列和隐藏工作表会以“提示”记录。\n\n另外：任务2（牵头单位：市市场监管局、市金融局）由两家牵头单位分别报送，汇总表中该任务应有两条报送记录。多家单位共同牵头的任务，各牵头单位分别填报自己的完成状态；状态不一致时以排在第一位的牵头单位为准，其余单位的记录会以 duplicate-task（警告）提示核对。"
    );
    out
}

fn readme_rows(out: &mut String, spec: &Spec) {
    if let Some((file, d)) = spec.draft {
        let _ = writeln!(out, "| {file} | {} | 进展表 | 同一单位较早的版本（填报日期2024年7月{d}日） | 被较新的版本替代 → superseded（警告） |", spec.unit);
    }
    if let Some(s) = &spec.sheet {
        let rejected_rows = spec.unknown.len()
            + spec
                .plants
                .iter()
                .filter(|(_, p)| !matches!(p, PlantSpec::CompletedAt(_)))
                .count();
        let outcome = match (spec.day > 10, rejected_rows) {
            (true, _) => "采用（逾期）".to_owned(),
            (false, 0) => "采用".to_owned(),
            (false, n) => format!("采用（{n}行有错误，不采用该行）"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | 进展表 | {} | {outcome} |",
            s.file,
            spec.unit,
            sheet_notes(spec, s)
        );
    }
    if let Some(file) = spec.stale {
        let _ = writeln!(out, "| {file} | {} | 进展表 | 误报上季度（2024年第一季度）的进展表，填报日期2024年4月8日 | 退回 → stale-round（错误） |", spec.unit);
    }
    if let Some(r) = &spec.report {
        let _ = writeln!(
            out,
            "| {} | {} | 工作报告 | {} | 采用 |",
            r.file,
            spec.unit,
            report_notes(spec, r)
        );
    }
}

/// One line per planted issue: code, unit, task or file.
pub fn planted_summary() -> Vec<String> {
    let mut lines = Vec::new();
    for spec in SPECS {
        for (t, p) in spec.plants {
            lines.push(format!("{}：{}", spec.unit, p.describe(*t)));
        }
        for t in spec.unknown {
            lines.push(format!(
                "{}：任务{t}不在任务清单中 → unknown-task（错误）",
                spec.unit
            ));
        }
        for t in spec.extra {
            lines.push(format!(
                "{}：报送了非本单位牵头的任务{t} → not-lead-unit（警告）",
                spec.unit
            ));
        }
        for t in spec.skip {
            lines.push(format!("{}：漏报牵头任务{t} → missing-task（警告）", spec.unit));
        }
        if let Some((file, _)) = spec.draft {
            lines.push(format!(
                "{}：{file} 被同单位较新的进展表替代 → superseded（警告）",
                spec.unit
            ));
        }
        if let Some(file) = spec.stale {
            lines.push(format!(
                "{}：{file} 标注的是2024年第一季度 → stale-round（错误，整份退回）",
                spec.unit
            ));
        }
        if spec.day > 10 {
            lines.push(format!(
                "{}：填报日期2024年7月{}日晚于截止日期 → late-submission（警告）",
                spec.unit, spec.day
            ));
        }
    }
    lines
}
