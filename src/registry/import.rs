//! Importing the annex (任务分工) into a registry, and the `tasks.toml` file layout.
//!
//! The annex is a table with the columns 序号 / 试点任务 / 指导单位 / 牵头单位 / 配合单位,
//! interleaved with one-cell rows naming parts (`一、…`) and groups (`（一）…`). It arrives as
//! the plan's plain text (cells on tab-indented lines, rows separated by blank lines), as a
//! Word table or as a spreadsheet; every source is reduced to rows of cell texts first.

use super::{Group, Part, Registry, RegistryError, Task};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// `tasks.toml`: parts containing groups containing tasks, as an office would edit it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryFile {
    /// Parts in plan order.
    pub parts: Vec<PartEntry>,
}

/// One part in `tasks.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartEntry {
    /// `一` … `五`
    pub number: String,
    /// Title.
    pub title: String,
    /// Groups of this part.
    pub groups: Vec<GroupEntry>,
}

/// One group in `tasks.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupEntry {
    /// `（一）` …
    pub number: String,
    /// Title.
    pub title: String,
    /// Tasks of this group.
    pub tasks: Vec<TaskEntry>,
}

/// One task in `tasks.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskEntry {
    /// 序号
    pub id: u32,
    /// 试点任务
    pub text: String,
    /// 指导单位
    #[serde(default)]
    pub guidance: Vec<String>,
    /// 牵头单位
    pub lead: Vec<String>,
    /// 配合单位
    #[serde(default)]
    pub cooperating: Vec<String>,
}

impl RegistryFile {
    /// Flattens the file into a validated registry.
    pub fn into_registry(self, aliases: &BTreeMap<String, String>) -> Result<Registry, RegistryError> {
        let (mut parts, mut groups, mut tasks) = (Vec::new(), Vec::new(), Vec::new());
        for part in self.parts {
            let part_index = parts.len();
            parts.push(Part {
                number: part.number,
                title: part.title,
            });
            for group in part.groups {
                let group_index = groups.len();
                groups.push(Group {
                    number: group.number,
                    title: group.title,
                    part: part_index,
                });
                tasks.extend(group.tasks.into_iter().map(|t| Task {
                    id: t.id,
                    part: part_index,
                    group: group_index,
                    text: t.text,
                    guidance: t.guidance,
                    lead: t.lead,
                    cooperating: t.cooperating,
                    leads: Vec::new(),
                }));
            }
        }
        Registry::new(parts, groups, tasks, aliases)
    }

    /// The file layout of a registry.
    pub fn from_registry(registry: &Registry) -> RegistryFile {
        let mut parts: Vec<PartEntry> = registry
            .parts
            .iter()
            .map(|p| PartEntry {
                number: p.number.clone(),
                title: p.title.clone(),
                groups: Vec::new(),
            })
            .collect();
        let mut group_slots = Vec::new();
        for group in &registry.groups {
            let groups = &mut parts[group.part].groups;
            group_slots.push((group.part, groups.len()));
            groups.push(GroupEntry {
                number: group.number.clone(),
                title: group.title.clone(),
                tasks: Vec::new(),
            });
        }
        for task in &registry.tasks {
            let (p, g) = group_slots[task.group];
            parts[p].groups[g].tasks.push(TaskEntry {
                id: task.id,
                text: task.text.clone(),
                guidance: task.guidance.clone(),
                lead: task.lead.clone(),
                cooperating: task.cooperating.clone(),
            });
        }
        RegistryFile { parts }
    }

    /// Serialises to TOML with a header comment.
    pub fn to_toml(&self) -> Result<String, RegistryError> {
        let body = toml::to_string(self).map_err(|e| RegistryError::Invalid(e.to_string()))?;
        Ok(format!(
            "# 任务清单（由 `roundup tasks import` 从方案附件生成；可直接编辑）\n\
             # 每项任务：序号 id、试点任务 text、指导单位 guidance、牵头单位 lead（第一个为主要牵头单位）、配合单位 cooperating\n\n{body}"
        ))
    }
}

