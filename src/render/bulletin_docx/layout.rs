//! docx-rs construction of the bulletin: page setup, styles, the 报头 (简报) or 版头 (通报),
//! the body blocks, data tables, the 报尾 / 版记 and the odd/even page-number footers. What
//! docx-rs cannot write is left to [`super::postprocess`].
//!
//! The word processor places what depends on where lines fall: the 报尾 is a table anchored at
//! the foot of the 版心 (`w:tblpPr w:vertAnchor="margin" w:tblpYSpec="bottom"`), either under
//! the body on the body's last page (when [`placement`] is sure that page is even and has
//! room) or in a last section that starts on the next even page (`w:type="evenPage"`), whose
//! footer is empty unless no blank page can come before it (GB/T 9704 7.5). Body paragraphs
//! get the character spacing that keeps their last line longer than two characters, and the
//! office/date lines are fitted to one line by the fonts' metrics ([`super::metrics`]).

use super::blocks::Block;
use super::data::{BulletinData, TableData};
use super::measure::{self, End, Flow};
use super::metrics::{self, Latin, LATIN_METRICS};
use super::style::{self as s, Face, Look};
use crate::config::{BulletinKind, Config, FontProfile};
use docx_rs::{
    AlignmentType, BorderType, BreakType, DocGrid, DocGridType, Docx, FieldCharType, Footer, FooterReference,
    InstrPAGE, InstrText, PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders,
    Run, SectionProperty, SectionType, SpecialIndentType, Style, StyleType, Tab, TabValueType, Table,
    TableBorder, TableBorderPosition, TableBorders, TableCell, TableCellBorder, TableCellBorderPosition,
    TableCellBorders, TableCellMargins, TableLayoutType, TablePositionProperty, TableRow, VAlignType,
    WidthType,
};
use std::collections::BTreeMap;

/// The table style marking data tables; [`super::postprocess`] repeats their first row.
pub const DATA_TABLE_STYLE: &str = "DataTable";

/// Line height of table cells (exact 20 pt).
const CELL_LINE: u32 = 400;
/// Top and bottom cell margins of data tables.
const CELL_MARGIN_V: usize = 40;
/// Left and right cell margins of data tables.
const CELL_MARGIN_H: usize = 57;
/// Line height of the 简报名称 / 发文机关标志.
const MASTHEAD_LINE: u32 = 1400;
/// Line height of the title (exact 35 pt).
const TITLE_LINE: u32 = 700;
/// Height the 报尾 rules and their spacing add.
const COLOPHON_RULES: u32 = 80;
/// Room the estimate must leave beyond the 报尾 for it to go under the body (two lines).
const FIT_MARGIN: u32 = 2 * s::LINE;
/// Height the body must use on its last page for the estimate to be sure of that page (two
/// lines): a body ending higher might end a page earlier in the render.
const PAGE_MARGIN: u32 = 2 * s::LINE;
/// Line height of the invisible paragraphs that start the 报尾 section and anchor its table.
const TINY_LINE: u32 = 20;
/// The narrowest condensing of an office name before the configured short name is used.
const MIN_NAME_SCALE: i32 = 80;
/// Relationship id of the odd-page number footer (docx-rs numbers footers as added).
const FOOTER_ODD: &str = "rIdFooter1";
/// Relationship id of the even-page number footer.
const FOOTER_EVEN: &str = "rIdFooter2";
/// Relationship id of the footer of the 报尾 section.
const FOOTER_COLOPHON: &str = "rIdFooter3";
/// Line height of the page number (18 pt).
const FOOTER_LINE: u32 = 360;
/// Room between the footer distance and the 版心 bottom (1984 − 1418 twips, less a little).
const FOOTER_ROOM: u32 = 560;

/// Everything the layout reads.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The template's data.
    pub data: &'a BulletinData,
    /// The rendered body.
    pub blocks: &'a [Block],
    /// Data tables by name.
    pub tables: &'a BTreeMap<&'static str, TableData>,
    /// The configuration (office, bulletin settings).
    pub config: &'a Config,
    /// `dcterms:created`, e.g. `2024-07-10T09:00:00Z`.
    pub created: &'a str,
}

/// A piece of the document.
enum Element {
    Paragraph(Box<Paragraph>),
    Table(Box<Table>),
}

/// Collects the document's pieces in order with their estimated heights under each of
/// [`LATIN_METRICS`].
struct Builder {
    profile: FontProfile,
    elements: Vec<Element>,
    flows: [Vec<Flow>; 2],
    break_next: bool,
}

impl Builder {
    fn new(profile: FontProfile) -> Builder {
        Builder {
            profile,
            elements: Vec::new(),
            flows: [Vec::new(), Vec::new()],
            break_next: false,
        }
    }

    /// Adds a paragraph whose height does not depend on the Latin metrics.
    fn paragraph(&mut self, p: Paragraph, flow: Flow) {
        self.paragraph_each(p, [flow.clone(), flow]);
    }

    /// Adds a paragraph with its height under each of [`LATIN_METRICS`].
    fn paragraph_each(&mut self, mut p: Paragraph, flows: [Flow; 2]) {
        if std::mem::take(&mut self.break_next) {
            p = p.page_break_before(true);
            self.push_flows([Flow::Break, Flow::Break]);
        }
        self.elements.push(Element::Paragraph(Box::new(p)));
        self.push_flows(flows);
    }

