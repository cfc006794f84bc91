//! Progress-table layouts: which columns with which header words, how ids, statuses and
//! percents are written, and the rows around the table (title, 填报单位 row, 合计, signatures).
//! One layout turns a unit's entries into a grid of values, for a worksheet or a Word table.

use super::rng::Rng;
use super::texts::Entry;
use roundup::config::Config;
use roundup::vocab::{Field, Status};

/// One cell's value as the generator writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Nothing.
    Blank,
    /// Text.
    Text(String),
    /// A number.
    Num(f64),
    /// A fraction shown as a percent (0.8 → 80%).
    Pct(f64),
}

impl Val {
    /// The value as a Word table shows it.
    pub fn display(&self) -> String {
        match self {
            Val::Blank => String::new(),
            Val::Text(t) => t.clone(),
            Val::Num(n) => format!("{n}"),
            Val::Pct(p) => format!("{}%", (p * 100.0).round()),
        }
    }
}

/// A column of the table: a field roundup knows, or an extra column it ignores.
#[derive(Debug, Clone, PartialEq)]
pub enum Col {
    /// A known field.
    Field(Field),
    /// A column roundup does not use (责任处室…).
    Extra(&'static str),
}

/// A column with its header text.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// What the column holds.
    pub col: Col,
    /// The header as written.
    pub header: String,
}

/// How task ids are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdStyle {
    /// `5` as a number.
    Number,
    /// `"5"` as text.
    Text,
    /// `第5项`
    Ordinal,
    /// `５`
    FullWidth,
    /// `任务5`
    TaskPrefix,
}

/// How percents are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PercentStyle {
    /// `80` as a number.
    Number,
    /// `80%` as text.
    Text,
    /// `80％` as text.
    FullWidthSign,
    /// 0.8 in a percent-formatted cell.
    Fraction,
}

/// How the 填报单位 / 填报人 / 联系电话 / 填报日期 row is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfoStyle {
    /// One cell spanning the table.
    OneCell,
    /// One cell per item.
    SplitCells,
    /// Only 填报单位 and 填报日期 on top; 填报人 and 联系电话 signed at the bottom.
    UnitAndDateOnly,
}

/// Who filled the form, and when.
#[derive(Debug, Clone)]
pub struct Filler {
    /// The unit's name as written on the form (may be an alias).
    pub unit: String,
    /// 填报人
    pub person: String,
    /// 审核人
    pub reviewer: String,
    /// 联系电话
    pub phone: String,
    /// 填报日期 as written, e.g. `2024年7月5日`.
    pub date: String,
}

/// Everything that decides how a progress table looks.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The data sheet's name.
    pub sheet_name: String,
    /// The title row, if any.
    pub title: Option<String>,
    /// Title merged across the table width.
    pub merge_title: bool,
    /// A second title line (e.g. `（2024年第二季度）`).
    pub subtitle: Option<String>,
    /// The 填报单位 row.
    pub info: InfoStyle,
    /// Columns in order.
    pub columns: Vec<Column>,
    /// How ids are written.
    pub ids: IdStyle,
    /// How percents are written.
    pub percents: PercentStyle,
    /// Status synonyms (进行中, 已办结…) instead of canonical labels.
    pub status_synonyms: bool,
    /// A blank row before the 合计 / signature rows and one inside the data.
    pub blank_rows: bool,
    /// A 合计 row at the bottom.
    pub total_row: bool,
    /// 填报人 / 审核人 rows at the bottom.
    pub signature: bool,
    /// A 填报说明 sheet before the data sheet.
    pub instructions: bool,
    /// A hidden sheet with the dropdown values after the data sheet.
    pub hidden_sheet: bool,
}

impl Layout {
    /// The canonical form: title, 填报单位 row, canonical headers, canonical values.
    pub fn canonical(title: String) -> Layout {
        Layout {
            sheet_name: "进展情况".to_owned(),
            title: Some(title),
            merge_title: true,
            subtitle: None,
            info: InfoStyle::OneCell,
            columns: Field::ALL
                .iter()
                .map(|f| Column {
                    col: Col::Field(*f),
                    header: f.header().to_owned(),
                })
                .collect(),
            ids: IdStyle::Number,
            percents: PercentStyle::Number,
            status_synonyms: false,
            blank_rows: false,
            total_row: false,
            signature: false,
            instructions: false,
            hidden_sheet: false,
        }
    }

