//! Paragraph and character properties: the `Sprm` lists of [MS-DOC] 2.6 and the formatted
//! disk pages (FKPs, 2.9.76 / 2.9.180) that map stream offsets (FCs) to them, through the
//! bin tables `PlcBtePapx` and `PlcBteChpx`.

use super::bytes::{i32_at, slice, u16_at, u32_at, u8_at, Plc};

/// `sprmPFInTable`: the paragraph is in a table.
pub const SPRM_P_F_IN_TABLE: u16 = 0x2416;
/// `sprmPFTtp`: the paragraph is a table row's end mark.
pub const SPRM_P_F_TTP: u16 = 0x2417;
/// `sprmPItap`: table depth.
pub const SPRM_P_ITAP: u16 = 0x6649;
/// `sprmPFInnerTableCell`: end of a cell of a nested table.
pub const SPRM_P_F_INNER_TABLE_CELL: u16 = 0x244B;
/// `sprmPFInnerTtp`: end of a row of a nested table.
pub const SPRM_P_F_INNER_TTP: u16 = 0x244C;
/// `sprmPIlvl`: list level.
pub const SPRM_P_ILVL: u16 = 0x260A;
/// `sprmPIlfo`: list (1-based index of its `LFO`).
pub const SPRM_P_ILFO: u16 = 0x460B;
/// `sprmPOutLvl`: outline level.
pub const SPRM_P_OUT_LVL: u16 = 0x2640;
/// `sprmTDefTable`: cell boundaries and cell properties of a row.
pub const SPRM_T_DEF_TABLE: u16 = 0xD608;
/// `sprmPChgTabs`: a variable-length sprm with its own size rule.
const SPRM_P_CHG_TABS: u16 = 0xC615;
/// `sprmPHugePapx`: the paragraph's properties are in the `Data` stream (too many for an FKP).
pub const SPRM_P_HUGE_PAPX: u16 = 0x6646;
/// `sprmCFRMarkDel`: the text is a deleted revision.
pub const SPRM_C_F_RMARK_DEL: u16 = 0x0800;
/// `sprmCFVanish`: the text is hidden.
pub const SPRM_C_F_VANISH: u16 = 0x083C;
/// `sprmCFStrike`: the text is struck through.
pub const SPRM_C_F_STRIKE: u16 = 0x0837;
/// `sprmCFDStrike`: the text is double struck through.
pub const SPRM_C_F_D_STRIKE: u16 = 0x2A53;

/// Size of a formatted disk page.
const FKP_SIZE: usize = 512;

/// One property modifier: its code and operand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sprm<'a> {
    /// The `sprm` code.
    pub code: u16,
    /// Its operand (for `sprmTDefTable`, the bytes after the 2-byte size).
    pub operand: &'a [u8],
}

impl Sprm<'_> {
    /// The operand's first byte (0 when empty).
    pub fn byte(&self) -> u8 {
        self.operand.first().copied().unwrap_or(0)
    }
}

/// The sprms of a `grpprl`, in order; iteration stops at the first one that does not fit.
pub fn sprms(grpprl: &[u8]) -> impl Iterator<Item = Sprm<'_>> {
    let mut at = 0usize;
    std::iter::from_fn(move || {
        let code = u16_at(grpprl, at)?;
        let (skip, len) = operand_size(code, grpprl, at + 2)?;
        let operand = slice(grpprl, at + 2 + skip, len)?;
        at = at + 2 + skip + len;
        Some(Sprm { code, operand })
    })
}

/// (bytes before the operand, operand length) of the sprm whose operand starts at `at`.
fn operand_size(code: u16, grpprl: &[u8], at: usize) -> Option<(usize, usize)> {
    Some(match code >> 13 {
        0 | 1 => (0, 1),
        2 | 4 | 5 => (0, 2),
        3 => (0, 4),
        7 => (0, 3),
        _ if code == SPRM_T_DEF_TABLE || code == 0xD606 => {
            (2, usize::from(u16_at(grpprl, at)?).saturating_sub(1))
        }
        _ if code == SPRM_P_CHG_TABS && u8_at(grpprl, at)? == 255 => {
            // PChgTabsDelClose then PChgTabsAdd, each led by its count.
            let deleted = usize::from(u8_at(grpprl, at + 1)?);
            let close = 1 + 1 + deleted * 4;
            let added = usize::from(u8_at(grpprl, at + close)?);
            (1, close + 1 + added * 3 - 1)
        }
        _ => (1, usize::from(u8_at(grpprl, at)?)),
    })
}

