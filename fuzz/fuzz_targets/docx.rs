//! The Word reader behind the zip guard.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use roundup::ingest::{docx, zipguard};

fuzz_target!(|data: &[u8]| {
    let bytes = common::file_bytes(data);
    let limits = common::limits();
    if zipguard::check_package(&bytes, &limits).is_ok() {
        let _ = docx::read_document(&bytes, &limits);
    }
});
