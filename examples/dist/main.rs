//! Builds the release bundles (issue #16), reproducibly:
//!
//! ```text
//! cargo run --release --example dist
//! ```
//!
//! writes `dist/roundup-<version>-windows-x86_64.zip` (`roundup.exe`, `使用说明.txt`,
//! `templates/`, `inbox/` with its own `使用说明.txt` and the sample round `inbox/2024Q2/`)
//! and `dist/roundup-<version>-linux-x86_64.tar.gz` (the same with the Linux `roundup`). It
//! first builds both executables (`cargo build --release`, and with `--target
//! x86_64-pc-windows-gnu`, which needs `rustup target add x86_64-pc-windows-gnu` and mingw-w64;
//! see `.cargo/config.toml`). Options: `--no-build` packs the executables already built;
//! `--only windows` or `--only linux` makes one bundle; `--out DIR` writes elsewhere than
//! `dist/`. The executables are packed stripped of symbols and debug line tables.
//!
//! Same input, same bytes: entries sorted by path, every time stamp fixed (`SOURCE_DATE_EPOCH`
//! when set, else 2024-07-01), owners and modes fixed, no compressor time stamps or names.
//! The text files a clerk opens on Windows get CRLF line ends and a UTF-8 byte order mark,
//! so that any Notepad shows the Chinese.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";
/// 2024-07-01 00:00:00 UTC: the bundles' time stamp when `SOURCE_DATE_EPOCH` is not set.
const DEFAULT_EPOCH: i64 = 1_719_792_000;
/// The sample round shipped in `inbox/`.
const SAMPLE_ROUND: &str = "2024Q2";

