//! Which unit and which round a file belongs to: `填报单位：X` / `报送单位：X` / a report title
//! `X关于……的报告`, else the file name, else an agreeing 牵头单位 column (contract §4); and the
//! rounds a title or 填报日期 names (for `stale-round`), and the 填报日期 itself.

use super::values::{compact, date_from_serial, date_in_text};
use super::Context;
use crate::diag::{Code, Diagnostic, Level};
use crate::text::date::NUMERALS;
use chrono::NaiveDate;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// What the content of a file says about who sent it and when.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContentClues<'a> {
    /// Text lines above the header (spreadsheets) or the first paragraphs (reports).
    pub lines: Vec<&'a str>,
    /// Values of a 牵头单位 column, if any.
    pub lead_column: Vec<&'a str>,
}

use super::regex;

static UNIT_LABEL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:填报|报送|填表|上报)单位(?:名称)?[（(]?(?:盖章)?[)）]?\s*[:：]\s*(\S*)"));
static NEXT_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?:填报人|填表人|联系人|联系电话|电话|填报日期|填报时间|报送日期|日期|审核人|负责人|[（(]盖章[)）])",
    )
});
static REPORT_TITLE: LazyLock<Regex> = LazyLock::new(|| regex(r"^\s*(\S+?)关于\S*报告"));
static ROUND_NAMED: LazyLock<Regex> = LazyLock::new(|| {
    regex(r"(\d{4})\s*年?\s*(?:第\s*([一二三四1-4])\s*季度?|([一二三四1-4])\s*季度|[Qq]\s*([1-4]))")
});
static QUARTER_ONLY: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:第\s*)?([一二三四1-4])\s*季度|[Qq]\s*([1-4])(?:\D|$)"));
static DATE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?:填报|报送|填表)(?:日期|时间)\s*[:：]?\s*(.*)"));

/// The unit named after `填报单位：` / `报送单位：` in the lines, as written (`None` when no
/// such label, or the label is followed by nothing).
pub fn labelled_unit(lines: &[&str]) -> Option<String> {
    lines.iter().find_map(|line| {
        let text = *line;
        let caps = UNIT_LABEL.captures(text)?;
        let mut name = caps.get(1)?.as_str().to_owned();
        if name.is_empty() {
            // `填报单位：  市科技局` split over two cells.
            let rest = &text[caps.get(0)?.end()..];
            name = rest.split_whitespace().next().unwrap_or_default().to_owned();
        }
        if let Some(m) = NEXT_LABEL.find(&name) {
            name.truncate(m.start());
        }
        let name = name
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .trim_end_matches(|c: char| !c.is_alphanumeric() && c != ')' && c != '）');
        (!name.is_empty() && NEXT_LABEL.find(name).is_none()).then(|| name.to_owned())
    })
}

/// The unit `X` of a report title `X关于……的报告` in the lines, resolved (with the warning
/// of [`resolve_named`], if any).
fn title_unit<'r>(lines: &[&str], ctx: &Context<'r>) -> Option<(&'r str, Option<Diagnostic>)> {
    lines.iter().find_map(|line| {
        let caps = REPORT_TITLE.captures(line.trim())?;
        resolve_named(caps.get(1)?.as_str(), ctx)
    })
}

/// What the content says about the unit.
#[derive(Debug, Clone, PartialEq)]
enum Named<'r> {
    /// A known unit (registry name), with the warning when the name held several units.
    Known(&'r str, Option<Diagnostic>),
    /// A name that resolves to no known unit, as written.
    Unknown(String),
    /// The content names no unit.
    Nothing,
}

/// Endings of a name that look like a unit's (局, 委, 办…), for an unknown report title.
const UNIT_ENDINGS: &[&str] = &[
    "局", "委", "办", "部", "厅", "处", "站", "关", "行", "区", "院", "会", "室", "中心", "集团", "公司",
    "谷",
];

