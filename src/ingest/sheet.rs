//! Spreadsheet reading with calamine: every sheet of an xlsx/xlsm/xlsb/xls/ods/et workbook as
//! a [`Grid`] with positions as the user sees them, merged ranges and hidden flags.
//!
//! The reader is chosen by the sniffed format (never `open_workbook_auto`). xlsx and xlsb
//! cells are streamed (`worksheet_cells_reader`) with row and column caps, so a cell placed at
//! `XFD1048576` costs nothing; xls and ods go through `worksheet_range` (`worksheet_range_ref`
//! is unimplemented for them and panics). Formulas give their cached value; a formula with no
//! cached value (written by openpyxl, xlwt, odfpy) gives [`CellValue::Formula`]. Date cells
//! give [`CellValue::Date`]; a non-finite number (`NaN`, `inf`, `1e400`) gives its text, which
//! validation reports at the cell.
//!
//! The cell's own number format decides what is a percent ([`CellValue::Percent`], contract
//! §2). calamine exposes formats for xlsx only; for xls/et the [`biff`] records (XF → FORMAT)
//! and for ods the [`ods`] `content.xml` (`office:value-type="percentage"`) are read here and
//! laid over calamine's cells ([`marks`]). xlsb styles are not read: its plain numbers reach
//! validation as numbers, where the guess from the values applies and an ambiguous guess
//! (every number 0 or 1) is a warning. The same scans give xls and ods the row and column
//! limits xlsx gets from the zip guard (an error, never a silent cut). Hidden sheets are
//! listed (no cells) with a `hidden-sheet` note. Hidden rows and running-number formulas
//! (`=ROW()-3`) are read from the file for xlsx ([`xlsx`]), xls/et (hidden rows) and ods, and
//! kept on the grid as evidence for validation: a hidden row is still read.

mod biff;
mod marks;
mod ods;
mod xlsx;

use super::sniff::Format;
use super::zipguard::{Parts, MAX_RETAINED_BYTES};
use super::{CellValue, Content, FileKind, Grid, IngestError, Ingested, Merge, RefStyle};
use crate::config::Limits;
use crate::diag::{Code, Diagnostic};
use calamine::{
    Data, DataRef, Dimensions, Range, Reader, Sheet, SheetType, SheetVisible, Style, Xls, Xlsb, Xlsx,
};
use std::io::Cursor;

type Bytes<'a> = Cursor<&'a [u8]>;

/// Reads every sheet of a workbook whose format has been sniffed (zip packages have passed
/// [`zipguard`](super::zipguard) in [`sniff`](super::sniff): part sizes, counts, shared-string
/// counts).
pub fn read_workbook(format: Format, bytes: &[u8], limits: &Limits) -> Result<Ingested, IngestError> {
    read_workbook_parts(format, bytes, None, limits)
}

/// [`read_workbook`] with the parts the zip guard inflated, when it kept them (the ods
/// reader takes `content.xml` from them instead of inflating it again, the xlsx reader its
/// worksheet parts).
pub fn read_workbook_parts(
    format: Format,
    bytes: &[u8],
    parts: Option<&Parts>,
    limits: &Limits,
) -> Result<Ingested, IngestError> {
    let sheets = match format {
        Format::Xlsx => read_xlsx(bytes, parts, limits)?,
        Format::Xlsb => read_xlsb(bytes, limits)?,
        Format::Ods => read_ods(bytes, parts.and_then(|p| p.get("content.xml")), limits)?,
        Format::Xls => read_xls(bytes, limits)?,
        Format::Docx | Format::LegacyWord | Format::Rtf | Format::WordHtml => {
            return Err(IngestError::unreadable("不是表格文件"))
        }
    };
    let notes = sheets
        .iter()
        .filter(|s| s.hidden)
        .map(|s| {
            Diagnostic::new(Code::HiddenSheet, format!("隐藏工作表“{}”未读取", s.name))
                .at(s.name.clone())
                .hint("如该表是进展表，请取消隐藏后重新报送")
        })
        .collect();
    Ok(Ingested {
        kind: FileKind::Spreadsheet,
        content: Content::Workbook(sheets),
        notes,
    })
}

fn corrupt(error: impl std::fmt::Display) -> IngestError {
    IngestError::unreadable(format!("表格文件已损坏（{error}）"))
}

