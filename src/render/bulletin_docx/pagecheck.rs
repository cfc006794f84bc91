//! The bulletin's self-check on its rendered PDF: reads the words and their boxes that poppler
//! reports (`pdftotext -bbox-layout`) and checks the "Layout acceptance" list of
//! `official-format.md` — an even number of pages; blank pages only right before the 版记 page
//! and, with the 版记 page, unnumbered (GB/T 9704 7.5); the 版记's last line on the last page
//! within one line pitch of the 版心 bottom; the office/date line under the 简报名称 and the
//! 印发 line each on one line; no body paragraph ending with a line of one or two characters
//! (少字成行). Findings are Chinese sentences a clerk can act on.
//!
//! [`check`] is pure (XHTML text in, findings out); the write stage runs poppler on the PDF.

use super::style as s;
use crate::render::RenderContext;
use quick_xml::events::Event;
use quick_xml::Reader;

/// Words whose bottoms differ by at most this many points sit on one visual row.
const ROW_TOLERANCE: f64 = 3.0;
/// How far (points) a row may start from the 版心's left edge and still start there.
const EDGE_TOLERANCE: f64 = 1.5;

/// What the page should show: the 版心 in points from the page's top-left corner, the line
/// pitch, and the texts of the two lines that must stay whole.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    /// Left edge of the 版心.
    pub text_left: f64,
    /// Right edge of the 版心.
    pub text_right: f64,
    /// Bottom edge of the 版心.
    pub text_bottom: f64,
    /// Body line pitch.
    pub line_pitch: f64,
    /// The office's names as they may be printed (full name, configured short name).
    pub office_names: Vec<String>,
    /// The issue date as printed, `2024年7月10日`.
    pub date: String,
    /// Whether page 1 carries the 简报 office/date line (not a 通报).
    pub header_line: bool,
}

/// The expectations for the bulletin of `ctx` as [`super::render`] lays it out.
pub fn expected(ctx: &RenderContext) -> Expected {
    let office = &ctx.config.office;
    let mut office_names = vec![office.name.clone()];
    office_names.extend(
        office
            .short_name
            .iter()
            .map(|n| n.trim().to_string())
            .filter(|n| !n.is_empty()),
    );
    let date = crate::text::date::chinese_date(crate::render::issue_date(&ctx.report.round));
    Expected {
        text_left: f64::from(s::MARGIN_LEFT) / 20.0,
        text_right: (f64::from(s::MARGIN_LEFT) + f64::from(s::TEXT_WIDTH)) / 20.0,
        text_bottom: (f64::from(s::MARGIN_TOP) + f64::from(s::TEXT_HEIGHT)) / 20.0,
        line_pitch: f64::from(s::LINE) / 20.0,
        office_names,
        date,
        header_line: ctx.config.bulletin.kind == crate::config::BulletinKind::Briefing,
    }
}

/// One word of the PDF with its box (points from the page's top-left corner).
#[derive(Debug, Clone, PartialEq)]
struct Word {
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
    text: String,
}

/// A visual row of words.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Left edge.
    pub x_min: f64,
    /// Right edge.
    pub x_max: f64,
    /// Top.
    pub y_min: f64,
    /// Bottom.
    pub y_max: f64,
    /// The words' text, left to right, without spaces.
    pub text: String,
}

