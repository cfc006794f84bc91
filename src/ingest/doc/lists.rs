//! Automatic numbering ([MS-DOC] 2.9.147 PlfLst, 2.9.150 LVL, 2.9.155 PlfLfo): list
//! definitions, their per-level counters in document order, and the label (`一、`, `（二）`,
//! `3.`) each numbered paragraph shows. Counters run per list definition (`lsid`) like Word,
//! and per override when the override restarts a level; the number formats are those of the
//! `.docx` reader.

use super::bytes::{i32_at, slice, u16_at, u32_at, u8_at};
use crate::ingest::docx::format_number;
use std::collections::HashMap;

/// Levels per list.
const LEVELS: usize = 9;
/// Size of `LSTF`, `LVLF` and `LFO`.
const LSTF_SIZE: usize = 28;
const LVLF_SIZE: usize = 28;
const LFO_SIZE: usize = 16;
/// Most lists and overrides read.
const MAX_LISTS: usize = 10_000;

/// One level of a list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Level {
    start: u32,
    /// `nfc` ([MS-DOC] 2.2.1.3 MSONFC).
    nfc: u8,
    legal: bool,
    /// The number text; code units 0–8 stand for the counters of those levels.
    template: Vec<u16>,
}

/// One override (`LFO`) of a list.
#[derive(Debug, Clone, Default)]
struct Override {
    lsid: i32,
    starts: HashMap<u8, u32>,
    levels: HashMap<u8, Level>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CounterKey {
    List(i32),
    Override(u16),
}

/// The lists of a document and the counters of the paragraphs read so far.
#[derive(Debug, Clone, Default)]
pub struct Lists {
    lists: HashMap<i32, Vec<Level>>,
    overrides: Vec<Override>,
    counters: HashMap<CounterKey, [Option<u32>; LEVELS]>,
}

impl Lists {
    /// Reads `PlfLst` and `PlfLfo`; what cannot be read is left out.
    pub fn parse(plf_lst: &[u8], plf_lfo: &[u8]) -> Lists {
        Lists {
            lists: parse_lists(plf_lst),
            overrides: parse_overrides(plf_lfo),
            counters: HashMap::new(),
        }
    }

