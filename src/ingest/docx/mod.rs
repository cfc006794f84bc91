//! Word (`.docx`) reading on `zip` + `quick-xml`: paragraphs with style, outline level and
//! numbering, tables with merges, nested tables and text boxes, losing no text.
//!
//! docx-rs's reader is not used (it panics or loops on malformed files, see library-notes).
//! Every limit is checked: zip part sizes while inflating, XML nesting depth, table rows and
//! columns; DTDs are refused.

mod body;
mod numbering;
mod package;
mod styles;
mod table;
mod xml;

use super::{Content, Document, FileKind, IngestError, Ingested};
use crate::config::Limits;
use package::{relationship_target, rels_part_of, split_dir, Package};

/// Reads a `.docx` package into blocks.
pub fn read_document(bytes: &[u8], limits: &Limits) -> Result<Ingested, IngestError> {
    let mut package = Package::open(bytes, limits)?;
    let (document_name, root) = {
        let (name, text) = package.document()?;
        let root = xml::parse(&text, &name, limits.max_xml_depth)?;
        (name, root)
    };
    let rels = package.part(&rels_part_of(&document_name)).ok().flatten();
    let base_dir = split_dir(&document_name).0;
    let part_name = |kind: &str, default: &str| {
        rels.as_deref()
            .and_then(|r| relationship_target(r, base_dir, kind))
            .unwrap_or_else(|| default.to_owned())
    };
    let styles = optional_part(&mut package, &part_name("styles", "word/styles.xml"), limits)?
        .map(|r| styles::Styles::from_root(&r))
        .unwrap_or_default();
    let numbering = optional_part(
        &mut package,
        &part_name("numbering", "word/numbering.xml"),
        limits,
    )?
    .map(|r| numbering::Numbering::from_root(&r))
    .unwrap_or_default();
    let mut walker = body::Walker::new(&styles, numbering, limits);
    if let Some(body) = root.find(xml::Tag::Body) {
        walker.container(body);
    }
    Ok(Ingested {
        kind: FileKind::Report,
        content: Content::Document(Document {
            blocks: walker.finish(),
        }),
        notes: Vec::new(),
    })
}

/// A part that improves the result but is not needed: absent or malformed, it is ignored
/// (over a size limit, the file is still refused).
fn optional_part(
    package: &mut Package,
    name: &str,
    limits: &Limits,
) -> Result<Option<xml::Node>, IngestError> {
    let Some(text) = package.part(name)? else {
        return Ok(None);
    };
    Ok(xml::parse(&text, name, limits.max_xml_depth).ok())
}
