//! A small element tree of a WordprocessingML part, built with `quick-xml`: only the elements
//! and attributes the reader uses are kept, deleted text and field instructions are dropped,
//! of run properties only what decides whether text shows (hidden, struck through) is kept,
//! one branch of each `mc:AlternateContent` is kept, DTDs are refused and nesting is capped.
//!
//! Elements are matched by local name, so transitional and strict (ISO) namespaces both work.

use crate::ingest::IngestError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// The elements the reader distinguishes; everything else is [`Tag::Other`] (a transparent
/// container whose children are still read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tag {
    Body,
    P,
    PPr,
    PStyle,
    OutlineLvl,
    NumPr,
    Ilvl,
    NumId,
    R,
    RPr,
    Vanish,
    Strike,
    DStrike,
    FldChar,
    T,
    Tab,
    Br,
    NoBreakHyphen,
    Sym,
    Tbl,
    Tr,
    TrPr,
    GridBefore,
    Tc,
    TcPr,
    GridSpan,
    VMerge,
    TxbxContent,
    Style,
    Name,
    BasedOn,
    AbstractNum,
    Num,
    AbstractNumId,
    Lvl,
    Start,
    NumFmt,
    LvlText,
    IsLgl,
    LvlOverride,
    StartOverride,
    AlternateContent,
    Other,
}

impl Tag {
    fn from_local(name: &str) -> Tag {
        match name {
            "body" => Tag::Body,
            "p" => Tag::P,
            "pPr" => Tag::PPr,
            "pStyle" => Tag::PStyle,
            "outlineLvl" => Tag::OutlineLvl,
            "numPr" => Tag::NumPr,
            "ilvl" => Tag::Ilvl,
            "numId" => Tag::NumId,
            "r" => Tag::R,
            "rPr" => Tag::RPr,
            "vanish" => Tag::Vanish,
            "strike" => Tag::Strike,
            "dstrike" => Tag::DStrike,
            "fldChar" => Tag::FldChar,
            "t" => Tag::T,
            "tab" | "ptab" => Tag::Tab,
            "br" | "cr" => Tag::Br,
            "noBreakHyphen" => Tag::NoBreakHyphen,
            "sym" => Tag::Sym,
            "tbl" => Tag::Tbl,
            "tr" => Tag::Tr,
            "trPr" => Tag::TrPr,
            "gridBefore" => Tag::GridBefore,
            "tc" => Tag::Tc,
            "tcPr" => Tag::TcPr,
            "gridSpan" => Tag::GridSpan,
            "vMerge" => Tag::VMerge,
            "txbxContent" => Tag::TxbxContent,
            "style" => Tag::Style,
            "name" => Tag::Name,
            "basedOn" => Tag::BasedOn,
            "abstractNum" => Tag::AbstractNum,
            "num" => Tag::Num,
            "abstractNumId" => Tag::AbstractNumId,
            "lvl" => Tag::Lvl,
            "start" => Tag::Start,
            "numFmt" => Tag::NumFmt,
            "lvlText" => Tag::LvlText,
            "isLgl" => Tag::IsLgl,
            "lvlOverride" => Tag::LvlOverride,
            "startOverride" => Tag::StartOverride,
            "AlternateContent" => Tag::AlternateContent,
            _ => Tag::Other,
        }
    }
}

/// Subtrees never read: formatting, revisions' old content, field instructions, section
/// properties, pictures, and content-control properties.
const SKIPPED: &[&str] = &[
    "sectPr",
    "del",
    "moveFrom",
    "delText",
    "instrText",
    "delInstrText",
    "tblPr",
    "tblGrid",
    "tblPrEx",
    "pPrChange",
    "rPrChange",
    "tblPrChange",
    "trPrChange",
    "tcPrChange",
    "sectPrChange",
    "numberingChange",
    "sdtPr",
    "sdtEndPr",
    "fldData",
    "pic",
    "blipFill",
    "binData",
    "imagedata",
    "docPr",
    "cNvGraphicFramePr",
    "spPr",
    "bodyPr",
    "rsids",
];

/// The attributes the reader uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Attr {
    Val,
    Type,
    StyleId,
    AbstractNumId,
    NumId,
    Ilvl,
    Default,
    FldCharType,
}

