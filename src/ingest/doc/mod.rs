//! Word 97–2003 (`.doc`) and WPS Writer (`.wps`) reading without LibreOffice: the compound
//! file with the `cfb` crate, then the Word binary format ([MS-DOC]) — the FIB, the piece
//! table, paragraph properties from the PAPX FKPs (tables, lists, outline levels), the style
//! sheet and list definitions — into the same [`Document`] blocks the `.docx` reader gives.
//!
//! What is read: the main document's text with field results (not field codes), paragraphs
//! with style name, outline level and numbering label, tables (cells, rows, horizontal and
//! vertical merges, nested tables after their parent), text boxes after the paragraph that
//! anchors them. Left out, as the `.docx` reader leaves them out: headers and footers,
//! footnotes, endnotes, comments, pictures; deleted revisions (`sprmCFRMarkDel`) are dropped,
//! hidden text (`sprmCFVanish`) is left out and struck-through text marked, as the `.docx`
//! reader does.
//! Not read: numbering set by a piece's single packed `Prm` (fast-saved files keep such
//! properties in a `Prc`, which is read).
//!
//! Files older than Word 97 and files whose structures are damaged are
//! [`DocError::wants_fallback`] errors: the caller may convert them with LibreOffice.
//! Readers take bytes; every offset and length from the file is checked, text longer than the
//! `WordDocument` stream is refused before anything is allocated for it, and the paragraph and
//! table-cell budgets follow `limits.max_rows` like the `.docx` reader's.

mod body;
mod bytes;
mod fib;
mod lists;
mod pieces;
mod props;
mod styles;
mod tables;
mod text;

use super::{Content, Document, FileKind, IngestError, Ingested};
use crate::config::Limits;
use bytes::{i32_at, slice32, u16_at, Plc};
use fib::{FcLcb, Fib};
use std::collections::HashMap;
use std::io::{Cursor, Read};

/// Why a `.doc` could not be read natively.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// A compound file without a `WordDocument` stream (another OLE format).
    #[error("不是 Word 文档（复合文件中没有 WordDocument 流）")]
    NotWord,
    /// Password-protected or obfuscated.
    #[error("文件已加密（设置了打开密码），无法读取")]
    Encrypted,
    /// Word 6.0/95 or older (`nFib` below Word 97's).
    #[error("Word 6.0/95 或更早版本的文档（nFib = {n_fib:#06x}）")]
    OldFormat {
        /// The file's `nFib`.
        n_fib: u16,
    },
    /// A structure is damaged or out of range.
    #[error("Word 文档结构损坏：{0}")]
    Corrupt(String),
    /// Over a limit (not worth converting either).
    #[error("{0}")]
    TooLarge(String),
}

impl DocError {
    /// A [`DocError::Corrupt`] with a Chinese reason.
    pub fn corrupt(reason: impl Into<String>) -> DocError {
        DocError::Corrupt(reason.into())
    }

    /// Whether another reader (LibreOffice) may still read the file: older formats and damaged
    /// structures. Not for encrypted files, other compound files or files over a limit.
    pub fn wants_fallback(&self) -> bool {
        matches!(self, DocError::OldFormat { .. } | DocError::Corrupt(_))
    }

    /// The error to report when the file is not read at all.
    pub fn into_ingest_error(self) -> IngestError {
        match self {
            DocError::NotWord => IngestError::Unsupported {
                what: "复合文档（不是 Word 文档）".into(),
                hint: "请报送 .docx 工作报告或 .xlsx 进展表".into(),
            },
            DocError::Encrypted => IngestError::Encrypted,
            DocError::OldFormat { .. } => IngestError::Unsupported {
                what: "Word 6.0/95 或更早版本的文档".into(),
                hint: "请用 Word 或 WPS 打开后另存为 .docx 再报送，或在本机安装 LibreOffice 以自动转换"
                    .into(),
            },
            DocError::Corrupt(reason) => IngestError::Unreadable {
                reason: format!("Word 97-2003 / WPS 文档已损坏（{reason}）"),
                hint: "请用 Word 或 WPS 打开后另存为 .docx 格式再报送".into(),
            },
            DocError::TooLarge(reason) => IngestError::unreadable(reason),
        }
    }
}