/// Paragraph properties the reader uses; `None` where nothing set them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParaProps {
    /// `sprmPFInTable`.
    pub in_table: bool,
    /// `sprmPFTtp`.
    pub ttp: bool,
    /// `sprmPItap`.
    pub itap: Option<u32>,
    /// `sprmPFInnerTableCell`.
    pub inner_cell: bool,
    /// `sprmPFInnerTtp`.
    pub inner_ttp: bool,
    /// `sprmPIlfo`.
    pub ilfo: Option<u16>,
    /// `sprmPIlvl`.
    pub ilvl: Option<u8>,
    /// `sprmPOutLvl`.
    pub outline: Option<u8>,
    /// The operand of `sprmTDefTable` (on a row-end mark).
    pub tdef: Option<Vec<u8>>,
}

impl ParaProps {
    /// Applies the sprms of `grpprl` over these properties.
    pub fn apply(&mut self, grpprl: &[u8]) {
        for sprm in sprms(grpprl) {
            match sprm.code {
                SPRM_P_F_IN_TABLE => self.in_table = sprm.byte() != 0,
                SPRM_P_F_TTP => self.ttp = sprm.byte() != 0,
                SPRM_P_ITAP => self.itap = i32_at(sprm.operand, 0).and_then(|v| u32::try_from(v).ok()),
                SPRM_P_F_INNER_TABLE_CELL => self.inner_cell = sprm.byte() != 0,
                SPRM_P_F_INNER_TTP => self.inner_ttp = sprm.byte() != 0,
                SPRM_P_ILFO => self.ilfo = u16_at(sprm.operand, 0),
                SPRM_P_ILVL => self.ilvl = Some(sprm.byte()),
                SPRM_P_OUT_LVL => self.outline = Some(sprm.byte()),
                SPRM_T_DEF_TABLE => self.tdef = Some(sprm.operand.to_vec()),
                _ => {}
            }
        }
    }

    /// Table depth: `sprmPItap` when set, else 1 in a table and 0 outside.
    pub fn depth(&self) -> u32 {
        match self.itap {
            Some(n) if n > 0 => n,
            _ => u32::from(self.in_table),
        }
    }
}

/// A bin table: the FKP page number for each range of FCs.
#[derive(Debug, Clone, Copy)]
pub struct BinTable<'a> {
    plc: Plc<'a>,
    word: &'a [u8],
}

impl<'a> BinTable<'a> {
    /// The bin table in `bytes` (from the table stream) over pages of `word`.
    pub fn new(bytes: &'a [u8], word: &'a [u8]) -> BinTable<'a> {
        BinTable {
            plc: Plc::new(bytes, 4),
            word,
        }
    }

    /// Number of FKP pages.
    pub fn len(&self) -> usize {
        self.plc.len()
    }

    /// The `i`th FKP page.
    pub fn page(&self, i: usize) -> Option<&'a [u8]> {
        let pn = u32_at(self.plc.data(i)?, 0)? & 0x003F_FFFF;
        slice(
            self.word,
            usize::try_from(pn).ok()?.checked_mul(FKP_SIZE)?,
            FKP_SIZE,
        )
    }
}

/// Every paragraph run of the PAPX FKP pages, by the FCs the pages themselves give: some
/// writers leave the bin table's own FC ranges inconsistent with its pages, so (as other
/// readers do) the table is only trusted for which pages exist.
#[derive(Debug, Clone, Default)]
pub struct PapxIndex<'a> {
    /// `(fc_start, fc_end, page, run)`, sorted by `fc_start`.
    runs: Vec<(u32, u32, &'a [u8], usize)>,
}

impl<'a> PapxIndex<'a> {
    /// Indexes the pages of `bins`, each page once, at most `max_runs` runs.
    pub fn new(bins: &BinTable<'a>, max_runs: usize) -> PapxIndex<'a> {
        let mut seen = std::collections::HashSet::new();
        let mut runs = Vec::new();
        'pages: for i in 0..bins.len() {
            let Some(page) = bins.page(i) else {
                continue;
            };
            if !seen.insert(page.as_ptr()) {
                continue;
            }
            for (start, end, run) in fkp_runs(page) {
                if runs.len() >= max_runs {
                    break 'pages;
                }
                if start < end {
                    runs.push((start, end, page, run));
                }
            }
        }
        runs.sort_by_key(|r| r.0);
        PapxIndex { runs }
    }

