//! Text helpers for the bulletin: trimming reported prose to a sentence or two, shortening task
//! texts, de-duplicating gathered items, Chinese numerals and number formatting.

use regex::Regex;
use std::sync::LazyLock;

/// Sentence-ending punctuation (full-width and ASCII).
const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；', '!', '?', ';'];

/// Values units write when they mean "nothing to report".
const PLACEHOLDERS: &[&str] = &[
    "无",
    "暂无",
    "没有",
    "无。",
    "暂无。",
    "/",
    "-",
    "—",
    "——",
    "无问题",
    "暂无问题",
    "不涉及",
    "无诉求",
    "暂无诉求",
    "同上",
    "略",
];

/// Collapses all white space (including line breaks) and trims.
pub fn squash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() || c.is_control() {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() && c.is_ascii() && out.ends_with(|p: char| p.is_ascii()) {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// True when a reported value means "nothing" (无, 暂无, /…) or is empty.
pub fn is_placeholder(text: &str) -> bool {
    let t = squash(text);
    t.is_empty() || PLACEHOLDERS.contains(&t.as_str())
}

/// Leading list markers: `（一）`, `一是`, `1.`, `案例一：`, bullets.
static MARKER: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[是、.．]",
        r"|\d+[.．、)）]|案例[一二三四五六七八九十\d]*[：:]|[★●◆■□▲·•\-])\s*"
    ))
    .ok()
});

/// A unit's self-reference: `我局`, `我委`, `我办`, `我区`… (not `我市`: the city).
static SELF_REFERENCE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"我(局|委|办|厅|院|行|部|区|县|中心|集团|单位|公司|处|站)").ok());

/// Removes a leading list marker: `1.`, `1、`, `（一）`, `一是`, `一、`, `案例一：`.
pub fn strip_marker(text: &str) -> &str {
    let t = text.trim_start();
    match MARKER.as_ref().and_then(|re| re.find(t)) {
        Some(m) => &t[m.end()..],
        None => t,
    }
}

/// The first `max_sentences` sentences of `text`, at most about `max_chars` characters; a
/// sentence cut short ends at a comma with `。`. Always ends with sentence punctuation.
pub fn first_sentences(text: &str, max_sentences: usize, max_chars: usize) -> String {
    let text = squash(strip_marker(&squash(text)));
    let mut out = String::new();
    for (count, sentence) in split_sentences(&text).into_iter().enumerate() {
        let len = out.chars().count() + sentence.chars().count();
        if count > 0 && (count >= max_sentences || len > max_chars) {
            break;
        }
        out.push_str(sentence);
    }
    if out.chars().count() > max_chars {
        out = cut_at_comma(&out, max_chars);
    }
    finish_sentence(out)
}

fn split_sentences(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        if SENTENCE_ENDS.contains(&c) {
            let end = i + c.len_utf8();
            parts.push(&text[start..end]);
            start = end;
        }
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts.retain(|p| !p.trim().is_empty());
    parts
}

/// Cuts `text` to at most `max_chars` characters, preferring the last comma-like break.
fn cut_at_comma(text: &str, max_chars: usize) -> String {
    let head: String = text.chars().take(max_chars).collect();
    let breaks = ['，', '、', '：', ',', '；'];
    match head.rfind(|c| breaks.contains(&c)) {
        Some(i) if head[..i].chars().count() >= max_chars / 2 => head[..i].to_string(),
        _ => head,
    }
}

/// Ends `text` with `。` unless it already ends with sentence punctuation; `；` becomes `。`.
fn finish_sentence(mut text: String) -> String {
    while text.ends_with(['，', '、', '：', ',', ':', '；', ';']) {
        text.pop();
    }
    if text.is_empty() || text.ends_with(['。', '！', '？', '”', '）']) {
        return text;
    }
    text.push('。');
    text
}

