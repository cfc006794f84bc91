//! Header rows of progress tables: header-cell normalisation, synonyms from `config.columns`,
//! detection in the first 15 rows, two-row headers under a merged group label, and merged
//! cells (a merged range's value holds for every row it spans).

use super::period::{is_period_label, Period, Periods};
use crate::config::Config;
use crate::ingest::{CellValue, Grid, Merge};
use crate::registry::nfkc;
use crate::vocab::{Field, Status};
use regex::Regex;
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// How many rows from the top may hold the header row.
pub const HEADER_SEARCH_ROWS: usize = 15;

/// How many distinct known columns make a header row.
pub const MIN_HEADER_COLUMNS: usize = 3;

/// Merged ranges larger than one cell, at most this many (a guard against hostile files).
const MAX_MERGES: usize = 2_000;

/// A header-cell text reduced for comparison: NFKC (full-width brackets and spaces to
/// half-width), lower case, bracketed parts such as `（%）` or `(个)` removed, a numbering
/// prefix (`1.`, `一、`) removed, then every space, line break, `%`, `*`, `★` and trailing
/// colon removed.
pub fn normalise_header(text: &str) -> String {
    split_header(text).key
}

/// A numbering prefix of a header cell: `1.`, `2、`, `一、`, `3)`.
static NUMBERING: LazyLock<Regex> =
    LazyLock::new(|| super::regex(r"^(?:\d{1,2}|[一二三四五六七八九十]{1,3})[.、．)]"));

/// A header cell's text split for matching: the words outside brackets (normalised) and the
/// bracketed notes (`下拉选择`, `上季度`, `%`).
#[derive(Debug, Clone, Default, PartialEq)]
struct Split {
    key: String,
    notes: Vec<String>,
}

fn split_header(text: &str) -> Split {
    let text = nfkc(text).to_lowercase();
    let mut split = Split::default();
    let mut note = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' | '[' | '【' | '〔' => depth += 1,
            ')' | ']' | '】' | '〕' => {
                depth = depth.saturating_sub(1);
                if depth == 0 && !note.is_empty() {
                    split.notes.push(std::mem::take(&mut note));
                }
            }
            c if c.is_whitespace() => {}
            c if depth > 0 => note.push(c),
            '%' | '*' | '※' | '★' | '☆' | '▲' | '●' => {}
            c => split.key.push(c),
        }
    }
    let key = split.key.trim_end_matches([':', '：']);
    split.key = NUMBERING.replace(key, "").into_owned();
    split
}

/// True for an English gloss or other ASCII-only affix beside a Chinese header word
/// (`Status`, `Progress`, `No.`).
fn is_gloss(part: &str) -> bool {
    part.is_ascii()
}

/// Header texts longer than this (in characters, as written) name no column.
const MAX_HEADER_CHARS: usize = 64;

/// A header cell that names a field, with the period written in the cell itself
/// (`完成状态（本季度）`, `上季度完成进度`), as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The field.
    pub field: Field,
    /// The period words of the cell, when it has some.
    pub period: Option<String>,
}

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
        self.named(text).map(|n| n.field)
    }

    /// The field a header text names and the period written with it. A synonym matches the
    /// whole text, or the text with an English gloss (`完成状态 Status`) or a period
    /// (`本季度完成状态`) before or after it; the longest synonym wins.
    pub fn named(&self, text: &str) -> Option<Named> {
        if text.chars().nth(MAX_HEADER_CHARS).is_some() {
            return None;
        }
        let split = split_header(text);
        if split.key.is_empty() {
            return None;
        }
        let note = split.notes.iter().find(|n| is_period_label(n)).cloned();
        if let Some((_, field)) = self.keys.iter().find(|(k, _)| *k == split.key) {
            return Some(Named {
                field: *field,
                period: note,
            });
        }
        let (field, affix) = self.affixed(&split.key)?;
        Some(Named {
            field,
            period: affix.or(note),
        })
    }

    /// The longest synonym inside `key` whose remains are glosses or period words, with the
    /// period words.
    fn affixed(&self, key: &str) -> Option<(Field, Option<String>)> {
        let mut best: Option<(usize, Field, Option<String>)> = None;
        for (synonym, field) in &self.keys {
            let Some(at) = key.find(synonym.as_str()) else {
                continue;
            };
            let Some(period) = affix_period(&key[..at], &key[at + synonym.len()..]) else {
                continue;
            };
            if best.as_ref().is_none_or(|(len, _, _)| synonym.len() > *len) {
                best = Some((synonym.len(), *field, period));
            }
        }
        best.map(|(_, field, period)| (field, period))
    }
}