/// Why the layout could not be checked.
#[derive(Debug, thiserror::Error)]
pub enum PagecheckError {
    /// pdftotext's output is not well-formed XML.
    #[error("pdftotext 输出无法解析（{0}）")]
    Unparsable(#[from] quick_xml::Error),
}

/// The rows of each page of a `pdftotext -bbox-layout` document.
pub fn pages(xhtml: &str) -> Result<Vec<Vec<Row>>, PagecheckError> {
    let mut reader = Reader::from_str(xhtml);
    let mut pages: Vec<Vec<Word>> = Vec::new();
    let mut word: Option<Word> = None;
    loop {
        let event = reader.read_event()?;
        match event {
            Event::Eof => break,
            Event::Start(e) if e.name().as_ref() == "page" => pages.push(Vec::new()),
            Event::Start(e) if e.name().as_ref() == "word" => {
                let number = |key: &str| {
                    e.attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == key)
                        .and_then(|a| a.value.parse::<f64>().ok())
                        .unwrap_or(0.0)
                };
                word = Some(Word {
                    x_min: number("xMin"),
                    y_min: number("yMin"),
                    x_max: number("xMax"),
                    y_max: number("yMax"),
                    text: String::new(),
                });
            }
            Event::Text(t) => {
                if let Some(w) = word.as_mut() {
                    w.text.push_str(&t.xml10_content());
                }
            }
            Event::End(e) if e.name().as_ref() == "word" => {
                if let (Some(w), Some(page)) = (word.take(), pages.last_mut()) {
                    page.push(w);
                }
            }
            _ => {}
        }
    }
    Ok(pages.into_iter().map(rows).collect())
}

/// Groups words into visual rows, top to bottom, each left to right.
fn rows(mut words: Vec<Word>) -> Vec<Row> {
    words.sort_by(|a, b| a.y_max.total_cmp(&b.y_max).then(a.x_min.total_cmp(&b.x_min)));
    let mut rows: Vec<Vec<Word>> = Vec::new();
    for w in words {
        match rows.last_mut() {
            Some(row)
                if row
                    .first()
                    .is_some_and(|f| (w.y_max - f.y_max).abs() <= ROW_TOLERANCE) =>
            {
                row.push(w)
            }
            _ => rows.push(vec![w]),
        }
    }
    rows.into_iter()
        .map(|mut row| {
            row.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
            Row {
                x_min: row.iter().map(|w| w.x_min).fold(f64::MAX, f64::min),
                x_max: row.iter().map(|w| w.x_max).fold(f64::MIN, f64::max),
                y_min: row.iter().map(|w| w.y_min).fold(f64::MAX, f64::min),
                y_max: row.iter().map(|w| w.y_max).fold(f64::MIN, f64::max),
                text: row
                    .iter()
                    .flat_map(|w| w.text.chars())
                    .filter(|c| !c.is_whitespace())
                    .collect(),
            }
        })
        .collect()
}

/// What one page shows.
struct PageView<'a> {
    /// Rows inside the 版心.
    content: Vec<&'a Row>,
    /// Whether a page number is printed under the 版心.
    numbered: bool,
}

fn view<'a>(rows: &'a [Row], expected: &Expected) -> PageView<'a> {
    let below = |r: &Row| r.y_min > expected.text_bottom + 2.0;
    let is_number = |r: &Row| {
        r.text.chars().any(|c| c.is_ascii_digit())
            && r.text.chars().all(|c| c.is_ascii_digit() || c == '—' || c == '-')
    };
    PageView {
        content: rows.iter().filter(|r| !below(r)).collect(),
        numbered: rows.iter().any(|r| below(r) && is_number(r)),
    }
}

/// Checks a `pdftotext -bbox-layout` document against the layout acceptance list; returns the
/// findings (empty when the bulletin passes).
pub fn check(xhtml: &str, expected: &Expected) -> Result<Vec<String>, PagecheckError> {
    let pages = pages(xhtml)?;
    if pages.is_empty() {
        return Ok(vec!["PDF 没有页面".into()]);
    }
    let views: Vec<PageView> = pages.iter().map(|rows| view(rows, expected)).collect();
    let mut findings = Vec::new();
    let count = views.len();
    if count % 2 == 1 {
        findings.push(format!(
            "简报共 {count} 页，末页为奇数页：版记应在偶数页（双面印刷的末页背面）"
        ));
    }
    blank_pages(&views, &mut findings);
    colophon(&views, expected, &mut findings);
    if expected.header_line {
        header_line(&views[0], expected, &mut findings);
    }
    short_last_lines(&views, expected, &mut findings);
    Ok(findings)
}

