//! Discovery: the sorted list of inbox files to read, and the ones skipped silently (office
//! lock files, hidden files, OS junk) or because they are not regular files inside the inbox.
//! Folders and files the caller excludes (other rounds' folders, an outbox that lies inside
//! the inbox and the outputs roundup wrote there) are neither read nor listed.

use std::io;
use std::path::{Path, PathBuf};

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Path relative to the inbox with `/` separators (lossy for non-UTF-8 names).
    pub rel: String,
    /// The file's path.
    pub path: PathBuf,
}

/// Why an inbox entry is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// `~$x.xlsx`, `.~lock.x#`: an editor's lock file.
    LockFile,
    /// A hidden file (dot file, or hidden attribute on Windows).
    Hidden,
    /// `Thumbs.db`, `desktop.ini`, `.DS_Store`.
    SystemFile,
    /// A symbolic link that leads outside the inbox, or is broken.
    OutsideLink,
    /// Not a regular file (device, socket…).
    NotAFile,
}

impl SkipReason {
    /// Chinese description.
    pub fn label(self) -> &'static str {
        match self {
            SkipReason::LockFile => "Office 临时锁定文件",
            SkipReason::Hidden => "隐藏文件",
            SkipReason::SystemFile => "系统文件",
            SkipReason::OutsideLink => "指向收件箱以外的链接",
            SkipReason::NotAFile => "不是普通文件",
        }
    }

    /// True when the skip is silent (junk), false when it deserves a diagnostic.
    pub fn is_silent(self) -> bool {
        matches!(
            self,
            SkipReason::LockFile | SkipReason::Hidden | SkipReason::SystemFile
        )
    }
}

/// The result of walking the inbox.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to read, sorted by relative path.
    pub candidates: Vec<Candidate>,
    /// Entries not read, sorted by relative path.
    pub skipped: Vec<(Candidate, SkipReason)>,
}

/// What a walk of the inbox leaves out without a word.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exclusions {
    /// Folder names not entered, at any depth (other rounds' folders).
    pub dir_names: Vec<String>,
    /// Canonical paths of folders not entered and files not read (an outbox inside the
    /// inbox, the outputs of an earlier run).
    pub paths: Vec<PathBuf>,
}

impl Exclusions {
    fn skips_dir(&self, name: &str) -> bool {
        self.dir_names.iter().any(|d| d == name)
    }

    fn skips_path(&self, path: &Path) -> bool {
        !self.paths.is_empty() && path.canonicalize().is_ok_and(|p| self.paths.contains(&p))
    }
}

/// Walks `inbox` recursively (sub-folders listed in `exclude_dirs`, such as other rounds'
/// folders, are not entered). Nothing is opened or modified.
pub fn discover(inbox: &Path, exclude_dirs: &[&str]) -> io::Result<Discovery> {
    let exclusions = Exclusions {
        dir_names: exclude_dirs.iter().map(|d| (*d).to_owned()).collect(),
        paths: Vec::new(),
    };
    discover_excluding(inbox, &exclusions)
}

/// Walks `inbox` recursively, leaving out what `exclusions` names.
pub fn discover_excluding(inbox: &Path, exclusions: &Exclusions) -> io::Result<Discovery> {
    let root = inbox.canonicalize()?;
    let mut out = Discovery::default();
    walk(&root, &root, "", exclusions, &mut out)?;
    out.candidates.sort();
    out.skipped.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// The parts of `outbox` that lie inside `inbox` and must never be read as input: the whole
/// outbox when it is a folder inside the inbox; when it is the inbox itself, its `logs` folder
/// and, in each folder of `round_ids`, the files an earlier run listed in its `manifest.json`
/// (and the manifest itself). Canonical paths; empty when the outbox lies elsewhere.
pub fn outbox_exclusions(inbox: &Path, outbox: &Path, round_ids: &[&str]) -> Vec<PathBuf> {
    let (Ok(inbox), Ok(outbox)) = (inbox.canonicalize(), outbox.canonicalize()) else {
        return Vec::new();
    };
    if !outbox.starts_with(&inbox) {
        return Vec::new();
    }
    if outbox != inbox {
        return vec![outbox];
    }
    let mut paths: Vec<PathBuf> = vec![outbox.join("logs")];
    paths.extend(write_stage_entries(&outbox));
    for id in round_ids {
        paths.extend(earlier_outputs(&outbox.join(id)));
    }
    paths.into_iter().filter_map(|p| p.canonicalize().ok()).collect()
}

/// The write stage's own entries in an outbox: locks and staging (`.roundup-…`,
/// `.roundup.lock`).
fn write_stage_entries(outbox: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(outbox) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.starts_with(".roundup-") || name == ".roundup.lock"
        })
        .map(|e| e.path())
        .collect()
}