    fn table(&mut self, t: Table, flows: [Flow; 2]) {
        if std::mem::take(&mut self.break_next) {
            self.paragraph(s::plain_paragraph(AlignmentType::Left, 20), Flow::line(20));
        }
        self.elements.push(Element::Table(Box::new(t)));
        self.push_flows(flows);
    }

    fn push_flows(&mut self, flows: [Flow; 2]) {
        for (all, flow) in self.flows.iter_mut().zip(flows) {
            all.push(flow);
        }
    }

    fn blank(&mut self) {
        self.paragraph(
            s::plain_paragraph(AlignmentType::Left, s::LINE),
            Flow::line(s::LINE),
        );
    }

    fn run(&self, text: &str, look: Look) -> Run {
        s::run(text, look, self.profile)
    }

    /// Where the body ends under each of [`LATIN_METRICS`].
    fn ends(&self) -> [End; 2] {
        [measure::end_of(&self.flows[0]), measure::end_of(&self.flows[1])]
    }
}

/// Where the 报尾 goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// At the foot of the body's last page: an even page with room under the body.
    UnderBody,
    /// In a last section starting on the next even page; `numbered` when no blank page can
    /// come before it (the body certainly ends on an odd page), else its footers are empty.
    NextEvenPage {
        /// Whether the 报尾 page carries its page number.
        numbered: bool,
    },
}

/// Decides where a 报尾 of `height` twips goes after a body ending at `ends` (one estimate
/// per Latin metric). Conservative: under the body only when every estimate puts the body's
/// end on the same even page, at least [`PAGE_MARGIN`] down it and with [`FIT_MARGIN`] to
/// spare under the 报尾 — an estimate that is off then costs at worst a blank page (which
/// 7.5 allows, unnumbered) but never a 报尾 on an odd page.
pub fn placement(ends: &[End], height: u32) -> Placement {
    let Some(first) = ends.first() else {
        return Placement::NextEvenPage { numbered: false };
    };
    let agree = ends.iter().all(|e| e.page == first.page);
    let sure = |e: &End| e.used >= PAGE_MARGIN && e.used + PAGE_MARGIN <= s::TEXT_HEIGHT;
    let room = |e: &End| e.used + height + FIT_MARGIN <= s::TEXT_HEIGHT;
    let even = first.page.is_multiple_of(2);
    if agree && even && ends.iter().all(|e| sure(e) && room(e)) {
        Placement::UnderBody
    } else {
        Placement::NextEvenPage {
            numbered: agree && !even && ends.iter().all(sure),
        }
    }
}

/// Builds the bulletin document.
pub fn document(inputs: &Inputs) -> Docx {
    let profile = inputs.config.bulletin.fonts;
    let kind = inputs.config.bulletin.kind;
    let mut b = Builder::new(profile);
    match kind {
        BulletinKind::Briefing => briefing_header(&mut b, inputs),
        BulletinKind::Circular => circular_header(&mut b, inputs),
    }
    body(&mut b, inputs);
    if kind == BulletinKind::Circular {
        signature(&mut b, inputs.data);
    }
    let (table, height) = colophon(&b, inputs);
    let placement = placement(&b.ends(), height);
    assemble(b, table, placement, inputs)
}

/// An empty document with the bulletin's page (A4, 版心 margins, 22 lines on the grid), body
/// font and size, page-number footers (odd right, even left) and styles; shared by the
/// bulletin and the 催报通知.
fn page_setup(profile: FontProfile, created: &str) -> Docx {
    let mut docx = Docx::new()
        .page_size(s::PAGE_WIDTH, s::PAGE_HEIGHT)
        .page_margin(PageMargin {
            top: s::MARGIN_TOP,
            left: s::MARGIN_LEFT,
            bottom: s::MARGIN_BOTTOM,
            right: s::MARGIN_RIGHT,
            header: s::HEADER_DISTANCE,
            footer: s::FOOTER_DISTANCE,
            gutter: 0,
        })
        .default_fonts(s::fonts(Face::FangSong, profile))
        .default_size(s::SIZE_3)
        .created_at(created)
        .updated_at(created)
        .footer(page_number_footer(true, profile))
        .even_footer(page_number_footer(false, profile));
    docx.document = docx.document.doc_grid(
        DocGrid::with_empty()
            .grid_type(DocGridType::Lines)
            .line_pitch(s::LINE as usize),
    );
    for style in styles(profile) {
        docx = docx.add_style(style);
    }
    docx
}

/// Page setup, styles, footers, then the pieces, with the 报尾 placed as `placement` says.
fn assemble(mut b: Builder, colophon: Table, placement: Placement, inputs: &Inputs) -> Docx {
    let profile = b.profile;
    let mut docx = page_setup(profile, inputs.created);
    match placement {
        Placement::UnderBody => {}
        Placement::NextEvenPage { numbered } => {
            end_body_section(&mut b, docx.document.section_property.clone());
            b.elements.push(Element::Paragraph(Box::new(tiny_paragraph())));
            docx = last_section(docx, numbered, profile);
        }
    }
    b.elements.push(Element::Table(Box::new(colophon)));
    b.elements.push(Element::Paragraph(Box::new(tiny_paragraph())));
    for element in b.elements {
        docx = match element {
            Element::Paragraph(p) => docx.add_paragraph(*p),
            Element::Table(t) => docx.add_table(*t),
        };
    }
    docx
}

