//! Dropdown lists: inline when short, else on a hidden sheet behind a defined name.

use rust_xlsxwriter::XlsxError;
use rust_xlsxwriter::{ColNum, DataValidation, Formula, RowNum, Workbook};

/// Excel's limit on an inline validation list, in UTF-16 units including the commas.
pub const INLINE_LIST_LIMIT: usize = 255;

/// The name of the hidden sheet that holds long dropdown lists.
pub const LIST_SHEET: &str = "下拉选项";

/// True when `values` fit in an inline validation list.
pub fn fits_inline(values: &[&str]) -> bool {
    let joined: usize = values
        .iter()
        .map(|v| v.replace('"', "\"\"").encode_utf16().count())
        .sum();
    joined + values.len().saturating_sub(1) <= INLINE_LIST_LIMIT
}

/// A dropdown list validation. Short lists are written inline; a list longer than Excel's
/// 255-character limit goes in column `list_col` of the hidden sheet [`LIST_SHEET`] (created
/// on first use, after the visible sheets) behind the defined name `name`.
pub fn list_validation(
    workbook: &mut Workbook,
    name: &str,
    list_col: ColNum,
    values: &[&str],
) -> Result<DataValidation, XlsxError> {
    if fits_inline(values) {
        return DataValidation::new().allow_list_strings(values);
    }
    let sheet = match workbook.worksheet_from_name(LIST_SHEET) {
        Ok(sheet) => sheet,
        Err(_) => {
            let sheet = workbook.add_worksheet();
            sheet.set_name(LIST_SHEET)?.set_hidden(true);
            sheet
        }
    };
    for (row, value) in values.iter().enumerate() {
        sheet.write_string(row as RowNum, list_col, *value)?;
    }
    let letters = crate::diag::column_letters(u32::from(list_col));
    let last = values.len().max(1);
    workbook.define_name(name, &format!("='{LIST_SHEET}'!${letters}$1:${letters}${last}"))?;
    Ok(DataValidation::new().allow_list_formula(Formula::new(format!("={name}"))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_lists_respect_the_limit() {
        assert!(fits_inline(&["未启动", "推进中", "已完成", "常态化推进"]));
        let long: Vec<String> = (0..60).map(|i| format!("单位{i}")).collect();
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        assert!(!fits_inline(&refs));
    }

    #[test]
    fn long_lists_go_to_a_hidden_sheet() {
        let mut workbook = Workbook::new();
        workbook.add_worksheet().set_name("表").unwrap();
        let long: Vec<String> = (0..60).map(|i| format!("单位名称{i}")).collect();
        let refs: Vec<&str> = long.iter().map(String::as_str).collect();
        let validation = list_validation(&mut workbook, "UnitList", 0, &refs).unwrap();
        workbook
            .worksheet_from_name("表")
            .unwrap()
            .add_data_validation(1, 0, 5, 0, &validation)
            .unwrap();
        assert!(workbook.worksheet_from_name(LIST_SHEET).is_ok());
        workbook.save_to_buffer().unwrap();
    }
}
