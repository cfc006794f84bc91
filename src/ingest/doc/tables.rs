//! Table rows ([MS-DOC] 2.4.3 Overview of Tables): a row's cell boundaries and cell
//! properties come from `sprmTDefTable` on its row-end mark. The columns of a table are the
//! distinct boundaries of all its rows (as Word derives `w:tblGrid`), so a wide cell spans the
//! columns between its edges; `fVertMerge`/`fVertRestart` give vertical merges and
//! `fFirstMerged`/`fMerged` Word 97's horizontal ones. Cells are then placed by the `.docx`
//! reader's [`GridBuilder`].

use super::bytes::{i16_at, slice, u16_at, u8_at};
use crate::ingest::docx::GridBuilder;
use crate::ingest::CellValue;

/// Most cells a row definition holds ([MS-DOC] allows 63).
const MAX_CELLS: usize = 64;
/// Size of `TC80`.
const TC80_SIZE: usize = 20;

/// The properties of one cell that decide where its text goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CellDef {
    /// `fFirstMerged`: first of a horizontally merged group (Word 97).
    pub first_merged: bool,
    /// `fMerged`: merged into the cell before it (Word 97).
    pub merged: bool,
    /// `fVertMerge`.
    pub vert_merge: bool,
    /// `fVertRestart`.
    pub vert_restart: bool,
}

impl CellDef {
    /// The vertical merge as the grid builder takes it: `Some(true)` starts a merge,
    /// `Some(false)` continues one.
    fn v_merge(&self) -> Option<bool> {
        self.vert_merge.then_some(self.vert_restart)
    }
}

/// One row's definition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowDef {
    /// Cell boundaries, `cells + 1` of them (twips).
    pub edges: Vec<i16>,
    /// Cell properties (fewer than the cells when the file leaves the last ones out).
    pub cells: Vec<CellDef>,
}

impl RowDef {
    /// Reads a `sprmTDefTable` operand: `itcMac`, `rgdxaCenter`, `rgTc80`.
    pub fn parse(operand: &[u8]) -> Option<RowDef> {
        let count = usize::from(u8_at(operand, 0)?).min(MAX_CELLS);
        let edges: Vec<i16> = (0..=count).map_while(|i| i16_at(operand, 1 + i * 2)).collect();
        if edges.len() != count + 1 {
            return None;
        }
        let tcs_at = 1 + (count + 1) * 2;
        let cells = (0..count)
            .map_while(|i| slice(operand, tcs_at + i * TC80_SIZE, TC80_SIZE))
            .map(|tc| {
                let flags = u16_at(tc, 0).unwrap_or(0);
                CellDef {
                    first_merged: flags & 0x0001 != 0,
                    merged: flags & 0x0002 != 0,
                    vert_merge: flags & 0x0020 != 0,
                    vert_restart: flags & 0x0040 != 0,
                }
            })
            .collect();
        Some(RowDef { edges, cells })
    }
}

/// Boundaries this close (twips) are one: a round trip through RTF leaves cell edges off by a
/// twip or two, which would otherwise make sliver columns and shift the cells after them.
/// No column a person draws is this narrow (Word's narrowest cell is far wider).
const EDGE_TOLERANCE: i32 = 4;

/// The columns of a table: the distinct cell boundaries of its rows, edges within
/// [`EDGE_TOLERANCE`] of the previous kept one snapped to it.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    edges: Vec<i16>,
}

impl Columns {
    /// The columns of a table with these row definitions.
    pub fn of<'a>(rows: impl Iterator<Item = &'a RowDef>) -> Columns {
        let mut all: Vec<i16> = rows.flat_map(|r| r.edges.iter().copied()).collect();
        all.sort_unstable();
        let mut edges: Vec<i16> = Vec::with_capacity(all.len());
        for e in all {
            match edges.last() {
                Some(&last) if i32::from(e) - i32::from(last) <= EDGE_TOLERANCE => {}
                _ => edges.push(e),
            }
        }
        Columns { edges }
    }

    /// The grid column at boundary `x` (the kept edge it was snapped to).
    fn col(&self, x: i16) -> usize {
        let x = i32::from(x);
        self.edges.partition_point(|&e| i32::from(e) < x - EDGE_TOLERANCE)
    }
}