    /// The `(istd, grpprl)` of the paragraph whose mark is at `fc`.
    pub fn papx(&self, fc: u32) -> Option<(u16, &'a [u8])> {
        // The last run starting at or before `fc`, if it reaches past `fc`.
        let i = self.runs.partition_point(|r| r.0 <= fc).checked_sub(1)?;
        let &(_, end, page, run) = self.runs.get(i)?;
        (fc < end).then(|| papx_of_run(page, run)).flatten()
    }
}

/// The runs of an FKP page: `(fc_start, fc_end, index)`.
pub fn fkp_runs(page: &[u8]) -> impl Iterator<Item = (u32, u32, usize)> + '_ {
    let crun = usize::from(u8_at(page, FKP_SIZE - 1).unwrap_or(0));
    (0..crun).map_while(move |i| Some((u32_at(page, i * 4)?, u32_at(page, i * 4 + 4)?, i)))
}

/// The `grpprl` a `sprmPHugePapx` in `grpprl` points to: a `PrcData` (size, then sprms) in
/// the `Data` stream.
pub fn huge_papx<'d>(grpprl: &[u8], data_stream: &'d [u8]) -> Option<&'d [u8]> {
    let sprm = sprms(grpprl).find(|s| s.code == SPRM_P_HUGE_PAPX)?;
    let at = usize::try_from(u32_at(sprm.operand, 0)?).ok()?;
    let cb = usize::from(u16_at(data_stream, at)?);
    slice(data_stream, at + 2, cb)
}

/// The `(istd, grpprl)` of the paragraph whose mark is at `fc`, from a PAPX FKP page.
#[cfg(test)]
pub fn papx_at(page: &[u8], fc: u32) -> Option<(u16, &[u8])> {
    let (_, _, i) = fkp_runs(page).find(|&(start, end, _)| start <= fc && fc < end)?;
    papx_of_run(page, i)
}

/// The `(istd, grpprl)` of run `i` of a PAPX FKP page.
fn papx_of_run(page: &[u8], i: usize) -> Option<(u16, &[u8])> {
    let crun = usize::from(u8_at(page, FKP_SIZE - 1)?);
    // BxPap: 13 bytes each, after the crun + 1 FCs; its first byte is the word offset.
    let offset = usize::from(u8_at(page, (crun + 1) * 4 + i * 13)?) * 2;
    if offset == 0 {
        return None;
    }
    let cb = usize::from(u8_at(page, offset)?);
    let data = if cb != 0 {
        slice(page, offset + 1, cb * 2 - 1)?
    } else {
        let cb = usize::from(u8_at(page, offset + 1)?);
        slice(page, offset + 2, cb * 2)?
    };
    let istd = u16_at(data, 0)?;
    Some((istd, data.get(2..).unwrap_or_default()))
}

/// The `grpprl` of run `i` of a CHPX FKP page.
pub fn chpx_grpprl(page: &[u8], i: usize) -> Option<&[u8]> {
    let crun = usize::from(u8_at(page, FKP_SIZE - 1)?);
    let offset = usize::from(u8_at(page, (crun + 1) * 4 + i)?) * 2;
    if offset == 0 {
        return None;
    }
    let cb = usize::from(u8_at(page, offset)?);
    slice(page, offset + 1, cb)
}

/// The FC ranges (each sorted, merged) of characters that do not show as plain text, from
/// their direct character properties: deleted revisions (`sprmCFRMarkDel`), hidden text
/// (`sprmCFVanish`) and struck-through text (`sprmCFStrike`, `sprmCFDStrike`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CharLooks {
    /// Deleted revisions.
    pub deleted: Vec<(u32, u32)>,
    /// Hidden text.
    pub hidden: Vec<(u32, u32)>,
    /// Struck-through text.
    pub struck: Vec<(u32, u32)>,
}

