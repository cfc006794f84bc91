//! The bulletin's PDF (`run --pdf`), exported by LibreOffice beside the `.docx`, and its
//! layout self-check: the PDF's text boxes (`pdftotext -bbox-layout`) measured against the
//! acceptance list ([`crate::render::bulletin_docx::pagecheck`]).

use crate::ingest::convert::{find_soffice, soffice_convert, ConvertError};
use crate::render::bulletin_docx::pagecheck::{self, Expected};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// How long a PDF export may take.
const PDF_TIMEOUT: Duration = Duration::from_secs(180);

/// The PDF export filter: keeps the blank pages LibreOffice inserts before a section that must
/// start on an even page (the bulletin's 报尾), which a duplex print needs; headless exports
/// skip them by default. JSON filter options need LibreOffice 7.4 or later.
const PDF_FILTER: &str = r#"pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}"#;

/// Exports a document (the bulletin) to PDF in `out_dir` with LibreOffice; returns the PDF's
/// path, or why not (LibreOffice missing, failure, timeout).
pub fn export_pdf(document: &Path, out_dir: &Path) -> Result<PathBuf, ConvertError> {
    let soffice = find_soffice().ok_or(ConvertError::NotInstalled)?;
    soffice_convert(&soffice, document, PDF_FILTER, out_dir, PDF_TIMEOUT)
}

/// Runs `pdftotext -bbox-layout` on `pdf` and checks the layout; returns the findings (Chinese
/// messages), or why the check could not be made.
pub fn check_layout(pdf: &Path, expected: &Expected) -> Result<Vec<String>, String> {
    let output = Command::new("pdftotext")
        .arg("-bbox-layout")
        .arg(pdf)
        .arg("-")
        .output()
        .map_err(|e| format!("未能运行 pdftotext（poppler-utils），未做版式自检（{e}）"))?;
    if !output.status.success() {
        return Err("pdftotext 未能读取导出的 PDF，未做版式自检".into());
    }
    pagecheck::check(&String::from_utf8_lossy(&output.stdout), expected).map_err(|e| e.to_string())
}