impl Attr {
    fn from_local(name: &str) -> Option<Attr> {
        Some(match name {
            "val" => Attr::Val,
            "type" => Attr::Type,
            "styleId" => Attr::StyleId,
            "abstractNumId" => Attr::AbstractNumId,
            "numId" => Attr::NumId,
            "ilvl" => Attr::Ilvl,
            "default" => Attr::Default,
            "fldCharType" => Attr::FldCharType,
            _ => return None,
        })
    }
}

/// One kept element.
#[derive(Debug, Clone)]
pub(super) struct Node {
    /// What the element is.
    pub tag: Tag,
    /// The kept attributes.
    pub attrs: Vec<(Attr, Box<str>)>,
    /// Child elements in order.
    pub children: Vec<Node>,
    /// Character data (kept for `w:t` only).
    pub text: String,
}

impl Node {
    fn new(tag: Tag, attrs: Vec<(Attr, Box<str>)>) -> Node {
        Node {
            tag,
            attrs,
            children: Vec::new(),
            text: String::new(),
        }
    }

    /// An attribute's value.
    pub fn attr(&self, attr: Attr) -> Option<&str> {
        self.attrs.iter().find(|(a, _)| *a == attr).map(|(_, v)| &**v)
    }

    /// `w:val`.
    pub fn val(&self) -> Option<&str> {
        self.attr(Attr::Val)
    }

    /// The first child with `tag`.
    pub fn child(&self, tag: Tag) -> Option<&Node> {
        self.children.iter().find(|c| c.tag == tag)
    }

    /// The `w:val` of the first child with `tag`.
    pub fn child_val(&self, tag: Tag) -> Option<&str> {
        self.child(tag).and_then(Node::val)
    }

    /// A toggle property (`w:vanish`, `w:strike`): on unless its `w:val` says off.
    pub fn is_on(&self) -> bool {
        !matches!(self.val(), Some("0" | "false" | "off"))
    }

    /// The first element with `tag` in this subtree (depth-first, including self).
    pub fn find(&self, tag: Tag) -> Option<&Node> {
        if self.tag == tag {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(tag))
    }
}

/// Parses one part into its root element. `part` names it in error messages; at most
/// `max_nodes` elements are kept.
pub(super) fn parse(text: &str, part: &str, max_depth: usize, max_nodes: u64) -> Result<Node, IngestError> {
    let mut builder = Builder {
        nodes_left: max_nodes,
        stack: Vec::new(),
        alternates: Vec::new(),
        skip: 0,
        root: None,
        max_depth: max_depth.max(1),
        part,
    };
    let mut reader = Reader::from_str(text);
    loop {
        let event = reader.read_event().map_err(|e| builder.corrupt(&e.to_string()))?;
        if !builder.handle(event)? {
            break;
        }
    }
    builder.finish()
}

struct Builder<'p> {
    /// Open kept elements.
    stack: Vec<Node>,
    /// For each open `AlternateContent`: whether a branch has been taken.
    alternates: Vec<bool>,
    /// Depth inside a skipped subtree (0 when not skipping).
    skip: usize,
    root: Option<Node>,
    max_depth: usize,
    part: &'p str,
    /// Elements that may still be kept.
    nodes_left: u64,
}

