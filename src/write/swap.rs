//! Replacing a round's output folder as one set: stage a complete folder beside it, then two
//! renames (the old folder aside, the staged one into place). A run killed between any two
//! steps leaves folders that [`OutputSet::prepare`] of the next run recognises by name and
//! cleans: an unfinished staging folder is removed, and a folder set aside is put back when
//! the round's folder is missing (the previous set is then what the outbox shows).

use super::lock::RunLock;
use super::test_hook;
use crate::render::json::Manifest;
use crate::render::Output;
use anyhow::{anyhow, Context as _, Result};
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};

/// A round's output folder being replaced: the lock, and the staging folder.
pub(super) struct OutputSet {
    dir: PathBuf,
    staging: PathBuf,
    aside: PathBuf,
    committed: bool,
    _lock: RunLock,
}

impl OutputSet {
    /// Locks the round's folder, cleans what a killed run left, and makes a fresh staging
    /// folder beside it.
    pub(super) fn prepare(dir: &Path) -> Result<OutputSet> {
        let parent = dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = dir
            .file_name()
            .ok_or_else(|| anyhow!("输出文件夹 `{}` 无效", dir.display()))?;
        std::fs::create_dir_all(parent)
            .with_context(|| format!("无法创建输出文件夹 `{}`", parent.display()))?;
        let lock = RunLock::acquire(parent, name)?;
        recover(parent, name, dir)?;
        let staging = parent.join(sibling(name, "staging"));
        std::fs::create_dir(&staging)
            .with_context(|| format!("无法创建临时文件夹 `{}`", staging.display()))?;
        Ok(OutputSet {
            dir: dir.to_path_buf(),
            aside: parent.join(sibling(name, "old")),
            staging,
            committed: false,
            _lock: lock,
        })
    }

    /// The folder the outputs are written into.
    pub(super) fn staging(&self) -> &Path {
        &self.staging
    }

    /// Copies into the staging folder the files of the round's folder that no run of
    /// roundup wrote (a user's own notes), so that replacing the folder keeps them. Files
    /// that stand where this run writes an output are replaced by it.
    pub(super) fn keep_foreign_files(&self, outputs: &[Output]) -> Result<()> {
        if !self.dir.is_dir() {
            return Ok(());
        }
        let ours = earlier_outputs(&self.dir);
        let new: BTreeSet<&str> = outputs.iter().map(|o| o.name.as_str()).collect();
        for rel in files_below(&self.dir) {
            let key = rel.to_string_lossy().replace('\\', "/");
            if is_ours(&key, &ours) || new.contains(key.as_str()) || key == "manifest.json" {
                continue;
            }
            copy_into(&self.dir.join(&rel), &self.staging.join(&rel));
        }
        Ok(())
    }

    /// Puts the staged folder in place of the round's folder.
    pub(super) fn commit(mut self) -> Result<()> {
        let had_previous = self.dir.exists();
        if had_previous {
            std::fs::rename(&self.dir, &self.aside).map_err(|e| busy_error(&self.dir, &e))?;
            test_hook::crash_at("old-set-aside");
        }
        std::fs::rename(&self.staging, &self.dir).map_err(|e| busy_error(&self.dir, &e))?;
        self.committed = true;
        test_hook::crash_at("swapped");
        if had_previous {
            let _ = std::fs::remove_dir_all(&self.aside);
        }
        Ok(())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// `.roundup-<round>.<role>-<pid>`: a folder beside the round's folder, named so that a
/// later run knows what it was.
fn sibling(name: &OsStr, role: &str) -> OsString {
    let mut s = sibling_prefix(name, role);
    s.push(std::process::id().to_string());
    s
}

fn sibling_prefix(name: &OsStr, role: &str) -> OsString {
    let mut s = OsString::from(".roundup-");
    s.push(name);
    s.push(format!(".{role}-"));
    s
}

/// Cleans what a killed run left beside and in the round's folder.
fn recover(parent: &Path, name: &OsStr, dir: &Path) -> Result<()> {
    let staging = sibling_prefix(name, "staging");
    let aside = sibling_prefix(name, "old");
    let entries: Vec<PathBuf> = std::fs::read_dir(parent)
        .with_context(|| format!("无法读取输出文件夹 `{}`", parent.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    for path in &entries {
        let file = path.file_name().unwrap_or_default();
        if starts_with(file, &staging) {
            let _ = std::fs::remove_dir_all(path);
        } else if starts_with(file, &aside) {
            if dir.exists() {
                let _ = std::fs::remove_dir_all(path);
            } else {
                std::fs::rename(path, dir).map_err(|e| busy_error(dir, &e))?;
            }
        }
    }
    remove_legacy_leftovers(dir);
    Ok(())
}

/// Temporary files and the lock file that earlier versions left inside the round's folder.
fn remove_legacy_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        if starts_with(&name, OsStr::new(".roundup-")) || name == ".roundup.lock" {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn starts_with(name: &OsStr, prefix: &OsStr) -> bool {
    name.as_encoded_bytes().starts_with(prefix.as_encoded_bytes())
}

/// Whether an entry of the round's folder was written by roundup: an output the previous
/// manifest lists, or the PDF of such an output (`run --pdf`).
fn is_ours(rel: &str, ours: &BTreeSet<String>) -> bool {
    ours.contains(rel)
        || rel
            .strip_suffix(".pdf")
            .is_some_and(|stem| ours.contains(&format!("{stem}.docx")))
}

/// Output names listed in the manifest of an earlier run.
fn earlier_outputs(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join("manifest.json"))
        .map(|text| Manifest::output_names(&text).into_iter().collect())
        .unwrap_or_default()
}

/// Every regular file below `dir`, as paths relative to it (links are not followed).
fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(kind) = entry.file_type() else { continue };
            let child = rel.join(entry.file_name());
            if kind.is_dir() {
                stack.push(child);
            } else if kind.is_file() {
                out.push(child);
            }
        }
    }
    out.sort();
    out
}

/// Hard-links (else copies) a file into the staging folder; a file that cannot be carried
/// over stays in the folder set aside until the swap removes it, so failures are ignored
/// only where nothing better can be done.
fn copy_into(from: &Path, to: &Path) {
    if let Some(dir) = to.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    if std::fs::hard_link(from, to).is_err() {
        let _ = std::fs::copy(from, to);
    }
}

/// A rename of the round's folder failed: most often a file in it is open (Windows).
fn busy_error(dir: &Path, e: &std::io::Error) -> anyhow::Error {
    anyhow!(
        "无法替换输出文件夹 `{}`（{e}）。如汇总表或简报正在 Excel、WPS 中打开，请关闭后重试。",
        dir.display()
    )
}