/// The unit named by the content: `填报单位：X`, else a report title `X关于……的报告` (an
/// unknown X counts only when it ends like a unit's name).
fn content_unit<'r>(clues: &ContentClues, ctx: &Context<'r>) -> Named<'r> {
    if let Some(name) = labelled_unit(&clues.lines) {
        return match resolve_named(&name, ctx) {
            Some((unit, note)) => Named::Known(unit, note),
            None => Named::Unknown(name),
        };
    }
    if let Some((unit, note)) = title_unit(&clues.lines, ctx) {
        return Named::Known(unit, note);
    }
    match unknown_title_name(&clues.lines) {
        Some(name) => Named::Unknown(name),
        None => Named::Nothing,
    }
}

/// A unit name resolved exactly (aliases, the city prefix), else the one known unit it
/// contains; when it contains several, the one named last, with an `unknown-unit` warning
/// naming the others: the head of a Chinese organisation's name is at its end
/// (`雨花台区软件谷管委会` is a 软件谷 body in 雨花台区, not 雨花台区 itself).
fn resolve_named<'r>(name: &str, ctx: &Context<'r>) -> Option<(&'r str, Option<Diagnostic>)> {
    if let Some(unit) = ctx.registry.resolve_unit(name) {
        return Some((unit, None));
    }
    let units = ctx.registry.units_in(name);
    let (&unit, others) = units.split_last()?;
    let note = (!others.is_empty()).then(|| several_units(name, unit, others));
    Some((unit, note))
}

/// The `unknown-unit` warning for a name (or file name) holding several known units, read as
/// the one named last.
fn several_units(name: &str, unit: &str, others: &[&str]) -> Diagnostic {
    let others = others
        .iter()
        .map(|u| format!("“{u}”"))
        .collect::<Vec<_>>()
        .join("、");
    Diagnostic::new(
        Code::UnknownUnit,
        format!("“{name}”不是任务清单中的单位名称，其中含有{others}和“{unit}”，按名称末尾认定为“{unit}”"),
    )
    .level(Level::Warning)
    .hint(format!(
        "如报送单位为{others}，请改正填报单位后重新报送；请使用任务清单中的单位名称“{unit}”"
    ))
}

/// The `X` of a report title `X关于……的报告` that looks like a unit's name.
fn unknown_title_name(lines: &[&str]) -> Option<String> {
    const LONGEST_NAME: usize = 30;
    lines.iter().find_map(|line| {
        let name = REPORT_TITLE.captures(line.trim())?.get(1)?.as_str();
        let plausible =
            name.chars().count() <= LONGEST_NAME && UNIT_ENDINGS.iter().any(|e| name.ends_with(e));
        plausible.then(|| name.to_owned())
    })
}

/// True when a line is where the content names the unit (`填报单位：X` or a report title),
/// for pointing a unit diagnostic at its cell or paragraph.
pub fn names_unit(text: &str) -> bool {
    labelled_unit(&[text]).is_some() || REPORT_TITLE.is_match(text.trim())
}

fn unknown_unit(name: &str, ctx: &Context) -> Diagnostic {
    let hint = match ctx.registry.nearest_unit(name) {
        Some(near) => format!("是否为“{near}”？请使用任务清单中的单位名称"),
        None => "请使用任务清单中的单位名称".to_owned(),
    };
    Diagnostic::new(Code::UnknownUnit, format!("报送单位“{name}”不在任务清单中")).hint(hint)
}

/// The unit named in the file's path (without its extension): the longest known unit name or
/// alias it contains, else a unit's unambiguous short form (`边检站` for 南京边检站).
pub fn file_unit<'r>(file: &str, ctx: &Context<'r>) -> Option<&'r str> {
    let stem = file_stem(file);
    ctx.registry
        .find_unit_in(&stem)
        .or_else(|| ctx.registry.find_short_form_in(&stem))
}

/// The path without its extension.
fn file_stem(file: &str) -> String {
    let name_start = file.rfind('/').map_or(0, |i| i + 1);
    match file[name_start..].rfind('.') {
        Some(dot) if dot > 0 => file[..name_start + dot].to_owned(),
        _ => file.to_owned(),
    }
}