impl Builder<'_> {
    /// Handles one event; false at the end of the document.
    fn handle(&mut self, event: Event) -> Result<bool, IngestError> {
        match event {
            Event::Start(e) => self.start(&e)?,
            Event::Empty(e) => self.empty(&e)?,
            Event::End(_) => self.end(),
            Event::Text(t) => self.text(&t.xml10_content()),
            Event::CData(t) => {
                let raw = t.into_inner();
                self.text(&raw);
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => predefined_entity(&r),
                    Err(_) => return Err(self.corrupt("字符引用无效")),
                };
                if let Some(c) = resolved {
                    self.text(c.encode_utf8(&mut [0; 4]));
                }
            }
            Event::DocType(_) => {
                return Err(IngestError::unreadable(format!(
                    "文档部件 {} 含有 DTD 声明，出于安全原因不予读取",
                    self.part
                )))
            }
            Event::Eof => return Ok(false),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
        Ok(true)
    }

    fn depth(&self) -> usize {
        self.stack.len() + self.skip
    }

    fn check_depth(&self) -> Result<(), IngestError> {
        if self.depth() >= self.max_depth {
            return Err(IngestError::unreadable(format!(
                "文档部件 {} 的结构嵌套过深（超过 {} 层），可能已损坏",
                self.part, self.max_depth
            )));
        }
        Ok(())
    }

    fn count_node(&mut self) -> Result<(), IngestError> {
        if self.nodes_left == 0 {
            return Err(IngestError::unreadable(format!(
                "文档部件 {} 的元素过多，超过读取上限",
                self.part
            )));
        }
        self.nodes_left -= 1;
        Ok(())
    }

    fn start(&mut self, e: &BytesStart) -> Result<(), IngestError> {
        self.check_depth()?;
        if self.skip > 0 {
            self.skip += 1;
            return Ok(());
        }
        let local = e.local_name();
        let name = local.as_ref();
        if self.should_skip(name) {
            self.skip = 1;
            return Ok(());
        }
        if name == "AlternateContent" {
            self.alternates.push(false);
        }
        self.count_node()?;
        let node = Node::new(Tag::from_local(name), self.attrs(e)?);
        self.stack.push(node);
        Ok(())
    }

    fn empty(&mut self, e: &BytesStart) -> Result<(), IngestError> {
        if self.skip > 0 {
            return Ok(());
        }
        let local = e.local_name();
        let name = local.as_ref();
        if SKIPPED.contains(&name) || name == "AlternateContent" || self.unused_run_property(name) {
            return Ok(());
        }
        self.count_node()?;
        let node = Node::new(Tag::from_local(name), self.attrs(e)?);
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => self.root = Some(node),
        }
        Ok(())
    }

    /// True for a skipped element, and for the `mc:Choice`/`mc:Fallback` branches after the
    /// first one of their `AlternateContent`.
    fn should_skip(&mut self, name: &str) -> bool {
        if SKIPPED.contains(&name) || self.unused_run_property(name) {
            return true;
        }
        if name != "Choice" && name != "Fallback" {
            return false;
        }
        match self.alternates.last_mut() {
            Some(taken) if *taken => true,
            Some(taken) => {
                *taken = true;
                false
            }
            None => false,
        }
    }

    /// A run property other than the ones that decide whether text shows: not kept.
    fn unused_run_property(&self, name: &str) -> bool {
        self.stack.last().is_some_and(|parent| parent.tag == Tag::RPr)
            && !matches!(name, "vanish" | "strike" | "dstrike")
    }

    fn end(&mut self) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        let Some(node) = self.stack.pop() else {
            return;
        };
        if node.tag == Tag::AlternateContent {
            self.alternates.pop();
        }
        match self.stack.last_mut() {
            Some(parent) => parent.children.push(node),
            None => self.root = Some(node),
        }
    }

    fn text(&mut self, text: &str) {
        if self.skip > 0 {
            return;
        }
        if let Some(node) = self.stack.last_mut() {
            if node.tag == Tag::T {
                node.text.push_str(text);
            }
        }
    }

    fn attrs(&self, e: &BytesStart) -> Result<Vec<(Attr, Box<str>)>, IngestError> {
        let mut out = Vec::new();
        for attr in e.attributes().with_checks(false) {
            let attr = attr.map_err(|err| self.corrupt(&err.to_string()))?;
            let key = attr.key.local_name();
            if let Some(kind) = Attr::from_local(key.as_ref()) {
                let value = attr
                    .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .map_err(|err| self.corrupt(&err.to_string()))?;
                out.push((kind, value.into_owned().into_boxed_str()));
            }
        }
        Ok(out)
    }

    fn corrupt(&self, detail: &str) -> IngestError {
        IngestError::unreadable(format!(
            "文档部件 {} 已损坏或不完整（{detail}），可能未完整保存",
            self.part
        ))
    }

    fn finish(self) -> Result<Node, IngestError> {
        if !self.stack.is_empty() || self.skip > 0 {
            return Err(self.corrupt("文档在结尾处被截断"));
        }
        let missing = self.corrupt("没有任何内容");
        self.root.ok_or(missing)
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}
