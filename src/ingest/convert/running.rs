//! The conversions running in this process, so that a timeout or an interrupt (Ctrl-C,
//! SIGTERM, a closed console) ends each LibreOffice with every process it started and removes
//! its private folder.
//!
//! A conversion registers its folder, then starts LibreOffice through [`Conversion::spawn`]:
//! on Unix in a process group of its own, on Windows in a Job object with kill-on-close
//! (started suspended, put in the job, then resumed, so nothing it starts escapes the job).
//! Starting, reaping and terminating all hold one lock, so an interrupt never races a start
//! and never signals a process id that has been reaped and reused. [`terminate_all`] is for
//! the interrupt handler ([`crate::app::interrupt`]); after it no conversion starts.

use super::ConvertError;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How often a running conversion is polled.
const POLL: Duration = Duration::from_millis(50);

/// How long [`terminate_all`] gives killed processes to go before removing their folders.
const SETTLE: Duration = Duration::from_millis(200);

/// The registry.
struct Running {
    /// Set by [`terminate_all`]: no conversion starts any more.
    interrupted: bool,
    next_id: u64,
    entries: Vec<Entry>,
}

/// One registered conversion.
struct Entry {
    id: u64,
    folder: PathBuf,
    /// The running LibreOffice, until it has been reaped.
    tree: Option<tree::Tree>,
}

static RUNNING: Mutex<Running> = Mutex::new(Running {
    interrupted: false,
    next_id: 0,
    entries: Vec::new(),
});

fn lock() -> MutexGuard<'static, Running> {
    RUNNING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A registered conversion; dropping it unregisters it (on Windows, closing its job kills
/// whatever is left in it). Drop it after its folder is removed.
#[derive(Debug)]
pub(super) struct Conversion {
    id: u64,
}

impl Conversion {
    /// Registers a conversion whose private folder is `folder`.
    pub(super) fn register(folder: &Path) -> Result<Conversion, ConvertError> {
        let mut running = lock();
        if running.interrupted {
            return Err(ConvertError::Interrupted);
        }
        running.next_id += 1;
        let id = running.next_id;
        running.entries.push(Entry {
            id,
            folder: folder.to_path_buf(),
            tree: None,
        });
        Ok(Conversion { id })
    }

    /// Starts `command` as this conversion's process tree.
    pub(super) fn spawn(&self, command: &mut Command) -> Result<Child, ConvertError> {
        let mut running = lock();
        if running.interrupted {
            return Err(ConvertError::Interrupted);
        }
        let (child, tree) = tree::spawn(command).map_err(ConvertError::Spawn)?;
        if let Some(entry) = running.entries.iter_mut().find(|e| e.id == self.id) {
            entry.tree = Some(tree);
        }
        Ok(child)
    }

    /// Waits for `child` (started by [`Conversion::spawn`]); past `timeout` the whole tree is
    /// killed.
    pub(super) fn wait(&self, child: &mut Child, timeout: Duration) -> Result<(), ConvertError> {
        let started = Instant::now();
        loop {
            let mut running = lock();
            if running.interrupted {
                // The handler has killed the tree and is ending the process.
                return Err(ConvertError::Interrupted);
            }
            let status = child.try_wait();
            let timed_out = started.elapsed() >= timeout;
            let done = !matches!(status, Ok(None)) || timed_out;
            if done {
                if let Some(entry) = running.entries.iter_mut().find(|e| e.id == self.id) {
                    if let Some(tree) = entry.tree.take() {
                        if !matches!(status, Ok(Some(_))) {
                            tree.kill();
                        }
                    }
                }
            }
            drop(running);
            match status {
                Ok(Some(_)) => return Ok(()),
                Ok(None) if !timed_out => std::thread::sleep(POLL),
                Ok(None) | Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(ConvertError::Timeout(timeout.as_secs()));
                }
            }
        }
    }
}

impl Drop for Conversion {
    fn drop(&mut self) {
        lock().entries.retain(|e| e.id != self.id);
    }
}

/// Whether [`terminate_all`] has run.
pub fn interrupted() -> bool {
    lock().interrupted
}

/// Ends every running conversion — kills each LibreOffice with every process it started and
/// removes its private folder — and lets no new one start. Returns how many conversions were
/// registered. For the interrupt handler, which then ends the process.
pub fn terminate_all() -> usize {
    let mut running = lock();
    running.interrupted = true;
    let mut killed = false;
    for entry in &mut running.entries {
        if let Some(tree) = entry.tree.take() {
            tree.kill();
            killed = true;
        }
    }
    if killed {
        std::thread::sleep(SETTLE);
    }
    for entry in &running.entries {
        if std::fs::remove_dir_all(&entry.folder).is_err() && entry.folder.exists() {
            // A dying process may still have held a file: once more, after a moment.
            std::thread::sleep(SETTLE);
            let _ = std::fs::remove_dir_all(&entry.folder);
        }
    }
    running.entries.len()
}

/// Process trees on Unix: a process group.
#[cfg(unix)]
mod tree {
    use std::os::unix::process::CommandExt;
    use std::process::{Child, Command};

    /// A process group, led by the started process.
    #[derive(Debug)]
    pub(super) struct Tree {
        pgid: libc::pid_t,
    }

