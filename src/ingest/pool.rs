//! Isolated parsing: a pool of long-lived worker processes (this same binary, run as the
//! hidden `roundup worker` subcommand) that parse untrusted bytes with [`super::ingest_bytes`]
//! under a memory limit (`RLIMIT_AS` on Unix; on Windows a Job object per worker, with a
//! process memory limit and kill-on-close, so the workers also die with roundup) and a
//! per-file timeout, so that an abort, an out-of-memory kill, a stack overflow or an endless
//! loop costs one file, never the run.
//!
//! Protocol, on the worker's stdin/stdout: frames of a little-endian `u64` length followed by
//! that many bytes. A request is two frames — a JSON [`RequestHeader`] (file name and limits)
//! and the file's raw bytes; the response is one frame, the JSON of
//! `Result<Ingested, IngestError>`. A worker that dies or overruns is killed and replaced,
//! and its file alone gets [`IngestError::Unreadable`].

use super::{IngestError, Ingested};
use crate::config::Limits;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

/// Largest request header accepted by a worker (a file name and the limits).
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// The first frame of a request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RequestHeader {
    /// The file's name (its extension is only a hint to format detection).
    pub name: String,
    /// The limits to parse under.
    pub limits: Limits,
}

/// Why a worker gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Failure {
    /// The process ended (abort, out of memory, stack overflow, killed) or broke the pipe.
    Died,
    /// No answer within the timeout.
    TimedOut(u64),
    /// An answer that is too large or not a valid response.
    BadAnswer,
    /// The process could not be started.
    Spawn,
}

impl Failure {
    fn into_error(self) -> IngestError {
        IngestError::unreadable(match self {
            Failure::Died => "解析时进程异常退出（可能是超大或构造异常的文件）".to_owned(),
            Failure::TimedOut(secs) => {
                format!("解析超时（超过 {secs} 秒，配置项 limits.file_timeout_secs）")
            }
            Failure::BadAnswer => "解析进程返回了无法识别的结果（文件可能构造异常）".to_owned(),
            Failure::Spawn => "无法启动文件解析进程".to_owned(),
        })
    }
}

/// A pool of worker processes. Thread-safe: each caller checks a worker out, so the number
/// of workers grows to the number of concurrent callers (rayon's threads, i.e. `--jobs`).
#[derive(Debug)]
pub struct Pool {
    program: PathBuf,
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    /// A pool running `program worker` (the `roundup` executable).
    pub fn new(program: impl Into<PathBuf>) -> Pool {
        Pool {
            program: program.into(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// The process-wide pool of the running executable.
    pub fn global() -> &'static Pool {
        static GLOBAL: OnceLock<Pool> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            let program = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("roundup"));
            Pool::new(program)
        })
    }

    /// Parses one file in a worker. Never panics; every failure of the worker becomes this
    /// file's `Unreadable` error.
    pub fn ingest(&self, name: &str, bytes: &[u8], limits: &Limits) -> Result<Ingested, IngestError> {
        let mut worker = match self.checkout() {
            Some(worker) => worker,
            None => Worker::spawn(&self.program).map_err(|_| Failure::Spawn.into_error())?,
        };
        match worker.request(name, bytes, limits) {
            Ok(answer) => {
                self.checkin(worker);
                answer
            }
            Err(failure) => Err(failure.into_error()),
        }
    }

    /// Number of idle workers (for tests and diagnostics).
    pub fn idle_workers(&self) -> usize {
        self.idle.lock().map(|idle| idle.len()).unwrap_or(0)
    }

    fn checkout(&self) -> Option<Worker> {
        self.idle.lock().ok()?.pop()
    }

    fn checkin(&self, worker: Worker) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(worker);
        }
    }
}

/// One worker process and the thread that reads its answers.
#[derive(Debug)]
struct Worker {
    child: Child,
    stdin: ChildStdin,
    answers: Receiver<io::Result<Vec<u8>>>,
    /// The worker's Job object (memory limit, killed when roundup ends); `None` where the
    /// system refused one (the per-file timeout still applies).
    #[cfg(windows)]
    job: Option<job::Job>,
}

