//! `roundup.json` (the stable machine-readable result, contract §7) and `manifest.json`
//! (inputs with checksums and outcomes, outputs, tool version, registry and config digests).

use super::{Output, RenderError};
use crate::digest::sha256_hex;
use crate::merge::roundup_json::{or_default, usable_elements, RoundupJson};
use crate::merge::{FileRecord, RoundReport};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// `roundup.json`, pretty-printed, UTF-8, with a final newline (the schema is
/// [`RoundupJson`], which the next round reads back).
pub fn roundup_json(report: &RoundReport) -> Result<Vec<u8>, RenderError> {
    let text = serde_json::to_string_pretty(&RoundupJson::of(report))?;
    // serde_json escapes control characters but writes U+FFFE/U+FFFF as they are: the one
    // sanitiser removes them (JSON's own escapes and structure are all XML-safe characters).
    let mut bytes = crate::text::sanitize::xml_safe_owned(text).into_bytes();
    bytes.push(b'\n');
    Ok(bytes)
}

/// One output as the manifest lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutputEntry<'a> {
    /// Path relative to the round's folder in the outbox.
    pub name: Cow<'a, str>,
    /// Size in bytes.
    #[serde(default, deserialize_with = "or_default")]
    pub size: usize,
    /// SHA-256, hex.
    #[serde(default, deserialize_with = "or_default")]
    pub sha256: String,
}

/// `manifest.json`: written with the outputs, read back by the next run to find the outputs
/// it wrote (read leniently: a field of the wrong type reads as absent, an output without a
/// name is skipped).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Manifest<'a> {
    /// `roundup <version>`.
    #[serde(deserialize_with = "or_default")]
    pub tool: String,
    /// The round's id.
    #[serde(deserialize_with = "or_default")]
    pub round: Cow<'a, str>,
    /// SHA-256 of the task registry.
    #[serde(deserialize_with = "or_default")]
    pub registry_sha256: Cow<'a, str>,
    /// SHA-256 of the configuration.
    #[serde(deserialize_with = "or_default")]
    pub config_sha256: Cow<'a, str>,
    /// Every inbox entry with its outcome and checksum.
    #[serde(deserialize_with = "or_default")]
    pub inputs: Cow<'a, [FileRecord]>,
    /// Every output.
    #[serde(deserialize_with = "usable_elements")]
    pub outputs: Vec<OutputEntry<'a>>,
}

impl Manifest<'_> {
    /// The output names a `manifest.json` lists, in order; none when `text` is not one.
    pub fn output_names(text: &str) -> Vec<String> {
        serde_json::from_str::<Manifest>(text)
            .map(|m| m.outputs.into_iter().map(|o| o.name.into_owned()).collect())
            .unwrap_or_default()
    }
}

/// `manifest.json`: every inbox entry with its outcome and checksum, and every output.
pub fn manifest_json(
    report: &RoundReport,
    registry_digest: &str,
    config_digest: &str,
    outputs: &[Output],
) -> Result<Vec<u8>, RenderError> {
    let manifest = Manifest {
        tool: format!("roundup {}", env!("CARGO_PKG_VERSION")),
        round: report.round.id.as_str().into(),
        registry_sha256: registry_digest.into(),
        config_sha256: config_digest.into(),
        inputs: Cow::Borrowed(&report.files),
        outputs: outputs
            .iter()
            .map(|o| OutputEntry {
                name: o.name.as_str().into(),
                size: o.bytes.len(),
                sha256: sha256_hex(&o.bytes),
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&manifest)?;
    let mut bytes = crate::text::sanitize::xml_safe_owned(text).into_bytes();
    bytes.push(b'\n');
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_list_their_outputs_leniently() {
        let text = r#"{"tool":"roundup 0.1","outputs":[{"name":"roundup.json","size":10},{"size":3},
            {"name":"反馈/市工信局-2024Q1.xlsx","sha256":5}]}"#;
        assert_eq!(
            Manifest::output_names(text),
            ["roundup.json", "反馈/市工信局-2024Q1.xlsx"]
        );
        assert!(Manifest::output_names("{}").is_empty());
        assert!(Manifest::output_names("not json").is_empty());
    }
}