    /// Starts `command` as the leader of a new process group.
    pub(super) fn spawn(command: &mut Command) -> std::io::Result<(Child, Tree)> {
        command.process_group(0);
        let child = command.spawn()?;
        let pgid = libc::pid_t::try_from(child.id()).map_err(std::io::Error::other)?;
        Ok((child, Tree { pgid }))
    }

    impl Tree {
        /// Kills every process of the group. Only called before the leader is reaped (or while
        /// members keep the group's id alive), so the id names this group.
        pub(super) fn kill(self) {
            // SAFETY: kill(2) with the negated id of the group created for this conversion.
            unsafe {
                libc::kill(-self.pgid, libc::SIGKILL);
            }
        }
    }
}

/// Process trees on Windows: a Job object with kill-on-close.
#[cfg(windows)]
mod tree {
    use std::io;
    use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
    use std::os::windows::process::CommandExt;
    use std::process::{Child, Command};
    use windows_sys::Win32::Foundation::{CloseHandle, INVALID_HANDLE_VALUE};
    use windows_sys::Win32::System::Diagnostics::ToolHelp::{
        CreateToolhelp32Snapshot, Thread32First, Thread32Next, TH32CS_SNAPTHREAD, THREADENTRY32,
    };
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
        SetInformationJobObject, TerminateJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION,
        JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    };
    use windows_sys::Win32::System::Threading::{
        OpenThread, ResumeThread, CREATE_SUSPENDED, THREAD_SUSPEND_RESUME,
    };

    /// A Job object holding the conversion; closing it (dropping the tree) kills what is left.
    /// `None` where the job could not be had (Windows 7 inside another job): LibreOffice then
    /// runs unconfined, as before.
    #[derive(Debug)]
    pub(super) struct Tree {
        job: Option<OwnedHandle>,
    }

    /// Starts `command` suspended, puts it in a new kill-on-close job, then resumes it.
    pub(super) fn spawn(command: &mut Command) -> io::Result<(Child, Tree)> {
        let job = new_job().ok();
        command.creation_flags(CREATE_SUSPENDED);
        let mut child = command.spawn()?;
        let job = job.filter(|job| {
            // SAFETY: both handles are open and owned for the duration of the call.
            unsafe { AssignProcessToJobObject(job.as_raw_handle(), child.as_raw_handle()) != 0 }
        });
        if let Err(error) = resume(child.id()) {
            let _ = child.kill();
            let _ = child.wait();
            return Err(error);
        }
        Ok((child, Tree { job }))
    }

    impl Tree {
        /// Kills every process in the job.
        pub(super) fn kill(self) {
            if let Some(job) = &self.job {
                // SAFETY: the job handle is open; TerminateJobObject only reads it.
                unsafe {
                    TerminateJobObject(job.as_raw_handle(), 1);
                }
            }
        }
    }

    fn new_job() -> io::Result<OwnedHandle> {
        // SAFETY: no security attributes and no name: both pointers may be null.
        let raw = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
        if raw.is_null() {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `raw` is a fresh handle that nothing else owns or closes.
        let job = unsafe { OwnedHandle::from_raw_handle(raw) };
        // SAFETY: a plain-data struct of integers, valid when zeroed.
        let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
        info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
        // SAFETY: the handle is open; pointer and length describe `info`, only read.
        let set = unsafe {
            SetInformationJobObject(
                job.as_raw_handle(),
                JobObjectExtendedLimitInformation,
                std::ptr::from_ref(&info).cast(),
                std::mem::size_of_val(&info) as u32,
            )
        };
        if set == 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(job)
    }

    /// Resumes the (only) thread of a process started suspended.
    fn resume(pid: u32) -> io::Result<()> {
        // SAFETY: a snapshot of all threads; the handle is closed below.
        let snapshot = unsafe { CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0) };
        if snapshot == INVALID_HANDLE_VALUE {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: a plain-data struct, valid when zeroed, with its size set as required.
        let mut entry: THREADENTRY32 = unsafe { std::mem::zeroed() };
        entry.dwSize = std::mem::size_of::<THREADENTRY32>() as u32;
        let mut resumed = false;
        // SAFETY: the snapshot handle is open and `entry` is a valid, sized THREADENTRY32.
        let mut more = unsafe { Thread32First(snapshot, &mut entry) } != 0;
        while more {
            if entry.th32OwnerProcessID == pid {
                // SAFETY: OpenThread returns a new handle (or null), closed right after use.
                unsafe {
                    let thread = OpenThread(THREAD_SUSPEND_RESUME, 0, entry.th32ThreadID);
                    if !thread.is_null() {
                        resumed |= ResumeThread(thread) != u32::MAX;
                        CloseHandle(thread);
                    }
                }
            }
            // SAFETY: as for Thread32First.
            more = unsafe { Thread32Next(snapshot, &mut entry) } != 0;
        }
        // SAFETY: the snapshot handle is open and owned here.
        unsafe {
            CloseHandle(snapshot);
        }
        if resumed {
            Ok(())
        } else {
            Err(io::Error::other("no thread to resume"))
        }
    }
}

/// Elsewhere only the started process itself can be killed.
#[cfg(not(any(unix, windows)))]
mod tree {
    use std::process::{Child, Command};

    /// The started process's id.
    #[derive(Debug)]
    pub(super) struct Tree;

    pub(super) fn spawn(command: &mut Command) -> std::io::Result<(Child, Tree)> {
        Ok((command.spawn()?, Tree))
    }

    impl Tree {
        pub(super) fn kill(self) {}
    }
}