    /// Replaces every header by a synonym from the configuration: one of `preferred` when the
    /// configuration lists it for that column, else a random one (with `（%）` kept on the
    /// percent column now and then).
    pub fn synonym_headers(&mut self, config: &Config, preferred: &[&str], rng: &mut Rng) {
        for column in &mut self.columns {
            let Col::Field(field) = column.col else {
                continue;
            };
            let Some(words) = config.columns.get(&field) else {
                continue;
            };
            let others: Vec<&String> = words.iter().filter(|w| **w != field.header()).collect();
            let chosen = others
                .iter()
                .find(|w| preferred.contains(&w.as_str()))
                .or_else(|| (!others.is_empty()).then(|| rng.pick(&others)));
            if let Some(word) = chosen {
                column.header = word.to_string();
                if field == Field::Percent && rng.chance(0.5) {
                    column.header.push_str("（%）");
                }
            }
        }
    }

    /// Drops optional columns (keeps id, text, status, percent, progress).
    pub fn drop_columns(&mut self, fields: &[Field]) {
        self.columns
            .retain(|c| !matches!(c.col, Col::Field(f) if fields.contains(&f)));
    }

    /// Inserts an extra column at `at`.
    pub fn insert_extra(&mut self, at: usize, header: &'static str) {
        let at = at.min(self.columns.len());
        self.columns.insert(
            at,
            Column {
                col: Col::Extra(header),
                header: header.to_owned(),
            },
        );
    }

    /// Swaps a few pairs of columns after the id column.
    pub fn shuffle_columns(&mut self, rng: &mut Rng, swaps: usize) {
        let n = self.columns.len();
        for _ in 0..swaps {
            let a = rng.range(1, n as u32 - 1) as usize;
            let b = rng.range(1, n as u32 - 1) as usize;
            self.columns.swap(a, b);
        }
    }

    /// The header row's texts.
    pub fn header_row(&self) -> Vec<Val> {
        self.columns.iter().map(|c| Val::Text(c.header.clone())).collect()
    }

    /// One data row per entry.
    pub fn data_rows(&self, entries: &[Entry], config: &Config, rng: &mut Rng) -> Vec<Vec<Val>> {
        entries
            .iter()
            .map(|e| {
                self.columns
                    .iter()
                    .map(|c| self.value(&c.col, e, config, rng))
                    .collect()
            })
            .collect()
    }

    fn value(&self, col: &Col, e: &Entry, config: &Config, rng: &mut Rng) -> Val {
        let text = |s: &str| match s.is_empty() {
            true => Val::Blank,
            false => Val::Text(s.to_owned()),
        };
        match col {
            Col::Extra(header) => extra_value(header, rng),
            Col::Field(Field::Id) => id_value(self.ids, e.task),
            Col::Field(Field::Text) => text(&e.text),
            Col::Field(Field::Lead) => text(&e.lead),
            Col::Field(Field::Status) => Val::Text(self.status_word(e, config, rng)),
            Col::Field(Field::Percent) => percent_value(self.percents, e.percent),
            Col::Field(Field::Progress) => text(&e.progress),
            Col::Field(Field::Projects) => text(&e.projects),
            Col::Field(Field::Cases) => text(&e.cases),
            Col::Field(Field::Problems) => text(&e.problems),
            Col::Field(Field::NextSteps) => text(&e.next_steps),
            Col::Field(Field::Policy) => text(&e.policy),
            Col::Field(Field::Remarks) => text(&e.remarks),
        }
    }

    fn status_word(&self, e: &Entry, config: &Config, rng: &mut Rng) -> String {
        if let Some(written) = &e.status_text {
            return written.clone();
        }
        if !self.status_synonyms || rng.chance(0.3) {
            return e.status.label().to_owned();
        }
        synonym_for(e.status, config, rng)
    }

    /// The rows above the header: title, subtitle, 填报单位 row (each one row).
    pub fn top_rows(&self, filler: &Filler) -> Vec<Vec<Val>> {
        let mut rows = Vec::new();
        if let Some(title) = &self.title {
            rows.push(vec![Val::Text(title.clone())]);
        }
        if let Some(sub) = &self.subtitle {
            rows.push(vec![Val::Text(sub.clone())]);
        }
        rows.push(self.info_row(filler));
        rows
    }

