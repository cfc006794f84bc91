//! Excel 97–2003 / WPS `.et` workbooks (BIFF8, and BIFF5's same record layout), scanned for
//! what calamine does not report: which cells carry a percent number format (cell record
//! `ixfe` → XF record → `ifmt` → FORMAT record or built-in format 9 `0%` / 10 `0.00%`),
//! which formulas have no stored value (a FORMULA whose cached result is an empty string
//! — what xlwt writes — or a string with no STRING record after it), and cells beyond the
//! row and column limits.
//!
//! Every read is bounds-checked: a short record, a sheet offset outside the stream or a
//! truncated string ends that part of the scan, never a panic. The compound file is opened
//! with the `cfb` crate and the `Workbook` (or `Book`) stream read whole (it is no larger than
//! the file, which the caller has already bounded).

use super::is_percent_format;
use super::marks::{Mark, Marked};
use super::over_limits;
use crate::config::Limits;
use crate::ingest::IngestError;
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// BOF: beginning of a substream.
const BOF: u16 = 0x0809;
/// EOF: end of a substream.
const EOF: u16 = 0x000A;
/// FILEPASS: the rest of the stream is encrypted.
const FILEPASS: u16 = 0x002F;
/// FORMAT: a number format string and its index.
const FORMAT: u16 = 0x041E;
/// XF: a cell format; its position is the index cells refer to.
const XF: u16 = 0x00E0;
/// BOUNDSHEET8: a sheet's name and the offset of its substream.
const BOUNDSHEET: u16 = 0x0085;
/// CONTINUE: more of the previous record.
const CONTINUE: u16 = 0x003C;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;
/// STRING: the cached text result of the FORMULA before it.
const STRING: u16 = 0x0207;
const LABEL: u16 = 0x0204;
const LABELSST: u16 = 0x00FD;
const RSTRING: u16 = 0x00D6;
const BOOLERR: u16 = 0x0205;
/// ROW: a row's height and flags (`fDyZero`, bit 5 of the flags: the row is hidden).
const ROW: u16 = 0x0208;
/// COLINFO: the width and flags of a range of columns (`fHidden`, bit 0 of the flags).
const COLINFO: u16 = 0x007D;

/// One sheet of the workbook, in BOUNDSHEET order (the order calamine lists sheets in).
#[derive(Debug, Default, PartialEq)]
pub struct SheetMarks {
    /// The sheet name as the file stores it.
    pub name: String,
    /// Percent cells and formulas with no stored value.
    pub marks: Vec<Marked>,
}

/// Scans an `.xls`/`.et` file. An error only for a cell with a value beyond the limits;
/// anything the scanner cannot follow (not a compound file, no workbook stream, encryption,
/// truncation) gives fewer marks, and calamine judges the file.
pub fn scan_workbook(bytes: &[u8], limits: &Limits) -> Result<Vec<SheetMarks>, IngestError> {
    let Some(stream) = workbook_stream(bytes) else {
        return Ok(Vec::new());
    };
    let Some(globals) = Globals::read(&stream) else {
        return Ok(Vec::new());
    };
    globals
        .sheets
        .iter()
        .map(|(name, offset)| {
            let marks = match stream.get(*offset as usize..) {
                Some(data) => scan_sheet(data, name, &globals, limits)?,
                None => Vec::new(),
            };
            Ok(SheetMarks {
                name: name.clone(),
                marks,
            })
        })
        .collect()
}

/// The `Workbook` (BIFF8) or `Book` (BIFF5) stream.
fn workbook_stream(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let mut stream = file
        .open_stream("/Workbook")
        .or_else(|_| file.open_stream("/Book"))
        .ok()?;
    let mut data = Vec::new();
    stream
        .by_ref()
        .take(bytes.len() as u64)
        .read_to_end(&mut data)
        .ok()?;
    Some(data)
}

/// One record: type and payload.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Record<'a> {
    typ: u16,
    data: &'a [u8],
}

/// The records of a stream from an offset; ends at the first truncated record.
struct Records<'a> {
    stream: &'a [u8],
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let typ = u16_at(self.stream, 0)?;
        let len = usize::from(u16_at(self.stream, 2)?);
        let data = self.stream.get(4..4 + len)?;
        self.stream = self.stream.get(4 + len..).unwrap_or_default();
        Some(Record { typ, data })
    }
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let b = data.get(at..at.checked_add(2)?)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at.checked_add(4)?)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn f64_at(data: &[u8], at: usize) -> Option<f64> {
    let b = data.get(at..at.checked_add(8)?)?;
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(b);
    Some(f64::from_le_bytes(bytes))
}