/// Places one row's cell values: at the grid columns of its definition when it has one,
/// else one column each from the first. Returns the grid column each value went to (a value
/// merged into the cell before it: that cell's column).
pub fn place_row(
    builder: &mut GridBuilder,
    columns: &Columns,
    def: Option<&RowDef>,
    values: Vec<CellValue>,
) -> Vec<usize> {
    let mut at = Vec::with_capacity(values.len());
    let Some(def) = def else {
        builder.start_row(0);
        for value in values {
            at.push(builder.next_col());
            builder.cell(1, None, value);
        }
        builder.end_row();
        return at;
    };
    // (span, vertical merge, value) of each placed cell.
    let mut placed: Vec<(usize, Option<bool>, CellValue)> = Vec::new();
    let mut first_col = None;
    for (i, value) in values.into_iter().enumerate() {
        let cell = def.cells.get(i).copied().unwrap_or_default();
        let span = match (def.edges.get(i), def.edges.get(i + 1)) {
            (Some(&left), Some(&right)) => {
                let start = columns.col(left);
                first_col.get_or_insert(start);
                columns.col(right).saturating_sub(start).max(1)
            }
            _ => 1,
        };
        match placed.last_mut() {
            Some(last) if cell.merged && !cell.first_merged => last.0 += span,
            _ => placed.push((span, cell.v_merge(), value)),
        }
        at.push(placed.len() - 1);
    }
    builder.start_row(first_col.unwrap_or(0));
    let mut cols = Vec::with_capacity(placed.len());
    for (span, v_merge, value) in placed {
        cols.push(builder.next_col());
        builder.cell(span, v_merge, value);
    }
    builder.end_row();
    at.iter().map(|&i| cols.get(i).copied().unwrap_or(0)).collect()
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::ingest::Merge;

    /// A `sprmTDefTable` operand for cells with these edges and `tcgrf` flags.
    pub fn tdef(edges: &[i16], flags: &[u16]) -> Vec<u8> {
        let mut b = vec![(edges.len() - 1) as u8];
        for e in edges {
            b.extend(e.to_le_bytes());
        }
        for f in flags {
            let mut tc = vec![0u8; TC80_SIZE];
            tc[0..2].copy_from_slice(&f.to_le_bytes());
            b.extend(tc);
        }
        b
    }

    fn text(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn wide_cells_span_the_columns_between_their_edges() {
        let title = RowDef::parse(&tdef(&[0, 3000], &[0])).unwrap();
        let body = RowDef::parse(&tdef(&[0, 1000, 2000, 3000], &[0x0060, 0, 0])).unwrap();
        let cont = RowDef::parse(&tdef(&[0, 1000, 2000, 3000], &[0x0020, 0, 0])).unwrap();
        let columns = Columns::of([&title, &body, &cont].into_iter());
        let mut b = GridBuilder::new(10);
        place_row(&mut b, &columns, Some(&title), vec![text("标题")]);
        place_row(
            &mut b,
            &columns,
            Some(&body),
            vec![text("甲"), text("乙"), text("丙")],
        );
        place_row(
            &mut b,
            &columns,
            Some(&cont),
            vec![CellValue::Empty, text("丁"), text("戊")],
        );
        let (rows, merges) = b.finish();
        assert_eq!(rows[0], vec![text("标题"), CellValue::Empty, CellValue::Empty]);
        assert_eq!(rows[2], vec![text("甲"), text("丁"), text("戊")]);
        assert_eq!(
            merges,
            vec![
                Merge {
                    first_row: 0,
                    first_col: 0,
                    last_row: 0,
                    last_col: 2
                },
                Merge {
                    first_row: 1,
                    first_col: 0,
                    last_row: 2,
                    last_col: 0
                },
            ]
        );
    }

    #[test]
    fn column_grid_tolerates_edges_off_by_a_twip() {
        // After an RTF round trip: the header's wide cell ends at 6001, the body's at 6000;
        // the progress column after it must stay one column.
        let header = RowDef::parse(&tdef(&[0, 1000, 6001, 9000], &[0, 0, 0])).unwrap();
        let body = RowDef::parse(&tdef(&[0, 1000, 3000, 6000, 9000], &[0, 0, 0, 0])).unwrap();
        let columns = Columns::of([&header, &body].into_iter());
        assert_eq!(columns.edges, vec![0, 1000, 3000, 6000, 9000]);
        let mut b = GridBuilder::new(10);
        let at = place_row(
            &mut b,
            &columns,
            Some(&header),
            vec![text("序号"), text("完成进度"), text("本期工作进展")],
        );
        assert_eq!(at, vec![0, 1, 3]);
        place_row(
            &mut b,
            &columns,
            Some(&body),
            vec![text("1"), text("推进中"), text("60"), text("进展")],
        );
        let (rows, _) = b.finish();
        assert_eq!(rows[0][3], text("本期工作进展"));
        assert_eq!(rows[1][3], text("进展"));
        assert_eq!(rows[1].len(), 4);
    }

    #[test]
    fn word97_horizontal_merges_and_missing_definitions() {
        let def = RowDef::parse(&tdef(&[0, 10, 20, 30], &[0x0001, 0x0002, 0])).unwrap();
        let columns = Columns::of(std::iter::once(&def));
        let mut b = GridBuilder::new(10);
        place_row(
            &mut b,
            &columns,
            Some(&def),
            vec![text("合并"), CellValue::Empty, text("单")],
        );
        place_row(&mut b, &columns, None, vec![text("a"), text("b")]);
        let (rows, merges) = b.finish();
        assert_eq!(rows[0], vec![text("合并"), CellValue::Empty, text("单")]);
        assert_eq!(rows[1], vec![text("a"), text("b")]);
        assert_eq!(merges.len(), 1);
    }

    #[test]
    fn short_and_hostile_definitions() {
        assert!(RowDef::parse(&[]).is_none());
        assert!(RowDef::parse(&[3, 0, 0]).is_none());
        let def = RowDef::parse(&tdef(&[0, 10, 20], &[])).unwrap();
        assert!(def.cells.is_empty());
        // Edges out of order and more values than cells: still one row, nothing lost.
        let odd = RowDef::parse(&tdef(&[500, -20, 30000], &[0, 0])).unwrap();
        let columns = Columns::of(std::iter::once(&odd));
        let mut b = GridBuilder::new(10);
        place_row(
            &mut b,
            &columns,
            Some(&odd),
            vec![text("1"), text("2"), text("3"), text("4")],
        );
        let (rows, _) = b.finish();
        assert_eq!(rows.len(), 1);
        assert!(rows[0].contains(&text("4")));
    }
}