    /// Advances the counter of (`ilfo`, `ilvl`) and returns the paragraph's label; `None` for
    /// no list, an unknown one or an empty label.
    pub fn next_label(&mut self, ilfo: u16, ilvl: u8) -> Option<String> {
        if ilfo == 0 || ilfo > 0x07FE {
            return None;
        }
        let ovr = self.overrides.get(usize::from(ilfo) - 1)?;
        let base = self.lists.get(&ovr.lsid)?;
        let ilvl = usize::from(ilvl).min(LEVELS - 1);
        let levels: Vec<Level> = (0..LEVELS)
            .map(|l| {
                ovr.levels
                    .get(&(l as u8))
                    .or_else(|| base.get(l))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        let start = |l: usize| {
            ovr.starts
                .get(&(l as u8))
                .copied()
                .unwrap_or_else(|| levels.get(l).map_or(1, |lv| lv.start))
        };
        let key = if ovr.starts.is_empty() {
            CounterKey::List(ovr.lsid)
        } else {
            CounterKey::Override(ilfo)
        };
        let counters = self.counters.entry(key).or_insert([None; LEVELS]);
        let next = counters
            .get(ilvl)
            .copied()
            .flatten()
            .map_or_else(|| start(ilvl), |n| n.saturating_add(1));
        for (l, counter) in counters.iter_mut().enumerate() {
            if l == ilvl {
                *counter = Some(next);
            } else if l > ilvl {
                *counter = None;
            }
        }
        let values: Vec<u32> = (0..LEVELS)
            .map(|l| counters.get(l).copied().flatten().unwrap_or_else(|| start(l)))
            .collect();
        let label = render(&levels, ilvl, &values);
        (!label.is_empty()).then_some(label)
    }
}

/// The label of level `ilvl` with the counters `values`.
fn render(levels: &[Level], ilvl: usize, values: &[u32]) -> String {
    let Some(level) = levels.get(ilvl) else {
        return String::new();
    };
    if level.nfc == 0x17 {
        return String::from_utf16_lossy(&level.template)
            .chars()
            .map(|c| {
                if ('\u{E000}'..='\u{F8FF}').contains(&c) {
                    '•'
                } else {
                    c
                }
            })
            .collect();
    }
    let mut out = String::new();
    let mut literal: Vec<u16> = Vec::new();
    for &unit in &level.template {
        if unit < LEVELS as u16 {
            out.push_str(&String::from_utf16_lossy(&literal));
            literal.clear();
            let l = usize::from(unit);
            let nfc = if level.legal {
                0
            } else {
                levels.get(l).map_or(0, |lv| lv.nfc)
            };
            out.push_str(&format_number(
                values.get(l).copied().unwrap_or(1),
                nfc_format(nfc),
            ));
        } else {
            literal.push(unit);
        }
    }
    out.push_str(&String::from_utf16_lossy(&literal));
    out
}

/// The `w:numFmt` name of an `nfc`, for the `.docx` reader's formatter.
fn nfc_format(nfc: u8) -> &'static str {
    match nfc {
        0x01 => "upperRoman",
        0x02 => "lowerRoman",
        0x03 => "upperLetter",
        0x04 => "lowerLetter",
        0x0A => "ideographDigital",
        0x0B => "japaneseCounting",
        0x0E => "decimalFullWidth",
        0x12 => "decimalEnclosedCircle",
        0x13 => "decimalFullWidth2",
        0x16 => "decimalZero",
        0x1A => "decimalEnclosedFullstop",
        0x1B => "decimalEnclosedParen",
        0x1C => "decimalEnclosedCircleChinese",
        0x1E => "ideographTraditional",
        0x1F => "ideographZodiac",
        0x21 => "taiwaneseCounting",
        0x23 => "taiwaneseCountingThousand",
        0x24 => "taiwaneseDigital",
        0x25 => "chineseCounting",
        0x26 => "chineseLegalSimplified",
        0x27 => "chineseCountingThousand",
        0xFF => "none",
        _ => "decimal",
    }
}

/// `LSTF`s, then the `LVL`s of every list in order (one for a simple list, else nine).
fn parse_lists(plf: &[u8]) -> HashMap<i32, Vec<Level>> {
    let mut lists = HashMap::new();
    let count = u16_at(plf, 0).map_or(0, usize::from).min(MAX_LISTS);
    let mut at = 2 + count * LSTF_SIZE;
    for i in 0..count {
        let Some(lstf) = slice(plf, 2 + i * LSTF_SIZE, LSTF_SIZE) else {
            break;
        };
        let (Some(lsid), Some(flags)) = (i32_at(lstf, 0), u8_at(lstf, 26)) else {
            break;
        };
        let n = if flags & 1 != 0 { 1 } else { LEVELS };
        let mut levels = Vec::with_capacity(n);
        for _ in 0..n {
            match parse_level(plf, at) {
                Some((level, size)) => {
                    levels.push(level);
                    at += size;
                }
                None => {
                    lists.insert(lsid, levels);
                    return lists;
                }
            }
        }
        lists.insert(lsid, levels);
    }
    lists
}

/// One `LVL` at `at`: the level and its size.
fn parse_level(data: &[u8], at: usize) -> Option<(Level, usize)> {
    let lvlf = slice(data, at, LVLF_SIZE)?;
    let start = i32_at(lvlf, 0).and_then(|v| u32::try_from(v).ok()).unwrap_or(1);
    let nfc = u8_at(lvlf, 4)?;
    let flags = u8_at(lvlf, 5)?;
    let cb_chpx = usize::from(u8_at(lvlf, 24)?);
    let cb_papx = usize::from(u8_at(lvlf, 25)?);
    let xst_at = at + LVLF_SIZE + cb_papx + cb_chpx;
    let cch = usize::from(u16_at(data, xst_at)?);
    let text = slice(data, xst_at + 2, cch * 2)?;
    let template = text
        .chunks_exact(2)
        .map(|p| u16::from_le_bytes([p[0], p[1]]))
        .collect();
    let level = Level {
        start,
        nfc,
        legal: flags & 0x04 != 0,
        template,
    };
    Some((level, LVLF_SIZE + cb_papx + cb_chpx + 2 + cch * 2))
}

/// `LFO`s, then each one's `LFOData`: a CP and its level overrides (`LFOLVL`, with an `LVL`
/// when it replaces the level's format).
fn parse_overrides(plf: &[u8]) -> Vec<Override> {
    let count = u32_at(plf, 0)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
        .min(MAX_LISTS);
    let mut overrides = Vec::with_capacity(count);
    let mut counts = Vec::with_capacity(count);
    for i in 0..count {
        let Some(lfo) = slice(plf, 4 + i * LFO_SIZE, LFO_SIZE) else {
            break;
        };
        overrides.push(Override {
            lsid: i32_at(lfo, 0).unwrap_or(0),
            ..Override::default()
        });
        counts.push(u8_at(lfo, 12).unwrap_or(0));
    }
    let mut at = 4 + count * LFO_SIZE;
    for (ovr, n) in overrides.iter_mut().zip(counts) {
        at += 4;
        for _ in 0..n {
            let (Some(start), Some(flags)) = (i32_at(plf, at), u32_at(plf, at + 4)) else {
                return overrides;
            };
            at += 8;
            let ilvl = (flags & 0x0F) as u8;
            if flags & 0x10 != 0 {
                ovr.starts.insert(ilvl, u32::try_from(start).unwrap_or(1));
            }
            if flags & 0x20 != 0 {
                let Some((level, size)) = parse_level(plf, at) else {
                    return overrides;
                };
                ovr.levels.insert(ilvl, level);
                at += size;
            }
        }
    }
    overrides
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lvl(nfc: u8, template: &[u16]) -> Vec<u8> {
        let mut b = vec![0u8; LVLF_SIZE];
        b[0..4].copy_from_slice(&1i32.to_le_bytes());
        b[4] = nfc;
        b[25] = 2; // two bytes of paragraph properties
        b.extend([0xAA, 0xBB]);
        b.extend((template.len() as u16).to_le_bytes());
        for u in template {
            b.extend(u.to_le_bytes());
        }
        b
    }

    fn units(s: &str) -> Vec<u16> {
        s.encode_utf16().collect()
    }

    /// One list (lsid 7) of levels 一、 / （一） / 1.1, one plain override and one starting
    /// level 0 at 5.
    fn lists() -> Lists {
        let mut lst = Vec::new();
        lst.extend(1u16.to_le_bytes());
        let mut lstf = vec![0u8; LSTF_SIZE];
        lstf[0..4].copy_from_slice(&7i32.to_le_bytes());
        lst.extend(lstf);
        let mut t0 = vec![0u16];
        t0.extend(units("、"));
        let mut t1 = units("（");
        t1.push(1);
        t1.extend(units("）"));
        lst.extend(lvl(0x25, &t0));
        lst.extend(lvl(0x25, &t1));
        lst.extend(lvl(0x00, &[0, u16::from(b'.'), 2]));
        for _ in 3..LEVELS {
            lst.extend(lvl(0x17, &[0xF0B7]));
        }
        let mut lfo = Vec::new();
        lfo.extend(2u32.to_le_bytes());
        for clfolvl in [0u8, 1] {
            let mut entry = vec![0u8; LFO_SIZE];
            entry[0..4].copy_from_slice(&7i32.to_le_bytes());
            entry[12] = clfolvl;
            lfo.extend(entry);
        }
        lfo.extend(0u32.to_le_bytes());
        lfo.extend(0u32.to_le_bytes());
        lfo.extend(5i32.to_le_bytes());
        lfo.extend(0x10u32.to_le_bytes());
        Lists::parse(&lst, &lfo)
    }

    #[test]
    fn labels_count_per_level_and_restart_deeper_levels() {
        let mut l = lists();
        assert_eq!(l.next_label(1, 0).as_deref(), Some("一、"));
        assert_eq!(l.next_label(1, 1).as_deref(), Some("（一）"));
        assert_eq!(l.next_label(1, 1).as_deref(), Some("（二）"));
        assert_eq!(l.next_label(1, 2).as_deref(), Some("一.1"));
        assert_eq!(l.next_label(1, 0).as_deref(), Some("二、"));
        assert_eq!(l.next_label(1, 1).as_deref(), Some("（一）"));
        assert_eq!(l.next_label(1, 4).as_deref(), Some("•"));
        // The override restarting level 0 at 5 counts on its own.
        assert_eq!(l.next_label(2, 0).as_deref(), Some("五、"));
        assert_eq!(l.next_label(0, 0), None);
        assert_eq!(l.next_label(3, 0), None);
        assert_eq!(l.next_label(0xF801, 0), None);
    }

    #[test]
    fn truncated_lists_never_panic() {
        let lst = [1u8, 0, 7, 0, 0, 0];
        let l = Lists::parse(&lst, &[0xFF, 0xFF, 0xFF, 0xFF, 1]);
        assert!(l.lists.values().all(Vec::is_empty));
        assert!(l.overrides.is_empty());
        assert_eq!(nfc_format(0x27), "chineseCountingThousand");
    }
}
