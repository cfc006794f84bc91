//! Progress tables: header detection, column mapping and row reading shared by spreadsheets
//! and the tables of Word reports (one code path, contract §2 and §3).
//!
//! [`read_progress_table`] is the whole job for a grid whose unit is known; spreadsheets use
//! the steps ([`Table::find`], [`Table::clue_lines`], [`Table::lead_values`],
//! [`Table::read`]) because their unit is identified from the text above the header and the
//! 牵头单位 column.

use super::header::{self, filled, ColumnNames, Header, Merges};
use super::rules::{self, RowPlace, Skip};
use super::values::{
    cell_text, is_ambiguous_percent_column, is_fraction_column, parse_percent, parse_status, parse_task_id,
    Parsed,
};
use super::{Context, TaskReport};
use crate::diag::{Code, Diagnostic, Level};
use crate::ingest::{CellValue, Grid};
use crate::registry::Task;
use crate::vocab::{Field, Status};
use std::collections::BTreeSet;

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
/// required columns.
pub fn has_progress_header(grid: &Grid, ctx: &Context) -> bool {
    header::find_header(grid, ctx.config).is_some_and(|h| h.has_required())
}

/// Reads a progress table for `unit` from `grid`; `None` when no header (with the required
/// columns) is found, or the table has more than [`MAX_TASK_ROWS`] task rows.
pub fn read_progress_table(grid: &Grid, file: &str, unit: &str, ctx: &Context) -> Option<TableRead> {
    let table = Table::find(grid, ctx).filter(|t| t.header.has_required() && !t.is_oversized())?;
    Some(table.read(file, unit))
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
}

