//! The task registry: the pilot's tasks (part, group, text, guidance / lead / cooperating
//! units), unit names and aliases, and the lookups every later stage needs.
//!
//! The registry is data (`templates/tasks.toml`), rebuilt from the official annex by
//! [`import`]; nothing about a particular city is written in code.
//!
//! Unit names resolve through the names in the tasks, the configured aliases, and one rule:
//! the city prefix ([`Registry::with_city`]). With the city `南京市`, a name written `市X` is
//! also known as `南京市X`, `市委X` also as `南京市委X` and `中共南京市委X`, and a name with no
//! `市` prefix (`江北新区`) also as `南京市江北新区`; the rule works from either side, so an
//! alias listed in full (`南京市发展和改革委员会`) is also known as `市发展和改革委员会`.

pub mod import;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Errors while loading or importing the registry.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The file could not be read.
    #[error("无法读取任务清单 `{}`：{}", path.display(), crate::text::io::reason(error))]
    Io {
        /// The registry file.
        path: PathBuf,
        /// The I/O error (worded in Chinese in the message, so not a `source`).
        error: std::io::Error,
    },
    /// The TOML is malformed.
    #[error("任务清单 `{path}` 第{line}行有误：{message}")]
    Parse {
        /// The registry file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What the parser said.
        message: String,
    },
    /// The content is inconsistent (duplicate ids, empty lead list…).
    #[error("任务清单有误：{0}")]
    Invalid(String),
    /// The annex could not be recognised in an import source.
    #[error("无法从 `{path}` 导入任务清单：{source}")]
    Import {
        /// The source file.
        path: PathBuf,
        /// What is missing or unreadable.
        source: Box<import::ImportError>,
    },
}

/// A part of the plan (一、…五、).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// `一` … `五`
    pub number: String,
    /// The part's title.
    pub title: String,
}

impl Part {
    /// `一、推动服务业重点行业领域深化改革扩大开放`
    pub fn heading(&self) -> String {
        format!("{}、{}", self.number, self.title)
    }
}

/// A group within a part (（一）…（十七）).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// `（一）` … `（十七）`, with the full-width parentheses.
    pub number: String,
    /// The group's title.
    pub title: String,
    /// Index into [`Registry::parts`].
    pub part: usize,
}

impl Group {
    /// `（一）充分竞争性服务业`
    pub fn heading(&self) -> String {
        format!("{}{}", self.number, self.title)
    }
}

/// One pilot task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// 序号, 1-based.
    pub id: u32,
    /// Index into [`Registry::parts`].
    pub part: usize,
    /// Index into [`Registry::groups`].
    pub group: usize,
    /// The task text, verbatim.
    pub text: String,
    /// 指导单位, verbatim, in order.
    pub guidance: Vec<String>,
    /// 牵头单位, verbatim, in order; the first is the primary lead.
    pub lead: Vec<String>,
    /// 配合单位, verbatim, in order.
    pub cooperating: Vec<String>,
    /// The lead units under their registry names (aliases resolved), in order.
    #[serde(skip)]
    pub leads: Vec<String>,
}

impl Task {
    /// The primary lead unit (排在第一位的为主要牵头单位).
    pub fn primary_lead(&self) -> Option<&str> {
        self.leads.first().map(String::as_str)
    }

    /// True when `unit` (a registry name) is one of the task's lead units.
    pub fn is_led_by(&self, unit: &str) -> bool {
        self.leads.iter().any(|u| u == unit)
    }

    /// True when the task has more than one lead unit.
    pub fn is_joint(&self) -> bool {
        self.lead.len() > 1
    }
}

/// The known unit names (normalised), searched for inside a text in one pass.
#[derive(Debug, Clone, Default)]
struct UnitFinder {
    /// Aho–Corasick automaton over `keys` (`None` if it could not be built: then a scan).
    automaton: Option<aho_corasick::AhoCorasick>,
    /// The keys, in pattern order.
    keys: Vec<String>,
}