impl Worker {
    fn spawn(program: &Path) -> io::Result<Worker> {
        let mut command = Command::new(program);
        command
            .arg("worker")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        // Not attached to roundup's console: the worker talks through pipes only, and a
        // console of roundup's alone tells a double-click start (`app::console`).
        #[cfg(windows)]
        std::os::windows::process::CommandExt::creation_flags(
            &mut command,
            windows_sys::Win32::System::Threading::CREATE_NO_WINDOW,
        );
        let mut child = command.spawn()?;
        let (stdin, stdout) = match (child.stdin.take(), child.stdout.take()) {
            (Some(stdin), Some(stdout)) => (stdin, stdout),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(io::Error::other("worker pipes missing"));
            }
        };
        #[cfg(windows)]
        let job = match job::Job::for_child(&child) {
            Ok(job) => Some(job),
            Err(_) if std::env::var_os(REQUIRE_JOB_VAR).is_none() => None,
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(e);
            }
        };
        let (sender, answers) = mpsc::channel();
        std::thread::Builder::new()
            .name("roundup-worker-reader".into())
            .spawn(move || forward_answers(stdout, &sender))?;
        Ok(Worker {
            child,
            stdin,
            answers,
            #[cfg(windows)]
            job,
        })
    }

    /// Sends one file and waits for its answer. On `Err` the worker is unusable (dropping it
    /// kills the process).
    fn request(
        &mut self,
        name: &str,
        bytes: &[u8],
        limits: &Limits,
    ) -> Result<Result<Ingested, IngestError>, Failure> {
        let header = RequestHeader {
            name: name.to_owned(),
            limits: limits.clone(),
        };
        let header = serde_json::to_vec(&header).map_err(|_| Failure::BadAnswer)?;
        #[cfg(windows)]
        if let Some(job) = &mut self.job {
            if job.set_memory_limit(limits.worker_memory_mib).is_err()
                && std::env::var_os(REQUIRE_JOB_VAR).is_some()
            {
                return Err(Failure::Spawn);
            }
        }
        write_frame(&mut self.stdin, &header)
            .and_then(|()| write_frame(&mut self.stdin, bytes))
            .and_then(|()| self.stdin.flush())
            .map_err(|_| Failure::Died)?;
        let frame = self.wait_answer(timeout_for(name, limits))?;
        serde_json::from_slice(&frame).map_err(|_| Failure::BadAnswer)
    }

    fn wait_answer(&self, timeout_secs: u64) -> Result<Vec<u8>, Failure> {
        let answer = if timeout_secs == 0 {
            self.answers.recv().map_err(|_| RecvTimeoutError::Disconnected)
        } else {
            self.answers.recv_timeout(Duration::from_secs(timeout_secs))
        };
        match answer {
            Ok(Ok(frame)) => Ok(frame),
            Ok(Err(e)) if e.kind() == io::ErrorKind::InvalidData => Err(Failure::BadAnswer),
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(Failure::Died),
            Err(RecvTimeoutError::Timeout) => Err(Failure::TimedOut(timeout_secs)),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Largest answer frame the parent accepts: a parsed file never legitimately approaches it.
const MAX_ANSWER_BYTES: u64 = 2 << 30;

/// The reader thread: forwards each answer frame until the pipe closes.
fn forward_answers(mut stdout: impl Read, sender: &mpsc::Sender<io::Result<Vec<u8>>>) {
    loop {
        let frame = match read_frame(&mut stdout, MAX_ANSWER_BYTES) {
            Ok(Some(frame)) => Ok(frame),
            Ok(None) => return,
            Err(e) => Err(e),
        };
        let failed = frame.is_err();
        if sender.send(frame).is_err() || failed {
            return;
        }
    }
}

/// Writes one frame: the length as a little-endian `u64`, then the payload.
pub fn write_frame(out: &mut impl Write, payload: &[u8]) -> io::Result<()> {
    out.write_all(&(payload.len() as u64).to_le_bytes())?;
    out.write_all(payload)
}

/// Reads one frame; `Ok(None)` at a clean end of stream. A frame longer than `max` is an
/// `InvalidData` error (nothing is allocated for it).
pub fn read_frame(input: &mut impl Read, max: u64) -> io::Result<Option<Vec<u8>>> {
    let mut len = [0u8; 8];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let len = u64::from_le_bytes(len);
    if len > max {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "frame too large"));
    }
    let mut payload = Vec::new();
    input.take(len).read_to_end(&mut payload)?;
    if (payload.len() as u64) < len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    Ok(Some(payload))
}

/// Seconds to wait for a file: the configured limit, and for `.doc` / `.wps` files also the
/// LibreOffice conversion's own timeout, so the conversion ends (and cleans up) first.
fn timeout_for(name: &str, limits: &Limits) -> u64 {
    if super::load::is_legacy_word_name(name) && limits.file_timeout_secs > 0 {
        limits.file_timeout_secs + super::convert::CONVERT_TIMEOUT.as_secs() + 10
    } else {
        limits.file_timeout_secs
    }
}

