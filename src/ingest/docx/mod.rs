//! Word (`.docx`) reading on `zip` + `quick-xml`: paragraphs with style, outline level and
//! numbering, tables with merges, nested tables and text boxes, losing no text.
//!
//! docx-rs's reader is not used (it panics or loops on malformed files, see library-notes).
//! Every limit is checked: zip part sizes while inflating, XML nesting depth, table rows and
//! columns, and budgets of elements and table cells derived from `limits.max_rows`; DTDs are
//! refused.

mod body;
mod numbering;
mod package;
mod styles;
mod table;
mod xml;

use super::{Content, Document, FileKind, IngestError, Ingested};
use crate::config::Limits;
use crate::ingest::zipguard::Parts;
use package::{relationship_target, relationship_targets, rels_part_of, split_dir, Package};

// Shared with the legacy Word reader (`ingest::doc`), which builds the same blocks.
pub(crate) use numbering::format_number;
pub(crate) use table::{CellMarks, CellText, GridBuilder, MarkedText};

/// Reads a `.docx` package into blocks.
pub fn read_document(bytes: &[u8], limits: &Limits) -> Result<Ingested, IngestError> {
    read_package(Package::open(bytes, limits)?, limits)
}

/// [`read_document`] from parts the zip guard already inflated.
pub fn read_document_parts(parts: &Parts, limits: &Limits) -> Result<Ingested, IngestError> {
    read_package(Package::from_parts(parts, limits), limits)
}

