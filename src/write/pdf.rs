//! The bulletin's PDF (`run --pdf`), exported by LibreOffice beside the `.docx`.

use crate::ingest::convert::{find_soffice, soffice_convert, ConvertError};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a PDF export may take.
const PDF_TIMEOUT: Duration = Duration::from_secs(180);

/// Exports a document (the bulletin) to PDF in `out_dir` with LibreOffice; returns the PDF's
/// path, or why not (LibreOffice missing, failure, timeout).
pub fn export_pdf(document: &Path, out_dir: &Path) -> Result<PathBuf, ConvertError> {
    let soffice = find_soffice().ok_or(ConvertError::NotInstalled)?;
    soffice_convert(&soffice, document, "pdf", out_dir, PDF_TIMEOUT)
}
