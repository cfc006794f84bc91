//! The piece table ([MS-DOC] 2.9.38 Clx, 2.4.1 Retrieving Text): which bytes of the
//! `WordDocument` stream hold each run of character positions (CPs), 8-bit "compressed"
//! (one byte a character, Windows-1252 with a few remappings) or UTF-16LE, and the property
//! modifiers (`Prm`) a piece may carry.

use super::bytes::{i16_at, slice, u16_at, u32_at, u8_at, Plc};
use super::DocError;

/// One piece: CPs `[cp_start, cp_end)` stored from byte `fc` of the `WordDocument` stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    /// First CP.
    pub cp_start: u32,
    /// One past the last CP.
    pub cp_end: u32,
    /// Byte offset of the first character in the `WordDocument` stream.
    pub fc: u32,
    /// One byte a character (else two).
    pub compressed: bool,
    /// The piece's property modifier.
    pub prm: u16,
}

impl Piece {
    /// The byte offset of `cp` (which must be in the piece) in the `WordDocument` stream.
    pub fn fc_of(&self, cp: u32) -> u32 {
        let delta = cp.saturating_sub(self.cp_start);
        let step = if self.compressed { 1 } else { 2 };
        self.fc.saturating_add(delta.saturating_mul(step))
    }
}

/// The document's pieces in CP order and the property groups (`Prc`) their modifiers use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PieceTable {
    /// Pieces, contiguous from CP 0.
    pub pieces: Vec<Piece>,
    /// `grpprl` of each `Prc`, indexed by a complex `Prm`'s `igrpprl`.
    pub prcs: Vec<Vec<u8>>,
}

impl PieceTable {
    /// Parses a `Clx`: `Prc` entries, then the `Pcdt` with its `PlcPcd`.
    pub fn parse(clx: &[u8]) -> Result<PieceTable, DocError> {
        let mut table = PieceTable::default();
        let mut at = 0usize;
        loop {
            match u8_at(clx, at) {
                Some(0x01) => {
                    let size = i16_at(clx, at + 1)
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| DocError::corrupt("片段表（Clx）的属性组长度无效"))?;
                    let grpprl = slice(clx, at + 3, size)
                        .ok_or_else(|| DocError::corrupt("片段表（Clx）的属性组超出范围"))?;
                    table.prcs.push(grpprl.to_vec());
                    at += 3 + size;
                }
                Some(0x02) => {
                    let lcb = u32_at(clx, at + 1)
                        .and_then(|n| usize::try_from(n).ok())
                        .ok_or_else(|| DocError::corrupt("片段表（Pcdt）不完整"))?;
                    let plc = slice(clx, at + 5, lcb)
                        .ok_or_else(|| DocError::corrupt("片段表（PlcPcd）超出范围"))?;
                    table.pieces = parse_plc_pcd(plc)?;
                    return Ok(table);
                }
                _ => return Err(DocError::corrupt("片段表（Clx）结构无效")),
            }
        }
    }

    /// The piece holding `cp`.
    pub fn piece_at(&self, cp: u32) -> Option<&Piece> {
        let i = self.pieces.partition_point(|p| p.cp_end <= cp);
        self.pieces.get(i).filter(|p| p.cp_start <= cp)
    }

    /// The `grpprl` a complex `Prm` points to (a non-complex `Prm`, one packed sprm, is not
    /// read: the properties it can set are not the ones the reader needs).
    pub fn prm_grpprl(&self, prm: u16) -> Option<&[u8]> {
        if prm & 1 == 0 {
            return None;
        }
        self.prcs.get(usize::from(prm >> 1)).map(Vec::as_slice)
    }

    /// The text of CPs `[0, end)` as UTF-16 code units, one a CP. Reading stops at `end`, at
    /// the last piece, or when `budget` units have been read (a file's text cannot be longer
    /// than its `WordDocument` stream, so a larger claim is corrupt).
    pub fn text(&self, word: &[u8], end: u32, budget: usize) -> Result<Vec<u16>, DocError> {
        let mut units: Vec<u16> = Vec::new();
        for piece in &self.pieces {
            if piece.cp_start >= end {
                break;
            }
            let count = piece.cp_end.min(end) - piece.cp_start;
            let count = usize::try_from(count).unwrap_or(usize::MAX);
            if units.len().saturating_add(count) > budget {
                return Err(DocError::corrupt("片段表声明的文字长度超过文件大小"));
            }
            let start = usize::try_from(piece.fc).unwrap_or(usize::MAX);
            let width = if piece.compressed { 1 } else { 2 };
            let bytes = slice(word, start, count.saturating_mul(width))
                .ok_or_else(|| DocError::corrupt("文字片段超出 WordDocument 流的范围"))?;
            if piece.compressed {
                units.extend(bytes.iter().map(|&b| compressed_unit(b)));
            } else {
                units.extend(
                    bytes
                        .chunks_exact(2)
                        .map(|pair| u16::from_le_bytes([pair[0], pair[1]])),
                );
            }
        }
        Ok(units)
    }
}

