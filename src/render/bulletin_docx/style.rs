//! The bulletin's format values (the "Decisions for roundup" table of
//! `official-format.md`): page geometry, sizes, colours, font faces per profile, and small
//! constructors for runs and paragraphs carrying them.

use crate::config::FontProfile;
use docx_rs::{AlignmentType, LineSpacing, LineSpacingType, Paragraph, Run, RunFonts, SpecialIndentType};

/// A4 width, twips.
pub const PAGE_WIDTH: u32 = 11906;
/// A4 height, twips.
pub const PAGE_HEIGHT: u32 = 16838;
/// 天头.
pub const MARGIN_TOP: i32 = 2098;
/// Bottom margin.
pub const MARGIN_BOTTOM: i32 = 1984;
/// 订口.
pub const MARGIN_LEFT: i32 = 1588;
/// 切口.
pub const MARGIN_RIGHT: i32 = 1474;
/// Header distance.
pub const HEADER_DISTANCE: i32 = 851;
/// Footer distance (the page number's dash line ≈ 7 mm below the 版心).
pub const FOOTER_DISTANCE: i32 = 1418;
/// 版心 width, twips.
pub const TEXT_WIDTH: u32 = 8844;
/// 版心 height, twips.
pub const TEXT_HEIGHT: u32 = 12756;
/// Line pitch: 22 lines per page.
pub const LINE: u32 = 579;
/// Character spacing on body runs, twentieths of a point (−0.25 pt: 28 characters per line).
pub const BODY_CHAR_SPACING: i32 = -5;

/// 三号 16 pt, in half-points.
pub const SIZE_3: usize = 32;
/// 四号 14 pt.
pub const SIZE_4: usize = 28;
/// 二号 22 pt.
pub const SIZE_2: usize = 44;
/// 小初 36 pt.
pub const SIZE_XIAOCHU: usize = 72;

/// Red of the 报头 / 版头.
pub const RED: &str = "FF0000";
/// Black of the 报尾 rules and table borders.
pub const BLACK: &str = "000000";
/// Thick rule of the 报尾 (1 pt, 0.35 mm), eighths of a point.
pub const RULE_THICK: usize = 8;
/// Thin rule of the 报尾 (0.75 pt, 0.25 mm).
pub const RULE_THIN: usize = 6;
/// The red rule under the 报头 (1.5 pt).
pub const RULE_RED: usize = 12;
/// Table borders (0.5 pt).
pub const RULE_TABLE: usize = 4;

/// First-line indent of two 三号 characters, twips (the `firstLineChars="200"` partner).
pub const FIRST_LINE: i32 = 640;
/// One 四号 character, twips (page-number and 报尾 side gaps).
pub const CHAR_4: i32 = 280;

/// Latin font of every run except page numbers.
pub const LATIN: &str = "Times New Roman";

/// The font roles of the format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// 仿宋: body, level 3 and 4 headings, tables.
    FangSong,
    /// 楷体: level 2 headings.
    KaiTi,
    /// 黑体: level 1 headings, table captions and headers.
    HeiTi,
    /// 小标宋: 简报名称, 发文机关标志, title.
    XiaoBiaoSong,
    /// 宋体: page numbers.
    SongTi,
}

impl Face {
    /// The family name written in `w:eastAsia` under `profile`.
    pub fn name(self, profile: FontProfile) -> &'static str {
        match (self, profile) {
            (Face::FangSong, FontProfile::Standard) => "仿宋_GB2312",
            (Face::FangSong, FontProfile::Compat) => "仿宋",
            (Face::KaiTi, FontProfile::Standard) => "楷体_GB2312",
            (Face::KaiTi, FontProfile::Compat) => "楷体",
            (Face::XiaoBiaoSong, FontProfile::Standard) => "方正小标宋简体",
            (Face::XiaoBiaoSong, FontProfile::Compat) => "宋体",
            (Face::HeiTi, _) => "黑体",
            (Face::SongTi, _) => "宋体",
        }
    }
}