/// The one unit every non-blank 牵头单位 value names (joint leads `A、B` name both).
fn lead_column_unit<'r>(values: &[&str], ctx: &Context<'r>) -> Option<&'r str> {
    let mut common: Option<BTreeSet<&'r str>> = None;
    for value in values.iter().filter(|v| !v.trim().is_empty()) {
        let units: BTreeSet<&'r str> = value
            .split(['、', '，', ',', ';', '；', '\n', '/'])
            .filter_map(|part| ctx.registry.resolve_unit(part.trim()))
            .collect();
        common = Some(match common {
            None => units,
            Some(prev) => prev.intersection(&units).copied().collect(),
        });
    }
    let common = common?;
    (common.len() == 1).then(|| common.into_iter().next()).flatten()
}

/// Lines at the top that may be a title naming the unit without `关于` (`市科技局试点任务推进
/// 情况表`), the last resort.
const TITLE_LINES: usize = 2;

/// The lead unit named in a title line, when one is.
fn title_lead_unit<'r>(lines: &[&str], ctx: &Context<'r>) -> Option<&'r str> {
    lines
        .iter()
        .take(TITLE_LINES)
        .filter_map(|line| ctx.registry.find_unit_in(line))
        .find(|unit| ctx.registry.is_lead_unit(unit))
}

/// The unit a file is accepted as, with the warning that names an assumption, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Identified {
    /// The unit (registry name).
    pub unit: String,
    /// `unknown-unit` (warning) when the content names an unknown unit and the file name or
    /// the 牵头单位 column decided; not yet located.
    pub note: Option<Diagnostic>,
}

impl Identified {
    fn plain(unit: &str) -> Identified {
        Identified {
            unit: unit.to_owned(),
            note: None,
        }
    }
}

/// Identifies the unit of `file` from its content, then its name, then the lead column, then
/// a lead unit named in a title line (contract §4). A name in the content that is unknown is
/// accepted as the one unit the file name and the lead column agree on, with a warning.
/// Errors are `unknown-unit`, `unit-conflict` or `unit-unidentified` diagnostics.
#[allow(clippy::result_large_err)] // `Diagnostic` is the crate's one problem shape; errors are rare
pub fn identify_unit(file: &str, clues: &ContentClues, ctx: &Context) -> Result<Identified, Diagnostic> {
    let from_name = file_unit(file, ctx);
    match content_unit(clues, ctx) {
        Named::Known(c, note) => match from_name {
            // A file name holding several units agrees with any of them.
            Some(n) if c != n && !ctx.registry.units_in(&file_stem(file)).contains(&c) => {
                Err(Diagnostic::new(
                    Code::UnitConflict,
                    format!("文件内容中的报送单位“{c}”与文件名中的单位“{n}”不一致"),
                )
                .hint("请核对报送单位，修改文件名或填报单位后重新报送"))
            }
            _ => Ok(Identified {
                unit: c.to_owned(),
                note,
            }),
        },
        Named::Unknown(name) => assume_unit(&name, from_name, clues, ctx),
        Named::Nothing => name_unit(file, ctx)
            .or_else(|| lead_column_unit(&clues.lead_column, ctx).map(Identified::plain))
            .or_else(|| title_lead_unit(&clues.lines, ctx).map(Identified::plain))
            .ok_or_else(|| {
                Diagnostic::new(Code::UnitUnidentified, "无法确定报送单位")
                    .hint("请在表头上方写明“填报单位：（单位名称）”，或在文件名中写明单位名称")
            }),
    }
}

/// The unit of a file name alone: the one unit it names, or, when it names several as one
/// name (not a list `A、B`), the one named last with an `unknown-unit` warning (as for a unit
/// name in the content).
fn name_unit(file: &str, ctx: &Context) -> Option<Identified> {
    // `雨花台区、软件谷联合报送` lists units: the longest name decides, as before.
    const LIST_MARKS: &[char] = &['、', '，', ',', '/', ';', '；', '&', '＆', '+'];
    let stem = file_stem(file);
    let units = ctx.registry.units_in(&stem);
    match units.split_last() {
        Some((&unit, others)) if !others.is_empty() && !stem.contains(LIST_MARKS) => Some(Identified {
            unit: unit.to_owned(),
            note: Some(several_units(&stem, unit, others)),
        }),
        _ => file_unit(file, ctx).map(Identified::plain),
    }
}