impl UnitFinder {
    fn new(keys: Vec<String>) -> UnitFinder {
        UnitFinder {
            automaton: aho_corasick::AhoCorasick::new(&keys).ok(),
            keys,
        }
    }
}

impl PartialEq for UnitFinder {
    fn eq(&self, other: &UnitFinder) -> bool {
        self.keys == other.keys
    }
}

impl Eq for UnitFinder {}

/// The task list with its unit index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registry {
    /// Parts in plan order.
    pub parts: Vec<Part>,
    /// Groups in plan order.
    pub groups: Vec<Group>,
    /// Tasks in plan order.
    pub tasks: Vec<Task>,
    /// Normalised name or alias -> unit name as written in the registry.
    unit_keys: BTreeMap<String, String>,
    /// Finds the keys of `unit_keys` inside a text.
    unit_finder: UnitFinder,
    /// Lead units that do not report themselves -> the unit that reports for them.
    delegated: BTreeMap<String, String>,
    /// Reporting unit -> positions in `tasks` of the tasks it reports on, in order.
    reported_by: HashMap<String, Vec<usize>>,
    /// The lead units expected to report, in registry order (see [`Registry::lead_units`]).
    leads: Vec<String>,
    /// The same, for membership tests.
    lead_set: HashSet<String>,
    /// SHA-256 of the registry file's bytes (empty when built in memory).
    pub digest: String,
    /// The configured aliases (kept to rebuild the unit index with a city prefix).
    aliases: BTreeMap<String, String>,
    /// The city prefix, normalised (`南京市`; empty: no prefix rule).
    city: String,
    /// Unit names without their city prefix (`边检站`), unambiguous ones only, with their
    /// unit: for file names ([`Registry::find_short_form_in`]).
    short_forms: Vec<(String, String)>,
}

/// Normalises a unit name or header for comparison: NFKC (full-width to half-width) and no
/// white space of any kind.
pub fn normalise_key(text: &str) -> String {
    nfkc(text).chars().filter(|c| !c.is_whitespace()).collect()
}

/// `text` in Unicode normalisation form KC. Text made only of ASCII, CJK ideographs, common
/// CJK punctuation and full-width ASCII forms (what reports are written in) takes a fast path:
/// borrowed when nothing changes, full-width forms mapped to ASCII otherwise; anything else goes
/// through the full decomposition and recomposition.
pub fn nfkc(text: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if text.is_ascii() {
        return text.into();
    }
    let mut widened = false;
    for c in text.chars() {
        if is_wide_ascii(c) {
            widened = true;
        } else if !is_nfkc_stable(c) {
            return text.nfkc().collect::<String>().into();
        }
    }
    if !widened {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    out.extend(text.chars().map(|c| match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        c => c,
    }));
    out.into()
}

/// The other ways `key` (normalised) is written with the city prefix `city` (`南京市`):
/// `市X` <-> `南京市X`; `市委X` <-> `南京市委X` <-> `中共南京市委X`; `X` -> `南京市X` for a name
/// with no `市` prefix and not already starting with the city's own name (`南京边检站`).
fn city_variants(key: &str, city: &str) -> Vec<String> {
    let Some(stem) = city.strip_suffix('市').filter(|s| !s.is_empty()) else {
        return Vec::new();
    };
    let party = format!("中共{city}委");
    if let Some(rest) = key.strip_prefix(party.as_str()) {
        return vec![format!("市委{rest}"), format!("{city}委{rest}")];
    }
    if let Some(rest) = key.strip_prefix(city) {
        return match rest.strip_prefix('委') {
            Some(after) => vec![format!("市委{after}"), format!("{party}{after}")],
            None => vec![format!("市{rest}")],
        };
    }
    if let Some(after) = key.strip_prefix("市委") {
        return vec![format!("{city}委{after}"), format!("{party}{after}")];
    }
    if let Some(rest) = key.strip_prefix('市') {
        return vec![format!("{city}{rest}")];
    }
    if key.starts_with(stem) || key.starts_with("中共") {
        return Vec::new();
    }
    vec![format!("{city}{key}")]
}

