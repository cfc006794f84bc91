//! Spreadsheet reading with calamine: every sheet of an xlsx/xlsm/xlsb/xls/ods/et workbook as
//! a [`Grid`] with positions as the user sees them, merged ranges and hidden flags.

use super::sniff::Format;
use super::{CellValue, Content, FileKind, Grid, IngestError, Ingested, RefStyle};
use crate::config::Limits;
use calamine::{Data, Reader, Sheets};
use std::io::Cursor;

/// Reads every sheet of a workbook whose format has been sniffed.
pub fn read_workbook(
    format: Format,
    bytes: &[u8],
    limits: &Limits,
) -> Result<Ingested, IngestError> {
    let cursor = Cursor::new(bytes);
    let corrupt = |e: String| IngestError::unreadable(format!("表格文件已损坏：{e}"));
    let mut workbook: Sheets<Cursor<&[u8]>> = match format {
        Format::Xlsx => {
            Sheets::Xlsx(calamine::Xlsx::new(cursor).map_err(|e| corrupt(e.to_string()))?)
        }
        Format::Xlsb => {
            Sheets::Xlsb(calamine::Xlsb::new(cursor).map_err(|e| corrupt(e.to_string()))?)
        }
        Format::Ods => Sheets::Ods(calamine::Ods::new(cursor).map_err(|e| corrupt(e.to_string()))?),
        Format::Xls => Sheets::Xls(calamine::Xls::new(cursor).map_err(|e| corrupt(e.to_string()))?),
        Format::Docx | Format::LegacyWord => {
            return Err(IngestError::unreadable("不是表格文件"));
        }
    };
    let metadata: Vec<(String, bool)> = workbook
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible != calamine::SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::new();
    for (name, hidden) in metadata {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| corrupt(e.to_string()))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<CellValue>> = vec![Vec::new(); row0 as usize];
        for row in range.rows().take(limits.max_rows as usize) {
            let mut cells = vec![CellValue::Empty; col0 as usize];
            cells.extend(row.iter().take(limits.max_cols as usize).map(convert));
            rows.push(cells);
        }
        sheets.push(Grid {
            name,
            hidden,
            style: RefStyle::A1,
            rows,
            merges: Vec::new(),
        });
    }
    Ok(Ingested {
        kind: FileKind::Spreadsheet,
        content: Content::Workbook(sheets),
        notes: Vec::new(),
    })
}

fn convert(data: &Data) -> CellValue {
    match data {
        Data::Empty => CellValue::Empty,
        Data::String(s) => CellValue::Text(s.clone()),
        Data::Float(f) => CellValue::Number(*f),
        Data::Int(i) => CellValue::Number(*i as f64),
        Data::Bool(b) => CellValue::Bool(*b),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map(|d| CellValue::Date(d.date()))
            .unwrap_or(CellValue::Number(dt.as_f64())),
        Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Text(s.clone()),
        Data::Error(e) => CellValue::Error(format!("{e:?}")),
    }
}