/// One file of a bundle.
struct Entry {
    /// Path inside the bundle's top folder, with `/`.
    path: String,
    bytes: Vec<u8>,
    executable: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Platform {
    Windows,
    Linux,
}

fn main() {
    if let Err(err) = run() {
        eprintln!("dist: {err}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let build = !args.iter().any(|a| a == "--no-build");
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let platforms: Vec<Platform> = match only {
        None => vec![Platform::Windows, Platform::Linux],
        Some("windows") => vec![Platform::Windows],
        Some("linux") => vec![Platform::Linux],
        Some(other) => return Err(format!("--only windows|linux, not `{other}`")),
    };
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target_dir = target_dir()?;
    let epoch = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(DEFAULT_EPOCH);
    let version = env!("CARGO_PKG_VERSION");
    let dist = args
        .iter()
        .position(|a| a == "--out")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| repo.join("dist"), PathBuf::from);
    std::fs::create_dir_all(&dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    for platform in platforms {
        let exe = match platform {
            Platform::Windows => target_dir.join(WINDOWS_TARGET).join("release/roundup.exe"),
            Platform::Linux => target_dir.join("release/roundup"),
        };
        if build {
            cargo_build(&repo, &target_dir, platform)?;
        }
        let entries = bundle_entries(&repo, &stripped(&exe, platform, epoch)?, platform)?;
        let (name, bytes) = match platform {
            Platform::Windows => {
                let top = format!("roundup-{version}-windows-x86_64");
                (format!("{top}.zip"), zip_bytes(&top, &entries, epoch)?)
            }
            Platform::Linux => {
                let top = format!("roundup-{version}-linux-x86_64");
                (format!("{top}.tar.gz"), tar_gz_bytes(&top, &entries, epoch)?)
            }
        };
        let path = dist.join(&name);
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        println!(
            "{} ({} files, {:.1} MiB, sha256 {})",
            path.display(),
            entries.len(),
            bytes.len() as f64 / (1 << 20) as f64,
            sha256(&bytes)
        );
    }
    Ok(())
}

/// Cargo's target folder: this example runs from `<target>/release/examples/dist`.
fn target_dir() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    exe.ancestors()
        .nth(3)
        .map(Path::to_path_buf)
        .ok_or_else(|| "cannot find the target folder".to_owned())
}

fn cargo_build(repo: &Path, target_dir: &Path, platform: Platform) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(repo)
        .env("CARGO_TARGET_DIR", target_dir)
        .args(["build", "--release", "--bin", "roundup"]);
    if platform == Platform::Windows {
        command.args(["--target", WINDOWS_TARGET]);
    }
    let status = command.status().map_err(|e| format!("cargo: {e}"))?;
    if !status.success() {
        return Err(match platform {
            Platform::Windows => format!(
                "the Windows build failed (needs `rustup target add {WINDOWS_TARGET}` and \
                 `apt-get install gcc-mingw-w64-x86-64`)"
            ),
            Platform::Linux => "the Linux build failed".to_owned(),
        });
    }
    Ok(())
}

/// Every file of a bundle, sorted by path.
fn bundle_entries(repo: &Path, exe: &[u8], platform: Platform) -> Result<Vec<Entry>, String> {
    let read = |path: &Path| std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()));
    let text = |path: &Path| -> Result<Vec<u8>, String> {
        let bytes = read(path)?;
        Ok(match platform {
            Platform::Windows => windows_text(&bytes),
            Platform::Linux => bytes,
        })
    };
    let docs = repo.join("examples/dist");
    let readme = match platform {
        Platform::Windows => "使用说明-windows.txt",
        Platform::Linux => "使用说明-linux.txt",
    };
    let exe_name = match platform {
        Platform::Windows => "roundup.exe",
        Platform::Linux => "roundup",
    };
    let mut entries = vec![
        Entry {
            path: exe_name.to_owned(),
            bytes: exe.to_vec(),
            executable: true,
        },
        Entry {
            path: "使用说明.txt".to_owned(),
            bytes: text(&docs.join(readme))?,
            executable: false,
        },
        Entry {
            path: "inbox/使用说明.txt".to_owned(),
            bytes: match platform {
                Platform::Windows => text(&docs.join("inbox-使用说明.txt"))?,
                // The folder examples are written with Windows separators.
                Platform::Linux => String::from_utf8_lossy(&read(&docs.join("inbox-使用说明.txt"))?)
                    .replace('\\', "/")
                    .into_bytes(),
            },
            executable: false,
        },
    ];
    for (folder, prefix) in [
        (repo.join("templates"), "templates".to_owned()),
        (
            repo.join("inbox").join(SAMPLE_ROUND),
            format!("inbox/{SAMPLE_ROUND}"),
        ),
    ] {
        for (rel, path) in files_below(&folder)? {
            entries.push(Entry {
                path: format!("{prefix}/{rel}"),
                bytes: read(&path)?,
                executable: false,
            });
        }
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}

/// The executable without its symbols and debug line tables (77 MB to 14 MB for Windows):
/// `strip` of binutils, with the PE time stamp fixed through `SOURCE_DATE_EPOCH`. Without
/// the tool the executable is packed as built, with a warning.
fn stripped(exe: &Path, platform: Platform, epoch: i64) -> Result<Vec<u8>, String> {
    let tool = match platform {
        Platform::Windows => "x86_64-w64-mingw32-strip",
        Platform::Linux => "strip",
    };
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let out = tmp.path().join("stripped");
    let status = Command::new(tool)
        .arg("--strip-all")
        .arg("-o")
        .arg(&out)
        .arg(exe)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .status();
    match status {
        Ok(status) if status.success() => std::fs::read(&out).map_err(|e| e.to_string()),
        _ => {
            eprintln!(
                "dist: warning: `{tool}` failed or is missing; packing {} unstripped",
                exe.display()
            );
            std::fs::read(exe).map_err(|e| format!("{}: {e}", exe.display()))
        }
    }
}

