//! Automatic numbering from `word/numbering.xml`: list definitions, their per-level counters
//! in document order, and the label text (`一、`, `（二）`, `3.`, `⑴`) each numbered paragraph
//! shows.

use super::xml::{Attr, Node, Tag};
use std::collections::HashMap;

/// Levels per list (`w:ilvl` 0–8).
const LEVELS: usize = 9;

#[derive(Debug, Clone, Default)]
struct Level {
    start: Option<u32>,
    format: String,
    text: Option<String>,
    legal: bool,
}

#[derive(Debug, Clone, Default)]
struct NumDef {
    abstract_id: u32,
    /// `w:lvlOverride`: a new start value and/or a replacement level.
    start_overrides: HashMap<u8, u32>,
    level_overrides: HashMap<u8, Level>,
}

/// Whose counters a paragraph advances: Word continues a list across `w:num` instances of one
/// abstract definition unless the instance restarts it with `w:startOverride`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CounterKey {
    Abstract(u32),
    Instance(u32),
}

/// List definitions plus the counters of the paragraphs read so far.
#[derive(Debug, Clone, Default)]
pub(super) struct Numbering {
    abstracts: HashMap<u32, Vec<Level>>,
    nums: HashMap<u32, NumDef>,
    counters: HashMap<CounterKey, [Option<u32>; LEVELS]>,
}

impl Numbering {
    /// Reads the numbering part's root element.
    pub fn from_root(root: &Node) -> Numbering {
        let mut numbering = Numbering::default();
        for child in &root.children {
            match child.tag {
                Tag::AbstractNum => {
                    if let Some(id) = parse_u32(child.attr(Attr::AbstractNumId)) {
                        numbering.abstracts.insert(id, read_levels(child));
                    }
                }
                Tag::Num => {
                    if let Some(id) = parse_u32(child.attr(Attr::NumId)) {
                        numbering.nums.insert(id, read_num(child));
                    }
                }
                _ => {}
            }
        }
        numbering
    }

    /// Advances the counter of (`num_id`, `ilvl`) and returns the label the paragraph shows;
    /// `None` for `numId` 0, an unknown list, or an empty label.
    pub fn next_label(&mut self, num_id: u32, ilvl: u8) -> Option<String> {
        let ilvl = usize::from(ilvl).min(LEVELS - 1);
        let num = self.nums.get(&num_id)?;
        let levels = self.levels(num);
        let key = if num.start_overrides.is_empty() {
            CounterKey::Abstract(num.abstract_id)
        } else {
            CounterKey::Instance(num_id)
        };
        let counters = self.counters.entry(key).or_insert([None; LEVELS]);
        counters[ilvl] = Some(match counters[ilvl] {
            Some(n) => n.saturating_add(1),
            None => start_of(&levels, num, ilvl),
        });
        for deeper in counters.iter_mut().skip(ilvl + 1) {
            *deeper = None;
        }
        let values: Vec<u32> = (0..LEVELS)
            .map(|l| counters[l].unwrap_or_else(|| start_of(&levels, num, l)))
            .collect();
        let label = render_label(&levels, ilvl, &values);
        (!label.is_empty()).then_some(label)
    }

    fn levels(&self, num: &NumDef) -> Vec<Level> {
        let base = self.abstracts.get(&num.abstract_id);
        (0..LEVELS)
            .map(|l| {
                num.level_overrides
                    .get(&(l as u8))
                    .or_else(|| base.and_then(|b| b.get(l)))
                    .cloned()
                    .unwrap_or_default()
            })
            .collect()
    }
}

fn start_of(levels: &[Level], num: &NumDef, ilvl: usize) -> u32 {
    num.start_overrides
        .get(&(ilvl as u8))
        .copied()
        .or(levels[ilvl].start)
        .unwrap_or(1)
}

fn parse_u32(val: Option<&str>) -> Option<u32> {
    val?.trim().parse().ok()
}

fn read_levels(abstract_num: &Node) -> Vec<Level> {
    let mut levels = vec![Level::default(); LEVELS];
    for lvl in abstract_num.children.iter().filter(|c| c.tag == Tag::Lvl) {
        if let Some(i) = parse_u32(lvl.attr(Attr::Ilvl)).filter(|i| (*i as usize) < LEVELS) {
            levels[i as usize] = read_level(lvl);
        }
    }
    levels
}

