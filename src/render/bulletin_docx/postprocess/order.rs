//! Schema order for the property containers docx-rs writes out of sequence (`w:rPr` with
//! `w:sz` before `w:rFonts`, `w:pPr` with `w:jc` before `w:ind`, styles with `w:rPr` before
//! `w:pPr`…). ECMA-376 defines these as sequences; Word may drop properties that come out of
//! order and strict consumers reject them. Children are stably sorted by their rank in the
//! container's sequence (unknown children keep their order, last); empty `w:rPr` is removed,
//! and so are attributes the schema does not define ([`UNDEFINED_ATTRIBUTES`]).

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, Writer};

use super::PostprocessError;

/// Child sequences of the containers the bulletin uses (ECMA-376 Part 1, transitional).
const SEQUENCES: &[(&str, &[&str])] = &[
    (
        "w:rPr",
        &[
            "w:rStyle",
            "w:rFonts",
            "w:b",
            "w:bCs",
            "w:i",
            "w:iCs",
            "w:caps",
            "w:smallCaps",
            "w:strike",
            "w:dstrike",
            "w:outline",
            "w:shadow",
            "w:emboss",
            "w:imprint",
            "w:noProof",
            "w:snapToGrid",
            "w:vanish",
            "w:webHidden",
            "w:color",
            "w:spacing",
            "w:w",
            "w:kern",
            "w:position",
            "w:sz",
            "w:szCs",
            "w:highlight",
            "w:u",
            "w:effect",
            "w:bdr",
            "w:shd",
            "w:fitText",
            "w:vertAlign",
            "w:rtl",
            "w:cs",
            "w:em",
            "w:lang",
            "w:eastAsianLayout",
            "w:specVanish",
            "w:oMath",
            "w:rPrChange",
        ],
    ),
    (
        "w:pPr",
        &[
            "w:pStyle",
            "w:keepNext",
            "w:keepLines",
            "w:pageBreakBefore",
            "w:framePr",
            "w:widowControl",
            "w:numPr",
            "w:suppressLineNumbers",
            "w:pBdr",
            "w:shd",
            "w:tabs",
            "w:suppressAutoHyphens",
            "w:kinsoku",
            "w:wordWrap",
            "w:overflowPunct",
            "w:topLinePunct",
            "w:autoSpaceDE",
            "w:autoSpaceDN",
            "w:bidi",
            "w:adjustRightInd",
            "w:snapToGrid",
            "w:spacing",
            "w:ind",
            "w:contextualSpacing",
            "w:mirrorIndents",
            "w:suppressOverlap",
            "w:jc",
            "w:textDirection",
            "w:textAlignment",
            "w:textboxTightWrap",
            "w:outlineLvl",
            "w:divId",
            "w:cnfStyle",
            "w:rPr",
            "w:sectPr",
            "w:pPrChange",
        ],
    ),
    (
        "w:pBdr",
        &["w:top", "w:left", "w:bottom", "w:right", "w:between", "w:bar"],
    ),
    (
        "w:style",
        &[
            "w:name",
            "w:aliases",
            "w:basedOn",
            "w:next",
            "w:link",
            "w:autoRedefine",
            "w:hidden",
            "w:uiPriority",
            "w:semiHidden",
            "w:unhideWhenUsed",
            "w:qFormat",
            "w:locked",
            "w:personal",
            "w:personalCompose",
            "w:personalReply",
            "w:rsid",
            "w:pPr",
            "w:rPr",
            "w:tblPr",
            "w:trPr",
            "w:tcPr",
            "w:tblStylePr",
        ],
    ),
    (
        "w:tblPr",
        &[
            "w:tblStyle",
            "w:tblpPr",
            "w:tblOverlap",
            "w:bidiVisual",
            "w:tblStyleRowBandSize",
            "w:tblStyleColBandSize",
            "w:tblW",
            "w:jc",
            "w:tblCellSpacing",
            "w:tblInd",
            "w:tblBorders",
            "w:shd",
            "w:tblLayout",
            "w:tblCellMar",
            "w:tblLook",
            "w:tblCaption",
            "w:tblDescription",
        ],
    ),
    (
        "w:tblBorders",
        &[
            "w:top",
            "w:left",
            "w:start",
            "w:bottom",
            "w:right",
            "w:end",
            "w:insideH",
            "w:insideV",
        ],
    ),
    (
        "w:tblCellMar",
        &["w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end"],
    ),
    (
        "w:tcPr",
        &[
            "w:cnfStyle",
            "w:tcW",
            "w:gridSpan",
            "w:hMerge",
            "w:vMerge",
            "w:tcBorders",
            "w:shd",
            "w:noWrap",
            "w:tcMar",
            "w:textDirection",
            "w:tcFitText",
            "w:vAlign",
            "w:hideMark",
        ],
    ),
    (
        "w:tcBorders",
        &[
            "w:top",
            "w:left",
            "w:start",
            "w:bottom",
            "w:right",
            "w:end",
            "w:insideH",
            "w:insideV",
            "w:tl2br",
            "w:tr2bl",
        ],
    ),
    (
        "w:sectPr",
        &[
            "w:headerReference",
            "w:footerReference",
            "w:footnotePr",
            "w:endnotePr",
            "w:type",
            "w:pgSz",
            "w:pgMar",
            "w:paperSrc",
            "w:pgBorders",
            "w:lnNumType",
            "w:pgNumType",
            "w:cols",
            "w:formProt",
            "w:vAlign",
            "w:noEndnote",
            "w:titlePg",
            "w:textDirection",
            "w:bidi",
            "w:rtlGutter",
            "w:docGrid",
            "w:printerSettings",
            "w:sectPrChange",
        ],
    ),
    (
        "w:settings",
        &[
            "w:writeProtection",
            "w:view",
            "w:zoom",
            "w:removePersonalInformation",
            "w:removeDateAndTime",
            "w:doNotDisplayPageBoundaries",
            "w:displayBackgroundShape",
            "w:printPostScriptOverText",
            "w:printFractionalCharacterWidth",
            "w:printFormsData",
            "w:embedTrueTypeFonts",
            "w:embedSystemFonts",
            "w:saveSubsetFonts",
            "w:saveFormsData",
            "w:mirrorMargins",
            "w:alignBordersAndEdges",
            "w:bordersDoNotSurroundHeader",
            "w:bordersDoNotSurroundFooter",
            "w:gutterAtTop",
            "w:hideSpellingErrors",
            "w:hideGrammaticalErrors",
            "w:activeWritingStyle",
            "w:proofState",
            "w:formsDesign",
            "w:attachedTemplate",
            "w:linkStyles",
            "w:stylePaneFormatFilter",
            "w:stylePaneSortMethod",
            "w:documentType",
            "w:mailMerge",
            "w:revisionView",
            "w:trackRevisions",
            "w:doNotTrackMoves",
            "w:doNotTrackFormatting",
            "w:documentProtection",
            "w:autoFormatOverride",
            "w:styleLockTheme",
            "w:styleLockQFSet",
            "w:defaultTabStop",
            "w:autoHyphenation",
            "w:consecutiveHyphenLimit",
            "w:hyphenationZone",
            "w:doNotHyphenateCaps",
            "w:showEnvelope",
            "w:summaryLength",
            "w:clickAndTypeStyle",
            "w:defaultTableStyle",
            "w:evenAndOddHeaders",
            "w:bookFoldRevPrinting",
            "w:bookFoldPrinting",
            "w:bookFoldPrintingSheets",
            "w:drawingGridHorizontalSpacing",
            "w:drawingGridVerticalSpacing",
            "w:displayHorizontalDrawingGridEvery",
            "w:displayVerticalDrawingGridEvery",
            "w:doNotUseMarginsForDrawingGridOrigin",
            "w:drawingGridHorizontalOrigin",
            "w:drawingGridVerticalOrigin",
            "w:doNotShadeFormData",
            "w:noPunctuationKerning",
            "w:characterSpacingControl",
            "w:printTwoOnOne",
            "w:strictFirstAndLastChars",
            "w:noLineBreaksAfter",
            "w:noLineBreaksBefore",
            "w:savePreviewPicture",
            "w:doNotValidateAgainstSchema",
            "w:saveInvalidXml",
            "w:ignoreMixedContent",
            "w:alwaysShowPlaceholderText",
            "w:doNotDemarcateInvalidXml",
            "w:saveXmlDataOnly",
            "w:useXSLTWhenSaving",
            "w:saveThroughXslt",
            "w:showXMLTags",
            "w:alwaysMergeEmptyNamespace",
            "w:updateFields",
            "w:hdrShapeDefaults",
            "w:footnotePr",
            "w:endnotePr",
            "w:compat",
            "w:docVars",
            "w:rsids",
            "m:mathPr",
            "w:attachedSchema",
            "w:themeFontLang",
            "w:clrSchemeMapping",
            "w:doNotIncludeSubdocsInStats",
            "w:doNotAutoCompressPictures",
            "w:forceUpgrade",
            "w:captions",
            "w:readModeInkLockDown",
            "w:smartTagType",
            "sl:schemaLibrary",
            "w:shapeDefaults",
            "w:doNotEmbedSmartTags",
            "w:decimalSymbol",
            "w:listSeparator",
            "w14:docId",
            "w15:docId",
        ],
    ),
];