/// Ends the body's section with `section` (page setup and page-number footers) in the body's
/// last paragraph, or in an invisible paragraph after a closing table.
fn end_body_section(b: &mut Builder, section: SectionProperty) {
    if !matches!(b.elements.last(), Some(Element::Paragraph(_))) {
        b.elements.push(Element::Paragraph(Box::new(tiny_paragraph())));
    }
    if let Some(Element::Paragraph(p)) = b.elements.last_mut() {
        p.property = p.property.clone().section_property(section);
    }
}

/// Makes the document's last section (the 报尾's) start on an even page, with the
/// [`colophon_footer`].
fn last_section(mut docx: Docx, numbered: bool, profile: FontProfile) -> Docx {
    docx = docx.first_footer(colophon_footer(numbered, profile));
    let section = &mut docx.document.section_property;
    section.footer_reference = Some(FooterReference::new("default", FOOTER_COLOPHON));
    section.even_footer_reference = Some(FooterReference::new("even", FOOTER_COLOPHON));
    section.first_footer_reference = None;
    section.title_pg = false;
    section.section_type = Some(SectionType::EvenPage);
    debug_assert_eq!(section.footer.as_ref().map(|f| f.0.as_str()), Some(FOOTER_ODD));
    debug_assert_eq!(
        section.even_footer.as_ref().map(|f| f.0.as_str()),
        Some(FOOTER_EVEN)
    );
    docx
}

/// An invisible paragraph (1 pt high): starts the 报尾 section, anchors its table, and carries
/// the body's section properties after a closing table.
fn tiny_paragraph() -> Paragraph {
    s::plain_paragraph(AlignmentType::Left, TINY_LINE).size(2)
}

/// Normal (the body format), the four heading levels, the title and the data-table style.
/// docx-rs also writes an empty Normal first; [`super::postprocess`] removes it.
fn styles(profile: FontProfile) -> Vec<Style> {
    let paragraph = |id: &str, name: &str, face: Face| {
        let mut style = Style::new(id, StyleType::Paragraph)
            .name(name)
            .fonts(s::fonts(face, profile))
            .size(s::SIZE_3)
            .align(AlignmentType::Both)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(s::FIRST_LINE)),
                Some(0),
                None,
            )
            .line_spacing(s::exact(s::LINE));
        style.run_property = style.run_property.spacing(s::BODY_CHAR_SPACING);
        style.paragraph_property = style.paragraph_property.widow_control(false);
        style
    };
    let heading = |level: usize, face: Face| {
        paragraph(&format!("Heading{level}"), &format!("heading {level}"), face)
            .based_on("Normal")
            .next("Normal")
            .outline_lvl(level - 1)
    };
    let title = Style::new("Title", StyleType::Paragraph)
        .name("Title")
        .based_on("Normal")
        .next("Normal")
        .fonts(s::fonts(Face::XiaoBiaoSong, profile))
        .size(s::SIZE_2)
        .align(AlignmentType::Center)
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(0), None)
        .line_spacing(s::exact(TITLE_LINE));
    vec![
        paragraph("Normal", "Normal", Face::FangSong),
        heading(1, Face::HeiTi),
        heading(2, Face::KaiTi),
        heading(3, Face::FangSong),
        heading(4, Face::FangSong),
        title,
        Style::new(DATA_TABLE_STYLE, StyleType::Table).name("简报数据表"),
    ]
}

/// A paragraph with a bottom rule.
fn with_bottom_rule(p: Paragraph, size: usize, color: &str, space: usize) -> Paragraph {
    let mut p = p;
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(size)
                .space(space)
                .color(color),
        ),
    );
    p
}

/// A one-line masthead (简报名称, 发文机关标志): red 小标宋, condensed to fit one line.
fn masthead(b: &mut Builder, text: &str) {
    let (size, scale) = s::fit_one_line(text, s::SIZE_XIAOCHU, s::TEXT_WIDTH);
    let look = Look {
        scale,
        spacing: Some(0),
        ..Look::new(Face::XiaoBiaoSong, size).red()
    };
    let p = s::plain_paragraph(AlignmentType::Center, MASTHEAD_LINE).add_run(b.run(text, look));
    b.paragraph(p, Flow::line(MASTHEAD_LINE));
}

/// A centred 三号 line.
fn centred_line(b: &mut Builder, text: &str, face: Face) -> Paragraph {
    s::plain_paragraph(AlignmentType::Center, s::LINE).add_run(b.run(text, Look::body(face)))
}

/// 简报 报头: red name, 第N期, office left and date right over a red rule.
fn briefing_header(b: &mut Builder, inputs: &Inputs) {
    let data = inputs.data;
    b.blank();
    masthead(b, &data.office.bulletin_name);
    let issue = centred_line(b, &format!("第{}期", data.issue), Face::FangSong);
    b.paragraph(issue, Flow::line(s::LINE));
    b.blank();
    let line = office_and_date(
        b,
        &office_names(inputs),
        &data.date,
        Look::body(Face::FangSong),
        (0, s::TEXT_WIDTH),
    );
    let line = with_bottom_rule(line, s::RULE_RED, s::RED, 6);
    b.paragraph(
        line,
        Flow::Lines {
            lines: 1,
            pitch: s::LINE,
            extra: 200,
            keep_next: false,
        },
    );
    b.blank();
}

