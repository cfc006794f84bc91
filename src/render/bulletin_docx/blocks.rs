//! The bulletin body's small block language and its template: `templates/bulletin.j2` is
//! rendered with minijinja over [`BulletinData`], and each output line becomes a [`Block`]:
//!
//! | line | block |
//! | --- | --- |
//! | `::title 文字` | the article title (方正小标宋 22 pt, centred; `//` forces a line break) |
//! | `# 文字` | level-1 heading, numbered `一、` (黑体) |
//! | `## 文字` | level-2 heading, numbered `（一）` (楷体) |
//! | `### 文字` | level-3 heading, numbered `1.` (仿宋) |
//! | `#### 文字` | level-4 heading, numbered `（1）` (仿宋) |
//! | `::table 名称 表题` | a data table (`lagging`, `parts`) with its caption |
//! | `::pagebreak` | a page break |
//! | `::blank` | an empty line |
//! | empty line | nothing (separates paragraphs) |
//! | anything else | a body paragraph |
//!
//! Numbers are written as literal text (no Word auto-numbering); each level restarts after a
//! higher one. Values printed with `{{ … }}` cannot start a block: line breaks in them become
//! spaces and a leading `#` or `::` is kept as text.

use super::data::BulletinData;
use super::text::chinese_number;
use crate::render::RenderError;
use minijinja::{Environment, UndefinedBehavior, Value};

/// Marks the start of a printed value so that it is never read as block syntax; removed when
/// the lines are parsed.
const VALUE_MARK: char = '\u{E000}';

/// One block of the bulletin body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The article title.
    Title(String),
    /// A heading with its literal number, e.g. `一、总体情况`.
    Heading {
        /// 1–4.
        level: u8,
        /// Number and text.
        text: String,
    },
    /// A body paragraph.
    Paragraph(String),
    /// A data table.
    Table {
        /// The table's name (`lagging`, `parts`).
        name: String,
        /// The caption printed above it (may be empty).
        caption: String,
    },
    /// A page break.
    PageBreak,
    /// An empty line.
    Blank,
}

/// Renders the template over `data` and parses the result into blocks. `template_name` is
/// used in messages; `tables` are the names `::table` accepts.
pub fn render(
    template: &str,
    template_name: &str,
    data: &BulletinData,
    tables: &[&str],
) -> Result<Vec<Block>, RenderError> {
    let text = render_text(template, template_name, data)?;
    parse(&text, tables).map_err(|(directive, message)| RenderError::Template {
        template: template_name.to_string(),
        line: line_of_directive(template, &directive),
        message,
    })
}

/// Renders the template text (before block parsing).
pub fn render_text(template: &str, template_name: &str, data: &BulletinData) -> Result<String, RenderError> {
    let env = environment();
    let to_error = |e: minijinja::Error| RenderError::Template {
        template: template_name.to_string(),
        line: e.line().unwrap_or(0),
        message: describe(&e),
    };
    let compiled = env
        .template_from_named_str(template_name, template)
        .map_err(to_error)?;
    compiled.render(Value::from_serialize(data)).map_err(to_error)
}

fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
    env.set_formatter(|out, _state, value| {
        if value.is_undefined() {
            return Err(minijinja::Error::from(minijinja::ErrorKind::UndefinedError));
        }
        if value.is_none() {
            return Ok(());
        }
        let flat = super::text::squash(&value.to_string());
        if !flat.is_empty() {
            out.write_str(&format!("{VALUE_MARK}{flat}"))?;
        }
        Ok(())
    });
    env.add_filter("cn", |n: i64| chinese_number(n));
    env
}

/// The parser's message with minijinja's own detail, in Chinese where it matters.
fn describe(e: &minijinja::Error) -> String {
    let detail = e.detail().map(str::to_owned).unwrap_or_else(|| e.to_string());
    match e.kind() {
        minijinja::ErrorKind::SyntaxError => format!("模板语法错误（{detail}）"),
        minijinja::ErrorKind::UndefinedError => format!("使用了未定义的变量（{detail}）"),
        minijinja::ErrorKind::UnknownFilter => format!("未知的过滤器（{detail}）"),
        _ => format!("模板执行出错（{detail}）"),
    }
}

/// Parses rendered lines into blocks, numbering headings. Errors carry the offending
/// directive and a message.
pub fn parse(text: &str, tables: &[&str]) -> Result<Vec<Block>, (String, String)> {
    let mut numbers = [0i64; 4];
    let mut blocks = Vec::new();
    for raw in text.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let block = match heading_level(line) {
            Some(level) => {
                let body = clean(&line[level..]);
                Block::Heading {
                    level: level as u8,
                    text: number(&mut numbers, level, &body),
                }
            }
            None => directive(line, tables)?,
        };
        blocks.push(block);
    }
    Ok(blocks)
}

/// `#`…`####` followed by a space.
fn heading_level(line: &str) -> Option<usize> {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    let rest = &line[hashes..];
    ((1..=4).contains(&hashes) && rest.starts_with([' ', '\u{3000}'])).then_some(hashes)
}

