//! OpenDocument `content.xml`, scanned for what calamine's ods reader does not report:
//! percentage cells (`office:value-type="percentage"`), formulas with no stored value
//! (`table:formula` and no value), and cells beyond the row and column limits (calamine
//! caps them silently; xlsx gets an error from the zip guard, and so does ods now).
//!
//! Positions follow calamine's reading exactly, so that the marks land on the cells it
//! reported: tables by `table:name`, one row per `table:table-row` start tag (expanded by
//! `table:number-rows-repeated`), one column per `table:table-cell` or
//! `table:covered-table-cell` (expanded by `table:number-columns-repeated`), empty elements
//! expanded to start and end tags. Counters saturate; nothing is allocated per repeated cell.

use super::marks::{Mark, Marked};
use super::over_limits;
use crate::config::Limits;
use crate::ingest::IngestError;
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::{Reader, XmlVersion};

/// The marks of one table, by its name.
#[derive(Debug, Default, PartialEq)]
pub struct SheetMarks {
    /// `table:name`.
    pub name: String,
    /// Percent cells and formulas with no stored value.
    pub marks: Vec<Marked>,
}

/// Scans `content.xml`. An error only for a cell with content beyond `limits.max_rows` /
/// `limits.max_cols`; XML the scanner cannot follow ends the scan (calamine judges it).
pub fn scan_content(xml: &[u8], limits: &Limits) -> Result<Vec<SheetMarks>, IngestError> {
    let mut reader = Reader::from_reader(xml);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.check_end_names = false;
    let mut sheets = Vec::new();
    let mut table: Option<TableScan> = None;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => match (e.name().as_ref(), table.as_mut()) {
                ("table:table", None) => table = attr(&e, "table:name").map(TableScan::new),
                ("table:table-column", Some(t)) => t.column(
                    repeats(&e, "table:number-columns-repeated"),
                    attr(&e, "table:visibility").as_deref() == Some("collapse"),
                ),
                ("table:table-row", Some(t)) => {
                    t.start_row(repeats(&e, "table:number-rows-repeated"));
                    if matches!(
                        attr(&e, "table:visibility").as_deref(),
                        Some("collapse" | "filter")
                    ) {
                        t.hide_row();
                    }
                }
                ("table:table-cell" | "table:covered-table-cell", Some(t)) => {
                    t.cell(&e, limits)?;
                    let name = e.name().as_ref().to_owned();
                    if reader.read_to_end(QName(&name)).is_err() {
                        break;
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.name().as_ref() == "table:table" => {
                if let Some(t) = table.take() {
                    sheets.push(t.sheet);
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    Ok(sheets)
}

/// Position while scanning one table.
struct TableScan {
    sheet: SheetMarks,
    /// Index of the current row's first row (0-based), and how many rows it stands for.
    row: u64,
    row_repeats: u64,
    /// Index of the next cell's column in the current row.
    col: u64,
    /// True once a row has started (the first row's index is 0).
    started: bool,
    /// Index of the next `table:table-column` (columns are declared before the rows).
    next_column: u64,
}

impl TableScan {
    fn new(name: String) -> TableScan {
        TableScan {
            sheet: SheetMarks {
                name,
                marks: Vec::new(),
            },
            row: 0,
            row_repeats: 0,
            col: 0,
            started: false,
            next_column: 0,
        }
    }

    /// A column declaration (and its repeats); a collapsed one is marked hidden. Repeats past
    /// the sheet's width are cut when the mark is applied to the grid.
    fn column(&mut self, repeats: u64, hidden: bool) {
        let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let first = self.next_column;
        self.next_column = self.next_column.saturating_add(repeats.max(1));
        if hidden {
            self.sheet.marks.push(Marked {
                first_row: 0,
                last_row: 0,
                first_col: narrow(first),
                last_col: narrow(self.next_column - 1),
                mark: Mark::HiddenColumn,
            });
        }
    }

    fn start_row(&mut self, repeats: u64) {
        if self.started {
            self.row = self.row.saturating_add(self.row_repeats);
        }
        self.started = true;
        self.row_repeats = repeats;
        self.col = 0;
    }

    /// The current row (and its repeats) is hidden: collapsed, or filtered out.
    fn hide_row(&mut self) {
        let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        let last = self.row.saturating_add(self.row_repeats.max(1) - 1);
        self.sheet.marks.push(Marked {
            first_row: narrow(self.row),
            last_row: narrow(last),
            first_col: 0,
            last_col: 0,
            mark: Mark::HiddenRow,
        });
    }

    /// One cell element: checked against the limits when it holds something, marked when it
    /// is a percentage, a formula with no stored value or a running-number formula.
    fn cell(&mut self, e: &BytesStart, limits: &Limits) -> Result<(), IngestError> {
        let cols = repeats(e, "table:number-columns-repeated");
        let (first_col, first_row) = (self.col, self.row);
        self.col = self.col.saturating_add(cols);
        let cell = CellAttrs::of(e);
        if !cell.has_content() || !self.started {
            return Ok(());
        }
        let last_row = first_row.saturating_add(self.row_repeats.max(1) - 1);
        let last_col = first_col.saturating_add(cols - 1);
        check_limits(&self.sheet.name, last_row, last_col, limits)?;
        if let Some(mark) = cell.mark() {
            // Within the limits, so within u32.
            let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
            self.sheet.marks.push(Marked {
                first_row: narrow(first_row),
                last_row: narrow(last_row),
                first_col: narrow(first_col),
                last_col: narrow(last_col),
                mark,
            });
        }
        Ok(())
    }
}

/// The attributes of a cell that matter here.
#[derive(Debug, Default)]
struct CellAttrs {
    value_type: Option<String>,
    value: Option<String>,
    formula: Option<String>,
    /// Any `office:*-value` attribute (string, date, time, boolean) or `office:value`.
    has_value: bool,
}

impl CellAttrs {
    fn of(e: &BytesStart) -> CellAttrs {
        let mut cell = CellAttrs::default();
        for a in e.attributes().flatten() {
            let text = || value(&a);
            match a.key.as_ref() {
                "office:value-type" => cell.value_type = text(),
                "office:value" => {
                    cell.value = text();
                    cell.has_value = true;
                }
                "table:formula" => cell.formula = text(),
                "office:string-value"
                | "office:date-value"
                | "office:time-value"
                | "office:boolean-value" => cell.has_value = true,
                _ => {}
            }
        }
        cell
    }

    fn has_content(&self) -> bool {
        self.value_type.is_some() || self.formula.is_some() || self.has_value
    }

    fn mark(&self) -> Option<Mark> {
        if self.value_type.as_deref() == Some("percentage") {
            let value = self.value.as_deref()?.trim().parse::<f64>().ok()?;
            return value.is_finite().then_some(Mark::Percent { value });
        }
        let uncalculated = !self.has_value && self.value_type.as_deref() != Some("string");
        match &self.formula {
            Some(formula) if uncalculated => Some(Mark::Uncalculated(formula_text(formula))),
            Some(formula) if super::marks::is_running_number_formula(formula) => Some(Mark::RunningNumber),
            _ => None,
        }
    }
}

/// `of:=[.A1]+1` → `=[.A1]+1`: the namespace prefix is not what a clerk sees.
fn formula_text(formula: &str) -> String {
    match formula.split_once(':') {
        Some((prefix, rest))
            if rest.starts_with('=') && prefix.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            rest.to_owned()
        }
        _ => formula.to_owned(),
    }
}

/// A cell with content beyond the limits is an error (calamine would cap it silently).
fn check_limits(sheet: &str, last_row: u64, last_col: u64, limits: &Limits) -> Result<(), IngestError> {
    if last_row >= u64::from(limits.max_rows) {
        Err(over_limits(sheet, true, limits))
    } else if last_col >= u64::from(limits.max_cols) {
        Err(over_limits(sheet, false, limits))
    } else {
        Ok(())
    }
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name)
        .and_then(|a| value(&a))
}

/// An attribute's value with entities replaced.
fn value(a: &Attribute) -> Option<String> {
    a.normalized_value(XmlVersion::Implicit1_0)
        .ok()
        .map(|v| v.into_owned())
}

/// A repeat count (at least 1; unreadable counts as 1).
fn repeats(e: &BytesStart, name: &str) -> u64 {
    attr(e, name)
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(rows: &str) -> String {
        format!(
            "<office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"表&amp;1\">{rows}</table:table>\
             <table:table table:name=\"二\"><table:table-row><table:table-cell office:value-type=\"percentage\" office:value=\"0.5\"/></table:table-row></table:table>\
             </office:spreadsheet></office:body></office:document-content>"
        )
    }

    fn scan(rows: &str) -> Vec<SheetMarks> {
        scan_content(content(rows).as_bytes(), &Limits::default()).unwrap()
    }

    #[test]
    fn repeated_rows_and_columns_place_the_marks() {
        let rows = "<table:table-row table:number-rows-repeated=\"3\"><table:table-cell/></table:table-row>\
            <table:table-row><table:table-cell table:number-columns-repeated=\"4\"/>\
            <table:covered-table-cell/>\
            <table:table-cell office:value-type=\"percentage\" office:value=\"1\" table:number-columns-repeated=\"2\"><text:p>100%</text:p></table:table-cell>\
            <table:table-cell table:formula=\"of:=30+30\"/></table:table-row>\
            <table:table-row table:number-rows-repeated=\"2\"><table:table-cell office:value-type=\"percentage\" office:value=\"0.35\"/></table:table-row>";
        let sheets = scan(rows);
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].name, "表&1");
        assert_eq!(
            sheets[0].marks,
            vec![
                Marked {
                    first_row: 3,
                    last_row: 3,
                    first_col: 5,
                    last_col: 6,
                    mark: Mark::Percent { value: 1.0 }
                },
                Marked::cell(3, 7, Mark::Uncalculated("=30+30".into())),
                Marked {
                    first_row: 4,
                    last_row: 5,
                    first_col: 0,
                    last_col: 0,
                    mark: Mark::Percent { value: 0.35 }
                },
            ]
        );
        assert_eq!(
            sheets[1].marks,
            vec![Marked::cell(0, 0, Mark::Percent { value: 0.5 })]
        );
    }

    #[test]
    fn hidden_rows_and_running_numbers_are_marked() {
        let rows = "<table:table-row><table:table-cell/></table:table-row>\
            <table:table-row table:visibility=\"collapse\" table:number-rows-repeated=\"2\"><table:table-cell/></table:table-row>\
            <table:table-row table:visibility=\"filter\"><table:table-cell table:formula=\"of:=ROW()-3\" office:value-type=\"float\" office:value=\"1\"/></table:table-row>";
        let sheets = scan(rows);
        let hidden = |first_row, last_row| Marked {
            first_row,
            last_row,
            first_col: 0,
            last_col: 0,
            mark: Mark::HiddenRow,
        };
        assert_eq!(
            sheets[0].marks,
            vec![
                hidden(1, 2),
                hidden(3, 3),
                Marked::cell(3, 0, Mark::RunningNumber)
            ]
        );
    }

    #[test]
    fn collapsed_columns_are_marked_hidden() {
        let content = "<table:table-column table:number-columns-repeated=\"2\"/>\
            <table:table-column table:visibility=\"collapse\"/>\
            <table:table-header-columns><table:table-column/></table:table-header-columns>\
            <table:table-column table:visibility=\"collapse\" table:number-columns-repeated=\"3\"/>\
            <table:table-row><table:table-cell/></table:table-row>";
        let hidden = |first_col, last_col| Marked {
            first_row: 0,
            last_row: 0,
            first_col,
            last_col,
            mark: Mark::HiddenColumn,
        };
        assert_eq!(scan(content)[0].marks, vec![hidden(2, 2), hidden(4, 6)]);
    }

    #[test]
    fn formulas_with_a_stored_value_are_not_marked() {
        let rows = "<table:table-row>\
            <table:table-cell table:formula=\"of:=1+1\" office:value-type=\"float\" office:value=\"2\"/>\
            <table:table-cell table:formula=\"of:=A1\" office:value-type=\"string\" office:string-value=\"x\"/>\
            <table:table-cell table:formula=\"of:=&quot;&quot;\" office:value-type=\"string\"><text:p/></table:table-cell>\
            <table:table-cell table:formula=\"of:=1+1\" office:value-type=\"float\"/>\
            </table:table-row>";
        let sheets = scan(rows);
        assert_eq!(
            sheets[0].marks,
            vec![Marked::cell(0, 3, Mark::Uncalculated("=1+1".into()))]
        );
    }

    #[test]
    fn content_beyond_the_limits_is_an_error_and_empty_repeats_are_not() {
        let limits = Limits {
            max_rows: 10,
            ..Limits::default()
        };
        let empty_tail = "<table:table-row table:number-rows-repeated=\"1048576\"><table:table-cell table:number-columns-repeated=\"16384\"/></table:table-row>";
        assert!(scan_content(content(empty_tail).as_bytes(), &limits).is_ok());
        let far = "<table:table-row table:number-rows-repeated=\"10\"><table:table-cell/></table:table-row>\
            <table:table-row><table:table-cell office:value-type=\"string\"><text:p>x</text:p></table:table-cell></table:table-row>";
        let error = scan_content(content(far).as_bytes(), &limits).unwrap_err();
        assert!(error.to_string().contains("limits.max_rows"), "{error}");
        assert!(error.to_string().contains("表&1"), "{error}");
        let wide = "<table:table-row><table:table-cell table:number-columns-repeated=\"200\"/><table:table-cell office:value-type=\"float\" office:value=\"1\"/></table:table-row>";
        let error = scan_content(content(wide).as_bytes(), &Limits::default()).unwrap_err();
        assert!(error.to_string().contains("limits.max_cols"), "{error}");
        let huge = "<table:table-row table:number-rows-repeated=\"18446744073709551615\"><table:table-cell/></table:table-row>\
            <table:table-row table:number-rows-repeated=\"18446744073709551615\"><table:table-cell office:value-type=\"float\" office:value=\"1\"/></table:table-row>";
        assert!(scan_content(content(huge).as_bytes(), &Limits::default()).is_err());
    }

    #[test]
    fn broken_xml_ends_the_scan_quietly() {
        let sheets = scan_content(b"<office:document-content><table:table table:name=\"a\"><table:table-row><table:table-cell office:value-type=\"percentage\" office:value=\"1\"/>", &Limits::default()).unwrap();
        assert!(sheets.is_empty());
        assert!(scan_content(b"\xff\xfe<<<", &Limits::default())
            .unwrap()
            .is_empty());
    }
}
