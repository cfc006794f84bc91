//! The one place that patches the XML docx-rs generates, for what docx-rs 0.4.22 cannot write,
//! and repacks the package compressed and deterministic:
//!
//! - character-unit indents (`w:firstLineChars`, `w:hangingChars`): docx-rs stores
//!   `first_line_chars()` but never writes it; added next to the twip values they stand for;
//! - repeated header rows (`w:tblHeader`): added to the first row of every table styled
//!   [`DATA_TABLE_STYLE`];
//! - the Normal style: docx-rs always writes an empty `Normal` before the styles it is given;
//!   the empty one is removed and ours becomes the default (`w:default="1"`);
//! - `w:evenAndOddHeaders`: ensured in `settings.xml`;
//! - schema order: docx-rs writes property children out of the ECMA-376 sequence (`w:sz`
//!   before `w:rFonts`, `w:jc` before `w:ind`…), which Word may drop; [`order`] sorts them;
//! - characters XML 1.0 cannot hold (U+FFFE, U+FFFF, C0 controls from a cell or a paragraph):
//!   removed from every XML part by the one sanitiser, [`xml_safe`], before anything else —
//!   one place for every text that enters the document;
//! - `fontTable.xml`: replaced by the bulletin's fonts with their `w:altName` alternates,
//!   PANOSE numbers and charsets;
//! - compression: docx-rs stores parts uncompressed; they are deflated, in a fixed order, with
//!   a fixed timestamp (the round's document time), without directory entries.

mod order;

use super::layout::DATA_TABLE_STYLE;
use super::style::FontEntry;
use crate::text::sanitize::xml_safe;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};
use std::io::{Cursor, Read, Write};

/// Why a docx package could not be patched or repacked.
#[derive(Debug, thiserror::Error)]
pub enum PostprocessError {
    /// docx-rs could not pack the document (its own `zip` version's error).
    #[error("{0}")]
    Pack(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The package could not be read or written as a zip.
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    /// Reading a part or writing the package failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A part is not well-formed XML.
    #[error("{0}")]
    Xml(#[from] quick_xml::Error),
    /// A part, or the rewritten XML, is not UTF-8.
    #[error("{0}")]
    Utf8(#[from] std::str::Utf8Error),
    /// The rewritten XML is not UTF-8.
    #[error("{0}")]
    FromUtf8(#[from] std::string::FromUtf8Error),
    /// A part lacks the structure the patch needs (the Chinese message says what).
    #[error("{0}")]
    Malformed(&'static str),
    /// The error concerns one part of the package.
    #[error("{part}: {source}")]
    Part {
        /// The part's name in the package (`word/document.xml`…).
        part: String,
        /// What went wrong in it.
        #[source]
        source: Box<PostprocessError>,
    },
}

impl PostprocessError {
    /// docx-rs's packing error.
    pub fn pack(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        PostprocessError::Pack(Box::new(error))
    }

    /// This error, as concerning the part `part`.
    fn in_part(self, part: &str) -> Self {
        PostprocessError::Part {
            part: part.to_string(),
            source: Box::new(self),
        }
    }
}

/// Twip indents that stand for character-unit indents: (attribute, twips, chars attribute,
/// hundredths of a character).
const CHAR_INDENTS: &[(&str, &str, &str, &str)] = &[
    ("w:firstLine", "640", "w:firstLineChars", "200"),
    ("w:firstLine", "0", "w:firstLineChars", "0"),
    ("w:hanging", "560", "w:hangingChars", "200"),
    ("w:hanging", "840", "w:hangingChars", "300"),
];

/// Patches and repacks a docx package written by docx-rs.
pub fn patch_package(
    package: &[u8],
    fonts: &[FontEntry],
    timestamp: zip::DateTime,
) -> Result<Vec<u8>, PostprocessError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(package))?;
    let mut parts: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i)?;
        if file.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes)?;
        let name = file.name()?.into_owned();
        parts.push((name, bytes));
    }
    for (name, bytes) in &mut parts {
        *bytes = patch_part(name, bytes, fonts)?;
    }
    parts.sort_by_key(|(name, _)| (name != "[Content_Types].xml", name.clone()));
    repack(&parts, timestamp)
}