/// What the workbook globals say: which XF indices show a percent, and the sheets.
#[derive(Debug, Default)]
struct Globals {
    /// By XF index: true when its number format shows a percent.
    percent_xf: Vec<bool>,
    /// Name and substream offset of every BOUNDSHEET, in order.
    sheets: Vec<(String, u32)>,
}

impl Globals {
    /// Reads the globals substream; `None` when the stream is not BIFF5/8 or is encrypted.
    fn read(stream: &[u8]) -> Option<Globals> {
        let mut records = Records { stream }.peekable();
        let bof = records.next().filter(|r| r.typ == BOF)?;
        let biff8 = u16_at(bof.data, 0)? >= 0x0600;
        let mut formats: HashMap<u16, String> = HashMap::new();
        let mut xf_formats: Vec<u16> = Vec::new();
        let mut sheets = Vec::new();
        while let Some(record) = records.next() {
            match record.typ {
                EOF => break,
                FILEPASS => return None,
                FORMAT => {
                    let mut segments = vec![record.data];
                    while let Some(more) = records.next_if(|r| r.typ == CONTINUE) {
                        segments.push(more.data);
                    }
                    if let Some((ifmt, code)) = format_record(&segments, biff8) {
                        formats.insert(ifmt, code);
                    }
                }
                XF => xf_formats.push(u16_at(record.data, 2).unwrap_or(0)),
                BOUNDSHEET => sheets.extend(boundsheet(record.data, biff8)),
                _ => {}
            }
        }
        let percent_xf = xf_formats
            .iter()
            .map(|ifmt| match formats.get(ifmt) {
                Some(code) => is_percent_format(code),
                None => is_builtin_percent(*ifmt),
            })
            .collect();
        Some(Globals { percent_xf, sheets })
    }

    fn is_percent(&self, ixfe: u16) -> bool {
        self.percent_xf.get(usize::from(ixfe)).copied().unwrap_or(false)
    }
}

/// Built-in number formats 9 (`0%`) and 10 (`0.00%`), used without a FORMAT record.
fn is_builtin_percent(ifmt: u16) -> bool {
    matches!(ifmt, 9 | 10)
}

/// FORMAT: `ifmt` and the format string (BIFF8 XLUnicodeString, possibly continued in
/// CONTINUE records; BIFF5 a byte string).
fn format_record(segments: &[&[u8]], biff8: bool) -> Option<(u16, String)> {
    let first = segments.first()?;
    let ifmt = u16_at(first, 0)?;
    let code = if biff8 {
        let cch = usize::from(u16_at(first, 2)?);
        unicode_chars(segments, 4, cch)?
    } else {
        let cch = usize::from(*first.get(2)?);
        latin1(first.get(3..3 + cch)?)
    };
    Some((ifmt, code))
}

/// `cch` characters of an XLUnicodeString whose flags byte is at `at` in the first segment;
/// where a segment ends, the next one starts with a new flags byte (MS-XLS 2.5.294).
fn unicode_chars(segments: &[&[u8]], at: usize, cch: usize) -> Option<String> {
    let mut text = String::new();
    let mut left = cch;
    let mut segment = 0;
    let mut pos = at;
    while left > 0 {
        let data = segments.get(segment)?;
        let high = data.get(pos)? & 1 == 1;
        pos += 1;
        let width = if high { 2 } else { 1 };
        let here = (data.len().saturating_sub(pos) / width).min(left);
        let bytes = data.get(pos..pos + here * width)?;
        if high {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .collect();
            text.push_str(&String::from_utf16_lossy(&units));
        } else {
            text.push_str(&latin1(bytes));
        }
        left -= here;
        segment += 1;
        pos = 0;
    }
    Some(text)
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|b| char::from(*b)).collect()
}

/// BOUNDSHEET8: name and substream offset.
fn boundsheet(data: &[u8], biff8: bool) -> Option<(String, u32)> {
    let offset = u32_at(data, 0)?;
    let cch = usize::from(*data.get(6)?);
    let name = if biff8 {
        unicode_chars(&[data], 7, cch)?
    } else {
        latin1(data.get(7..7 + cch)?)
    };
    Some((name, offset))
}

