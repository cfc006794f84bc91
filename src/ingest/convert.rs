//! Legacy Word files (`.doc`, WPS `.wps`): read natively, and converted to `.docx` with
//! LibreOffice (when it is installed, into a private temporary folder, never the inbox) only
//! when the native reader cannot read them.
//!
//! Each conversion gets its own temporary folder with its own LibreOffice profile, so
//! conversions can run in parallel and never hand over to a LibreOffice the user has open.

use super::{doc, docx, IngestError, Ingested};
use crate::config::Limits;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why LibreOffice could not convert a file.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// No LibreOffice on this machine.
    #[error("未安装 LibreOffice（soffice），请安装后重试，或用 WPS/Word 另存为 PDF")]
    NotInstalled,
    /// A private temporary folder or the output folder could not be made.
    #[error("无法创建临时文件夹（{0}）")]
    Folder(#[source] std::io::Error),
    /// LibreOffice could not be started.
    #[error("无法启动 LibreOffice（{0}）")]
    Spawn(#[source] std::io::Error),
    /// LibreOffice ran past its time and was killed.
    #[error("LibreOffice 转换超过 {0} 秒未完成，已终止")]
    Timeout(u64),
    /// LibreOffice ended without writing a result.
    #[error("LibreOffice 未生成转换结果")]
    NoOutput,
}

/// Longest a conversion may take before LibreOffice is killed.
pub const CONVERT_TIMEOUT: Duration = Duration::from_secs(60);

/// How often a running conversion is polled.
const POLL: Duration = Duration::from_millis(50);

/// The LibreOffice executable, if one is installed (`soffice` or `libreoffice` on PATH, or the
/// usual install folders on Windows).
pub fn find_soffice() -> Option<PathBuf> {
    let names: &[&str] = if cfg!(windows) {
        &["soffice.exe", "soffice.com"]
    } else {
        &["soffice", "libreoffice"]
    };
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    if cfg!(windows) {
        for base in [
            "C:\\Program Files\\LibreOffice\\program",
            "C:\\Program Files (x86)\\LibreOffice\\program",
        ] {
            let candidate = PathBuf::from(base).join("soffice.exe");
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Reads a `.doc` / `.wps` file with the native reader ([`doc`]); only what that reader
/// cannot read (Word 6.0/95 and older, damaged structures) is converted with LibreOffice and
/// read as `.docx`. Without LibreOffice such a file gets the native reader's error, whose
/// hint names both fixes. Encrypted files, other compound files and files over a limit are
/// never converted.
pub fn read_legacy_word(name: &str, bytes: &[u8], limits: &Limits) -> Result<Ingested, IngestError> {
    match doc::read_document(bytes, limits) {
        Ok(ingested) => Ok(ingested),
        Err(err) if err.wants_fallback() => match find_soffice() {
            Some(soffice) => {
                let converted = convert_to_docx(&soffice, name, bytes, CONVERT_TIMEOUT)?;
                docx::read_document(&converted, limits)
            }
            None => Err(err.into_ingest_error()),
        },
        Err(err) => Err(err.into_ingest_error()),
    }
}

/// Converts legacy Word bytes to `.docx` bytes with the given LibreOffice executable, in a
/// temporary folder removed afterwards.
pub fn convert_to_docx(
    soffice: &Path,
    name: &str,
    bytes: &[u8],
    timeout: Duration,
) -> Result<Vec<u8>, IngestError> {
    let work = tempfile::Builder::new()
        .prefix("roundup-convert-")
        .tempdir()
        .map_err(|e| failed(&format!("无法创建临时文件夹（{e}）")))?;
    let input = work.path().join(format!("input.{}", legacy_extension(name)));
    std::fs::write(&input, bytes).map_err(|e| failed(&format!("无法写入临时文件（{e}）")))?;
    let out_dir = work.path().join("out");
    let converted =
        soffice_convert(soffice, &input, "docx", &out_dir, timeout).map_err(|e| failed(&e.to_string()))?;
    std::fs::read(converted).map_err(|_| failed("LibreOffice 未能转换该文件，文件可能已损坏或不是 Word 文档"))
}

/// Runs `soffice --headless --convert-to <format>` on `input` into `out_dir` with a private,
/// throw-away user profile and a timeout; returns the converted file's path. `format` may carry
/// a filter and its options after the extension (`pdf:writer_pdf_Export:{…}`).
pub fn soffice_convert(
    soffice: &Path,
    input: &Path,
    format: &str,
    out_dir: &Path,
    timeout: Duration,
) -> Result<PathBuf, ConvertError> {
    let profile = tempfile::Builder::new()
        .prefix("roundup-profile-")
        .tempdir()
        .map_err(ConvertError::Folder)?;
    std::fs::create_dir_all(out_dir).map_err(ConvertError::Folder)?;
    let mut command = Command::new(soffice);
    command
        .arg("--headless")
        .arg("--norestore")
        .arg("--nolockcheck")
        .arg("--convert-to")
        .arg(format)
        .arg("--outdir")
        .arg(out_dir)
        .arg(format!("-env:UserInstallation={}", file_url(profile.path())))
        .arg(input)
        .current_dir(profile.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    run_with_timeout(&mut command, timeout)?;
    let stem = input.file_stem().ok_or(ConvertError::NoOutput)?;
    let extension = format.split(':').next().unwrap_or(format);
    let converted = out_dir.join(stem).with_extension(extension);
    if converted.is_file() {
        Ok(converted)
    } else {
        Err(ConvertError::NoOutput)
    }
}

/// Runs a command, killing it (with every process it started) when it takes longer than
/// `timeout`.
fn run_with_timeout(command: &mut Command, timeout: Duration) -> Result<(), ConvertError> {
    own_process_group(command);
    let mut child = command.spawn().map_err(ConvertError::Spawn)?;
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return Ok(()),
            Ok(None) if started.elapsed() < timeout => std::thread::sleep(POLL),
            Ok(None) | Err(_) => {
                kill_tree(&mut child);
                let _ = child.wait();
                return Err(ConvertError::Timeout(timeout.as_secs()));
            }
        }
    }
}

/// `soffice` is a launcher that starts `soffice.bin`: on Unix the conversion runs in its own
/// process group so that a timeout can end all of it.
#[cfg(unix)]
fn own_process_group(command: &mut Command) {
    use std::os::unix::process::CommandExt;
    command.process_group(0);
}

#[cfg(not(unix))]
fn own_process_group(_command: &mut Command) {}

#[cfg(unix)]
fn kill_tree(child: &mut std::process::Child) {
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) with the negated id of the process group created for this child.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

#[cfg(not(unix))]
fn kill_tree(child: &mut std::process::Child) {
    let _ = child.kill();
}

/// `doc` or `wps` from the file name (LibreOffice detects the real format from the content).
fn legacy_extension(name: &str) -> &'static str {
    if name.to_lowercase().ends_with(".wps") {
        "wps"
    } else {
        "doc"
    }
}

/// A `file:///` URL for a local path, percent-encoding what a URL cannot hold.
fn file_url(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut url = String::from("file://");
    if !text.starts_with('/') {
        url.push('/');
    }
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                url.push(byte as char)
            }
            _ => url.push_str(&format!("%{byte:02X}")),
        }
    }
    url
}

