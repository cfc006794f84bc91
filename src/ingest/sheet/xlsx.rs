//! xlsx worksheet XML, scanned for what calamine's xlsx reader does not report: hidden rows
//! (`<row hidden="1">`, hidden by hand or by an AutoFilter) and formulas that compute a
//! running number from the row's position (`<f>ROW()-3</f>`, shared formulas included).
//!
//! A sheet's part is found by name through `xl/workbook.xml` and its relationships. Elements
//! are matched by local name. XML the scanner cannot follow ends the scan with the marks found
//! so far (calamine judges the file); a part with neither `hidden` nor a formula is not parsed.

use super::marks::{is_running_number_formula, Mark, Marked};
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::BTreeMap;

/// The path of each sheet's part (no leading `/`), by sheet name, from `xl/workbook.xml` and
/// `xl/_rels/workbook.xml.rels`.
pub fn sheet_parts(workbook: &[u8], rels: &[u8]) -> Vec<(String, String)> {
    let mut targets = BTreeMap::new();
    each_element(rels, |e| {
        if local(e) == "Relationship" {
            if let (Some(id), Some(target)) = (attr(e, "Id"), attr(e, "Target")) {
                targets.insert(id, target);
            }
        }
    });
    let mut sheets = Vec::new();
    each_element(workbook, |e| {
        if local(e) == "sheet" {
            if let (Some(name), Some(id)) = (attr(e, "name"), attr(e, "id")) {
                if let Some(target) = targets.get(&id) {
                    sheets.push((name, resolve(target)));
                }
            }
        }
    });
    sheets
}

/// A relationship target of the workbook part as a package path.
fn resolve(target: &str) -> String {
    match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None => format!("xl/{}", target.trim_start_matches("./")),
    }
}

/// Calls `f` on every start or empty element of `xml` until the end or an XML error.
fn each_element(xml: &[u8], mut f: impl FnMut(&BytesStart)) {
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => f(&e),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
}

fn local(e: &BytesStart) -> String {
    e.local_name().as_ref().to_owned()
}

/// An attribute by local name, entities replaced.
fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// True when `needle` occurs in `hay`.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(hay, needle).is_some()
}

