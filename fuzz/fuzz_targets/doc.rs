//! The Word 97–2003 reader (`ingest::doc`), straight from bytes.
//!
//! Mutating a real `.doc` mostly breaks its compound-file structure, so `cfb` rejects it
//! before the Word parsing runs. Inputs whose first byte is odd are therefore read as a list
//! of streams (`name \0 content \0 name \0 content …`, e.g. `WordDocument`, `1Table`, `Data`)
//! and written into a fresh compound file, which lets the mutations reach the FIB, piece
//! table, FKP, style, list and table parsing. Even first bytes: the rest is the file.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use roundup::ingest::doc;

fuzz_target!(|data: &[u8]| {
    let bytes = match data.split_first() {
        Some((mode, rest)) if mode & 1 == 1 => common::compound(rest),
        _ => common::file_bytes(data),
    };
    let _ = doc::read_document(&bytes, &common::limits());
});