    fn info_row(&self, f: &Filler) -> Vec<Val> {
        let gap = "\u{3000}\u{3000}";
        let t = |s: String| Val::Text(s);
        match self.info {
            InfoStyle::OneCell => vec![t(format!(
                "填报单位：{}{gap}填报人：{}{gap}联系电话：{}{gap}填报日期：{}",
                f.unit, f.person, f.phone, f.date
            ))],
            InfoStyle::SplitCells => {
                let mut row = vec![Val::Blank; self.columns.len().max(8)];
                row[0] = t(format!("填报单位：{}", f.unit));
                row[2] = t(format!("填报人：{}", f.person));
                row[4] = t(format!("联系电话：{}", f.phone));
                row[6] = t(format!("填报日期：{}", f.date));
                row
            }
            InfoStyle::UnitAndDateOnly => {
                let mut row = vec![Val::Blank; self.columns.len().max(6)];
                row[0] = t(format!("填报单位（盖章）：{}", f.unit));
                row[5] = t(format!("填报日期：{}", f.date));
                row
            }
        }
    }

    /// The rows below the data: blank row, 合计, signatures.
    pub fn bottom_rows(&self, entries: &[Entry], filler: &Filler) -> Vec<Vec<Val>> {
        let mut rows = Vec::new();
        if self.blank_rows {
            rows.push(Vec::new());
        }
        if self.total_row {
            rows.push(self.total(entries));
        }
        if self.signature {
            rows.push(Vec::new());
            let mut sign = vec![Val::Blank; 6];
            sign[0] = Val::Text(format!("填报人：{}", filler.person));
            sign[2] = Val::Text(format!("审核人：{}", filler.reviewer));
            sign[4] = Val::Text(format!("联系电话：{}", filler.phone));
            rows.push(sign);
        }
        rows
    }

    fn total(&self, entries: &[Entry]) -> Vec<Val> {
        let done = entries.iter().filter(|e| e.status == Status::Completed).count();
        let mean = entries.iter().filter_map(|e| e.percent).sum::<f64>() / entries.len().max(1) as f64;
        self.columns
            .iter()
            .map(|c| match c.col {
                Col::Field(Field::Id) => Val::Text("合计".to_owned()),
                Col::Field(Field::Text) => Val::Text(format!("共{}项任务，已完成{}项", entries.len(), done)),
                Col::Field(Field::Percent) => percent_value(self.percents, Some(mean.round())),
                _ => Val::Blank,
            })
            .collect()
    }
}

/// A status synonym from the configuration (falls back to the canonical label).
pub fn synonym_for(status: Status, config: &Config, rng: &mut Rng) -> String {
    let words: Vec<&String> = config
        .status_synonyms
        .iter()
        .filter(|(_, s)| **s == status)
        .map(|(w, _)| w)
        .collect();
    match words.is_empty() {
        true => status.label().to_owned(),
        false => rng.pick(&words).to_string(),
    }
}

/// Converts ASCII digits to full-width digits.
pub fn full_width_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
            _ => c,
        })
        .collect()
}

fn id_value(style: IdStyle, id: u32) -> Val {
    match style {
        IdStyle::Number => Val::Num(f64::from(id)),
        IdStyle::Text => Val::Text(id.to_string()),
        IdStyle::Ordinal => Val::Text(format!("第{id}项")),
        IdStyle::FullWidth => Val::Text(full_width_digits(&id.to_string())),
        IdStyle::TaskPrefix => Val::Text(format!("任务{id}")),
    }
}

fn percent_value(style: PercentStyle, percent: Option<f64>) -> Val {
    let Some(p) = percent else {
        return Val::Blank;
    };
    match style {
        PercentStyle::Number => Val::Num(p),
        PercentStyle::Text => Val::Text(format!("{p}%")),
        PercentStyle::FullWidthSign => Val::Text(format!("{p}％")),
        PercentStyle::Fraction => Val::Pct(p / 100.0),
    }
}

fn extra_value(header: &str, rng: &mut Rng) -> Val {
    const OFFICES: &[&str] = &[
        "综合处",
        "政策法规处",
        "开放合作处",
        "产业发展处",
        "改革创新处",
        "服务贸易处",
    ];
    match header {
        "责任处室" => Val::Text(rng.pick(OFFICES).to_string()),
        "责任人" => Val::Text(super::texts::person(rng)),
        _ => Val::Text(format!("见附件{}", rng.range(1, 6))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width() {
        assert_eq!(full_width_digits("105"), "１０５");
    }

    #[test]
    fn ids_and_percents() {
        assert_eq!(id_value(IdStyle::Ordinal, 5), Val::Text("第5项".into()));
        assert_eq!(percent_value(PercentStyle::Fraction, Some(80.0)), Val::Pct(0.8));
        assert_eq!(
            percent_value(PercentStyle::Text, Some(80.0)),
            Val::Text("80%".into())
        );
    }
}