/// The office's full name and its configured short name, if any.
fn office_names(inputs: &Inputs) -> Vec<String> {
    let mut names = vec![inputs.data.office.name.clone()];
    if let Some(short) = &inputs.config.office.short_name {
        if !short.trim().is_empty() {
            names.push(short.trim().to_string());
        }
    }
    names
}

/// One line with an office name flush left and `right` flush right (a right tab) between the
/// indents `(left_indent, right_edge)`, never wrapping: the name and `right` are measured
/// with the fonts' metrics (the wider of the two Latin metrics, autospacing included) and the
/// name is condensed (`w:w`) to fit with one character to spare. The first of `names` that
/// fits at [`MIN_NAME_SCALE`] % or wider is used, else the last one, condensed as needed.
fn office_and_date(
    b: &Builder,
    names: &[String],
    right: &str,
    look: Look,
    (indent, edge): (i32, u32),
) -> Paragraph {
    let (name, scale) = fit_office_name(names, right, look, f64::from(edge) - f64::from(indent));
    let condensed = Look { scale, ..look };
    s::plain_paragraph(AlignmentType::Left, s::LINE)
        .indent(
            Some(indent),
            Some(SpecialIndentType::FirstLine(0)),
            Some(s::TEXT_WIDTH as i32 - edge as i32),
            None,
        )
        .add_tab(Tab::new().val(TabValueType::Right).pos(edge as usize))
        .add_run(b.run(name, condensed))
        .add_run(s::styled(Run::new().add_tab(), look, b.profile))
        .add_run(b.run(right, look))
}

/// The office name to print before `right` on a line of `width` twips and its horizontal
/// scale (`None` when it fits as is).
pub fn fit_office_name<'a>(
    names: &'a [String],
    right: &str,
    look: Look,
    width: f64,
) -> (&'a str, Option<i32>) {
    let size_pt = look.size as f64 / 2.0;
    let spacing = f64::from(look.spacing.unwrap_or(0));
    let available = width - metrics::widest(right, size_pt, spacing) - size_pt * 20.0;
    let fit = |name: &'a String| {
        let natural = metrics::widest(name, size_pt, spacing);
        (name.as_str(), s::scale_to_fit(natural, available))
    };
    let mut chosen = ("", None);
    for name in names {
        chosen = fit(name);
        if chosen.1.is_none_or(|scale| scale >= MIN_NAME_SCALE) {
            break;
        }
    }
    chosen
}

/// 通报 版头: red `<office>文件`, 发文字号 `<prefix>〔2024〕N号`, red rule 4 mm below.
fn circular_header(b: &mut Builder, inputs: &Inputs) {
    let data = inputs.data;
    let spacer = 1134;
    b.paragraph(
        s::plain_paragraph(AlignmentType::Left, spacer),
        Flow::line(spacer),
    );
    masthead(b, &format!("{}文件", data.office.name));
    b.blank();
    b.blank();
    let number = format!(
        "{}〔{}〕{}号",
        inputs.config.bulletin.document_prefix, data.year, data.issue
    );
    let p = with_bottom_rule(centred_line(b, &number, Face::FangSong), s::RULE_RED, s::RED, 11);
    b.paragraph(
        p,
        Flow::Lines {
            lines: 1,
            pitch: s::LINE,
            extra: 300,
            keep_next: false,
        },
    );
    b.blank();
    b.blank();
}

/// The body blocks (title, headings, paragraphs, tables, breaks).
fn body(b: &mut Builder, inputs: &Inputs) {
    let mut addressed = false;
    for block in inputs.blocks {
        match block {
            Block::Title(text) => {
                title(b, text);
                if inputs.config.bulletin.kind == BulletinKind::Circular && !addressed {
                    addressed = true;
                    addressees(b, &inputs.config.bulletin.addressees);
                }
            }
            Block::Heading { level, text } => heading(b, *level, text),
            Block::Paragraph(text) => body_text(b, text),
            Block::Table { name, caption } => {
                if let Some(table) = inputs.tables.get(name.as_str()) {
                    data_table(b, caption, table);
                }
            }
            Block::PageBreak => b.break_next = true,
            Block::Blank => b.blank(),
        }
    }
}

fn title(b: &mut Builder, text: &str) {
    let look = Look {
        spacing: Some(0),
        ..Look::new(Face::XiaoBiaoSong, s::SIZE_2)
    };
    let lines = measure::split_title(text, 22.0, s::TEXT_WIDTH);
    let mut p = s::plain_paragraph(AlignmentType::Center, TITLE_LINE)
        .style("Title")
        .keep_next(true);
    for (i, line) in lines.iter().enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        p = p.add_run(s::styled(run.add_text(line), look, b.profile));
    }
    b.paragraph(
        p,
        Flow::Lines {
            lines: lines.len() as u32,
            pitch: TITLE_LINE,
            extra: 0,
            keep_next: true,
        },
    );
    b.blank();
}

