//! Discovery: the sorted list of inbox files to read, and the ones skipped silently (office
//! lock files, hidden files, OS junk) or because they are not regular files inside the inbox.
//! Folders and files the caller excludes (other rounds' folders, an outbox that lies inside
//! the inbox and the outputs roundup wrote there) are neither read nor listed.

use std::io;
use std::path::{Path, PathBuf};

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Path relative to the inbox with `/` separators, as displayed: non-UTF-8 names are
    /// decoded as GB18030 when valid, and made unique within the inbox.
    pub rel: String,
    /// The file's real path (raw name bytes), the only one used to open it.
    pub path: PathBuf,
    /// Device and inode seen at discovery; the file opened must still be this one.
    pub id: Option<FileId>,
}

impl Candidate {
    /// A candidate for `path` (a file named by the user: a link is resolved now, since the
    /// file is opened without following links), displayed as `rel`, with the identity of
    /// what `path` is now.
    pub fn new(rel: String, path: PathBuf) -> Candidate {
        let path = path.canonicalize().unwrap_or(path);
        let id = std::fs::metadata(&path).ok().and_then(|m| FileId::of(&m));
        Candidate { rel, path, id }
    }
}

/// A file's identity on the file system (device and inode on Unix).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId {
    /// Device number.
    pub dev: u64,
    /// Inode number.
    pub ino: u64,
}

impl FileId {
    /// The identity in `meta` (Unix only; `None` elsewhere).
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        Some(FileId {
            dev: meta.dev(),
            ino: meta.ino(),
        })
    }

    /// The identity in `meta` (Unix only; `None` elsewhere).
    #[cfg(not(unix))]
    pub fn of(_meta: &std::fs::Metadata) -> Option<FileId> {
        None
    }
}

/// A file name for display: UTF-8 as is; other bytes decoded as GB18030 (names copied from
/// Chinese Windows) when they are valid GB18030, else lossily.
pub fn display_name(name: &std::ffi::OsStr) -> String {
    if let Some(text) = name.to_str() {
        return text.to_owned();
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(name.as_bytes());
        if !had_errors {
            return text.into_owned();
        }
    }
    name.to_string_lossy().into_owned()
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
    /// A symbolic link to a folder (not entered).
    FolderLink,
    /// A folder that cannot be listed (permissions, I/O error).
    UnreadableFolder,
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
            SkipReason::FolderLink => "指向文件夹的链接（不进入）",
            SkipReason::UnreadableFolder => "无法读取的文件夹",
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
    let entries = list(&root)?;
    walk(&root, entries, "", exclusions, &mut out);
    out.candidates.sort();
    out.skipped.sort_by(|a, b| a.0.cmp(&b.0));
    unique_names(&mut out);
    pause_for_tests();
    Ok(out)
}

/// Waits `ROUNDUP_TEST_PAUSE_AFTER_DISCOVERY_MS` milliseconds when set, so that a test can
/// swap files between discovery and reading. Does nothing otherwise.
fn pause_for_tests() {
    let ms = std::env::var("ROUNDUP_TEST_PAUSE_AFTER_DISCOVERY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(ms) = ms {
        std::thread::sleep(std::time::Duration::from_millis(ms.min(60_000)));
    }
}

/// Makes displayed names unique: when two raw names display the same (lossy decoding), the
/// later ones get `（2）`, `（3）`… before the extension.
fn unique_names(out: &mut Discovery) {
    let mut seen = std::collections::BTreeSet::new();
    let all = out
        .candidates
        .iter_mut()
        .chain(out.skipped.iter_mut().map(|(c, _)| c));
    for candidate in all {
        if seen.insert(candidate.rel.clone()) {
            continue;
        }
        let (stem, ext) = match candidate.rel.rsplit_once('.') {
            Some((stem, ext)) if !stem.is_empty() && !ext.contains('/') => {
                (stem.to_owned(), format!(".{ext}"))
            }
            _ => (candidate.rel.clone(), String::new()),
        };
        let mut n = 2;
        while !seen.insert(format!("{stem}（{n}）{ext}")) {
            n += 1;
        }
        candidate.rel = format!("{stem}（{n}）{ext}");
    }
}

