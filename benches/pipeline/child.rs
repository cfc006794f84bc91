//! Runs one child process to completion and measures it: wall time, exit code, stderr, the
//! largest single process's peak RSS (`wait4`'s `ru_maxrss`) and the sampled peak of the summed
//! RSS of the child's whole process group (the main process plus any worker processes), with an
//! optional time limit after which the group is killed.

use anyhow::{bail, Context, Result};
use std::io::Read;
use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often the process group's memory is sampled.
const SAMPLE_EVERY: Duration = Duration::from_millis(25);

/// What one measured run of a child process gave.
#[derive(Debug, Clone)]
pub struct Measured {
    /// Wall seconds from spawn to exit.
    pub wall: f64,
    /// The exit code; `None` when a signal ended it.
    pub exit: Option<i32>,
    /// Whether the time limit was reached and the group killed.
    pub timed_out: bool,
    /// Peak RSS of the largest single process (the child or a reaped descendant), KiB.
    pub rss_proc_kib: u64,
    /// Sampled peak of the summed RSS of the child's process group, KiB.
    pub rss_group_kib: u64,
    /// Everything the child wrote on stderr.
    pub stderr: String,
}

impl Measured {
    /// Peak memory in MB (10^6 bytes): the larger of the exact single-process and the sampled
    /// group figure.
    pub fn peak_mb(&self) -> f64 {
        kib_to_mb(self.rss_proc_kib.max(self.rss_group_kib))
    }
}

/// KiB to MB (10^6 bytes).
pub fn kib_to_mb(kib: u64) -> f64 {
    kib as f64 * 1024.0 / 1e6
}

/// Runs `cmd` (stdout discarded, stderr captured) in its own process group and measures it.
pub fn measure(cmd: &mut Command, limit: Duration) -> Result<Measured> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0);
    let start = Instant::now();
    let mut child = cmd.spawn().with_context(|| format!("cannot start {cmd:?}"))?;
    let pid = i32::try_from(child.id()).context("pid out of range")?;
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || read_all(stderr));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = spawn_sampler(pid, start, limit, Arc::clone(&done));
    let waited = wait(pid);
    let wall = start.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    let (rss_group_kib, timed_out) = sampler.join().unwrap_or((0, false));
    let stderr = reader.join().unwrap_or_default();
    let (status, rss_proc_kib) = waited?;
    Ok(Measured {
        wall,
        exit: libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status)),
        timed_out,
        rss_proc_kib,
        rss_group_kib,
        stderr,
    })
}

fn read_all(stream: Option<std::process::ChildStderr>) -> String {
    let mut bytes = Vec::new();
    if let Some(mut s) = stream {
        let _ = s.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Waits for `pid` with `wait4`; returns its wait status and `ru_maxrss` (KiB on Linux).
fn wait(pid: i32) -> Result<(i32, u64)> {
    loop {
        let mut status = 0;
        // SAFETY: an all-zero rusage is a valid value; wait4 only writes into the two pointers.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: pid is our own child; status and usage point to live locals.
        let got = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if got == pid {
            return Ok((status, u64::try_from(usage.ru_maxrss).unwrap_or(0)));
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            bail!("wait4({pid}) failed: {err}");
        }
    }
}

/// Samples the group's memory until `done`; kills the group once `limit` has passed. Returns
/// the peak summed RSS in KiB and whether it killed the group.
fn spawn_sampler(
    pgid: i32,
    start: Instant,
    limit: Duration,
    done: Arc<AtomicBool>,
) -> std::thread::JoinHandle<(u64, bool)> {
    std::thread::spawn(move || {
        let mut peak = 0;
        let mut killed = false;
        while !done.load(Ordering::Relaxed) {
            peak = peak.max(group_rss_kib(pgid));
            if !killed && start.elapsed() > limit {
                // SAFETY: signalling our own child's process group.
                unsafe { libc::kill(-pgid, libc::SIGKILL) };
                killed = true;
            }
            std::thread::sleep(SAMPLE_EVERY);
        }
        (peak, killed)
    })
}

/// Summed resident set of every process whose process group is `pgid`, KiB.
fn group_rss_kib(pgid: i32) -> u64 {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    // SAFETY: sysconf has no preconditions.
    let page_kib = u64::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096) / 1024;
    entries
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .bytes()
                .all(|b| b.is_ascii_digit())
        })
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter_map(|stat| pgrp_and_rss_pages(&stat))
        .filter(|(pgrp, _)| *pgrp == pgid)
        .map(|(_, pages)| pages * page_kib)
        .sum()
}

/// Fields 5 (pgrp) and 24 (rss, pages) of a `/proc/PID/stat` line.
fn pgrp_and_rss_pages(stat: &str) -> Option<(i32, u64)> {
    let rest = &stat[stat.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some((fields.get(2)?.parse().ok()?, fields.get(21)?.parse().ok()?))
}