/// 主送 line under a 通报's title: flush left, ending with `：`.
fn addressees(b: &mut Builder, names: &str) {
    if names.trim().is_empty() {
        return;
    }
    let text = format!("{}：", names.trim().trim_end_matches(['：', ':']));
    let (look, flows) = flowing(&text, Face::FangSong, 0, false);
    let p = s::plain_paragraph(AlignmentType::Both, s::LINE)
        .snap_to_grid(true)
        .add_run(b.run(&text, look));
    b.paragraph_each(p, flows);
}

fn lines_flow(lines: u32, keep_next: bool) -> Flow {
    Flow::Lines {
        lines,
        pitch: s::LINE,
        extra: 0,
        keep_next,
    }
}

/// The look of a body-flow paragraph of `text` in `face` with a first-line indent of `indent`
/// twips — body spacing, or the spacing that avoids a one- or two-character last line
/// ([`measure::spacing_without_short_last_line`]) — and its height under each Latin metric.
fn flowing(text: &str, face: Face, indent: u32, keep_next: bool) -> (Look, [Flow; 2]) {
    let spacing =
        measure::spacing_without_short_last_line(text, 16.0, s::TEXT_WIDTH, indent, s::BODY_CHAR_SPACING);
    let look = Look {
        spacing: Some(spacing),
        ..Look::body(face)
    };
    let flow = |latin: Latin| {
        let lines = measure::lines_for(text, 16.0, f64::from(spacing), s::TEXT_WIDTH, indent, latin);
        lines_flow(lines, keep_next)
    };
    (look, [flow(LATIN_METRICS[0]), flow(LATIN_METRICS[1])])
}

fn heading(b: &mut Builder, level: u8, text: &str) {
    let face = match level {
        1 => Face::HeiTi,
        2 => Face::KaiTi,
        _ => Face::FangSong,
    };
    let (look, flows) = flowing(text, face, s::FIRST_LINE as u32, true);
    let p = s::body_paragraph()
        .style(&format!("Heading{}", level.clamp(1, 4)))
        .keep_next(true)
        .add_run(b.run(text, look));
    b.paragraph_each(p, flows);
}

fn body_text(b: &mut Builder, text: &str) {
    let (look, flows) = flowing(text, Face::FangSong, s::FIRST_LINE as u32, false);
    let p = s::body_paragraph().add_run(b.run(text, look));
    b.paragraph_each(p, flows);
}

/// A data table with its caption: 黑体 caption, 黑体 14 pt header row (repeated on each page),
/// 仿宋 14 pt cells, 0.5 pt black borders.
fn data_table(b: &mut Builder, caption: &str, table: &TableData) {
    if !caption.is_empty() {
        let look = Look {
            spacing: Some(0),
            ..Look::new(Face::HeiTi, s::SIZE_3)
        };
        let p = s::plain_paragraph(AlignmentType::Center, s::LINE)
            .keep_next(true)
            .add_run(b.run(caption, look));
        b.paragraph(p, lines_flow(1, true));
    }
    let header_look = Look {
        spacing: Some(0),
        ..Look::new(Face::HeiTi, s::SIZE_4)
    };
    let cell_look = Look {
        spacing: Some(0),
        ..Look::new(Face::FangSong, s::SIZE_4)
    };
    let widths = grid_widths(
        &table.columns.iter().map(|c| c.width).collect::<Vec<_>>(),
        s::TEXT_WIDTH,
    );
    let header: Vec<(String, u32, bool)> = table
        .columns
        .iter()
        .zip(&widths)
        .map(|(c, &w)| (c.header.to_string(), w, true))
        .collect();
    let (header_row, header_heights) = table_row(b, &header, header_look);
    let mut rows = vec![header_row];
    let mut heights: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    for cells in &table.rows {
        let spec: Vec<(String, u32, bool)> = cells
            .iter()
            .zip(table.columns.iter().zip(&widths))
            .map(|(text, (c, &w))| (text.clone(), w, c.centred))
            .collect();
        let (row, height) = table_row(b, &spec, cell_look);
        rows.push(row);
        for (all, h) in heights.iter_mut().zip(height) {
            all.push(h);
        }
    }
    let total: usize = widths.iter().map(|&w| w as usize).sum();
    let widths: Vec<usize> = widths.iter().map(|&w| w as usize).collect();
    let border = |position| {
        TableBorder::new(position)
            .border_type(BorderType::Single)
            .size(s::RULE_TABLE)
            .color(s::BLACK)
    };
    let mut borders = TableBorders::with_empty();
    for position in [
        TableBorderPosition::Top,
        TableBorderPosition::Left,
        TableBorderPosition::Bottom,
        TableBorderPosition::Right,
        TableBorderPosition::InsideH,
        TableBorderPosition::InsideV,
    ] {
        borders = borders.set(border(position));
    }
    let t = Table::new(rows)
        .set_grid(widths)
        .width(total, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .style(DATA_TABLE_STYLE)
        .set_borders(borders)
        .margins(TableCellMargins::new().margin(CELL_MARGIN_V, CELL_MARGIN_H, CELL_MARGIN_V, CELL_MARGIN_H));
    let [times, wide] = heights;
    b.table(
        t,
        [
            Flow::Table {
                header: header_heights[0],
                rows: times,
            },
            Flow::Table {
                header: header_heights[1],
                rows: wide,
            },
        ],
    );
}

/// Column widths that add up to at most `max` twips: `widths` as they are when they fit, else
/// scaled down proportionally with the rounding put into the last column, so that the grid
/// (`w:gridCol`) always adds up to the table width (WPS sizes tables from the grid).
pub fn grid_widths(widths: &[u32], max: u32) -> Vec<u32> {
    let total: u32 = widths.iter().sum();
    if total <= max || total == 0 {
        return widths.to_vec();
    }
    let mut scaled: Vec<u32> = widths
        .iter()
        .map(|&w| (u64::from(w) * u64::from(max) / u64::from(total)) as u32)
        .collect();
    let rest = max - scaled.iter().sum::<u32>();
    if let Some(last) = scaled.last_mut() {
        *last += rest;
    }
    scaled
}

/// One table row of `(text, width, centred)` cells; returns it with its estimated height under
/// each Latin metric.
fn table_row(b: &Builder, cells: &[(String, u32, bool)], look: Look) -> (TableRow, [u32; 2]) {
    let mut lines = [1, 1];
    let cells: Vec<TableCell> = cells
        .iter()
        .map(|(text, width, centred)| {
            let inner = width.saturating_sub(2 * CELL_MARGIN_H as u32);
            for (n, latin) in lines.iter_mut().zip(LATIN_METRICS) {
                *n = (*n).max(measure::cell_lines(text, 14.0, inner, latin));
            }
            let align = if *centred {
                AlignmentType::Center
            } else {
                AlignmentType::Left
            };
            let p = s::plain_paragraph(align, CELL_LINE).add_run(b.run(text, look));
            TableCell::new()
                .add_paragraph(p)
                .width(*width as usize, WidthType::Dxa)
                .vertical_align(VAlignType::Center)
        })
        .collect();
    let height = lines.map(|n| n * CELL_LINE + 2 * CELL_MARGIN_V as u32 + 10);
    (TableRow::new(cells).cant_split(), height)
}

/// 通报 ending: 署名 and 成文日期 (not sealed: 署名右空二字, the date two characters further
/// right on the next line).
fn signature(b: &mut Builder, data: &BulletinData) {
    b.blank();
    let look = Look::body(Face::FangSong);
    let office_width = super::text::width_in_chars(&data.office.name);
    let date_width = super::text::width_in_chars(&data.date);
    let date_right = ((office_width - date_width).max(0.0) * 320.0) as i32;
    for (text, right) in [(&data.office.name, s::FIRST_LINE), (&data.date, date_right)] {
        let p = s::plain_paragraph(AlignmentType::Right, s::LINE)
            .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(right), None)
            .keep_next(true)
            .add_run(b.run(text, look));
        b.paragraph(p, lines_flow(1, true));
    }
}

