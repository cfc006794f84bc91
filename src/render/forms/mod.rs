//! Fillable forms per lead unit: the progress spreadsheet (locked task columns, status
//! dropdown, percent validation, instructions) and the Word report skeleton that the readers
//! recognise. The spreadsheet's layout is one function, [`progress_form`], used both for the
//! blank form and for a filled copy (tests and examples), so a filled copy is the form with
//! values.
//!
//! With the unit's answers of the previous round ([`previous`]), the forms are pre-filled:
//! last round's status and percent as the starting values, and two locked columns
//! (上期状态, 上期进展) that the readers ignore; the Word template's task notes carry last
//! round's status. Without them, the forms are the blank forms.

pub mod previous;

pub use previous::{PreviousAnswer, UnitPrevious};

use super::xlsx::{self, Cell, Column, Row, Table};
use super::{Output, RenderError};
use crate::config::{Config, Round};
use crate::registry::{Registry, Task};
use crate::text::date::chinese_date;
use crate::vocab::{Field, Status};
use docx_rs::{AlignmentType, Comment, Docx, Paragraph, Run, RunFonts};
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ProtectionOptions, XlsxError,
};
use std::collections::BTreeMap;

/// The name of the progress sheet in the form.
pub const FORM_SHEET: &str = "进展情况";
/// The name of the instructions sheet.
pub const INSTRUCTIONS_SHEET: &str = "填报说明";
/// The defined name behind the status list when it has to live on the hidden sheet.
const STATUS_LIST_NAME: &str = "StatusOptions";

/// What a unit has written into a form. Empty for the blank form.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormValues {
    /// 填报人
    pub filler: String,
    /// 联系电话
    pub phone: String,
    /// 填报日期, as the unit writes it (e.g. `2024年4月8日`).
    pub date: String,
    /// Task id -> the values of its input columns.
    pub rows: BTreeMap<u32, BTreeMap<Field, Cell>>,
}

/// `<unit>-<round>-进展表.xlsx`
pub fn form_name(unit: &str, round: &Round) -> String {
    format!("{}-{}-进展表.xlsx", file_safe(unit), round.id)
}

/// `<unit>-<round>-工作报告.docx`
pub fn report_name(unit: &str, round: &Round) -> String {
    format!("{}-{}-工作报告.docx", file_safe(unit), round.id)
}

fn file_safe(unit: &str) -> String {
    unit.chars()
        .map(|c| if matches!(c, '/' | '\\') { '_' } else { c })
        .collect()
}

/// The forms of one lead unit: `<unit>-<round>-进展表.xlsx` and `<unit>-<round>-工作报告.docx`.
pub fn render_unit(
    registry: &Registry,
    config: &Config,
    round: &Round,
    unit: &str,
) -> Result<Vec<Output>, RenderError> {
    render_unit_with(registry, config, round, unit, None)
}

/// The forms of one lead unit, pre-filled with its answers of the previous round when
/// `previous` is given (the blank forms otherwise).
pub fn render_unit_with(
    registry: &Registry,
    config: &Config,
    round: &Round,
    unit: &str,
    previous: Option<&UnitPrevious>,
) -> Result<Vec<Output>, RenderError> {
    let values = previous.map(UnitPrevious::starting_values).unwrap_or_default();
    Ok(vec![
        Output {
            name: form_name(unit, round),
            bytes: progress_form_with(registry, config, round, unit, &values, previous)?,
        },
        Output {
            name: report_name(unit, round),
            bytes: report_document_with(registry, config, round, unit, &ReportValues::default(), previous)?,
        },
    ])
}

/// The progress form of `unit`, with `values` filled in (none for the blank form).
pub fn progress_form(
    registry: &Registry,
    config: &Config,
    round: &Round,
    unit: &str,
    values: &FormValues,
) -> Result<Vec<u8>, RenderError> {
    progress_form_with(registry, config, round, unit, values, None)
}

/// The progress form of `unit` with `values`, and the locked 上期 columns when `previous`
/// is given.
pub fn progress_form_with(
    registry: &Registry,
    config: &Config,
    round: &Round,
    unit: &str,
    values: &FormValues,
    previous: Option<&UnitPrevious>,
) -> Result<Vec<u8>, RenderError> {
    let form = Form {
        registry,
        config,
        round,
        unit,
        values,
        previous,
    };
    build_form(&form).map_err(|source| RenderError::Xlsx {
        name: form_name(unit, round),
        source,
    })
}

/// The title of the progress form.
pub fn form_title(config: &Config, round: &Round) -> String {
    format!("{}{}任务推进情况表", round.title, config.office.programme_name())
}

/// `填报单位：<unit>  填报人：…  联系电话：…  填报日期：…`
pub fn unit_line(unit: &str, values: &FormValues) -> String {
    format!(
        "填报单位：{unit}  填报人：{}  联系电话：{}  填报日期：{}",
        values.filler, values.phone, values.date
    )
}