/// One `fontTable.xml` entry: family, alternate name, charset, family class, pitch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FontEntry {
    /// The family name as written in runs.
    pub name: &'static str,
    /// `w:altName` (what Word substitutes when the family is missing).
    pub alt: Option<&'static str>,
    /// `w:panose1`: the PANOSE classification Word and WPS match a substitute by.
    pub panose: &'static str,
    /// `w:charset` (`86` = GB2312, `00` = ANSI).
    pub charset: &'static str,
    /// `w:family`.
    pub family: &'static str,
    /// `w:pitch`.
    pub pitch: &'static str,
}

/// The fonts a bulletin uses, with their alternates: each standard family falls back to the
/// family every Windows PC has (仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体, 方正小标宋简体 → 宋体),
/// with the PANOSE numbers of those Windows fonts (SimSun, SimHei, FangSong, KaiTi) so that a
/// substitution by classification lands on the same kind of face.
pub fn font_table(profile: FontProfile) -> Vec<FontEntry> {
    /// PANOSE of 宋体 (SimSun) and of the serif 小标宋.
    const SONG: &str = "02010600030101010101";
    /// PANOSE of 黑体, 仿宋 and 楷体 (SimHei, FangSong, KaiTi: fixed-pitch CJK faces).
    const FIXED: &str = "02010609060101010101";
    let cjk = |name, alt, panose, pitch| FontEntry {
        name,
        alt,
        panose,
        charset: "86",
        family: "modern",
        pitch,
    };
    let mut fonts = vec![FontEntry {
        name: LATIN,
        alt: None,
        panose: "02020603050405020304",
        charset: "00",
        family: "roman",
        pitch: "variable",
    }];
    fonts.extend(match profile {
        FontProfile::Standard => vec![
            cjk("仿宋_GB2312", Some("仿宋"), FIXED, "fixed"),
            cjk("楷体_GB2312", Some("楷体"), FIXED, "fixed"),
            cjk("方正小标宋简体", Some("宋体"), SONG, "variable"),
            cjk("黑体", Some("SimHei"), FIXED, "fixed"),
            cjk("宋体", Some("SimSun"), SONG, "variable"),
        ],
        FontProfile::Compat => vec![
            cjk("仿宋", Some("FangSong"), FIXED, "fixed"),
            cjk("楷体", Some("KaiTi"), FIXED, "fixed"),
            cjk("黑体", Some("SimHei"), FIXED, "fixed"),
            cjk("宋体", Some("SimSun"), SONG, "variable"),
        ],
    });
    fonts
}

/// How a run looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// Font role.
    pub face: Face,
    /// Size in half-points.
    pub size: usize,
    /// Colour, when not automatic.
    pub color: Option<&'static str>,
    /// Character spacing (twentieths of a point), when set.
    pub spacing: Option<i32>,
    /// Horizontal scale in percent, when not 100.
    pub scale: Option<i32>,
}

impl Look {
    /// A look with no colour, spacing or scale.
    pub const fn new(face: Face, size: usize) -> Look {
        Look {
            face,
            size,
            color: None,
            spacing: None,
            scale: None,
        }
    }

    /// Body text: 仿宋 三号 with −0.25 pt spacing.
    pub const fn body(face: Face) -> Look {
        Look {
            spacing: Some(BODY_CHAR_SPACING),
            ..Look::new(face, SIZE_3)
        }
    }

    /// The same look in red.
    pub const fn red(self) -> Look {
        Look {
            color: Some(RED),
            ..self
        }
    }
}

/// `w:rFonts` for a face: East Asian family, Times New Roman for Latin (宋体 throughout for
/// page numbers).
pub fn fonts(face: Face, profile: FontProfile) -> RunFonts {
    let east = face.name(profile);
    let latin = if face == Face::SongTi { east } else { LATIN };
    RunFonts::new()
        .east_asia(east)
        .ascii(latin)
        .hi_ansi(latin)
        .cs(latin)
        .hint("eastAsia")
}

/// A run of `text` with `look`.
pub fn run(text: &str, look: Look, profile: FontProfile) -> Run {
    styled(Run::new().add_text(text), look, profile)
}

/// Applies `look` to a run.
pub fn styled(run: Run, look: Look, profile: FontProfile) -> Run {
    let mut run = run.fonts(fonts(look.face, profile)).size(look.size);
    if let Some(color) = look.color {
        run = run.color(color);
    }
    if let Some(spacing) = look.spacing {
        run = run.character_spacing(spacing);
    }
    if let Some(scale) = look.scale {
        run = run.stretch(scale);
    }
    run
}

