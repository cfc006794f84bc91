//! Progress tables: header detection, column mapping and row reading shared by spreadsheets
//! and the tables of Word reports (one code path, contract §2 and §3).
//!
//! [`read_progress_table`] is the whole job for a grid whose unit is known; spreadsheets use
//! the steps ([`Table::find`], [`Table::clue_lines`], [`Table::lead_values`],
//! [`Table::read`]) because their unit is identified from the text above the header and the
//! 牵头单位 column.
//!
//! Every reading the table is unsure of is said at its cell: a column chosen among several
//! by period labels or by the evidence of the rows, an id contradicted by its task text, a
//! status read past a bracketed remark, a percent whose scale is a guess.

use super::header::{self, filled, ColumnNames, Header, Merges, Unread};
use super::period::Periods;
use super::rules::{self, RowEvidence, RowPlace, Skip, Verdict};
use super::values::{cell_text, parse_percent, parse_status, parse_task_id, text_similarity, Parsed};
use super::{Cells, Context, TaskReport};
use crate::diag::{Code, Diagnostic, Level};
use crate::ingest::{CellValue, Grid};
use crate::registry::Task;
use crate::vocab::{Field, Status};
use std::collections::{BTreeMap, BTreeSet};

/// The rows read from one grid whose header was recognised.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableRead {
    /// 0-based row index of the header row (the last row, for a two-row header).
    pub header_row: usize,
    /// Accepted task rows, `unit` and `file` filled in.
    pub rows: Vec<TaskReport>,
    /// Every diagnostic from header mapping, values and row rules (file and unit filled in).
    /// `missing-task` is not among them: it depends on every table and narrative of a file
    /// (see [`rules::missing_tasks`]).
    pub diagnostics: Vec<Diagnostic>,
}

/// True when `grid` has a recognisable progress header in its first 15 rows, with the
/// required columns (whatever its periods).
pub fn has_progress_header(grid: &Grid, ctx: &Context) -> bool {
    let names = ColumnNames::of(ctx.config);
    header::find_header(grid, &names, &Periods::of(ctx)).is_some_and(|h| h.has_required())
}

/// Reads a progress table for `unit` from `grid`; `None` when no header with the required
/// columns is found. A table that cannot be read (no columns of this round, more than
/// [`MAX_TASK_ROWS`] task rows) gives no rows and an error at its header.
pub fn read_progress_table(grid: &Grid, file: &str, unit: &str, ctx: &Context) -> Option<TableRead> {
    let table = Table::find(grid, ctx).filter(|t| t.header.has_required())?;
    let Some(error) = table.refusal() else {
        return Some(table.read(file, unit));
    };
    Some(TableRead {
        header_row: table.header.last_row,
        rows: Vec::new(),
        diagnostics: vec![error.file(file).unit(unit)],
    })
}

/// Rows without a valid id that may be matched by text, per table (a unit leads at most a
/// few dozen tasks; the bound keeps hostile tables cheap).
const TEXT_MATCH_BUDGET: usize = 40;

/// Most task rows a progress table may have; a larger table is not a progress table.
pub const MAX_TASK_ROWS: usize = 2_000;

/// True for the fields whose cells make a row a task row when any is filled (every field
/// but 牵头单位 and 备注, which signature and note rows also fill).
fn is_task_field(field: Field) -> bool {
    !matches!(field, Field::Lead | Field::Remarks)
}

/// How the plain numbers of a percent column are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scale {
    /// As percents (80 is 80 %).
    Plain,
    /// As fractions (0.8 is 80 %): every number in 0–1, one strictly between.
    Fraction,
    /// Every number is 0 or 1 and no format says which: 1 is read as 100 when every row
    /// with 1 is 已完成 / 常态化推进 (`true`), else as 1; a warning at each 1 either way.
    Ambiguous(bool),
}

/// A grid with its recognised header.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    /// The grid.
    pub grid: &'a Grid,
    /// Its header.
    pub header: Header,
    merges: Merges,
    ctx: Context<'a>,
    /// Why each row from the first data row on is skipped (`None`: a task row).
    skips: Vec<Option<Skip>>,
    names: ColumnNames,
    /// The first row of the table's region (its title rows): 0, or the title of a second
    /// table further down the sheet.
    top: usize,
    /// The id column is a running count (see [`RowEvidence::counted_id`]); set per unit.
    counted_ids: bool,
}

/// A status or percent column repeated without a period label whose chosen column is hidden
/// while its twin is visible: the visible one is read (what the clerk sees), the hidden one is
/// the twin noted.
fn prefer_visible_twins(header: &mut Header, grid: &Grid) {
    for twin in &mut header.twins {
        let (field, read, other) = *twin;
        if grid.is_col_hidden(read) && !grid.is_col_hidden(other) {
            header.columns.insert(field, other);
            *twin = (field, other, read);
        }
    }
}

