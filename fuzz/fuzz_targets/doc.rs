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
use std::io::{Cursor, Write};

fuzz_target!(|data: &[u8]| {
    let bytes = match data.split_first() {
        Some((mode, rest)) if mode & 1 == 1 => compound(rest),
        _ => common::file_bytes(data),
    };
    let _ = doc::read_document(&bytes, &common::limits());
});

/// A compound file holding the streams listed in `spec`.
fn compound(spec: &[u8]) -> Vec<u8> {
    let Ok(mut file) = cfb::CompoundFile::create(Cursor::new(Vec::new())) else {
        return Vec::new();
    };
    let mut fields = spec.split(|b| *b == 0);
    while let (Some(name), Some(content)) = (fields.next(), fields.next()) {
        let name = String::from_utf8_lossy(name);
        // cfb 0.16 accepts a name of more than 31 UTF-16 units and then panics writing its
        // directory entry (direntry.rs:288): a harness problem, not the reader's, so such
        // names are left out (a real file cannot hold them: its entries have 32 units).
        if name.encode_utf16().count() > 31 {
            continue;
        }
        if let Ok(mut stream) = file.create_stream(format!("/{name}")) {
            let _ = stream.write_all(content);
        }
    }
    let _ = file.flush();
    file.into_inner().into_inner()
}