/// The number an RK value stands for (MS-XLS 2.5.217): a 30-bit integer or the high 30 bits
/// of a double, divided by 100 when the lowest bit is set.
pub fn rk_value(rk: u32) -> f64 {
    let value = if rk & 2 != 0 {
        f64::from((rk as i32) >> 2)
    } else {
        f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32)
    };
    if rk & 1 != 0 {
        value / 100.0
    } else {
        value
    }
}

/// The cached result of a FORMULA record (bytes 6–13).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Cached {
    Number(f64),
    /// A string, in the STRING record that should follow.
    StringFollows,
    /// An empty string: what xlwt writes for every formula (it does not calculate).
    EmptyString,
    /// A boolean or an error.
    Other,
}

fn cached(data: &[u8]) -> Option<Cached> {
    let bytes = data.get(6..14)?;
    if bytes[6] != 0xFF || bytes[7] != 0xFF {
        return f64_at(data, 6).map(Cached::Number);
    }
    Some(match bytes[0] {
        0 => Cached::StringFollows,
        3 => Cached::EmptyString,
        _ => Cached::Other,
    })
}

/// Scans one sheet substream: marks, and the limits on every cell with a value.
fn scan_sheet(
    data: &[u8],
    name: &str,
    globals: &Globals,
    limits: &Limits,
) -> Result<Vec<Marked>, IngestError> {
    let mut scan = SheetScan {
        name,
        globals,
        limits,
        marks: Vec::new(),
        pending_string: None,
    };
    let mut records = Records { stream: data };
    if records.next().map(|r| r.typ) != Some(BOF) {
        return Ok(Vec::new());
    }
    let mut depth = 0usize;
    for record in records {
        match (record.typ, depth) {
            (BOF, _) => depth += 1,
            (EOF, 0) => break,
            (EOF, _) => depth -= 1,
            (_, 0) => scan.record(record)?,
            _ => {}
        }
    }
    scan.settle_string();
    Ok(scan.marks)
}

/// State while scanning one sheet.
struct SheetScan<'a> {
    name: &'a str,
    globals: &'a Globals,
    limits: &'a Limits,
    marks: Vec<Marked>,
    /// A FORMULA whose string result should come in the next STRING record.
    pending_string: Option<(u32, u32)>,
}

