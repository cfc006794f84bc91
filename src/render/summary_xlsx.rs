//! 汇总表: the consolidated summary workbook (总表, 统计, 报送情况, 校验问题, 政策诉求,
//! 重点项目及案例), print-ready: frozen headers, filters, computed widths and row heights,
//! A3 landscape one page wide, header rows repeated, page numbers.

use super::xlsx::{self, issue_columns, issue_row, Cell, Column, Row, RowKind, Table};
use super::{RenderContext, RenderError};
use crate::merge::{Light, Outcome, TaskOutcome, UnitSubmission};
use crate::registry::Task;
use crate::validate::TaskReport;
use rayon::prelude::*;
use rust_xlsxwriter::{
    Chart, ChartFormat, ChartSolidFill, ChartType, ConditionalFormatCell, ConditionalFormatCellRule, Format,
    Worksheet, XlsxError,
};
use std::collections::{HashMap, HashSet};

/// Sheet names, in workbook order.
pub const SHEETS: [&str; 6] = [
    "总表",
    "统计",
    "报送情况",
    "校验问题",
    "政策诉求",
    "重点项目及案例",
];

/// Renders the summary workbook.
pub fn render(ctx: &RenderContext) -> Result<Vec<u8>, RenderError> {
    let name = format!("汇总表-{}.xlsx", ctx.report.round.id);
    build(ctx).map_err(|source| RenderError::Xlsx { name, source })
}

fn build(ctx: &RenderContext) -> Result<Vec<u8>, XlsxError> {
    let title = format!("{}{}任务推进情况汇总表", ctx.report.round.title, programme(ctx));
    let mut workbook = xlsx::new_workbook(
        &title,
        &ctx.config.office.name,
        super::document_time(&ctx.report.round),
    )?;
    // The sheets are independent until the workbook is saved: filled in parallel.
    let sheets = (0..SHEETS.len())
        .into_par_iter()
        .map(|i| {
            let mut ws = Worksheet::new();
            ws.set_name(SHEETS[i])?;
            match i {
                0 => write_overview(&mut ws, ctx, &title)?,
                1 => write_statistics(&mut ws, ctx)?,
                2 => drop(xlsx::write_table(&mut ws, &submissions_table(ctx))?),
                3 => drop(xlsx::write_table(&mut ws, &issues_table(ctx))?),
                4 => drop(xlsx::write_table(&mut ws, &policy_table(ctx))?),
                _ => drop(xlsx::write_table(&mut ws, &projects_table(ctx))?),
            }
            Ok(ws)
        })
        .collect::<Result<Vec<Worksheet>, XlsxError>>()?;
    for ws in sheets {
        workbook.push_worksheet(ws);
    }
    workbook.save_to_buffer()
}

/// The programme's name as the office writes it (`服务业扩大开放综合试点`), from the leading
/// group's name in the configuration.
pub fn programme(ctx: &RenderContext) -> String {
    ctx.config.office.programme_name()
}

/// A sheet title: `<round title><what>`.
fn sheet_title(ctx: &RenderContext, what: &str) -> String {
    format!("{}{}", ctx.report.round.title, what)
}

// ---------------------------------------------------------------------------------------
// 总表

/// Column indices of 总表 that other code refers to.
const LIGHT_COL: u16 = 7;

fn overview_columns() -> Vec<Column> {
    vec![
        Column::centred("序号", 5.0, 6.0),
        Column::text("试点任务", 24.0, 40.0),
        Column::text("牵头单位", 10.0, 16.0),
        Column::text("配合单位", 10.0, 16.0),
        Column::centred("完成状态", 8.0, 12.0),
        Column::centred("完成进度\n（%）", 8.0, 9.0),
        Column::centred("序时进度\n（%）", 8.0, 9.0),
        Column::centred("亮灯", 5.0, 6.0),
        Column::text("本期工作进展", 24.0, 50.0),
        Column::text("项目落地", 10.0, 28.0),
        Column::text("案例", 10.0, 28.0),
        Column::text("存在问题", 10.0, 28.0),
        Column::text("下步计划", 10.0, 28.0),
        Column::centred("上期状态", 8.0, 12.0),
        Column::centred("变化", 6.0, 10.0),
        Column::text("来源文件", 10.0, 28.0),
    ]
}