impl<'a> Table<'a> {
    /// The table of `grid`, when a header is found in its first 15 rows (required columns
    /// not checked: see [`Header::has_required`]).
    pub fn find(grid: &'a Grid, ctx: &Context<'a>) -> Option<Table<'a>> {
        Table::find_from(grid, ctx, 0)
    }

    /// The table of `grid` whose title rows start at row `top` (see [`Table::find`]).
    pub fn find_from(grid: &'a Grid, ctx: &Context<'a>, top: usize) -> Option<Table<'a>> {
        let names = ColumnNames::of(ctx.config);
        let mut header = header::find_header_from(grid, &names, &Periods::of(ctx), top)?;
        if !grid.hidden_cols.is_empty() {
            prefer_visible_twins(&mut header, grid);
        }
        let mut table = Table {
            grid,
            header,
            merges: Merges::of(grid),
            ctx: *ctx,
            skips: Vec::new(),
            names,
            top,
            counted_ids: false,
        };
        table.skips = (table.header.data_start()..grid.rows.len())
            .map(|r| table.classify(r))
            .collect();
        table.skip_notes();
        Some(table)
    }

    /// Rows under a notes heading (`说明：`, `注：`) with no status, percent or progress are
    /// numbered notes (`1 完成进度按序时进度测算…`), skipped as footer rows, not read as tasks
    /// 1, 2, 3.
    fn skip_notes(&mut self) {
        let start = self.header.data_start();
        let mut in_notes = false;
        let mut notes = Vec::new();
        for (i, skip) in self.skips.iter().enumerate() {
            let row = start + i;
            match skip {
                Some(Skip::Footer) => {
                    in_notes |= self
                        .first_texts(row)
                        .first()
                        .is_some_and(|t| rules::opens_notes(t));
                }
                None if in_notes && self.values_blank(row) => notes.push(i),
                _ => {}
            }
        }
        for i in notes {
            self.skips[i] = Some(Skip::Footer);
        }
    }

    /// True when a row's status, percent and progress cells are all blank.
    fn values_blank(&self, row: usize) -> bool {
        [Field::Status, Field::Percent, Field::Progress]
            .into_iter()
            .filter_map(|f| self.header.col(f))
            .all(|c| self.value(row, c).is_blank())
    }

    /// How many task rows the table has.
    pub fn task_row_count(&self) -> usize {
        self.skips.iter().filter(|s| s.is_none()).count()
    }

    /// True when the table has more than [`MAX_TASK_ROWS`] task rows.
    pub fn is_oversized(&self) -> bool {
        self.task_row_count() > MAX_TASK_ROWS
    }

    /// The cell of the header's first column (where file-level notes about the table point).
    pub fn header_cell(&self) -> String {
        let col = self.header.first_col();
        self.grid.location(self.header.text_row(col), col)
    }

    /// Why the table cannot be read at all, as an error at its header: columns only of other
    /// periods (`header-not-found`), or too many rows.
    pub fn refusal(&self) -> Option<Diagnostic> {
        self.stale_error().or_else(|| self.oversized_error())
    }

    /// `header-not-found` when a field is named only under other periods than this round's.
    fn stale_error(&self) -> Option<Diagnostic> {
        let first = self.header.stale.first()?;
        let label = first.labels.first()?;
        let mut periods: Vec<&str> = Vec::new();
        for label in self.header.stale.iter().flat_map(|s| &s.labels) {
            if !periods.contains(&label.text.as_str()) {
                periods.push(&label.text);
            }
        }
        let fields: Vec<&str> = self.header.stale.iter().map(|s| s.field.header()).collect();
        let round = &self.ctx.round.title;
        Some(
            Diagnostic::new(
                Code::HeaderNotFound,
                format!(
                    "表头中{}列的期别为“{}”，没有本轮（{round}）的列，未读取该表",
                    fields.join("、"),
                    periods.join("”“")
                ),
            )
            .at(self.grid.location(label.row, label.col))
            .hint(format!("请使用本轮模板，或在表头标明本轮（本期、{round}）的列")),
        )
    }

    fn oversized_error(&self) -> Option<Diagnostic> {
        self.is_oversized().then(|| {
            Diagnostic::new(
                Code::UnreadableFile,
                format!(
                    "“{}”有{}行任务数据，超过上限（{}行），不像是进展表，未读取",
                    self.grid.name,
                    self.task_row_count(),
                    MAX_TASK_ROWS
                ),
            )
            .at(self.header_cell())
            .hint("请使用统一模板，每项任务填写一行")
        })
    }

    /// The rows (0-based, as the user sees them) skipped for `skip`.
    fn rows_skipped_as(&self, skip: Skip) -> impl Iterator<Item = usize> + '_ {
        let start = self.header.data_start();
        self.skips
            .iter()
            .enumerate()
            .filter(move |(_, s)| **s == Some(skip))
            .map(move |(i, _)| start + i)
    }

    /// Text lines that may say who filled the table in and when: each row above the header
    /// (its distinct cell texts joined by two spaces), then footer rows below the data
    /// (`填报人：…  填报日期：…`).
    pub fn clue_lines(&self) -> Vec<String> {
        let above = (self.top..self.header.first_row).filter_map(|r| self.row_line(r));
        let below = self
            .rows_skipped_as(Skip::Footer)
            .filter_map(|r| self.row_line(r));
        above.chain(below).collect()
    }

    /// The location of the first cell above the header or in a footer row whose text
    /// satisfies `pred` (to point a file-level diagnostic at the cell that caused it).
    pub fn clue_cell(&self, pred: impl Fn(&str) -> bool) -> Option<String> {
        let above = self.top..self.header.first_row;
        let rows = above.chain(self.rows_skipped_as(Skip::Footer));
        rows.into_iter().find_map(|row| {
            let cells = self.grid.rows.get(row)?;
            let col = cells.iter().position(|c| !c.is_blank() && pred(&cell_text(c)))?;
            Some(self.grid.location(row, col))
        })
    }

    /// The values of the 牵头单位 column in the task rows (blank ones left out).
    pub fn lead_values(&self) -> Vec<String> {
        let Some(col) = self.header.col(Field::Lead) else {
            return Vec::new();
        };
        self.task_rows()
            .map(|r| cell_text(self.value(r, col)))
            .filter(|t| !t.is_empty())
            .collect()
    }

    /// Notes on header columns that are not read: `ignored-column` (info) for unknown
    /// columns, repeated ones and columns of other periods; a warning for a status or
    /// percent column repeated with nothing to tell which one is this round's, when their
    /// values differ.
    pub fn ignored_columns(&self) -> Vec<Diagnostic> {
        let ignored = self.header.ignored.iter().map(|i| {
            let message = match &i.why {
                Unread::Unknown => format!("列“{}”不是进展表的列，已忽略", i.text),
                Unread::Duplicate => format!("列“{}”与前面的列重复，已忽略", i.text),
                Unread::Period(label) => format!(
                    "列“{}”属于“{}”（{}），不是本轮（{}）的列，已忽略",
                    i.text,
                    label.text,
                    label.period.label(),
                    self.ctx.round.title
                ),
            };
            Diagnostic::new(Code::IgnoredColumn, message)
                .level(Level::Info)
                .at(self.grid.location(i.row, i.col))
        });
        let twins = self.header.twins.iter().map(|t| self.twin_note(*t));
        ignored.chain(twins).collect()
    }

    /// The note for a status or percent column repeated without a period label.
    fn twin_note(&self, (field, read, other): (Field, usize, usize)) -> Diagnostic {
        if self.grid.is_col_hidden(other) && !self.grid.is_col_hidden(read) {
            let (read_at, other_at) = (self.column_cell(read), self.column_cell(other));
            let name = field.header();
            return Diagnostic::new(
                Code::IgnoredColumn,
                format!("列{other_at}“{name}”为隐藏列，已按可见的{read_at}读取，隐藏列未采用"),
            )
            .level(Level::Warning)
            .at(other_at)
            .hint("请删除隐藏的旧列，只保留本轮的一列");
        }
        let same = self
            .task_rows()
            .all(|r| cell_text(self.value(r, read)) == cell_text(self.value(r, other)));
        let (read_at, other_at) = (self.column_cell(read), self.column_cell(other));
        let name = field.header();
        let (level, message) = if same {
            (
                Level::Info,
                format!("列{other_at}与{read_at}同为“{name}”且各行取值相同，已按{read_at}读取"),
            )
        } else {
            (
                Level::Warning,
                format!("表头有两列“{name}”（{read_at}、{other_at}），未标明期别且取值不同，已按{read_at}读取，请核对"),
            )
        };
        Diagnostic::new(Code::IgnoredColumn, message)
            .level(level)
            .at(other_at)
            .hint("请删除多余的列，或在表头标明“本期”“上期”")
    }

    /// The header cell of a column.
    fn column_cell(&self, col: usize) -> String {
        self.grid.location(self.header.text_row(col), col)
    }

    /// A column named for messages: `“任务编号”（进展情况!B3）`.
    fn column_name(&self, col: usize) -> String {
        format!("“{}”（{}）", self.header.text(col), self.column_cell(col))
    }

    /// Reads every task row for `unit`, applying the row rules; diagnostics get `file` and
    /// `unit`, and include the header notes.
    pub fn read(&self, file: &str, unit: &str) -> TableRead {
        let (mut table, id_notes) = self.with_id_column(unit);
        table.counted_ids = table.ids_count_rows(unit);
        table.read_rows(file, unit, id_notes)
    }

    fn read_rows(&self, file: &str, unit: &str, id_notes: Vec<Diagnostic>) -> TableRead {
        let mut read = TableRead {
            header_row: self.header.last_row,
            ..TableRead::default()
        };
        read.diagnostics = self.ignored_columns();
        read.diagnostics.extend(id_notes);
        read.diagnostics.extend(self.no_status_column());
        let scale = self.percent_scale();
        let mut seen = BTreeSet::new();
        // Where each task was first read, while hidden rows may still come.
        let mut visible_at: BTreeMap<u32, String> = BTreeMap::new();
        let mut text_matches = TEXT_MATCH_BUDGET;
        let mut reports = Vec::new();
        for row in self.reading_order() {
            let id = parse_task_id(self.field(row, Field::Id));
            let may_match = text_matches > 0;
            if !matches!(id, Parsed::Valid(_)) && !self.text(row, Field::Text).is_empty() {
                text_matches = text_matches.saturating_sub(1);
            }
            let (report, mut diagnostics) = self.read_row(row, &id, unit, scale, may_match, &seen);
            if self.grid.is_row_hidden(row) {
                self.hidden_duplicate(row, &visible_at, &mut diagnostics);
            }
            read.diagnostics.extend(diagnostics);
            if let Some(mut report) = report {
                read.diagnostics.extend(self.cell_warnings(row, report.task));
                seen.insert(report.task);
                if !self.grid.hidden_rows.is_empty() && !self.grid.is_row_hidden(row) {
                    visible_at.insert(report.task, format!("第{}行（{}）", row + 1, self.place(row).id));
                }
                report.file = file.to_owned();
                let extra = self.listed_ids(row, report.task, unit, &seen);
                for &task in &extra {
                    seen.insert(task);
                    let supplementary = self
                        .ctx
                        .registry
                        .task(task)
                        .is_none_or(|t| !self.ctx.registry.reports_for(unit, t));
                    let mut copy = report.clone();
                    (copy.task, copy.supplementary) = (task, supplementary);
                    reports.push((row, copy));
                }
                if !extra.is_empty() {
                    read.diagnostics.push(self.listed_note(row, report.task, &extra));
                }
                reports.push((row, report));
            }
        }
        reports.sort_by_key(|(row, _)| *row);
        read.rows = reports.into_iter().map(|(_, report)| report).collect();
        for d in &mut read.diagnostics {
            d.file = Some(file.to_owned());
            d.unit = Some(unit.to_owned());
        }
        read
    }

    /// The other tasks of a row whose id cell lists several (`89、90`, one row for two tasks):
    /// the listed ids besides `read`, each a task `unit` reports on and not read yet; empty
    /// unless `read` is among them.
    fn listed_ids(&self, row: usize, read: u32, unit: &str, seen: &BTreeSet<u32>) -> Vec<u32> {
        let Some(col) = self.header.col(Field::Id) else {
            return Vec::new();
        };
        let CellValue::Text(text) = self.value(row, col) else {
            return Vec::new();
        };
        let parts: Vec<&str> = text
            .split(['、', '，', ',', '；', ';', '/'])
            .map(str::trim)
            .collect();
        let ids: Vec<u32> = parts
            .iter()
            .filter_map(|p| match parse_task_id(&CellValue::Text((*p).to_owned())) {
                Parsed::Valid(id) => Some(id),
                _ => None,
            })
            .collect();
        if ids.len() < 2 || ids.len() != parts.len() || !ids.contains(&read) {
            return Vec::new();
        }
        let registry = self.ctx.registry;
        ids.into_iter()
            .filter(|&id| id != read && !seen.contains(&id))
            .filter(|&id| registry.task(id).is_some_and(|t| registry.reports_for(unit, t)))
            .collect()
    }

    /// The warning for one row read for several tasks listed in its id cell.
    fn listed_note(&self, row: usize, read: u32, extra: &[u32]) -> Diagnostic {
        let place = self.place(row);
        let all: Vec<String> = std::iter::once(read)
            .chain(extra.iter().copied())
            .map(|id| format!("任务{id}"))
            .collect();
        Diagnostic::new(
            Code::TaskTextMismatch,
            format!(
                "序号列一格填了{}项任务，本行的完成状态、进度和进展已分别作为{}的填报读取",
                all.len(),
                all.join("、")
            ),
        )
        .level(Level::Warning)
        .at(place.id)
        .task(read)
        .hint("请每项任务填写一行")
    }

    /// The task rows in the order they are read: as they stand, except that rows the file
    /// hides come after the visible ones. A hidden row (last quarter's, kept for reference) is
    /// weaker evidence than a visible row of the same task, so the visible row is read first
    /// and the hidden one is the duplicate.
    fn reading_order(&self) -> Vec<usize> {
        let mut rows: Vec<usize> = self.task_rows().collect();
        if !self.grid.hidden_rows.is_empty() {
            rows.sort_by_key(|&row| self.grid.is_row_hidden(row));
        }
        rows
    }

    /// A hidden row dropped as a duplicate of a visible row: the error becomes a warning that
    /// names the visible row read instead (still `duplicate-task`, at the hidden row).
    fn hidden_duplicate(
        &self,
        row: usize,
        visible_at: &BTreeMap<u32, String>,
        diagnostics: &mut [Diagnostic],
    ) {
        for d in diagnostics.iter_mut().filter(|d| d.code == Code::DuplicateTask) {
            let Some(visible) = d.task.and_then(|task| visible_at.get(&task)) else {
                continue;
            };
            let task = d.task.unwrap_or_default();
            *d = Diagnostic::new(
                Code::DuplicateTask,
                format!(
                    "第{}行是隐藏行，任务{task}已在可见的{visible}报送，采用可见行，隐藏行未采用",
                    row + 1
                ),
            )
            .level(Level::Warning)
            .at(self.place(row).id)
            .task(task)
            .hint("如隐藏行是往期数据，请删除；如隐藏行才是本期数据，请取消隐藏并删除另一行");
        }
    }

    /// The table with its id column chosen by evidence when several columns may hold the
    /// id (a running 序号 beside 任务编号): the column whose ids agree with the rows' task
    /// texts, then with the unit's own tasks. Notes say which column was not used and why.
    fn with_id_column(&self, unit: &str) -> (Table<'a>, Vec<Diagnostic>) {
        let candidates = &self.header.id_columns;
        if candidates.len() < 2 {
            return (self.clone(), Vec::new());
        }
        let scored: Vec<(IdEvidence, usize)> = candidates
            .iter()
            .map(|&col| (self.id_evidence(col, unit), col))
            .collect();
        let best = scored
            .iter()
            .copied()
            .reduce(|best, next| if next.0 > best.0 { next } else { best })
            .unwrap_or(scored[0]);
        let mut table = self.clone();
        table.header.columns.insert(Field::Id, best.1);
        let notes = scored
            .iter()
            .filter(|(_, col)| *col != best.1)
            .map(|&(evidence, col)| table.id_note(best, (evidence, col)))
            .collect();
        (table, notes)
    }

    /// How well the ids of `col` agree with the rows' other evidence.
    fn id_evidence(&self, col: usize, unit: &str) -> IdEvidence {
        let mut evidence = IdEvidence::default();
        for row in self.task_rows() {
            let Parsed::Valid(id) = parse_task_id(self.value(row, col)) else {
                continue;
            };
            let Some(task) = self.ctx.registry.task(id) else {
                continue;
            };
            evidence.valid += 1;
            evidence.own += usize::from(self.ctx.registry.reports_for(unit, task));
            let text = self.text(row, Field::Text);
            if !text.is_empty() && text_similarity(&text, &task.text) >= rules::TEXT_MISMATCH_BELOW {
                evidence.agree += 1;
            }
        }
        evidence
    }

    /// The note on an id-like column not used: info when the evidence is clear, a warning
    /// when it does not tell the two apart and their ids differ.
    fn id_note(&self, (best, read): (IdEvidence, usize), (evidence, col): (IdEvidence, usize)) -> Diagnostic {
        let (read_at, col_at) = (self.column_name(read), self.column_name(col));
        let rows = self.task_row_count();
        let differ = self
            .task_rows()
            .any(|r| parse_task_id(self.value(r, read)) != parse_task_id(self.value(r, col)));
        if evidence == best && differ {
            return Diagnostic::new(
                Code::IgnoredColumn,
                format!("{read_at}与{col_at}两列都可能是任务序号，各行的任务内容和牵头任务都不能区分，已按{read_at}列识别任务，请核对"),
            )
            .level(Level::Warning)
            .at(self.column_cell(col))
            .hint("请只保留一列任务序号（任务清单中的序号）");
        }
        Diagnostic::new(
            Code::IgnoredColumn,
            format!(
                "列{col_at}不作为任务序号：其编号与各行任务内容相符{}/{rows}行、属本单位牵头任务{}行，列{read_at}分别为{}行、{}行，已按列{read_at}识别任务",
                evidence.agree, evidence.own, best.agree, best.own
            ),
        )
        .level(Level::Info)
        .at(self.column_cell(col))
    }

    /// One row: the report (unless its identity is rejected) and its diagnostics.
    fn read_row(
        &self,
        row: usize,
        id: &Parsed<u32>,
        unit: &str,
        scale: Scale,
        may_match_text: bool,
        seen: &BTreeSet<u32>,
    ) -> (Option<TaskReport>, Vec<Diagnostic>) {
        let place = self.place(row);
        let (task, mut diagnostics) = match self.identity(row, id, unit, &place, may_match_text, seen) {
            Ok(found) => found,
            Err(error) => return (None, vec![error]),
        };
        let (status, percent) = self.values(row, task.id, scale, &place, &mut diagnostics);
        let progress = self.text(row, Field::Progress);
        if self.header.col(Field::Progress).is_some() {
            diagnostics.extend(rules::empty_progress(&progress, task.id, &place));
        }
        let cells = Cells {
            status: status.and_then(|_| self.status_source(row)),
            percent: percent.and_then(|_| self.source(row, Field::Percent)),
            progress: (!progress.is_empty())
                .then(|| self.source(row, Field::Progress))
                .flatten(),
        };
        let report = TaskReport {
            task: task.id,
            unit: unit.to_owned(),
            status,
            percent,
            progress,
            supplementary: !self.ctx.registry.reports_for(unit, task),
            location: Some(place.row.clone()),
            cells,
            ..self.texts(row)
        };
        (Some(report), diagnostics)
    }

    /// The registry task a row is about, with the identity warnings (`task-text-mismatch`,
    /// `not-lead-unit`); `Err` drops the row (`unknown-task`, `duplicate-task`, an id its
    /// task text contradicts with nothing to settle it).
    #[allow(clippy::result_large_err)] // `Diagnostic` is the crate's one problem shape
    fn identity(
        &self,
        row: usize,
        id: &Parsed<u32>,
        unit: &str,
        place: &RowPlace,
        may_match_text: bool,
        seen: &BTreeSet<u32>,
    ) -> Result<(&'a Task, Vec<Diagnostic>), Diagnostic> {
        let text = self.text(row, Field::Text);
        let (mut task, warning) = rules::resolve_task(id, &text, unit, place, may_match_text, &self.ctx)?;
        let mut diagnostics: Vec<Diagnostic> = warning.into_iter().collect();
        if let (Parsed::Valid(_), Some(registered)) = (id, self.ctx.registry.task(task)) {
            match rules::cross_check(registered, &text, &self.evidence(row), unit, place, &self.ctx) {
                Verdict::Agree => {}
                Verdict::Keep(warning) => diagnostics.push(warning),
                Verdict::Follow(other, warning) => {
                    task = other;
                    diagnostics.push(warning);
                }
                Verdict::Reject(error) => return Err(error),
            }
        }
        if let Some(error) = rules::duplicate(task, seen, place) {
            return Err(error);
        }
        let registered = self.ctx.registry.task(task).ok_or_else(|| {
            Diagnostic::new(Code::UnknownTask, format!("任务序号{task}不在任务清单中")).at(&place.id)
        })?;
        diagnostics.extend(rules::not_lead(registered, unit, place, &self.ctx));
        Ok((registered, diagnostics))
    }

    /// The row's evidence beside its id and text: its 牵头单位 cell, its other id-like
    /// columns, and whether its id is a formula's running number.
    fn evidence(&self, row: usize) -> RowEvidence {
        let read = self.header.col(Field::Id);
        let other_ids = self
            .header
            .id_columns
            .iter()
            .filter(|c| Some(**c) != read)
            .filter_map(|&c| match parse_task_id(self.value(row, c)) {
                Parsed::Valid(id) => Some(id),
                _ => None,
            })
            .collect();
        RowEvidence {
            lead: self.text(row, Field::Lead),
            other_ids,
            running_id: read.is_some_and(|col| self.grid.is_running_number(row, col)),
            counted_id: self.counted_ids,
        }
    }

    /// True when the id column counts 1, 2, 3… (at least three) down the task rows, blanks
    /// aside, and names a task `unit` does not report on: a running count.
    fn ids_count_rows(&self, unit: &str) -> bool {
        const MIN_COUNTED: u32 = 3;
        let Some(col) = self.header.col(Field::Id) else {
            return false;
        };
        let (mut count, mut foreign) = (0u32, false);
        for row in self.task_rows() {
            match parse_task_id(self.value(row, col)) {
                Parsed::Valid(id) => {
                    count += 1;
                    if id != count {
                        return false;
                    }
                    let registry = self.ctx.registry;
                    foreign |= !registry.task(id).is_some_and(|t| registry.reports_for(unit, t));
                }
                Parsed::Empty => {}
                _ => return false,
            }
        }
        count >= MIN_COUNTED && foreign
    }

    /// Status and percent of a row (`None` when blank or invalid), with the value rules.
    fn values(
        &self,
        row: usize,
        task: u32,
        scale: Scale,
        place: &RowPlace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Option<Status>, Option<f64>) {
        let status_cell = self.field(row, Field::Status);
        let status = match self.header.ticks.is_empty() {
            true => parse_status(status_cell, self.ctx.config),
            false => self.ticked(row, task, diagnostics),
        };
        let percent_cell = self.field(row, Field::Percent);
        let fraction = matches!(scale, Scale::Fraction | Scale::Ambiguous(true));
        let percent = parse_percent(percent_cell, fraction);
        diagnostics.extend(rules::invalid_status(&status, task, place));
        diagnostics.extend(rules::invalid_percent(&percent, task, place));
        let status = valid(status);
        if status.is_some() {
            diagnostics.extend(self.loose_status(status_cell, task, place));
        } else if self.header.col(Field::Status).is_some() && status_cell.is_blank() {
            diagnostics.push(rules::blank_status(task, place));
        }
        let percent = valid(percent).map(|p| p.value);
        diagnostics.extend(percent_guess(percent_cell, percent, scale, task, place));
        diagnostics.extend(rules::status_percent_mismatch(status, percent, task, place));
        (status, percent)
    }

    /// The status ticked in the per-status columns of a row: one tick gives its column's
    /// status; none is a warning (no status), several or a mark that is no tick an error at
    /// the cell (no status). Problems go to `diagnostics`, so the result is never `Invalid`.
    fn ticked(&self, row: usize, task: u32, diagnostics: &mut Vec<Diagnostic>) -> Parsed<Status> {
        let mut ticked = Vec::new();
        for &(status, col) in &self.header.ticks {
            match tick_mark(self.value(row, col)) {
                Some(true) => ticked.push((status, col)),
                Some(false) => {}
                None => {
                    let written = cell_text(self.value(row, col));
                    diagnostics.push(
                        Diagnostic::new(
                            Code::InvalidStatus,
                            format!(
                                "“{}”列中的“{written}”不是勾选标记，无法确定完成状态",
                                status.label()
                            ),
                        )
                        .at(self.grid.location(row, col))
                        .task(task)
                        .hint("请在对应状态列中打“✓”，其余状态列留空"),
                    );
                    return Parsed::Empty;
                }
            }
        }
        match ticked.as_slice() {
            [(status, _)] => Parsed::Valid(*status),
            [] => {
                let first = self.header.ticks.first().map_or(0, |(_, c)| *c);
                diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidStatus,
                        format!("任务{task}在各状态列中均未勾选，本文件未报送该任务的状态"),
                    )
                    .level(Level::Warning)
                    .at(self.grid.location(row, first))
                    .task(task)
                    .hint("请在对应状态列中打“✓”"),
                );
                Parsed::Empty
            }
            [(_, first), ..] => {
                let names: Vec<&str> = ticked.iter().map(|(s, _)| s.label()).collect();
                diagnostics.push(
                    Diagnostic::new(
                        Code::InvalidStatus,
                        format!("同时勾选了“{}”，无法确定完成状态", names.join("”“")),
                    )
                    .at(self.grid.location(row, *first))
                    .task(task)
                    .hint("每项任务只勾选一个完成状态"),
                );
                Parsed::Empty
            }
        }
    }

    /// The cell a row's status was read from: the 完成状态 cell, else the ticked cell.
    fn status_source(&self, row: usize) -> Option<String> {
        if self.header.ticks.is_empty() {
            return self.source(row, Field::Status);
        }
        self.header
            .ticks
            .iter()
            .find(|(_, col)| tick_mark(self.value(row, *col)) == Some(true))
            .map(|(_, col)| self.grid.location(row, *col))
    }

    /// A warning at the header when the table has task rows but no status column: none of
    /// its tasks gets a status from it.
    fn no_status_column(&self) -> Option<Diagnostic> {
        if self.header.col(Field::Status).is_some()
            || !self.header.ticks.is_empty()
            || self.task_row_count() == 0
        {
            return None;
        }
        Some(
            Diagnostic::new(
                Code::InvalidStatus,
                "表中没有“完成状态”列，本表各项任务的完成状态均未报送",
            )
            .level(Level::Warning)
            .at(self.header_cell())
            .hint("请增加“完成状态”列并逐项填写"),
        )
    }

    /// A warning when a status was recognised only past a remark (`已完成（部分）`) or from
    /// ticked boxes (`☐未启动 ☑推进中`).
    fn loose_status(&self, cell: &CellValue, task: u32, place: &RowPlace) -> Option<Diagnostic> {
        let message = super::values::status_note(cell, self.ctx.config)?;
        Some(
            Diagnostic::new(Code::InvalidStatus, message)
                .level(Level::Warning)
                .at(&place.status)
                .task(task)
                .hint(Status::allowed_values_hint()),
        )
    }

    /// The free-text fields of a row (other than progress).
    fn texts(&self, row: usize) -> TaskReport {
        TaskReport {
            projects: self.text(row, Field::Projects),
            cases: self.text(row, Field::Cases),
            problems: self.text(row, Field::Problems),
            next_steps: self.text(row, Field::NextSteps),
            policy: self.text(row, Field::Policy),
            remarks: self.text(row, Field::Remarks),
            ..TaskReport::default()
        }
    }

    /// Where a row's cells are; a missing column falls back to the row's first cell.
    fn place(&self, row: usize) -> RowPlace {
        let first = self.grid.location(row, self.header.first_col());
        let at = |field| match self.header.col(field) {
            Some(col) => self.grid.location(row, col),
            None => first.clone(),
        };
        let id = match (self.header.col(Field::Id), self.header.col(Field::Text)) {
            (None, Some(col)) => self.grid.location(row, col),
            _ => at(Field::Id),
        };
        // With per-status tick columns the status cell is the ticked one (else the first).
        let ticked = self.header.ticks.first().map(|(_, col)| {
            self.status_source(row)
                .unwrap_or_else(|| self.grid.location(row, *col))
        });
        let status = ticked.clone().unwrap_or_else(|| at(Field::Status));
        let row_cell = match (self.header.col(Field::Status), ticked) {
            (Some(_), _) => status.clone(),
            (None, Some(cell)) => cell,
            (None, None) => first.clone(),
        };
        RowPlace {
            id,
            text: at(Field::Text),
            status,
            percent: at(Field::Percent),
            progress: at(Field::Progress),
            row: row_cell,
        }
    }

    /// The cell a field's value of a row was read from (the top cell of a merged range).
    fn source(&self, row: usize, field: Field) -> Option<String> {
        let col = self.header.col(field)?;
        let from = match self.grid.cell(row, col).is_blank() {
            true => self.merges.tall_origin(row, col).unwrap_or(row),
            false => row,
        };
        Some(self.grid.location(from, col))
    }

    /// How the percent column's plain numbers are read (see [`Scale`]).
    fn percent_scale(&self) -> Scale {
        let Some(col) = self.header.col(Field::Percent) else {
            return Scale::Plain;
        };
        let cells: Vec<(usize, &CellValue)> = self.task_rows().map(|r| (r, self.value(r, col))).collect();
        if cells.iter().any(|(_, c)| matches!(c, CellValue::Percent(_))) {
            return Scale::Plain;
        }
        let numbers: Vec<(usize, f64)> = cells
            .iter()
            .filter_map(|(r, c)| match c {
                CellValue::Number(n) => Some((*r, *n)),
                _ => None,
            })
            .collect();
        if numbers.is_empty() || !numbers.iter().all(|(_, n)| (0.0..=1.0).contains(n)) {
            return Scale::Plain;
        }
        if numbers.iter().any(|(_, n)| *n > 0.0 && *n < 1.0) {
            return Scale::Fraction;
        }
        if numbers.iter().all(|(_, n)| *n == 0.0) {
            return Scale::Plain;
        }
        Scale::Ambiguous(self.ones_are_complete(&numbers))
    }

    /// True when every row whose percent is 1 says 已完成 or 常态化推进.
    fn ones_are_complete(&self, numbers: &[(usize, f64)]) -> bool {
        numbers.iter().filter(|(_, n)| *n == 1.0).all(|(r, _)| {
            matches!(
                valid(parse_status(self.field(*r, Field::Status), self.ctx.config)),
                Some(Status::Completed | Status::Ongoing)
            )
        })
    }

    /// Warnings at single cells of a row that was read: a formula with no stored value
    /// (`uncalculated-formula`, the value is taken as not given). A 1 in a percent column of
    /// only 0 and 1 is warned where it is read (see [`Scale::Ambiguous`]).
    fn cell_warnings(&self, row: usize, task: u32) -> Vec<Diagnostic> {
        Field::ALL
            .into_iter()
            .filter_map(|f| self.header.col(f))
            .filter_map(|col| match self.value(row, col) {
                CellValue::Formula(formula) => {
                    Some(uncalculated_formula(formula, self.grid.location(row, col), task))
                }
                _ => None,
            })
            .collect()
    }

    /// The rows after the header that are task rows.
    fn task_rows(&self) -> impl Iterator<Item = usize> + '_ {
        let start = self.header.data_start();
        self.skips
            .iter()
            .enumerate()
            .filter(|(_, s)| s.is_none())
            .map(move |(i, _)| start + i)
    }

    /// Why a row after the header is skipped, if it is.
    fn classify(&self, row: usize) -> Option<Skip> {
        let blank = Field::ALL
            .into_iter()
            .filter(|f| is_task_field(*f))
            .filter_map(|f| self.header.col(f))
            .all(|c| self.grid.cell(row, c).is_blank());
        let repeats = [Field::Id, Field::Text, Field::Status]
            .iter()
            .filter_map(|f| self.header.col(*f).map(|c| (*f, c)))
            .any(|(f, c)| match self.grid.cell(row, c) {
                CellValue::Text(t) => self.names.field(t) == Some(f),
                _ => false,
            });
        let id_valid = matches!(parse_task_id(self.field(row, Field::Id)), Parsed::Valid(_));
        rules::skip_row(&self.first_texts(row), blank, repeats, id_valid)
    }

    /// The first two distinct non-blank texts of a row (enough to classify it).
    fn first_texts(&self, row: usize) -> Vec<String> {
        let mut texts: Vec<String> = Vec::with_capacity(2);
        let cells = self.grid.rows.get(row).map(Vec::as_slice).unwrap_or_default();
        for cell in cells.iter().filter(|c| !c.is_blank()) {
            let text = cell_text(cell);
            if !texts.contains(&text) {
                texts.push(text);
            }
            if texts.len() == 2 {
                break;
            }
        }
        texts
    }

    /// A cell as the user reads it (merged ranges fill the rows they span).
    fn value(&self, row: usize, col: usize) -> &'a CellValue {
        filled(self.grid, &self.merges, row, col)
    }

    /// The cell of a field in a row (`Empty` when the column is absent).
    fn field(&self, row: usize, field: Field) -> &'a CellValue {
        static EMPTY: CellValue = CellValue::Empty;
        match self.header.col(field) {
            Some(col) => self.value(row, col),
            None => &EMPTY,
        }
    }

    /// The trimmed text of a field in a row.
    fn text(&self, row: usize, field: Field) -> String {
        cell_text(self.field(row, field))
    }

    /// Non-blank cell texts of a row, consecutive repeats collapsed.
    fn row_texts(&self, row: usize) -> Vec<String> {
        let mut texts: Vec<String> = self
            .grid
            .rows
            .get(row)
            .map(|cells| cells.iter().map(cell_text).filter(|t| !t.is_empty()).collect())
            .unwrap_or_default();
        texts.dedup();
        texts
    }

    /// The distinct non-blank texts of a row joined by two spaces.
    /// Lines above the header only (title rows, 填报单位 / 填报日期), without footer rows.
    pub fn title_lines(&self) -> Vec<String> {
        (self.top..self.header.first_row)
            .filter_map(|r| self.row_line(r))
            .collect()
    }

    /// The first row below the header whose text satisfies `pred` (a second table's title).
    pub fn later_row(&self, pred: impl Fn(&str) -> bool) -> Option<usize> {
        (self.header.data_start()..self.grid.rows.len())
            .find(|&r| self.row_line(r).is_some_and(|line| pred(&line)))
    }

    fn row_line(&self, row: usize) -> Option<String> {
        let texts = self.row_texts(row);
        (!texts.is_empty()).then(|| texts.join("  "))
    }
}