fn directive(line: &str, tables: &[&str]) -> Result<Block, (String, String)> {
    let Some(rest) = line.strip_prefix("::") else {
        return Ok(Block::Paragraph(clean(line)));
    };
    let (word, arg) = rest.split_once([' ', '\u{3000}']).unwrap_or((rest, ""));
    let arg = clean(arg);
    match word {
        "title" => Ok(Block::Title(arg)),
        "pagebreak" => Ok(Block::PageBreak),
        "blank" => Ok(Block::Blank),
        "table" => {
            let (name, caption) = arg.split_once(' ').unwrap_or((arg.as_str(), ""));
            if tables.contains(&name) {
                Ok(Block::Table {
                    name: name.to_string(),
                    caption: caption.trim().to_string(),
                })
            } else {
                Err((
                    format!("::table {name}"),
                    format!("未知的表格“{name}”（可用：{}）", tables.join("、")),
                ))
            }
        }
        other => Err((
            format!("::{other}"),
            format!("未知的指令“::{other}”（可用：::title、::table、::pagebreak、::blank）"),
        )),
    }
}

/// Removes value marks and surrounding white space.
fn clean(text: &str) -> String {
    text.replace(VALUE_MARK, "").trim().to_string()
}

/// The literal number of a heading at `level` (1-based), advancing the counters.
fn number(numbers: &mut [i64; 4], level: usize, text: &str) -> String {
    numbers[level - 1] += 1;
    for n in numbers.iter_mut().skip(level) {
        *n = 0;
    }
    let n = numbers[level - 1];
    match level {
        1 => format!("{}、{text}", chinese_number(n)),
        2 => format!("（{}）{text}", chinese_number(n)),
        3 => format!("{n}.{text}"),
        _ => format!("（{n}）{text}"),
    }
}

/// The 1-based template line containing `directive` (0 when it is not written literally).
fn line_of_directive(template: &str, directive: &str) -> usize {
    template
        .lines()
        .position(|l| l.contains(directive))
        .map_or(0, |i| i + 1)
}

/// Renders any template over serialisable `data` (e.g. the 催报通知's) with the bulletin's
/// environment and parses the result into blocks.
pub fn render_serialize(
    template: &str,
    template_name: &str,
    data: &impl serde::Serialize,
    tables: &[&str],
) -> Result<Vec<Block>, RenderError> {
    let to_error = |e: minijinja::Error| RenderError::Template {
        template: template_name.to_string(),
        line: e.line().unwrap_or(0),
        message: describe(&e),
    };
    let env = environment();
    let compiled = env
        .template_from_named_str(template_name, template)
        .map_err(to_error)?;
    let text = compiled.render(Value::from_serialize(data)).map_err(to_error)?;
    parse(&text, tables).map_err(|(directive, message)| RenderError::Template {
        template: template_name.to_string(),
        line: line_of_directive(template, &directive),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TABLES: &[&str] = &["lagging", "parts"];

    #[test]
    fn parses_blocks_and_numbers_headings() {
        let text = "::title 标题\n# 总体情况\n正文。\n\n## 甲\n### 子\n## 乙\n# 下步\n## 丙\n\
                    ::table lagging 滞后任务表\n::pagebreak\n::blank\n#### 细目";
        let blocks = parse(text, TABLES).unwrap();
        let texts: Vec<String> = blocks
            .iter()
            .map(|b| match b {
                Block::Heading { text, .. } => text.clone(),
                other => format!("{other:?}"),
            })
            .collect();
        assert_eq!(
            texts,
            vec![
                "Title(\"标题\")",
                "一、总体情况",
                "Paragraph(\"正文。\")",
                "（一）甲",
                "1.子",
                "（二）乙",
                "二、下步",
                "（一）丙",
                "Table { name: \"lagging\", caption: \"滞后任务表\" }",
                "PageBreak",
                "Blank",
                "（1）细目",
            ]
        );
    }

    #[test]
    fn unknown_directives_and_tables_are_errors() {
        let err = parse("::table nope 表", TABLES).unwrap_err();
        assert_eq!(err.0, "::table nope");
        assert!(err.1.contains("nope"));
        assert!(parse("::frobnicate", TABLES).is_err());
        assert_eq!(line_of_directive("a\nb\n::table nope x", "::table nope"), 3);
    }

    #[test]
    fn printed_values_never_become_blocks() {
        let mut env = environment();
        env.add_template("t", "{{ a }}\n{{ b }}").unwrap();
        let out = env
            .get_template("t")
            .unwrap()
            .render(minijinja::context! { a => "# 不是标题", b => "第一行\n::pagebreak" })
            .unwrap();
        let blocks = parse(&out, TABLES).unwrap();
        assert_eq!(
            blocks,
            vec![
                Block::Paragraph("#不是标题".into()),
                Block::Paragraph("第一行::pagebreak".into()),
            ]
        );
    }
}