/// Applies the patches that concern one part.
fn patch_part(name: &str, bytes: &[u8], fonts: &[FontEntry]) -> Result<Vec<u8>, PostprocessError> {
    if !(name.ends_with(".xml") || name.ends_with(".rels")) {
        return Ok(bytes.to_vec());
    }
    let raw = std::str::from_utf8(bytes).map_err(|e| PostprocessError::from(e).in_part(name))?;
    let clean = xml_safe(raw);
    let text: &str = &clean;
    let xml_part = name.ends_with(".xml") && name.starts_with("word/");
    let patched = match name {
        "word/document.xml" => char_indents(&table_headers(text)?)?,
        "word/styles.xml" => char_indents(&normal_style(text)?)?,
        "word/settings.xml" => even_and_odd_headers(text)?,
        "word/fontTable.xml" => return Ok(font_table(fonts).into_bytes()),
        n if xml_part && (n.starts_with("word/footer") || n.starts_with("word/header")) => {
            char_indents(text)?
        }
        _ => return Ok(text.as_bytes().to_vec()),
    };
    let patched = order::canonical(&patched).map_err(|e| e.in_part(name))?;
    Ok(patched.into_bytes())
}

/// Writes the parts into a deflated zip with a fixed timestamp.
fn repack(parts: &[(String, Vec<u8>)], timestamp: zip::DateTime) -> Result<Vec<u8>, PostprocessError> {
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(timestamp)
        .unix_permissions(0o644);
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in parts {
        writer.start_file(name.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    let cursor = writer.finish()?;
    Ok(cursor.into_inner())
}

/// Runs `f` over every event of `xml`, writing what it returns.
fn rewrite<F>(xml: &str, mut f: F) -> Result<String, PostprocessError>
where
    F: FnMut(Event<'_>, &mut Writer<Vec<u8>>) -> Result<(), PostprocessError>,
{
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    let mut writer = Writer::new(Vec::new());
    loop {
        match reader.read_event()? {
            Event::Eof => break,
            event => f(event, &mut writer)?,
        }
    }
    Ok(String::from_utf8(writer.into_inner())?)
}

fn write(writer: &mut Writer<Vec<u8>>, event: Event<'_>) -> Result<(), PostprocessError> {
    Ok(writer.write_event(event)?)
}

/// The value of attribute `key` on an element.
fn attribute(element: &BytesStart<'_>, key: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.as_ref() == key)
        .map(|a| a.value.into_owned())
}

fn is(element: &BytesStart<'_>, name: &str) -> bool {
    element.name().as_ref() == name
}

/// Adds `w:firstLineChars` / `w:hangingChars` next to the twip values in [`CHAR_INDENTS`].
pub fn char_indents(xml: &str) -> Result<String, PostprocessError> {
    rewrite(xml, |event, w| match event {
        Event::Empty(e) if is(&e, "w:ind") => write(w, Event::Empty(with_chars(&e))),
        Event::Start(e) if is(&e, "w:ind") => write(w, Event::Start(with_chars(&e))),
        other => write(w, other),
    })
}

fn with_chars(e: &BytesStart<'_>) -> BytesStart<'static> {
    let extra: Vec<(&str, &str)> = CHAR_INDENTS
        .iter()
        .filter(|(key, twips, chars_key, _)| {
            attribute(e, key).as_deref() == Some(*twips) && attribute(e, chars_key).is_none()
        })
        .map(|(_, _, chars_key, chars)| (*chars_key, *chars))
        .collect();
    with_attributes(e, &extra)
}

/// A copy of `e` with `extra` attributes appended (attributes written in one normal form).
fn with_attributes(e: &BytesStart<'_>, extra: &[(&str, &str)]) -> BytesStart<'static> {
    if extra.is_empty() {
        return e.to_owned();
    }
    let name = String::from_utf8_lossy(e.name().as_ref().as_bytes()).into_owned();
    let existing: Vec<(String, String)> = e
        .attributes()
        .flatten()
        .map(|a| {
            (
                String::from_utf8_lossy(a.key.as_ref().as_bytes()).into_owned(),
                a.value.into_owned(),
            )
        })
        .collect();
    let mut out = BytesStart::new(name);
    for (k, v) in &existing {
        out.push_attribute((k.as_str(), v.as_str()));
    }
    for (k, v) in extra {
        out.push_attribute((*k, *v));
    }
    out
}

/// Marks the first row of every data table as a header row repeated on each page.
pub fn table_headers(xml: &str) -> Result<String, PostprocessError> {
    // One entry per open table: (is a data table, rows seen).
    let mut tables: Vec<(bool, usize)> = Vec::new();
    let mut pending = false;
    rewrite(xml, |event, w| {
        if pending {
            pending = false;
            match &event {
                Event::Start(e) if is(e, "w:trPr") => {
                    write(w, event)?;
                    return write(w, Event::Empty(BytesStart::new("w:tblHeader")));
                }
                Event::Empty(e) if is(e, "w:trPr") => {
                    write(w, Event::Start(BytesStart::new("w:trPr")))?;
                    write(w, Event::Empty(BytesStart::new("w:tblHeader")))?;
                    return write(w, Event::End(BytesStart::new("w:trPr").to_end().into_owned()));
                }
                _ => {
                    write(w, Event::Start(BytesStart::new("w:trPr")))?;
                    write(w, Event::Empty(BytesStart::new("w:tblHeader")))?;
                    write(w, Event::End(BytesStart::new("w:trPr").to_end().into_owned()))?;
                }
            }
        }
        match &event {
            Event::Start(e) if is(e, "w:tbl") => tables.push((false, 0)),
            Event::End(e) if e.name().as_ref() == "w:tbl" => {
                tables.pop();
            }
            Event::Empty(e) if is(e, "w:tblStyle") => {
                if let Some(t) = tables.last_mut() {
                    t.0 |= attribute(e, "w:val").as_deref() == Some(DATA_TABLE_STYLE);
                }
            }
            Event::Start(e) if is(e, "w:tr") => {
                if let Some(t) = tables.last_mut() {
                    t.1 += 1;
                    pending = t.0 && t.1 == 1;
                }
            }
            _ => {}
        }
        write(w, event)
    })
}

/// Drops docx-rs's empty Normal style when ours follows, and makes ours the default.
pub fn normal_style(xml: &str) -> Result<String, PostprocessError> {
    let is_normal =
        |e: &BytesStart<'_>| is(e, "w:style") && attribute(e, "w:styleId").as_deref() == Some("Normal");
    let mut normals = 0;
    rewrite(xml, |event, w| {
        if let Event::Start(e) | Event::Empty(e) = &event {
            normals += usize::from(is_normal(e));
        }
        write(w, event)
    })?;
    let mut seen = 0;
    let mut skip_depth = 0usize;
    rewrite(xml, |event, w| {
        if skip_depth > 0 {
            match &event {
                Event::Start(_) => skip_depth += 1,
                Event::End(_) => skip_depth -= 1,
                _ => {}
            }
            return Ok(());
        }
        match event {
            Event::Start(e) if is_normal(&e) => {
                seen += 1;
                if seen < normals {
                    skip_depth = 1;
                    return Ok(());
                }
                write(w, Event::Start(as_default(&e)))
            }
            Event::Empty(e) if is_normal(&e) => {
                seen += 1;
                if seen < normals {
                    return Ok(());
                }
                write(w, Event::Empty(as_default(&e)))
            }
            other => write(w, other),
        }
    })
}

fn as_default(e: &BytesStart<'_>) -> BytesStart<'static> {
    if attribute(e, "w:default").is_none() {
        with_attributes(e, &[("w:default", "1")])
    } else {
        e.to_owned()
    }
}

/// Ensures `<w:evenAndOddHeaders/>` (its place in the sequence is set by [`order`]).
pub fn even_and_odd_headers(xml: &str) -> Result<String, PostprocessError> {
    if xml.contains("<w:evenAndOddHeaders") {
        return Ok(xml.to_string());
    }
    match xml.rfind("</w:settings>") {
        Some(at) => Ok(format!("{}<w:evenAndOddHeaders/>{}", &xml[..at], &xml[at..])),
        None => Err(PostprocessError::Malformed("settings.xml 缺少 w:settings 元素")),
    }
}

/// `word/fontTable.xml` for `fonts`.
pub fn font_table(fonts: &[FontEntry]) -> String {
    let mut xml = String::from(concat!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
        r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" "#,
        r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
    ));
    for f in fonts {
        xml.push_str(&format!(r#"<w:font w:name="{}">"#, f.name));
        if let Some(alt) = f.alt {
            xml.push_str(&format!(r#"<w:altName w:val="{alt}"/>"#));
        }
        xml.push_str(&format!(r#"<w:panose1 w:val="{}"/>"#, f.panose));
        xml.push_str(&format!(
            r#"<w:charset w:val="{}"/><w:family w:val="{}"/><w:pitch w:val="{}"/></w:font>"#,
            f.charset, f.family, f.pitch
        ));
    }
    xml.push_str("</w:fonts>");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_xml_part_loses_the_characters_xml_cannot_hold() {
        let xml = "<cp:coreProperties><dc:title>简报\u{FFFE}标题\u{FFFF}\u{1}</dc:title></cp:coreProperties>";
        let out = patch_part("docProps/core.xml", xml.as_bytes(), &[]).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "<cp:coreProperties><dc:title>简报标题</dc:title></cp:coreProperties>"
        );
        let doc = "<w:document><w:body><w:p><w:r><w:t>进展\u{FFFE}</w:t></w:r></w:p></w:body></w:document>";
        let out = patch_part("word/document.xml", doc.as_bytes(), &[]).unwrap();
        assert!(!String::from_utf8(out).unwrap().contains('\u{FFFE}'));
        assert_eq!(
            patch_part("word/media/a.png", &[0xFF, 0xFE], &[]).unwrap(),
            vec![0xFF, 0xFE]
        );
    }

    #[test]
    fn char_indents_are_added_next_to_their_twips() {
        let xml = r#"<w:p><w:pPr><w:ind w:left="0" w:right="0" w:firstLine="640" /></w:pPr></w:p><w:ind w:left="840" w:hanging="560"/><w:ind w:left="5"/>"#;
        let out = char_indents(xml).unwrap();
        assert!(
            out.contains(r#"w:firstLine="640" w:firstLineChars="200""#),
            "{out}"
        );
        assert!(out.contains(r#"w:hanging="560" w:hangingChars="200""#), "{out}");
        assert!(out.contains(r#"<w:ind w:left="5"/>"#), "{out}");
        assert_eq!(char_indents(&out).unwrap(), out, "idempotent");
    }

    #[test]
    fn data_tables_repeat_their_first_row() {
        let row = r#"<w:tr><w:trPr><w:cantSplit /></w:trPr><w:tc/></w:tr>"#;
        let bare = r#"<w:tr><w:tc/></w:tr>"#;
        let xml = format!(
            r#"<w:body><w:tbl><w:tblPr><w:tblStyle w:val="DataTable" /></w:tblPr>{row}{row}</w:tbl><w:tbl><w:tblPr/>{row}</w:tbl><w:tbl><w:tblPr><w:tblStyle w:val="DataTable"/></w:tblPr>{bare}</w:tbl></w:body>"#
        );
        let out = table_headers(&xml).unwrap();
        assert_eq!(out.matches("<w:tblHeader/>").count(), 2, "{out}");
        assert!(
            out.contains(
                r#"<w:trPr><w:tblHeader/><w:cantSplit /></w:trPr><w:tc/></w:tr><w:tr><w:trPr><w:cantSplit />"#
            ),
            "{out}"
        );
        assert!(
            out.contains(r#"<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc/></w:tr>"#),
            "{out}"
        );
    }

    #[test]
    fn the_empty_normal_style_is_dropped() {
        let xml = r#"<w:styles><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr /></w:style><w:style w:type="paragraph" w:styleId="Normal"><w:name w:val="Normal" /><w:rPr><w:sz w:val="32" /></w:rPr></w:style><w:style w:styleId="Title"/></w:styles>"#;
        let out = normal_style(xml).unwrap();
        assert_eq!(out.matches(r#"w:styleId="Normal""#).count(), 1, "{out}");
        assert!(
            out.contains(r#"w:styleId="Normal" w:default="1"><w:name w:val="Normal" /><w:rPr><w:sz"#),
            "{out}"
        );
        assert!(out.contains("Title"));
    }

    #[test]
    fn even_and_odd_headers_are_ensured() {
        let xml = r#"<w:settings><w:zoom/><w:evenAndOddHeaders /></w:settings>"#;
        assert_eq!(even_and_odd_headers(xml).unwrap(), xml);
        let bare = even_and_odd_headers("<w:settings><w:zoom/></w:settings>").unwrap();
        assert_eq!(bare, "<w:settings><w:zoom/><w:evenAndOddHeaders/></w:settings>");
        assert!(even_and_odd_headers("<x/>").is_err());
    }

    #[test]
    fn font_table_lists_alternates() {
        let fonts = super::super::style::font_table(crate::config::FontProfile::Standard);
        let xml = font_table(&fonts);
        assert!(
            xml.contains(r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/>"#)
        );
        assert!(xml.contains(r#"<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/>"#));
        assert!(xml.contains(r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>"#));
    }
}