/// What one column of the form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// A field the readers read.
    Field(Field),
    /// Last round's status (locked; ignored by the readers).
    PreviousStatus,
    /// Last round's progress text (locked; ignored by the readers).
    PreviousProgress,
}

/// The columns in order: the task columns, the 上期 columns when pre-filled, then the inputs.
fn slots(with_previous: bool) -> Vec<Slot> {
    let mut slots: Vec<Slot> = Field::ALL.iter().map(|f| Slot::Field(*f)).collect();
    if with_previous {
        let at = slots
            .iter()
            .position(|s| *s == Slot::Field(Field::Status))
            .unwrap_or(slots.len());
        slots.splice(at..at, [Slot::PreviousStatus, Slot::PreviousProgress]);
    }
    slots
}

fn form_columns(slots: &[Slot]) -> Vec<Column> {
    slots
        .iter()
        .map(|slot| match slot {
            Slot::Field(field) => field_column(*field),
            Slot::PreviousStatus => Column::centred(previous::PREVIOUS_STATUS_HEADER, 12.0, 14.0),
            Slot::PreviousProgress => Column::text(previous::PREVIOUS_PROGRESS_HEADER, 30.0, 40.0),
        })
        .collect()
}

fn field_column(field: Field) -> Column {
    let header = field.header();
    match field {
        Field::Id => Column::centred(header, 5.0, 6.0),
        Field::Text => Column::text(header, 30.0, 40.0),
        Field::Lead => Column::text(header, 10.0, 16.0),
        Field::Status => Column::centred(header, 12.0, 12.0).input(),
        Field::Percent => Column::centred(header, 16.0, 16.0).input(),
        Field::Progress => Column::text(header, 40.0, 40.0).input(),
        Field::Remarks => Column::text(header, 12.0, 12.0).input(),
        _ => Column::text(header, 20.0, 20.0).input(),
    }
}

fn form_row(task: &Task, slots: &[Slot], form: &Form) -> Row {
    let values = form.values.rows.get(&task.id);
    let answer = form.previous.and_then(|p| p.answer(task.id));
    let cells = slots
        .iter()
        .map(|slot| match slot {
            Slot::Field(Field::Id) => task.id.into(),
            Slot::Field(Field::Text) => task.text.as_str().into(),
            Slot::Field(Field::Lead) => task.lead.join("、").into(),
            Slot::Field(input) => values.and_then(|v| v.get(input)).cloned().unwrap_or_default(),
            Slot::PreviousStatus => form
                .previous
                .map(|p| p.status_text(task.id))
                .unwrap_or_default()
                .into(),
            Slot::PreviousProgress => answer.map(|a| a.progress.as_str()).unwrap_or_default().into(),
        })
        .collect();
    Row::plain(cells)
}

/// One form to build: whose, for which round, with what.
struct Form<'a> {
    registry: &'a Registry,
    config: &'a Config,
    round: &'a Round,
    unit: &'a str,
    values: &'a FormValues,
    previous: Option<&'a UnitPrevious>,
}

fn form_table(form: &Form, slots: &[Slot]) -> Table {
    Table {
        title: form_title(form.config, form.round),
        preamble: vec![unit_line(form.unit, form.values)],
        columns: form_columns(slots),
        rows: form
            .registry
            .tasks_led_by(form.unit)
            .map(|t| form_row(t, slots, form))
            .collect(),
        freeze_cols: 3,
        min_lines: 4,
        editable_preamble: true,
        ..Table::default()
    }
}

fn col_of(slots: &[Slot], field: Field) -> u16 {
    slots.iter().position(|s| *s == Slot::Field(field)).unwrap_or(0) as u16
}

fn build_form(form: &Form) -> Result<Vec<u8>, XlsxError> {
    let (config, round, unit) = (form.config, form.round, form.unit);
    let slots = slots(form.previous.is_some());
    let title = form_title(config, round);
    let mut workbook = xlsx::new_workbook(
        &format!("{unit}{title}"),
        &config.office.name,
        super::document_time(round),
    )?;
    let sheet = workbook.add_worksheet();
    sheet.set_name(FORM_SHEET)?;
    let placed = xlsx::write_table(sheet, &form_table(form, &slots))?;
    let instructions = workbook.add_worksheet();
    instructions.set_name(INSTRUCTIONS_SHEET)?;
    let mut lines = self::instructions(config, round, unit);
    if let Some(previous) = form.previous {
        lines.push(previous_instruction(&previous.round_id));
    }
    write_instructions(instructions, lines)?;
    let labels: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
    let status = xlsx::list_validation(&mut workbook, STATUS_LIST_NAME, 0, &labels)?;
    let sheet = workbook.worksheet_from_name(FORM_SHEET)?;
    let (first, last) = (placed.first_row, placed.last_row().max(placed.first_row));
    let status_col = col_of(&slots, Field::Status);
    sheet.add_data_validation(first, status_col, last, status_col, &status_rule(status)?)?;
    let percent_col = col_of(&slots, Field::Percent);
    sheet.add_data_validation(first, percent_col, last, percent_col, &percent_rule()?)?;
    sheet.protect_with_options(&ProtectionOptions {
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        ..ProtectionOptions::default()
    });
    workbook.save_to_buffer()
}

