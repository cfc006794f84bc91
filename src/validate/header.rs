//! Header rows of progress tables: header-cell normalisation, synonyms from `config.columns`,
//! detection in the first 15 rows, two-row headers under a merged group label, and merged
//! cells (a merged range's value holds for every row it spans).

use crate::config::Config;
use crate::ingest::{CellValue, Grid, Merge};
use crate::registry::nfkc;
use crate::vocab::Field;
use std::collections::BTreeMap;

/// How many rows from the top may hold the header row.
pub const HEADER_SEARCH_ROWS: usize = 15;

/// How many distinct known columns make a header row.
pub const MIN_HEADER_COLUMNS: usize = 3;

/// Merged ranges larger than one cell, at most this many (a guard against hostile files).
const MAX_MERGES: usize = 2_000;

/// A header-cell text reduced for comparison: NFKC (full-width brackets and spaces to
/// half-width), lower case, bracketed parts such as `（%）` or `(个)` removed, then every space,
/// line break, `%`, `*` and trailing colon removed.
pub fn normalise_header(text: &str) -> String {
    let text = nfkc(text).to_lowercase();
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            '%' | '*' | '※' | '★' => {}
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out.trim_end_matches([':', '：']).to_owned()
}

/// Header texts longer than this (in characters, as written) name no column.
const MAX_HEADER_CHARS: usize = 64;

/// The configured column names (`config.columns`), normalised once.
#[derive(Debug, Clone, Default)]
pub struct ColumnNames {
    keys: Vec<(String, Field)>,
}

impl ColumnNames {
    /// The names of `config`, in field order.
    pub fn of(config: &Config) -> ColumnNames {
        let keys = Field::ALL
            .into_iter()
            .flat_map(|field| {
                config
                    .columns
                    .get(&field)
                    .into_iter()
                    .flatten()
                    .map(move |name| (normalise_header(name), field))
            })
            .filter(|(key, _)| !key.is_empty())
            .collect();
        ColumnNames { keys }
    }

    /// The field a header text names.
    pub fn field(&self, text: &str) -> Option<Field> {
        if text.chars().nth(MAX_HEADER_CHARS).is_some() {
            return None;
        }
        let key = normalise_header(text);
        self.keys.iter().find(|(k, _)| *k == key).map(|(_, f)| *f)
    }
}

/// The field a header text names, through the configured synonyms.
pub fn field_of(text: &str, config: &Config) -> Option<Field> {
    ColumnNames::of(config).field(text)
}

/// The merged ranges of a grid, with fast "which merge holds this cell" lookups.
#[derive(Debug, Clone, Default)]
pub struct Merges {
    ranges: Vec<Merge>,
    /// First column -> (first row, last row) of the merges spanning several rows that start
    /// in that column, sorted by first row.
    tall: BTreeMap<u32, Vec<(u32, u32)>>,
}

impl Merges {
    /// The real (multi-cell) merges of `grid`.
    pub fn of(grid: &Grid) -> Merges {
        let ranges: Vec<Merge> = grid
            .merges
            .iter()
            .filter(|m| m.last_row >= m.first_row && m.last_col >= m.first_col)
            .filter(|m| m.last_row > m.first_row || m.last_col > m.first_col)
            .take(MAX_MERGES)
            .copied()
            .collect();
        let mut tall: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
        for m in ranges.iter().filter(|m| m.last_row > m.first_row) {
            tall.entry(m.first_col)
                .or_default()
                .push((m.first_row, m.last_row));
        }
        for spans in tall.values_mut() {
            spans.sort_unstable();
        }
        Merges { ranges, tall }
    }

    /// The merge covering (row, col), if any (a scan: for header rows).
    pub fn covering(&self, row: usize, col: usize) -> Option<&Merge> {
        let (r, c) = (row as u64, col as u64);
        self.ranges.iter().find(|m| {
            u64::from(m.first_row) <= r
                && r <= u64::from(m.last_row)
                && u64::from(m.first_col) <= c
                && c <= u64::from(m.last_col)
        })
    }

    /// True when (row, col) lies in a merge spanning several columns.
    pub fn is_wide(&self, row: usize, col: usize) -> bool {
        self.covering(row, col).is_some_and(|m| m.last_col > m.first_col)
    }

    /// The first row of a merge spanning several rows that starts in column `col` and covers
    /// `row` (a logarithmic lookup: for data rows).
    pub fn tall_origin(&self, row: usize, col: usize) -> Option<usize> {
        let spans = self.tall.get(&u32::try_from(col).ok()?)?;
        let row = u32::try_from(row).ok()?;
        let i = spans.partition_point(|(first, _)| *first <= row);
        let (first, last) = spans.get(i.checked_sub(1)?)?;
        (row <= *last).then_some(*first as usize)
    }
}

