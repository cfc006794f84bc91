//! The File Information Block ([MS-DOC] 2.5): the header of the `WordDocument` stream that
//! says which version wrote the file, whether it is encrypted, which table stream holds its
//! structures, how long each subdocument is, and where each structure is (`fc`/`lcb` pairs).

use super::bytes::{i32_at, u16_at, u32_at};
use super::DocError;

/// `wIdent` of a Word binary file.
const W_IDENT: u16 = 0xA5EC;

/// `wIdent` of Word 6.0/95 (0xA5DC) and of Word for DOS/2.0 files (0xA5DB, 0xA59B).
const OLD_IDENTS: [u16; 3] = [0xA5DC, 0xA5DB, 0xA59B];

/// `nFib` of Word 97; later versions keep it in `FibBase` too (their own number is further on).
pub const NFIB_WORD97: u16 = 0x00C1;

/// Size of `FibBase`.
const FIB_BASE: usize = 32;

/// Index of each `fc`/`lcb` pair used here in `FibRgFcLcb97`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FcLcb {
    /// `fcStshf`: the style sheet.
    Stshf = 1,
    /// `fcPlcfSed`: section descriptors.
    PlcfSed = 6,
    /// `fcPlcfBteChpx`: character-property FKP pages.
    PlcfBteChpx = 12,
    /// `fcPlcfBtePapx`: paragraph-property FKP pages.
    PlcfBtePapx = 13,
    /// `fcClx`: the piece table.
    Clx = 33,
    /// `fcPlcSpaMom`: shapes anchored in the main document.
    PlcSpaMom = 40,
    /// `fcPlcftxbxTxt`: text-box stories.
    PlcftxbxTxt = 56,
    /// `fcPlfLst`: list definitions.
    PlfLst = 73,
    /// `fcPlfLfo`: list overrides.
    PlfLfo = 74,
}

/// Character counts of the subdocuments (`FibRgLw97`), in the order their text follows the
/// main document's in CP space.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ccp {
    /// Main document.
    pub text: u32,
    /// Footnotes.
    pub ftn: u32,
    /// Headers and footers.
    pub hdd: u32,
    /// Comments.
    pub atn: u32,
    /// Endnotes.
    pub edn: u32,
    /// Text boxes of the main document.
    pub txbx: u32,
    /// Text boxes of headers.
    pub hdr_txbx: u32,
}

impl Ccp {
    /// The first CP of the main document's text-box subdocument.
    pub fn txbx_start(&self) -> u64 {
        [self.text, self.ftn, self.hdd, self.atn, self.edn]
            .iter()
            .map(|&n| u64::from(n))
            .sum()
    }

    /// One past the last CP of the main document's text-box subdocument.
    pub fn txbx_end(&self) -> u64 {
        self.txbx_start() + u64::from(self.txbx)
    }
}

/// The parts of the FIB the reader uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fib {
    /// `FibBase.nFib`.
    pub n_fib: u16,
    /// `fWhichTblStm`: the table stream is `1Table` (else `0Table`).
    pub table_1: bool,
    /// `fEncrypted`.
    pub encrypted: bool,
    /// `fObfuscated` (XOR obfuscation, only meaningful with `fEncrypted`).
    pub obfuscated: bool,
    /// Subdocument lengths.
    pub ccp: Ccp,
    fc_lcb: Vec<(u32, u32)>,
}

impl Fib {
    /// Reads the FIB at the start of the `WordDocument` stream. Files older than Word 97 are
    /// [`DocError::OldFormat`] (after the encryption check, which they share).
    pub fn parse(word: &[u8]) -> Result<Fib, DocError> {
        let corrupt = || DocError::corrupt("文件头（FIB）不完整");
        let ident = u16_at(word, 0).ok_or_else(corrupt)?;
        let n_fib = u16_at(word, 2).ok_or_else(corrupt)?;
        if OLD_IDENTS.contains(&ident) {
            return Err(DocError::OldFormat { n_fib });
        }
        if ident != W_IDENT {
            return Err(DocError::corrupt(format!(
                "WordDocument 流的文件头标识不正确（{ident:#06x}）"
            )));
        }
        let flags = u16_at(word, 10).ok_or_else(corrupt)?;
        let encrypted = flags & 0x0100 != 0;
        let obfuscated = flags & 0x8000 != 0;
        if encrypted || obfuscated {
            return Err(DocError::Encrypted);
        }
        if n_fib < NFIB_WORD97 {
            return Err(DocError::OldFormat { n_fib });
        }
        let csw = usize::from(u16_at(word, FIB_BASE).ok_or_else(corrupt)?);
        let lw_at = FIB_BASE + 2 + csw * 2;
        let cslw = usize::from(u16_at(word, lw_at).ok_or_else(corrupt)?);
        let lw = |i: usize| -> u32 {
            if i < cslw {
                // A negative count is treated as empty.
                i32_at(word, lw_at + 2 + i * 4)
                    .and_then(|v| u32::try_from(v).ok())
                    .unwrap_or(0)
            } else {
                0
            }
        };
        let ccp = Ccp {
            text: lw(3),
            ftn: lw(4),
            hdd: lw(5),
            atn: lw(7),
            edn: lw(8),
            txbx: lw(9),
            hdr_txbx: lw(10),
        };
        let fc_at = lw_at + 2 + cslw * 4;
        let count = usize::from(u16_at(word, fc_at).ok_or_else(corrupt)?);
        let fc_lcb = (0..count)
            .map_while(|i| {
                let at = fc_at + 2 + i * 8;
                Some((u32_at(word, at)?, u32_at(word, at + 4)?))
            })
            .collect();
        Ok(Fib {
            n_fib,
            table_1: flags & 0x0200 != 0,
            encrypted,
            obfuscated,
            ccp,
            fc_lcb,
        })
    }