/// The 报尾 (简报: 报/送/发, copies) or 版记 (通报: 抄送), with the office and `…印发` line,
/// between thick–thin–thick black rules, as a table anchored at the foot of the 版心; returns
/// it with its height (under the wider Latin metric).
fn colophon(b: &Builder, inputs: &Inputs) -> (Table, u32) {
    let office = &inputs.config.office;
    let data = inputs.data;
    let list = |items: &[String]| {
        let names: Vec<&str> = items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
        (!names.is_empty()).then(|| format!("{}。", names.join("，")))
    };
    let mut lines: Vec<(String, String)> = Vec::new();
    match inputs.config.bulletin.kind {
        BulletinKind::Briefing => {
            for (label, items) in [
                ("报：", &office.report_to),
                ("送：", &office.send_to),
                ("发：", &office.distribute_to),
            ] {
                if let Some(text) = list(items) {
                    lines.push((label.to_string(), text));
                }
            }
        }
        BulletinKind::Circular => {
            let copied: Vec<String> = office.report_to.iter().chain(&office.send_to).cloned().collect();
            if let Some(text) = list(&copied) {
                lines.push(("抄送：".to_string(), text));
            }
        }
    }
    let copies = match inputs.config.bulletin.kind {
        BulletinKind::Briefing => office.copies.map(|n| format!("（共印{n}份）")),
        BulletinKind::Circular => None,
    };
    let (table, height) = colophon_table(b, &lines, copies.as_deref(), &office_names(inputs), &data.date);
    (table.position(bottom_of_page()), height)
}

/// Anchors a full-width table at the foot of the 版心: vertically at the bottom of the margin
/// box; horizontally at the 订口 measured from the page edge (LibreOffice keeps a table as
/// wide as the text area inline unless it is positioned against the page).
fn bottom_of_page() -> TablePositionProperty {
    TablePositionProperty::new()
        .left_from_text(0)
        .right_from_text(0)
        .vertical_anchor("margin")
        .horizontal_anchor("page")
        .position_x(s::MARGIN_LEFT)
        .position_y_alignment("bottom")
}

