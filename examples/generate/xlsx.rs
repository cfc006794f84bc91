//! Progress spreadsheets written with rust_xlsxwriter: a layout's rows on a formatted data
//! sheet, with the optional 填报说明 sheet before it and a hidden dropdown sheet after it.
//! Document properties carry a fixed creation time, so the bytes depend only on the inputs.

use super::layout::{Col, Filler, InfoStyle, Layout, Val};
use super::rng::Rng;
use super::texts::Entry;
use chrono::{Datelike, NaiveDateTime, Timelike};
use roundup::config::Config;
use roundup::vocab::{Field, Status};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// Workbook metadata.
#[derive(Debug, Clone)]
pub struct Meta {
    /// Document title.
    pub title: String,
    /// Author (the person who filled the form).
    pub author: String,
    /// Fixed creation time.
    pub created: NaiveDateTime,
}

/// The formats of a progress sheet.
struct Formats {
    title: Format,
    plain: Format,
    header: Format,
    body: Format,
    centered: Format,
    percent: Format,
}

impl Formats {
    fn new() -> Formats {
        let base = Format::new().set_font_name("宋体").set_font_size(11);
        let boxed = base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_font_name("方正小标宋简体")
                .set_font_size(18)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            plain: base,
            header: boxed
                .clone()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_background_color(0xD9D9D9),
            centered: boxed.clone().set_align(FormatAlign::Center),
            percent: boxed.clone().set_align(FormatAlign::Center).set_num_format("0%"),
            body: boxed,
        }
    }
}

/// Writes a progress workbook for one unit.
pub fn progress_workbook(
    layout: &Layout,
    entries: &[Entry],
    filler: &Filler,
    config: &Config,
    rng: &mut Rng,
    meta: &Meta,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties(meta)?);
    if layout.instructions {
        workbook.push_worksheet(instructions_sheet()?);
    }
    let mut sheet = data_sheet(layout, entries, filler, config, rng)?;
    sheet.set_active(true);
    workbook.push_worksheet(sheet);
    if layout.hidden_sheet {
        workbook.push_worksheet(hidden_sheet()?);
    }
    workbook.save_to_buffer()
}

fn properties(meta: &Meta) -> Result<DocProperties, XlsxError> {
    let c = meta.created;
    let when = ExcelDateTime::from_ymd(c.year() as u16, c.month() as u8, c.day() as u8)?.and_hms(
        c.hour() as u16,
        c.minute() as u8,
        c.second() as f64,
    )?;
    Ok(DocProperties::new()
        .set_title(&meta.title)
        .set_author(&meta.author)
        .set_creation_datetime(&when))
}

fn data_sheet(
    layout: &Layout,
    entries: &[Entry],
    filler: &Filler,
    config: &Config,
    rng: &mut Rng,
) -> Result<Worksheet, XlsxError> {
    let f = Formats::new();
    let mut ws = Worksheet::new();
    ws.set_name(&layout.sheet_name)?;
    ws.set_landscape();
    let last_col = layout.columns.len().saturating_sub(1) as u16;
    let mut row = 0u32;
    for top in layout.top_rows(filler) {
        let spans = top.len() == 1 && (row > 0 || layout.merge_title);
        let is_title = row == 0 && layout.title.is_some();
        let format = if is_title { &f.title } else { &f.plain };
        match (&top[..], spans) {
            ([Val::Text(text)], true) => {
                ws.merge_range(row, 0, row, last_col, text, format)?;
            }
            _ => write_row(&mut ws, row, &top, |_| format)?,
        }
        if is_title {
            ws.set_row_height(row, 32)?;
        }
        row += 1;
    }
    write_row(&mut ws, row, &layout.header_row(), |_| &f.header)?;
    let header_row = row;
    row += 1;
    let data = layout.data_rows(entries, config, rng);
    let gap_at = (layout.blank_rows && data.len() > 3).then_some(data.len() / 2);
    for (i, values) in data.iter().enumerate() {
        if gap_at == Some(i) {
            row += 1;
        }
        write_row(&mut ws, row, values, |c| cell_format(&f, layout, c))?;
        ws.set_row_height(row, row_height(layout, values))?;
        row += 1;
    }
    for bottom in layout.bottom_rows(entries, filler) {
        let boxed = bottom.first().is_some_and(|v| v == &Val::Text("合计".to_owned()));
        write_row(&mut ws, row, &bottom, |c| match boxed {
            true => cell_format(&f, layout, c),
            false => &f.plain,
        })?;
        row += 1;
    }
    for (i, column) in layout.columns.iter().enumerate() {
        ws.set_column_width(i as u16, column_width(&column.col))?;
    }
    if layout.info == InfoStyle::OneCell {
        ws.set_freeze_panes(header_row + 1, 0)?;
    }
    Ok(ws)
}

