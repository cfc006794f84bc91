//! The `.docx` zip package: finding parts by name (case-insensitively, through the document's
//! relationships where they exist) and inflating them within the size limits.

use crate::config::Limits;
use crate::ingest::zipguard::Parts;
use crate::ingest::IngestError;
use std::borrow::Cow;
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// The main document part's conventional name.
pub(super) const DOCUMENT_PART: &str = "word/document.xml";

/// An opened package with a running budget of inflated bytes.
pub(super) struct Package<'a> {
    source: Source<'a>,
    limits: &'a Limits,
    inflated: u64,
}

/// Where the parts come from.
enum Source<'a> {
    /// Inflated on demand.
    Archive(ZipArchive<Cursor<&'a [u8]>>),
    /// Inflated already by the zip guard.
    Parts(&'a Parts),
}

impl<'a> Package<'a> {
    /// Opens the zip structure; a broken archive is unreadable.
    pub(super) fn open(bytes: &'a [u8], limits: &'a Limits) -> Result<Package<'a>, IngestError> {
        let archive = ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
            IngestError::unreadable("文件已损坏（压缩包结构不完整，可能未完整保存或传输中断）")
        })?;
        if archive.len() > limits.max_zip_entries {
            return Err(IngestError::unreadable(format!(
                "压缩包内部件过多（{} 个，上限 {} 个）",
                archive.len(),
                limits.max_zip_entries
            )));
        }
        Ok(Package {
            source: Source::Archive(archive),
            limits,
            inflated: 0,
        })
    }

    /// A package over parts the zip guard inflated.
    pub(super) fn from_parts(parts: &'a Parts, limits: &'a Limits) -> Package<'a> {
        Package {
            source: Source::Parts(parts),
            limits,
            inflated: 0,
        }
    }

    /// The text of a part, or `None` when the package has no such part.
    pub(super) fn part(&mut self, name: &str) -> Result<Option<String>, IngestError> {
        let bytes: Cow<[u8]> = if let Source::Parts(parts) = &self.source {
            let parts: &'a Parts = parts;
            let Some(bytes) = parts.get(name) else {
                return Ok(None);
            };
            self.count(bytes.len() as u64, name)?;
            Cow::Borrowed(bytes)
        } else {
            let Some(index) = self.index_of(name) else {
                return Ok(None);
            };
            Cow::Owned(self.inflate(index, name)?)
        };
        decode_xml_text(&bytes)
            .map(Some)
            .ok_or_else(|| IngestError::unreadable(format!("文档部件 {name} 不是有效的文本（编码无法识别）")))
    }

    /// The main document part's name and text: the `officeDocument` relationship of the
    /// package (Word Online writes `word/document2.xml`), else `word/document.xml`. A package
    /// without one is not a Word document.
    pub(super) fn document(&mut self) -> Result<(String, String), IngestError> {
        let named = self
            .part("_rels/.rels")
            .ok()
            .flatten()
            .and_then(|rels| relationship_target(&rels, "", "officeDocument"));
        for name in named.iter().map(String::as_str).chain([DOCUMENT_PART]) {
            if let Some(text) = self.part(name)? {
                return Ok((name.to_owned(), text));
            }
        }
        Err(IngestError::unreadable(
            "文件中缺少正文部件（word/document.xml），不是完整的 Word 文档",
        ))
    }

    fn index_of(&self, name: &str) -> Option<usize> {
        let Source::Archive(archive) = &self.source else {
            return None;
        };
        archive
            .file_names()
            .position(|n| n.is_ok_and(|n| n.trim_start_matches('/').eq_ignore_ascii_case(name)))
    }

    /// Inflates one entry through `Read::take`, so a zip bomb stops at the limit.
    fn inflate(&mut self, index: usize, name: &str) -> Result<Vec<u8>, IngestError> {
        let cap = self.cap();
        let corrupt = || IngestError::unreadable(format!("文档部件 {name} 已损坏，无法解压"));
        let Source::Archive(archive) = &mut self.source else {
            return Err(corrupt());
        };
        let entry = archive.by_index(index).map_err(|_| corrupt())?;
        let mut bytes = Vec::with_capacity(entry.size().min(cap).min(1 << 24) as usize);
        entry
            .take(cap.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|_| corrupt())?;
        self.count(bytes.len() as u64, name)?;
        Ok(bytes)
    }

    /// The most the next part may inflate to: the part limit, or what is left of the total.
    fn cap(&self) -> u64 {
        let budget = self.limits.max_inflated_bytes.saturating_sub(self.inflated);
        self.limits.max_part_bytes.min(budget)
    }

    /// Counts `len` inflated bytes of part `name` against the limits.
    fn count(&mut self, len: u64, name: &str) -> Result<(), IngestError> {
        let cap = self.cap();
        if len > cap {
            return Err(IngestError::unreadable(format!(
                "文档部件 {name} 解压后超过大小上限（{} MiB）",
                cap >> 20
            )));
        }
        self.inflated += len;
        Ok(())
    }
}