fn read_level(lvl: &Node) -> Level {
    Level {
        start: parse_u32(lvl.child_val(Tag::Start)),
        format: lvl.child_val(Tag::NumFmt).unwrap_or("decimal").to_owned(),
        text: lvl.child_val(Tag::LvlText).map(str::to_owned),
        legal: lvl
            .child(Tag::IsLgl)
            .is_some_and(|n| !matches!(n.val(), Some("0" | "false" | "off"))),
    }
}

fn read_num(num: &Node) -> NumDef {
    let mut def = NumDef {
        abstract_id: parse_u32(num.child_val(Tag::AbstractNumId)).unwrap_or(u32::MAX),
        ..NumDef::default()
    };
    for o in num.children.iter().filter(|c| c.tag == Tag::LvlOverride) {
        let Some(ilvl) = parse_u32(o.attr(Attr::Ilvl)).filter(|i| (*i as usize) < LEVELS) else {
            continue;
        };
        if let Some(start) = parse_u32(o.child_val(Tag::StartOverride)) {
            def.start_overrides.insert(ilvl as u8, start);
        }
        if let Some(lvl) = o.child(Tag::Lvl) {
            def.level_overrides.insert(ilvl as u8, read_level(lvl));
        }
    }
    def
}

/// Replaces `%1`…`%9` in the level's `lvlText` with the formatted counters.
fn render_label(levels: &[Level], ilvl: usize, values: &[u32]) -> String {
    let level = &levels[ilvl];
    let Some(template) = &level.text else {
        return String::new();
    };
    if level.format == "bullet" {
        return bullet(template);
    }
    let mut out = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        let digit = chars
            .peek()
            .and_then(|d| d.to_digit(10))
            .filter(|d| (1..=9).contains(d));
        match (c, digit) {
            ('%', Some(d)) => {
                chars.next();
                let l = d as usize - 1;
                let format = if level.legal {
                    "decimal"
                } else {
                    levels[l].format.as_str()
                };
                out.push_str(&format_number(values[l], format));
            }
            _ => out.push(c),
        }
    }
    out
}

/// A bullet's symbol; symbol-font characters in the private use area show as `•`.
fn bullet(template: &str) -> String {
    template
        .chars()
        .map(|c| {
            if ('\u{E000}'..='\u{F8FF}').contains(&c) {
                '•'
            } else {
                c
            }
        })
        .collect()
}

/// One counter value in a `w:numFmt` format.
pub(crate) fn format_number(n: u32, format: &str) -> String {
    match format {
        "chineseCounting"
        | "chineseCountingThousand"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "japaneseCounting" => chinese(n, &SIMPLE_DIGITS, &SIMPLE_UNITS),
        "chineseLegalSimplified" => chinese(n, &LEGAL_DIGITS, &LEGAL_UNITS),
        "ideographDigital" | "taiwaneseDigital" => ideograph_digits(n),
        "ideographTraditional" => cycle(n, &["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"]),
        "ideographZodiac" => cycle(
            n,
            &[
                "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
            ],
        ),
        "decimalZero" => format!("{n:02}"),
        "decimalFullWidth" | "decimalFullWidth2" => full_width(n),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" => enclosed(n, 0x2460),
        "decimalEnclosedParen" => enclosed(n, 0x2474),
        "decimalEnclosedFullstop" => enclosed(n, 0x2488),
        "upperRoman" => roman(n),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperLetter" => letters(n),
        "lowerLetter" => letters(n).to_lowercase(),
        "none" => String::new(),
        _ => n.to_string(),
    }
}

const SIMPLE_DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
const SIMPLE_UNITS: [&str; 4] = ["", "十", "百", "千"];
const LEGAL_DIGITS: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
const LEGAL_UNITS: [&str; 4] = ["", "拾", "佰", "仟"];

/// Chinese counting up to 9999 (`十一`, `二十`, `一百零五`); larger numbers in digits.
fn chinese(n: u32, digits: &[&str; 10], units: &[&str; 4]) -> String {
    if n == 0 {
        return digits[0].to_owned();
    }
    if n >= 10_000 {
        return n.to_string();
    }
    let parts = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut pending_zero = false;
    for (i, d) in parts.iter().enumerate() {
        let unit = units[3 - i];
        if *d == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero {
            out.push_str(if digits[1] == "一" { "零" } else { digits[0] });
            pending_zero = false;
        }
        // 10–19 read 十, 十一 … (not 一十) in simplified counting.
        let skip_one = *d == 1 && i == 2 && out.is_empty() && digits[1] == "一";
        if !skip_one {
            out.push_str(digits[*d as usize]);
        }
        out.push_str(unit);
    }
    out
}

