//! Cell values of progress tables, interpreted: task ids (`5`, `5.0`, `第5项`, `任务5`, `５`),
//! statuses through the configured synonyms, percents (`80`, `80%`, `80％`, a 0.8 from a
//! percent cell), dates (Excel serials, `2023年9月30日`, `2023.9.30`, `2023-09-30`) and the
//! text normalisation they share (contract §2).

use crate::config::Config;
use crate::ingest::CellValue;
use crate::registry::nfkc;
use crate::vocab::Status;
use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

/// The outcome of interpreting one cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed<T> {
    /// Nothing written (blank, or a placeholder such as `—` / `/` for a percent).
    Empty,
    /// A valid value.
    Valid(T),
    /// Something written that is not a valid value (the text as written).
    Invalid(String),
}

/// NFKC (full-width to half-width, U+3000 and NBSP to spaces) with every white space removed.
pub fn compact(text: &str) -> String {
    nfkc(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// NFKC with white space and punctuation removed, for comparing texts "beyond whitespace and
/// punctuation".
pub fn squash(text: &str) -> String {
    nfkc(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A cell's text, trimmed of white space of any width (U+3000 and NBSP included).
pub fn cell_text(cell: &CellValue) -> String {
    cell.to_text().trim().to_owned()
}

static ID_TEXT: LazyLock<Regex> =
    LazyLock::new(|| super::regex(r"^[(\[【]?(?:第|任务|序号|No\.?)?(\d{1,6})(?:\.0+)?项?[)\]】]?[.、]?$"));

/// Interprets a task-id cell.
pub fn parse_task_id(cell: &CellValue) -> Parsed<u32> {
    match cell {
        CellValue::Empty | CellValue::Formula(_) => Parsed::Empty,
        CellValue::Number(n) => id_from_number(*n),
        CellValue::Text(t) => id_from_text(t),
        other => Parsed::Invalid(other.to_text()),
    }
}

fn id_from_number(n: f64) -> Parsed<u32> {
    if n.fract() == 0.0 && n >= 1.0 && n <= f64::from(u32::MAX) {
        Parsed::Valid(n as u32)
    } else {
        Parsed::Invalid(crate::ingest::format_number(n))
    }
}

fn id_from_text(text: &str) -> Parsed<u32> {
    let key = compact(text.trim_matches(['"', '“', '”', '\'']));
    if key.is_empty() {
        return Parsed::Empty;
    }
    let id = ID_TEXT
        .captures(&key)
        .and_then(|c| c.get(1))
        .and_then(|m| m.as_str().parse::<u32>().ok())
        .filter(|id| *id > 0);
    match id {
        Some(id) => Parsed::Valid(id),
        None => Parsed::Invalid(text.trim().to_owned()),
    }
}

/// Interprets a status cell: the canonical labels and the configured synonyms, compared after
/// NFKC and with white space and surrounding punctuation removed; a check-box list with exactly
/// one ticked box (`☐未启动 ☑推进中 ☐已完成`); a leading status followed by a remark
/// (`推进中，预计年底完成`, `已完成（提前完成）`); `正在推进中` as the synonym 正在推进 + 中.
/// [`status_note`] says what was dropped.
pub fn parse_status(cell: &CellValue, config: &Config) -> Parsed<Status> {
    read_status(&cell_text(cell), config).0
}

/// The message for a status read only past extra words (a remark, ticked boxes), or `None`
/// when the cell is a status as written (or is not a status at all).
pub fn status_note(cell: &CellValue, config: &Config) -> Option<String> {
    read_status(&cell_text(cell), config).1
}

/// A status and, when words were dropped to read it, the message that says so.
fn read_status(written: &str, config: &Config) -> (Parsed<Status>, Option<String>) {
    let key = compact(written);
    let key = key.trim_matches(|c: char| !c.is_alphanumeric());
    if key.is_empty() {
        return (Parsed::Empty, None);
    }
    if key.contains(is_box) || written.starts_with(is_box) {
        let invalid = (Parsed::Invalid(written.to_owned()), None);
        return check_boxes(written, config).unwrap_or(invalid);
    }
    if let Some(status) = exact_status(key, config) {
        return (Parsed::Valid(status), None);
    }
    if let Some((status, remark)) = leading_status(written, config) {
        let note = format!(
            "完成状态“{written}”按“{}”读取，其余文字“{remark}”未计入",
            status.label()
        );
        return (Parsed::Valid(status), Some(note));
    }
    let bare = super::header::normalise_header(key);
    match config.status_for(&bare) {
        // `已完成（常态化推进）` names two statuses: picking one is a guess (contract §2).
        Some(status) if names_another_status(key, status, config) => {
            (Parsed::Invalid(written.to_owned()), None)
        }
        Some(status) => {
            let note = format!("完成状态“{written}”按“{}”读取，其余文字未计入", status.label());
            (Parsed::Valid(status), Some(note))
        }
        None => (Parsed::Invalid(written.to_owned()), None),
    }
}

/// A canonical status or synonym as written, or with a trailing `中` (`正在推进中`).
fn exact_status(key: &str, config: &Config) -> Option<Status> {
    config
        .status_for(key)
        .or_else(|| key.strip_suffix('中').and_then(|k| in_progress(k, config)))
}

/// `正在推进` and the like, the only statuses that `中` may follow (`完成中` is not 已完成).
fn in_progress(key: &str, config: &Config) -> Option<Status> {
    config.status_for(key).filter(|s| *s == Status::InProgress)
}

/// Box characters that mark a status as ticked.
const TICKED: &[char] = &['☑', '■', '√', '✓', '✔', '☒'];
/// Box characters that leave a status unticked.
const UNTICKED: &[char] = &['☐', '□', '○', '◯'];

fn is_box(c: char) -> bool {
    TICKED.contains(&c) || UNTICKED.contains(&c)
}

/// A check-box list: each status preceded (or each followed) by a box. `None` when the text
/// is not such a list; an invalid status when none or several boxes are ticked.
fn check_boxes(written: &str, config: &Config) -> Option<(Parsed<Status>, Option<String>)> {
    let text = compact(written);
    let marks_first = text.starts_with(is_box);
    let items = box_items(&text, marks_first, config)?;
    let ticked: Vec<Status> = items
        .iter()
        .filter(|(mark, _)| TICKED.contains(mark))
        .map(|(_, status)| *status)
        .collect();
    match ticked.as_slice() {
        [status] => {
            let note = format!("完成状态“{written}”为勾选框，按勾选的“{}”读取", status.label());
            Some((Parsed::Valid(*status), Some(note)))
        }
        _ => Some((Parsed::Invalid(written.to_owned()), None)),
    }
}

/// The (box, status) pairs of a check-box list, or `None` when a label is not a status or
/// the text has no box.
fn box_items(text: &str, marks_first: bool, config: &Config) -> Option<Vec<(char, Status)>> {
    let mut pairs: Vec<(char, String)> = Vec::new();
    let mut mark: Option<char> = None;
    let mut label = String::new();
    for c in text.chars() {
        if !is_box(c) {
            label.push(c);
            continue;
        }
        if !marks_first {
            pairs.push((c, std::mem::take(&mut label)));
        } else if let Some(m) = mark.replace(c) {
            pairs.push((m, std::mem::take(&mut label)));
        }
    }
    match mark {
        Some(m) if marks_first => pairs.push((m, label)),
        _ if !label_key(&label).is_empty() => return None,
        _ => {}
    }
    if pairs.is_empty() {
        return None;
    }
    pairs
        .into_iter()
        .map(|(m, l)| exact_status(label_key(&l), config).map(|s| (m, s)))
        .collect()
}

/// A label with surrounding punctuation removed.
fn label_key(label: &str) -> &str {
    label.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Characters that end a leading status before a remark (after NFKC).
const REMARK_START: &[char] = &[
    ',', ';', '(', '[', '、', ':', '。', '.', '，', '；', '：', '（', '【', '-', '—',
];

/// A leading status (canonical or synonym, the longest that fits) followed by a separator and
/// a remark that names no other canonical status; the status and the remark.
fn leading_status(written: &str, config: &Config) -> Option<(Status, String)> {
    let text = nfkc(written);
    let text = text.trim();
    let labels = Status::ALL
        .iter()
        .map(|s| s.label().to_owned())
        .chain(config.status_synonyms.keys().cloned());
    let (label, status) = labels
        .filter(|l| text.starts_with(l.as_str()))
        .filter_map(|l| config.status_for(&l).map(|s| (l, s)))
        .max_by_key(|(l, _)| l.len())?;
    let rest = &text[label.len()..];
    let rest = match rest.strip_prefix('中') {
        Some(after) if status == Status::InProgress => after,
        _ => rest,
    };
    if !rest.starts_with(|c: char| c.is_whitespace() || REMARK_START.contains(&c)) {
        return None;
    }
    let remark =
        rest.trim_matches(|c: char| c.is_whitespace() || REMARK_START.contains(&c) || c == ')' || c == '）');
    let conflicting = names_another_status(remark, status, config);
    (!remark.is_empty() && !conflicting).then(|| (status, remark.to_owned()))
}

/// True when `text` names a status other than `status`: a canonical label, or a synonym of
/// three characters or more (`常态化`, `持续推进`; not `完成` / `推进`, which a remark such as
/// `预计年底完成` uses as plain words).
fn names_another_status(text: &str, status: Status, config: &Config) -> bool {
    let synonyms = config
        .status_synonyms
        .keys()
        .map(String::as_str)
        .filter(|l| l.chars().count() >= 3);
    Status::ALL
        .iter()
        .map(|s| s.label())
        .chain(synonyms)
        .any(|l| text.contains(l) && config.status_for(l).is_some_and(|s| s != status))
}

/// A percent value and how it was written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Percent {
    /// 0–100.
    pub value: f64,
    /// True when a fraction (0.8) was read as a percent (80).
    pub from_fraction: bool,
}

/// Texts that mean "nothing to report" in a percent cell.
const PERCENT_PLACEHOLDERS: &[&str] = &["-", "—", "——", "--", "/", "\\", "无", "暂无", "不适用"];

/// Interprets a percent cell. `fraction_column` says that plain numbers in this column are
/// fractions (the format could not be read but every number is in 0–1).
pub fn parse_percent(cell: &CellValue, fraction_column: bool) -> Parsed<Percent> {
    let (value, from_fraction) = match cell {
        CellValue::Empty | CellValue::Formula(_) => return Parsed::Empty,
        CellValue::Percent(p) => (p * 100.0, true),
        CellValue::Number(n) if fraction_column => (n * 100.0, true),
        CellValue::Number(n) => (*n, false),
        CellValue::Text(t) => match percent_from_text(t) {
            Parsed::Valid(v) => (v, false),
            Parsed::Empty => return Parsed::Empty,
            Parsed::Invalid(s) => return Parsed::Invalid(s),
        },
        other => return Parsed::Invalid(other.to_text()),
    };
    let value = (value * 1e6).round() / 1e6;
    if (0.0..=100.0).contains(&value) {
        Parsed::Valid(Percent { value, from_fraction })
    } else {
        Parsed::Invalid(cell.to_text().trim().to_owned())
    }
}

fn percent_from_text(text: &str) -> Parsed<f64> {
    let key = compact(text);
    if key.is_empty() || PERCENT_PLACEHOLDERS.contains(&key.as_str()) {
        return Parsed::Empty;
    }
    match plain_percent(&key).or_else(|| approximate_percent(&key).map(|(v, _)| v)) {
        Some(v) => Parsed::Valid(v),
        None => Parsed::Invalid(text.trim().to_owned()),
    }
}

/// `80`, `80%`, `80.5`.
fn plain_percent(key: &str) -> Option<f64> {
    let number = key.strip_suffix('%').unwrap_or(key);
    number.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A number with words of estimate around it: `约60%`, `60%左右`, `大约60`, `30%(预计)`.
static APPROXIMATE: LazyLock<Regex> = LazyLock::new(|| {
    super::regex(
        r"^(约为|约|大约|大概|预计|估计)?(\d{1,3}(?:\.\d+)?)(%)?(左右|上下|\((预计|估计|预估|估算|约)\))?$",
    )
});
/// Tenths in words: `六成`, `约六成`, `六成左右`.
static TENTHS: LazyLock<Regex> =
    LazyLock::new(|| super::regex(r"^(约|大约|大概|预计)?([一二三四五六七八九十])成(左右|上下)?$"));

/// A percent written with words of estimate, and what the reading dropped or assumed.
/// Words that bound or approximate from one side (`过半`, `近八成`, `50-60%`) are not read.
fn approximate_percent(key: &str) -> Option<(f64, String)> {
    if let Some(c) = APPROXIMATE.captures(key) {
        let value: f64 = c.get(2)?.as_str().parse().ok()?;
        let dropped: Vec<&str> = [c.get(1), c.get(5).or(c.get(4))]
            .into_iter()
            .flatten()
            .map(|m| m.as_str())
            .collect();
        return (!dropped.is_empty()).then(|| (value, format!("“{}”未计入", dropped.join("”“"))));
    }
    let c = TENTHS.captures(key)?;
    let digit = "一二三四五六七八九十"
        .chars()
        .position(|d| c.get(2).is_some_and(|m| m.as_str().starts_with(d)))?;
    let value = (digit as f64 + 1.0) * 10.0;
    let dropped: Vec<&str> = [c.get(1), c.get(3)]
        .into_iter()
        .flatten()
        .map(|m| m.as_str())
        .collect();
    let mut note = "“一成”按10%计".to_owned();
    if !dropped.is_empty() {
        note = format!("{note}，“{}”未计入", dropped.join("”“"));
    }
    Some((value, note))
}

/// The message for a percent read past words of estimate (`约60%` → 60), or `None` when the
/// cell is a number as written.
pub fn percent_note(cell: &CellValue) -> Option<String> {
    let CellValue::Text(text) = cell else {
        return None;
    };
    let key = compact(text);
    if plain_percent(&key).is_some() {
        return None;
    }
    let (value, dropped) = approximate_percent(&key)?;
    Some(format!(
        "完成进度“{}”按{}%读取，{dropped}",
        text.trim(),
        crate::ingest::format_number(value)
    ))
}

/// True when the plain numbers of a percent column are fractions: every number is in 0–1 and
/// at least one lies strictly between (the reader gives percent-formatted cells as
/// [`CellValue::Percent`] for xlsx, xls/et and ods; this heuristic stands in for the format
/// where none was read: xlsb, and General-format fractions).
pub fn is_fraction_column<'a>(cells: impl IntoIterator<Item = &'a CellValue>) -> bool {
    let numbers: Vec<f64> = cells
        .into_iter()
        .filter_map(|c| match c {
            CellValue::Number(n) => Some(*n),
            _ => None,
        })
        .collect();
    !numbers.is_empty()
        && numbers.iter().all(|n| (0.0..=1.0).contains(n))
        && numbers.iter().any(|n| *n > 0.0 && *n < 1.0)
}

/// True when a percent column's numbers could be fractions or percents alike: no cell has a
/// percent format, every number is 0 or 1 and one is 1 (a 1 may mean 1 % or 100 %, and the
/// values do not tell; contract §2: such a guess is a warning).
pub fn is_ambiguous_percent_column<'a>(cells: impl IntoIterator<Item = &'a CellValue>) -> bool {
    let mut one = false;
    for cell in cells {
        match cell {
            CellValue::Percent(_) => return false,
            CellValue::Number(n) if *n == 1.0 => one = true,
            CellValue::Number(n) if *n != 0.0 => return false,
            _ => {}
        }
    }
    one
}

static DATE_TEXT: LazyLock<Regex> =
    LazyLock::new(|| super::regex(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})"));

/// The first date written in `text` as `2023年9月30日`, `2023.9.30`, `2023-09-30` or `2023/9/30`,
/// else in Chinese numerals as official documents write it (`二〇二三年九月三十日`, an
/// extension of contract §2's list).
pub fn date_in_text(text: &str) -> Option<NaiveDate> {
    let text = nfkc(text);
    DATE_TEXT
        .captures_iter(&text)
        .find_map(|c| {
            let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
            NaiveDate::from_ymd_opt(num(1)? as i32, num(2)?, num(3)?)
        })
        .or_else(|| crate::text::date::numeral_date(&text))
}

/// The date of an Excel serial day number (1900 date system), for plausible serials only
/// (1990–2100).
pub fn date_from_serial(serial: f64) -> Option<NaiveDate> {
    if !(32_874.0..=73_051.0).contains(&serial) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    base.checked_add_days(chrono::Days::new(serial.trunc() as u64))
}

/// A date from a cell: a date cell, a serial number, or date text.
pub fn parse_date(cell: &CellValue) -> Option<NaiveDate> {
    match cell {
        CellValue::Date(d) => Some(*d),
        CellValue::Number(n) => date_from_serial(*n),
        CellValue::Text(t) => date_in_text(t),
        _ => None,
    }
}

/// Characters of a text compared by [`text_similarity`] (longer cells are cut).
const SIMILARITY_CHARS: usize = 300;

/// Similarity of two task texts in 0–1, compared beyond white space and punctuation; a text
/// of at least 8 characters contained in the other (an abbreviated task) counts as 1. Texts
/// are cut to 300 characters, and a result below 0.5 may be an upper bound (texts of very
/// different lengths are not compared character by character).
pub fn text_similarity(a: &str, b: &str) -> f64 {
    let cut = |t: &str| -> String { squash(t).chars().take(SIMILARITY_CHARS).collect() };
    let (a, b) = (cut(a), cut(b));
    if a == b {
        return 1.0;
    }
    let (la, lb) = (a.chars().count(), b.chars().count());
    if la.min(lb) >= 8 && (a.contains(&b) || b.contains(&a)) {
        return 1.0;
    }
    let longest = la.max(lb) as f64;
    let bound = 1.0 - la.abs_diff(lb) as f64 / longest;
    if bound < 0.5 {
        return bound;
    }
    strsim::normalized_levenshtein(&a, &b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn config() -> Config {
        Config::load(Path::new("templates/roundup.toml")).unwrap()
    }

    fn text(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn task_ids_in_every_written_form() {
        for cell in [
            CellValue::Number(5.0),
            text("5"),
            text("5.0"),
            text("\"5\""),
            text("第5项"),
            text("任务5"),
            text("５"),
            text(" 5 "),
            text("（5）"),
            text("5、"),
        ] {
            assert_eq!(parse_task_id(&cell), Parsed::Valid(5), "{cell:?}");
        }
        assert_eq!(parse_task_id(&CellValue::Empty), Parsed::Empty);
        assert_eq!(parse_task_id(&text("　")), Parsed::Empty);
        assert_eq!(parse_task_id(&text("五")), Parsed::Invalid("五".into()));
        assert_eq!(
            parse_task_id(&CellValue::Number(5.5)),
            Parsed::Invalid("5.5".into())
        );
        assert_eq!(
            parse_task_id(&CellValue::Number(0.0)),
            Parsed::Invalid("0".into())
        );
    }

    #[test]
    fn statuses_and_synonyms() {
        let c = config();
        let cases = [
            ("推进中", Status::InProgress),
            (" 进行中 ", Status::InProgress),
            ("正在推进", Status::InProgress),
            ("推　进　中", Status::InProgress),
            ("未开始", Status::NotStarted),
            ("完成", Status::Completed),
            ("已办结。", Status::Completed),
            ("常态化", Status::Ongoing),
            ("持续推进", Status::Ongoing),
            ("已完成（提前完成）", Status::Completed),
        ];
        for (written, status) in cases {
            assert_eq!(
                parse_status(&text(written), &c),
                Parsed::Valid(status),
                "{written}"
            );
        }
        assert_eq!(parse_status(&CellValue::Empty, &c), Parsed::Empty);
        assert_eq!(
            parse_status(&text("差不多了"), &c),
            Parsed::Invalid("差不多了".into())
        );
    }

    #[test]
    fn percents_in_every_written_form() {
        let valid = |v: f64, from_fraction: bool| {
            Parsed::Valid(Percent {
                value: v,
                from_fraction,
            })
        };
        assert_eq!(parse_percent(&CellValue::Number(80.0), false), valid(80.0, false));
        assert_eq!(parse_percent(&text("80%"), false), valid(80.0, false));
        assert_eq!(parse_percent(&text("80％"), false), valid(80.0, false));
        assert_eq!(parse_percent(&text(" 80 "), false), valid(80.0, false));
        assert_eq!(parse_percent(&CellValue::Percent(0.35), false), valid(35.0, true));
        assert_eq!(parse_percent(&CellValue::Number(0.8), true), valid(80.0, true));
        assert_eq!(parse_percent(&text("—"), false), Parsed::Empty);
        assert_eq!(parse_percent(&text("120"), false), Parsed::Invalid("120".into()));
        assert_eq!(
            parse_percent(&CellValue::Number(-5.0), false),
            Parsed::Invalid("-5".into())
        );
        assert_eq!(
            parse_percent(&text("约一半"), false),
            Parsed::Invalid("约一半".into())
        );
    }

    #[test]
    fn statuses_with_remarks_are_read_with_a_note() {
        let c = config();
        let read = |s: &str| (parse_status(&text(s), &c), status_note(&text(s), &c));
        assert_eq!(read("正在推进中"), (Parsed::Valid(Status::InProgress), None));
        assert_eq!(read("推进中。"), (Parsed::Valid(Status::InProgress), None));
        for (written, status) in [
            ("推进中，预计年底完成", Status::InProgress),
            ("已完成（提前）", Status::Completed),
            ("已完成（部分）", Status::Completed),
            ("正在推进中；需协调用地", Status::InProgress),
            ("常态化推进 按月调度", Status::Ongoing),
        ] {
            let (parsed, note) = read(written);
            assert_eq!(parsed, Parsed::Valid(status), "{written}");
            let note = note.unwrap_or_default();
            assert!(note.contains(status.label()) && note.contains("未计入"), "{note}");
        }
        for written in [
            "推进缓慢",
            "完成情况较好",
            "推进中，部分已完成",
            "差不多了",
            "完成中",
        ] {
            assert_eq!(
                read(written),
                (Parsed::Invalid(written.into()), None),
                "{written}"
            );
        }
    }

    #[test]
    fn w4_a_status_naming_two_statuses_is_an_error() {
        let c = config();
        let read = |s: &str| (parse_status(&text(s), &c), status_note(&text(s), &c));
        for written in [
            "已完成（常态化推进）",
            "推进中（常态化）",
            "已完成（持续推进）",
            "已完成/常态化推进",
        ] {
            assert_eq!(
                read(written),
                (Parsed::Invalid(written.into()), None),
                "{written}"
            );
        }
        // A remark that names no other status is still read with a note.
        assert_eq!(read("进行中（滞后）").0, Parsed::Valid(Status::InProgress));
        assert_eq!(read("已完成（已落实）").0, Parsed::Valid(Status::Completed));
    }

    #[test]
    fn check_boxes_with_one_tick() {
        let c = config();
        for written in [
            "☐未启动 ☑推进中 ☐已完成 ☐常态化推进",
            "□未启动　■推进中　□已完成",
            "未启动□ 推进中√ 已完成□",
            "☐未启动 ✔正在推进 ☐已完成",
        ] {
            assert_eq!(
                parse_status(&text(written), &c),
                Parsed::Valid(Status::InProgress),
                "{written}"
            );
            let note = status_note(&text(written), &c).unwrap_or_default();
            assert!(note.contains("勾选") && note.contains("推进中"), "{note}");
        }
        for written in [
            "☐未启动 ☐推进中 ☐已完成",
            "☑未启动 ☑推进中 ☐已完成",
            "☐未启动 ☑其他",
        ] {
            assert_eq!(
                parse_status(&text(written), &c),
                Parsed::Invalid(written.into()),
                "{written}"
            );
        }
    }

    #[test]
    fn approximate_percents_are_read_with_a_note() {
        for (written, value) in [
            ("约60%", 60.0),
            ("60％左右", 60.0),
            ("60%左右", 60.0),
            ("大约60", 60.0),
            ("30%（预计）", 30.0),
            ("六成", 60.0),
            ("约八成", 80.0),
        ] {
            let cell = text(written);
            assert_eq!(
                parse_percent(&cell, false),
                Parsed::Valid(Percent {
                    value,
                    from_fraction: false
                }),
                "{written}"
            );
            let note = percent_note(&cell).unwrap_or_default();
            assert!(note.contains(&format!("按{value}%读取")), "{note}");
        }
        for written in ["过半", "近八成", "50-60%", "超过60%", "60%以上"] {
            assert_eq!(
                parse_percent(&text(written), false),
                Parsed::Invalid(written.into()),
                "{written}"
            );
        }
        assert_eq!(percent_note(&text("60%")), None);
    }

    #[test]
    fn fraction_columns_are_recognised() {
        let col = [CellValue::Number(0.8), CellValue::Number(1.0), CellValue::Empty];
        assert!(is_fraction_column(&col));
        let col = [CellValue::Number(80.0), CellValue::Number(0.5)];
        assert!(!is_fraction_column(&col));
        let col = [CellValue::Number(0.0), CellValue::Number(1.0)];
        assert!(!is_fraction_column(&col));
    }

    #[test]
    fn ambiguous_percent_columns() {
        let (one, zero) = (CellValue::Number(1.0), CellValue::Number(0.0));
        assert!(is_ambiguous_percent_column(&[
            one.clone(),
            zero.clone(),
            text("80")
        ]));
        assert!(!is_ambiguous_percent_column(&[zero.clone(), zero.clone()]));
        assert!(!is_ambiguous_percent_column(&[
            one.clone(),
            CellValue::Number(0.5)
        ]));
        assert!(!is_ambiguous_percent_column(&[
            one.clone(),
            CellValue::Percent(1.0)
        ]));
        assert_eq!(
            parse_percent(&CellValue::Formula("=1".into()), false),
            Parsed::Empty
        );
        assert_eq!(parse_task_id(&CellValue::Formula(String::new())), Parsed::Empty);
    }

    #[test]
    fn dates_in_every_written_form() {
        let d = NaiveDate::from_ymd_opt(2023, 9, 30);
        assert_eq!(date_in_text("2023年9月30日"), d);
        assert_eq!(date_in_text("填报日期：2023.9.30"), d);
        assert_eq!(date_in_text("2023-09-30"), d);
        assert_eq!(date_in_text("２０２３年９月３０日"), d);
        assert_eq!(date_in_text("2023年13月1日"), None);
        assert_eq!(date_in_text("填报日期：二〇二三年九月三十日"), d);
        assert_eq!(date_in_text("二零二三年九月三十日"), d);
        assert_eq!(parse_date(&CellValue::Number(45199.0)), d);
        assert_eq!(parse_date(&CellValue::Number(5.0)), None);
    }

    #[test]
    fn similar_texts() {
        assert_eq!(text_similarity("促进科技保险。", "促进 科技保险"), 1.0);
        assert_eq!(
            text_similarity(
                "促进科技保险及相关再保险业务发展",
                "促进科技保险及相关再保险业务发展，开展科创企业专利保险试点。"
            ),
            1.0
        );
        assert!(text_similarity("完全不同的内容", "促进科技保险及相关再保险业务发展") < 0.5);
    }
}