/// Reads a Word 97–2003 / WPS binary document into blocks.
pub fn read_document(bytes: &[u8], limits: &Limits) -> Result<Ingested, DocError> {
    let (word, table, data) = open_streams(bytes, limits)?;
    let fib = Fib::parse(&word)?;
    let table = table
        .get(fib.table_stream())
        .ok_or_else(|| DocError::corrupt(format!("缺少 {} 流", fib.table_stream())))?;
    let structure = |which: FcLcb| -> Option<&[u8]> {
        let (fc, lcb) = fib.get(which)?;
        slice32(table, fc, lcb)
    };
    let clx = structure(FcLcb::Clx).ok_or_else(|| DocError::corrupt("缺少片段表（Clx）"))?;
    let pieces = pieces::PieceTable::parse(clx)?;
    let end = u32::try_from(fib.ccp.txbx_end()).unwrap_or(u32::MAX);
    let text = pieces.text(&word, end, word.len())?;
    let styles = structure(FcLcb::Stshf)
        .map(styles::Styles::parse)
        .unwrap_or_default();
    // The LVLs of the lists follow the PlfLst outside its lcb: read on to the stream's end.
    let tail = |which: FcLcb| -> &[u8] {
        fib.get(which)
            .and_then(|(fc, _)| table.get(usize::try_from(fc).ok()?..))
            .unwrap_or_default()
    };
    let lists = lists::Lists::parse(tail(FcLcb::PlfLst), tail(FcLcb::PlfLfo));
    let max_paragraphs =
        usize::try_from(u64::from(limits.max_rows).saturating_mul(body::CELLS_PER_ROW_LIMIT))
            .unwrap_or(usize::MAX);
    let papx = structure(FcLcb::PlcfBtePapx)
        .map(|b| props::PapxIndex::new(&props::BinTable::new(b, &word), max_paragraphs))
        .unwrap_or_default();
    let source = text::Source {
        text: &text,
        pieces: &pieces,
        papx,
        data: &data,
        looks: structure(FcLcb::PlcfBteChpx)
            .map(|b| props::CharLooks::read(&props::BinTable::new(b, &word)))
            .unwrap_or_default(),
        styles: &styles,
        section_ends: section_ends(structure(FcLcb::PlcfSed).unwrap_or_default()),
        max_paragraphs,
    };
    let stories = stories(
        &fib,
        structure(FcLcb::PlcftxbxTxt).unwrap_or_default(),
        structure(FcLcb::PlcSpaMom).unwrap_or_default(),
    );
    let mut walker = body::Walker::new(&source, lists, stories, limits);
    walker.main_document(fib.ccp.text)?;
    let notes = walker.take_notes();
    // The header subdocument follows the main document and the footnotes.
    let headers_start = fib.ccp.text.saturating_add(fib.ccp.ftn);
    let mut count = 0;
    let headers = source
        .paragraphs(
            headers_start,
            headers_start.saturating_add(fib.ccp.hdd),
            &mut count,
        )
        .map(|ps| {
            ps.iter()
                .map(|p| p.text())
                .filter(|t| !t.trim().is_empty())
                .collect()
        })
        .unwrap_or_default();
    Ok(Ingested {
        kind: FileKind::Report,
        content: Content::Document(Document {
            blocks: walker.finish()?,
            headers,
        }),
        notes,
    })
}

/// The streams of a Word file: `WordDocument`, the table streams present by name, and `Data`
/// (empty when absent).
type Streams = (Vec<u8>, HashMap<&'static str, Vec<u8>>, Vec<u8>);

/// Opens the compound file and reads its Word streams, each up to `limits.max_part_bytes`.
fn open_streams(bytes: &[u8], limits: &Limits) -> Result<Streams, DocError> {
    let mut file = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| DocError::corrupt(format!("复合文件结构无效（{e}）")))?;
    if !file.is_stream("/WordDocument") {
        return Err(DocError::NotWord);
    }
    let word = read_stream(&mut file, "/WordDocument", limits)?;
    let mut tables = HashMap::new();
    for name in ["0Table", "1Table"] {
        let path = format!("/{name}");
        if file.is_stream(&path) {
            tables.insert(name, read_stream(&mut file, &path, limits)?);
        }
    }
    let data = if file.is_stream("/Data") {
        read_stream(&mut file, "/Data", limits)?
    } else {
        Vec::new()
    };
    Ok((word, tables, data))
}

fn read_stream(
    file: &mut cfb::CompoundFile<Cursor<&[u8]>>,
    path: &str,
    limits: &Limits,
) -> Result<Vec<u8>, DocError> {
    let stream = file
        .open_stream(path)
        .map_err(|e| DocError::corrupt(format!("无法打开 {path} 流（{e}）")))?;
    if stream.len() > limits.max_part_bytes {
        return Err(DocError::TooLarge(format!(
            "文档内容超过大小上限（{} MiB）",
            limits.max_part_bytes >> 20
        )));
    }
    let mut data = Vec::new();
    stream
        .take(limits.max_part_bytes)
        .read_to_end(&mut data)
        .map_err(|e| DocError::corrupt(format!("无法读取 {path} 流（{e}）")))?;
    Ok(data)
}

/// The CPs at which sections end (`PlcfSed`, 12-byte `Sed`s).
fn section_ends(plcf_sed: &[u8]) -> Vec<u32> {
    let plc = Plc::new(plcf_sed, 12);
    let mut ends: Vec<u32> = (1..=plc.len()).filter_map(|i| plc.pos(i)).collect();
    ends.sort_unstable();
    ends
}

/// The main document's text-box stories (`PlcftxbxTxt`, 22-byte `FTXBXS`, CPs relative to
/// the text-box subdocument) with the CP of the shape that shows each (`PlcSpaMom`, 26-byte
/// `SPA`s whose `spid` is the story's `lid`).
fn stories(fib: &Fib, plcf_txbx: &[u8], plc_spa: &[u8]) -> Vec<body::Story> {
    let spa = Plc::new(plc_spa, 26);
    let anchors: HashMap<i32, u32> = (0..spa.len())
        .filter_map(|i| Some((i32_at(spa.data(i)?, 0)?, spa.pos(i)?)))
        .collect();
    let base = fib.ccp.txbx_start();
    let end = fib.ccp.txbx_end();
    let plc = Plc::new(plcf_txbx, 22);
    (0..plc.len())
        .filter_map(|i| {
            let data = plc.data(i)?;
            if u16_at(data, 8)? & 1 != 0 {
                return None;
            }
            let start = (base + u64::from(plc.pos(i)?)).min(end);
            let stop = (base + u64::from(plc.pos(i + 1)?)).min(end);
            (start < stop).then_some(body::Story {
                start: u32::try_from(start).ok()?,
                end: u32::try_from(stop).ok()?,
                anchor: anchors.get(&i32_at(data, 14)?).copied(),
                placed: false,
            })
        })
        .collect()
}