/// Short forms of unit names, as units write them in file names: a name without its city
/// prefix (`边检站` for 南京边检站, `生态环境局` for 市生态环境局), when at least three characters
/// long and no other unit's name has the same short form.
fn short_forms(keys: &BTreeMap<String, String>, city: &str) -> Vec<(String, String)> {
    const SHORTEST: usize = 3;
    let stem = city.strip_suffix('市').unwrap_or(city);
    let prefixes: Vec<&str> = [city, stem, "市"].into_iter().filter(|p| !p.is_empty()).collect();
    let mut units_of: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for (key, unit) in keys {
        let Some(rest) = prefixes.iter().find_map(|p| key.strip_prefix(p)) else {
            continue;
        };
        if rest.chars().count() >= SHORTEST && !rest.starts_with('委') {
            units_of.entry(rest.to_owned()).or_default().insert(unit);
        }
    }
    units_of
        .into_iter()
        .filter(|(short, units)| units.len() == 1 && !keys.contains_key(short))
        .filter_map(|(short, units)| Some((short, (*units.iter().next()?).to_owned())))
        .collect()
}

/// The ideographic space and the full-width forms of printable ASCII, whose NFKC is ASCII.
fn is_wide_ascii(c: char) -> bool {
    matches!(c, '\u{3000}' | '\u{FF01}'..='\u{FF5E}')
}

/// Characters that are their own NFKC and never combine with a neighbour.
fn is_nfkc_stable(c: char) -> bool {
    matches!(c,
        '\0'..='\u{7F}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{3001}'..='\u{3003}'
        | '\u{3008}'..='\u{3011}'
        | '\u{3014}'..='\u{301B}'
        | '\u{2010}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
        | '\u{00B7}' | '\u{25A1}' | '\u{25CB}' | '\u{25CF}' | '\u{2605}' | '\u{2606}' | '\u{203B}')
}

impl Registry {
    /// Builds a registry from parts, groups and tasks, validating it; aliases map an alternative
    /// name to a unit name that occurs in the tasks (aliases to unknown units are ignored).
    pub fn new(
        parts: Vec<Part>,
        groups: Vec<Group>,
        tasks: Vec<Task>,
        aliases: &BTreeMap<String, String>,
    ) -> Result<Registry, RegistryError> {
        let mut seen = BTreeSet::new();
        for task in &tasks {
            if !seen.insert(task.id) {
                return Err(RegistryError::Invalid(format!("任务序号{}重复", task.id)));
            }
            if task.lead.is_empty() {
                return Err(RegistryError::Invalid(format!("任务{}没有牵头单位", task.id)));
            }
            if task.part >= parts.len() || task.group >= groups.len() {
                return Err(RegistryError::Invalid(format!(
                    "任务{}的篇章或分组不存在",
                    task.id
                )));
            }
        }
        let mut registry = Registry {
            parts,
            groups,
            tasks,
            unit_keys: BTreeMap::new(),
            unit_finder: UnitFinder::default(),
            delegated: BTreeMap::new(),
            reported_by: HashMap::new(),
            leads: Vec::new(),
            lead_set: HashSet::new(),
            digest: String::new(),
            aliases: aliases.clone(),
            city: String::new(),
            short_forms: Vec::new(),
        };
        registry.index_units(aliases);
        registry.index_reporters();
        Ok(registry)
    }

    /// Declares lead units that do not report themselves (e.g. a state-owned company whose
    /// supervising bureau reports for it): they are not expected to submit, and their tasks
    /// count as led by the unit that reports for them. Unknown names are ignored.
    pub fn with_delegates(mut self, delegated: &BTreeMap<String, String>) -> Registry {
        self.delegated = delegated
            .iter()
            .filter_map(|(from, to)| {
                Some((
                    self.resolve_unit(from)?.to_owned(),
                    self.resolve_unit(to)?.to_owned(),
                ))
            })
            .collect();
        self.index_reporters();
        self
    }