/// The period words of the parts before and after a synonym: `Some(None)` when they are
/// glosses only, `None` when a part is neither a gloss nor a period.
fn affix_period(before: &str, after: &str) -> Option<Option<String>> {
    let mut period: Option<String> = None;
    for part in [before, after].into_iter().filter(|p| !p.is_empty()) {
        if is_period_label(part) {
            period = Some(match period {
                Some(p) => format!("{p}{part}"),
                None => part.to_owned(),
            });
        } else if !is_gloss(part) {
            return None;
        }
    }
    Some(period)
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

/// A period label that applies to a header column: what it says and where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Label {
    /// What the label says about the round.
    pub period: Period,
    /// The label as written.
    pub text: String,
    /// Row of the label's cell (0-based).
    pub row: usize,
    /// Column of the label's cell (0-based).
    pub col: usize,
}

/// Why a column with header text is not read.
#[derive(Debug, Clone, PartialEq)]
pub enum Unread {
    /// The text names no known column.
    Unknown,
    /// The field is read from another column (no period tells the two apart).
    Duplicate,
    /// The column belongs to another period than this round's (or to a plan).
    Period(Label),
}

/// A header column that is not read.
#[derive(Debug, Clone, PartialEq)]
pub struct Ignored {
    /// Row of the column's header text.
    pub row: usize,
    /// The column.
    pub col: usize,
    /// The header text as written.
    pub text: String,
    /// Why it is not read.
    pub why: Unread,
}

/// A field the header names only under other periods than this round's (`header-not-found`).
#[derive(Debug, Clone, PartialEq)]
pub struct Stale {
    /// The field.
    pub field: Field,
    /// The labels of its columns.
    pub labels: Vec<Label>,
}

/// A recognised header.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Header {
    /// First header row (0-based, as the user sees it; a period-label row when there is one).
    pub first_row: usize,
    /// Last header row (the same row for a one-row header).
    pub last_row: usize,
    /// Field -> column read for it.
    pub columns: BTreeMap<Field, usize>,
    /// Every column that may hold the task id, in column order (a running 序号 beside
    /// 任务编号): the reader chooses one by the evidence of the rows.
    pub id_columns: Vec<usize>,
    /// Columns with header text that are not read.
    pub ignored: Vec<Ignored>,
    /// Fields named only under other periods.
    pub stale: Vec<Stale>,
    /// Status or percent named by two columns that nothing tells apart: (field, column
    /// read, column not read).
    pub twins: Vec<(Field, usize, usize)>,
    /// Per-status tick columns (`完成情况` over 未启动 / 推进中 / 已完成 / 常态化推进, a ✓
    /// in one of them), in column order; only when no column names 完成状态.
    pub ticks: Vec<(Status, usize)>,
    /// Column -> row and text of its header cell.
    texts: BTreeMap<usize, (usize, String)>,
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
        let status = has(Field::Status) || !self.ticks.is_empty();
        (has(Field::Id) || has(Field::Text)) && (status || has(Field::Progress))
    }

    /// The first data row.
    pub fn data_start(&self) -> usize {
        self.last_row + 1
    }

    /// The row of a column's header text.
    pub fn text_row(&self, col: usize) -> usize {
        self.texts.get(&col).map_or(self.last_row, |(row, _)| *row)
    }

    /// A column's header text, as written.
    pub fn text(&self, col: usize) -> &str {
        self.texts.get(&col).map_or("", |(_, text)| text.as_str())
    }

    /// The leftmost column the header reads.
    pub fn first_col(&self) -> usize {
        self.columns.values().copied().min().unwrap_or(0)
    }
}

