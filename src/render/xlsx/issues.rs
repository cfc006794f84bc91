//! The issue list shared by the summary's 校验问题 sheet and every feedback workbook's
//! 问题清单: its columns and one row per diagnostic.

use super::cell::Cell;
use super::table::{Column, Row, RowKind};
use crate::diag::Diagnostic;

/// The columns of an issue list; `with_unit` adds the 单位 column (the summary lists every
/// unit, a feedback workbook only its own).
pub fn issue_columns(with_unit: bool) -> Vec<Column> {
    let mut columns = vec![
        Column::centred("序号", 5.0, 6.0),
        Column::centred("级别", 5.0, 6.0),
        Column::text("代码", 10.0, 24.0),
    ];
    if with_unit {
        columns.push(Column::text("单位", 10.0, 20.0));
    }
    columns.extend([
        Column::text("文件", 14.0, 36.0),
        Column::text("位置", 8.0, 16.0),
        Column::centred("任务", 5.0, 6.0),
        Column::text("问题", 20.0, 50.0),
        Column::text("建议", 16.0, 40.0),
    ]);
    columns
}

/// One issue as a row; errors are highlighted.
pub fn issue_row(index: usize, d: &Diagnostic, with_unit: bool) -> Row {
    let mut cells: Vec<Cell> = vec![(index + 1).into(), d.level.label().into(), d.code.as_str().into()];
    if with_unit {
        cells.push(d.unit.clone().into());
    }
    cells.extend([
        d.file.clone().into(),
        d.location.clone().into(),
        d.task.into(),
        d.message.as_str().into(),
        d.suggestion.clone().into(),
    ]);
    let kind = if d.is_error() {
        RowKind::Highlight
    } else {
        RowKind::Plain
    };
    Row { kind, cells }
}
