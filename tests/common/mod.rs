//! Helpers shared by the integration tests: the repository, the real binary, paths, JSON and
//! the foreign-made fixture round.

#![allow(dead_code)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (the tests run the binary from here so the shipped templates load).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the real `roundup` binary in the repository root.
pub fn roundup(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(repo())
        .args(args)
        .output()
        .expect("roundup runs")
}

/// A temp path as `&str` (temp folders are UTF-8 here).
pub fn path(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// Reads and parses a JSON file, naming it on failure.
pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).expect("valid JSON")
}

/// The foreign-made round in `../shared/fixtures`, or `None` (with a printed reason).
pub fn foreign() -> Option<PathBuf> {
    let dir = repo().join("../shared/fixtures/foreign-2024Q1");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} not present", dir.display());
        None
    }
}

/// Copies the files of a folder (not recursive), making the copies writable.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
        if !entry.path().is_file() {
            continue;
        }
        let target = to.join(entry.file_name());
        std::fs::copy(entry.path(), &target).unwrap();
        let mut perms = std::fs::metadata(&target).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&target, perms).unwrap();
    }
}

/// Ingests and validates `bytes` as the inbox file `name` of `round`, in this process, with
/// the shipped configuration and the registry exactly as `roundup run` loads them.
pub fn validate_as_run(name: &str, bytes: &[u8], round: &str) -> roundup::validate::FileResult {
    let config = roundup::config::Config::load(&repo().join("templates/roundup.toml")).unwrap();
    let registry = roundup::registry::Registry::from_config(&config).unwrap();
    let ctx = roundup::validate::Context {
        registry: &registry,
        config: &config,
        round: config.round(round).unwrap(),
    };
    roundup::validate::ingest_and_validate(name, bytes, &ctx)
}

/// PATH without any folder holding LibreOffice (`soffice` or `libreoffice`), for runs that
/// must read legacy Word files natively.
pub fn path_without_soffice() -> String {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let kept: Vec<PathBuf> = std::env::split_paths(&path)
        .filter(|dir| !dir.join("soffice").exists() && !dir.join("libreoffice").exists())
        .collect();
    std::env::join_paths(kept).unwrap().to_string_lossy().into_owned()
}

/// True when some folder on PATH holds LibreOffice's `soffice`.
pub fn soffice_on_path() -> bool {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).any(|dir| dir.join("soffice").is_file())
}

/// `roundup run --round ROUND --inbox … --outbox … --quiet`, which must end with exit 0 or 1;
/// the round's `roundup.json`.
pub fn run_round(inbox: &Path, outbox: &Path, round: &str) -> Value {
    let out = roundup(&[
        "run",
        "--round",
        round,
        "--inbox",
        path(inbox),
        "--outbox",
        path(outbox),
        "--quiet",
    ]);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "run failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    read_json(&outbox.join(round).join("roundup.json"))
}

/// Sets a file's modification time to `time`, read as local time (as a clerk's PC saved it).
pub fn set_local_mtime(file: &Path, time: chrono::NaiveDateTime) {
    use chrono::TimeZone;
    let time = chrono::Local.from_local_datetime(&time).single().unwrap();
    let handle = std::fs::File::options().write(true).open(file).unwrap();
    handle.set_modified(std::time::SystemTime::from(time)).unwrap();
}
