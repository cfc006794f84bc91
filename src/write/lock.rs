//! The output folder's lock: one run writes a round's outputs at a time. An OS advisory lock
//! on `outbox/.roundup-<round>.lock`, so a run that dies releases it with its process, and a
//! lock file left behind (empty, or naming a process that has gone) never blocks anyone.

use anyhow::{bail, Context as _, Result};
use std::ffi::{OsStr, OsString};
use std::fs::{File, TryLockError};
use std::path::Path;

/// The held lock; released when dropped or when the process ends.
pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the lock for the round folder `name` inside `parent`, or fails at once when
    /// another live run holds it.
    pub fn acquire(parent: &Path, name: &OsStr) -> Result<RunLock> {
        let mut file_name = OsString::from(".roundup-");
        file_name.push(name);
        file_name.push(".lock");
        let path = parent.join(file_name);
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("无法创建锁文件 `{}`", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(RunLock { _file: file }),
            Err(TryLockError::WouldBlock) => bail!(
                "另一个 roundup 正在写入 `{}`。请等待其结束后再运行。",
                parent.join(name).display()
            ),
            Err(TryLockError::Error(e)) => Err(e).with_context(|| format!("无法锁定 `{}`", path.display())),
        }
    }
}