    /// The (`fc`, `lcb`) of a structure in the table stream; `None` when the FIB does not
    /// have the pair or the structure is empty.
    pub fn get(&self, which: FcLcb) -> Option<(u32, u32)> {
        self.fc_lcb
            .get(which as usize)
            .copied()
            .filter(|&(_, lcb)| lcb > 0)
    }

    /// Name of the table stream.
    pub fn table_stream(&self) -> &'static str {
        if self.table_1 {
            "1Table"
        } else {
            "0Table"
        }
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A Word 97 FIB with the given subdocument lengths and `fc`/`lcb` pairs, `flags` in
    /// `FibBase`.
    pub fn fib_bytes(flags: u16, ccp_text: u32, ccp_txbx: u32, pairs: &[(FcLcb, u32, u32)]) -> Vec<u8> {
        let mut b = vec![0u8; FIB_BASE];
        b[0..2].copy_from_slice(&W_IDENT.to_le_bytes());
        b[2..4].copy_from_slice(&NFIB_WORD97.to_le_bytes());
        b[10..12].copy_from_slice(&flags.to_le_bytes());
        b.extend(14u16.to_le_bytes());
        b.extend([0u8; 28]);
        b.extend(22u16.to_le_bytes());
        let mut lw = [0u32; 22];
        lw[3] = ccp_text;
        lw[9] = ccp_txbx;
        for v in lw {
            b.extend(v.to_le_bytes());
        }
        b.extend(93u16.to_le_bytes());
        let mut fc_lcb = vec![(0u32, 0u32); 93];
        for &(which, fc, lcb) in pairs {
            fc_lcb[which as usize] = (fc, lcb);
        }
        for (fc, lcb) in fc_lcb {
            b.extend(fc.to_le_bytes());
            b.extend(lcb.to_le_bytes());
        }
        b
    }

    #[test]
    fn reads_counts_pairs_and_the_table_stream() {
        let bytes = fib_bytes(0x0200, 120, 7, &[(FcLcb::Clx, 0x400, 21)]);
        let fib = Fib::parse(&bytes).unwrap();
        assert_eq!(fib.ccp.text, 120);
        assert_eq!(fib.ccp.txbx, 7);
        assert_eq!(fib.ccp.txbx_start(), 120);
        assert_eq!(fib.get(FcLcb::Clx), Some((0x400, 21)));
        assert_eq!(fib.get(FcLcb::PlfLst), None);
        assert_eq!(fib.table_stream(), "1Table");
    }

    #[test]
    fn encrypted_old_and_foreign_headers_are_told_apart() {
        let encrypted = fib_bytes(0x0100, 1, 0, &[]);
        assert!(matches!(Fib::parse(&encrypted), Err(DocError::Encrypted)));
        let obfuscated = fib_bytes(0x8100, 1, 0, &[]);
        assert!(matches!(Fib::parse(&obfuscated), Err(DocError::Encrypted)));
        let mut word6 = fib_bytes(0, 1, 0, &[]);
        word6[2..4].copy_from_slice(&0x0065u16.to_le_bytes());
        assert!(matches!(
            Fib::parse(&word6),
            Err(DocError::OldFormat { n_fib: 0x65 })
        ));
        let mut word95 = fib_bytes(0, 1, 0, &[]);
        word95[0..4].copy_from_slice(&[0xDC, 0xA5, 0x68, 0x00]);
        assert!(matches!(
            Fib::parse(&word95),
            Err(DocError::OldFormat { n_fib: 0x68 })
        ));
        assert!(matches!(Fib::parse(b"\xEC\xA5"), Err(DocError::Corrupt(_))));
        assert!(matches!(
            Fib::parse(b"PK\x03\x04xxxxxxxxxxxx"),
            Err(DocError::Corrupt(_))
        ));
        let mut truncated = fib_bytes(0, 1, 0, &[]);
        truncated.truncate(40);
        assert!(matches!(Fib::parse(&truncated), Err(DocError::Corrupt(_))));
    }
}
