//! A file after validation, with what the file system said about it ([`CheckedFile`]), and
//! the panic guards that make one file's failure that file's error and nothing more.

use super::{validate_file, Context, FileResult};
use crate::ingest::{self, load::kind_from_name, IngestError, Ingested, LoadedFile};
use chrono::{NaiveDate, NaiveDateTime};

/// A validated file with what the file system said about it: the input of merge.
#[derive(Debug, Clone)]
pub struct CheckedFile {
    /// The validated content.
    pub result: FileResult,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256, hex.
    pub sha256: String,
    /// Modification date, when known.
    pub modified: Option<NaiveDate>,
    /// Modification time (local), when known.
    pub modified_at: Option<NaiveDateTime>,
}

/// Validates a loaded file, turning a panic into that file's error.
pub fn check_loaded(loaded: LoadedFile, ctx: &Context) -> CheckedFile {
    CheckedFile {
        result: validate_guarded(&loaded.rel, loaded.ingested, ctx),
        size: loaded.size,
        sha256: loaded.sha256,
        modified: loaded.modified,
        modified_at: loaded.modified_at,
    }
}

/// Validates what parsing made of a file (or turns its parse error into a rejection),
/// turning a panic inside validation into that file's error.
pub fn validate_guarded(rel: &str, ingested: Result<Ingested, IngestError>, ctx: &Context) -> FileResult {
    let rejected = |err: IngestError| {
        let mut result = FileResult::rejected(rel, kind_from_name(rel), err.to_diagnostic(rel));
        super::attribute_by_name(&mut result, ctx);
        result
    };
    match ingested {
        Ok(ingested) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            validate_file(rel, &ingested, ctx)
        }))
        .unwrap_or_else(|_| {
            rejected(IngestError::unreadable(
                "校验文件时发生内部错误，文件内容可能异常",
            ))
        }),
        Err(err) => rejected(err),
    }
}

/// Ingests and validates bytes in this process, turning a panic inside either into that
/// file's error (for fuzzing and library use; `run` and `check` parse in worker processes).
pub fn ingest_and_validate(rel: &str, bytes: &[u8], ctx: &Context) -> FileResult {
    let parsed = ingest::ingest_guarded(ingest::load::file_name(rel), bytes, &ctx.config.limits);
    validate_guarded(rel, parsed, ctx)
}