/// How well a candidate id column agrees with the rows: ids whose registry text matches the
/// row's task text, ids of the unit's own tasks, ids in the registry (compared in that order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
struct IdEvidence {
    agree: usize,
    own: usize,
    valid: usize,
}

/// A warning for a percent whose scale is a guess: a 1 in a column of only 0 and 1 with no
/// percent format, or a plain number strictly between 0 and 1 (read as less than 1 %).
fn percent_guess(
    cell: &CellValue,
    percent: Option<f64>,
    scale: Scale,
    task: u32,
    place: &RowPlace,
) -> Option<Diagnostic> {
    let value = percent?;
    let written = cell_text(cell);
    let message = match (scale, cell) {
        (Scale::Ambiguous(_), CellValue::Number(n)) if *n == 1.0 => format!(
            "完成进度“{written}”所在列未设置百分比格式，且各行只有0和1，无法确定是1%还是100%；{}，按{}%读取",
            if value == 100.0 {
                "各行完成状态均为已完成或常态化推进"
            } else {
                "完成状态不能确定"
            },
            crate::ingest::format_number(value)
        ),
        (Scale::Plain, CellValue::Number(_)) | (Scale::Plain, CellValue::Text(_))
            if value > 0.0 && value < 1.0 && !written.contains(['%', '％']) =>
        {
            format!(
                "完成进度“{written}”按{written}%读取；如指{}%，请填写{}",
                value * 100.0,
                value * 100.0
            )
        }
        _ => super::values::percent_note(cell)?,
    };
    Some(
        Diagnostic::new(Code::InvalidPercent, message)
            .level(Level::Warning)
            .at(&place.percent)
            .task(task)
            .hint("请填写0–100之间的数字，如 80 或 80%，或将该列设置为百分比格式"),
    )
}

