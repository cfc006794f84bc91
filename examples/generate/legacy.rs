//! The sample's Word 97–2003 reports: three of the generator's `.docx` reports saved once by
//! LibreOffice (`soffice --headless --convert-to doc`), committed as bytes in `legacy/` and
//! written into the inbox in place of their `.docx`. One is named `.wps`, as WPS Writer names
//! the Word 97 files it saves. The generator never calls LibreOffice; `legacy/refresh.sh`
//! (which needs it) rewrites these files from the generator's current `.docx`, and
//! `tests/sample_inbox.rs` checks that roundup reads each one like that `.docx`.

/// A committed Word 97–2003 report: its name in the inbox, and its bytes.
pub struct Asset {
    /// The file's name in `2024Q2/` (and in `legacy/`).
    pub file: &'static str,
    /// What LibreOffice wrote.
    pub bytes: &'static [u8],
}

macro_rules! asset {
    ($file:literal) => {
        Asset {
            file: $file,
            bytes: include_bytes!(concat!("legacy/", $file)),
        }
    };
}

/// Every committed report; each is named by a report in `sample::SPECS`.
pub const ASSETS: &[Asset] = &[
    asset!("市医保局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.wps"),
    asset!("市委网信办关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.doc"),
    asset!("市规划和自然资源局关于2024年第二季度服务业扩大开放综合试点任务推进情况的报告.doc"),
];

/// True when a report of the plan is sent as Word 97–2003 (`.doc` or `.wps`).
pub fn is_legacy(file: &str) -> bool {
    file.ends_with(".doc") || file.ends_with(".wps")
}

/// The committed bytes of the report named `file`.
pub fn bytes(file: &str) -> Result<&'static [u8], String> {
    ASSETS
        .iter()
        .find(|a| a.file == file)
        .map(|a| a.bytes)
        .ok_or_else(|| {
            format!("examples/generate/legacy/ 中没有“{file}”：请运行 examples/generate/legacy/refresh.sh")
        })
}

/// The name the `.docx` source of `file` is written under by `generate legacy-sources`:
/// `file` + `.docx`, so that LibreOffice's `<name>.doc` minus its `.doc` is `file` again.
pub fn source_name(file: &str) -> String {
    format!("{file}.docx")
}