/// A sheet that is listed but not read.
fn hidden_grid(name: &str) -> Grid {
    Grid {
        name: name.to_owned(),
        hidden: true,
        style: RefStyle::A1,
        rows: Vec::new(),
        merges: Vec::new(),
        hidden_rows: Vec::new(),
        running_numbers: Vec::new(),
        hidden_cols: Vec::new(),
    }
}

fn is_hidden(sheet: &Sheet) -> bool {
    sheet.visible != SheetVisible::Visible
}

/// Sheets with cells (chart and dialog sheets have none).
fn worksheets(metadata: &[Sheet]) -> Vec<Sheet> {
    metadata
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .cloned()
        .collect()
}

fn read_xlsx(bytes: &[u8], parts: Option<&Parts>, limits: &Limits) -> Result<Vec<Grid>, IngestError> {
    let mut book: Xlsx<Bytes> = Xlsx::new(Cursor::new(bytes)).map_err(xlsx_error)?;
    let package = Package { bytes, parts };
    let paths = match (
        package.part("xl/workbook.xml"),
        package.part("xl/_rels/workbook.xml.rels"),
    ) {
        (Some(workbook), Some(rels)) => xlsx::sheet_parts(&workbook, &rels),
        _ => Vec::new(),
    };
    let mut budget = marks::MAX_UNCALCULATED_CELLS;
    let mut grids = Vec::new();
    for sheet in worksheets(book.sheets_metadata()) {
        if is_hidden(&sheet) {
            grids.push(hidden_grid(&sheet.name));
            continue;
        }
        let merges = book
            .merge_cells_by_sheet_name(&sheet.name)
            .map(|m| merges_of(&m, limits))
            .unwrap_or_default();
        let mut grid = read_xlsx_cells(&mut book, &sheet.name, limits)?;
        grid.merges = merges;
        let path = paths.iter().find(|(name, _)| *name == sheet.name);
        if let Some(xml) = path.and_then(|(_, path)| package.part(path)) {
            lay_marks(&mut grid, &xlsx::scan_sheet(&xml), limits, &mut budget)?;
        }
        grids.push(grid);
    }
    Ok(grids)
}

/// An xlsx package, for the parts calamine does not expose.
struct Package<'a> {
    bytes: &'a [u8],
    parts: Option<&'a Parts>,
}

impl Package<'_> {
    /// A part's bytes: the zip guard's copy when it kept the parts, else inflated here when it
    /// is no larger than [`MAX_RETAINED_BYTES`]. A larger part gives `None`: its sheet is not
    /// scanned for hidden rows and running numbers (memory stays bounded; calamine still
    /// reads its cells).
    fn part(&self, name: &str) -> Option<std::borrow::Cow<'_, [u8]>> {
        use std::io::Read;
        if let Some(parts) = self.parts {
            return parts.get(name).map(std::borrow::Cow::Borrowed);
        }
        let mut archive = zip::ZipArchive::new(Cursor::new(self.bytes)).ok()?;
        let part = archive.by_name(name).ok()?;
        let mut xml = Vec::new();
        part.take(MAX_RETAINED_BYTES + 1).read_to_end(&mut xml).ok()?;
        (xml.len() as u64 <= MAX_RETAINED_BYTES).then_some(std::borrow::Cow::Owned(xml))
    }
}

fn xlsx_error(error: calamine::XlsxError) -> IngestError {
    match error {
        calamine::XlsxError::Password => IngestError::Encrypted,
        other => corrupt(other),
    }
}

fn read_xlsx_cells(book: &mut Xlsx<Bytes>, name: &str, limits: &Limits) -> Result<Grid, IngestError> {
    let mut reader = book.worksheet_cells_reader(name).map_err(corrupt)?;
    let percent: Vec<bool> = reader.styles().iter().map(is_percent_style).collect();
    let mut builder = GridBuilder::new(name, limits);
    let mut empty_cells = false;
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(corrupt)? {
        let (row, col) = cell.get_position();
        let mut value = convert_ref(cell.get_value());
        if let CellValue::Number(n) = value {
            if percent.get(style).copied().unwrap_or(false) {
                value = CellValue::Percent(n);
            }
        }
        empty_cells |= value == CellValue::Empty && builder.within(row, col);
        builder.put(row, col, value)?;
    }
    drop(reader);
    // A formula with no cached value was read as an empty cell; only then is a second pass
    // over the sheet needed to tell it from a cell that is only formatted.
    if empty_cells {
        uncalculated_xlsx_formulas(book, name, &mut builder)?;
    }
    Ok(builder.finish())
}