/// `uncalculated-formula` at a formula cell with no stored value (contract §5).
fn uncalculated_formula(formula: &str, location: String, task: u32) -> Diagnostic {
    let message = if formula.is_empty() {
        "公式单元格没有保存计算结果，按未填写处理".to_owned()
    } else {
        format!("公式“{formula}”没有保存计算结果，按未填写处理")
    };
    Diagnostic::new(Code::UncalculatedFormula, message)
        .at(location)
        .task(task)
        .hint("请用 Excel/WPS 打开该文件并保存（公式将被计算）后重新报送")
}

fn valid<T>(parsed: Parsed<T>) -> Option<T> {
    match parsed {
        Parsed::Valid(v) => Some(v),
        _ => None,
    }
}

/// Whether a cell of a per-status column is ticked: `Some(true)` for a tick mark (✓ √ ☑ ●
/// 是, a 1 or TRUE), `Some(false)` for blank or a mark meaning no (× 否 - /), `None` for
/// anything else.
fn tick_mark(cell: &CellValue) -> Option<bool> {
    match cell {
        CellValue::Bool(b) => Some(*b),
        CellValue::Number(n) if *n == 1.0 => Some(true),
        CellValue::Number(n) if *n == 0.0 => Some(false),
        c if c.is_blank() => Some(false),
        c => {
            let text = cell_text(c);
            let text = text.trim();
            if ["✓", "✔", "√", "☑", "☒", "✅", "●", "■", "◆", "★", "是", "Y", "y"].contains(&text)
            {
                Some(true)
            } else if ["×", "✗", "✘", "否", "-", "—", "/", "N", "n", "无"].contains(&text) {
                Some(false)
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::header::tests::grid;
    use crate::validate::period::tests::with_round;

    /// A 市科技局 table with task 1 twice: a hidden row (last quarter's) above the visible one.
    fn hidden_first(hidden: &[u32]) -> Grid {
        let mut g = grid(&[
            &["序号", "试点任务", "完成状态", "完成进度", "本期工作进展"],
            &["1", "", "未启动", "0", "（上季度）尚未开展"],
            &["1", "", "推进中", "40", "本季度推进"],
        ]);
        g.hidden_rows = hidden.to_vec();
        g
    }

    #[test]
    fn l2_a_second_table_below_is_found_under_its_own_title() {
        with_round("2024Q1", |ctx| {
            let g = grid(&[
                &["推进情况表（2023年第四季度）"],
                &["序号", "试点任务", "完成状态", "完成进度", "本期工作进展"],
                &["1", "", "未启动", "0", "上季度"],
                &[""],
                &["推进情况表（2024年第一季度）"],
                &["填报日期：2024年4月8日"],
                &["序号", "试点任务", "完成状态", "完成进度", "本期工作进展"],
                &["1", "", "推进中", "40", "本季度"],
            ]);
            let first = Table::find(&g, ctx).unwrap();
            assert_eq!(
                first.title_lines(),
                vec!["推进情况表（2023年第四季度）".to_owned()]
            );
            let top = first.later_row(|t| t.contains("2024年第一季度")).unwrap();
            assert_eq!(top, 4);
            let below = Table::find_from(&g, ctx, top).unwrap();
            assert_eq!(below.header.first_row, 6);
            assert_eq!(below.clue_lines()[0], "推进情况表（2024年第一季度）");
            let read = below.read("f.xlsx", "市科技局");
            assert_eq!(read.rows.len(), 1);
            assert_eq!(read.rows[0].status, Some(Status::InProgress));
        });
    }

    #[test]
    fn l4_one_row_for_two_tasks_is_read_for_both() {
        with_round("2024Q1", |ctx| {
            let text = ctx.registry.task(1).unwrap().text.clone();
            let g = grid(&[
                &["序号", "试点任务", "完成状态", "完成进度", "本期工作进展"],
                &["1、13", &text, "推进中", "40", "两项任务合并推进"],
            ]);
            let read = read_progress_table(&g, "f.xlsx", "市科技局", ctx).unwrap();
            let tasks: Vec<(u32, Option<Status>)> = read.rows.iter().map(|r| (r.task, r.status)).collect();
            assert_eq!(
                tasks,
                vec![(13, Some(Status::InProgress)), (1, Some(Status::InProgress))]
            );
            let note = read
                .diagnostics
                .iter()
                .find(|d| d.code == Code::TaskTextMismatch && d.message.contains("任务1、任务13"))
                .unwrap();
            assert_eq!(
                (note.level, note.location.as_deref()),
                (Level::Warning, Some("Sheet1!A2"))
            );
            assert!(!read
                .diagnostics
                .iter()
                .any(|d| d.code == Code::MissingTask && d.task == Some(13)));
        });
    }

    #[test]
    fn w1_a_visible_status_column_wins_over_a_hidden_twin() {
        with_round("2024Q1", |ctx| {
            let mut g = grid(&[
                &["序号", "试点任务", "完成状态", "完成状态", "本期工作进展"],
                &["1", "", "未启动", "推进中", "本季度推进"],
            ]);
            g.hidden_cols = vec![2];
            let read = read_progress_table(&g, "f.xlsx", "市科技局", ctx).unwrap();
            assert_eq!(read.rows[0].status, Some(Status::InProgress));
            let note = read
                .diagnostics
                .iter()
                .find(|d| d.code == Code::IgnoredColumn && d.level == Level::Warning)
                .unwrap();
            assert_eq!(note.location.as_deref(), Some("Sheet1!C1"));
            assert!(note.message.contains("隐藏列"), "{}", note.message);
            // Nothing hidden: the first column is read, as before.
            g.hidden_cols.clear();
            let read = read_progress_table(&g, "f.xlsx", "市科技局", ctx).unwrap();
            assert_eq!(read.rows[0].status, Some(Status::NotStarted));
        });
    }

    #[test]
    fn a_visible_row_wins_over_a_hidden_row_of_the_same_task() {
        with_round("2024Q1", |ctx| {
            let read = read_progress_table(&hidden_first(&[1]), "f.xlsx", "市科技局", ctx).unwrap();
            assert_eq!(read.rows.len(), 1);
            assert_eq!(read.rows[0].status, Some(Status::InProgress));
            let dup: Vec<&Diagnostic> = read
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::DuplicateTask)
                .collect();
            assert_eq!(dup.len(), 1);
            assert_eq!(
                (dup[0].level, dup[0].location.as_deref()),
                (Level::Warning, Some("Sheet1!A2"))
            );
            assert!(dup[0].message.contains("隐藏行"), "{}", dup[0].message);
            // No hidden row: the first row is read, the second is the duplicate (an error).
            let read = read_progress_table(&hidden_first(&[]), "f.xlsx", "市科技局", ctx).unwrap();
            assert_eq!(read.rows[0].status, Some(Status::NotStarted));
            let dup = read
                .diagnostics
                .iter()
                .find(|d| d.code == Code::DuplicateTask)
                .unwrap();
            assert_eq!(
                (dup.level, dup.location.as_deref()),
                (Level::Error, Some("Sheet1!A3"))
            );
            // A hidden row of its own task (a filter hid it) is read as any row.
            let mut g = hidden_first(&[1]);
            g.rows.pop();
            let read = read_progress_table(&g, "f.xlsx", "市科技局", ctx).unwrap();
            assert_eq!(read.rows.len(), 1);
            assert_eq!(read.rows[0].status, Some(Status::NotStarted));
        });
    }

    #[test]
    fn a_tick_in_a_per_status_column_is_the_status() {
        with_round("2024Q1", |ctx| {
            let g = grid(&[
                &[
                    "序号",
                    "试点任务",
                    "未启动",
                    "推进中",
                    "已完成",
                    "常态化推进",
                    "完成进度",
                    "本期工作进展",
                ],
                &["1", "", "", "√", "", "", "40", "做了"],
                &["13", "", "", "", "", "", "0", "做了"],
                &["58", "", "", "✓", "✓", "", "100", "做了"],
                &["59", "", "", "部分", "", "", "50", "做了"],
            ]);
            let read = read_progress_table(&g, "f.xlsx", "市科技局", ctx).unwrap();
            let statuses: Vec<(u32, Option<Status>)> = read.rows.iter().map(|r| (r.task, r.status)).collect();
            assert_eq!(
                statuses,
                vec![(1, Some(Status::InProgress)), (13, None), (58, None), (59, None)]
            );
            assert_eq!(read.rows[0].cells.status.as_deref(), Some("Sheet1!D2"));
            let status_notes: Vec<(Level, Option<&str>)> = read
                .diagnostics
                .iter()
                .filter(|d| d.code == Code::InvalidStatus)
                .map(|d| (d.level, d.location.as_deref()))
                .collect();
            assert_eq!(
                status_notes,
                vec![
                    (Level::Warning, Some("Sheet1!C3")),
                    (Level::Error, Some("Sheet1!D4")),
                    (Level::Error, Some("Sheet1!D5")),
                ]
            );
        });
    }

    #[test]
    fn numbered_notes_under_a_notes_heading_are_no_tasks() {
        with_round("2024Q1", |ctx| {
            let g = grid(&[
                &["序号", "试点任务", "完成状态", "完成进度", "本期工作进展"],
                &["1", "", "推进中", "40", "本季度推进"],
                &["合计", "共1项", "", "", ""],
                &["说明：", "", "", "", ""],
                &["1", "完成进度按序时进度测算。", "", "", ""],
                &["2", "项目落地情况统计截至3月31日。", "", "", ""],
                &["3", "", "推进中", "", ""],
            ]);
            let read = read_progress_table(&g, "f.xlsx", "市科技局", ctx).unwrap();
            // Notes 1 and 2 are skipped; a row with a status is still read (and is a duplicate).
            assert_eq!(read.rows.len(), 2, "{:?}", read.rows);
            assert!(read
                .diagnostics
                .iter()
                .all(|d| d.location.as_deref() != Some("Sheet1!A5")
                    && d.location.as_deref() != Some("Sheet1!B5")));
            // Without the heading, numbered rows after 合计 are still read (a 小计 may end a part).
            let g = grid(&[
                &["序号", "试点任务", "完成状态", "完成进度", "本期工作进展"],
                &["1", "", "推进中", "40", "本季度推进"],
                &["小计", "", "", "", ""],
                &["13", "", "", "", ""],
            ]);
            let read = read_progress_table(&g, "f.xlsx", "市科技局", ctx).unwrap();
            assert_eq!(read.rows.len(), 2);
        });
    }
}