    /// Rebuilds `reported_by` from the leads and the delegations.
    fn index_reporters(&mut self) {
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, task) in self.tasks.iter().enumerate() {
            for lead in &task.leads {
                for unit in std::iter::once(lead).chain(self.delegated.get(lead)) {
                    let list = index.entry(unit.clone()).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        self.reported_by = index;
        let mut seen = HashSet::new();
        self.leads = self
            .tasks
            .iter()
            .flat_map(|t| &t.leads)
            .filter(|u| !self.delegated.contains_key(*u) && seen.insert(u.as_str()))
            .cloned()
            .collect();
        self.lead_set = self.leads.iter().cloned().collect();
    }

    /// Applies the city-prefix rule (contract §4): `city` is how the city writes itself before
    /// a unit's name (`南京市`). An empty `city` turns the rule off.
    pub fn with_city(mut self, city: &str) -> Registry {
        self.city = normalise_key(city);
        let aliases = std::mem::take(&mut self.aliases);
        self.index_units(&aliases);
        self.aliases = aliases;
        self.index_reporters();
        self
    }

    fn index_units(&mut self, aliases: &BTreeMap<String, String>) {
        let mut keys = BTreeMap::new();
        for task in &self.tasks {
            for unit in task.guidance.iter().chain(&task.lead).chain(&task.cooperating) {
                keys.insert(normalise_key(unit), unit.clone());
            }
        }
        for (alias, target) in aliases {
            if let Some(unit) = keys.get(&normalise_key(target)).cloned() {
                keys.insert(normalise_key(alias), unit);
            }
        }
        let written: Vec<(String, String)> = keys.iter().map(|(k, u)| (k.clone(), u.clone())).collect();
        for (key, unit) in written {
            for variant in city_variants(&key, &self.city) {
                // A name as written (in the tasks or the aliases) wins over a variant.
                keys.entry(variant).or_insert_with(|| unit.clone());
            }
        }
        self.short_forms = short_forms(&keys, &self.city);
        for task in &mut self.tasks {
            task.leads = task
                .lead
                .iter()
                .map(|u| keys.get(&normalise_key(u)).cloned().unwrap_or_else(|| u.clone()))
                .collect();
        }
        self.unit_finder = UnitFinder::new(keys.keys().filter(|k| !k.is_empty()).cloned().collect());
        self.unit_keys = keys;
    }

    /// Loads the registry a configuration names, with its aliases, delegated units and city
    /// prefix applied: the registry every command works with.
    pub fn from_config(config: &crate::config::Config) -> Result<Registry, RegistryError> {
        Ok(Registry::load(&config.registry_path, &config.aliases)?
            .with_delegates(&config.delegated_units)
            .with_city(&config.office.city_prefix()))
    }

    /// Loads `tasks.toml` and applies the configuration's aliases.
    pub fn load(path: &Path, aliases: &BTreeMap<String, String>) -> Result<Registry, RegistryError> {
        let bytes = std::fs::read(path).map_err(|error| RegistryError::Io {
            path: path.to_owned(),
            error,
        })?;
        let text = String::from_utf8_lossy(&bytes);
        let file: import::RegistryFile = toml::from_str(&text).map_err(|e| RegistryError::Parse {
            path: path.to_owned(),
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
                .unwrap_or_default(),
            message: e.message().trim().to_owned(),
        })?;
        let mut registry = file.into_registry(aliases)?;
        registry.digest = crate::digest::sha256_hex(&bytes);
        Ok(registry)
    }

    /// The task with this id.
    pub fn task(&self, id: u32) -> Option<&Task> {
        // Ids are usually 1..=n in order; fall back to a scan otherwise.
        self.tasks
            .get((id as usize).wrapping_sub(1))
            .filter(|t| t.id == id)
            .or_else(|| self.tasks.iter().find(|t| t.id == id))
    }

    /// The part of a task.
    pub fn part_of(&self, task: &Task) -> &Part {
        &self.parts[task.part]
    }

    /// The group of a task.
    pub fn group_of(&self, task: &Task) -> &Group {
        &self.groups[task.group]
    }

    /// Every lead unit expected to report, in order of first appearance in the registry
    /// (aliases resolved; units reported for by another unit left out).
    pub fn lead_units(&self) -> Vec<&str> {
        self.leads.iter().map(String::as_str).collect()
    }

    /// True when `unit` is one of [`Registry::lead_units`].
    pub fn is_lead_unit(&self, unit: &str) -> bool {
        self.lead_set.contains(unit)
    }

    /// True when `unit` leads `task` itself or reports for a lead unit that does not report.
    pub fn reports_for(&self, unit: &str, task: &Task) -> bool {
        task.leads
            .iter()
            .any(|u| u == unit || self.delegated.get(u).is_some_and(|d| d == unit))
    }

    /// The tasks `unit` is expected to report on (as primary or joint lead, or for a lead unit
    /// that does not report itself), in registry order.
    pub fn tasks_led_by<'a>(&'a self, unit: &'a str) -> impl Iterator<Item = &'a Task> + 'a {
        let positions = self.reported_by.get(unit).map_or(&[][..], Vec::as_slice);
        positions.iter().filter_map(|&i| self.tasks.get(i))
    }

    /// The registry's name for a unit name or alias (whitespace and width insensitive).
    pub fn resolve_unit(&self, name: &str) -> Option<&str> {
        self.unit_keys.get(&normalise_key(name)).map(String::as_str)
    }

    /// The longest known unit name or alias contained in `text`, resolved.
    pub fn find_unit_in(&self, text: &str) -> Option<&str> {
        let key = normalise_key(text);
        // Longest first; among keys as long, the last in key order.
        let longest = |a: &&str, b: &&str| a.chars().count().cmp(&b.chars().count()).then(a.cmp(b));
        let found = match &self.unit_finder.automaton {
            Some(automaton) => automaton
                .find_overlapping_iter(&key)
                .filter_map(|m| self.unit_finder.keys.get(m.pattern().as_usize()))
                .map(String::as_str)
                .max_by(longest),
            None => self
                .unit_finder
                .keys
                .iter()
                .map(String::as_str)
                .filter(|k| key.contains(k))
                .max_by(longest),
        };
        found.and_then(|k| self.unit_keys.get(k)).map(String::as_str)
    }

    /// The unit whose short form (its name without the city prefix, at least three
    /// characters, no other unit's) `text` contains — the longest — unless a place prefix
    /// (`苏州市`, `省`) stands right before it: a file name `边检站二季度报告` names 南京边检站.
    /// Weaker than [`Registry::find_unit_in`], which the caller tries first.
    pub fn find_short_form_in(&self, text: &str) -> Option<&str> {
        let key = normalise_key(text);
        self.short_forms
            .iter()
            .filter(|(short, _)| {
                key.match_indices(short.as_str()).any(|(at, _)| {
                    !key[..at]
                        .chars()
                        .next_back()
                        .is_some_and(|c| matches!(c, '市' | '省' | '县' | '区' | '州'))
                })
            })
            .max_by_key(|(short, _)| short.chars().count())
            .map(|(_, unit)| unit.as_str())
    }

    /// The distinct units named in `text`, each by a match no longer match contains, ordered by
    /// where their last match ends (a unit named last comes last). `雨花台区软件谷管委会` names
    /// 雨花台区 and then 软件谷; `南京市金融局` names 市金融局 once.
    pub fn units_in(&self, text: &str) -> Vec<&str> {
        let key = normalise_key(text);
        let matches: Vec<(usize, usize, &str)> = match &self.unit_finder.automaton {
            Some(automaton) => automaton
                .find_overlapping_iter(&key)
                .filter_map(|m| {
                    let k = self.unit_finder.keys.get(m.pattern().as_usize())?;
                    Some((m.start(), m.end(), k.as_str()))
                })
                .collect(),
            None => self
                .unit_finder
                .keys
                .iter()
                .filter(|k| !k.is_empty())
                .flat_map(|k| {
                    key.match_indices(k.as_str())
                        .map(move |(i, _)| (i, i + k.len(), k.as_str()))
                })
                .collect(),
        };
        let mut found: Vec<(usize, &str)> = Vec::new();
        for &(start, end, k) in &matches {
            let inside_longer = matches
                .iter()
                .any(|&(s, e, _)| s <= start && e >= end && e - s > end - start);
            let Some(unit) = self.unit_keys.get(k).map(String::as_str) else {
                continue;
            };
            if inside_longer {
                continue;
            }
            match found.iter_mut().find(|(_, u)| *u == unit) {
                Some(seen) => seen.0 = seen.0.max(end),
                None => found.push((end, unit)),
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(b.1)));
        found.into_iter().map(|(_, unit)| unit).collect()
    }

    /// The known lead unit closest to `name`, for a suggestion.
    pub fn nearest_unit(&self, name: &str) -> Option<&str> {
        let key = normalise_key(name);
        self.lead_units()
            .into_iter()
            .map(|u| (strsim::normalized_levenshtein(&key, &normalise_key(u)), u))
            .filter(|(score, _)| *score > 0.3)
            .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .map(|(_, u)| u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_nfkc_equals_full_nfkc() {
        use unicode_normalization::UnicodeNormalization;
        let singles = (0u32..0x1_0000)
            .filter_map(char::from_u32)
            .filter(|&c| is_nfkc_stable(c) || is_wide_ascii(c) || c == '\u{2026}' || c == '\u{0301}');
        for c in singles {
            for text in [
                format!("{c}"),
                format!("任务{c}"),
                format!("{c}\u{0301}"),
                format!("e{c}A"),
            ] {
                let full: String = text.nfkc().collect();
                assert_eq!(nfkc(&text), full, "{:?}", text);
            }
        }
        assert!(matches!(
            nfkc("推进“一网通办”（试点）。"),
            std::borrow::Cow::Owned(_)
        ));
        assert!(matches!(
            nfkc("推进“一网通办”、试点。"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert_eq!(nfkc("（１）ＡＢ　c"), "(1)AB c");
    }

    fn small() -> Registry {
        let parts = vec![Part {
            number: "一".into(),
            title: "甲".into(),
        }];
        let groups = vec![Group {
            number: "（一）".into(),
            title: "乙".into(),
            part: 0,
        }];
        let task = |id: u32, lead: &[&str]| Task {
            id,
            part: 0,
            group: 0,
            text: format!("任务{id}"),
            guidance: vec![],
            lead: lead.iter().map(|s| s.to_string()).collect(),
            cooperating: vec!["市财政局".into()],
            leads: vec![],
        };
        let aliases = BTreeMap::from([("市场监管局".to_string(), "市市场监管局".to_string())]);
        Registry::new(
            parts,
            groups,
            vec![
                task(1, &["市市场监管局", "市金融局"]),
                task(2, &["南京通管办（联系省通管局）"]),
            ],
            &aliases,
        )
        .unwrap()
    }

    #[test]
    fn resolves_aliases_and_width() {
        let r = small();
        assert_eq!(r.resolve_unit("市场监管局"), Some("市市场监管局"));
        assert_eq!(
            r.resolve_unit("南京通管办(联系省通管局)"),
            Some("南京通管办（联系省通管局）")
        );
        assert_eq!(r.resolve_unit(" 市金融局 "), Some("市金融局"));
        assert_eq!(r.resolve_unit("市统计局"), None);
    }

    #[test]
    fn finds_the_longest_unit_in_a_file_name() {
        let r = small();
        assert_eq!(
            r.find_unit_in("附件1 市市场监管局任务推进情况表"),
            Some("市市场监管局")
        );
        assert_eq!(
            r.find_unit_in("2024Q1_南京通管办（联系省通管局）_进展表"),
            Some("南京通管办（联系省通管局）")
        );
        assert_eq!(r.find_unit_in("说明"), None);
    }

    #[test]
    fn lead_units_and_primary_lead() {
        let r = small();
        assert_eq!(
            r.lead_units(),
            vec!["市市场监管局", "市金融局", "南京通管办（联系省通管局）"]
        );
        assert_eq!(r.task(1).unwrap().primary_lead(), Some("市市场监管局"));
        assert!(r.task(1).unwrap().is_joint());
        assert_eq!(r.tasks_led_by("市金融局").count(), 1);
        assert_eq!(r.nearest_unit("市金融办"), Some("市金融局"));
    }

    #[test]
    fn aliases_in_the_annex_resolve_to_one_unit() {
        let mut r = small();
        r.tasks[1].lead = vec!["市场监管局".into()];
        let r = Registry::new(
            r.parts,
            r.groups,
            r.tasks,
            &BTreeMap::from([("市场监管局".into(), "市市场监管局".into())]),
        )
        .unwrap();
        assert_eq!(r.lead_units(), vec!["市市场监管局", "市金融局"]);
        assert!(r.task(2).unwrap().is_led_by("市市场监管局"));
    }

    #[test]
    fn delegated_units_are_not_expected_to_report() {
        let r = small().with_delegates(&BTreeMap::from([(
            "市金融局".into(),
            "南京通管办（联系省通管局）".into(),
        )]));
        assert_eq!(r.lead_units(), vec!["市市场监管局", "南京通管办（联系省通管局）"]);
        assert_eq!(r.tasks_led_by("南京通管办（联系省通管局）").count(), 2);
        for unit in [
            "市市场监管局",
            "市金融局",
            "南京通管办（联系省通管局）",
            "市财政局",
            "无此单位",
        ] {
            let indexed: Vec<u32> = r.tasks_led_by(unit).map(|t| t.id).collect();
            let scanned: Vec<u32> = r
                .tasks
                .iter()
                .filter(|t| r.reports_for(unit, t))
                .map(|t| t.id)
                .collect();
            assert_eq!(indexed, scanned, "{unit}");
        }
    }

    #[test]
    fn unit_search_finds_the_longest_name_as_a_scan_would() {
        let r = small();
        let scan = |text: &str| {
            let key = normalise_key(text);
            r.unit_keys
                .iter()
                .filter(|(k, _)| !k.is_empty() && key.contains(k.as_str()))
                .max_by_key(|(k, _)| k.chars().count())
                .map(|(_, unit)| unit.as_str())
        };
        for text in [
            "关于市市场监管局试点任务推进情况的报告",
            "市场监管局 进展表",
            "市金融局与市市场监管局联合报送",
            "南京通管办（联系省通管局）",
            "市　金融局",
            "无关文字",
            "",
        ] {
            assert_eq!(r.find_unit_in(text), scan(text), "{text}");
        }
        assert_eq!(r.find_unit_in("市场监管局进展表"), Some("市市场监管局"));
    }

    #[test]
    fn units_in_a_name_are_listed_by_where_they_end() {
        let r = small().with_city("南京市");
        assert_eq!(r.units_in("南京市金融局"), vec!["市金融局"]);
        assert_eq!(
            r.units_in("市金融局市场监管局联合"),
            vec!["市金融局", "市市场监管局"]
        );
        assert_eq!(
            r.units_in("市场监管局与市金融局"),
            vec!["市市场监管局", "市金融局"]
        );
        assert!(r.units_in("无关文字").is_empty());
    }

    #[test]
    fn the_city_prefix_is_a_rule_from_either_side() {
        let r = small().with_city("南京市");
        let cases = [
            ("南京市市场监管局", Some("市市场监管局")),
            ("南京市场监管局", Some("市市场监管局")),
            ("南京市金融局", Some("市金融局")),
            ("南京市 金融局", Some("市金融局")),
            ("南京南京通管办(联系省通管局)", None),
            ("苏州市金融局", None),
            ("金融局", None),
        ];
        for (name, unit) in cases {
            assert_eq!(r.resolve_unit(name), unit, "{name}");
        }
        assert_eq!(small().resolve_unit("南京市金融局"), None);
        assert_eq!(r.find_unit_in("南京市金融局关于试点任务的报告"), Some("市金融局"));
    }

    #[test]
    fn city_variants_cover_party_and_plain_names() {
        let v = |key: &str| city_variants(key, "南京市");
        assert_eq!(v("市委宣传部"), ["南京市委宣传部", "中共南京市委宣传部"]);
        assert_eq!(v("中共南京市委宣传部"), ["市委宣传部", "南京市委宣传部"]);
        assert_eq!(v("南京市委宣传部"), ["市委宣传部", "中共南京市委宣传部"]);
        assert_eq!(v("南京市发展和改革委员会"), ["市发展和改革委员会"]);
        assert_eq!(v("市发改委"), ["南京市发改委"]);
        assert_eq!(v("江北新区"), ["南京市江北新区"]);
        assert!(v("南京边检站").is_empty());
        assert!(city_variants("市发改委", "").is_empty());
    }

    #[test]
    fn short_names_without_the_city_prefix_name_their_unit_when_unambiguous() {
        let config = crate::config::Config::load(Path::new("templates/roundup.toml")).unwrap();
        let r = Registry::from_config(&config).unwrap();
        assert_eq!(r.find_short_form_in("边检站二季度报告"), Some("南京边检站"));
        assert_eq!(r.find_short_form_in("生态环境局二季度报告"), Some("市生态环境局"));
        assert_eq!(r.find_short_form_in("苏州市生态环境局二季度报告"), None);
        assert_eq!(r.find_short_form_in("二季度报告"), None);
        // Not names in content: a short form is only a file name's weak evidence.
        assert_eq!(r.resolve_unit("边检站"), None);
        // Shorter than three characters, or shared by two units: not a name.
        let keys = BTreeMap::from([
            ("南京甲乙".to_owned(), "甲乙".to_owned()),
            ("市数据局".to_owned(), "市数据局".to_owned()),
            ("南京数据局".to_owned(), "南京数据局".to_owned()),
            ("南京边检站".to_owned(), "南京边检站".to_owned()),
            ("市委宣传部".to_owned(), "市委宣传部".to_owned()),
        ]);
        assert_eq!(
            short_forms(&keys, "南京市"),
            vec![("边检站".to_owned(), "南京边检站".to_owned())]
        );
    }

    #[test]
    fn names_as_written_win_over_variants() {
        let aliases = BTreeMap::from([("南京市金融局".to_string(), "市市场监管局".to_string())]);
        let r = small();
        let r = Registry::new(r.parts, r.groups, r.tasks, &aliases)
            .unwrap()
            .with_city("南京市");
        assert_eq!(r.resolve_unit("南京市金融局"), Some("市市场监管局"));
        assert_eq!(r.resolve_unit("市金融局"), Some("市金融局"));
    }

    #[test]
    fn every_lead_unit_has_its_official_name_in_the_shipped_aliases() {
        let config = crate::config::Config::load(Path::new("templates/roundup.toml")).unwrap();
        let r = Registry::from_config(&config).unwrap();
        for (full, unit) in [
            ("南京市发展和改革委员会", "市发改委"),
            ("市发展和改革委员会", "市发改委"),
            ("南京市市场监督管理局", "市市场监管局"),
            ("中国人民银行南京分行营业管理部", "人行南京营管部"),
            ("中共南京市委网络安全和信息化委员会办公室", "市委网信办"),
            ("南京市委网络安全和信息化委员会办公室", "市委网信办"),
            ("南京市人民政府外事办公室", "市外办"),
            ("南京市江北新区", "江北新区"),
        ] {
            assert_eq!(r.resolve_unit(full), Some(unit), "{full}");
        }
        let named: BTreeSet<&str> = config
            .aliases
            .values()
            .filter_map(|target| r.resolve_unit(target))
            .collect();
        let unnamed: Vec<&str> = r
            .lead_units()
            .into_iter()
            .filter(|u| !named.contains(u))
            .collect();
        assert!(unnamed.is_empty(), "no official name in [aliases]: {unnamed:?}");
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let r = small();
        let mut tasks = r.tasks.clone();
        tasks[1].id = 1;
        let err = Registry::new(r.parts, r.groups, tasks, &BTreeMap::new()).unwrap_err();
        assert!(err.to_string().contains("重复"));
    }
}