fn write_overview(ws: &mut Worksheet, ctx: &RenderContext, title: &str) -> Result<(), XlsxError> {
    let table = Table {
        title: title.to_owned(),
        columns: overview_columns(),
        rows: overview_rows(ctx),
        notes: overview_notes(ctx),
        freeze_cols: 2,
        ..Table::default()
    };
    let placed = xlsx::write_table(ws, &table)?;
    if let (Some(first), Some(last)) = (placed.rows.first(), placed.rows.last()) {
        add_light_formats(ws, *first, *last)?;
    }
    Ok(())
}

/// Red, yellow and green fills on the 亮灯 column; the cell text (红/黄/绿) keeps the meaning
/// on a black-and-white print.
fn add_light_formats(ws: &mut Worksheet, first: u32, last: u32) -> Result<(), XlsxError> {
    for (light, fill, font) in [
        (Light::Red, "FF6B6B", "7F0000"),
        (Light::Yellow, "FFD966", "5F4B00"),
        (Light::Green, "8FD19E", "0B4F1C"),
    ] {
        let rule = ConditionalFormatCell::new()
            .set_rule(ConditionalFormatCellRule::EqualTo(light.label()))
            .set_format(
                Format::new()
                    .set_background_color(fill)
                    .set_font_color(font)
                    .set_bold(),
            );
        ws.add_conditional_format(first, LIGHT_COL, last, LIGHT_COL, &rule)?;
    }
    Ok(())
}

fn overview_rows(ctx: &RenderContext) -> Vec<Row> {
    let mut rows = Vec::new();
    let (mut part, mut group) = (None, None);
    let outcomes: HashMap<u32, &TaskOutcome> = ctx.report.tasks.iter().rev().map(|t| (t.id, t)).collect();
    for task in &ctx.registry.tasks {
        if part != Some(task.part) {
            part = Some(task.part);
            rows.push(Row::section(RowKind::Part, ctx.registry.part_of(task).heading()));
        }
        if group != Some(task.group) {
            group = Some(task.group);
            rows.push(Row::section(
                RowKind::Group,
                ctx.registry.group_of(task).heading(),
            ));
        }
        if let Some(outcome) = outcomes.get(&task.id) {
            rows.push(Row::plain(task_cells(task, outcome)));
        }
    }
    rows
}

fn task_cells(task: &Task, outcome: &TaskOutcome) -> Vec<Cell> {
    let text = |pick: fn(&TaskReport) -> String| Cell::from(joined(task, outcome, pick));
    vec![
        task.id.into(),
        task.text.as_str().into(),
        task.lead.join("、").into(),
        task.cooperating.join("、").into(),
        status_text(outcome).into(),
        outcome.percent.into(),
        outcome.expected_percent.into(),
        outcome.light.label().into(),
        text(progress_of),
        text(|r| r.projects.clone()),
        text(|r| r.cases.clone()),
        text(|r| r.problems.clone()),
        text(|r| r.next_steps.clone()),
        outcome.previous_status.map(|s| s.label()).into(),
        outcome.change.map(|c| c.label()).into(),
        source_files(outcome).into(),
    ]
}

/// The progress text of a report: the row's own text, else the Word report's narrative.
fn progress_of(report: &TaskReport) -> String {
    if report.progress.trim().is_empty() {
        report.narrative.clone().unwrap_or_default()
    } else {
        report.progress.clone()
    }
}

/// `推进中`, `推进中（沿用上期）` or `未报送`.
fn status_text(outcome: &TaskOutcome) -> String {
    match (outcome.status, outcome.carried_forward) {
        (Some(status), false) => status.label().to_owned(),
        (Some(status), true) => format!("{}（沿用上期）", status.label()),
        (None, _) => "未报送".to_owned(),
    }
}

