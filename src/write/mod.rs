//! The write stage: the only code that changes the output folder. Outputs are staged beside
//! their targets and renamed into place only when all of them are written, the manifest last,
//! under a lock ([`lock`]); the run's log ([`log`]) and the bulletin's PDF ([`pdf`]) are
//! written here too.

pub mod lock;
pub mod log;
pub mod pdf;

use crate::render::Output;
use anyhow::{anyhow, Context as _, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes every output under a lock, all or nothing: every file is first written to a
/// temporary file beside its target, and only when all of them are written are they renamed
/// into place, the manifest last. Outputs of an earlier run of the same round that this run no
/// longer produces are removed.
pub fn write_outputs(dir: &Path, outputs: &[Output], manifest: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建输出文件夹 `{}`", dir.display()))?;
    let _lock = lock::RunLock::acquire(dir)?;
    let earlier = earlier_outputs(dir);
    let mut staged = stage_all(dir, outputs)?;
    staged.push(stage(&dir.join("manifest.json"), manifest)?);
    for (tmp, target) in staged {
        tmp.persist(&target)
            .map_err(|e| anyhow!("无法写入 `{}`：{}", target.display(), e.error))?;
    }
    for name in earlier {
        if !outputs.iter().any(|o| o.name == name) {
            let _ = std::fs::remove_file(dir.join(&name));
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let (tmp, target) = stage(path, bytes)?;
    tmp.persist(&target)
        .map_err(|e| anyhow!("无法写入 `{}`：{}", target.display(), e.error))?;
    Ok(())
}

/// Threads that stage outputs: syncing waits on the disk, not the CPU, so more threads than
/// cores keep its queue full.
const STAGING_THREADS: usize = 8;

/// A staged output: its temporary file and the path it will be renamed to.
type Staged = (tempfile::NamedTempFile, PathBuf);

/// Stages every output (in order), [`STAGING_THREADS`] at a time.
fn stage_all(dir: &Path, outputs: &[Output]) -> Result<Vec<Staged>> {
    let chunk = outputs.len().div_ceil(STAGING_THREADS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = outputs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|output| stage(&dir.join(&output.name), &output.bytes))
                        .collect::<Result<Vec<_>>>()
                })
            })
            .collect();
        let mut staged = Vec::with_capacity(outputs.len() + 1);
        for handle in handles {
            let part = handle
                .join()
                .unwrap_or_else(|_| Err(anyhow!("写入输出文件时发生内部错误")))?;
            staged.extend(part);
        }
        Ok(staged)
    })
}

/// Writes `bytes` to a temporary file in `path`'s folder, to be renamed onto `path`.
fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 `{}`", dir.display()))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".roundup-")
        .tempfile_in(dir)
        .with_context(|| format!("无法在 `{}` 中写入", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("无法写入 `{}`", path.display()))?;
    tmp.as_file().sync_all().ok();
    Ok((tmp, path.to_path_buf()))
}

/// Output names listed in the manifest of an earlier run.
fn earlier_outputs(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("manifest.json")) else {
        return Vec::new();
    };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    value
        .get("outputs")
        .and_then(|o| o.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|o| o.get("name").and_then(|n| n.as_str()))
                .filter(|n| !n.contains("..") && !n.starts_with('/'))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}