fn read_package(mut package: Package, limits: &Limits) -> Result<Ingested, IngestError> {
    let (document_name, root) = {
        let (name, text) = package.document()?;
        let root = xml::parse(&text, &name, limits.max_xml_depth, max_nodes(limits))?;
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
    let mut headers = Vec::new();
    for kind in ["header", "footer"] {
        let targets = rels
            .as_deref()
            .map(|r| relationship_targets(r, base_dir, kind, MAX_HEADER_PARTS))
            .unwrap_or_default();
        for target in targets {
            if let Some(root) = optional_part(&mut package, &target, limits)? {
                let mut walker = body::Walker::new(&styles, numbering::Numbering::default(), limits);
                walker.container(&root);
                headers.extend(header_lines(walker.finish().unwrap_or_default()));
            }
        }
    }
    let mut walker = body::Walker::new(&styles, numbering, limits);
    if let Some(body) = root.find(xml::Tag::Body) {
        walker.container(body);
    }
    let notes = walker.take_notes();
    Ok(Ingested {
        kind: FileKind::Report,
        content: Content::Document(Document {
            blocks: walker.finish()?,
            headers,
        }),
        notes,
    })
}

/// Header and footer parts read per kind (a section has at most three of each; more are
/// other sections' repeats).
const MAX_HEADER_PARTS: usize = 6;

/// The non-blank texts of a header's or footer's blocks (paragraphs and table cells).
pub(crate) fn header_lines(blocks: Vec<super::Block>) -> Vec<String> {
    let mut lines = Vec::new();
    for block in blocks {
        match block {
            super::Block::Paragraph(p) => lines.push(p.text),
            super::Block::Table(g) => lines.extend(g.rows.into_iter().flatten().map(|c| c.to_text())),
        }
    }
    lines.retain(|l| !l.trim().is_empty());
    lines
}

/// Elements kept per part: twice the table-cell budget (with the default limits four million,
/// a few hundred MB at most), so that a part of empty elements cannot exhaust memory.
fn max_nodes(limits: &Limits) -> u64 {
    u64::from(limits.max_rows)
        .saturating_mul(body::CELLS_PER_ROW_LIMIT)
        .saturating_mul(2)
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
    Ok(xml::parse(&text, name, limits.max_xml_depth, max_nodes(limits)).ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Block, CellValue, Grid, Paragraph};
    use std::io::Write;

    const NS: &str = r#"xmlns:w="w" xmlns:mc="mc" xmlns:v="v""#;

    fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut buf);
        let options = zip::write::SimpleFileOptions::default();
        for (name, data) in parts {
            w.start_file(*name, options).unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap();
        buf.into_inner()
    }

    fn body(xml: &str) -> String {
        format!(r#"<?xml version="1.0"?><w:document {NS}><w:body>{xml}</w:body></w:document>"#)
    }

    fn read(xml: &str) -> Result<Vec<Block>, IngestError> {
        read_with(&package(&[("word/document.xml", &body(xml))]), &Limits::default())
    }

    fn read_with(bytes: &[u8], limits: &Limits) -> Result<Vec<Block>, IngestError> {
        match read_document(bytes, limits)?.content {
            Content::Document(doc) => Ok(doc.blocks),
            Content::Workbook(_) => unreachable!(),
        }
    }

    fn paragraphs(blocks: &[Block]) -> Vec<&Paragraph> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph(p) => Some(p),
                Block::Table(_) => None,
            })
            .collect()
    }

    fn tables(blocks: &[Block]) -> Vec<&Grid> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Paragraph(_) => None,
            })
            .collect()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    #[test]
    fn a_package_without_a_document_part_is_unreadable() {
        let bytes = package(&[("word/styles.xml", "<w:styles/>")]);
        let err = read_with(&bytes, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("word/document.xml"), "{err}");
        assert!(read_with(b"PK\x03\x04garbage", &Limits::default()).is_err());
    }

    #[test]
    fn word_online_main_part_is_found_through_the_package_relationships() {
        let rels = r#"<Relationships><Relationship Id="r1" Type="http://x/officeDocument" Target="word/document2.xml"/></Relationships>"#;
        let bytes = package(&[("_rels/.rels", rels), ("word/document2.xml", &body(&p("在线")))]);
        let blocks = read_with(&bytes, &Limits::default()).unwrap();
        assert_eq!(paragraphs(&blocks)[0].text, "在线");
    }

    #[test]
    fn limits_are_enforced() {
        let deep = format!("{}{}", "<w:sdt>".repeat(300), "</w:sdt>".repeat(300));
        let err = read(&deep).unwrap_err();
        assert!(err.to_string().contains("嵌套过深"), "{err}");

        let big = package(&[("word/document.xml", &body(&p(&"字".repeat(2000))))]);
        let limits = Limits {
            max_part_bytes: 1000,
            ..Limits::default()
        };
        let err = read_with(&big, &limits).unwrap_err();
        assert!(err.to_string().contains("超过大小上限"), "{err}");

        let empties = body(&"<w:p/>".repeat(3000));
        let small = Limits {
            max_rows: 50,
            ..Limits::default()
        };
        let err = read_with(&package(&[("word/document.xml", &empties)]), &small).unwrap_err();
        assert!(err.to_string().contains("元素过多"), "{err}");

        let row = "<w:tr><w:trPr><w:gridBefore w:val=\"150\"/></w:trPr><w:tc/></w:tr>";
        let many = format!("<w:tbl>{}</w:tbl>", row.repeat(200));
        let limits = Limits {
            max_rows: 1000,
            ..Limits::default()
        };
        let err = read_with(&package(&[("word/document.xml", &body(&many))]), &limits).unwrap_err();
        assert!(err.to_string().contains("表格过大"), "{err}");

        let wide =
            "<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"4000000000\"/></w:tcPr></w:tc></w:tr></w:tbl>";
        let blocks = read(wide).unwrap();
        assert_eq!(
            tables(&blocks)[0].rows[0].len(),
            Limits::default().max_cols as usize
        );
    }

    #[test]
    fn dtds_are_refused_and_truncation_is_detected() {
        let dtd = r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x "y">]><w:document/>"#;
        let err = read_with(&package(&[("word/document.xml", dtd)]), &Limits::default());
        assert!(err.unwrap_err().to_string().contains("DTD"));
        assert!(read("<w:p><w:r><w:t>甲").is_err());
        let truncated = format!(r#"<w:document {NS}><w:body><w:p>"#);
        assert!(read_with(&package(&[("word/document.xml", &truncated)]), &Limits::default()).is_err());
    }

    #[test]
    fn alternate_content_is_read_once_and_vml_text_boxes_alone_are_read() {
        let alt = format!(
            "<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent>{}</w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent>{}</w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>",
            p("甲"),
            p("甲")
        );
        let vml = format!(
            "<w:p><w:r><w:pict><v:shape><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>",
            p("乙")
        );
        let blocks = read(&(alt + &vml)).unwrap();
        let texts: Vec<(usize, &str)> = paragraphs(&blocks)
            .iter()
            .map(|p| (p.index, p.text.as_str()))
            .collect();
        assert_eq!(texts, vec![(1, ""), (2, "甲"), (3, ""), (4, "乙")]);
    }

    #[test]
    fn nested_tables_follow_their_parent_in_order() {
        let inner = |t: &str| format!("<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>", p(t));
        let outer = format!(
            "<w:tbl><w:tr><w:tc>{}{}</w:tc><w:tc>{}</w:tc></w:tr></w:tbl>",
            p("外"),
            inner("内一"),
            inner("内二")
        );
        let blocks = read(&outer).unwrap();
        let grids: Vec<(String, CellValue)> = tables(&blocks)
            .iter()
            .map(|g| (g.name.clone(), g.cell(0, 0).clone()))
            .collect();
        assert_eq!(
            grids,
            vec![
                ("表1".into(), CellValue::Text("外".into())),
                ("表2".into(), CellValue::Text("内一".into())),
                ("表3".into(), CellValue::Text("内二".into())),
            ]
        );
    }

    #[test]
    fn a_continuation_without_a_start_is_an_ordinary_cell() {
        let table = format!(
            "<w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>{}</w:tc></w:tr></w:tbl>",
            p("孤")
        );
        let blocks = read(&table).unwrap();
        assert_eq!(tables(&blocks)[0].cell(0, 0), &CellValue::Text("孤".into()));
        assert!(tables(&blocks)[0].merges.is_empty());
    }

    fn read_ingested(xml: &str) -> Ingested {
        read_document(&package(&[("word/document.xml", &body(xml))]), &Limits::default()).unwrap()
    }

    fn run(text: &str, props: &str) -> String {
        format!("<w:r><w:rPr><w:b/>{props}</w:rPr><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
    }

    #[test]
    fn hidden_text_is_left_out_and_warned_at_its_cell() {
        let cell = |runs: &str| format!("<w:tc><w:p>{runs}</w:p></w:tc>");
        let hidden_paragraph = format!("<w:p>{}</w:p>", run("未启动", "<w:vanish/>"));
        let table = format!(
            "<w:tbl><w:tr>{}<w:tc>{hidden_paragraph}<w:p>{}</w:p></w:tc>{}{}</w:tr></w:tbl><w:p>{}{}</w:p>",
            cell(&(run("40", "") + &run("（一季度30）", "<w:vanish/>"))),
            run("推进中", ""),
            cell(&run("30", "<w:vanish w:val=\"true\"/>")),
            cell(&run("显示", "<w:vanish w:val=\"0\"/>")),
            run("正文", ""),
            run("隐藏", "<w:vanish/>"),
        );
        let ingested = read_ingested(&table);
        let Content::Document(doc) = &ingested.content else {
            unreachable!()
        };
        let grid = tables(&doc.blocks)[0];
        assert_eq!(grid.cell(0, 0), &CellValue::Text("40".into()));
        assert_eq!(grid.cell(0, 1), &CellValue::Text("推进中".into()));
        assert_eq!(grid.cell(0, 2), &CellValue::Empty);
        assert_eq!(grid.cell(0, 3), &CellValue::Text("显示".into()));
        assert_eq!(paragraphs(&doc.blocks)[0].text, "正文");
        let notes: Vec<(&str, &str)> = ingested
            .notes
            .iter()
            .map(|n| (n.location.as_deref().unwrap_or(""), n.message.as_str()))
            .collect();
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert_eq!(notes[0].0, "表1!R1C1");
        assert!(notes[0].1.contains("隐藏文字“（一季度30）”"), "{}", notes[0].1);
        assert_eq!(notes[1].0, "表1!R1C2");
        assert!(notes[1].1.contains("未启动"));
        assert_eq!(notes[2].0, "表1!R1C3");
        assert!(ingested
            .notes
            .iter()
            .all(|n| n.code == crate::diag::Code::HiddenSheet && n.level == crate::diag::Level::Warning));
    }

    #[test]
    fn nested_field_results_are_part_of_the_outer_fields_code() {
        let fld = |kind: &str| format!("<w:r><w:fldChar w:fldCharType=\"{kind}\"/></w:r>");
        let instr = |code: &str| format!("<w:r><w:instrText>{code}</w:instrText></w:r>");
        let nested = format!(
            "<w:p>{}{}{}{}{}{}{}{}{}{}{}</w:p>",
            fld("begin"),
            instr(" IF "),
            fld("begin"),
            instr(" =7/20 "),
            fld("separate"),
            run("0.35", ""),
            fld("end"),
            instr(" &gt; 0.5 \"50\" \"35\" "),
            fld("separate"),
            run("35", ""),
            fld("end"),
        );
        let simple = "<w:p><w:r><w:t>第</w:t></w:r><w:fldSimple w:instr=\"PAGE\"><w:r><w:t>3</w:t></w:r></w:fldSimple><w:r><w:t>页</w:t></w:r></w:p>";
        let blocks = read(&(nested + simple)).unwrap();
        let texts: Vec<&str> = paragraphs(&blocks).iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, vec!["35", "第3页"]);
        // An end without a begin, and a begin never ended, lose no later paragraph.
        let blocks = read(&format!("<w:p>{}{}</w:p>{}", fld("end"), run("甲", ""), p("乙"))).unwrap();
        assert_eq!(paragraphs(&blocks)[0].text, "甲");
        let blocks = read(&format!(
            "<w:p>{}{}</w:p>{}",
            fld("begin"),
            run("码", ""),
            p("乙")
        ))
        .unwrap();
        assert_eq!(paragraphs(&blocks)[1].text, "乙");
    }

    #[test]
    fn struck_text_beside_normal_text_is_a_correction() {
        let cell = |runs: String| format!("<w:tc><w:p>{runs}</w:p></w:tc>");
        let table = format!(
            "<w:tbl><w:tr>{}{}{}</w:tr></w:tbl>",
            cell(run("45", "<w:strike/>") + &run(" 60", "")),
            cell(run("推进中", "<w:dstrike/>")),
            cell(run("已完成", "<w:strike w:val=\"false\"/>")),
        );
        let ingested = read_ingested(&table);
        let Content::Document(doc) = &ingested.content else {
            unreachable!()
        };
        let grid = tables(&doc.blocks)[0];
        assert_eq!(grid.cell(0, 0), &CellValue::Text(" 60".into()));
        assert_eq!(grid.cell(0, 1), &CellValue::Text("推进中".into()));
        assert_eq!(grid.cell(0, 2), &CellValue::Text("已完成".into()));
        let notes: Vec<(&str, &str)> = ingested
            .notes
            .iter()
            .map(|n| (n.location.as_deref().unwrap_or(""), n.message.as_str()))
            .collect();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(notes[0].0, "表1!R1C1");
        assert!(
            notes[0].1.contains("“45”") && notes[0].1.contains("“60”"),
            "{}",
            notes[0].1
        );
        assert_eq!(notes[1].0, "表1!R1C2");
        assert!(notes[1].1.contains("全部带删除线"), "{}", notes[1].1);
    }

    #[test]
    fn page_headers_and_footers_are_kept_apart_from_the_body() {
        let rels = r#"<Relationships><Relationship Id="r1" Type="http://x/header" Target="header1.xml"/><Relationship Id="r2" Type="http://x/footer" Target="footer1.xml"/><Relationship Id="r3" Type="http://x/header" Target="http://evil/h.xml" TargetMode="External"/></Relationships>"#;
        let header = format!(
            r#"<w:hdr {NS}>{}{}</w:hdr>"#,
            p("南京市人力资源和社会保障局"),
            p(" ")
        );
        let footer = format!(
            r#"<w:ftr {NS}><w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl></w:ftr>"#,
            p("第1页")
        );
        let bytes = package(&[
            ("word/document.xml", &body(&p("关于试点任务推进情况的报告"))),
            ("word/_rels/document.xml.rels", rels),
            ("word/header1.xml", &header),
            ("word/footer1.xml", &footer),
        ]);
        let Content::Document(doc) = read_document(&bytes, &Limits::default()).unwrap().content else {
            unreachable!()
        };
        assert_eq!(doc.headers, vec!["南京市人力资源和社会保障局", "第1页"]);
        assert_eq!(paragraphs(&doc.blocks).len(), 1);
    }

    #[test]
    fn strict_namespaces_and_entities_are_read() {
        let strict = r#"<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>A&amp;B&#x4E2D;</w:t></w:r></w:p></w:body></w:document>"#;
        let blocks = read_with(&package(&[("word/document.xml", strict)]), &Limits::default()).unwrap();
        assert_eq!(paragraphs(&blocks)[0].text, "A&B中");
    }
}