static PART_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([一二三四五六七八九十]+)、\s*(.+)$").expect("valid regex"));
static GROUP_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[（(]([一二三四五六七八九十]+)[)）]\s*(.+)$").expect("valid regex"));

/// Why an annex could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// No row names both 序号 and 试点任务.
    #[error("找不到包含“序号”和“试点任务”的表头")]
    NoHeader,
    /// A required column is missing.
    #[error("缺少“{0}”列")]
    MissingColumn(&'static str),
    /// The header is there but no task row follows.
    #[error("表格中没有任务行")]
    NoTasks,
    /// The tasks read are inconsistent.
    #[error(transparent)]
    Registry(#[from] RegistryError),
}

/// Splits a unit cell on `、` (and `，` / `,` which some annexes use), keeping names verbatim.
pub fn split_units(cell: &str) -> Vec<String> {
    cell.split(['、', '，', ','])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Builds a registry from annex rows: a header row containing 序号 and 试点任务, then part rows,
/// group rows and task rows (序号, 试点任务, 指导单位, 牵头单位, 配合单位 in header order).
pub fn import_rows(
    rows: &[Vec<String>],
    aliases: &BTreeMap<String, String>,
) -> Result<Registry, ImportError> {
    let header_at = rows
        .iter()
        .position(|r| r.iter().any(|c| c.trim() == "序号") && r.iter().any(|c| c.contains("试点任务")))
        .ok_or(ImportError::NoHeader)?;
    let header = &rows[header_at];
    let column = |name: &str| header.iter().position(|c| c.trim().contains(name));
    let id_col = column("序号").ok_or(ImportError::MissingColumn("序号"))?;
    let text_col = column("试点任务").ok_or(ImportError::MissingColumn("试点任务"))?;
    let lead_col = column("牵头单位").ok_or(ImportError::MissingColumn("牵头单位"))?;
    let guidance_col = column("指导单位");
    let coop_col = column("配合单位");
    let cell = |row: &Vec<String>, col: Option<usize>| {
        col.and_then(|c| row.get(c))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };

    let (mut parts, mut groups, mut tasks) = (Vec::<Part>::new(), Vec::<Group>::new(), Vec::new());
    for row in &rows[header_at + 1..] {
        let filled: Vec<&str> = row.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
        let id = cell(row, Some(id_col));
        if let Ok(id) = id.parse::<u32>() {
            if parts.is_empty() {
                parts.push(Part {
                    number: "一".into(),
                    title: String::new(),
                });
            }
            if groups.is_empty() {
                groups.push(Group {
                    number: String::new(),
                    title: String::new(),
                    part: parts.len() - 1,
                });
            }
            tasks.push(Task {
                id,
                part: parts.len() - 1,
                group: groups.len() - 1,
                text: cell(row, Some(text_col)),
                guidance: split_units(&cell(row, guidance_col)),
                lead: split_units(&cell(row, Some(lead_col))),
                cooperating: split_units(&cell(row, coop_col)),
                leads: Vec::new(),
            });
            continue;
        }
        // A heading row has one distinct non-empty text (merged cells repeat it).
        let Some(first) = filled.first() else {
            continue;
        };
        if filled.iter().any(|c| c != first) {
            continue;
        }
        if let Some(m) = PART_RE.captures(first) {
            parts.push(Part {
                number: m[1].to_owned(),
                title: m[2].trim().to_owned(),
            });
        } else if let Some(m) = GROUP_RE.captures(first) {
            if parts.is_empty() {
                parts.push(Part {
                    number: "一".into(),
                    title: String::new(),
                });
            }
            groups.push(Group {
                number: format!("（{}）", &m[1]),
                title: m[2].trim().to_owned(),
                part: parts.len() - 1,
            });
        }
    }
    if tasks.is_empty() {
        return Err(ImportError::NoTasks);
    }
    Ok(Registry::new(parts, groups, tasks, aliases)?)
}

/// Reduces the plan's plain text to annex rows: from the line `序号` on, each run of non-blank
/// or tab-indented lines is one row, each line one cell (a line holding only a tab is an empty
/// cell).
pub fn text_rows(text: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.trim() == "序号").unwrap_or(0);
    let mut rows = Vec::new();
    let mut current = Vec::new();
    for line in &lines[start..] {
        let is_cell = line.starts_with('\t') || !line.trim().is_empty();
        if is_cell {
            current.push(line.trim().to_owned());
        } else if !current.is_empty() {
            rows.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        rows.push(current);
    }
    rows
}

/// Imports the annex from the plan's plain text.
pub fn import_text(text: &str, aliases: &BTreeMap<String, String>) -> Result<Registry, ImportError> {
    import_rows(&text_rows(text), aliases)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = "../shared/seed/nanjing-service-pilot-plan.txt";

    fn seed_registry() -> Option<Registry> {
        let text = std::fs::read_to_string(SEED).ok()?;
        Some(import_text(&text, &BTreeMap::new()).expect("seed imports"))
    }

    #[test]
    fn seed_has_104_tasks_in_5_parts_and_17_groups() {
        let Some(r) = seed_registry() else {
            eprintln!("skipped: {SEED} not present");
            return;
        };
        assert_eq!(r.tasks.len(), 104);
        assert_eq!(r.parts.len(), 5);
        assert_eq!(r.groups.len(), 17);
        assert_eq!(r.lead_units().len(), 36);
        let r = r.with_delegates(&BTreeMap::from([("市大数据集团".into(), "市大数据局".into())]));
        assert_eq!(r.lead_units().len(), 35);
        assert!(r.tasks.iter().enumerate().all(|(i, t)| t.id as usize == i + 1));
        assert!(r.task(100).unwrap().guidance.is_empty());
        assert_eq!(r.task(8).unwrap().cooperating, Vec::<String>::new());
        assert_eq!(r.groups[16].number, "（十七）");
        assert_eq!(r.part_of(r.task(104).unwrap()).number, "五");
    }

    #[test]
    fn units_with_parentheses_are_one_unit() {
        let Some(r) = seed_registry() else { return };
        let all: Vec<&String> = r
            .tasks
            .iter()
            .flat_map(|t| t.lead.iter().chain(&t.cooperating))
            .collect();
        assert!(all.iter().any(|u| *u == "南京通管办（联系省通管局）"));
        assert!(all.iter().any(|u| *u == "市委组织部（市委人才办）"));
    }

    #[test]
    fn toml_round_trips() {
        let Some(r) = seed_registry() else { return };
        let text = RegistryFile::from_registry(&r).to_toml().unwrap();
        let file: RegistryFile = toml::from_str(&text).unwrap();
        let back = file.into_registry(&BTreeMap::new()).unwrap();
        assert_eq!(back.tasks, r.tasks);
        assert_eq!(back.groups, r.groups);
    }

    #[test]
    fn shipped_registry_equals_a_fresh_import_of_the_seed() {
        let Some(r) = seed_registry() else { return };
        let shipped = std::fs::read_to_string("templates/tasks.toml").expect("templates/tasks.toml");
        let fresh = RegistryFile::from_registry(&r).to_toml().unwrap();
        assert!(
            shipped == fresh,
            "templates/tasks.toml differs from `roundup tasks import` of the seed"
        );
    }

    #[test]
    fn rows_with_merged_heading_cells_import() {
        let row = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let rows = vec![
            row(&["序号", "试点任务", "指导单位", "牵头单位", "配合单位"]),
            row(&["一、总体", "一、总体", "一、总体", "一、总体", "一、总体"]),
            row(&["(一)分组", "", "", "", ""]),
            row(&["1", "做事", "", "市甲局、市乙局", ""]),
        ];
        let r = import_rows(&rows, &BTreeMap::new()).unwrap();
        assert_eq!(r.groups[0].number, "（一）");
        assert_eq!(r.tasks[0].lead, vec!["市甲局", "市乙局"]);
        assert!(r.tasks[0].guidance.is_empty());
    }
}