/// An unknown `name` in the content: the one unit the file name and the 牵头单位 column agree
/// on, with an `unknown-unit` warning naming the assumption; an `unknown-unit` error when they
/// name none or disagree.
#[allow(clippy::result_large_err)] // `Diagnostic` is the crate's one problem shape; errors are rare
fn assume_unit(
    name: &str,
    from_name: Option<&str>,
    clues: &ContentClues,
    ctx: &Context,
) -> Result<Identified, Diagnostic> {
    let from_leads = lead_column_unit(&clues.lead_column, ctx);
    let (unit, evidence) = match (from_name, from_leads) {
        (Some(n), Some(l)) if n != l => return Err(unknown_unit(name, ctx)),
        (Some(n), Some(_)) => (n, "文件名和牵头单位列"),
        (Some(n), None) => (n, "文件名"),
        (None, Some(l)) => (l, "牵头单位列"),
        (None, None) => return Err(unknown_unit(name, ctx)),
    };
    let note = Diagnostic::new(
        Code::UnknownUnit,
        format!("报送单位“{name}”不在任务清单中，根据{evidence}认定为“{unit}”"),
    )
    .level(Level::Warning)
    .hint(format!(
        "请使用任务清单中的单位名称“{unit}”；如“{name}”是其正式名称，请在配置的单位别名中添加"
    ));
    Ok(Identified {
        unit: unit.to_owned(),
        note: Some(note),
    })
}

/// The round ids (as configured) named in `text`: `2023年第四季度`, `2023年四季度`, `2023Q4`,
/// or a configured round title.
pub fn rounds_named(text: &str, ctx: &Context) -> BTreeSet<String> {
    let text = compact(text);
    let mut named = BTreeSet::new();
    for caps in ROUND_NAMED.captures_iter(&text) {
        let year = caps.get(1).map_or("", |m| m.as_str());
        let quarter = [2, 3, 4]
            .iter()
            .find_map(|&i| caps.get(i))
            .map_or("", |m| m.as_str());
        let q = match quarter {
            "一" | "1" => 1,
            "二" | "2" => 2,
            "三" | "3" => 3,
            _ => 4,
        };
        named.insert(round_id_for(year, q, ctx));
    }
    for round in &ctx.config.rounds {
        if text.contains(&compact(&round.title)) {
            named.insert(round.id.clone());
        }
    }
    named
}

/// The rounds named in `text` as [`rounds_named`] finds them, else the quarters it names
/// without a year (a sheet `三季度`, a file `卫健委三季度进展`), each taken as the latest such
/// quarter at or before the round (`四季度` in a 2026Q1 round is 2025Q4).
pub fn rounds_named_loosely(text: &str, ctx: &Context) -> BTreeSet<String> {
    let named = rounds_named(text, ctx);
    if !named.is_empty() {
        return named;
    }
    use chrono::Datelike;
    let year = ctx.round.start.year();
    let current = ctx.round.start.month().div_ceil(3);
    QUARTER_ONLY
        .captures_iter(&compact(text))
        .filter_map(|caps| caps.get(1).or_else(|| caps.get(2)))
        .map(|m| {
            let q = match m.as_str() {
                "一" | "1" => 1,
                "二" | "2" => 2,
                "三" | "3" => 3,
                _ => 4,
            };
            let year = if q <= current { year } else { year - 1 };
            round_id_for(&year.to_string(), q, ctx)
        })
        .collect()
}

/// The configured round whose title is that year and quarter, else `YYYYQn`.
fn round_id_for(year: &str, quarter: u32, ctx: &Context) -> String {
    let numeral = ["一", "二", "三", "四"][(quarter as usize).clamp(1, 4) - 1];
    let title = format!("{year}年第{numeral}季度");
    ctx.config
        .rounds
        .iter()
        .find(|r| compact(&r.title) == title)
        .map_or_else(|| format!("{year}Q{quarter}"), |r| r.id.clone())
}

