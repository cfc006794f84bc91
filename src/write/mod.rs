//! The write stage: the only code that changes the output folder. A round's outputs are
//! written as one set: every file goes into a private staging folder beside the round's
//! folder, the manifest last, and the staging folder then replaces the round's folder by two
//! renames ([`swap`]), under an OS lock ([`lock`]). A run killed at any point leaves either
//! the previous set or the new one, and the next run cleans up what it left. The run's log
//! ([`log`]) and the bulletin's PDF ([`pdf`]) are written here too.

pub mod lock;
pub mod log;
pub mod pdf;
mod swap;

use crate::render::Output;
use anyhow::{anyhow, Context as _, Result};
use std::io::Write;
use std::path::Path;

/// Writes a round's outputs into `dir` (`outbox/<round>`) as one set, all or nothing. Files
/// in `dir` that an earlier run did not write (listed in no manifest) are kept; outputs of an
/// earlier run that this run no longer produces are gone.
pub fn write_outputs(dir: &Path, outputs: &[Output], manifest: &[u8]) -> Result<()> {
    let set = swap::OutputSet::prepare(dir)?;
    stage_all(set.staging(), outputs)?;
    test_hook::crash_at("staged-outputs");
    write_file(&set.staging().join("manifest.json"), manifest)?;
    set.keep_foreign_files(outputs)?;
    test_hook::crash_at("staged-all");
    set.commit()
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename (for
/// single files outside a round's output set: forms, the registry).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 `{}`", dir.display()))?;
    let mut tmp = temp_builder()
        .tempfile_in(dir)
        .with_context(|| format!("无法在 `{}` 中写入", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("无法写入 `{}`", path.display()))?;
    tmp.as_file().sync_all().ok();
    tmp.persist(path)
        .map_err(|e| anyhow!("无法写入 `{}`：{}", path.display(), e.error))?;
    Ok(())
}

/// Temporary files named `.roundup-…`, created with the permissions a plain file would get
/// (`0666` less the umask), not tempfile's private `0600`.
fn temp_builder() -> tempfile::Builder<'static, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".roundup-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Threads that stage outputs: syncing waits on the disk, not the CPU, so more threads than
/// cores keep its queue full.
const STAGING_THREADS: usize = 8;

/// Writes every output into the staging folder, [`STAGING_THREADS`] at a time.
fn stage_all(staging: &Path, outputs: &[Output]) -> Result<()> {
    let chunk = outputs.len().div_ceil(STAGING_THREADS).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = outputs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .try_for_each(|output| write_file(&staging.join(&output.name), &output.bytes))
                })
            })
            .collect();
        for handle in handles {
            handle
                .join()
                .unwrap_or_else(|_| Err(anyhow!("写入输出文件时发生内部错误")))?;
        }
        Ok(())
    })
}

/// Writes and syncs one new file (its folder created as needed).
fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("无法创建文件夹 `{}`", dir.display()))?;
    }
    test_hook::fail_at(path)?;
    let mut file = std::fs::File::create(path).with_context(|| format!("无法写入 `{}`", path.display()))?;
    file.write_all(bytes)
        .with_context(|| format!("无法写入 `{}`", path.display()))?;
    file.sync_all().ok();
    Ok(())
}

/// Test-only hooks that stop a run between the write stage's steps, so that tests can check
/// what a killed run leaves. They do nothing unless `ROUNDUP_TEST_CRASH_AT` /
/// `ROUNDUP_TEST_FAIL_WRITE` are set.
pub(crate) mod test_hook {
    use std::path::Path;

    /// Aborts the process (as a kill would) when `ROUNDUP_TEST_CRASH_AT` names `step`.
    pub(crate) fn crash_at(step: &str) {
        if std::env::var_os("ROUNDUP_TEST_CRASH_AT").is_some_and(|s| s == step) {
            std::process::abort();
        }
    }

    /// Fails the write of an output whose file name is `ROUNDUP_TEST_FAIL_WRITE`.
    pub(crate) fn fail_at(path: &Path) -> anyhow::Result<()> {
        match std::env::var_os("ROUNDUP_TEST_FAIL_WRITE") {
            Some(name) if path.file_name() == Some(name.as_os_str()) => {
                anyhow::bail!("无法写入 `{}`：测试要求写入失败", path.display())
            }
            _ => Ok(()),
        }
    }
}