/// A task text shortened for a table cell: up to the first clause break when that is long
/// enough, else `max_chars` characters followed by `…`.
pub fn shorten(text: &str, max_chars: usize) -> String {
    let text = squash(text);
    let trimmed = text.trim_end_matches(['。', '；', ';']);
    if trimmed.chars().count() <= max_chars {
        return trimmed.to_string();
    }
    let head: String = trimmed.chars().take(max_chars).collect();
    let clause = head
        .rfind(['，', '；', '。', '：'])
        .filter(|&i| head[..i].chars().count() >= max_chars * 2 / 3);
    match clause {
        Some(i) => format!("{}…", &head[..i]),
        None => format!("{head}…"),
    }
}

/// Replaces a unit's self-reference (`我局`, `我委`, `我办`…) with its name.
pub fn name_the_unit(text: &str, unit: &str) -> String {
    match SELF_REFERENCE.as_ref() {
        Some(re) => re.replace_all(text, unit).into_owned(),
        None => text.to_string(),
    }
}

/// The key two items are compared by: no white space or punctuation.
pub fn dedup_key(text: &str) -> String {
    squash(text).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Chinese numeral for 1–99 (一, 十, 十一, 二十三); other numbers as Arabic digits.
pub fn chinese_number(n: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n as usize].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[(n % 10) as usize]),
        20..=99 => {
            let unit = if n % 10 == 0 {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            };
            format!("{}十{unit}", DIGITS[(n / 10) as usize])
        }
        _ => n.to_string(),
    }
}

/// A percentage with one decimal and `%`: `33.3%`, `100.0%`.
pub fn share(value: f64) -> String {
    format!("{value:.1}%")
}

/// A reported percent without a needless `.0`: `60%`, `62.5%`.
pub fn percent(value: f64) -> String {
    if (value - value.round()).abs() < 0.05 {
        format!("{:.0}%", value.round())
    } else {
        format!("{value:.1}%")
    }
}

/// Display width in full-width characters (a half-width character counts half; see
/// [`crate::text::width`]).
pub fn width_in_chars(text: &str) -> f64 {
    crate::text::width::width_in_ems(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentences_keeps_one_or_two() {
        let t = "一是完成了平台建设。二是开展了培训，覆盖200家企业。三是其他。";
        assert_eq!(
            first_sentences(t, 2, 80),
            "完成了平台建设。二是开展了培训，覆盖200家企业。"
        );
        assert_eq!(first_sentences(t, 1, 80), "完成了平台建设。");
        let long = "这是一个很长的句子，包含很多内容，还有更多内容，一直没有句号";
        let cut = first_sentences(long, 2, 20);
        assert!(cut.chars().count() <= 21, "{cut}");
        assert!(cut.ends_with('。'));
    }

    #[test]
    fn placeholders_and_markers() {
        assert!(is_placeholder(" 暂无 "));
        assert!(is_placeholder(""));
        assert!(!is_placeholder("资金不足"));
        assert_eq!(strip_marker("（一）加强统筹"), "加强统筹");
        assert_eq!(strip_marker("2.加强统筹"), "加强统筹");
        assert_eq!(strip_marker("一是加强统筹"), "加强统筹");
        assert_eq!(strip_marker("案例一：某某"), "某某");
    }

    #[test]
    fn shorten_prefers_clause_breaks() {
        let t = "推进服务业扩大开放综合试点，建设国际化营商环境，提升服务能级";
        let s = shorten(t, 20);
        assert_eq!(s, "推进服务业扩大开放综合试点…");
        assert_eq!(shorten("短任务。", 20), "短任务");
    }

    #[test]
    fn numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(17), "十七");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(23), "二十三");
        assert_eq!(share(33.333), "33.3%");
        assert_eq!(percent(60.0), "60%");
        assert_eq!(percent(62.5), "62.5%");
        assert_eq!(name_the_unit("我局牵头推进", "市商务局"), "市商务局牵头推进");
        assert_eq!(
            name_the_unit("我区对接我市部门", "江北新区"),
            "江北新区对接我市部门"
        );
        assert_eq!(dedup_key("资金 不足。"), "资金不足");
    }
}