/// `stale-round` when the period evidence puts the file in another round: the file name, each
/// line (title rows, a sheet name) naming rounds (a year-less `三季度` too), and the 填报日期 (before
/// the round began: against; after the previous round's deadline: for). Each source is one
/// vote. When the sources naming this round outnumber those against, the file is this round's
/// and the diagnostic is a warning (a title copied from last quarter, a year typo in 填报日期);
/// otherwise it is an error.
pub fn check_round(file: &str, lines: &[&str], ctx: &Context) -> Option<Diagnostic> {
    let mut agree: Vec<&str> = Vec::new();
    let mut others: BTreeSet<String> = BTreeSet::new();
    let mut against = 0usize;
    let stem = file_stem(file);
    let name_start = stem.rfind('/').map_or(0, |i| i + 1);
    let sources = std::iter::once((&stem[name_start..], "文件名")).chain(lines.iter().map(|l| (*l, "")));
    for (text, what) in sources.filter(|(t, _)| !t.trim().is_empty()) {
        let named = rounds_named_loosely(text, ctx);
        if named.contains(&ctx.round.id) {
            const QUOTED: usize = 20;
            agree.push(match what {
                "" if text.trim().chars().count() <= QUOTED => text.trim(),
                "" => "标题",
                _ => what,
            });
        } else if !named.is_empty() {
            against += 1;
            others.extend(named);
        }
    }
    let date = filled_date(lines);
    let early = date.filter(|d| *d < ctx.round.start);
    let settled_after = ctx
        .config
        .previous_round(ctx.round)
        .map_or(ctx.round.start, |r| r.deadline);
    if date.is_some_and(|d| d > settled_after) {
        agree.push("填报日期");
    }
    let error = if !others.is_empty() {
        let names: Vec<&str> = others
            .iter()
            .map(|id| ctx.config.round(id).map_or(id.as_str(), |r| r.title.as_str()))
            .collect();
        stale(
            format!(
                "文件标明的轮次为{}，不是本轮（{}）",
                names.join("、"),
                ctx.round.title
            ),
            ctx,
        )
    } else {
        let date = early?;
        stale(
            format!(
                "填报日期{}早于本轮（{}）开始日期{}，应为往期材料",
                date.format("%Y年%-m月%-d日"),
                ctx.round.title,
                ctx.round.start.format("%Y年%-m月%-d日")
            ),
            ctx,
        )
    };
    against += usize::from(early.is_some());
    if agree.len() <= against {
        return Some(error);
    }
    let evidence: Vec<String> = agree.iter().map(|a| format!("“{a}”")).collect();
    let message = format!(
        "{}；但{}均为本轮，已按本轮材料读取",
        error.message.trim_end_matches("，应为往期材料"),
        evidence.join("、")
    );
    Some(
        Diagnostic::new(Code::StaleRound, message)
            .level(Level::Warning)
            .hint("请核对标题中的季度和填报日期，改正后重新报送"),
    )
}

fn stale(message: String, ctx: &Context) -> Diagnostic {
    Diagnostic::new(Code::StaleRound, message).hint(format!("请报送{}的进展材料", ctx.round.title))
}

/// The 填报日期 (or a date line) found in the lines: a labelled date first (`填报日期：
/// 2024年4月8日`, an Excel serial after the label), else a line that is only a date.
pub fn filled_date(lines: &[&str]) -> Option<NaiveDate> {
    let labelled = lines.iter().find_map(|line| {
        let rest = DATE_LABEL.captures(line)?.get(1)?.as_str();
        date_in_text(rest).or_else(|| serial_in(rest))
    });
    labelled.or_else(|| {
        lines.iter().find_map(|line| {
            let compacted = compact(line);
            let date = date_in_text(&compacted)?;
            let stripped = compacted.trim_end_matches('日');
            stripped
                .chars()
                .all(|c| c.is_ascii_digit() || "年月.-/".contains(c) || NUMERALS.contains(c))
                .then_some(date)
        })
    })
}