/// The value of a cell as the user reads it: a cell inside a merged range spanning several
/// rows shows the value of the range's top row (same column when the range is also wide, the
/// top-left value in its first column). Ordinary blank cells stay blank.
pub fn filled<'g>(grid: &'g Grid, merges: &Merges, row: usize, col: usize) -> &'g CellValue {
    let own = grid.cell(row, col);
    if !own.is_blank() {
        return own;
    }
    match merges.tall_origin(row, col) {
        Some(first) => grid.cell(first, col),
        None => own,
    }
}

/// The value of a header cell: like [`filled`], and a wide merge's value also holds for
/// every column it spans (a group label above several columns).
fn header_value<'g>(grid: &'g Grid, merges: &Merges, row: usize, col: usize) -> &'g CellValue {
    let own = grid.cell(row, col);
    if !own.is_blank() {
        return own;
    }
    match merges.covering(row, col) {
        Some(m) => grid.cell(m.first_row as usize, m.first_col as usize),
        None => own,
    }
}

/// A recognised header.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    /// First header row (0-based, as the user sees it).
    pub first_row: usize,
    /// Last header row (the same row for a one-row header).
    pub last_row: usize,
    /// Field -> column (the first column naming it).
    pub columns: BTreeMap<Field, usize>,
    /// Columns with header text that names no field (or a field named earlier): (row, col,
    /// text) of the text's cell.
    pub ignored: Vec<(usize, usize, String)>,
}

impl Header {
    /// The column of a field.
    pub fn col(&self, field: Field) -> Option<usize> {
        self.columns.get(&field).copied()
    }

    /// True when the required columns are present: (序号 or 试点任务) and (完成状态 or
    /// 本期工作进展).
    pub fn has_required(&self) -> bool {
        let has = |f| self.columns.contains_key(&f);
        (has(Field::Id) || has(Field::Text)) && (has(Field::Status) || has(Field::Progress))
    }

    /// The first data row.
    pub fn data_start(&self) -> usize {
        self.last_row + 1
    }
}

/// The fields named in one row, per column.
fn row_fields(grid: &Grid, merges: &Merges, row: usize, names: &ColumnNames) -> Vec<Option<Field>> {
    let width = grid.rows.get(row).map_or(0, Vec::len);
    let width = width.max(merged_width(merges, row));
    (0..width)
        .map(|col| header_value(grid, merges, row, col))
        .map(|v| match v {
            CellValue::Text(t) => names.field(t),
            _ => None,
        })
        .collect()
}

/// The last column + 1 that a merge touching `row` reaches (rows may be shorter than merges).
fn merged_width(merges: &Merges, row: usize) -> usize {
    merges
        .ranges
        .iter()
        .filter(|m| m.first_row as usize <= row && row <= m.last_row as usize)
        .map(|m| m.last_col as usize + 1)
        .max()
        .unwrap_or(0)
        .min(256)
}

fn distinct(fields: &[Option<Field>]) -> usize {
    let mut seen: Vec<Field> = fields.iter().flatten().copied().collect();
    seen.sort();
    seen.dedup();
    seen.len()
}

/// Finds the header in the first 15 rows: the first row in which at least three cells name
/// known columns, extended by the next row when that row names columns under a group label
/// (a merge spanning columns, or a blank or unknown upper cell).
pub fn find_header(grid: &Grid, config: &Config) -> Option<Header> {
    find_header_with(grid, &ColumnNames::of(config))
}

/// [`find_header`] with the column names already normalised.
pub fn find_header_with(grid: &Grid, names: &ColumnNames) -> Option<Header> {
    let merges = Merges::of(grid);
    let limit = grid.rows.len().min(HEADER_SEARCH_ROWS);
    let row = (0..limit).find(|&r| distinct(&row_fields(grid, &merges, r, names)) >= MIN_HEADER_COLUMNS)?;
    let upper = row_fields(grid, &merges, row, names);
    let lower = row_fields(grid, &merges, row + 1, names);
    let under_label = |c: usize| merges.is_wide(row, c) || upper.get(c).copied().flatten().is_none();
    let sub_columns = (0..lower.len())
        .filter(|&c| lower[c].is_some() && under_label(c))
        .count();
    let last_row = if sub_columns >= 2 { row + 1 } else { row };
    Some(assemble(grid, &merges, row, last_row, &upper, &lower))
}

/// The column map of a header spanning `first..=last`.
fn assemble(
    grid: &Grid,
    merges: &Merges,
    first: usize,
    last: usize,
    upper: &[Option<Field>],
    lower: &[Option<Field>],
) -> Header {
    let mut header = Header {
        first_row: first,
        last_row: last,
        ..Header::default()
    };
    let width = upper.len().max(if last > first { lower.len() } else { 0 });
    for col in 0..width {
        let field = if last > first {
            let up = upper
                .get(col)
                .copied()
                .flatten()
                .filter(|_| !merges.is_wide(first, col));
            lower.get(col).copied().flatten().or(up)
        } else {
            upper.get(col).copied().flatten()
        };
        match field {
            Some(f) if !header.columns.contains_key(&f) => {
                header.columns.insert(f, col);
            }
            _ => note_ignored(grid, merges, &mut header, col, field.is_some()),
        }
    }
    header
}

