//! Conversion of legacy Word files (`.doc`, WPS `.wps`) to `.docx` with LibreOffice, when it
//! is installed, into a private temporary folder (never the inbox).

use std::path::PathBuf;

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