/// The worker's side: serves requests from stdin until it closes. Frames go to the original
/// stdout; anything else the process prints is sent to stderr so it cannot corrupt them.
pub fn serve() -> io::Result<()> {
    std::panic::set_hook(Box::new(|_| {}));
    let mut answers = private_stdout()?;
    let mut input = io::stdin().lock();
    while let Some(header) = read_frame(&mut input, MAX_HEADER_BYTES)? {
        let header: RequestHeader =
            serde_json::from_slice(&header).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        let bytes = read_frame(&mut input, header.limits.max_file_bytes.saturating_add(1))?
            .ok_or(io::ErrorKind::UnexpectedEof)?;
        apply_memory_limit(header.limits.worker_memory_mib);
        let answer = super::load::ingest_guarded(&header.name, &bytes, &header.limits);
        drop(bytes);
        let payload = bounded_answer(&answer, header.limits.max_result_bytes)?;
        write_frame(&mut answers, &payload)?;
        answers.flush()?;
    }
    Ok(())
}

/// The serialised answer, or a rejection of the file when it exceeds `max` bytes (0: no cap).
fn bounded_answer(answer: &Result<Ingested, IngestError>, max: u64) -> io::Result<Vec<u8>> {
    let payload = serde_json::to_vec(answer).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    if max == 0 || payload.len() as u64 <= max {
        return Ok(payload);
    }
    let refused: Result<Ingested, IngestError> = Err(IngestError::unreadable(format!(
        "文件解析后的内容超过上限（{} MiB，配置项 limits.max_result_bytes），未采用",
        max >> 20
    )));
    serde_json::to_vec(&refused).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// A handle on the process's original stdout, with file descriptor 1 pointed at stderr.
#[cfg(unix)]
fn private_stdout() -> io::Result<std::fs::File> {
    use std::os::fd::FromRawFd;
    // SAFETY: dup/dup2 on the process's own standard descriptors; the duplicate is owned by
    // the returned File and nothing else closes it.
    unsafe {
        let fd = libc::dup(1);
        if fd < 0 || libc::dup2(2, 1) < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(std::fs::File::from_raw_fd(fd))
    }
}

/// Elsewhere stdout is used as is.
#[cfg(not(unix))]
fn private_stdout() -> io::Result<io::Stdout> {
    Ok(io::stdout())
}

/// Limits the process's address space to `mib` MiB (0: no limit). Only the soft limit is set,
/// so a later request may raise it again.
#[cfg(unix)]
fn apply_memory_limit(mib: u64) {
    let bytes = if mib == 0 {
        libc::RLIM_INFINITY
    } else {
        mib.saturating_mul(1 << 20) as libc::rlim_t
    };
    // SAFETY: getrlimit/setrlimit with a valid, initialised struct.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_AS, &mut limit) == 0 {
            limit.rlim_cur = bytes.min(limit.rlim_max);
            libc::setrlimit(libc::RLIMIT_AS, &limit);
        }
    }
}

/// On Windows the parent limits the worker through its Job object ([`job::Job`]).
#[cfg(not(unix))]
fn apply_memory_limit(_mib: u64) {}

/// Set (to anything) in tests: on Windows, a worker that cannot be put in its Job object is
/// not used, so that a run's results show every worker had its limits.
#[cfg(windows)]
const REQUIRE_JOB_VAR: &str = "ROUNDUP_REQUIRE_WORKER_JOB";

/// A Windows Job object holding one worker: a memory limit for the process (the parent's
/// counterpart of `RLIMIT_AS`) and kill-on-close, so the worker ends when roundup does, even
/// when roundup itself is killed or its window closed.
#[cfg(windows)]
mod job {
    use std::io;
    use std::os::windows::io::{AsRawHandle, FromRawHandle, OwnedHandle};
    use windows_sys::Win32::System::JobObjects::{
        AssignProcessToJobObject, CreateJobObjectW, JobObjectExtendedLimitInformation,
        SetInformationJobObject, JOBOBJECT_EXTENDED_LIMIT_INFORMATION, JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
        JOB_OBJECT_LIMIT_PROCESS_MEMORY,
    };

    /// An unnamed Job object; closing its handle (dropping it, or roundup ending) kills the
    /// processes in it.
    #[derive(Debug)]
    pub(super) struct Job {
        handle: OwnedHandle,
        /// The memory limit in force (MiB, 0 none); `None` before the first is set.
        limit_mib: Option<u64>,
    }

    impl Job {
        /// A new job with kill-on-close, holding `child`. The child is put in it before it is
        /// sent any request, so it has allocated next to nothing unlimited.
        pub(super) fn for_child(child: &std::process::Child) -> io::Result<Job> {
            // SAFETY: no security attributes and no name: both pointers may be null.
            let raw = unsafe { CreateJobObjectW(std::ptr::null(), std::ptr::null()) };
            if raw.is_null() {
                return Err(io::Error::last_os_error());
            }
            // SAFETY: `raw` is a fresh handle that nothing else owns or closes.
            let handle = unsafe { OwnedHandle::from_raw_handle(raw) };
            let mut job = Job {
                handle,
                limit_mib: None,
            };
            job.set_memory_limit(0)?;
            // SAFETY: both handles are open and owned for the duration of the call.
            let assigned =
                unsafe { AssignProcessToJobObject(job.handle.as_raw_handle(), child.as_raw_handle()) };
            if assigned == 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(job)
        }