/// Formula cells that the first pass read as empty become [`CellValue::Formula`]. A formula
/// calamine cannot expand (a broken shared formula) ends the pass: those cells stay empty.
fn uncalculated_xlsx_formulas(
    book: &mut Xlsx<Bytes>,
    name: &str,
    builder: &mut GridBuilder,
) -> Result<(), IngestError> {
    let mut reader = book.worksheet_cells_reader(name).map_err(corrupt)?;
    while let Ok(Some(cell)) = reader.next_formula() {
        let (row, col) = cell.get_position();
        if !cell.get_value().is_empty() && builder.is_empty_at(row, col) {
            builder.put(row, col, CellValue::Formula(format!("={}", cell.get_value())))?;
        }
    }
    Ok(())
}

/// True when the style's number format shows a percent (a `%` outside quoted text).
fn is_percent_style(style: &Style) -> bool {
    style
        .number_format
        .as_ref()
        .is_some_and(|f| is_percent_format(&f.format_code))
}

/// True for number formats such as `0%`, `0.0%`, `#,##0.00%` (not `"%"` literals).
pub fn is_percent_format(code: &str) -> bool {
    let mut quoted = false;
    let mut escaped = false;
    for c in code.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '%' if !quoted => return true,
            _ => {}
        }
    }
    false
}

fn read_xlsb(bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, IngestError> {
    let mut book: Xlsb<Bytes> = Xlsb::new(Cursor::new(bytes)).map_err(corrupt)?;
    let mut grids = Vec::new();
    for sheet in worksheets(book.sheets_metadata()) {
        if is_hidden(&sheet) {
            grids.push(hidden_grid(&sheet.name));
            continue;
        }
        let mut reader = book.worksheet_cells_reader(&sheet.name).map_err(corrupt)?;
        let mut builder = GridBuilder::new(&sheet.name, limits);
        while let Some(cell) = reader.next_cell().map_err(corrupt)? {
            let (row, col) = cell.get_position();
            builder.put(row, col, convert_ref(cell.get_value()))?;
        }
        grids.push(builder.finish());
    }
    Ok(grids)
}

fn read_xls(bytes: &[u8], limits: &Limits) -> Result<Vec<Grid>, IngestError> {
    // Scanned first: a sheet over the limits is refused before calamine allocates for it.
    let scanned = biff::scan_workbook(bytes, limits)?;
    let mut book: Xls<Bytes> = Xls::new(Cursor::new(bytes)).map_err(xls_error)?;
    let metadata = book.sheets_metadata().to_vec();
    let mut grids = Vec::new();
    let mut budget = marks::MAX_UNCALCULATED_CELLS;
    for (index, sheet) in metadata.iter().enumerate() {
        if sheet.typ != SheetType::WorkSheet {
            continue;
        }
        if is_hidden(sheet) {
            grids.push(hidden_grid(&sheet.name));
            continue;
        }
        let range = book.worksheet_range(&sheet.name).map_err(xls_error)?;
        let mut grid = grid_from_range(&sheet.name, &range, limits)?;
        // calamine lists sheets in BOUNDSHEET order, as the scan does.
        if let Some(scan) = scanned.get(index) {
            lay_marks(&mut grid, &scan.marks, limits, &mut budget)?;
        }
        grid.merges = book
            .merge_cells_by_sheet_name(&sheet.name)
            .map(|m| merges_of(&m, limits))
            .unwrap_or_default();
        grids.push(grid);
    }
    Ok(grids)
}

/// Lays what the format scan found (percent formats, formulas with no stored value) over a
/// grid calamine read within the limits.
fn lay_marks(
    grid: &mut Grid,
    found: &[marks::Marked],
    limits: &Limits,
    budget: &mut u64,
) -> Result<(), IngestError> {
    marks::apply(grid, found, limits.max_rows, limits.max_cols, budget)
}

fn xls_error(error: calamine::XlsError) -> IngestError {
    let text = error.to_string();
    if text.to_lowercase().contains("password") || text.to_lowercase().contains("encrypt") {
        IngestError::Encrypted
    } else {
        corrupt(text)
    }
}

fn read_ods(bytes: &[u8], content: Option<&[u8]>, limits: &Limits) -> Result<Vec<Grid>, IngestError> {
    // Scanned first: a sheet over the limits is refused before calamine allocates for it.
    let scanned = match content {
        Some(xml) => ods::scan_content(xml, limits)?,
        None => match ods_content(bytes, limits) {
            Some(xml) => ods::scan_content(&xml, limits)?,
            None => Vec::new(),
        },
    };
    let mut book: calamine::Ods<Bytes> = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| match e {
        calamine::OdsError::Password => IngestError::Encrypted,
        other => corrupt(other),
    })?;
    let mut grids = Vec::new();
    let mut budget = marks::MAX_UNCALCULATED_CELLS;
    for sheet in worksheets(book.sheets_metadata()) {
        if is_hidden(&sheet) {
            grids.push(hidden_grid(&sheet.name));
            continue;
        }
        let range = book.worksheet_range(&sheet.name).map_err(corrupt)?;
        let mut grid = grid_from_range(&sheet.name, &range, limits)?;
        if let Some(scan) = scanned.iter().find(|s| s.name == sheet.name) {
            lay_marks(&mut grid, &scan.marks, limits, &mut budget)?;
        }
        grids.push(grid);
    }
    Ok(grids)
}