impl SheetScan<'_> {
    fn record(&mut self, record: Record) -> Result<(), IngestError> {
        if record.typ == STRING {
            self.pending_string = None;
            return Ok(());
        }
        if is_cell_record(record.typ) {
            self.settle_string();
        }
        match record.typ {
            NUMBER => self.number(record.data),
            RK => self.rk(record.data),
            MULRK => self.mulrk(record.data),
            FORMULA => self.formula(record.data),
            LABEL | LABELSST | RSTRING | BOOLERR => match cell_position(record.data) {
                Some((row, col)) => self.check(row, col),
                None => Ok(()),
            },
            ROW => {
                self.row(record.data);
                Ok(())
            }
            COLINFO => {
                self.colinfo(record.data);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// A ROW record: a hidden row (by hand or by a filter) is marked.
    fn row(&mut self, data: &[u8]) {
        let (Some(row), Some(flags)) = (u16_at(data, 0), u16_at(data, 12)) else {
            return;
        };
        if flags & 0x0020 != 0 {
            self.marks.push(Marked::cell(u32::from(row), 0, Mark::HiddenRow));
        }
    }

    /// A COLINFO record: a hidden range of columns is marked (BIFF8 has at most 256 columns;
    /// a range running past them, as some writers store "to the end", is cut there).
    fn colinfo(&mut self, data: &[u8]) {
        let (Some(first), Some(last), Some(flags)) = (u16_at(data, 0), u16_at(data, 2), u16_at(data, 8))
        else {
            return;
        };
        if flags & 0x0001 != 0 && first <= last {
            self.marks.push(Marked {
                first_row: 0,
                last_row: 0,
                first_col: u32::from(first),
                last_col: u32::from(last.min(255)),
                mark: Mark::HiddenColumn,
            });
        }
    }

    /// A formula still waiting for its STRING record when another cell comes has none.
    fn settle_string(&mut self) {
        if let Some((row, col)) = self.pending_string.take() {
            self.marks
                .push(Marked::cell(row, col, Mark::Uncalculated(String::new())));
        }
    }

    fn number(&mut self, data: &[u8]) -> Result<(), IngestError> {
        let (Some((row, col)), Some(ixfe), Some(value)) =
            (cell_position(data), u16_at(data, 4), f64_at(data, 6))
        else {
            return Ok(());
        };
        self.numeric(row, col, ixfe, value)
    }

    fn rk(&mut self, data: &[u8]) -> Result<(), IngestError> {
        let (Some((row, col)), Some(ixfe), Some(rk)) =
            (cell_position(data), u16_at(data, 4), u32_at(data, 6))
        else {
            return Ok(());
        };
        self.numeric(row, col, ixfe, rk_value(rk))
    }

    /// MULRK: row, first column, (ixfe, rk) pairs, last column.
    fn mulrk(&mut self, data: &[u8]) -> Result<(), IngestError> {
        let Some((row, first_col)) = cell_position(data) else {
            return Ok(());
        };
        let pairs = data.get(4..data.len().saturating_sub(2)).unwrap_or_default();
        for (col, pair) in (first_col..).zip(pairs.chunks_exact(6)) {
            if let (Some(ixfe), Some(rk)) = (u16_at(pair, 0), u32_at(pair, 2)) {
                self.numeric(row, col, ixfe, rk_value(rk))?;
            }
        }
        Ok(())
    }

    fn formula(&mut self, data: &[u8]) -> Result<(), IngestError> {
        let (Some((row, col)), Some(ixfe), Some(result)) =
            (cell_position(data), u16_at(data, 4), cached(data))
        else {
            return Ok(());
        };
        match result {
            Cached::Number(value) => self.numeric(row, col, ixfe, value),
            Cached::StringFollows => {
                self.pending_string = Some((row, col));
                self.check(row, col)
            }
            Cached::EmptyString => {
                self.marks
                    .push(Marked::cell(row, col, Mark::Uncalculated(String::new())));
                self.check(row, col)
            }
            Cached::Other => self.check(row, col),
        }
    }

    fn numeric(&mut self, row: u32, col: u32, ixfe: u16, value: f64) -> Result<(), IngestError> {
        self.check(row, col)?;
        if self.globals.is_percent(ixfe) && value.is_finite() {
            self.marks.push(Marked::cell(row, col, Mark::Percent { value }));
        }
        Ok(())
    }

    /// A cell with a value beyond the limits is an error (the same as in every format).
    fn check(&self, row: u32, col: u32) -> Result<(), IngestError> {
        if row >= self.limits.max_rows {
            Err(over_limits(self.name, true, self.limits))
        } else if col >= self.limits.max_cols {
            Err(over_limits(self.name, false, self.limits))
        } else {
            Ok(())
        }
    }
}

fn is_cell_record(typ: u16) -> bool {
    matches!(
        typ,
        NUMBER | RK | MULRK | FORMULA | LABEL | LABELSST | RSTRING | BOOLERR | 0x0201 | 0x00BE
    )
}

/// Row and column of a cell record (both u16 at its start).
fn cell_position(data: &[u8]) -> Option<(u32, u32)> {
    Some((u32::from(u16_at(data, 0)?), u32::from(u16_at(data, 2)?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut r = typ.to_le_bytes().to_vec();
        r.extend((data.len() as u16).to_le_bytes());
        r.extend(data);
        r
    }

    fn cell(row: u16, col: u16, ixfe: u16, rest: &[u8]) -> Vec<u8> {
        [
            &row.to_le_bytes()[..],
            &col.to_le_bytes(),
            &ixfe.to_le_bytes(),
            rest,
        ]
        .concat()
    }

    fn xf(ifmt: u16) -> Vec<u8> {
        record(XF, &[&[0u8, 0][..], &ifmt.to_le_bytes(), &[0; 16]].concat())
    }

    fn format(ifmt: u16, code: &str) -> Vec<u8> {
        let mut data = ifmt.to_le_bytes().to_vec();
        data.extend((code.len() as u16).to_le_bytes());
        data.push(0);
        data.extend(code.as_bytes());
        record(FORMAT, &data)
    }

    fn bof() -> Vec<u8> {
        record(BOF, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0])
    }

    /// A stream: globals with the given XFs and FORMATs, one sheet with the given records.
    fn stream(globals: &[Vec<u8>], sheet: &[Vec<u8>]) -> Vec<u8> {
        let name = "进展";
        let boundsheet_len = 4 + 4 + 2 + 1 + 1 + 2 * name.encode_utf16().count();
        let mut head: Vec<u8> = bof();
        for r in globals {
            head.extend(r);
        }
        let sheet_offset = head.len() + boundsheet_len + 4;
        let mut bs = (sheet_offset as u32).to_le_bytes().to_vec();
        bs.extend([0, 0, name.encode_utf16().count() as u8, 1]);
        bs.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(record(BOUNDSHEET, &bs).len(), boundsheet_len);
        head.extend(record(BOUNDSHEET, &bs));
        head.extend(record(EOF, &[]));
        head.extend(bof());
        for r in sheet {
            head.extend(r);
        }
        head.extend(record(EOF, &[]));
        head
    }

    fn scan(stream: &[u8], limits: &Limits) -> Result<Vec<SheetMarks>, IngestError> {
        let globals = Globals::read(stream).unwrap();
        globals
            .sheets
            .iter()
            .map(|(name, offset)| {
                Ok(SheetMarks {
                    name: name.clone(),
                    marks: scan_sheet(&stream[*offset as usize..], name, &globals, limits)?,
                })
            })
            .collect()
    }

    fn rk_bits(int: i32, d100: bool) -> u32 {
        ((int << 2) as u32) | 2 | u32::from(d100)
    }

    #[test]
    fn rk_values_decode() {
        assert_eq!(rk_value(rk_bits(100, false)), 100.0);
        assert_eq!(rk_value(rk_bits(-7, false)), -7.0);
        assert_eq!(rk_value(rk_bits(35, true)), 0.35);
        let one = (1.0f64.to_bits() >> 32) as u32;
        assert_eq!(rk_value(one), 1.0);
        assert_eq!(rk_value(one | 1), 0.01);
    }

    #[test]
    fn records_walk_and_stop_at_truncation() {
        let mut data = record(XF, &[1, 2, 3]);
        data.extend(record(EOF, &[]));
        data.extend([0x03, 0x02, 0x10, 0x00, 1]);
        let records: Vec<Record> = Records { stream: &data }.collect();
        assert_eq!(
            records,
            vec![
                Record {
                    typ: XF,
                    data: &[1, 2, 3]
                },
                Record { typ: EOF, data: &[] }
            ]
        );
    }

    #[test]
    fn percent_cells_through_xf_and_format_records() {
        let globals = [
            xf(0),
            xf(9),
            xf(10),
            xf(164),
            xf(165),
            xf(166),
            format(164, "0.0%"),
            format(165, "0\"%\""),
            format(166, "0\\%"),
        ];
        let sheet = [
            record(NUMBER, &cell(3, 4, 1, &1.0f64.to_le_bytes())),
            record(NUMBER, &cell(4, 4, 0, &1.0f64.to_le_bytes())),
            record(RK, &cell(5, 4, 2, &rk_bits(35, true).to_le_bytes())),
            record(
                MULRK,
                &[
                    &6u16.to_le_bytes()[..],
                    &1u16.to_le_bytes(),
                    &3u16.to_le_bytes(),
                    &rk_bits(1, false).to_le_bytes(),
                    &4u16.to_le_bytes(),
                    &rk_bits(35, false).to_le_bytes(),
                    &5u16.to_le_bytes(),
                    &rk_bits(50, false).to_le_bytes(),
                    &3u16.to_le_bytes(),
                ]
                .concat(),
            ),
        ];
        let sheets = scan(&stream(&globals, &sheet), &Limits::default()).unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].name, "进展");
        assert_eq!(
            sheets[0].marks,
            vec![
                Marked::cell(3, 4, Mark::Percent { value: 1.0 }),
                Marked::cell(5, 4, Mark::Percent { value: 0.35 }),
                Marked::cell(6, 1, Mark::Percent { value: 1.0 }),
            ]
        );
    }

    #[test]
    fn formulas_without_a_stored_value() {
        let empty_string = [3u8, 0, 0, 0, 0, 0, 0xFF, 0xFF];
        let string_follows = [0u8, 0, 0, 0, 0, 0, 0xFF, 0xFF];
        let tail = [0u8; 6];
        let sheet = [
            record(FORMULA, &cell(1, 1, 0, &[&empty_string[..], &tail].concat())),
            record(FORMULA, &cell(2, 1, 0, &[&string_follows[..], &tail].concat())),
            record(STRING, &[1, 0, 0, b'x']),
            record(FORMULA, &cell(3, 1, 0, &[&string_follows[..], &tail].concat())),
            record(NUMBER, &cell(4, 1, 0, &2.0f64.to_le_bytes())),
            record(
                FORMULA,
                &cell(5, 1, 1, &[&0.5f64.to_le_bytes()[..], &tail].concat()),
            ),
        ];
        let sheets = scan(&stream(&[xf(0), xf(10)], &sheet), &Limits::default()).unwrap();
        assert_eq!(
            sheets[0].marks,
            vec![
                Marked::cell(1, 1, Mark::Uncalculated(String::new())),
                Marked::cell(3, 1, Mark::Uncalculated(String::new())),
                Marked::cell(5, 1, Mark::Percent { value: 0.5 }),
            ]
        );
    }

    #[test]
    fn hidden_rows_from_row_records() {
        let row = |rw: u16, flags: u16| {
            let mut data = rw.to_le_bytes().to_vec();
            data.extend([0u8; 10]);
            data.extend(flags.to_le_bytes());
            data.extend([0u8; 2]);
            record(ROW, &data)
        };
        let sheet = [row(2, 0x0100), row(3, 0x0120), record(ROW, &[4, 0])];
        let sheets = scan(&stream(&[], &sheet), &Limits::default()).unwrap();
        assert_eq!(sheets[0].marks, vec![Marked::cell(3, 0, Mark::HiddenRow)]);
    }

    #[test]
    fn hidden_columns_from_colinfo_records() {
        let colinfo = |first: u16, last: u16, flags: u16| {
            let mut data = first.to_le_bytes().to_vec();
            data.extend(last.to_le_bytes());
            data.extend([0u8; 4]);
            data.extend(flags.to_le_bytes());
            data.extend([0u8; 2]);
            record(COLINFO, &data)
        };
        let sheet = [
            colinfo(1, 1, 0),
            colinfo(3, 3, 0x0001),
            colinfo(5, 16383, 0x0001),
            record(COLINFO, &[1, 0]),
        ];
        let sheets = scan(&stream(&[], &sheet), &Limits::default()).unwrap();
        let hidden = |first_col, last_col| Marked {
            first_row: 0,
            last_row: 0,
            first_col,
            last_col,
            mark: Mark::HiddenColumn,
        };
        assert_eq!(sheets[0].marks, vec![hidden(3, 3), hidden(5, 255)]);
    }

    #[test]
    fn continued_format_strings_and_limits() {
        // "0.0" in the FORMAT record, "0%" in a CONTINUE record with its own flags byte.
        let mut data = 164u16.to_le_bytes().to_vec();
        data.extend(5u16.to_le_bytes());
        data.push(0);
        data.extend(b"0.0");
        let globals = [
            xf(164),
            record(FORMAT, &data),
            record(CONTINUE, &[1, b'0', 0, b'%', 0]),
        ];
        let sheet = [record(NUMBER, &cell(7, 2, 0, &1.0f64.to_le_bytes()))];
        let s = stream(&globals, &sheet);
        assert_eq!(scan(&s, &Limits::default()).unwrap()[0].marks.len(), 1);
        let limits = Limits {
            max_rows: 5,
            ..Limits::default()
        };
        let error = scan(&s, &limits).unwrap_err();
        assert!(error.to_string().contains("limits.max_rows"), "{error}");
        assert!(error.to_string().contains("进展"), "{error}");
    }

    #[test]
    fn hostile_streams_give_no_marks() {
        assert!(Globals::read(&[]).is_none());
        assert!(Globals::read(&record(XF, &[])).is_none());
        let mut s = bof();
        s.extend(record(FILEPASS, &[1, 0]));
        assert!(Globals::read(&s).is_none());
        let mut s = bof();
        s.extend(record(BOUNDSHEET, &[0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 200, 1, b'x']));
        let globals = Globals::read(&s).unwrap();
        assert!(globals.sheets.is_empty());
        assert!(scan_workbook(b"not a compound file", &Limits::default())
            .unwrap()
            .is_empty());
        assert_eq!(format_record(&[&[164, 0, 9, 0, 1, b'0']], true), None);
        assert_eq!(unicode_chars(&[&[0, b'a'], &[]], 0, 3), None);
    }
}