/// Blank pages only right before the 版记 page, and then neither numbered (7.5).
fn blank_pages(views: &[PageView], findings: &mut Vec<String>) {
    let count = views.len();
    for (i, v) in views.iter().enumerate() {
        if !v.content.is_empty() {
            continue;
        }
        let page = i + 1;
        if page + 1 != count {
            findings.push(format!("第 {page} 页为空白页（只允许版记页前有一个空白页）"));
            continue;
        }
        if v.numbered {
            findings.push(format!("第 {page} 页为版记页前的空白页，不应编排页码"));
        }
        if views.last().is_some_and(|l| l.numbered) {
            findings.push(format!("版记页（第 {count} 页）前有空白页，版记页不应编排页码"));
        }
    }
}

/// The 印发 line on the last page, whole, its bottom within one line pitch of the 版心 bottom.
fn colophon(views: &[PageView], expected: &Expected, findings: &mut Vec<String>) {
    let Some(last) = views.last() else { return };
    let issued = format!("{}印发", expected.date);
    let cut = format!("{}印", expected.date);
    let Some(row) = last
        .content
        .iter()
        .rev()
        .find(|r| r.text.contains("印发") || r.text.contains(&cut))
    else {
        findings.push("末页没有印发机关和印发日期：版记不在末页".into());
        return;
    };
    if !row.text.ends_with(&issued) || !starts_with_office(&row.text, expected) {
        findings.push(format!("“印发”行折行或不完整：“{}”", row.text));
    }
    let gap = expected.text_bottom - row.y_max;
    if gap.abs() > expected.line_pitch {
        findings.push(format!(
            "版记末行距版心下边缘 {gap:.1} 磅，超过一行（{:.2} 磅）：版记应在末页下端",
            expected.line_pitch
        ));
    }
}

/// The office/date line under the 简报名称 on page 1, whole.
fn header_line(first: &PageView, expected: &Expected, findings: &mut Vec<String>) {
    let whole = first
        .content
        .iter()
        .any(|r| starts_with_office(&r.text, expected) && r.text.ends_with(&expected.date));
    if !whole {
        findings.push(format!(
            "报头的编发单位和日期（{}）不在同一行或日期折行",
            expected.date
        ));
    }
}

fn starts_with_office(text: &str, expected: &Expected) -> bool {
    expected.office_names.iter().any(|n| text.starts_with(n.as_str()))
}