/// The files below `dir` as (path relative to it with `/`, full path).
fn files_below(dir: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.is_file() {
                let rel = path.strip_prefix(dir).map_err(|e| e.to_string())?;
                let rel: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
                out.push((rel.join("/"), path));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// UTF-8 with a byte order mark and CRLF line ends.
fn windows_text(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut out = "\u{feff}".as_bytes().to_vec();
    out.extend_from_slice(text.replace("\r\n", "\n").replace('\n', "\r\n").as_bytes());
    out
}

/// The folders that hold the entries, each once, for explicit folder entries.
fn folders(entries: &[Entry]) -> Vec<String> {
    let mut folders: Vec<String> = entries
        .iter()
        .flat_map(|e| {
            let parts: Vec<&str> = e.path.split('/').collect();
            (1..parts.len())
                .map(move |n| parts[..n].join("/"))
                .collect::<Vec<_>>()
        })
        .collect();
    folders.sort();
    folders.dedup();
    folders
}

/// A zip with a top folder, entries sorted, fixed times and modes, deflated.
fn zip_bytes(top: &str, entries: &[Entry], epoch: i64) -> Result<Vec<u8>, String> {
    use zip::write::SimpleFileOptions;
    let time = zip_time(epoch)?;
    let options = |mode: u32| {
        SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9))
            .last_modified_time(time)
            .unix_permissions(mode)
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let mut names: Vec<(String, Option<&Entry>)> = folders(entries)
        .into_iter()
        .map(|f| (format!("{top}/{f}/"), None))
        .chain(entries.iter().map(|e| (format!("{top}/{}", e.path), Some(e))))
        .collect();
    names.push((format!("{top}/"), None));
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, entry) in names {
        match entry {
            None => zip
                .add_directory(name.trim_end_matches('/'), options(0o755))
                .map_err(|e| e.to_string())?,
            Some(entry) => {
                let mode = if entry.executable { 0o755 } else { 0o644 };
                zip.start_file(name, options(mode)).map_err(|e| e.to_string())?;
                zip.write_all(&entry.bytes).map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(zip.finish().map_err(|e| e.to_string())?.into_inner())
}

/// The zip time stamp (local-time fields, two-second resolution) of a Unix time.
fn zip_time(epoch: i64) -> Result<zip::DateTime, String> {
    let t = chrono::DateTime::from_timestamp(epoch, 0).ok_or("SOURCE_DATE_EPOCH out of range")?;
    use chrono::{Datelike, Timelike};
    zip::DateTime::from_date_and_time(
        u16::try_from(t.year()).map_err(|e| e.to_string())?,
        t.month() as u8,
        t.day() as u8,
        t.hour() as u8,
        t.minute() as u8,
        t.second() as u8,
    )
    .map_err(|e| format!("zip time: {e}"))
}

/// A gzipped ustar archive with a top folder, entries sorted, fixed times, owner root.
fn tar_gz_bytes(top: &str, entries: &[Entry], epoch: i64) -> Result<Vec<u8>, String> {
    let gz = flate2::GzBuilder::new()
        .mtime(0)
        .write(Vec::new(), flate2::Compression::best());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    let mtime = u64::try_from(epoch).map_err(|e| e.to_string())?;
    let header = |size: u64, mode: u32, kind: tar::EntryType| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(kind);
        h.set_size(size);
        h.set_mode(mode);
        h.set_mtime(mtime);
        h.set_uid(0);
        h.set_gid(0);
        h
    };
    let mut names: Vec<(String, Option<&Entry>)> = folders(entries)
        .into_iter()
        .map(|f| (format!("{top}/{f}/"), None))
        .chain(entries.iter().map(|e| (format!("{top}/{}", e.path), Some(e))))
        .collect();
    names.push((format!("{top}/"), None));
    names.sort_by(|a, b| a.0.cmp(&b.0));
    for (name, entry) in names {
        let result = match entry {
            None => {
                let mut h = header(0, 0o755, tar::EntryType::Directory);
                tar.append_data(&mut h, &name, std::io::empty())
            }
            Some(entry) => {
                let mode = if entry.executable { 0o755 } else { 0o644 };
                let mut h = header(entry.bytes.len() as u64, mode, tar::EntryType::Regular);
                tar.append_data(&mut h, &name, entry.bytes.as_slice())
            }
        };
        result.map_err(|e| format!("{name}: {e}"))?;
    }
    let gz = tar.into_inner().map_err(|e| e.to_string())?;
    gz.finish().map_err(|e| e.to_string())
}

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
