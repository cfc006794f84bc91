//! The style sheet (`STSH`, [MS-DOC] 2.9.271): each style's name, the style it is based on,
//! and the paragraph properties (outline level, list) it gives, resolved through `istdBase`.

use super::bytes::{slice, u16_at};
use super::props::ParaProps;

/// `istdBase` of a style based on no other.
const ISTD_NIL: u16 = 0x0FFF;

/// Most `istdBase` links followed (stops cycles).
const MAX_CHAIN: usize = 16;

/// Most styles read (the format's `istd` is 12 bits).
const MAX_STYLES: usize = 4096;

#[derive(Debug, Clone, Default)]
struct StyleDef {
    name: String,
    base: Option<u16>,
    /// The paragraph-property `grpprl` of a paragraph style.
    papx: Vec<u8>,
}

/// The document's styles by `istd`.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    styles: Vec<Option<StyleDef>>,
}

impl Styles {
    /// Reads an `STSH`; whatever cannot be read is left out (styles only refine the result).
    pub fn parse(stsh: &[u8]) -> Styles {
        let mut styles = Styles::default();
        let Some(cb_stshi) = u16_at(stsh, 0).map(usize::from) else {
            return styles;
        };
        let Some(stshi) = slice(stsh, 2, cb_stshi) else {
            return styles;
        };
        let count = u16_at(stshi, 0).map_or(0, usize::from).min(MAX_STYLES);
        let base_size = u16_at(stshi, 2).map_or(10, usize::from);
        let mut at = 2 + cb_stshi;
        for _ in 0..count {
            let Some(cb) = u16_at(stsh, at).map(usize::from) else {
                break;
            };
            let std = slice(stsh, at + 2, cb);
            styles
                .styles
                .push(std.filter(|s| !s.is_empty()).and_then(|s| read_std(s, base_size)));
            at += 2 + cb;
        }
        styles
    }

    /// The style's name (its first name when it lists aliases after a comma).
    pub fn name(&self, istd: u16) -> Option<String> {
        let style = self.get(istd)?;
        let name = style.name.split(',').next().unwrap_or_default().trim();
        (!name.is_empty()).then(|| name.to_owned())
    }

    /// The paragraph properties the style gives, its base styles' first.
    pub fn para_props(&self, istd: u16) -> ParaProps {
        let mut chain = Vec::new();
        let mut next = Some(istd);
        while let Some(id) = next {
            if chain.len() >= MAX_CHAIN || chain.contains(&id) {
                break;
            }
            let Some(style) = self.get(id) else {
                break;
            };
            chain.push(id);
            next = style.base;
        }
        let mut props = ParaProps::default();
        for id in chain.iter().rev() {
            if let Some(style) = self.get(*id) {
                props.apply(&style.papx);
            }
        }
        // Table membership and row ends belong to paragraphs, never to styles.
        ParaProps {
            outline: props.outline,
            ilfo: props.ilfo,
            ilvl: props.ilvl,
            ..ParaProps::default()
        }
    }

    fn get(&self, istd: u16) -> Option<&StyleDef> {
        self.styles.get(usize::from(istd))?.as_ref()
    }
}

/// Reads one `STD`: `Stdf` (`base_size` bytes), the name (`Xstz`), then the property
/// groups (`UPX`, each led by its size and padded to an even length).
fn read_std(std: &[u8], base_size: usize) -> Option<StyleDef> {
    let kind_and_base = u16_at(std, 2)?;
    let kind = kind_and_base & 0x000F;
    let base = kind_and_base >> 4;
    let cch = usize::from(u16_at(std, base_size)?);
    let name_bytes = slice(std, base_size + 2, cch * 2)?;
    let name_units: Vec<u16> = name_bytes
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    let mut def = StyleDef {
        name: String::from_utf16_lossy(&name_units),
        base: (base != ISTD_NIL).then_some(base),
        papx: Vec::new(),
    };
    // Paragraph styles: the first UPX is istd + grpprlPapx.
    if kind == 1 {
        let at = base_size + 2 + cch * 2 + 2;
        if let Some(cb) = u16_at(std, at).map(usize::from) {
            if let Some(upx) = slice(std, at + 2, cb) {
                def.papx = upx.get(2..).unwrap_or_default().to_vec();
            }
        }
    }
    Some(def)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::doc::props::{SPRM_P_ILFO, SPRM_P_OUT_LVL};

    /// An STD of a paragraph style named `name` based on `base` with `grpprl`.
    pub fn std_bytes(name: &str, base: u16, grpprl: &[u8]) -> Vec<u8> {
        let mut std = vec![0u8; 10];
        std[2..4].copy_from_slice(&(1 | (base << 4)).to_le_bytes());
        let units: Vec<u16> = name.encode_utf16().collect();
        std.extend((units.len() as u16).to_le_bytes());
        for u in units {
            std.extend(u.to_le_bytes());
        }
        std.extend(0u16.to_le_bytes());
        std.extend(((grpprl.len() + 2) as u16).to_le_bytes());
        std.extend(0u16.to_le_bytes());
        std.extend(grpprl);
        if grpprl.len() % 2 == 1 {
            std.push(0);
        }
        std
    }

    /// An STSH of the given STDs (empty ones for `None`).
    pub fn stsh_bytes(stds: &[Option<Vec<u8>>]) -> Vec<u8> {
        let mut stsh = Vec::new();
        stsh.extend(4u16.to_le_bytes());
        stsh.extend((stds.len() as u16).to_le_bytes());
        stsh.extend(10u16.to_le_bytes());
        for std in stds {
            let std = std.clone().unwrap_or_default();
            stsh.extend((std.len() as u16).to_le_bytes());
            stsh.extend(std);
        }
        stsh
    }

    #[test]
    fn names_and_properties_through_the_base_chain() {
        let mut outline = SPRM_P_OUT_LVL.to_le_bytes().to_vec();
        outline.push(0);
        let mut list = SPRM_P_ILFO.to_le_bytes().to_vec();
        list.extend(2u16.to_le_bytes());
        let stsh = stsh_bytes(&[
            Some(std_bytes("Normal", ISTD_NIL, &[])),
            Some(std_bytes("heading 1,标题 1", 0, &outline)),
            None,
            Some(std_bytes("我的标题", 1, &list)),
            Some(std_bytes("Loop", 4, &[])),
        ]);
        let styles = Styles::parse(&stsh);
        assert_eq!(styles.name(1).as_deref(), Some("heading 1"));
        assert_eq!(styles.name(2), None);
        assert_eq!(styles.name(99), None);
        let props = styles.para_props(3);
        assert_eq!(props.outline, Some(0));
        assert_eq!(props.ilfo, Some(2));
        assert_eq!(styles.para_props(4), ParaProps::default());
        // Truncated style sheets give what could be read.
        assert_eq!(
            Styles::parse(&stsh[..stsh.len() - 3]).name(1).as_deref(),
            Some("heading 1")
        );
        assert!(Styles::parse(&[0xFF]).name(0).is_none());
    }
}