/// One field of every report on a task, one paragraph per unit, each prefixed `【单位】` when
/// the task is joint or more than one unit reported.
fn joined(task: &Task, outcome: &TaskOutcome, pick: fn(&TaskReport) -> String) -> String {
    let prefixed = task.is_joint() || outcome.reports.len() > 1;
    outcome
        .reports
        .iter()
        .filter_map(|report| {
            let text = pick(report);
            let text = text.trim();
            if text.is_empty() {
                None
            } else if prefixed {
                Some(format!("【{}】{text}", unit_label(report)))
            } else {
                Some(text.to_owned())
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn unit_label(report: &TaskReport) -> String {
    if report.supplementary {
        format!("{}（非牵头单位）", report.unit)
    } else {
        report.unit.clone()
    }
}

fn source_files(outcome: &TaskOutcome) -> String {
    let mut files: Vec<&str> = outcome.reports.iter().map(|r| r.file.as_str()).collect();
    files.sort_unstable();
    files.dedup();
    files.retain(|f| !f.is_empty());
    files.join("\n")
}

fn overview_notes(ctx: &RenderContext) -> Vec<String> {
    let expected = ctx
        .report
        .tasks
        .iter()
        .find(|t| t.status != Some(crate::vocab::Status::Ongoing))
        .map(|t| t.expected_percent);
    vec![
        light_rule(ctx, expected),
        "说明：完成状态、完成进度以主要牵头单位报送为准；联合牵头任务的文字按单位分段，以【单位】开头；\
         “沿用上期”表示本期无牵头单位报送，沿用上期状态；本期工作进展未填写时采用该单位工作报告中的相应内容。"
            .to_owned(),
    ]
}

/// The light rule in words, with the thresholds from the configuration.
pub fn light_rule(ctx: &RenderContext, expected: Option<f64>) -> String {
    let l = &ctx.config.lights;
    let fmt = crate::ingest::format_number;
    let expected = expected
        .map(|e| format!("本期序时进度为{}%。", fmt(e)))
        .unwrap_or_default();
    format!(
        "亮灯规则：已完成、常态化推进或不落后序时进度为绿灯；落后序时进度超过{}个百分点为黄灯，超过{}个百分点为红灯；\
         试点满{}天后仍“未启动”至少为黄灯；本期未报送（含沿用上期状态）或状态倒退为红灯。\
         序时进度为试点期内已过时间的占比。{expected}",
        fmt(l.yellow_margin),
        fmt(l.red_margin),
        l.not_started_grace_days,
    )
}

// ---------------------------------------------------------------------------------------
// 统计

fn statistics_columns() -> Vec<Column> {
    let mut columns = vec![
        Column::centred("分类", 6.0, 11.0),
        Column::text("名称", 16.0, 40.0),
    ];
    for header in [
        "任务数",
        "已报送",
        "未报送",
        "已完成",
        "常态化推进",
        "推进中",
        "未启动",
        "完成率\n（%）",
        "绿灯",
        "黄灯",
        "红灯",
    ] {
        columns.push(Column::centred(header, 6.0, 10.0));
    }
    columns.push(Column::centred("是否报送", 8.0, 10.0));
    columns.push(Column::centred("是否按时", 8.0, 10.0));
    columns
}

fn count_cells(kind: &str, name: &str, c: &crate::merge::stats::Counts) -> Vec<Cell> {
    vec![
        kind.into(),
        name.into(),
        c.tasks.into(),
        c.reported.into(),
        c.not_reported().into(),
        c.completed.into(),
        c.ongoing.into(),
        c.in_progress.into(),
        c.not_started.into(),
        c.completion_rate().into(),
        c.green.into(),
        c.yellow.into(),
        c.red.into(),
    ]
}

fn statistics_rows(ctx: &RenderContext) -> Vec<Row> {
    let stats = &ctx.report.stats;
    let mut rows = vec![Row::plain(count_cells("全部", "全部任务", &stats.overall))];
    for part in &stats.by_part {
        rows.push(Row::plain(count_cells("篇章", &part.label, &part.counts)));
    }
    for group in &stats.by_group {
        rows.push(Row::plain(count_cells("分组", &group.label, &group.counts)));
    }
    for unit in &stats.by_unit {
        let mut cells = count_cells("牵头单位", &unit.unit, &unit.counts);
        cells.push(yes_no(unit.submitted, "已报送", "未报送").into());
        cells.push(if unit.submitted {
            yes_no(unit.on_time, "按时", "逾期").into()
        } else {
            Cell::Blank
        });
        let kind = if unit.submitted {
            RowKind::Plain
        } else {
            RowKind::Highlight
        };
        rows.push(Row { kind, cells });
    }
    rows
}

fn yes_no(value: bool, yes: &str, no: &str) -> String {
    if value { yes } else { no }.to_owned()
}

fn write_statistics(ws: &mut Worksheet, ctx: &RenderContext) -> Result<(), XlsxError> {
    let stats = &ctx.report.stats;
    let table = Table {
        title: sheet_title(ctx, "任务推进情况统计"),
        columns: statistics_columns(),
        rows: statistics_rows(ctx),
        notes: vec![
            format!(
                "统计口径：联合牵头任务计入每个牵头单位，配合单位不计；沿用上期状态的任务不计为已报送；完成率＝已完成÷任务数。\
                 牵头单位共{}个，已报送{}个，其中按时报送{}个。",
                stats.lead_units, stats.units_submitted, stats.units_on_time
            ),
        ],
        freeze_cols: 2,
        ..Table::default()
    };
    let placed = xlsx::write_table(ws, &table)?;
    let parts = stats.by_part.len() as u32;
    if parts > 0 {
        let first = placed.first_row + 1;
        let chart = part_chart(first, first + parts - 1, placed.header_row);
        let below = placed.last_row() + table.notes.len() as u32 + 2;
        ws.insert_chart(below, 1, &chart)?;
    }
    Ok(())
}

/// A stacked bar chart of each part's tasks by status.
fn part_chart(first: u32, last: u32, header: u32) -> Chart {
    let mut chart = Chart::new(ChartType::BarStacked);
    let sheet = SHEETS[1];
    for (col, color) in [
        (5u16, "2E7D32"),
        (6, "66BB6A"),
        (7, "42A5F5"),
        (8, "FFB300"),
        (4, "BDBDBD"),
    ] {
        chart
            .add_series()
            .set_name((sheet, header, col))
            .set_categories((sheet, first, 1, last, 1))
            .set_values((sheet, first, col, last, col))
            .set_format(ChartFormat::new().set_solid_fill(ChartSolidFill::new().set_color(color)));
    }
    chart.title().set_name("各篇章任务完成情况");
    chart.y_axis().set_reverse();
    chart.set_width(960).set_height(400);
    chart
}

// ---------------------------------------------------------------------------------------
// 报送情况

fn submissions_table(ctx: &RenderContext) -> Table {
    let stats = &ctx.report.stats;
    let mut first_submission: HashMap<&str, &UnitSubmission> = HashMap::new();
    for s in &ctx.report.submissions {
        first_submission.entry(s.unit.as_str()).or_insert(s);
    }
    let row = |unit: &str, led| submission_row(unit, first_submission.get(unit).copied(), led);
    let mut rows: Vec<Row> = stats
        .by_unit
        .iter()
        .map(|u| row(&u.unit, Some(u.counts.tasks)))
        .collect();
    let leads: HashSet<&str> = stats.by_unit.iter().map(|u| u.unit.as_str()).collect();
    for s in &ctx.report.submissions {
        if !leads.contains(s.unit.as_str()) {
            rows.push(row(&s.unit, None));
        }
    }
    for (i, row) in rows.iter_mut().enumerate() {
        row.cells.insert(0, (i + 1).into());
    }
    Table {
        title: sheet_title(ctx, "各单位报送情况"),
        columns: vec![
            Column::centred("序号", 5.0, 6.0),
            Column::text("单位", 14.0, 24.0),
            Column::centred("牵头\n任务数", 6.0, 8.0),
            Column::centred("是否报送", 8.0, 14.0),
            Column::text("报送文件", 20.0, 60.0),
            Column::centred("填报日期", 13.0, 13.0),
            Column::centred("是否按时", 8.0, 10.0),
            Column::centred("错误", 5.0, 6.0),
            Column::centred("警告", 5.0, 6.0),
        ],
        rows,
        notes: vec![reminder_note(ctx)],
        freeze_cols: 2,
        ..Table::default()
    }
}

fn submission_row(unit: &str, submission: Option<&UnitSubmission>, led: Option<usize>) -> Row {
    let used = submission.is_some_and(UnitSubmission::has_used_file);
    let status = match (submission, used) {
        (_, true) => "已报送",
        (Some(_), false) => "文件均未采用",
        (None, false) => "未报送",
    };
    let cells = vec![
        unit.into(),
        led.into(),
        status.into(),
        submission.map(file_list).into(),
        submission.map(file_dates).into(),
        if used {
            yes_no(submission.is_some_and(|s| s.on_time), "按时", "逾期").into()
        } else {
            Cell::Blank
        },
        submission.map_or(0, |s| s.errors).into(),
        submission.map_or(0, |s| s.warnings).into(),
    ];
    let kind = if used || led.is_none() {
        RowKind::Plain
    } else {
        RowKind::Highlight
    };
    Row { kind, cells }
}

fn file_list(s: &UnitSubmission) -> String {
    s.files
        .iter()
        .map(|f| format!("{}（{}，{}）", f.path, f.kind.label(), f.outcome.label()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn file_dates(s: &UnitSubmission) -> String {
    let mut dates: Vec<String> = s
        .files
        .iter()
        .filter(|f| f.outcome == Outcome::Used)
        .filter_map(|f| f.date.map(|d| d.format("%Y-%m-%d").to_string()))
        .collect();
    dates.sort();
    dates.dedup();
    dates.join("\n")
}

/// The 催报 line: who has not reported.
fn reminder_note(ctx: &RenderContext) -> String {
    let stats = &ctx.report.stats;
    let missing = &ctx.report.missing_units;
    let list = if missing.is_empty() {
        "无".to_owned()
    } else {
        missing.join("、")
    };
    format!(
        "牵头单位共{}个，已报送{}个（按时{}个），未报送{}个（标色行，需催报）：{list}。报送截止日期：{}。",
        stats.lead_units,
        stats.units_submitted,
        stats.units_on_time,
        missing.len(),
        crate::text::date::chinese_date(ctx.report.round.deadline)
    )
}

// ---------------------------------------------------------------------------------------
// 校验问题

fn issues_table(ctx: &RenderContext) -> Table {
    let issues = &ctx.report.issues;
    let count = |level| issues.iter().filter(|d| d.level == level).count();
    use crate::diag::Level;
    Table {
        title: sheet_title(ctx, "报送材料校验问题"),
        columns: issue_columns(true),
        rows: issues
            .iter()
            .enumerate()
            .map(|(i, d)| issue_row(i, d, true))
            .collect(),
        notes: vec![format!(
            "共{}个问题：错误{}个（标色行，相应文件或行未采用）、警告{}个、提示{}个。",
            issues.len(),
            count(Level::Error),
            count(Level::Warning),
            count(Level::Info)
        )],
        freeze_cols: 0,
        ..Table::default()
    }
}

// ---------------------------------------------------------------------------------------
// 三单: 政策诉求, 重点项目及案例

/// One entry of a 三单 list.
struct ListItem {
    kind: &'static str,
    unit: String,
    task: Option<u32>,
    text: String,
    file: String,
}

/// Entries of one field from every task report, in registry order.
fn from_reports(ctx: &RenderContext, kind: &'static str, pick: fn(&TaskReport) -> &str) -> Vec<ListItem> {
    ctx.report
        .tasks
        .iter()
        .flat_map(|t| t.reports.iter())
        .filter(|r| !pick(r).trim().is_empty())
        .map(|r| ListItem {
            kind,
            unit: r.unit.clone(),
            task: Some(r.task),
            text: pick(r).trim().to_owned(),
            file: r.file.clone(),
        })
        .collect()
}

/// Units with report texts, lead units in registry order first.
fn units_in_order<'a>(ctx: &'a RenderContext) -> Vec<&'a str> {
    let order = ctx.registry.lead_units();
    let mut units: Vec<&str> = ctx.report.unit_texts.keys().map(String::as_str).collect();
    let rank: HashMap<&str, usize> = order.iter().enumerate().rev().map(|(i, o)| (&**o, i)).collect();
    units.sort_by_key(|u| (rank.get(u).copied().unwrap_or(usize::MAX), *u));
    units
}

/// The unit's used Word report, for the source column.
fn report_file(ctx: &RenderContext, unit: &str) -> String {
    ctx.report
        .submissions
        .iter()
        .filter(|s| s.unit == unit)
        .flat_map(|s| s.files.iter())
        .filter(|f| f.outcome == Outcome::Used && f.kind == crate::ingest::FileKind::Report)
        .map(|f| f.path.clone())
        .next()
        .unwrap_or_default()
}

fn seen_of(items: &[ListItem]) -> HashSet<(String, String)> {
    items.iter().map(|i| (i.unit.clone(), i.text.clone())).collect()
}

fn push_unique(items: &mut Vec<ListItem>, seen: &mut HashSet<(String, String)>, item: ListItem) {
    if !item.text.is_empty() && seen.insert((item.unit.clone(), item.text.clone())) {
        items.push(item);
    }
}

fn policy_items(ctx: &RenderContext) -> Vec<ListItem> {
    let mut items = from_reports(ctx, "政策诉求", |r| &r.policy);
    let mut seen = seen_of(&items);
    for unit in units_in_order(ctx) {
        let file = report_file(ctx, unit);
        for text in &ctx.report.unit_texts[unit].policy_requests {
            let item = ListItem {
                kind: "政策诉求",
                unit: unit.to_owned(),
                task: None,
                text: text.trim().to_owned(),
                file: file.clone(),
            };
            push_unique(&mut items, &mut seen, item);
        }
    }
    items
}

fn project_items(ctx: &RenderContext) -> Vec<ListItem> {
    let mut items = from_reports(ctx, "项目落地", |r| &r.projects);
    items.extend(from_reports(ctx, "案例", |r| &r.cases));
    let mut seen = seen_of(&items);
    for unit in units_in_order(ctx) {
        let file = report_file(ctx, unit);
        for case in &ctx.report.unit_texts[unit].cases {
            let text = [case.title.trim(), case.body.trim()]
                .iter()
                .filter(|t| !t.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join("\n");
            let item = ListItem {
                kind: "案例",
                unit: unit.to_owned(),
                task: None,
                text,
                file: file.clone(),
            };
            push_unique(&mut items, &mut seen, item);
        }
    }
    items
}

fn list_rows(items: &[ListItem], with_kind: bool) -> Vec<Row> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut cells: Vec<Cell> = vec![(i + 1).into()];
            if with_kind {
                cells.push(item.kind.into());
            }
            cells.extend([
                item.unit.as_str().into(),
                item.task.into(),
                item.text.as_str().into(),
                item.file.as_str().into(),
            ]);
            Row::plain(cells)
        })
        .collect()
}

fn list_columns(with_kind: bool) -> Vec<Column> {
    let mut columns = vec![Column::centred("序号", 5.0, 6.0)];
    if with_kind {
        columns.push(Column::centred("类别", 8.0, 10.0));
    }
    columns.extend([
        Column::text("单位", 10.0, 20.0),
        Column::centred("任务", 5.0, 6.0),
        Column::text("内容", 30.0, 80.0),
        Column::text("来源文件", 14.0, 36.0),
    ]);
    columns
}

fn policy_table(ctx: &RenderContext) -> Table {
    let items = policy_items(ctx);
    Table {
        title: sheet_title(ctx, "政策诉求清单"),
        columns: list_columns(false),
        rows: list_rows(&items, false),
        notes: vec![format!(
            "共{}条。来源：进展表“政策诉求”列及工作报告“政策诉求”部分；任务为空的条目来自工作报告。",
            items.len()
        )],
        ..Table::default()
    }
}

fn projects_table(ctx: &RenderContext) -> Table {
    let items = project_items(ctx);
    let projects = items.iter().filter(|i| i.kind == "项目落地").count();
    Table {
        title: sheet_title(ctx, "重点项目及典型案例清单"),
        columns: list_columns(true),
        rows: list_rows(&items, true),
        notes: vec![format!(
            "项目落地{}条，案例{}条。来源：进展表“项目落地情况”“案例报送”列及工作报告“典型案例”部分。",
            projects,
            items.len() - projects
        )],
        ..Table::default()
    }
}