impl CharLooks {
    /// Reads the CHPX FKP pages of `bins`.
    pub fn read(bins: &BinTable) -> CharLooks {
        let mut looks = CharLooks::default();
        for p in 0..bins.len() {
            let Some(page) = bins.page(p) else {
                continue;
            };
            for (start, end, i) in fkp_runs(page) {
                if start >= end {
                    continue;
                }
                let Some(grpprl) = chpx_grpprl(page, i) else {
                    continue;
                };
                let (mut deleted, mut hidden, mut struck, mut double) = (false, false, false, false);
                for sprm in sprms(grpprl) {
                    // 1 sets the property; 0x81 is "the opposite of the style's", which is
                    // off in the styles this reader does not apply.
                    let on = matches!(sprm.byte(), 1 | 0x81);
                    match sprm.code {
                        SPRM_C_F_RMARK_DEL => deleted = on,
                        SPRM_C_F_VANISH => hidden = on,
                        SPRM_C_F_STRIKE => struck = on,
                        SPRM_C_F_D_STRIKE => double = on,
                        _ => {}
                    }
                }
                for (set, ranges) in [
                    (deleted, &mut looks.deleted),
                    (hidden, &mut looks.hidden),
                    (struck || double, &mut looks.struck),
                ] {
                    if set {
                        ranges.push((start, end));
                    }
                }
            }
        }
        for ranges in [&mut looks.deleted, &mut looks.hidden, &mut looks.struck] {
            *ranges = merged(std::mem::take(ranges));
        }
        looks
    }

    /// True when every character shows as plain text.
    pub fn is_empty(&self) -> bool {
        self.deleted.is_empty() && self.hidden.is_empty() && self.struck.is_empty()
    }
}