/// The entries of a folder, sorted by raw name. A folder named by `ROUNDUP_TEST_UNLISTABLE`
/// fails as an unreadable one would (for tests run as root, where permissions do not block).
fn list(dir: &Path) -> io::Result<Vec<std::fs::DirEntry>> {
    if std::env::var_os("ROUNDUP_TEST_UNLISTABLE").is_some_and(|n| dir.file_name() == Some(n.as_os_str())) {
        return Err(io::ErrorKind::PermissionDenied.into());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
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

fn walk(
    root: &Path,
    entries: Vec<std::fs::DirEntry>,
    prefix: &str,
    exclude: &Exclusions,
    out: &mut Discovery,
) {
    for entry in entries {
        let name = display_name(&entry.file_name());
        let rel = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let path = entry.path();
        if exclude.skips_path(&path) {
            continue;
        }
        let candidate = Candidate {
            rel: rel.clone(),
            path: path.clone(),
            id: None,
        };
        if let Some(reason) = junk_reason(&name, &path) {
            out.skipped.push((candidate, reason));
            continue;
        }
        let Ok(meta) = std::fs::metadata(&path) else {
            out.skipped.push((candidate, SkipReason::OutsideLink));
            continue;
        };
        let is_link = entry.file_type().map(|t| t.is_symlink()).unwrap_or(false);
        let target = if is_link {
            path.canonicalize().ok()
        } else {
            Some(path.clone())
        };
        let Some(target) = target.filter(|t| !is_link || t.starts_with(root)) else {
            out.skipped.push((candidate, SkipReason::OutsideLink));
            continue;
        };
        if meta.is_dir() {
            if is_link {
                out.skipped.push((candidate, SkipReason::FolderLink));
            } else if !exclude.skips_dir(&name) {
                enter(root, candidate, exclude, out);
            }
        } else if meta.is_file() {
            // A link inside the inbox is read through its target, opened without following.
            out.candidates.push(Candidate {
                path: target,
                id: FileId::of(&meta),
                ..candidate
            });
        } else {
            out.skipped.push((candidate, SkipReason::NotAFile));
        }
    }
}

/// Walks a sub-folder; one that cannot be listed is skipped with its reason, and the walk
/// goes on.
fn enter(root: &Path, folder: Candidate, exclude: &Exclusions, out: &mut Discovery) {
    match list(&folder.path) {
        Ok(entries) => walk(root, entries, &folder.rel, exclude, out),
        Err(_) => out.skipped.push((folder, SkipReason::UnreadableFolder)),
    }
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
    fn non_utf8_names_are_decoded_and_made_unique() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let gbk: &[u8] = b"\xca\xd0\xc8\xcb\xc9\xe7\xbe\xd6.xlsx";
        for raw in [gbk, b"\xfe.xlsx", b"\xff.xlsx"] {
            std::fs::write(dir.path().join(std::ffi::OsStr::from_bytes(raw)), b"x").unwrap();
        }
        let d = discover(dir.path(), &[]).unwrap();
        let mut names: Vec<&str> = d.candidates.iter().map(|c| c.rel.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            vec!["市人社局.xlsx", "\u{fffd}.xlsx", "\u{fffd}（2）.xlsx"]
        );
        assert!(d.candidates.iter().all(|c| c.path.is_file() && c.id.is_some()));
    }

    #[cfg(unix)]
    #[test]
    fn folder_links_are_listed_and_unlistable_folders_do_not_stop_the_walk() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::fs::write(dir.path().join("real/a.xlsx"), b"x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("real"), dir.path().join("link")).unwrap();
        let d = discover(dir.path(), &[]).unwrap();
        assert_eq!(d.candidates.len(), 1);
        assert_eq!(d.skipped[0].0.rel, "link");
        assert_eq!(d.skipped[0].1, SkipReason::FolderLink);
        assert!(!d.skipped[0].1.is_silent());
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
