//! Paragraph styles from `word/styles.xml`: id → name, and the outline level and numbering a
//! style gives its paragraphs (inherited through `w:basedOn`).

use super::xml::{Attr, Node, Tag};
use std::collections::HashMap;

/// Most `basedOn` links followed (stops cycles).
const MAX_CHAIN: usize = 16;

/// A numbering reference (`w:numPr`): either part may be missing and inherited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct NumRef {
    /// `w:numId` (0 removes numbering).
    pub num_id: Option<u32>,
    /// `w:ilvl`.
    pub ilvl: Option<u8>,
}

impl NumRef {
    /// Reads a `w:numPr` element.
    pub fn from_node(num_pr: &Node) -> NumRef {
        NumRef {
            num_id: num_pr.child_val(Tag::NumId).and_then(|v| v.trim().parse().ok()),
            ilvl: num_pr.child_val(Tag::Ilvl).and_then(|v| v.trim().parse().ok()),
        }
    }

    /// Fills missing parts from `other`.
    pub fn or(self, other: NumRef) -> NumRef {
        NumRef {
            num_id: self.num_id.or(other.num_id),
            ilvl: self.ilvl.or(other.ilvl),
        }
    }
}

#[derive(Debug, Clone, Default)]
struct StyleDef {
    name: Option<String>,
    based_on: Option<String>,
    outline: Option<u8>,
    num: NumRef,
}

/// The paragraph styles of a document.
#[derive(Debug, Clone, Default)]
pub(super) struct Styles {
    by_id: HashMap<String, StyleDef>,
    default_paragraph: Option<String>,
}

impl Styles {
    /// Reads the styles part's root element.
    pub fn from_root(root: &Node) -> Styles {
        let mut styles = Styles::default();
        for style in root.children.iter().filter(|c| c.tag == Tag::Style) {
            let Some(id) = style.attr(Attr::StyleId) else {
                continue;
            };
            let is_paragraph = style.attr(Attr::Type).is_none_or(|t| t == "paragraph");
            if is_paragraph && is_on(style.attr(Attr::Default)) {
                styles.default_paragraph = Some(id.to_owned());
            }
            styles.by_id.insert(id.to_owned(), read_style(style));
        }
        styles
    }

    /// The style a paragraph with `pStyle` (or none) has.
    pub fn effective_id<'a>(&'a self, p_style: Option<&'a str>) -> Option<&'a str> {
        p_style.or(self.default_paragraph.as_deref())
    }

    /// The display name of a style id (the id itself when styles.xml does not name it).
    pub fn name(&self, id: &str) -> String {
        self.by_id
            .get(id)
            .and_then(|s| s.name.clone())
            .unwrap_or_else(|| id.to_owned())
    }

    /// The outline level the style (or a style it is based on) gives.
    pub fn outline_level(&self, id: &str) -> Option<u8> {
        self.chain(id).find_map(|s| s.outline)
    }

    /// The numbering the style (or a style it is based on) gives.
    pub fn numbering(&self, id: &str) -> NumRef {
        self.chain(id).fold(NumRef::default(), |acc, s| acc.or(s.num))
    }

    fn chain<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a StyleDef> + 'a {
        let mut next = Some(id);
        std::iter::from_fn(move || {
            let style = self.by_id.get(next?)?;
            next = style.based_on.as_deref();
            Some(style)
        })
        .take(MAX_CHAIN)
    }
}

fn read_style(style: &Node) -> StyleDef {
    let p_pr = style.child(Tag::PPr);
    StyleDef {
        name: style.child_val(Tag::Name).map(str::to_owned),
        based_on: style.child_val(Tag::BasedOn).map(str::to_owned),
        outline: p_pr
            .and_then(|p| p.child_val(Tag::OutlineLvl))
            .and_then(parse_outline),
        num: p_pr
            .and_then(|p| p.child(Tag::NumPr))
            .map(NumRef::from_node)
            .unwrap_or_default(),
    }
}

/// `w:outlineLvl` 0–8; 9 is body text.
pub(super) fn parse_outline(val: &str) -> Option<u8> {
    val.trim().parse::<u8>().ok().filter(|l| *l <= 8)
}

/// An OOXML on/off value (`1`, `true`, `on`).
fn is_on(val: Option<&str>) -> bool {
    matches!(val, Some("1" | "true" | "on"))
}

#[cfg(test)]
mod tests {
    use super::super::xml::parse;
    use super::*;

    const STYLES: &str = r#"<w:styles xmlns:w="w">
      <w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
      <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
        <w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="MyHead"><w:name w:val="我的标题"/><w:basedOn w:val="1"/>
        <w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
      <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
    </w:styles>"#;

    #[test]
    fn resolves_names_levels_and_numbering_through_based_on() {
        let styles = Styles::from_root(&parse(STYLES, "styles", 64, 1000).unwrap());
        assert_eq!(styles.name("1"), "heading 1");
        assert_eq!(styles.name("Unknown"), "Unknown");
        assert_eq!(styles.outline_level("MyHead"), Some(0));
        assert_eq!(styles.numbering("MyHead").num_id, Some(3));
        assert_eq!(styles.effective_id(None), Some("Normal"));
        assert_eq!(styles.outline_level("Loop"), None);
    }
}
