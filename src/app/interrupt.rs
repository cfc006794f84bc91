//! Interrupts: Ctrl-C, SIGTERM and SIGHUP on Unix, Ctrl-C, Ctrl-Break and a closed console
//! window on Windows. The process ends every LibreOffice conversion it runs (each with all its
//! processes) and removes their private folders ([`convert::terminate_all`]), then exits with
//! [`EXIT_CODE`].
//!
//! Parsing workers (`roundup worker`, [`crate::ingest::pool`]) convert too. On Unix a terminal's
//! Ctrl-C reaches them with roundup (one process group), and each cleans up its own
//! conversions; a worker whose parent is gone (roundup killed, or ended by SIGTERM alone) does
//! the same within [`PARENT_POLL`]. On Windows each worker sits in a kill-on-close Job object
//! and each conversion in a nested one, so roundup's exit takes them all down; folders a hard
//! kill leaves are swept by a later conversion (`convert`'s stale-folder sweep).

use crate::ingest::convert;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The exit code after an interrupt (128 + SIGINT, as shells report it).
pub const EXIT_CODE: i32 = 130;

/// How often a worker checks that its parent is still there.
pub const PARENT_POLL: Duration = Duration::from_millis(200);

/// Installs the interrupt handler (once, at start, before any conversion). A handler that
/// cannot be installed leaves the default behaviour, with a warning.
pub fn install() {
    let worker = is_worker();
    if let Err(err) = ctrlc::set_handler(move || interrupted(worker)) {
        if !worker {
            eprintln!("警告：无法设置中断处理（{err}），按 Ctrl-C 时 LibreOffice 转换可能残留");
        }
    }
    if worker {
        watch_parent();
    }
}

/// Whether this process is a parsing worker (`roundup worker`, started by the pool).
fn is_worker() -> bool {
    std::env::args_os().nth(1).is_some_and(|arg| arg == "worker")
}

/// The handler: ends the conversions and the process. A second signal while the first is
/// being handled is ignored.
fn interrupted(worker: bool) {
    static HANDLING: AtomicBool = AtomicBool::new(false);
    if HANDLING.swap(true, Ordering::SeqCst) {
        return;
    }
    let ended = convert::terminate_all();
    if !worker {
        if ended > 0 {
            eprintln!("\n已中断：已终止 {ended} 个 LibreOffice 转换并清理其临时文件");
        } else {
            eprintln!("\n已中断");
        }
    }
    std::process::exit(EXIT_CODE);
}

/// A worker's watch on its parent: when roundup is gone, the worker's conversions end too.
#[cfg(unix)]
fn watch_parent() {
    // SAFETY: getppid(2) has no preconditions and cannot fail.
    let parent = unsafe { libc::getppid() };
    let watch = move || loop {
        std::thread::sleep(PARENT_POLL);
        // SAFETY: as above.
        if unsafe { libc::getppid() } != parent {
            interrupted(true);
        }
    };
    let _ = std::thread::Builder::new()
        .name("roundup-parent-watch".into())
        .spawn(watch);
}

/// On Windows the worker's Job object ends it with roundup.
#[cfg(not(unix))]
fn watch_parent() {}