impl<'a> Table<'a> {
    /// The table of `grid`, when a header is found in its first 15 rows (required columns
    /// not checked: see [`Header::has_required`]).
    pub fn find(grid: &'a Grid, ctx: &Context<'a>) -> Option<Table<'a>> {
        let names = ColumnNames::of(ctx.config);
        let header = header::find_header_with(grid, &names)?;
        let mut table = Table {
            grid,
            header,
            merges: Merges::of(grid),
            ctx: *ctx,
            skips: Vec::new(),
            names,
        };
        table.skips = (table.header.data_start()..grid.rows.len())
            .map(|r| table.classify(r))
            .collect();
        Some(table)
    }

    /// How many task rows the table has.
    pub fn task_row_count(&self) -> usize {
        self.skips.iter().filter(|s| s.is_none()).count()
    }

    /// True when the table has more than [`MAX_TASK_ROWS`] task rows.
    pub fn is_oversized(&self) -> bool {
        self.task_row_count() > MAX_TASK_ROWS
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
        let above = (0..self.header.first_row).filter_map(|r| self.row_line(r));
        let below = self
            .rows_skipped_as(Skip::Footer)
            .filter_map(|r| self.row_line(r));
        above.chain(below).collect()
    }

    /// The location of the first cell above the header or in a footer row whose text
    /// satisfies `pred` (to point a file-level diagnostic at the cell that caused it).
    pub fn clue_cell(&self, pred: impl Fn(&str) -> bool) -> Option<String> {
        let above = 0..self.header.first_row;
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

    /// `ignored-column` notes for header cells naming no known column.
    pub fn ignored_columns(&self) -> Vec<Diagnostic> {
        self.header
            .ignored
            .iter()
            .map(|(row, col, text)| {
                Diagnostic::new(Code::IgnoredColumn, format!("列“{text}”不是进展表的列，已忽略"))
                    .at(self.grid.location(*row, *col))
            })
            .collect()
    }

    /// Reads every task row for `unit`, applying the row rules; diagnostics get `file` and
    /// `unit`, and include `ignored-column` notes.
    pub fn read(&self, file: &str, unit: &str) -> TableRead {
        let mut read = TableRead {
            header_row: self.header.last_row,
            ..TableRead::default()
        };
        read.diagnostics = self.ignored_columns();
        let fraction = self.fraction_column();
        let ambiguous = self.ambiguous_percent_column();
        let mut seen = BTreeSet::new();
        let mut text_matches = TEXT_MATCH_BUDGET;
        for row in self.task_rows() {
            let id = parse_task_id(self.field(row, Field::Id));
            let may_match = text_matches > 0;
            if !matches!(id, Parsed::Valid(_)) && !self.text(row, Field::Text).is_empty() {
                text_matches = text_matches.saturating_sub(1);
            }
            let (report, diagnostics) = self.read_row(row, &id, unit, fraction, may_match, &seen);
            read.diagnostics.extend(diagnostics);
            if let Some(mut report) = report {
                read.diagnostics
                    .extend(self.cell_warnings(row, report.task, ambiguous));
                seen.insert(report.task);
                report.file = file.to_owned();
                read.rows.push(report);
            }
        }
        for d in &mut read.diagnostics {
            d.file = Some(file.to_owned());
            d.unit = Some(unit.to_owned());
        }
        read
    }

    /// One row: the report (unless its identity is rejected) and its diagnostics.
    fn read_row(
        &self,
        row: usize,
        id: &Parsed<u32>,
        unit: &str,
        fraction: bool,
        may_match_text: bool,
        seen: &BTreeSet<u32>,
    ) -> (Option<TaskReport>, Vec<Diagnostic>) {
        let place = self.place(row);
        let (task, mut diagnostics) = match self.identity(row, id, unit, &place, may_match_text, seen) {
            Ok(found) => found,
            Err(error) => return (None, vec![error]),
        };
        let (status, percent) = self.values(row, task.id, fraction, &place, &mut diagnostics);
        let progress = self.text(row, Field::Progress);
        if self.header.col(Field::Progress).is_some() {
            diagnostics.extend(rules::empty_progress(&progress, task.id, &place));
        }
        let report = TaskReport {
            task: task.id,
            unit: unit.to_owned(),
            status,
            percent,
            progress,
            supplementary: !self.ctx.registry.reports_for(unit, task),
            location: Some(self.grid.row_location(row)),
            ..self.texts(row)
        };
        (Some(report), diagnostics)
    }

    /// The registry task a row is about, with the identity warnings (`task-text-mismatch`,
    /// `not-lead-unit`); `Err` drops the row (`unknown-task`, `duplicate-task`).
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
        let (task, warning) = rules::resolve_task(id, &text, unit, place, may_match_text, &self.ctx)?;
        if let Some(error) = rules::duplicate(task, seen, place) {
            return Err(error);
        }
        let registered = self.ctx.registry.task(task).ok_or_else(|| {
            Diagnostic::new(Code::UnknownTask, format!("任务序号{task}不在任务清单中")).at(&place.id)
        })?;
        let mut diagnostics: Vec<Diagnostic> = warning.into_iter().collect();
        if matches!(id, Parsed::Valid(_)) {
            diagnostics.extend(rules::text_mismatch(registered, &text, unit, place, &self.ctx));
        }
        diagnostics.extend(rules::not_lead(registered, unit, place, &self.ctx));
        Ok((registered, diagnostics))
    }

    /// Status and percent of a row (`None` when blank or invalid), with the value rules.
    fn values(
        &self,
        row: usize,
        task: u32,
        fraction: bool,
        place: &RowPlace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> (Option<Status>, Option<f64>) {
        let status = parse_status(self.field(row, Field::Status), self.ctx.config);
        let percent = parse_percent(self.field(row, Field::Percent), fraction);
        diagnostics.extend(rules::invalid_status(&status, task, place));
        diagnostics.extend(rules::invalid_percent(&percent, task, place));
        let status = valid(status);
        let percent = valid(percent).map(|p| p.value);
        diagnostics.extend(rules::status_percent_mismatch(status, percent, task, place));
        (status, percent)
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

    /// Where a row's cells are; a missing column falls back to the row.
    fn place(&self, row: usize) -> RowPlace {
        let at = |field| match self.header.col(field) {
            Some(col) => self.grid.location(row, col),
            None => self.grid.row_location(row),
        };
        let id = match (self.header.col(Field::Id), self.header.col(Field::Text)) {
            (None, Some(col)) => self.grid.location(row, col),
            _ => at(Field::Id),
        };
        RowPlace {
            id,
            text: at(Field::Text),
            status: at(Field::Status),
            percent: at(Field::Percent),
            progress: at(Field::Progress),
        }
    }

    /// True when the percent column's plain numbers are fractions (no percent format was
    /// readable, every number is in 0–1 and one lies strictly between).
    fn fraction_column(&self) -> bool {
        let Some(col) = self.header.col(Field::Percent) else {
            return false;
        };
        let cells: Vec<&CellValue> = self.task_rows().map(|r| self.value(r, col)).collect();
        let has_format = cells.iter().any(|c| matches!(c, CellValue::Percent(_)));
        !has_format && is_fraction_column(cells)
    }

    /// True when the percent column's numbers are all 0 or 1 with no percent format: a 1 may
    /// mean 1 % or 100 % (read as 1, with a warning at each such cell).
    fn ambiguous_percent_column(&self) -> bool {
        let Some(col) = self.header.col(Field::Percent) else {
            return false;
        };
        is_ambiguous_percent_column(self.task_rows().map(|r| self.value(r, col)))
    }

    /// Warnings at single cells of a row that was read: a formula with no stored value
    /// (`uncalculated-formula`, the value is taken as not given), and a 1 in an ambiguous
    /// percent column (`invalid-percent` as a warning).
    fn cell_warnings(&self, row: usize, task: u32, ambiguous_percent: bool) -> Vec<Diagnostic> {
        let mut warnings: Vec<Diagnostic> = Field::ALL
            .into_iter()
            .filter_map(|f| self.header.col(f))
            .filter_map(|col| match self.value(row, col) {
                CellValue::Formula(formula) => {
                    Some(uncalculated_formula(formula, self.grid.location(row, col), task))
                }
                _ => None,
            })
            .collect();
        let percent = self.header.col(Field::Percent);
        if let (true, Some(col)) = (ambiguous_percent, percent) {
            if self.value(row, col) == &CellValue::Number(1.0) {
                warnings.push(ambiguous_percent_warning(self.grid.location(row, col), task));
            }
        }
        warnings
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
    fn row_line(&self, row: usize) -> Option<String> {
        let texts = self.row_texts(row);
        (!texts.is_empty()).then(|| texts.join("  "))
    }
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

/// `invalid-percent` as a warning: a 1 read as 1 % where it may mean 100 % (contract §2).
fn ambiguous_percent_warning(location: String, task: u32) -> Diagnostic {
    Diagnostic::new(
        Code::InvalidPercent,
        "完成进度为1，单元格未设置百分比格式且该列数值只有0和1，无法判断是1%还是100%，已按1%读取",
    )
    .level(Level::Warning)
    .at(location)
    .task(task)
    .hint("如为100%，请填写100，或将该列设置为百分比格式")
}

fn valid<T>(parsed: Parsed<T>) -> Option<T> {
    match parsed {
        Parsed::Valid(v) => Some(v),
        _ => None,
    }
}
