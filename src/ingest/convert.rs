//! Legacy Word files (`.doc`, WPS `.wps`): read natively, and converted to `.docx` with
//! LibreOffice (when it is installed, into a private temporary folder, never the inbox) only
//! when the native reader cannot read them. The bulletin's PDF export
//! ([`crate::write::pdf`]) goes through the same [`soffice_convert`].
//!
//! Each conversion gets a private folder of its own — a LibreOffice profile with hardened
//! settings ([`profile`]: no linked graphic, section or field is loaded, no link is updated,
//! no macro runs, every network request goes to a dead proxy), a copy of the input, the
//! output, and LibreOffice's temporary files — and runs there as its working folder, on Linux
//! without network where user namespaces allow ([`sandbox`]). So conversions run in parallel,
//! never hand over to a LibreOffice the user has open, and fetch and open nothing a
//! submission names. Every running conversion is registered ([`running`]), so that a timeout
//! or an interrupt ends all of its processes and removes its folder.
//!
//! Before that, [`convert_to_docx`] blanks every link target out of the file ([`scrub`]):
//! LibreOffice receives no path, share or URL at all, so no setting it might not honour (a
//! Word 6/95 `INCLUDEPICTURE` path is still looked up on Windows) can reach one. Only OLE
//! compound files are converted: [`read_legacy_word`] is only given what the format sniffer
//! found to be one (RTF, HTML or text named `.doc` is refused before it), and
//! [`convert_to_docx`] refuses anything else. [`soffice_convert`] converts the caller's own
//! file as it is (the bulletin roundup rendered, for its PDF).

mod profile;
mod running;
mod sandbox;
pub mod scrub;

pub use running::{interrupted, terminate_all};
pub use sandbox::{isolated, NO_NAMESPACE_VAR};