/// `content.xml` of an OpenDocument package, inflated within `limits.max_part_bytes` (the zip
/// guard has checked it already; this is for packages too large for it to keep the parts).
fn ods_content(bytes: &[u8], limits: &Limits) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let part = archive.by_name("content.xml").ok()?;
    let mut xml = Vec::new();
    part.take(limits.max_part_bytes).read_to_end(&mut xml).ok()?;
    Some(xml)
}

/// A grid from a calamine range, offset by the range's start so that indices are the
/// positions the user sees; a value beyond the caps is an error.
fn grid_from_range(name: &str, range: &Range<Data>, limits: &Limits) -> Result<Grid, IngestError> {
    let mut builder = GridBuilder::new(name, limits);
    if let Some((row0, col0)) = range.start() {
        for (r, row) in range.rows().enumerate() {
            let row_index = u32::try_from(r)
                .ok()
                .and_then(|r| r.checked_add(row0))
                .unwrap_or(u32::MAX);
            for (c, value) in row.iter().enumerate().filter(|(_, v)| **v != Data::Empty) {
                let col = u32::try_from(c)
                    .ok()
                    .and_then(|c| c.checked_add(col0))
                    .unwrap_or(u32::MAX);
                builder.put(row_index, col, convert(value))?;
            }
        }
    }
    Ok(builder.finish())
}

/// A sheet with a value beyond `limits.max_rows` (or, when `rows` is false,
/// `limits.max_cols`): the same message for every format (the zip guard gives it for xlsx).
pub(crate) fn over_limits(sheet: &str, rows: bool, limits: &Limits) -> IngestError {
    IngestError::unreadable(if rows {
        format!(
            "工作表“{sheet}”的行数超过上限 {} 行（配置项 limits.max_rows）",
            limits.max_rows
        )
    } else {
        format!(
            "工作表“{sheet}”的列数超过上限 {} 列（配置项 limits.max_cols）",
            limits.max_cols
        )
    })
}

/// Merged ranges within the row and column caps (clipped to them).
fn merges_of(dims: &[Dimensions], limits: &Limits) -> Vec<Merge> {
    dims.iter()
        .filter(|d| d.start.0 < limits.max_rows && d.start.1 < limits.max_cols)
        .filter(|d| d.end.0 >= d.start.0 && d.end.1 >= d.start.1)
        .map(|d| Merge {
            first_row: d.start.0,
            first_col: d.start.1,
            last_row: d.end.0.min(limits.max_rows.saturating_sub(1)),
            last_col: d.end.1.min(limits.max_cols.saturating_sub(1)),
        })
        .collect()
}

/// Collects one sheet's cells into rows, within the row and column caps (a value beyond them
/// is an error, as in every format) and a bound on the total text.
struct GridBuilder {
    name: String,
    rows: Vec<Vec<CellValue>>,
    limits: Limits,
    text_budget: u64,
}