/// Records a column whose header text is unused (unknown, or a second column for a field).
fn note_ignored(grid: &Grid, merges: &Merges, header: &mut Header, col: usize, duplicate: bool) {
    let rows = (header.first_row..=header.last_row).rev();
    for row in rows {
        if merges.is_wide(row, col) && header.last_row > header.first_row && !duplicate {
            continue; // a group label above several columns
        }
        let text = grid.cell(row, col).to_text().trim().to_owned();
        if !text.is_empty() {
            header.ignored.push((row, col, text));
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::RefStyle;
    use std::path::Path;

    fn config() -> Config {
        Config::load(Path::new("templates/roundup.toml")).unwrap()
    }

    pub(crate) fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            name: "Sheet1".into(),
            hidden: false,
            style: RefStyle::A1,
            rows: rows
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|s| {
                            if s.is_empty() {
                                CellValue::Empty
                            } else {
                                CellValue::Text(s.to_string())
                            }
                        })
                        .collect()
                })
                .collect(),
            merges: vec![],
        }
    }

    #[test]
    fn header_texts_normalise() {
        assert_eq!(normalise_header("完成进度（%）"), "完成进度");
        assert_eq!(normalise_header("完成进度(%)"), "完成进度");
        assert_eq!(normalise_header(" 序　号 "), "序号");
        assert_eq!(normalise_header("本期工作\n进展"), "本期工作进展");
        assert_eq!(normalise_header("No."), "no.");
        assert_eq!(normalise_header("完成进度%"), "完成进度");
        assert_eq!(normalise_header("*完成状态："), "完成状态");
        let c = config();
        assert_eq!(field_of("任务编号", &c), Some(Field::Id));
        assert_eq!(field_of("NO.", &c), Some(Field::Id));
        assert_eq!(field_of("完成比例（％）", &c), Some(Field::Percent));
        assert_eq!(field_of("工作推进情况", &c), Some(Field::Progress));
        assert_eq!(field_of("困难和问题", &c), Some(Field::Problems));
        assert_eq!(field_of("联系人", &c), None);
    }

    #[test]
    fn header_after_title_rows() {
        let g = grid(&[
            &["市科技局试点任务推进情况表"],
            &["填报单位：市科技局", "", "填报日期：2024年4月8日"],
            &["序号", "试点任务", "完成状态", "联系人", "本期工作进展"],
            &["1", "x", "推进中", "张三", "y"],
        ]);
        let h = find_header(&g, &config()).unwrap();
        assert_eq!((h.first_row, h.last_row), (2, 2));
        assert_eq!(h.col(Field::Status), Some(2));
        assert_eq!(h.col(Field::Progress), Some(4));
        assert_eq!(h.ignored, vec![(2, 3, "联系人".to_string())]);
        assert!(h.has_required());
    }

    #[test]
    fn two_row_header_under_a_merged_group_label() {
        let mut g = grid(&[
            &["序号", "试点任务", "推进情况", "", "", "备注"],
            &["", "", "完成状态", "完成进度（%）", "本期工作进展", ""],
            &["1", "x", "推进中", "50", "y", ""],
        ]);
        g.merges = vec![
            Merge {
                first_row: 0,
                first_col: 0,
                last_row: 1,
                last_col: 0,
            },
            Merge {
                first_row: 0,
                first_col: 1,
                last_row: 1,
                last_col: 1,
            },
            Merge {
                first_row: 0,
                first_col: 2,
                last_row: 0,
                last_col: 4,
            },
            Merge {
                first_row: 0,
                first_col: 5,
                last_row: 1,
                last_col: 5,
            },
        ];
        let h = find_header(&g, &config()).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        assert_eq!(h.col(Field::Id), Some(0));
        assert_eq!(h.col(Field::Status), Some(2));
        assert_eq!(h.col(Field::Percent), Some(3));
        assert_eq!(h.col(Field::Progress), Some(4));
        assert_eq!(h.col(Field::Remarks), Some(5));
        assert!(h.ignored.is_empty(), "{:?}", h.ignored);
        assert_eq!(h.data_start(), 2);
    }

    #[test]
    fn no_header_without_three_known_columns() {
        let g = grid(&[&["姓名", "电话", "序号"], &["a", "b", "c"]]);
        assert!(find_header(&g, &config()).is_none());
    }

    #[test]
    fn merged_cells_fill_their_rows_only() {
        let mut g = grid(&[&["a", "b"], &["", ""], &["", ""]]);
        g.merges = vec![Merge {
            first_row: 0,
            first_col: 0,
            last_row: 1,
            last_col: 0,
        }];
        let m = Merges::of(&g);
        assert_eq!(filled(&g, &m, 1, 0), &CellValue::Text("a".into()));
        assert_eq!(filled(&g, &m, 2, 0), &CellValue::Empty);
        assert_eq!(filled(&g, &m, 1, 1), &CellValue::Empty);
    }
}