/// Reads the `PlcPcd`: CPs must start at 0 and increase; the file offset of a compressed
/// piece is stored doubled with bit 30 set ([MS-DOC] 2.9.73 FcCompressed).
fn parse_plc_pcd(plc: &[u8]) -> Result<Vec<Piece>, DocError> {
    let plc = Plc::new(plc, 8);
    let mut pieces = Vec::with_capacity(plc.len());
    for i in 0..plc.len() {
        let (Some(cp_start), Some(cp_end), Some(pcd)) = (plc.pos(i), plc.pos(i + 1), plc.data(i)) else {
            break;
        };
        if cp_end <= cp_start || (i == 0 && cp_start != 0) {
            return Err(DocError::corrupt("片段表的字符位置不是递增的"));
        }
        let raw = u32_at(pcd, 2).unwrap_or(0);
        let compressed = raw & 0x4000_0000 != 0;
        let fc = raw & 0x3FFF_FFFF;
        pieces.push(Piece {
            cp_start,
            cp_end,
            fc: if compressed { fc / 2 } else { fc },
            compressed,
            prm: u16_at(pcd, 6).unwrap_or(0),
        });
    }
    if pieces.is_empty() {
        return Err(DocError::corrupt("片段表为空"));
    }
    Ok(pieces)
}

/// The character of one byte of a compressed piece: Latin-1, except the bytes [MS-DOC] 2.4.1
/// maps to Windows-1252 punctuation.
pub fn compressed_unit(byte: u8) -> u16 {
    match byte {
        0x82 => 0x201A,
        0x83 => 0x0192,
        0x84 => 0x201E,
        0x85 => 0x2026,
        0x86 => 0x2020,
        0x87 => 0x2021,
        0x88 => 0x02C6,
        0x89 => 0x2030,
        0x8A => 0x0160,
        0x8B => 0x2039,
        0x8C => 0x0152,
        0x91 => 0x2018,
        0x92 => 0x2019,
        0x93 => 0x201C,
        0x94 => 0x201D,
        0x95 => 0x2022,
        0x96 => 0x2013,
        0x97 => 0x2014,
        0x98 => 0x02DC,
        0x99 => 0x2122,
        0x9A => 0x0161,
        0x9B => 0x203A,
        0x9C => 0x0153,
        0x9F => 0x0178,
        other => u16::from(other),
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A `Clx` with one `Prc` and the given pieces (cp_start, cp_end, raw fc field, prm).
    pub fn clx(pieces: &[(u32, u32, u32, u16)]) -> Vec<u8> {
        let mut plc = Vec::new();
        for (i, p) in pieces.iter().enumerate() {
            if i == 0 {
                plc.extend(p.0.to_le_bytes());
            }
            plc.extend(p.1.to_le_bytes());
        }
        for p in pieces {
            plc.extend(0u16.to_le_bytes());
            plc.extend(p.2.to_le_bytes());
            plc.extend(p.3.to_le_bytes());
        }
        let mut clx = vec![0x01, 3, 0, 0x16, 0x24, 0x01];
        clx.push(0x02);
        clx.extend((plc.len() as u32).to_le_bytes());
        clx.extend(plc);
        clx
    }

    #[test]
    fn compressed_and_utf16_pieces_are_read_in_cp_order() {
        // "ab" compressed at byte 10 (stored as 20 | 0x40000000), then "任务" in UTF-16 at 16.
        let mut word = vec![0u8; 32];
        word[10] = b'a';
        word[11] = 0x93;
        for (i, unit) in "任务".encode_utf16().enumerate() {
            word[16 + 2 * i..18 + 2 * i].copy_from_slice(&unit.to_le_bytes());
        }
        let table = PieceTable::parse(&clx(&[(0, 2, 20 | 0x4000_0000, 0), (2, 4, 16, 1)])).unwrap();
        assert_eq!(table.prcs, vec![vec![0x16, 0x24, 0x01]]);
        assert!(table.pieces[0].compressed);
        assert_eq!(table.pieces[0].fc, 10);
        assert_eq!(table.pieces[1].fc_of(3), 18);
        assert_eq!(table.piece_at(3).map(|p| p.fc), Some(16));
        assert_eq!(table.piece_at(4), None);
        assert_eq!(
            table.prm_grpprl(table.pieces[1].prm),
            Some(&[0x16, 0x24, 0x01][..])
        );
        assert_eq!(table.prm_grpprl(0), None);
        let text = table.text(&word, 4, 100).unwrap();
        assert_eq!(String::from_utf16_lossy(&text), "a\u{201C}任务");
        let head = table.text(&word, 3, 100).unwrap();
        assert_eq!(String::from_utf16_lossy(&head), "a\u{201C}任");
    }

    #[test]
    fn hostile_piece_tables_are_errors_not_allocations() {
        // A piece claiming four billion characters from a 32-byte stream.
        let word = vec![0u8; 32];
        let table = PieceTable::parse(&clx(&[(0, u32::MAX, 0, 0)])).unwrap();
        assert!(table.text(&word, u32::MAX, 32).is_err());
        // Data past the end of the stream.
        let table = PieceTable::parse(&clx(&[(0, 8, 30, 0)])).unwrap();
        assert!(table.text(&word, 8, 100).is_err());
        // Decreasing CPs, an empty table, an unknown entry, a truncated Prc.
        assert!(PieceTable::parse(&clx(&[(0, 5, 0, 0), (5, 3, 0, 0)])).is_err());
        assert!(PieceTable::parse(&[0x02, 0, 0, 0, 0]).is_err());
        assert!(PieceTable::parse(&[0x07]).is_err());
        assert!(PieceTable::parse(&[0x01, 0xFF, 0x7F, 0]).is_err());
        assert!(PieceTable::parse(&[0x01, 0xFF, 0xFF]).is_err());
    }

    #[test]
    fn cp1252_remappings() {
        assert_eq!(compressed_unit(b'A'), 0x41);
        assert_eq!(compressed_unit(0x85), 0x2026);
        assert_eq!(compressed_unit(0x80), 0x80);
        assert_eq!(compressed_unit(0xE9), 0xE9);
    }
}