impl GridBuilder {
    fn new(name: &str, limits: &Limits) -> GridBuilder {
        GridBuilder {
            name: name.to_owned(),
            rows: Vec::new(),
            limits: limits.clone(),
            text_budget: limits.max_part_bytes,
        }
    }

    /// True when (row, col) is within the caps.
    fn within(&self, row: u32, col: u32) -> bool {
        row < self.limits.max_rows && col < self.limits.max_cols
    }

    /// True when nothing has been placed at (row, col).
    fn is_empty_at(&self, row: u32, col: u32) -> bool {
        let cell = self.rows.get(row as usize).and_then(|r| r.get(col as usize));
        cell.is_none_or(|c| *c == CellValue::Empty)
    }

    /// Places a value; empty cells are dropped, a value beyond the caps is an error.
    fn put(&mut self, row: u32, col: u32, value: CellValue) -> Result<(), IngestError> {
        if value == CellValue::Empty {
            return Ok(());
        }
        if !self.within(row, col) {
            return Err(over_limits(&self.name, row >= self.limits.max_rows, &self.limits));
        }
        if let CellValue::Text(t) | CellValue::Error(t) | CellValue::Formula(t) = &value {
            self.text_budget = self
                .text_budget
                .checked_sub(t.len() as u64)
                .ok_or_else(|| IngestError::unreadable("表格中的文字总量超过上限，文件可能异常"))?;
        }
        let (row, col) = (row as usize, col as usize);
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let cells = &mut self.rows[row];
        if cells.len() <= col {
            cells.resize(col + 1, CellValue::Empty);
        }
        cells[col] = value;
        Ok(())
    }

    fn finish(self) -> Grid {
        Grid {
            name: self.name,
            hidden: false,
            style: RefStyle::A1,
            rows: self.rows,
            merges: Vec::new(),
            hidden_rows: Vec::new(),
            running_numbers: Vec::new(),
            hidden_cols: Vec::new(),
        }
    }
}

fn convert(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Empty,
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Float(f) => number(*f),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => date_time(dt),
        Data::DateTimeIso(s) => iso_date(s),
        Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(format!("{e}")),
    }
}

fn convert_ref(data: &DataRef) -> CellValue {
    match data {
        DataRef::Empty => CellValue::Empty,
        DataRef::String(s) => CellValue::Text(s.clone()),
        DataRef::SharedString(s) => CellValue::Text((*s).to_owned()),
        DataRef::Float(f) => number(*f),
        DataRef::Int(i) => CellValue::Number(*i as f64),
        DataRef::Bool(b) => CellValue::Bool(*b),
        DataRef::DateTime(dt) => date_time(dt),
        DataRef::DateTimeIso(s) => iso_date(s),
        DataRef::DurationIso(s) => CellValue::Text(s.clone()),
        DataRef::Error(e) => CellValue::Error(format!("{e}")),
    }
}

/// A number; a non-finite one (`NaN`, `inf`, `1e400` overflowing) as its text, which is no
/// valid value of any column and is reported at its cell (and survives the JSON between the
/// worker and the parent, which has no NaN).
fn number(value: f64) -> CellValue {
    if value.is_finite() {
        CellValue::Number(value)
    } else {
        CellValue::Text(value.to_string())
    }
}

/// A date-formatted serial: the date (time of day dropped); durations stay numbers.
fn date_time(dt: &calamine::ExcelDateTime) -> CellValue {
    if dt.is_duration() {
        return number(dt.as_f64());
    }
    dt.as_datetime()
        .map(|d| CellValue::Date(d.date()))
        .unwrap_or_else(|| number(dt.as_f64()))
}

