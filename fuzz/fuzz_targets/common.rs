//! Shared by the fuzz targets: turning fuzz input into a file's bytes.
//!
//! Mutating a real zip mostly breaks its CRCs, so the guard rejects it before any reader
//! runs. Inputs whose first byte is odd are therefore read as a list of parts
//! (`name \0 content \0 name \0 content …`) and packed into a fresh stored zip with valid
//! CRCs, which lets the mutations reach the XML readers. Even first bytes: the rest is the file.

use std::io::{Cursor, Write};

/// The file's bytes for one fuzz input.
pub fn file_bytes(data: &[u8]) -> Vec<u8> {
    match data.split_first() {
        Some((mode, rest)) if mode & 1 == 1 => pack(rest),
        Some((_, rest)) => rest.to_vec(),
        None => Vec::new(),
    }
}

fn pack(spec: &[u8]) -> Vec<u8> {
    let mut buf = Cursor::new(Vec::new());
    let mut writer = zip::ZipWriter::new(&mut buf);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let mut fields = spec.split(|b| *b == 0);
    while let (Some(name), Some(content)) = (fields.next(), fields.next()) {
        let name = String::from_utf8_lossy(name);
        if writer.start_file(name.as_ref(), options).is_err() {
            continue;
        }
        let _ = writer.write_all(content);
    }
    let _ = writer.finish();
    buf.into_inner()
}

/// Limits small enough that libFuzzer's memory limit is never the first to trip.
pub fn limits() -> roundup::config::Limits {
    roundup::config::Limits {
        max_file_bytes: 8 << 20,
        max_part_bytes: 16 << 20,
        max_inflated_bytes: 32 << 20,
        max_zip_entries: 1000,
        max_rows: 10_000,
        max_cols: 200,
        ..roundup::config::Limits::default()
    }
}

/// A compound file holding the streams listed in `spec`.
#[allow(dead_code)] // used by the doc and scrub targets only
pub fn compound(spec: &[u8]) -> Vec<u8> {
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
