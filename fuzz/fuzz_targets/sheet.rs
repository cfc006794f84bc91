//! The spreadsheet reader behind the zip guard, as `roundup` runs it: sniff, then read the
//! workbook in whatever spreadsheet format the content is.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use roundup::ingest::{sheet, sniff};

fuzz_target!(|data: &[u8]| {
    let bytes = common::file_bytes(data);
    let limits = common::limits();
    if let Ok(format) = sniff::sniff("fuzz.xlsx", &bytes, &limits) {
        if !matches!(format, sniff::Format::Docx | sniff::Format::LegacyWord) {
            let _ = sheet::read_workbook(format, &bytes, &limits);
        }
    }
});