use super::{doc, docx, IngestError, Ingested};
use crate::config::Limits;
use running::Conversion;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// Why LibreOffice could not convert a file.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// No LibreOffice on this machine.
    #[error("未安装 LibreOffice（soffice），请安装后重试，或用 WPS/Word 另存为 PDF")]
    NotInstalled,
    /// A private temporary folder or the output folder could not be made.
    #[error("无法创建临时文件夹（{0}）")]
    Folder(#[source] std::io::Error),
    /// The input could not be copied into the private folder, or the result out of it.
    #[error("无法复制转换文件（{0}）")]
    Copy(#[source] std::io::Error),
    /// LibreOffice could not be started.
    #[error("无法启动 LibreOffice（{0}）")]
    Spawn(#[source] std::io::Error),
    /// LibreOffice ran past its time and was killed.
    #[error("LibreOffice 转换超过 {0} 秒未完成，已终止")]
    Timeout(u64),
    /// The run was interrupted (Ctrl-C): conversions were ended and no new one starts.
    #[error("运行已中断，LibreOffice 转换已终止")]
    Interrupted,
    /// LibreOffice ended without writing a result.
    #[error("LibreOffice 未生成转换结果")]
    NoOutput,
}

/// Longest a conversion may take before LibreOffice is killed.
pub const CONVERT_TIMEOUT: Duration = Duration::from_secs(60);

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
/// private folder removed afterwards. The bytes are a compound file with every link target
/// blanked ([`scrub::scrub_compound`]); a file that cannot be rewritten so is not converted
/// and gets the reason as its error.
pub fn convert_to_docx(
    soffice: &Path,
    name: &str,
    bytes: &[u8],
    timeout: Duration,
) -> Result<Vec<u8>, IngestError> {
    let scrubbed = scrub::scrub_compound(bytes).map_err(|e| failed(&e.to_string()))?;
    let private = Private::new().map_err(|e| failed(&e.to_string()))?;
    let input = private.input(legacy_extension(name));
    std::fs::write(&input, &scrubbed.bytes).map_err(|e| failed(&format!("无法写入临时文件（{e}）")))?;
    let converted = private
        .convert(soffice, &input, "docx", timeout)
        .map_err(|e| failed(&e.to_string()))?;
    std::fs::read(converted).map_err(|_| failed("LibreOffice 未能转换该文件，文件可能已损坏或不是 Word 文档"))
}

/// Converts an RTF document or a web page (`html`) to `.docx` bytes, in a private folder
/// removed afterwards. Text formats cannot be rewritten in place like a compound file, so a
/// file that shows any sign of a link ([`scrub::text_has_link_signs`]) is never handed to
/// LibreOffice: it is `unsupported-format`, named by `what` (`RTF 格式的文档`).
pub fn convert_text_to_docx(
    soffice: &Path,
    what: &str,
    bytes: &[u8],
    html: bool,
    timeout: Duration,
) -> Result<Vec<u8>, IngestError> {
    if scrub::text_has_link_signs(bytes, html) {
        return Err(IngestError::Unsupported {
            what: format!("{what}，其中含有外部链接、图片或路径，为安全起见不自动转换"),
            hint: "请在 Word/WPS 中打开该文件，另存为 .docx 后重新报送".into(),
        });
    }
    let unreadable =
        |reason: String| IngestError::unreadable(format!("{what}无法用 LibreOffice 转换（{reason}）"));
    let private = Private::new().map_err(|e| unreadable(e.to_string()))?;
    // LibreOffice opens a web page in Writer only under an HTML name (then saved with Word's
    // filter); RTF it recognises by content.
    let input = private.input(if html { "html" } else { "rtf" });
    std::fs::write(&input, bytes).map_err(|e| unreadable(format!("临时文件：{e}")))?;
    let converted = private
        .convert(soffice, &input, "docx:MS Word 2007 XML", timeout)
        .map_err(|e| unreadable(e.to_string()))?;
    std::fs::read(converted).map_err(|e| unreadable(format!("临时文件：{e}")))
}

/// Runs `soffice --headless --convert-to <format>` on a copy of `input` in a private folder
/// (hardened profile, no network where possible, a timeout) and moves the result into
/// `out_dir` as `<input's stem>.<extension>`; returns its path. `format` may carry a filter
/// and its options after the extension (`pdf:writer_pdf_Export:{…}`).
pub fn soffice_convert(
    soffice: &Path,
    input: &Path,
    format: &str,
    out_dir: &Path,
    timeout: Duration,
) -> Result<PathBuf, ConvertError> {
    let private = Private::new()?;
    let extension = input
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| !e.is_empty() && e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or("bin");
    let copy = private.input(extension);
    std::fs::copy(input, &copy).map_err(ConvertError::Copy)?;
    let converted = private.convert(soffice, &copy, format, timeout)?;
    std::fs::create_dir_all(out_dir).map_err(ConvertError::Folder)?;
    let mut name = input
        .file_stem()
        .map(OsString::from)
        .unwrap_or_else(|| "output".into());
    name.push(".");
    name.push(output_extension(format));
    let target = out_dir.join(name);
    move_file(&converted, &target).map_err(ConvertError::Copy)?;
    Ok(target)
}

/// A conversion's private folder, registered while it exists: `profile/` (the LibreOffice
/// user profile), `tmp/` (LibreOffice's temporary files), the input and `out/`.
struct Private {
    // Declared first so that it is removed before the conversion is unregistered: an
    // interrupt in between still finds the folder in the registry.
    folder: tempfile::TempDir,
    conversion: Conversion,
}

impl Private {
    fn new() -> Result<Private, ConvertError> {
        sweep_stale_folders();
        let folder = tempfile::Builder::new()
            .prefix(FOLDER_PREFIX)
            .tempdir()
            .map_err(ConvertError::Folder)?;
        let conversion = Conversion::register(folder.path())?;
        profile::write(&folder.path().join("profile")).map_err(ConvertError::Folder)?;
        for sub in ["tmp", "out"] {
            std::fs::create_dir_all(folder.path().join(sub)).map_err(ConvertError::Folder)?;
        }
        Ok(Private { folder, conversion })
    }

    /// Where the input goes: `input.<extension>` in the folder.
    fn input(&self, extension: &str) -> PathBuf {
        self.folder.path().join(format!("input.{extension}"))
    }

    /// Converts `input` (in this folder) and returns the result's path in `out/`.
    fn convert(
        &self,
        soffice: &Path,
        input: &Path,
        format: &str,
        timeout: Duration,
    ) -> Result<PathBuf, ConvertError> {
        let root = self.folder.path();
        let (out_dir, temp) = (root.join("out"), root.join("tmp"));
        let mut command = sandbox::command(soffice);
        command
            .arg("--headless")
            .arg("--norestore")
            .arg("--nolockcheck")
            .arg("--convert-to")
            .arg(format)
            .arg("--outdir")
            .arg(&out_dir)
            .arg(format!(
                "-env:UserInstallation={}",
                file_url(&root.join("profile"))
            ))
            .arg(input)
            .current_dir(root)
            .env("TMPDIR", &temp)
            .env("TMP", &temp)
            .env("TEMP", &temp)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let mut child = self.conversion.spawn(&mut command)?;
        self.conversion.wait(&mut child, timeout)?;
        let stem = input.file_stem().ok_or(ConvertError::NoOutput)?;
        let mut name = stem.to_os_string();
        name.push(".");
        name.push(output_extension(format));
        let converted = out_dir.join(name);
        if converted.is_file() {
            Ok(converted)
        } else {
            Err(ConvertError::NoOutput)
        }
    }
}

/// The name of every private folder starts with this.
const FOLDER_PREFIX: &str = "roundup-convert-";

/// A private folder untouched this long belongs to no running conversion (the longest may
/// take minutes): a process killed outright (SIGKILL, Windows job) left it.
const STALE_AFTER: Duration = Duration::from_secs(3600);

/// Removes, once per process, the private folders killed conversions left in the temporary
/// folder.
fn sweep_stale_folders() {
    static SWEPT: std::sync::Once = std::sync::Once::new();
    SWEPT.call_once(|| {
        let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
            return;
        };
        for entry in entries.flatten() {
            let stale = entry.file_name().to_string_lossy().starts_with(FOLDER_PREFIX)
                && entry.file_type().is_ok_and(|t| t.is_dir())
                && entry
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE_AFTER));
            if stale {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    });
}

/// The output's extension: the format up to its filter (`pdf:writer_pdf_Export:…` → `pdf`).
fn output_extension(format: &str) -> &str {
    format.split(':').next().unwrap_or(format)
}

/// Moves a file, copying across file systems.
fn move_file(from: &Path, to: &Path) -> std::io::Result<()> {
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    std::fs::copy(from, to)?;
    std::fs::remove_file(from)
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
    fn output_names_follow_the_format() {
        assert_eq!(output_extension("pdf:writer_pdf_Export:{}"), "pdf");
        assert_eq!(output_extension("docx"), "docx");
    }

    #[test]
    fn a_private_folder_holds_the_hardened_profile_and_goes_away() {
        let private = Private::new().unwrap();
        let root = private.folder.path().to_path_buf();
        let settings = root.join("profile/user/registrymodifications.xcu");
        let text = std::fs::read_to_string(settings).unwrap();
        assert!(text.contains("BlockUntrustedRefererLinks"));
        assert!(root.join("tmp").is_dir() && root.join("out").is_dir());
        assert_eq!(private.input("doc"), root.join("input.doc"));
        drop(private);
        assert!(!root.exists());
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
        let mut command = std::process::Command::new("/bin/sh");
        command
            .arg("-c")
            .arg(format!("sleep 30 & echo $! > '{}'; wait", pid_file.display()));
        let conversion = Conversion::register(dir.path()).unwrap();
        let mut child = conversion.spawn(&mut command).unwrap();
        let result = conversion.wait(&mut child, Duration::from_millis(300));
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
