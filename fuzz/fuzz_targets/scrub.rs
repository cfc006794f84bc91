//! The link scrubber that runs before LibreOffice sees a file (`ingest::convert::scrub`),
//! straight from bytes: it must never panic, and whatever it returns must hold no link target.
//!
//! Inputs whose first byte is odd are a list of streams (`name \0 content \0 …`, e.g.
//! `WordDocument`, `1Table`, `Data`) written into a fresh compound file, so that mutations
//! reach the field, piece-table and URL scanning; even first bytes: the rest is the file.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use roundup::ingest::convert::scrub;

fuzz_target!(|data: &[u8]| {
    let bytes = match data.split_first() {
        Some((mode, rest)) if mode & 1 == 1 => common::compound(rest),
        _ => common::file_bytes(data),
    };
    if let Ok(scrubbed) = scrub::scrub_compound(&bytes) {
        assert!(
            !scrub::has_targets(&scrubbed.bytes),
            "a scrubbed file still holds a link target"
        );
    }
});
