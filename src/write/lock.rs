//! The output folder's lock: one run writes a round's outputs at a time.

use anyhow::{bail, Context as _, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A lock file in the round's output folder, held while writing.
pub struct RunLock {
    path: PathBuf,
}

impl RunLock {
    /// Takes the lock of `dir`, taking over a lock left by a process that no longer runs;
    /// fails when another live run holds it.
    pub fn acquire(dir: &Path) -> Result<RunLock> {
        let path = dir.join(".roundup.lock");
        for _ in 0..2 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut f) => {
                    let _ = write!(f, "{}", std::process::id());
                    return Ok(RunLock { path });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = std::fs::read_to_string(&path).unwrap_or_default();
                    let pid = holder.trim().parse::<u32>().ok();
                    if pid.is_some_and(is_process_alive) {
                        bail!(
                            "另一个 roundup 正在写入 `{}`（进程 {}）。请等待其结束后再运行。",
                            dir.display(),
                            holder.trim()
                        );
                    }
                    let _ = std::fs::remove_file(&path);
                }
                Err(e) => return Err(e).with_context(|| format!("无法创建锁文件 `{}`", path.display())),
            }
        }
        bail!("无法获得输出文件夹 `{}` 的锁", dir.display())
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(target_os = "linux")]
fn is_process_alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

#[cfg(not(target_os = "linux"))]
fn is_process_alive(pid: u32) -> bool {
    // Without a portable liveness check, a lock held by another process is respected.
    pid != std::process::id()
}