/// An ISO date (`2024-04-08`, `2024-04-08T00:00:00`) as a date, anything else as text.
fn iso_date(text: &str) -> CellValue {
    let day = text.get(..10).unwrap_or(text);
    chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(CellValue::Date)
        .unwrap_or_else(|_| CellValue::Text(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{Format as XFormat, Formula, Workbook};

    fn read(bytes: &[u8]) -> Ingested {
        read_workbook(Format::Xlsx, bytes, &Limits::default()).unwrap()
    }

    fn sheets(ingested: &Ingested) -> &[Grid] {
        match &ingested.content {
            Content::Workbook(s) => s,
            Content::Document(_) => panic!("not a workbook"),
        }
    }

    #[test]
    fn percent_formats() {
        assert!(is_percent_format("0%"));
        assert!(is_percent_format("0.00%"));
        assert!(!is_percent_format("0\"%\""));
        assert!(!is_percent_format("General"));
        assert!(!is_percent_format("0\\%"));
    }

    #[test]
    fn xlsx_values_positions_merges_and_hidden_sheets() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("进展情况").unwrap();
        sheet.write_string(2, 1, "序号").unwrap();
        sheet.write_number(3, 1, 5).unwrap();
        let pct = XFormat::new().set_num_format("0%");
        sheet.write_number_with_format(3, 2, 0.8, &pct).unwrap();
        let date = XFormat::new().set_num_format("yyyy-mm-dd");
        sheet.write_number_with_format(3, 3, 45390, &date).unwrap();
        sheet
            .write_formula(3, 4, Formula::new("=1+1").set_result("2"))
            .unwrap();
        sheet.merge_range(4, 1, 6, 1, "合并", &XFormat::new()).unwrap();
        let hidden = book.add_worksheet().set_name("旧表").unwrap();
        hidden.write_string(0, 0, "x").unwrap();
        hidden.set_hidden(true);
        let bytes = book.save_to_buffer().unwrap();
        let ingested = read(&bytes);
        let s = sheets(&ingested);
        assert_eq!(s.len(), 2);
        let g = &s[0];
        assert_eq!(g.cell(2, 1), &CellValue::Text("序号".into()));
        assert_eq!(g.cell(3, 1), &CellValue::Number(5.0));
        assert_eq!(g.cell(3, 2), &CellValue::Percent(0.8));
        assert_eq!(
            g.cell(3, 3),
            &CellValue::Date(chrono::NaiveDate::from_ymd_opt(2024, 4, 8).unwrap())
        );
        assert_eq!(g.cell(3, 4), &CellValue::Number(2.0));
        assert_eq!(
            g.merges,
            vec![Merge {
                first_row: 4,
                first_col: 1,
                last_row: 6,
                last_col: 1
            }]
        );
        assert!(s[1].hidden);
        assert_eq!(ingested.notes.len(), 1);
        assert_eq!(ingested.notes[0].code, Code::HiddenSheet);
        assert_eq!(ingested.notes[0].location.as_deref(), Some("旧表"));
    }

    #[test]
    fn xlsx_hidden_rows_and_running_numbers_with_and_without_kept_parts() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("进展").unwrap();
        for row in 3..6u32 {
            let formula = Formula::new("=ROW()-3").set_result((row - 2).to_string());
            sheet.write_formula(row, 0, formula).unwrap();
            sheet.write_string(row, 1, "x").unwrap();
        }
        sheet.set_row_hidden(4).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let direct = read(&bytes);
        let kept = crate::ingest::ingest_bytes("a.xlsx", &bytes, &Limits::default()).unwrap();
        for ingested in [&direct, &kept] {
            let g = &sheets(ingested)[0];
            assert_eq!(g.hidden_rows, vec![4]);
            assert_eq!(g.running_numbers, vec![(3, 0), (4, 0), (5, 0)]);
            assert_eq!(g.cell(4, 0), &CellValue::Number(2.0));
        }
    }

    #[test]
    fn far_values_are_an_error_and_far_formatting_is_not() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet().set_name("远").unwrap();
        sheet.write_string(0, 0, "a").unwrap();
        sheet.write_string(1_048_575, 16_383, "far").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let error = read_workbook(Format::Xlsx, &bytes, &Limits::default()).unwrap_err();
        assert!(error.to_string().contains("远"), "{error}");
        assert!(error.to_string().contains("limits.max_rows"), "{error}");
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "a").unwrap();
        sheet
            .write_blank(1_048_575, 16_383, &XFormat::new().set_bold())
            .unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let ingested = read(&bytes);
        assert_eq!(sheets(&ingested)[0].rows.len(), 1);
    }

    #[test]
    fn non_finite_numbers_are_text() {
        assert_eq!(number(f64::NAN), CellValue::Text("NaN".into()));
        assert_eq!(number(f64::INFINITY), CellValue::Text("inf".into()));
        assert_eq!(
            convert(&Data::Float(f64::NEG_INFINITY)),
            CellValue::Text("-inf".into())
        );
        assert_eq!(convert(&Data::Float(0.5)), CellValue::Number(0.5));
    }
}