/// Ranges sorted and merged where they touch or overlap.
fn merged(mut ranges: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Whether `fc` lies in one of the sorted, disjoint `ranges`.
pub fn in_ranges(ranges: &[(u32, u32)], fc: u32) -> bool {
    let i = ranges.partition_point(|&(_, end)| end <= fc);
    ranges.get(i).is_some_and(|&(start, _)| start <= fc)
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    #[test]
    fn sprm_sizes_follow_spra() {
        let mut g = Vec::new();
        g.extend(SPRM_P_F_IN_TABLE.to_le_bytes());
        g.push(1);
        g.extend(SPRM_P_ITAP.to_le_bytes());
        g.extend(2i32.to_le_bytes());
        g.extend(SPRM_P_ILFO.to_le_bytes());
        g.extend(3u16.to_le_bytes());
        g.extend(0xC60Du16.to_le_bytes()); // variable: 1-byte size
        g.extend([2, 9, 9]);
        g.extend(SPRM_T_DEF_TABLE.to_le_bytes());
        g.extend(4u16.to_le_bytes()); // 3 bytes follow
        g.extend([1, 0, 0]);
        g.extend(SPRM_P_F_TTP.to_le_bytes());
        g.push(1);
        let mut props = ParaProps::default();
        props.apply(&g);
        assert!(props.in_table && props.ttp);
        assert_eq!(props.itap, Some(2));
        assert_eq!(props.depth(), 2);
        assert_eq!(props.ilfo, Some(3));
        assert_eq!(props.tdef, Some(vec![1, 0, 0]));
        // Truncated: the iteration stops without reading past the end.
        assert_eq!(sprms(&g[..g.len() - 1]).count(), 5);
        assert_eq!(sprms(&[0x08, 0xD6, 0xFF]).count(), 0);
    }

    /// A one-run FKP page covering FCs `[start, end)` with `papx` (istd + grpprl) as its PAPX.
    pub fn papx_page(start: u32, end: u32, papx: &[u8]) -> Vec<u8> {
        let mut page = vec![0u8; FKP_SIZE];
        page[0..4].copy_from_slice(&start.to_le_bytes());
        page[4..8].copy_from_slice(&end.to_le_bytes());
        let offset = 200usize;
        page[8] = (offset / 2) as u8;
        let mut data = papx.to_vec();
        if data.len().is_multiple_of(2) {
            page[offset] = 0;
            page[offset + 1] = (data.len() / 2) as u8;
            page[offset + 2..offset + 2 + data.len()].copy_from_slice(&data);
        } else {
            page[offset] = data.len().div_ceil(2) as u8;
            data.push(0);
            page[offset + 1..offset + 1 + data.len()].copy_from_slice(&data);
        }
        page[FKP_SIZE - 1] = 1;
        page
    }

    #[test]
    fn papx_lookup_by_fc() {
        let papx = [5u8, 0, 0x16, 0x24, 1];
        let page = papx_page(100, 200, &papx);
        let (istd, grpprl) = papx_at(&page, 150).unwrap();
        assert_eq!(istd, 5);
        assert_eq!(grpprl, &[0x16, 0x24, 1]);
        assert!(papx_at(&page, 200).is_none());
        let even = papx_page(0, 10, &[1, 0, 0x16, 0x24, 1, 0]);
        assert_eq!(papx_at(&even, 3).map(|(i, _)| i), Some(1));
        // A page claiming 255 runs reads garbage but never past its end.
        let mut hostile = vec![0xFFu8; FKP_SIZE];
        hostile[0..4].copy_from_slice(&0u32.to_le_bytes());
        let _ = papx_at(&hostile, 5);
        let _ = chpx_grpprl(&hostile, 254);
    }

    #[test]
    fn papx_index_trusts_the_pages_not_the_bin_table_ranges() {
        let mut word = vec![0u8; 3 * FKP_SIZE];
        word[FKP_SIZE * 2..].copy_from_slice(&papx_page(1000, 1020, &[7, 0]));
        word[FKP_SIZE..FKP_SIZE * 2].copy_from_slice(&papx_page(900, 1000, &[3, 0]));
        // Bin-table ranges unrelated to the pages' own FCs; page 2 listed twice.
        let plc = [0u32, 50, 60, 70, 2, 1, 2].map(u32::to_le_bytes).concat();
        let bins = BinTable::new(&plc, &word);
        assert_eq!(bins.len(), 3);
        let index = PapxIndex::new(&bins, 100);
        assert_eq!(index.runs.len(), 2);
        assert_eq!(index.papx(1010).map(|(i, _)| i), Some(7));
        assert_eq!(index.papx(900).map(|(i, _)| i), Some(3));
        assert_eq!(index.papx(1020), None);
        assert_eq!(index.papx(10), None);
        assert_eq!(PapxIndex::new(&bins, 1).runs.len(), 1);
        let huge = [0u32, 50, u32::MAX].map(u32::to_le_bytes).concat();
        assert!(PapxIndex::new(&BinTable::new(&huge, &word), 100).runs.is_empty());
    }

    /// A CHPX FKP page of runs `[start, end)` with their `grpprl`s.
    fn chpx_page(runs: &[(u32, u32, &[u8])]) -> Vec<u8> {
        let mut page = vec![0u8; FKP_SIZE];
        let crun = runs.len();
        for (i, (start, end, _)) in runs.iter().enumerate() {
            page[i * 4..i * 4 + 4].copy_from_slice(&start.to_le_bytes());
            page[i * 4 + 4..i * 4 + 8].copy_from_slice(&end.to_le_bytes());
        }
        let mut offset = 300usize;
        for (i, (_, _, grpprl)) in runs.iter().enumerate() {
            page[(crun + 1) * 4 + i] = (offset / 2) as u8;
            page[offset] = grpprl.len() as u8;
            page[offset + 1..offset + 1 + grpprl.len()].copy_from_slice(grpprl);
            offset += (1 + grpprl.len()).div_ceil(2) * 2;
        }
        page[FKP_SIZE - 1] = crun as u8;
        page
    }

    #[test]
    fn hidden_struck_and_deleted_runs_are_found_in_the_chpx_pages() {
        let vanish = [0x3C, 0x08, 1];
        let strike = [0x37, 0x08, 0x81];
        let double = [0x53, 0x2A, 1];
        let deleted = [0x00, 0x08, 1];
        let off = [0x3C, 0x08, 1, 0x3C, 0x08, 0];
        let page = chpx_page(&[
            (0, 10, &vanish),
            (10, 20, &vanish),
            (20, 30, &strike),
            (30, 40, &off),
            (40, 50, &double),
            (50, 60, &deleted),
        ]);
        let mut word = vec![0u8; FKP_SIZE];
        word.extend(page);
        let plc = [0u32, 100, 1].map(u32::to_le_bytes).concat();
        let looks = CharLooks::read(&BinTable::new(&plc, &word));
        assert_eq!(looks.hidden, vec![(0, 20)]);
        assert_eq!(looks.struck, vec![(20, 30), (40, 50)]);
        assert_eq!(looks.deleted, vec![(50, 60)]);
        assert!(!looks.is_empty());
        assert!(CharLooks::default().is_empty());
    }

    #[test]
    fn deleted_ranges_merge_and_answer() {
        let ranges = [(10, 20), (30, 40)];
        assert!(in_ranges(&ranges, 10));
        assert!(!in_ranges(&ranges, 20));
        assert!(in_ranges(&ranges, 39));
        assert!(!in_ranges(&ranges, 5));
        assert!(!in_ranges(&[], 5));
    }
}