fn ideograph_digits(n: u32) -> String {
    n.to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| SIMPLE_DIGITS[d as usize])
        .collect()
}

fn cycle(n: u32, symbols: &[&str]) -> String {
    if n == 0 {
        return n.to_string();
    }
    symbols[(n as usize - 1) % symbols.len()].to_owned()
}

fn full_width(n: u32) -> String {
    n.to_string()
        .chars()
        .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c))
        .collect()
}

/// ①…⑳ style characters for 1–20, digits beyond.
fn enclosed(n: u32, first: u32) -> String {
    match n {
        1..=20 => char::from_u32(first + n - 1).map_or_else(|| n.to_string(), String::from),
        _ => n.to_string(),
    }
}

fn roman(n: u32) -> String {
    if n == 0 || n >= 4000 {
        return n.to_string();
    }
    const TABLE: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut rest = n;
    let mut out = String::new();
    for (value, symbol) in TABLE {
        while rest >= value {
            out.push_str(symbol);
            rest -= value;
        }
    }
    out
}

/// Word's letters: A…Z, then AA, BB … (the letter repeated).
fn letters(n: u32) -> String {
    if n == 0 || n > 780 {
        return n.to_string();
    }
    let letter = char::from(b'A' + ((n - 1) % 26) as u8);
    std::iter::repeat_n(letter, ((n - 1) / 26 + 1) as usize).collect()
}

#[cfg(test)]
mod tests {
    use super::super::xml::parse;
    use super::*;

    #[test]
    fn formats_chinese_and_other_counters() {
        assert_eq!(format_number(1, "chineseCounting"), "一");
        assert_eq!(format_number(10, "chineseCounting"), "十");
        assert_eq!(format_number(11, "chineseCountingThousand"), "十一");
        assert_eq!(format_number(20, "chineseCounting"), "二十");
        assert_eq!(format_number(105, "chineseCountingThousand"), "一百零五");
        assert_eq!(format_number(1010, "chineseCountingThousand"), "一千零一十");
        assert_eq!(format_number(3, "chineseLegalSimplified"), "叁");
        assert_eq!(format_number(2, "ideographTraditional"), "乙");
        assert_eq!(format_number(1, "decimalEnclosedParen"), "⑴");
        assert_eq!(format_number(3, "decimalEnclosedCircle"), "③");
        assert_eq!(format_number(4, "upperRoman"), "IV");
        assert_eq!(format_number(28, "lowerLetter"), "bb");
        assert_eq!(format_number(7, "decimalZero"), "07");
        assert_eq!(format_number(12, "decimalFullWidth"), "１２");
        assert_eq!(format_number(3, "unknownFormat"), "3");
    }

    const NUMBERING: &str = r#"<w:numbering xmlns:w="w">
      <w:abstractNum w:abstractNumId="0">
        <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
        <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
        <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
        <w:lvl w:ilvl="3"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%4"/><w:isLgl/></w:lvl>
      </w:abstractNum>
      <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="2"><w:abstractNumId w:val="0"/></w:num>
      <w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
    </w:numbering>"#;

    #[test]
    fn counts_per_level_and_restarts_deeper_levels() {
        let mut n = Numbering::from_root(&parse(NUMBERING, "numbering", 64, 1000).unwrap());
        assert_eq!(n.next_label(1, 0).as_deref(), Some("一、"));
        assert_eq!(n.next_label(1, 1).as_deref(), Some("（一）"));
        assert_eq!(n.next_label(1, 1).as_deref(), Some("（二）"));
        assert_eq!(n.next_label(1, 2).as_deref(), Some("1."));
        assert_eq!(n.next_label(1, 0).as_deref(), Some("二、"));
        assert_eq!(n.next_label(1, 1).as_deref(), Some("（一）"));
        // Another instance of the same list continues it; a startOverride restarts.
        assert_eq!(n.next_label(2, 0).as_deref(), Some("三、"));
        assert_eq!(n.next_label(3, 0).as_deref(), Some("五、"));
        assert_eq!(n.next_label(3, 3).as_deref(), Some("5.1"));
        assert_eq!(n.next_label(0, 0), None);
        assert_eq!(n.next_label(99, 0), None);
    }
}