fn cell_format<'a>(f: &'a Formats, layout: &Layout, col: usize) -> &'a Format {
    match layout.columns.get(col).map(|c| &c.col) {
        Some(Col::Field(Field::Id | Field::Status | Field::Percent)) => &f.centered,
        _ => &f.body,
    }
}

/// Writes one row; fractions (`Val::Pct`) always get the percent number format.
fn write_row<'a>(
    ws: &mut Worksheet,
    row: u32,
    values: &[Val],
    format: impl Fn(usize) -> &'a Format,
) -> Result<(), XlsxError> {
    let percent = Formats::new().percent;
    for (col, value) in values.iter().enumerate() {
        let c = col as u16;
        let fmt = format(col);
        match value {
            Val::Blank => ws.write_blank(row, c, fmt)?,
            Val::Text(t) => ws.write_string_with_format(row, c, t, fmt)?,
            Val::Num(n) => ws.write_number_with_format(row, c, *n, fmt)?,
            Val::Pct(p) => ws.write_number_with_format(row, c, *p, &percent)?,
        };
    }
    Ok(())
}

fn column_width(col: &Col) -> f64 {
    match col {
        Col::Field(Field::Id) => 8.0,
        Col::Field(Field::Text | Field::Progress) => 44.0,
        Col::Field(Field::Lead) => 16.0,
        Col::Field(Field::Status | Field::Percent) => 11.0,
        Col::Field(_) => 26.0,
        Col::Extra(_) => 12.0,
    }
}

/// Display width: CJK ≈ 2 units, others 1.
fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2.0 } else { 1.0 })
        .sum()
}

fn row_height(layout: &Layout, values: &[Val]) -> f64 {
    let lines = values
        .iter()
        .zip(&layout.columns)
        .map(|(v, c)| match v {
            Val::Text(t) => (text_width(t) / column_width(&c.col)).ceil(),
            _ => 1.0,
        })
        .fold(1.0, f64::max);
    (lines * 15.0).min(300.0)
}

fn instructions_sheet() -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("填报说明")?;
    let lines = [
        "填报说明".to_owned(),
        format!(
            "1. 完成状态请从下拉列表中选择：{}；",
            Status::ALL.map(|s| s.label()).join("、")
        ),
        "2. 完成进度请填写0—100之间的整数，已完成的任务填写100；".to_owned(),
        "3. 本期工作进展请简要填写本季度推进举措和取得的成效，项目落地情况请写明数量；".to_owned(),
        "4. 请勿修改序号和试点任务内容，请勿增删行列；".to_owned(),
        "5. 请于截止日期前报送领导小组办公室，联系电话：025-83600000。".to_owned(),
    ];
    let bold = Format::new().set_bold().set_font_size(14);
    for (i, line) in lines.iter().enumerate() {
        match i {
            0 => ws.write_string_with_format(0, 0, line, &bold)?,
            _ => ws.write_string(i as u32, 0, line)?,
        };
    }
    ws.set_column_width(0, 90)?;
    Ok(ws)
}

fn hidden_sheet() -> Result<Worksheet, XlsxError> {
    let mut ws = Worksheet::new();
    ws.set_name("下拉选项")?;
    for (i, status) in Status::ALL.iter().enumerate() {
        ws.write_string(i as u32, 0, status.label())?;
    }
    ws.set_hidden(true);
    Ok(ws)
}