fn status_rule(list: DataValidation) -> Result<DataValidation, XlsxError> {
    list.set_input_title("完成状态")?
        .set_input_message(format!("请从下拉列表中选择。{}", Status::allowed_values_hint()))?
        .set_error_title("完成状态无效")?
        .set_error_message(Status::allowed_values_hint())
}

fn percent_rule() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::Between(0.0, 100.0))
        .set_input_title("完成进度（%）")?
        .set_input_message("请填写0至100之间的数字，如60表示完成60%，不带百分号；已完成填100。")?
        .set_error_title("完成进度无效")?
        .set_error_message("完成进度应为0至100之间的数字。")
        .map(|v| v.set_error_style(DataValidationErrorStyle::Stop))
}

/// The instructions, one numbered line each.
pub fn instructions(config: &Config, round: &Round, unit: &str) -> Vec<String> {
    let statuses: Vec<&str> = Status::ALL.iter().map(|s| s.label()).collect();
    vec![
        format!(
            "本表由{}制发，请{unit}填写{}（{}至{}）的工作进展，于{}前报送。",
            config.office.name,
            round.title,
            chinese_date(round.start),
            chinese_date(round.end),
            chinese_date(round.deadline)
        ),
        "“序号”“试点任务”“牵头单位”三列已预填并锁定，请勿修改、删除或调整行序；表头请勿改动，请勿合并单元格。".to_owned(),
        format!("“完成状态”请从下拉列表中选择：{}。", statuses.join("、")),
        "“完成进度（%）”填写0至100之间的数字（如60），不带百分号；已完成填100，未启动填0。".to_owned(),
        "“本期工作进展”必填，写明本期做了什么、取得了什么成效；“项目落地情况”“案例报送”可先写数量再写名称，如“3个：……”。".to_owned(),
        "“存在问题”“下步计划”“政策诉求”请写具体内容，没有的可不填；其他需要说明的写在“备注”列。".to_owned(),
        "牵头单位列有多个单位的为联合牵头任务，排在第一位的为主要牵头单位；各牵头单位分别填报本单位负责部分。".to_owned(),
        "请在第2行冒号后填写填报人、联系电话和填报日期（如2024年4月8日）。".to_owned(),
        "如同时报送工作报告（Word），请使用同时下发的报告模板，标题和各部分小标题请勿改动，每项任务以“任务N：”开头。".to_owned(),
        "文件请保存为.xlsx格式，文件名保留单位名称。".to_owned(),
    ]
}

/// The instruction added to a pre-filled form.
pub fn previous_instruction(previous_round: &str) -> String {
    format!(
        "本表已按本单位{previous_round}报送内容预填：“{}”“{}”两列为上期内容，仅供参考，已锁定；“完成状态”“完成进度（%）”为上期填报值，请按本期实际修改；“本期工作进展”请填写本期新的进展，照抄上期内容的将被提示。",
        previous::PREVIOUS_STATUS_HEADER,
        previous::PREVIOUS_PROGRESS_HEADER
    )
}

fn write_instructions(ws: &mut rust_xlsxwriter::Worksheet, lines: Vec<String>) -> Result<(), XlsxError> {
    let table = Table {
        title: INSTRUCTIONS_SHEET.to_owned(),
        columns: vec![
            Column::centred("序号", 5.0, 6.0),
            Column::text("说明", 80.0, 100.0),
        ],
        rows: lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| Row::plain(vec![(i + 1).into(), line.into()]))
            .collect(),
        ..Table::default()
    };
    xlsx::write_table(ws, &table)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The Word report skeleton.

/// `<unit>关于<round title><programme>任务推进情况的报告`
pub fn report_title(config: &Config, round: &Round, unit: &str) -> String {
    format!(
        "{unit}关于{}{}任务推进情况的报告",
        round.title,
        config.office.programme_name()
    )
}

/// The section headings of the report, in order (the Word reader recognises them).
pub const REPORT_SECTIONS: [&str; 5] = [
    "一、任务推进情况",
    "二、典型案例",
    "三、存在问题",
    "四、下步计划",
    "五、政策诉求",
];