/// Rows that start at the 版心's left edge right after a full row and hold only one or two
/// characters: the last line of a wrapped paragraph (少字成行).
fn short_last_lines(views: &[PageView], expected: &Expected, findings: &mut Vec<String>) {
    let mut previous: Option<&Row> = None;
    for (i, v) in views.iter().enumerate() {
        for row in &v.content {
            let chars = row.text.chars().count();
            let at_edge = (row.x_min - expected.text_left).abs() <= EDGE_TOLERANCE;
            let after_full = previous.is_some_and(|p| p.x_max >= expected.text_right - 16.0);
            if at_edge && after_full && (1..=2).contains(&chars) {
                findings.push(format!(
                    "第 {} 页有只剩 {chars} 个字的段落末行“{}”（少字成行）",
                    i + 1,
                    row.text
                ));
            }
            previous = Some(row);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected() -> Expected {
        Expected {
            text_left: 79.4,
            text_right: 521.6,
            text_bottom: 742.7,
            line_pitch: 28.95,
            office_names: vec!["某某办公室".into(), "某办".into()],
            date: "2024年7月10日".into(),
            header_line: true,
        }
    }

    fn word(x: f64, y: f64, text: &str) -> String {
        let w = text.chars().count() as f64 * 16.0;
        format!(
            r#"<word xMin="{x}" yMin="{}" xMax="{}" yMax="{y}">{text}</word>"#,
            y - 20.0,
            x + w
        )
    }

    fn page(words: &[String]) -> String {
        format!(
            r#"<page width="595.3" height="841.9"><flow><block><line>{}</line></block></flow></page>"#,
            words.concat()
        )
    }

    fn doc(pages: &[String]) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html xmlns="http://www.w3.org/1999/xhtml"><head><title></title></head><body><doc>{}</doc></body></html>"#,
            pages.concat()
        )
    }

    fn number(n: u32) -> String {
        word(460.0, 772.0, &format!("—{n}—"))
    }

    fn first_page() -> String {
        page(&[
            word(79.5, 291.0, "某某办公室"),
            word(400.0, 291.0, "2024年7月10日"),
            word(111.5, 400.0, "正文第一行正文第一行正文第一行正文第一行正文第一"),
            word(
                79.5,
                429.0,
                "正文第二行正文第二行正文第二行正文第二行正文第二行正文第",
            ),
            word(79.5, 458.0, "完。"),
            number(1),
        ])
    }

    fn colophon_page(n: Option<u32>, bottom: f64) -> String {
        let mut words = vec![
            word(93.5, bottom, "某某办公室"),
            word(361.0, bottom, "2024年7月10日印发"),
        ];
        words.extend(n.map(number));
        page(&words)
    }

    #[test]
    fn a_clean_bulletin_has_no_findings_but_a_short_last_line() {
        let xhtml = doc(&[first_page(), colophon_page(Some(2), 740.8)]);
        let findings = check(&xhtml, &expected()).unwrap();
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert!(
            findings[0].contains("少字成行") && findings[0].contains("第 1 页"),
            "{findings:?}"
        );
    }

    #[test]
    fn odd_pages_a_high_colophon_and_wrapped_lines_are_reported() {
        let wrapped = page(&[
            word(79.5, 291.0, "某某办公室"),
            word(400.0, 291.0, "2024年7月10"),
            word(79.5, 320.0, "日"),
            number(1),
        ]);
        let high = page(&[
            word(93.5, 300.0, "某某办公室"),
            word(361.0, 300.0, "2024年7月10日印"),
            word(93.5, 329.0, "发"),
        ]);
        let findings = check(&doc(&[wrapped, high]), &expected()).unwrap();
        let all = findings.join("\n");
        assert!(all.contains("报头的编发单位和日期"), "{all}");
        assert!(all.contains("“印发”行折行"), "{all}");
        assert!(all.contains("超过一行"), "{all}");
        let odd = check(&doc(&[first_page()]), &expected()).unwrap().join("\n");
        assert!(odd.contains("共 1 页"), "{odd}");
        assert!(odd.contains("版记不在末页"), "{odd}");
    }

    #[test]
    fn a_blank_page_before_the_colophon_page_must_be_unnumbered_like_it() {
        let blank = |n: Option<u32>| page(&n.map(number).into_iter().collect::<Vec<_>>());
        let second = || page(&[word(111.5, 200.0, "正文。"), number(2)]);
        let ok = doc(&[first_page(), second(), blank(None), colophon_page(None, 740.8)]);
        let findings = check(&ok, &expected()).unwrap();
        assert!(findings.iter().all(|f| f.contains("少字成行")), "{findings:?}");
        let numbered = doc(&[
            first_page(),
            second(),
            blank(Some(3)),
            colophon_page(Some(4), 740.8),
        ]);
        let all = check(&numbered, &expected()).unwrap().join("\n");
        assert!(all.contains("第 3 页为版记页前的空白页，不应编排页码"), "{all}");
        assert!(all.contains("版记页（第 4 页）前有空白页"), "{all}");
        let early = doc(&[first_page(), blank(None), second(), colophon_page(Some(4), 740.8)]);
        let all = check(&early, &expected()).unwrap().join("\n");
        assert!(all.contains("第 2 页为空白页"), "{all}");
    }

    #[test]
    fn the_short_name_may_stand_for_the_office_and_bad_input_is_an_error() {
        let short = page(&[word(93.5, 740.0, "某办"), word(361.0, 740.0, "2024年7月10日印发")]);
        let findings = check(&doc(&[first_page(), short]), &expected()).unwrap();
        assert!(findings.iter().all(|f| f.contains("少字成行")), "{findings:?}");
        assert!(check("<doc><page></word></doc>", &expected()).is_err());
        assert_eq!(check("<doc></doc>", &expected()).unwrap(), vec!["PDF 没有页面"]);
    }
}