fn serial_in(text: &str) -> Option<NaiveDate> {
    let token = text.split_whitespace().next()?;
    date_from_serial(token.parse::<f64>().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::registry::Registry;
    use std::path::Path;

    fn setup() -> (Config, Registry) {
        let config = Config::load(Path::new("templates/roundup.toml")).unwrap();
        let registry = Registry::from_config(&config).unwrap();
        (config, registry)
    }

    fn with_ctx(f: impl FnOnce(&Context)) {
        let (config, registry) = setup();
        let round = config.round("2024Q1").unwrap().clone();
        let ctx = Context {
            registry: &registry,
            config: &config,
            round: &round,
        };
        f(&ctx)
    }

    fn clues<'a>(lines: &[&'a str], lead: &[&'a str]) -> ContentClues<'a> {
        ContentClues {
            lines: lines.to_vec(),
            lead_column: lead.to_vec(),
        }
    }

    #[test]
    fn unit_label_is_read_from_lines() {
        assert_eq!(
            labelled_unit(&["填报单位：市科技局  填报人：张三"]),
            Some("市科技局".into())
        );
        assert_eq!(
            labelled_unit(&["报送单位:市科技局填报人：张三"]),
            Some("市科技局".into())
        );
        assert_eq!(
            labelled_unit(&["填报单位：  市科技局  联系电话：123"]),
            Some("市科技局".into())
        );
        assert_eq!(labelled_unit(&["填报单位：  填报人：张三"]), None);
        assert_eq!(
            labelled_unit(&["填报单位（盖章）：南京通管办（联系省通管局）"]),
            Some("南京通管办（联系省通管局）".into())
        );
    }

    /// The unit identified, or the error's code.
    fn unit_of(file: &str, clues: &ContentClues, ctx: &Context) -> Result<String, Code> {
        identify_unit(file, clues, ctx)
            .map(|found| found.unit)
            .map_err(|e| e.code)
    }

    #[test]
    fn unit_from_content_name_and_lead_column() {
        with_ctx(|ctx| {
            let none = clues(&[], &[]);
            let ok = |u: &str| Ok(u.to_string());
            assert_eq!(
                unit_of("a.xlsx", &clues(&["填报单位：市科技局"], &[]), ctx),
                ok("市科技局")
            );
            assert_eq!(
                unit_of("附件1 市科技局任务推进情况表.xlsx", &none, ctx),
                ok("市科技局")
            );
            let title = clues(&["市科技局关于2024年第一季度试点任务推进情况的报告"], &[]);
            assert_eq!(unit_of("a.docx", &title, ctx), ok("市科技局"));
            let leads = clues(&[], &["市外办", "市公安局、市外办"]);
            assert_eq!(unit_of("进展表.xlsx", &leads, ctx), ok("市外办"));
            let title_line = clues(&["市科技局试点任务推进情况表"], &[]);
            assert_eq!(unit_of("附件1.xlsx", &title_line, ctx), ok("市科技局"));
            let split = clues(&[], &["市外办", "市科技局"]);
            assert_eq!(unit_of("进展表.xlsx", &split, ctx), Err(Code::UnitUnidentified));
            let other = clues(&["填报单位：市科技局"], &[]);
            assert_eq!(unit_of("市外办.xlsx", &other, ctx), Err(Code::UnitConflict));
            let err = identify_unit("x.xlsx", &clues(&["填报单位：市科技厅局"], &[]), ctx).unwrap_err();
            assert_eq!((err.code, err.level), (Code::UnknownUnit, Level::Error));
            assert!(err.suggestion.unwrap().contains("市科技局"));
        });
    }

    #[test]
    fn official_and_prefixed_names_are_known_without_a_note() {
        with_ctx(|ctx| {
            for line in [
                "填报单位：南京市发展和改革委员会    填报人：钱进",
                "填报单位：南京市发改委",
                "中国人民银行南京分行营业管理部关于2024年第三季度试点任务推进情况的报告",
                "中共南京市委网络安全和信息化委员会办公室关于2024年第三季度试点任务推进情况的报告",
            ] {
                let found = identify_unit("x.xlsx", &clues(&[line], &[]), ctx).unwrap();
                assert!(found.note.is_none(), "{line}");
                assert!(ctx.registry.is_lead_unit(&found.unit), "{line}: {}", found.unit);
            }
        });
    }

    #[test]
    fn an_unknown_name_is_assumed_only_when_name_and_leads_agree() {
        with_ctx(|ctx| {
            let label = ["填报单位：南京市发展改革局"];
            /// (file, lead column) -> (unit, evidence named) or the error's code.
            type Case<'a> = (&'a str, &'a [&'a str], Result<(&'a str, &'a str), Code>);
            let cases: [Case; 5] = [
                ("市发改委-2024Q3.xlsx", &[], Ok(("市发改委", "根据文件名"))),
                (
                    "进展表.xlsx",
                    &["市发改委", "市商务局、市发改委"],
                    Ok(("市发改委", "根据牵头单位列")),
                ),
                (
                    "市发改委.xlsx",
                    &["市发改委"],
                    Ok(("市发改委", "根据文件名和牵头单位列")),
                ),
                ("市商务局.xlsx", &["市发改委"], Err(Code::UnknownUnit)),
                ("进展表.xlsx", &[], Err(Code::UnknownUnit)),
            ];
            for (file, leads, expected) in cases {
                let got = identify_unit(file, &clues(&label, leads), ctx);
                match (got, expected) {
                    (Ok(found), Ok((unit, evidence))) => {
                        assert_eq!(found.unit, unit, "{file}");
                        let note = found.note.expect("a warning");
                        assert_eq!((note.code, note.level), (Code::UnknownUnit, Level::Warning));
                        assert!(note.message.contains("南京市发展改革局"), "{}", note.message);
                        assert!(note.message.contains(evidence), "{}", note.message);
                    }
                    (Err(err), Err(code)) => {
                        assert_eq!((err.code, err.level), (code, Level::Error), "{file}");
                        assert!(err.suggestion.is_some_and(|s| s.contains("市发改委")), "{file}");
                    }
                    (got, expected) => panic!("{file}: {got:?} vs {expected:?}"),
                }
            }
        });
    }

    #[test]
    fn an_unknown_report_title_counts_when_it_ends_like_a_unit() {
        with_ctx(|ctx| {
            let title = clues(&["南京市发展改革局关于2024年第三季度试点任务推进情况的报告"], &[]);
            let found = identify_unit("市发改委-报告.docx", &title, ctx).unwrap();
            assert_eq!(found.unit, "市发改委");
            assert!(found.note.is_some());
            let plain = clues(&["关于2024年第三季度试点任务推进情况的报告"], &[]);
            let found = identify_unit("市发改委-报告.docx", &plain, ctx).unwrap();
            assert!(found.note.is_none());
            assert!(names_unit("填报单位：南京市发展改革局"));
            assert!(!names_unit("序号"));
        });
    }

    #[test]
    fn s1_a_name_holding_two_units_is_the_unit_named_last_with_a_warning() {
        with_ctx(|ctx| {
            let label = clues(&["填报单位：雨花台区软件谷管委会  填报日期：2025年10月10日"], &[]);
            let title = clues(
                &["雨花台区软件谷管委会关于2025年第三季度服务业扩大开放综合试点任务推进情况的报告"],
                &[],
            );
            for (file, found) in [
                ("雨花台区软件谷三季度进展.xls", &label),
                ("进展.xls", &label),
                ("关于2025年第三季度试点任务推进情况的报告.docx", &title),
                ("雨花台区软件谷三季度进展.xls", &clues(&[], &[])),
            ] {
                let found = identify_unit(file, found, ctx).unwrap();
                assert_eq!(found.unit, "软件谷", "{file}");
                let note = found.note.expect("a warning");
                assert_eq!((note.code, note.level), (Code::UnknownUnit, Level::Warning));
                assert!(note.message.contains("“雨花台区”"), "{}", note.message);
            }
            let own = clues(&["填报单位：雨花台区"], &[]);
            let found = identify_unit("雨花台区三季度进展.xlsx", &own, ctx).unwrap();
            assert_eq!((found.unit.as_str(), found.note), ("雨花台区", None));
            let plain = clues(&["填报单位：南京市雨花台区人民政府办公室"], &[]);
            let found = identify_unit("雨花台区三季度进展.xlsx", &plain, ctx).unwrap();
            assert_eq!((found.unit.as_str(), found.note), ("雨花台区", None));
        });
    }

    #[test]
    fn rounds_in_names_and_titles() {
        with_ctx(|ctx| {
            let ids = |t: &str| rounds_named(t, ctx).into_iter().collect::<Vec<_>>();
            assert_eq!(ids("市财政局-2023年第四季度推进情况"), vec!["2023Q4"]);
            assert_eq!(ids("2023年四季度"), vec!["2023Q4"]);
            assert_eq!(ids("2023Q4_市财政局"), vec!["2023Q4"]);
            assert_eq!(ids("2024 年第 1 季度"), vec!["2024Q1"]);
            assert!(ids("市财政局进展表").is_empty());
            assert!(check_round("市财政局-2023年第四季度推进情况.xlsx", &[], ctx).is_some());
            assert!(check_round("2024Q1_市外办_进展表.xls", &[], ctx).is_none());
            assert!(check_round("x.xlsx", &["2024年第一季度推进情况表"], ctx).is_none());
            assert!(check_round("x.xlsx", &["填报日期：2023年12月28日"], ctx).is_some());
            assert!(check_round("x.xlsx", &["填报日期：2024年4月8日"], ctx).is_none());
        });
    }

    #[test]
    fn w5_l1_period_evidence_is_weighed_and_the_majority_followed_with_a_warning() {
        with_ctx(|ctx| {
            let level = |file: &str, lines: &[&str]| check_round(file, lines, ctx).map(|d| (d.code, d.level));
            let warned = Some((Code::StaleRound, Level::Warning));
            let rejected = Some((Code::StaleRound, Level::Error));
            // A year typo in 填报日期; title and file name say this round.
            let typo = [
                "推进情况表（2024年第一季度）",
                "填报单位：市建委  填报日期：2023年4月9日",
            ];
            assert_eq!(level("市建委一季度进展v3.xlsx", &typo), warned);
            let message = check_round("市建委一季度进展v3.xlsx", &typo, ctx)
                .unwrap()
                .message;
            assert!(
                message.contains("2023年4月9日") && message.contains("文件名"),
                "{message}"
            );
            // A title copied from last quarter; date, sheet name and file name say this round.
            let copied = ["推进情况表（2023年第四季度）", "填报日期：2024年4月9日", "一季度"];
            assert_eq!(level("卫健委一季度进展.xlsx", &copied), warned);
            // Last quarter's file resent: nothing says this round.
            let resent = ["推进情况表（2023年第四季度）", "填报日期：2024年1月8日"];
            assert_eq!(level("市民政局进展表.xlsx", &resent), rejected);
            // One against one cannot be settled.
            assert_eq!(
                level("x.xlsx", &["推进情况表（2023年第四季度）", "一季度"]),
                rejected
            );
            let ids = |t: &str| rounds_named_loosely(t, ctx).into_iter().collect::<Vec<_>>();
            assert_eq!(ids("四季度"), vec!["2023Q4"]);
            assert_eq!(ids("卫健委一季度进展"), vec!["2024Q1"]);
            assert!(ids("进展表").is_empty());
        });
    }

    #[test]
    fn filled_dates() {
        let d = NaiveDate::from_ymd_opt(2024, 4, 8);
        assert_eq!(filled_date(&["填报单位：市科技局  填报日期：2024年4月8日"]), d);
        assert_eq!(filled_date(&["填报日期：  2024-04-08"]), d);
        assert_eq!(filled_date(&["填报日期：  45390"]), d);
        assert_eq!(filled_date(&["标题", "2024年4月8日"]), d);
        assert_eq!(filled_date(&["2024年第一季度推进情况"]), None);
        assert_eq!(filled_date(&["填报日期：二〇二四年四月八日"]), d);
        assert_eq!(filled_date(&["标题", "二〇二四年四月八日"]), d);
        assert_eq!(filled_date(&["二〇二四年第一季度推进情况"]), None);
    }
}