/// What a unit has written into its Word report. Empty for the skeleton.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReportValues {
    /// 填报日期, as the unit writes it.
    pub date: String,
    /// Task id -> the paragraphs written under `任务N：`.
    pub tasks: BTreeMap<u32, Vec<String>>,
    /// 典型案例: (title, body).
    pub cases: Vec<(String, String)>,
    /// 存在问题
    pub problems: Vec<String>,
    /// 下步计划
    pub next_steps: Vec<String>,
    /// 政策诉求
    pub policy: Vec<String>,
}

/// The Word report skeleton of `unit`: title, 填报单位 and 填报日期 lines, the five section
/// headings, and one `任务N：` paragraph per task (the task text rides along as a comment, so
/// it is not read as progress).
pub fn report_skeleton(
    registry: &Registry,
    config: &Config,
    round: &Round,
    unit: &str,
) -> Result<Vec<u8>, RenderError> {
    report_document(registry, config, round, unit, &ReportValues::default())
}

/// The Word report of `unit` with `values` written in (the skeleton when empty).
pub fn report_document(
    registry: &Registry,
    config: &Config,
    round: &Round,
    unit: &str,
    values: &ReportValues,
) -> Result<Vec<u8>, RenderError> {
    report_document_with(registry, config, round, unit, values, None)
}

/// The Word report of `unit` with `values`; each task's note also gives last round's status
/// when `previous` is given.
pub fn report_document_with(
    registry: &Registry,
    config: &Config,
    round: &Round,
    unit: &str,
    values: &ReportValues,
    previous: Option<&UnitPrevious>,
) -> Result<Vec<u8>, RenderError> {
    let when = super::document_time(round)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let mut docx = Docx::new()
        .created_at(&when)
        .updated_at(&when)
        .default_fonts(fonts("仿宋_GB2312"))
        .default_size(32)
        .add_paragraph(title_paragraph(&report_title(config, round, unit)))
        .add_paragraph(body(&format!("填报单位：{unit}")))
        .add_paragraph(body(&format!("填报日期：{}", values.date)))
        .add_paragraph(heading(REPORT_SECTIONS[0]));
    for (i, task) in registry.tasks_led_by(unit).enumerate() {
        let note = task_note(task, previous);
        docx = docx.add_paragraph(task_paragraph(task, &note, i + 1, &config.office.name, &when));
        docx = add_body(docx, values.tasks.get(&task.id).map(Vec::as_slice));
    }
    let cases: Vec<String> = values
        .cases
        .iter()
        .enumerate()
        .flat_map(|(i, (title, text))| [format!("案例{}：{title}", i + 1), text.clone()])
        .collect();
    let sections = [&cases, &values.problems, &values.next_steps, &values.policy];
    for (heading_text, paragraphs) in REPORT_SECTIONS[1..].iter().zip(sections) {
        docx = add_body(docx.add_paragraph(heading(heading_text)), Some(paragraphs));
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut buf).map_err(|e| RenderError::Docx {
        name: report_name(unit, round),
        source: crate::render::bulletin_docx::postprocess::PostprocessError::pack(e),
    })?;
    Ok(buf.into_inner())
}

/// The paragraphs written under a heading, or one empty paragraph to type into.
fn add_body(docx: Docx, paragraphs: Option<&[String]>) -> Docx {
    match paragraphs.filter(|p| !p.is_empty()) {
        Some(paragraphs) => paragraphs.iter().fold(docx, |d, p| d.add_paragraph(body(p))),
        None => docx.add_paragraph(body("")),
    }
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .east_asia(east_asia)
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
}

fn title_paragraph(text: &str) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .add_run(Run::new().add_text(text).fonts(fonts("方正小标宋简体")).size(44))
}

fn heading(text: &str) -> Paragraph {
    Paragraph::new()
        .outline_lvl(0)
        .add_run(Run::new().add_text(text).fonts(fonts("黑体")).size(32))
}

fn body(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text).size(32))
}

/// The note on a task: its text and leads, and last round's status when known.
fn task_note(task: &Task, previous: Option<&UnitPrevious>) -> String {
    let mut note = format!(
        "试点任务{}：{}（牵头单位：{}）",
        task.id,
        task.text,
        task.lead.join("、")
    );
    if let Some(p) = previous {
        let status = p.status_text(task.id);
        let status = if status.is_empty() {
            "未填报".to_owned()
        } else {
            status
        };
        note.push_str(&format!("；{}状态：{status}", p.round_id));
    }
    note
}

fn task_paragraph(task: &Task, note: &str, comment_id: usize, author: &str, when: &str) -> Paragraph {
    let note = Comment::new(comment_id)
        .author(author)
        .date(when)
        .add_paragraph(Paragraph::new().add_run(Run::new().add_text(note)));
    Paragraph::new()
        .add_comment_start(note)
        .add_run(
            Run::new()
                .add_text(format!("任务{}：", task.id))
                .fonts(fonts("楷体_GB2312"))
                .bold()
                .size(32),
        )
        .add_comment_end(comment_id)
}