/// The names of one row's cells, per column.
fn row_named(grid: &Grid, merges: &Merges, row: usize, names: &ColumnNames) -> Vec<Option<Named>> {
    let width = grid.rows.get(row).map_or(0, Vec::len);
    let width = width.max(merged_width(merges, row));
    (0..width)
        .map(|col| header_value(grid, merges, row, col))
        .map(|v| match v {
            CellValue::Text(t) => names.named(t),
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

/// Sub-header cells that name nothing alone but do under their group label: `比例` under a
/// merged `完成情况` is 完成比例 (the group label, without a trailing `情况`, before the cell's
/// text).
fn qualify_by_group(
    grid: &Grid,
    merges: &Merges,
    row: usize,
    names: &ColumnNames,
    lower: &mut [Option<Named>],
) {
    for (col, named) in lower.iter_mut().enumerate() {
        if named.is_some() || !merges.is_wide(row, col) {
            continue;
        }
        let (CellValue::Text(group), CellValue::Text(sub)) = (
            header_value(grid, merges, row, col),
            header_value(grid, merges, row + 1, col),
        ) else {
            continue;
        };
        let (group, sub) = (group.trim(), sub.trim());
        if sub.is_empty() {
            continue;
        }
        let stem = group.strip_suffix("情况").unwrap_or(group);
        *named = names
            .named(&format!("{group}{sub}"))
            .or_else(|| names.named(&format!("{stem}{sub}")));
    }
}

fn distinct(named: &[Option<Named>]) -> usize {
    let mut seen: Vec<Field> = named.iter().flatten().map(|n| n.field).collect();
    seen.sort();
    seen.dedup();
    seen.len()
}

/// Finds the header in the first 15 rows: the first row in which at least three cells name
/// known columns, extended by the next row when that row names columns under a group label
/// (a merge spanning columns, or a blank or unknown upper cell). Period labels over repeated
/// columns (in the upper header row, or in the row above a one-row header) choose the
/// columns of the round of `periods`.
pub fn find_header(grid: &Grid, names: &ColumnNames, periods: &Periods) -> Option<Header> {
    find_header_from(grid, names, periods, 0)
}

/// [`find_header`] for a table that starts at row `top` (a second table further down a sheet,
/// under its own title): the header is searched in the 15 rows from `top`.
pub fn find_header_from(grid: &Grid, names: &ColumnNames, periods: &Periods, top: usize) -> Option<Header> {
    let merges = Merges::of(grid);
    let limit = grid.rows.len().min(top.saturating_add(HEADER_SEARCH_ROWS));
    let row = (top..limit).find(|&r| distinct(&row_named(grid, &merges, r, names)) >= MIN_HEADER_COLUMNS)?;
    let upper = row_named(grid, &merges, row, names);
    let mut lower = row_named(grid, &merges, row + 1, names);
    qualify_by_group(grid, &merges, row, names, &mut lower);
    let under_label = |c: usize| merges.is_wide(row, c) || upper.get(c).cloned().flatten().is_none();
    let sub_columns = (0..lower.len())
        .filter(|&c| lower[c].is_some() && under_label(c))
        .count();
    let last = if sub_columns >= 2 { row + 1 } else { row };
    let columns = header_columns(grid, &merges, row, last, &upper, &lower);
    let reader = LabelReader {
        grid,
        merges: &merges,
        names,
        periods,
    };
    let (first, last, labels) = reader.labels(row, last, &columns);
    let mut header = assemble(first, last, &columns, &labels, periods);
    if header.col(Field::Status).is_none() {
        tick_columns(grid, &merges, &mut header);
    }
    Some(header)
}

/// At least this many of the four statuses name columns for them to be tick columns.
const MIN_TICK_COLUMNS: usize = 3;

/// Finds per-status tick columns in the header's last row or the row below it (a group label
/// `完成情况` merged over cells that are exactly the canonical statuses); the header grows by
/// that row, and the columns are no longer listed as ignored.
fn tick_columns(grid: &Grid, merges: &Merges, header: &mut Header) {
    for row in [header.last_row, header.last_row + 1] {
        let width = grid.rows.get(row).map_or(0, Vec::len);
        let found: Vec<(Status, usize)> = (0..width)
            .filter_map(|col| {
                let text = normalise_header(&header_value(grid, merges, row, col).to_text());
                Status::ALL
                    .into_iter()
                    .find(|s| s.label() == text)
                    .map(|s| (s, col))
            })
            .collect();
        let mut distinct: Vec<Status> = found.iter().map(|(s, _)| *s).collect();
        distinct.sort_by_key(|s| s.label());
        distinct.dedup();
        if distinct.len() >= MIN_TICK_COLUMNS && distinct.len() == found.len() {
            header.last_row = header.last_row.max(row);
            header.ignored.retain(|i| !found.iter().any(|(_, c)| *c == i.col));
            for (status, col) in &found {
                header.texts.insert(*col, (row, status.label().to_owned()));
            }
            header.ticks = found;
            return;
        }
    }
}

/// One column of the header rows.
#[derive(Debug, Clone)]
struct Column {
    col: usize,
    /// Row of its header text.
    row: usize,
    /// Its header text, trimmed.
    text: String,
    named: Option<Named>,
}

impl Column {
    fn field(&self) -> Option<Field> {
        self.named.as_ref().map(|n| n.field)
    }
}

/// The columns of a header spanning `first..=last` with what each names.
fn header_columns(
    grid: &Grid,
    merges: &Merges,
    first: usize,
    last: usize,
    upper: &[Option<Named>],
    lower: &[Option<Named>],
) -> Vec<Column> {
    let width = upper.len().max(if last > first { lower.len() } else { 0 });
    (0..width)
        .map(|col| {
            let up = upper.get(col).cloned().flatten();
            let (named, row) = if last == first {
                (up, first)
            } else {
                match lower.get(col).cloned().flatten() {
                    Some(n) => (Some(n), last),
                    None => (up.filter(|_| !merges.is_wide(first, col)), first),
                }
            };
            let row = match named {
                Some(_) => row,
                None => text_row(grid, merges, first, last, col),
            };
            let text = header_value(grid, merges, row, col).to_text().trim().to_owned();
            let row = text_origin(grid, merges, row, col);
            Column {
                col,
                row,
                text,
                named,
            }
        })
        .collect()
}

/// The row where the text of (row, col) is written: the top of a merge spanning rows in
/// that column.
fn text_origin(grid: &Grid, merges: &Merges, row: usize, col: usize) -> usize {
    match merges.covering(row, col) {
        Some(m) if grid.cell(row, col).is_blank() && m.first_col as usize == col => m.first_row as usize,
        _ => row,
    }
}

/// The lowest header row with text in `col`, group labels over several columns left out.
fn text_row(grid: &Grid, merges: &Merges, first: usize, last: usize, col: usize) -> usize {
    (first..=last)
        .rev()
        .filter(|&row| !(last > first && row == first && merges.is_wide(row, col)))
        .find(|&row| !header_value(grid, merges, row, col).is_blank())
        .unwrap_or(last)
}

/// Reads period labels over header columns.
struct LabelReader<'r, 'a> {
    grid: &'r Grid,
    merges: &'r Merges,
    names: &'r ColumnNames,
    periods: &'r Periods<'a>,
}

impl LabelReader<'_, '_> {
    /// The header's rows and the period labels over its columns: from the upper row of a
    /// two-row header, else from the row above (or below) a one-row header that repeats a
    /// field, when those labels tell the repeated columns apart.
    fn labels(&self, row: usize, last: usize, columns: &[Column]) -> (usize, usize, BTreeMap<usize, Label>) {
        if last > row {
            return (row, last, self.row_labels(row, columns));
        }
        if repeated_fields(columns).is_empty() {
            return (row, last, BTreeMap::new());
        }
        if let Some(above) = row.checked_sub(1).map(|r| self.row_labels(r, columns)) {
            if tells_apart(&above, columns) {
                return (row - 1, last, above);
            }
        }
        let below = self.row_labels(row + 1, columns);
        if tells_apart(&below, columns) {
            return (row, row + 1, below);
        }
        (row, last, BTreeMap::new())
    }

    /// Labels in `row` over the columns that name a field. A blank label cell takes the
    /// label on its left when its field is repeated in the header (an unmerged group label).
    fn row_labels(&self, row: usize, columns: &[Column]) -> BTreeMap<usize, Label> {
        let repeated = repeated_fields(columns);
        let mut labels = BTreeMap::new();
        let mut carry: Option<Label> = None;
        for column in columns {
            let Some(field) = column.field() else {
                carry = None;
                continue;
            };
            let value = header_value(self.grid, self.merges, row, column.col);
            if value.is_blank() {
                match carry.as_ref().filter(|_| repeated.contains(&field)) {
                    Some(label) => {
                        labels.insert(column.col, label.clone());
                    }
                    None => carry = None,
                }
                continue;
            }
            carry = self.label_at(row, column.col, &value.to_text());
            if let Some(label) = &carry {
                labels.insert(column.col, label.clone());
            }
        }
        labels
    }

    /// The period label written at (row, col), unless the text names a field without a
    /// period (`序号` merged over two rows) or names no period (`2024年第三季度推进情况` is a
    /// label).
    fn label_at(&self, row: usize, col: usize, text: &str) -> Option<Label> {
        if self.names.named(text).is_some_and(|n| n.period.is_none()) {
            return None;
        }
        let period = self.periods.classify(text)?;
        let (row, col) = match self.merges.covering(row, col) {
            Some(m) => (m.first_row as usize, m.first_col as usize),
            None => (row, col),
        };
        Some(Label {
            period,
            text: text.trim().to_owned(),
            row,
            col,
        })
    }
}

/// The fields named by more than one column.
fn repeated_fields(columns: &[Column]) -> Vec<Field> {
    let mut fields: Vec<Field> = columns.iter().filter_map(Column::field).collect();
    fields.sort();
    let mut repeated: Vec<Field> = fields.windows(2).filter(|w| w[0] == w[1]).map(|w| w[0]).collect();
    repeated.dedup();
    repeated
}

/// True when the labels give some repeated field's columns different labels (a title row
/// over the whole table tells nothing apart).
fn tells_apart(labels: &BTreeMap<usize, Label>, columns: &[Column]) -> bool {
    repeated_fields(columns).into_iter().any(|field| {
        let mut origins: Vec<(usize, usize)> = columns
            .iter()
            .filter(|c| c.field() == Some(field))
            .filter_map(|c| labels.get(&c.col).map(|l| (l.row, l.col)))
            .collect();
        origins.sort_unstable();
        origins.dedup();
        origins.len() > 1
    })
}

/// A column naming a field, with the period that applies to it.
#[derive(Debug, Clone)]
struct Candidate<'c> {
    column: &'c Column,
    label: Option<Label>,
}

impl Candidate<'_> {
    /// Preference among columns naming one field: this round, then no period, then
    /// cumulative; other periods and plans are never read.
    fn rank(&self) -> Option<u8> {
        match self.label.as_ref().map(|l| l.period) {
            Some(Period::Current) => Some(0),
            None => Some(1),
            Some(Period::Cumulative) => Some(2),
            Some(Period::Planned | Period::Previous) => None,
        }
    }
}

/// The column map of a header spanning `first..=last`.
fn assemble(
    first: usize,
    last: usize,
    columns: &[Column],
    labels: &BTreeMap<usize, Label>,
    periods: &Periods,
) -> Header {
    let mut header = Header {
        first_row: first,
        last_row: last,
        ..Header::default()
    };
    let mut by_field: BTreeMap<Field, Vec<Candidate>> = BTreeMap::new();
    for column in columns {
        header.texts.insert(column.col, (column.row, column.text.clone()));
        match &column.named {
            Some(named) => by_field.entry(named.field).or_default().push(Candidate {
                column,
                label: own_label(column, named, periods).or_else(|| labels.get(&column.col).cloned()),
            }),
            None if !column.text.is_empty() => header.ignored.push(ignored(column, Unread::Unknown)),
            None => {}
        }
    }
    for (field, candidates) in by_field {
        choose(&mut header, field, &candidates);
    }
    header.ignored.sort_by_key(|i| i.col);
    header
}

/// The period written in a header cell itself (`完成状态（本季度）`).
fn own_label(column: &Column, named: &Named, periods: &Periods) -> Option<Label> {
    let text = named.period.as_deref()?;
    Some(Label {
        period: periods.classify(text)?,
        text: text.to_owned(),
        row: column.row,
        col: column.col,
    })
}

fn ignored(column: &Column, why: Unread) -> Ignored {
    Ignored {
        row: column.row,
        col: column.col,
        text: column.text.clone(),
        why,
    }
}

/// Chooses the column read for `field` among the columns naming it (see [`Candidate::rank`]);
/// none of this round's is a [`Stale`] field.
fn choose(header: &mut Header, field: Field, candidates: &[Candidate]) {
    let best = candidates
        .iter()
        .filter_map(|c| c.rank().map(|r| (r, c)))
        .min_by_key(|(r, _)| *r);
    let Some((rank, chosen)) = best else {
        let labels: Vec<Label> = candidates.iter().filter_map(|c| c.label.clone()).collect();
        if labels.iter().any(|l| l.period == Period::Previous) {
            header.stale.push(Stale { field, labels });
        }
        for c in candidates {
            header.ignored.push(ignored(c.column, unread(c)));
        }
        return;
    };
    header.columns.insert(field, chosen.column.col);
    if field == Field::Id {
        header.id_columns = candidates
            .iter()
            .filter(|c| c.rank().is_some())
            .map(|c| c.column.col)
            .collect();
    }
    for other in candidates.iter().filter(|c| c.column.col != chosen.column.col) {
        if field == Field::Id && other.rank().is_some() {
            continue;
        }
        if other.rank() == Some(rank) && matches!(field, Field::Status | Field::Percent) {
            header.twins.push((field, chosen.column.col, other.column.col));
        } else {
            header.ignored.push(ignored(other.column, unread(other)));
        }
    }
}

fn unread(candidate: &Candidate) -> Unread {
    match &candidate.label {
        Some(label) => Unread::Period(label.clone()),
        None => Unread::Duplicate,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::ingest::RefStyle;
    use crate::validate::period::tests::with_round;
    use std::path::Path;

    fn config() -> Config {
        Config::load(Path::new("templates/roundup.toml")).unwrap()
    }

    /// The header of `g` read for round 2024Q3.
    fn header_of(g: &Grid) -> Option<Header> {
        let mut found = None;
        with_round("2024Q3", |ctx| {
            found = find_header(g, &ColumnNames::of(ctx.config), &Periods::of(ctx));
        });
        found
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
            hidden_rows: Vec::new(),
            running_numbers: Vec::new(),
            hidden_cols: Vec::new(),
        }
    }

    #[test]
    fn per_status_tick_columns_under_a_group_label() {
        let mut g = grid(&[
            &[
                "序号",
                "试点任务",
                "完成情况",
                "",
                "",
                "",
                "完成进度（%）",
                "本期工作进展",
            ],
            &["", "", "未启动", "推进中", "已完成", "常态化推进", "", ""],
            &["5", "任务", "", "", "✓", "", "100", "做了"],
        ]);
        g.merges = vec![merge(0, 2, 0, 5), merge(0, 0, 1, 0), merge(0, 1, 1, 1)];
        let h = header_of(&g).unwrap();
        assert_eq!((h.last_row, h.col(Field::Status)), (1, None));
        assert_eq!(
            h.ticks,
            vec![
                (Status::NotStarted, 2),
                (Status::InProgress, 3),
                (Status::Completed, 4),
                (Status::Ongoing, 5)
            ]
        );
        assert!(h.has_required());
        assert!(
            h.ignored.iter().all(|i| !(2..=5).contains(&i.col)),
            "{:?}",
            h.ignored
        );
        // With a 完成状态 column, status words below the header are data, not tick columns.
        let g = grid(&[
            &["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"],
            &["1", "未启动", "推进中", "已完成", "常态化推进"],
        ]);
        assert!(header_of(&g).unwrap().ticks.is_empty());
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
        let h = header_of(&g).unwrap();
        assert_eq!((h.first_row, h.last_row), (2, 2));
        assert_eq!(h.col(Field::Status), Some(2));
        assert_eq!(h.col(Field::Progress), Some(4));
        assert_eq!(
            h.ignored,
            vec![Ignored {
                row: 2,
                col: 3,
                text: "联系人".into(),
                why: Unread::Unknown
            }]
        );
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
        let h = header_of(&g).unwrap();
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
        assert!(header_of(&g).is_none());
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

    fn merge(first_row: u32, first_col: u32, last_row: u32, last_col: u32) -> Merge {
        Merge {
            first_row,
            first_col,
            last_row,
            last_col,
        }
    }

    #[test]
    fn glosses_numbering_and_notes_are_stripped() {
        let c = config();
        assert_eq!(field_of("完成状态\nStatus", &c), Some(Field::Status));
        assert_eq!(field_of("完成状态 Status", &c), Some(Field::Status));
        assert_eq!(field_of("进度 Progress (%)", &c), Some(Field::Percent));
        assert_eq!(field_of("试点任务\nPilot task", &c), Some(Field::Text));
        assert_eq!(field_of("1.序号", &c), Some(Field::Id));
        assert_eq!(field_of("一、序号", &c), Some(Field::Id));
        assert_eq!(field_of("完成状态（下拉选择）", &c), Some(Field::Status));
        assert_eq!(field_of("★完成状态", &c), Some(Field::Status));
        assert_eq!(field_of("存在问题及原因", &c), None);
        assert_eq!(field_of("项目编号", &c), None);
        let names = ColumnNames::of(&c);
        let named = names.named("完成状态（上季度）").unwrap();
        assert_eq!(
            (named.field, named.period.as_deref()),
            (Field::Status, Some("上季度"))
        );
        let named = names.named("本季度完成进度").unwrap();
        assert_eq!(
            (named.field, named.period.as_deref()),
            (Field::Percent, Some("本季度"))
        );
        let named = names.named("本期工作进展").unwrap();
        assert_eq!((named.field, named.period), (Field::Progress, None));
    }

    #[test]
    fn the_group_of_this_round_is_read() {
        let mut g = grid(&[
            &[
                "序号",
                "试点任务",
                "2024年第二季度",
                "",
                "2024年第三季度",
                "",
                "本期工作进展",
            ],
            &[
                "",
                "",
                "完成状态",
                "完成进度（%）",
                "完成状态",
                "完成进度（%）",
                "",
            ],
            &["38", "x", "推进中", "45", "推进中", "70", "y"],
        ]);
        g.merges = vec![
            merge(0, 0, 1, 0),
            merge(0, 1, 1, 1),
            merge(0, 2, 0, 3),
            merge(0, 4, 0, 5),
            merge(0, 6, 1, 6),
        ];
        let h = header_of(&g).unwrap();
        assert_eq!((h.col(Field::Status), h.col(Field::Percent)), (Some(4), Some(5)));
        assert!(h.stale.is_empty() && h.twins.is_empty());
        let periods: Vec<(usize, &str)> = h
            .ignored
            .iter()
            .map(|i| match &i.why {
                Unread::Period(l) => (i.col, l.text.as_str()),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(periods, vec![(2, "2024年第二季度"), (3, "2024年第二季度")]);
    }

    #[test]
    fn a_group_label_may_itself_read_like_a_column_name() {
        let mut g = grid(&[
            &[
                "序号",
                "试点任务",
                "2024年第二季度推进情况",
                "",
                "2024年第三季度推进情况",
                "",
            ],
            &["", "", "完成状态", "完成进度", "完成状态", "完成进度"],
            &["38", "x", "推进中", "45", "已完成", "100"],
        ]);
        g.merges = vec![
            merge(0, 0, 1, 0),
            merge(0, 1, 1, 1),
            merge(0, 2, 0, 3),
            merge(0, 4, 0, 5),
        ];
        let h = header_of(&g).unwrap();
        assert_eq!((h.col(Field::Status), h.col(Field::Percent)), (Some(4), Some(5)));
        assert!(h.twins.is_empty());
    }

    #[test]
    fn no_group_of_this_round_is_stale() {
        let mut g = grid(&[
            &[
                "序号",
                "试点任务",
                "2024年第一季度",
                "",
                "2024年第二季度",
                "",
                "本期工作进展",
            ],
            &[
                "",
                "",
                "完成状态",
                "完成进度（%）",
                "完成状态",
                "完成进度（%）",
                "",
            ],
            &["92", "x", "推进中", "20", "推进中", "35", "y"],
        ]);
        g.merges = vec![
            merge(0, 0, 1, 0),
            merge(0, 1, 1, 1),
            merge(0, 2, 0, 3),
            merge(0, 4, 0, 5),
            merge(0, 6, 1, 6),
        ];
        let h = header_of(&g).unwrap();
        assert_eq!(h.col(Field::Status), None);
        let stale: Vec<Field> = h.stale.iter().map(|s| s.field).collect();
        assert_eq!(stale, vec![Field::Status, Field::Percent]);
        assert_eq!((h.stale[0].labels[0].row, h.stale[0].labels[0].col), (0, 2));
    }

    #[test]
    fn periods_in_the_header_cells_and_in_the_row_above() {
        let g = grid(&[
            &[
                "序号",
                "试点任务",
                "完成状态（上季度）",
                "完成进度（上季度）",
                "完成状态（本季度）",
                "完成进度（本季度）",
            ],
            &["41", "x", "推进中", "60", "已完成", "100"],
        ]);
        let h = header_of(&g).unwrap();
        assert_eq!((h.col(Field::Status), h.col(Field::Percent)), (Some(4), Some(5)));
        let g = grid(&[
            &["", "", "上期", "", "本期", ""],
            &["序号", "试点任务", "完成状态", "完成进度", "完成状态", "完成进度"],
            &["41", "x", "推进中", "60", "已完成", "100"],
        ]);
        let h = header_of(&g).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        assert_eq!((h.col(Field::Status), h.col(Field::Percent)), (Some(4), Some(5)));
        let g = grid(&[
            &["2024年第三季度进展表"],
            &["序号", "试点任务", "完成状态", "完成状态"],
            &["41", "x", "推进中", "已完成"],
        ]);
        let h = header_of(&g).unwrap();
        assert_eq!(h.first_row, 1, "a title tells no column apart");
        assert_eq!(h.twins, vec![(Field::Status, 2, 3)]);
    }

    #[test]
    fn l7_sub_headers_under_a_group_label_are_read() {
        let mut g = grid(&[
            &["序号", "试点任务", "牵头单位", "完成情况", "", "本期工作进展"],
            &["", "", "", "状态", "比例", ""],
            &["72", "x", "市税务局", "已办结", "100", "y"],
        ]);
        g.merges = vec![
            merge(0, 3, 0, 4),
            merge(0, 0, 1, 0),
            merge(0, 1, 1, 1),
            merge(0, 2, 1, 2),
            merge(0, 5, 1, 5),
        ];
        let h = header_of(&g).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        assert_eq!(h.col(Field::Status), Some(3));
        assert_eq!(h.col(Field::Percent), Some(4));
    }

    #[test]
    fn period_labels_under_a_merged_column_name() {
        let mut g = grid(&[
            &["序号", "试点任务", "完成状态", "", "本期工作进展"],
            &["", "", "上期", "本期", ""],
            &["41", "x", "推进中", "已完成", "y"],
        ]);
        g.merges = vec![merge(0, 2, 0, 3)];
        let h = header_of(&g).unwrap();
        assert_eq!((h.first_row, h.last_row), (0, 1));
        assert_eq!(h.col(Field::Status), Some(3));
        assert!(h.twins.is_empty());
    }

    #[test]
    fn every_id_like_column_is_a_candidate() {
        let g = grid(&[
            &["序号", "任务编号", "试点任务", "完成状态"],
            &["1", "2", "x", "推进中"],
        ]);
        let h = header_of(&g).unwrap();
        assert_eq!(h.id_columns, vec![0, 1]);
        assert!(h.ignored.is_empty(), "{:?}", h.ignored);
    }
}