/// Hidden rows and running-number formulas of one worksheet part.
pub fn scan_sheet(xml: &[u8]) -> Vec<Marked> {
    if !contains(xml, b"hidden") && !contains(xml, b"<f") && !contains(xml, b":f") {
        return Vec::new();
    }
    let mut scan = Scan::default();
    let mut reader = Reader::from_reader(xml);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => scan.start(&e, false),
            Ok(Event::Empty(e)) => scan.start(&e, true),
            Ok(Event::Text(t)) => {
                if let Some(formula) = scan.formula.as_mut() {
                    formula.text.push_str(&t.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "f" => scan.end_formula(),
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {}
        }
    }
    scan.marks
}

/// A formula being read: its shared index (when it defines a shared formula) and text.
#[derive(Debug, Default)]
struct Formula {
    shared: Option<String>,
    text: String,
}

/// Position while scanning a worksheet.
#[derive(Debug, Default)]
struct Scan {
    marks: Vec<Marked>,
    /// The current row (0-based) and the next one when `r` is left out.
    row: u32,
    next_row: u32,
    /// The current cell's column and the next one when `r` is left out.
    col: u32,
    next_col: u32,
    formula: Option<Formula>,
    /// Whether each shared formula (by `si`) computes a running number.
    shared: BTreeMap<String, bool>,
}

impl Scan {
    fn start(&mut self, e: &BytesStart, empty: bool) {
        match e.local_name().as_ref() {
            "row" => {
                self.row = attr(e, "r")
                    .and_then(|r| r.trim().parse::<u32>().ok())
                    .and_then(|r| r.checked_sub(1))
                    .unwrap_or(self.next_row);
                self.next_row = self.row.saturating_add(1);
                self.next_col = 0;
                if matches!(attr(e, "hidden").as_deref(), Some("1" | "true")) {
                    self.marks.push(Marked::cell(self.row, 0, Mark::HiddenRow));
                }
            }
            "col" if matches!(attr(e, "hidden").as_deref(), Some("1" | "true")) => {
                let number = |name: &str| attr(e, name).and_then(|v| v.trim().parse::<u32>().ok());
                if let (Some(min), Some(max)) = (number("min"), number("max")) {
                    if min >= 1 && max >= min {
                        self.marks.push(Marked {
                            first_row: 0,
                            last_row: 0,
                            first_col: min - 1,
                            last_col: max - 1,
                            mark: Mark::HiddenColumn,
                        });
                    }
                }
            }
            "c" => {
                let (row, col) = attr(e, "r")
                    .and_then(|r| cell_position(&r))
                    .unwrap_or((self.row, self.next_col));
                (self.row, self.col) = (row, col);
                self.next_col = col.saturating_add(1);
            }
            "f" => {
                let shared = (attr(e, "t").as_deref() == Some("shared"))
                    .then(|| attr(e, "si"))
                    .flatten();
                if empty {
                    // A cell sharing a formula defined above: the index says which.
                    let running = shared.and_then(|si| self.shared.get(&si).copied());
                    if running == Some(true) {
                        self.mark_running();
                    }
                } else {
                    self.formula = Some(Formula {
                        shared,
                        text: String::new(),
                    });
                }
            }
            _ => {}
        }
    }

    fn end_formula(&mut self) {
        let Some(formula) = self.formula.take() else {
            return;
        };
        let running = match formula.shared {
            // `<f t="shared" si="0"></f>` is a reference, like the empty element.
            Some(si) if formula.text.trim().is_empty() => self.shared.get(&si).copied() == Some(true),
            Some(si) => {
                let running = is_running_number_formula(&formula.text);
                self.shared.insert(si, running);
                running
            }
            None => is_running_number_formula(&formula.text),
        };
        if running {
            self.mark_running();
        }
    }

    fn mark_running(&mut self) {
        self.marks
            .push(Marked::cell(self.row, self.col, Mark::RunningNumber));
    }
}

/// `B12` → (11, 1); `None` for anything else.
fn cell_position(reference: &str) -> Option<(u32, u32)> {
    let reference = reference.trim();
    let digits = reference.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = reference.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let col = letters
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b - b'A') + 1);
    let row = number.parse::<u32>().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_parts_by_name() {
        let workbook = r#"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="进展&amp;表" sheetId="1" r:id="rId1"/><sheet name="二" sheetId="2" r:id="rId2"/></sheets></workbook>"#.as_bytes();
        let rels = br#"<Relationships><Relationship Id="rId1" Type="t" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="t" Target="/xl/worksheets/sheet2.xml"/></Relationships>"#;
        assert_eq!(
            sheet_parts(workbook, rels),
            vec![
                ("进展&表".to_owned(), "xl/worksheets/sheet1.xml".to_owned()),
                ("二".to_owned(), "xl/worksheets/sheet2.xml".to_owned()),
            ]
        );
    }

    #[test]
    fn w1_hidden_columns_are_marked() {
        let xml = br#"<worksheet><cols><col min="1" max="3" width="12"/><col min="4" max="4" width="12" hidden="1"/><col min="6" max="7" hidden="true"/></cols><sheetData/></worksheet>"#;
        let col = |first, last| Marked {
            first_row: 0,
            last_row: 0,
            first_col: first,
            last_col: last,
            mark: Mark::HiddenColumn,
        };
        assert_eq!(scan_sheet(xml), vec![col(3, 3), col(5, 6)]);
    }

    #[test]
    fn hidden_rows_and_running_number_formulas() {
        let xml = br#"<worksheet><sheetData>
            <row r="3"><c r="A3" t="s"><v>0</v></c></row>
            <row r="4" hidden="1"><c r="A4"><f>ROW()-3</f><v>1</v></c><c r="B4"><f>D4/E4</f><v>0.5</v></c></row>
            <row hidden="true"><c><f t="shared" ref="A5:A7" si="0">A4+1</f><v>2</v></c></row>
            <row r="6"><c r="A6"><f t="shared" si="0"/><v>3</v></c><c r="C6"><f t="shared" si="1" ref="C6:C7">VLOOKUP(B6,X!A:B,2,0)</f><v>9</v></c></row>
            <row r="7"><c r="A7"><f t="shared" si="0"></f><v>4</v></c><c r="C7"><f t="shared" si="1"/><v>9</v></c></row>
        </sheetData></worksheet>"#;
        assert_eq!(
            scan_sheet(xml),
            vec![
                Marked::cell(3, 0, Mark::HiddenRow),
                Marked::cell(3, 0, Mark::RunningNumber),
                Marked::cell(4, 0, Mark::HiddenRow),
                Marked::cell(4, 0, Mark::RunningNumber),
                Marked::cell(5, 0, Mark::RunningNumber),
                Marked::cell(6, 0, Mark::RunningNumber),
            ]
        );
        assert!(scan_sheet(b"<worksheet><sheetData><row r=\"1\"/></sheetData></worksheet>").is_empty());
        assert!(scan_sheet(b"<row hidden=\"1\" r=\"x\"><<<").len() <= 1);
    }

    #[test]
    fn cell_positions() {
        assert_eq!(cell_position("A1"), Some((0, 0)));
        assert_eq!(cell_position("AB12"), Some((11, 27)));
        assert_eq!(cell_position("a1"), None);
        assert_eq!(cell_position("A0"), None);
        assert_eq!(cell_position("ABCD1"), None);
    }
}