/// `manifest.json` and every output it lists, in a folder where roundup wrote a round.
fn earlier_outputs(dir: &Path) -> Vec<PathBuf> {
    let manifest = dir.join("manifest.json");
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    let is_ours = value
        .get("tool")
        .and_then(|t| t.as_str())
        .is_some_and(|t| t.starts_with("roundup"));
    if !is_ours {
        return Vec::new();
    }
    let names = value
        .get("outputs")
        .and_then(|o| o.as_array())
        .into_iter()
        .flatten();
    let listed = names
        .filter_map(|o| o.get("name").and_then(|n| n.as_str()))
        .filter(|n| !n.contains("..") && !n.starts_with('/'))
        .map(|n| dir.join(n));
    std::iter::once(manifest).chain(listed).collect()
}

fn walk(root: &Path, dir: &Path, prefix: &str, exclude: &Exclusions, out: &mut Discovery) -> io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let candidate = Candidate {
            rel: rel.clone(),
            path: entry.path(),
        };
        if exclude.skips_path(&entry.path()) {
            continue;
        }
        if let Some(reason) = junk_reason(&name, &entry.path()) {
            out.skipped.push((candidate, reason));
            continue;
        }
        let Ok(meta) = std::fs::metadata(entry.path()) else {
            out.skipped.push((candidate, SkipReason::OutsideLink));
            continue;
        };
        let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
        if is_link && !entry.path().canonicalize().is_ok_and(|p| p.starts_with(root)) {
            out.skipped.push((candidate, SkipReason::OutsideLink));
            continue;
        }
        if meta.is_dir() {
            if !is_link && !exclude.skips_dir(&name) {
                walk(root, &entry.path(), &rel, exclude, out)?;
            }
        } else if meta.is_file() {
            out.candidates.push(candidate);
        } else {
            out.skipped.push((candidate, SkipReason::NotAFile));
        }
    }
    Ok(())
}

fn junk_reason(name: &str, path: &Path) -> Option<SkipReason> {
    let lower = name.to_lowercase();
    if lower.starts_with("~$") || lower.starts_with(".~lock") || lower.starts_with("~wrl") {
        return Some(SkipReason::LockFile);
    }
    if matches!(
        lower.as_str(),
        "thumbs.db" | "desktop.ini" | ".ds_store" | "ehthumbs.db"
    ) {
        return Some(SkipReason::SystemFile);
    }
    if name.starts_with('.') || is_hidden_attribute(path) {
        return Some(SkipReason::Hidden);
    }
    None
}

#[cfg(windows)]
fn is_hidden_attribute(path: &Path) -> bool {
    use std::os::windows::fs::MetadataExt;
    const FILE_ATTRIBUTE_HIDDEN: u32 = 0x2;
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_attributes() & FILE_ATTRIBUTE_HIDDEN != 0)
}

#[cfg(not(windows))]
fn is_hidden_attribute(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skips_junk_and_sorts() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "b.xlsx",
            "a.docx",
            "~$a.xlsx",
            "Thumbs.db",
            ".DS_Store",
            ".hidden.xlsx",
        ] {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        std::fs::create_dir(dir.path().join("2024Q1")).unwrap();
        std::fs::write(dir.path().join("2024Q1/c.xlsx"), b"x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/d.xlsx"), b"x").unwrap();
        let d = discover(dir.path(), &["2024Q1"]).unwrap();
        let names: Vec<&str> = d.candidates.iter().map(|c| c.rel.as_str()).collect();
        assert_eq!(names, vec!["a.docx", "b.xlsx", "sub/d.xlsx"]);
        assert_eq!(d.skipped.len(), 4);
        assert!(d.skipped.iter().all(|(_, r)| r.is_silent()));
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_inbox_are_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.xlsx"), b"x").unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.xlsx"), dir.path().join("link.xlsx")).unwrap();
        let d = discover(dir.path(), &[]).unwrap();
        assert!(d.candidates.is_empty());
        assert_eq!(d.skipped[0].1, SkipReason::OutsideLink);
    }
}