/// The 报尾 as a one-column table (rules span the full 版心 while the text is indented one
/// character each side); returns it with its height.
fn colophon_table(
    b: &Builder,
    lines: &[(String, String)],
    copies: Option<&str>,
    office: &[String],
    date: &str,
) -> (Table, u32) {
    let look = Look {
        spacing: Some(0),
        ..Look::new(Face::FangSong, s::SIZE_4)
    };
    let mut paragraphs: Vec<(Paragraph, u32)> = Vec::new();
    for (label, text) in lines {
        let hanging = 280 * label.chars().count() as i32;
        let p = s::plain_paragraph(AlignmentType::Left, s::LINE)
            .indent(
                Some(s::CHAR_4 + hanging),
                Some(SpecialIndentType::Hanging(hanging)),
                Some(s::CHAR_4),
                None,
            )
            .add_run(b.run(label, look))
            .add_run(b.run(text, look));
        let width = s::TEXT_WIDTH - 2 * s::CHAR_4 as u32 - hanging as u32;
        let n = LATIN_METRICS
            .iter()
            .map(|&latin| measure::cell_lines(text, 14.0, width, latin))
            .max()
            .unwrap_or(1);
        paragraphs.push((p, n));
    }
    if let Some(copies) = copies {
        let p = s::plain_paragraph(AlignmentType::Right, s::LINE)
            .indent(
                Some(0),
                Some(SpecialIndentType::FirstLine(0)),
                Some(s::CHAR_4),
                None,
            )
            .add_run(b.run(copies, look));
        paragraphs.push((p, 1));
    }
    let issued = office_and_date(
        b,
        office,
        &format!("{date}印发"),
        look,
        (s::CHAR_4, s::TEXT_WIDTH - s::CHAR_4 as u32),
    );
    let mut rows = Vec::new();
    let mut height = COLOPHON_RULES;
    for (i, (p, n)) in paragraphs.into_iter().enumerate() {
        let top = (i == 0).then_some(s::RULE_THICK);
        rows.push(colophon_row(p.keep_next(true), top, None));
        height += n * s::LINE;
    }
    let top = if rows.is_empty() {
        s::RULE_THICK
    } else {
        s::RULE_THIN
    };
    rows.push(colophon_row(issued, Some(top), Some(s::RULE_THICK)));
    height += s::LINE;
    let table = Table::new(rows)
        .set_grid(vec![s::TEXT_WIDTH as usize])
        .width(s::TEXT_WIDTH as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(TableBorders::with_empty())
        .margins(TableCellMargins::new().margin(0, 0, 0, 0));
    (table, height)
}

fn colophon_row(p: Paragraph, top: Option<usize>, bottom: Option<usize>) -> TableRow {
    let mut borders = TableCellBorders::with_empty();
    let rule = |position, size| {
        TableCellBorder::new(position)
            .border_type(BorderType::Single)
            .size(size)
            .color(s::BLACK)
    };
    if let Some(size) = top {
        borders = borders.set(rule(TableCellBorderPosition::Top, size));
    }
    if let Some(size) = bottom {
        borders = borders.set(rule(TableCellBorderPosition::Bottom, size));
    }
    let cell = TableCell::new()
        .add_paragraph(p)
        .width(s::TEXT_WIDTH as usize, WidthType::Dxa)
        .set_borders(borders);
    TableRow::new(vec![cell]).cant_split()
}

/// The page-number footer: `— N —` in 宋体 四号, odd pages right, even pages left, one
/// character in from the edge. The PAGE field is built from field characters so that its
/// runs carry the format.
fn page_number_footer(odd: bool, profile: FontProfile) -> Footer {
    Footer::new().add_paragraph(page_number(odd, profile))
}

/// The page-number paragraph of [`page_number_footer`].
fn page_number(odd: bool, profile: FontProfile) -> Paragraph {
    let look = Look {
        spacing: Some(0),
        ..Look::new(Face::SongTi, s::SIZE_4)
    };
    let (align, left, right) = if odd {
        (AlignmentType::Right, 0, s::CHAR_4)
    } else {
        (AlignmentType::Left, s::CHAR_4, 0)
    };
    let field = |run: Run| s::styled(run, look, profile);
    s::plain_paragraph(align, FOOTER_LINE)
        .indent(
            Some(left),
            Some(SpecialIndentType::FirstLine(0)),
            Some(right),
            None,
        )
        .add_run(s::run("\u{2014} ", look, profile))
        .add_run(field(Run::new().add_field_char(FieldCharType::Begin, false)))
        .add_run(field(
            Run::new().add_instr_text(InstrText::PAGE(InstrPAGE::new())),
        ))
        .add_run(field(Run::new().add_field_char(FieldCharType::Separate, false)))
        .add_run(s::run("1", look, profile))
        .add_run(field(Run::new().add_field_char(FieldCharType::End, false)))
        .add_run(s::run(" \u{2014}", look, profile))
}

/// The footer of the 报尾 section, whose only page is even: the even page number when
/// `numbered`, else nothing. It fills the room between the footer distance and the 版心
/// ([`FOOTER_ROOM`]) — the page number at its foot, where the body pages have theirs — because
/// LibreOffice sizes the text area of a section that starts on an even page from its footer's
/// height (a shorter footer lets the 报尾 sink below the 版心 bottom there).
fn colophon_footer(numbered: bool, profile: FontProfile) -> Footer {
    let p = if numbered {
        let mut p = page_number(false, profile);
        p.property = p
            .property
            .clone()
            .line_spacing(s::exact(FOOTER_LINE).before(FOOTER_ROOM - FOOTER_LINE));
        p
    } else {
        s::plain_paragraph(AlignmentType::Left, FOOTER_ROOM).size(2)
    };
    Footer::new().add_paragraph(p)
}

/// A short document in the bulletin's format without 报头 or 报尾 (e.g. a 催报通知): the
/// bulletin's page setup, styles, fonts and odd/even page numbers; `blocks` laid out as the
/// bulletin body (no data tables); the 主送 line `addressees` under the title; and `signed`
/// (office, date) at the end as a 通报's 署名 and 成文日期.
pub fn short_document(
    blocks: &[Block],
    addressees_line: &str,
    signed: (&str, &str),
    profile: FontProfile,
    created: &str,
) -> Docx {
    let mut b = Builder::new(profile);
    let mut addressed = false;
    for block in blocks {
        match block {
            Block::Title(text) => {
                title(&mut b, text);
                if !addressed {
                    addressed = true;
                    addressees(&mut b, addressees_line);
                }
            }
            Block::Heading { level, text } => heading(&mut b, *level, text),
            Block::Paragraph(text) => body_text(&mut b, text),
            Block::Table { .. } => {}
            Block::PageBreak => b.break_next = true,
            Block::Blank => b.blank(),
        }
    }
    sign(&mut b, signed);
    let docx = page_setup(profile, created);
    b.elements.into_iter().fold(docx, |docx, element| match element {
        Element::Paragraph(p) => docx.add_paragraph(*p),
        Element::Table(t) => docx.add_table(*t),
    })
}

/// 署名 and 成文日期 as [`signature`] writes them, for a document without [`BulletinData`].
fn sign(b: &mut Builder, (office, date): (&str, &str)) {
    b.blank();
    let look = Look::body(Face::FangSong);
    let office_width = super::text::width_in_chars(office);
    let date_width = super::text::width_in_chars(date);
    let date_right = ((office_width - date_width).max(0.0) * 320.0) as i32;
    for (text, right) in [(office, s::FIRST_LINE), (date, date_right)] {
        let p = s::plain_paragraph(AlignmentType::Right, s::LINE)
            .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(right), None)
            .keep_next(true)
            .add_run(b.run(text, look));
        b.paragraph(p, lines_flow(1, true));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(page: u32, lines: u32) -> End {
        End {
            page,
            used: lines * s::LINE,
        }
    }

    #[test]
    fn the_colophon_goes_under_the_body_only_on_a_sure_even_page_with_room() {
        let height = 3554;
        assert_eq!(placement(&[end(6, 10), end(6, 10)], height), Placement::UnderBody);
        // No room: the next even page, after a blank page, unnumbered.
        let full = placement(&[end(6, 17), end(6, 17)], height);
        assert_eq!(full, Placement::NextEvenPage { numbered: false });
        // The body ends on an odd page well inside it: the 版记 page follows, numbered.
        let odd = placement(&[end(5, 10), end(5, 10)], height);
        assert_eq!(odd, Placement::NextEvenPage { numbered: true });
        // Near a page boundary or when the metrics disagree, nothing is taken for sure.
        for ends in [
            [end(6, 1), end(6, 1)],
            [end(5, 21), end(5, 21)],
            [end(5, 1), end(5, 1)],
            [end(6, 10), end(7, 1)],
        ] {
            assert_eq!(
                placement(&ends, height),
                Placement::NextEvenPage { numbered: false },
                "{ends:?}"
            );
        }
        assert_eq!(
            placement(&[], height),
            Placement::NextEvenPage { numbered: false }
        );
    }

    #[test]
    fn grids_add_up_to_the_table_width() {
        assert_eq!(grid_widths(&[700, 2620, 1650], 8844), vec![700, 2620, 1650]);
        let scaled = grid_widths(&[3000, 3000, 3000, 1000], 8844);
        assert_eq!(scaled.iter().sum::<u32>(), 8844);
        assert!(scaled[0] < 3000 && scaled[3] < 1000, "{scaled:?}");
        assert_eq!(grid_widths(&[], 8844), Vec::<u32>::new());
    }

    #[test]
    fn a_long_office_name_is_condensed_or_replaced_by_its_short_name() {
        let look = Look {
            spacing: Some(0),
            ..Look::new(Face::FangSong, s::SIZE_4)
        };
        let width = f64::from(s::TEXT_WIDTH - 2 * s::CHAR_4 as u32);
        let full = "南京市服务业扩大开放综合试点工作领导小组办公室".to_string();
        let names = [full.clone()];
        let (name, scale) = fit_office_name(&names, "2024年7月10日印发", look, width);
        assert_eq!(name, full);
        let scale = scale.unwrap_or(100);
        assert!((60..100).contains(&scale), "{scale}");
        // The condensed name, the date and one character of room fit under both metrics.
        let size_pt = 14.0;
        let used = metrics::widest(&full, size_pt, 0.0) * f64::from(scale) / 100.0
            + metrics::widest("2024年7月10日印发", size_pt, 0.0)
            + size_pt * 20.0;
        assert!(used <= width, "{used} > {width}");
        let with_short = [full.clone(), "市服务业开放办".to_string()];
        let very_narrow = width - 1500.0;
        assert_eq!(
            fit_office_name(&with_short, "2024年7月10日印发", look, very_narrow),
            ("市服务业开放办", None)
        );
        let short = ["某办".to_string()];
        assert_eq!(
            fit_office_name(&short, "2024年7月10日", look, width),
            ("某办", None)
        );
    }
}