fn failed(reason: &str) -> IngestError {
    IngestError::Unreadable {
        reason: format!("Word 97-2003 / WPS 文件转换失败：{reason}"),
        hint: "请用 Word 或 WPS 打开后另存为 .docx 格式再报送".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_absolute_and_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/profile")),
            "file:///tmp/a%20b/profile"
        );
        assert_eq!(file_url(Path::new("C:\\Temp\\p")), "file:///C:/Temp/p");
    }

    #[test]
    fn extension_follows_the_name() {
        assert_eq!(legacy_extension("报告.WPS"), "wps");
        assert_eq!(legacy_extension("报告.doc"), "doc");
        assert_eq!(legacy_extension("报告"), "doc");
    }

    #[test]
    #[cfg(unix)]
    fn a_command_over_time_is_killed_with_its_children() {
        if !Path::new("/bin/sh").exists() || !Path::new("/proc/self").exists() {
            eprintln!("skipped: needs /bin/sh and /proc");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("grandchild.pid");
        let mut command = Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(format!("sleep 30 & echo $! > '{}'; wait", pid_file.display()));
        let result = run_with_timeout(&mut command, Duration::from_millis(300));
        assert!(result.is_err_and(|e| matches!(e, ConvertError::Timeout(_))));
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        let proc_dir = PathBuf::from(format!("/proc/{}", pid.trim()));
        // The grandchild was killed with its group; wait (bounded) for it to be reaped.
        let gone = (0..100).any(|_| {
            let alive =
                std::fs::read_to_string(proc_dir.join("stat")).is_ok_and(|stat| !stat.contains(") Z "));
            if alive {
                std::thread::sleep(Duration::from_millis(20));
            }
            !alive
        });
        assert!(gone, "the grandchild outlived the timeout");
    }
}