        /// Limits the committed memory of the job's process to `mib` MiB (0: no limit),
        /// keeping kill-on-close.
        pub(super) fn set_memory_limit(&mut self, mib: u64) -> io::Result<()> {
            if self.limit_mib == Some(mib) {
                return Ok(());
            }
            // SAFETY: a plain-data struct of integers, valid when zeroed.
            let mut info: JOBOBJECT_EXTENDED_LIMIT_INFORMATION = unsafe { std::mem::zeroed() };
            info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE;
            if mib > 0 {
                info.BasicLimitInformation.LimitFlags |= JOB_OBJECT_LIMIT_PROCESS_MEMORY;
                info.ProcessMemoryLimit = usize::try_from(mib.saturating_mul(1 << 20)).unwrap_or(usize::MAX);
            }
            // SAFETY: the handle is open; the pointer and length describe `info`, which the
            // call only reads.
            let set = unsafe {
                SetInformationJobObject(
                    self.handle.as_raw_handle(),
                    JobObjectExtendedLimitInformation,
                    std::ptr::from_ref(&info).cast(),
                    std::mem::size_of_val(&info) as u32,
                )
            };
            if set == 0 {
                return Err(io::Error::last_os_error());
            }
            self.limit_mib = Some(mib);
            Ok(())
        }
    }
}

/// A file's bytes as read once: the first `max + 1` bytes kept, and the size and SHA-256 of
/// everything read, so that the manifest describes exactly the bytes that were judged even
/// when the file grows or shrinks while being read.
#[derive(Debug, Clone)]
pub struct Input {
    /// The content, at most `max + 1` bytes (more means over the limit).
    pub bytes: Vec<u8>,
    /// Bytes read in total.
    pub size: u64,
    /// Lowercase hex SHA-256 of all bytes read.
    pub sha256: String,
}

/// Reads a file once, keeping at most `max + 1` bytes in memory and hashing all of it.
pub fn read_input(path: &Path, max: u64) -> io::Result<Input> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut bytes = Vec::new();
    let mut size = 0u64;
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        hasher.update(&chunk[..n]);
        let keep = (max + 1).saturating_sub(bytes.len() as u64).min(n as u64) as usize;
        bytes.extend_from_slice(&chunk[..keep]);
        size += n as u64;
    }
    let sha256 = crate::digest::hex(&hasher.finalize());
    Ok(Input { bytes, size, sha256 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_refuse_oversized_lengths() {
        let mut buf = Vec::new();
        write_frame(&mut buf, b"hello").unwrap();
        write_frame(&mut buf, b"").unwrap();
        let mut input = io::Cursor::new(buf);
        assert_eq!(read_frame(&mut input, 10).unwrap().unwrap(), b"hello");
        assert_eq!(read_frame(&mut input, 10).unwrap().unwrap(), b"");
        assert!(read_frame(&mut input, 10).unwrap().is_none());
        let mut huge = io::Cursor::new(u64::MAX.to_le_bytes().to_vec());
        let err = read_frame(&mut huge, 10).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let mut cut = Vec::new();
        write_frame(&mut cut, b"hello").unwrap();
        cut.truncate(10);
        assert!(read_frame(&mut io::Cursor::new(cut), 10).is_err());
    }

    #[test]
    fn inputs_are_hashed_whole_but_kept_bounded() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        std::fs::write(&path, vec![b'x'; 200_000]).unwrap();
        let input = read_input(&path, 1000).unwrap();
        assert_eq!(input.size, 200_000);
        assert_eq!(input.bytes.len(), 1001);
        assert_eq!(input.sha256, crate::digest::sha256_hex(&vec![b'x'; 200_000]));
    }

    #[test]
    fn a_missing_program_gives_the_file_an_unreadable_error() {
        let pool = Pool::new("/nonexistent/roundup");
        let err = pool.ingest("a.xlsx", b"PK", &Limits::default()).unwrap_err();
        assert_eq!(err.code().as_str(), "unreadable-file");
    }

    #[test]
    fn in_process_mode_reads_without_workers() {
        let err = super::super::load::ingest_guarded("a.xlsx", b"", &Limits::default()).unwrap_err();
        assert_eq!(err.code().as_str(), "unreadable-file");
    }
}