/// Attributes docx-rs writes that the schema does not define: (element, attribute).
const UNDEFINED_ATTRIBUTES: &[(&str, &str)] = &[("w:gridCol", "w:type")];

/// A parsed XML node: an element with its children, or any other event.
enum Node {
    Element {
        start: BytesStart<'static>,
        children: Vec<Node>,
    },
    Other(Event<'static>),
}

impl Node {
    fn name(&self) -> Option<String> {
        match self {
            Node::Element { start, .. } => Some(start.name().as_ref().to_string()),
            Node::Other(_) => None,
        }
    }
}

/// Puts the children of every known container in schema order and drops empty `w:rPr`.
pub fn canonical(xml: &str) -> Result<String, PostprocessError> {
    let mut nodes = parse(xml)?;
    for node in &mut nodes {
        reorder(node);
    }
    let mut writer = Writer::new(Vec::new());
    for node in nodes {
        write(&mut writer, node)?;
    }
    Ok(String::from_utf8(writer.into_inner())?)
}

fn parse(xml: &str) -> Result<Vec<Node>, PostprocessError> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().trim_text(false);
    // Open elements with the children collected so far; the root level is the last entry.
    let mut stack: Vec<(Option<BytesStart<'static>>, Vec<Node>)> = vec![(None, Vec::new())];
    loop {
        let event = reader.read_event()?;
        match event {
            Event::Eof => break,
            Event::Start(e) => stack.push((Some(e.into_owned()), Vec::new())),
            Event::Empty(e) => push(
                &mut stack,
                Node::Element {
                    start: e.into_owned(),
                    children: Vec::new(),
                },
            ),
            Event::End(_) => {
                let (Some(start), children) =
                    stack.pop().ok_or(PostprocessError::Malformed("XML 结构不完整"))?
                else {
                    return Err(PostprocessError::Malformed("XML 结束标记多余"));
                };
                push(&mut stack, Node::Element { start, children });
            }
            other => push(&mut stack, Node::Other(other.into_owned())),
        }
    }
    match stack.pop() {
        Some((None, nodes)) if stack.is_empty() => Ok(nodes),
        _ => Err(PostprocessError::Malformed("XML 元素未闭合")),
    }
}

fn push(stack: &mut [(Option<BytesStart<'static>>, Vec<Node>)], node: Node) {
    if let Some((_, children)) = stack.last_mut() {
        children.push(node);
    }
}

fn reorder(node: &mut Node) {
    let Node::Element { start, children } = node else {
        return;
    };
    children.retain(|c| !is_empty_run_properties(c));
    drop_undefined_attributes(start);
    for child in children.iter_mut() {
        reorder(child);
    }
    let name = start.name().as_ref().to_string();
    if let Some((_, sequence)) = SEQUENCES.iter().find(|(n, _)| *n == name) {
        let rank = |child: &Node| {
            child
                .name()
                .and_then(|n| sequence.iter().position(|s| *s == n))
                .unwrap_or(sequence.len())
        };
        children.sort_by_key(rank);
    }
}

fn drop_undefined_attributes(start: &mut BytesStart<'static>) {
    let name = start.name().as_ref().to_string();
    let undefined: Vec<&str> = UNDEFINED_ATTRIBUTES
        .iter()
        .filter(|(element, _)| *element == name)
        .map(|(_, attribute)| *attribute)
        .collect();
    if undefined.is_empty() {
        return;
    }
    let kept: Vec<(String, String)> = start
        .attributes()
        .flatten()
        .map(|a| (a.key.as_ref().to_string(), a.value.into_owned()))
        .filter(|(k, _)| !undefined.contains(&k.as_str()))
        .collect();
    let mut rebuilt = BytesStart::new(name);
    for (k, v) in &kept {
        rebuilt.push_attribute((k.as_str(), v.as_str()));
    }
    *start = rebuilt;
}

fn is_empty_run_properties(node: &Node) -> bool {
    matches!(node, Node::Element { start, children }
        if start.name().as_ref() == "w:rPr"
            && start.attributes().next().is_none()
            && children.iter().all(|c| matches!(c, Node::Other(Event::Text(_)))))
}

fn write(writer: &mut Writer<Vec<u8>>, node: Node) -> Result<(), PostprocessError> {
    let result = match node {
        Node::Other(event) => writer.write_event(event),
        Node::Element { start, children } if children.is_empty() => writer.write_event(Event::Empty(start)),
        Node::Element { start, children } => {
            let end = start.to_end().into_owned();
            writer.write_event(Event::Start(start))?;
            for child in children {
                write(writer, child)?;
            }
            writer.write_event(Event::End(end))
        }
    };
    Ok(result?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_and_paragraph_properties_follow_the_schema() {
        let xml = concat!(
            r#"<w:p><w:pPr><w:rPr /><w:jc w:val="both" /><w:ind w:left="0"/>"#,
            r#"<w:spacing w:line="579" /><w:keepNext /><w:tabs><w:tab w:pos="9"/><w:tab w:pos="1"/></w:tabs></w:pPr>"#,
            r#"<w:r><w:rPr><w:sz w:val="32" /><w:color w:val="FF0000" /><w:rFonts w:eastAsia="黑体" /><w:spacing w:val="-5" /></w:rPr><w:t xml:space="preserve">字 </w:t></w:r></w:p>"#
        );
        let out = canonical(xml).unwrap();
        assert_eq!(
            out,
            concat!(
                r#"<w:p><w:pPr><w:keepNext /><w:tabs><w:tab w:pos="9"/><w:tab w:pos="1"/></w:tabs>"#,
                r#"<w:spacing w:line="579" /><w:ind w:left="0"/><w:jc w:val="both" /></w:pPr>"#,
                r#"<w:r><w:rPr><w:rFonts w:eastAsia="黑体" /><w:color w:val="FF0000" /><w:spacing w:val="-5" /><w:sz w:val="32" /></w:rPr><w:t xml:space="preserve">字 </w:t></w:r></w:p>"#
            )
        );
    }

    #[test]
    fn styles_put_paragraph_before_run_properties() {
        let xml = r#"<w:styles><w:style w:styleId="A"><w:name w:val="A" /><w:rPr><w:sz w:val="1"/></w:rPr><w:pPr><w:rPr /><w:jc w:val="left"/></w:pPr><w:next w:val="B"/><w:qFormat /><w:basedOn w:val="N"/></w:style></w:styles>"#;
        let out = canonical(xml).unwrap();
        assert_eq!(
            out,
            r#"<w:styles><w:style w:styleId="A"><w:name w:val="A" /><w:basedOn w:val="N"/><w:next w:val="B"/><w:qFormat /><w:pPr><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="1"/></w:rPr></w:style></w:styles>"#
        );
    }

    #[test]
    fn settings_and_sections_are_ordered_and_malformed_xml_is_an_error() {
        let xml = r#"<w:settings><w:defaultTabStop w:val="840" /><w:zoom w:percent="100" /><w:compat/><w:evenAndOddHeaders /></w:settings>"#;
        assert_eq!(
            canonical(xml).unwrap(),
            r#"<w:settings><w:zoom w:percent="100" /><w:defaultTabStop w:val="840" /><w:evenAndOddHeaders /><w:compat/></w:settings>"#
        );
        let sect = r#"<w:sectPr><w:pgMar w:top="1"/><w:pgSz w:w="2"/><w:footerReference w:type="even"/><w:docGrid/><w:footerReference w:type="default"/></w:sectPr>"#;
        assert_eq!(
            canonical(sect).unwrap(),
            r#"<w:sectPr><w:footerReference w:type="even"/><w:footerReference w:type="default"/><w:pgSz w:w="2"/><w:pgMar w:top="1"/><w:docGrid/></w:sectPr>"#
        );
        assert_eq!(
            canonical(r#"<w:tblGrid><w:gridCol w:w="700" w:type="dxa" /></w:tblGrid>"#).unwrap(),
            r#"<w:tblGrid><w:gridCol w:w="700"/></w:tblGrid>"#
        );
        assert!(canonical("<a><b></a>").is_err());
        assert!(canonical("<a>").is_err());
    }
}