/// XML bytes as text: UTF-8 (with or without BOM) or UTF-16 with a BOM.
fn decode_xml_text(bytes: &[u8]) -> Option<String> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8(rest.to_vec()).ok();
    }
    let utf16 = |rest: &[u8], big_endian: bool| {
        let units = rest.chunks_exact(2).map(|c| {
            if big_endian {
                u16::from_be_bytes([c[0], c[1]])
            } else {
                u16::from_le_bytes([c[0], c[1]])
            }
        });
        char::decode_utf16(units).collect::<Result<String, _>>().ok()
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, false);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, true);
    }
    String::from_utf8(bytes.to_vec()).ok()
}

/// The `.rels` part that holds the relationships of `part` (`word/_rels/document.xml.rels`).
pub(super) fn rels_part_of(part: &str) -> String {
    let (dir, file) = split_dir(part);
    if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    }
}

/// The target of the first relationship whose type ends with `/{kind}` in a `.rels` part,
/// resolved against `base_dir` (the folder of the part the relationships belong to).
pub(super) fn relationship_target(rels: &str, base_dir: &str, kind: &str) -> Option<String> {
    relationship_targets(rels, base_dir, kind, 1).into_iter().next()
}

/// The targets of the first `max` relationships whose type ends with `/{kind}`, in order.
pub(super) fn relationship_targets(rels: &str, base_dir: &str, kind: &str, max: usize) -> Vec<String> {
    let suffix = format!("/{kind}");
    let mut reader = quick_xml::Reader::from_str(rels);
    let mut found = Vec::new();
    loop {
        if found.len() >= max {
            return found;
        }
        match reader.read_event() {
            Ok(quick_xml::events::Event::Empty(e) | quick_xml::events::Event::Start(e))
                if e.local_name().as_ref() == "Relationship" =>
            {
                let attr = |key: &str| {
                    e.try_get_attribute(key)
                        .ok()
                        .flatten()
                        .map(|a| a.value.into_owned())
                };
                let external = attr("TargetMode").is_some_and(|m| m == "External");
                if !external && attr("Type").is_some_and(|t| t.ends_with(&suffix)) {
                    found.extend(attr("Target").map(|t| resolve_target(base_dir, &t)));
                }
            }
            Ok(quick_xml::events::Event::Eof) | Err(_) => return found,
            Ok(_) => {}
        }
    }
}

/// (`word`, `document.xml`) for `word/document.xml`.
pub(super) fn split_dir(part: &str) -> (&str, &str) {
    part.rsplit_once('/').unwrap_or(("", part))
}

fn resolve_target(base_dir: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_owned(),
        None if base_dir.is_empty() => target.to_owned(),
        None => format!("{base_dir}/{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_variants() {
        assert_eq!(decode_xml_text(b"\xEF\xBB\xBF<a/>").as_deref(), Some("<a/>"));
        assert_eq!(decode_xml_text(b"\xFF\xFE<\0a\0/\0>\0").as_deref(), Some("<a/>"));
        assert_eq!(decode_xml_text(b"\xFF\x00\x01"), None);
    }

    #[test]
    fn finds_relationship_targets() {
        let rels = r#"<Relationships><Relationship Id="rId1" Type="http://x/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://x/relationships/numbering" Target="/word/num.xml"/></Relationships>"#;
        assert_eq!(
            relationship_target(rels, "word", "styles").as_deref(),
            Some("word/styles.xml")
        );
        assert_eq!(
            relationship_target(rels, "word", "numbering").as_deref(),
            Some("word/num.xml")
        );
        assert_eq!(relationship_target(rels, "word", "footer"), None);
        assert_eq!(resolve_target("word/sub", "../styles.xml"), "word/styles.xml");
        assert_eq!(
            rels_part_of("word/document2.xml"),
            "word/_rels/document2.xml.rels"
        );
    }
}