/// Exact line spacing of `twips` with no space before or after.
pub fn exact(twips: u32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Exact)
        .line(i32::try_from(twips).unwrap_or(i32::MAX))
        .before(0)
        .after(0)
}

/// A body-flow paragraph: justified, first line indented two characters, exact pitch, no
/// widow/orphan control (pages fill all 22 lines, in Word and LibreOffice alike).
pub fn body_paragraph() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            Some(0),
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            Some(0),
            None,
        )
        .line_spacing(exact(LINE))
        .widow_control(false)
}

/// A paragraph outside the body flow (报头, title, tables, 报尾, footers): no indent, not
/// snapped to the line grid.
pub fn plain_paragraph(align: AlignmentType, line: u32) -> Paragraph {
    Paragraph::new()
        .align(align)
        .indent(Some(0), Some(SpecialIndentType::FirstLine(0)), Some(0), None)
        .line_spacing(exact(line))
        .snap_to_grid(false)
        .widow_control(false)
}

/// Natural width of `text` in twips at `size` half-points with `spacing` twentieths of a
/// point added to each character (a half-width character takes half an em; see
/// [`crate::text::width`]).
pub fn text_width(text: &str, size: usize, spacing: i32) -> f64 {
    text.chars()
        .map(|c| crate::text::width::ems(c) * size as f64 * 10.0 + f64::from(spacing))
        .sum()
}

/// The horizontal scale (percent, at least 50) that makes `natural` twips fit `available`
/// twips; `None` when it fits already.
pub fn scale_to_fit(natural: f64, available: f64) -> Option<i32> {
    if natural <= available * 0.99 {
        return None;
    }
    Some(((available * 0.99 / natural.max(1.0)) * 100.0).floor().max(50.0) as i32)
}

/// The size (half-points) and horizontal scale (percent) that fit `text` on one line of
/// `width` twips at `size`, shrinking the glyphs' width to at most 60 % first and the size
/// after that.
pub fn fit_one_line(text: &str, size: usize, width: u32) -> (usize, Option<i32>) {
    let natural = text_width(text, size, 0);
    let available = f64::from(width) * 0.98;
    if natural <= available {
        return (size, None);
    }
    let scale = (available / natural * 100.0).floor();
    if scale >= 60.0 {
        return (size, Some(scale as i32));
    }
    let per_half_point = text_width(text, 1, 0) * 0.6;
    let smaller = (available / per_half_point).floor().max(2.0) as usize;
    (smaller, Some(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometry_matches_the_decisions_table() {
        assert_eq!(
            PAGE_HEIGHT as i32 - MARGIN_TOP - MARGIN_BOTTOM,
            TEXT_HEIGHT as i32
        );
        assert_eq!(PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT, TEXT_WIDTH as i32);
        const { assert!(22 * LINE <= TEXT_HEIGHT) };
    }

    #[test]
    fn long_names_are_condensed_to_one_line() {
        assert_eq!(fit_one_line("工作简报", SIZE_XIAOCHU, TEXT_WIDTH), (72, None));
        let (size, scale) = fit_one_line("服务业扩大开放综合试点工作简报", 72, TEXT_WIDTH);
        assert_eq!(size, 72);
        assert!(scale.is_some_and(|s| (60..100).contains(&s)));
        let (size, scale) = fit_one_line(&"字".repeat(40), 72, TEXT_WIDTH);
        assert!(size < 72 && scale == Some(60));
        assert!(40.0 * size as f64 * 10.0 * 0.6 <= TEXT_WIDTH as f64);
        assert_eq!(scale_to_fit(1000.0, 2000.0), None);
        assert_eq!(scale_to_fit(2000.0, 1000.0), Some(50));
        assert_eq!(text_width("2024年", 32, -5), 4.0 * 155.0 + 315.0);
    }

    #[test]
    fn compat_profile_writes_common_families() {
        assert_eq!(Face::FangSong.name(FontProfile::Compat), "仿宋");
        assert_eq!(Face::KaiTi.name(FontProfile::Compat), "楷体");
        assert_eq!(Face::XiaoBiaoSong.name(FontProfile::Compat), "宋体");
        assert_eq!(Face::FangSong.name(FontProfile::Standard), "仿宋_GB2312");
    }
}
