//! The Windows build under wine (issue #16): `roundup.exe` cross-built with mingw-w64 runs the
//! sample inbox (with no arguments, from a bundle-like folder, as a double-click starts it) and
//! the foreign-made round to the same `roundup.json` as the Linux build, through Chinese file
//! names and paths with spaces; `check`, `status`, `templates` and `tasks` run and agree with
//! Linux. The parsing workers run in their Job objects (`ROUNDUP_REQUIRE_WORKER_JOB`).
//!
//! Needs the `x86_64-pc-windows-gnu` standard library (`rustup target add`), mingw-w64
//! (`x86_64-w64-mingw32-gcc`) and wine 8 (`wine64`); each test skips with a printed reason
//! when one is missing (`.ci/run` installs them). Wine 8 lacks `bcryptprimitives.dll`, which
//! Rust's standard library needs at start-up: `tests/fixtures/windows/bcryptprimitives.c` is
//! compiled into a stand-in placed beside the executable (real Windows 10/11 has the DLL).
//! The wine prefix is private, under Cargo's temp folder for tests, created on first use
//! (about 20–30 s) and reused.

mod common;

use common::{copy_dir, foreign, repo};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

const TARGET: &str = "x86_64-pc-windows-gnu";
const MINGW_GCC: &str = "x86_64-w64-mingw32-gcc";

/// What the tests need to run Windows programs: wine, its prefix, and the built executable
/// with the stand-in DLL.
struct Wine {
    wine: PathBuf,
    prefix: PathBuf,
    exe: PathBuf,
    shim: PathBuf,
}

/// The shared set-up, once per test process: `Err` holds why the tests skip.
fn wine() -> Option<&'static Wine> {
    static WINE: OnceLock<Result<Wine, String>> = OnceLock::new();
    match WINE.get_or_init(set_up) {
        Ok(wine) => Some(wine),
        Err(reason) => {
            eprintln!("skipped: {reason}");
            None
        }
    }
}

fn set_up() -> Result<Wine, String> {
    let started = Instant::now();
    let wine = find_wine().ok_or("wine (wine64) is not installed")?;
    if !on_path(MINGW_GCC) {
        return Err(format!("mingw-w64 ({MINGW_GCC}) is not installed"));
    }
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| format!("rustc: {e}"))?;
    let sysroot = PathBuf::from(String::from_utf8_lossy(&sysroot.stdout).trim());
    if !sysroot.join("lib/rustlib").join(TARGET).is_dir() {
        return Err(format!(
            "the {TARGET} standard library is not installed (rustup target add {TARGET})"
        ));
    }
    let exe = build_exe()?;
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("windows");
    std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
    let shim = tmp.join("bcryptprimitives.dll");
    let source = repo().join("tests/fixtures/windows/bcryptprimitives.c");
    let compiled = Command::new(MINGW_GCC)
        .args(["-shared", "-O2", "-s", "-o"])
        .arg(&shim)
        .arg(&source)
        .arg("-ladvapi32")
        .output()
        .map_err(|e| format!("{MINGW_GCC}: {e}"))?;
    if !compiled.status.success() {
        return Err(format!(
            "the bcryptprimitives stand-in did not compile: {}",
            String::from_utf8_lossy(&compiled.stderr)
        ));
    }
    let prefix = tmp.join("wine-prefix");
    let wine = Wine {
        wine,
        prefix,
        exe,
        shim,
    };
    wine.boot()?;
    eprintln!(
        "windows: set up in {:.0} s (exe {} bytes)",
        started.elapsed().as_secs_f64(),
        std::fs::metadata(&wine.exe).map(|m| m.len()).unwrap_or(0)
    );
    Ok(wine)
}

/// `wine64` (Debian's wine64 package puts it in /usr/lib/wine), else `wine`.
fn find_wine() -> Option<PathBuf> {
    ["wine64", "wine"]
        .iter()
        .find(|name| on_path(name))
        .map(PathBuf::from)
        .or_else(|| {
            let debian = PathBuf::from("/usr/lib/wine/wine64");
            debian.is_file().then_some(debian)
        })
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

/// The release Windows executable, built here (a no-op when up to date; set
/// `ROUNDUP_WINDOWS_EXE` to test one built elsewhere).
fn build_exe() -> Result<PathBuf, String> {
    if let Some(exe) = std::env::var_os("ROUNDUP_WINDOWS_EXE") {
        return Ok(PathBuf::from(exe));
    }
    // target/debug/roundup -> target
    let target_dir = Path::new(env!("CARGO_BIN_EXE_roundup"))
        .ancestors()
        .nth(2)
        .ok_or("no target folder")?
        .to_path_buf();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let started = Instant::now();
    let built = Command::new(cargo)
        .current_dir(repo())
        .args(["build", "--release", "--bin", "roundup", "--target", TARGET])
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .map_err(|e| format!("cargo: {e}"))?;
    if !built.status.success() {
        panic!(
            "the Windows build failed:\n{}",
            String::from_utf8_lossy(&built.stderr)
        );
    }
    eprintln!(
        "windows: cargo build --release --target {TARGET}: {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(target_dir.join(TARGET).join("release/roundup.exe"))
}

impl Wine {
    /// A command running `program` under wine with the private prefix, quietly.
    fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(&self.wine);
        command
            .arg(program)
            .env("WINEPREFIX", &self.prefix)
            .env("WINEDEBUG", "-all")
            .env("WINEDLLOVERRIDES", "mscoree,mshtml=")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null());
        command
    }

    /// Creates the prefix (20–30 s) unless it is there from an earlier run.
    fn boot(&self) -> Result<(), String> {
        if self.prefix.join("system.reg").is_file() {
            return Ok(());
        }
        let started = Instant::now();
        let boot = |wine: &Wine| wine.command("wineboot").arg("-i").output();
        let mut booted = boot(self).map_err(|e| format!("wine: {e}"))?;
        if !booted.status.success() {
            // A prefix left broken by an interrupted run: start afresh once.
            let _ = std::fs::remove_dir_all(&self.prefix);
            booted = boot(self).map_err(|e| format!("wine: {e}"))?;
        }
        if !booted.status.success() {
            return Err(format!(
                "wineboot failed: {}",
                String::from_utf8_lossy(&booted.stderr)
            ));
        }
        eprintln!(
            "windows: wine prefix ready in {:.0} s",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// A bundle-like folder (`roundup.exe`, the stand-in DLL, `templates/`) in a temp folder
    /// whose path has a space and Chinese characters.
    fn bundle(&self) -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("督查 汇总");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(&self.exe, dir.join("roundup.exe")).unwrap();
        std::fs::copy(&self.shim, dir.join("bcryptprimitives.dll")).unwrap();
        copy_tree(&repo().join("templates"), &dir.join("templates"));
        (tmp, dir)
    }

    /// Runs `roundup.exe` in `dir` (the workers required to have their Job objects), timing
    /// it and printing what it printed.
    fn roundup(&self, dir: &Path, args: &[&str]) -> Output {
        let started = Instant::now();
        let output = self
            .command(dir.join("roundup.exe"))
            .args(args)
            .current_dir(dir)
            .env("ROUNDUP_REQUIRE_WORKER_JOB", "1")
            .output()
            .expect("wine runs");
        eprintln!(
            "windows: roundup.exe {} -> {:?} in {:.1} s\n{}",
            args.join(" "),
            output.status.code(),
            started.elapsed().as_secs_f64(),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

/// Runs the Linux build in `dir`.
fn linux(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("roundup runs")
}

/// Copies a folder tree.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// JSON with every `\` in strings turned into `/` (Windows path separators).
fn normalised(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(s.replace('\\', "/")),
        Value::Array(items) => Value::Array(items.into_iter().map(normalised).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, normalised(v))).collect()),
        other => other,
    }
}

fn json_file(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    normalised(serde_json::from_str(&text).expect("valid JSON"))
}

fn json_stdout(output: &Output) -> Value {
    normalised(serde_json::from_slice(&output.stdout).expect("JSON on stdout"))
}

/// Asserts two `roundup.json` are equal, naming the first differing part.
fn assert_same_result(windows: &Value, linux: &Value) {
    for key in ["round", "tasks", "submissions", "missing_units", "issues"] {
        assert_eq!(
            windows[key], linux[key],
            "roundup.json `{key}` differs from Linux"
        );
    }
    assert_eq!(windows, linux, "roundup.json differs from Linux");
    assert!(!linux["tasks"].as_array().unwrap().is_empty());
}

/// The Windows release bundle made by `cargo run --example dist` twice, from the executable
/// the tests built: its path, its bytes the same both times.
fn release_zip(wine: &Wine, out: &Path) -> PathBuf {
    let target_dir = wine.exe.ancestors().nth(3).expect("target folder").to_path_buf();
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let built = Command::new(cargo)
        .current_dir(repo())
        .args(["build", "--example", "dist"])
        .env("CARGO_TARGET_DIR", &target_dir)
        .output()
        .expect("cargo runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let dist = target_dir.join("debug/examples/dist");
    let mut zips = Vec::new();
    for run in ["a", "b"] {
        let dir = out.join(run);
        let made = Command::new(&dist)
            .args(["--no-build", "--only", "windows", "--out"])
            .arg(&dir)
            .output()
            .expect("dist runs");
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        eprint!("windows: {}", String::from_utf8_lossy(&made.stdout));
        let name = format!("roundup-{}-windows-x86_64.zip", env!("CARGO_PKG_VERSION"));
        zips.push(dir.join(name));
    }
    let (a, b) = (std::fs::read(&zips[0]).unwrap(), std::fs::read(&zips[1]).unwrap());
    assert!(a == b, "two bundles from the same executable differ");
    zips.swap_remove(0)
}

#[test]
fn a_double_click_run_of_the_release_bundle_consolidates_the_sample_like_linux() {
    let Some(wine) = wine() else { return };
    if std::env::var_os("ROUNDUP_WINDOWS_EXE").is_some() {
        eprintln!("skipped: the release bundle is made from the executable the tests build");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let zip = release_zip(wine, &tmp.path().join("dist"));
    // Unpacked where a clerk might, in a folder with a space and Chinese in its path.
    let unpacked = tmp.path().join("下载 文件");
    let file = std::fs::File::open(&zip).unwrap();
    zip::ZipArchive::new(file).unwrap().extract(&unpacked).unwrap();
    let dir = unpacked.join(zip.file_stem().unwrap());
    for name in [
        "roundup.exe",
        "使用说明.txt",
        "templates/roundup.toml",
        "inbox/使用说明.txt",
    ] {
        assert!(dir.join(name).is_file(), "the bundle lacks {name}");
    }
    let guide = std::fs::read_to_string(dir.join("使用说明.txt")).unwrap();
    assert!(guide.contains("双击 roundup.exe") && guide.contains("\r\n"));
    std::fs::copy(&wine.shim, dir.join("bcryptprimitives.dll")).unwrap();

    // No arguments, as Explorer starts it: today's round has no folder, so the newest one.
    let output = wine.roundup(&dir, &[]);
    let console = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{console}");
    assert!(console.contains("轮次：2024年第二季度（2024Q2）"), "{console}");
    assert!(
        console.contains("汇总表、工作简报、反馈表和 roundup.json 在文件夹："),
        "{console}"
    );
    assert!(console.contains("outbox\\2024Q2"), "{console}");
    // Input is no console window of its own: no waiting for a key.
    assert!(!console.contains("按任意键"), "{console}");
    for name in ["汇总表-2024Q2.xlsx", "工作简报-2024Q2.docx", "manifest.json"] {
        assert!(dir.join("outbox/2024Q2").join(name).is_file(), "{name} missing");
    }

    // Started from another folder (a shortcut): works in the executable's folder.
    let output = wine
        .command(dir.join("roundup.exe"))
        .current_dir(dir.parent().unwrap())
        .output()
        .unwrap();
    let console = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{console}");
    assert!(console.contains("工作文件夹："), "{console}");

    let out = tempfile::tempdir().unwrap();
    let outbox = out.path().to_str().unwrap();
    let native = linux(
        &repo(),
        &[
            "run",
            "--round",
            "2024Q2",
            "--inbox",
            dir.join("inbox").to_str().unwrap(),
            "--outbox",
            outbox,
            "-q",
        ],
    );
    assert_eq!(native.status.code(), Some(1));
    assert_same_result(
        &json_file(&dir.join("outbox/2024Q2/roundup.json")),
        &json_file(&out.path().join("2024Q2/roundup.json")),
    );
}

#[test]
fn the_foreign_round_in_a_path_with_spaces_consolidates_like_linux() {
    let Some(wine) = wine() else { return };
    let Some(source) = foreign() else { return };
    let (_tmp, dir) = wine.bundle();
    let inbox = dir.join("外来 材料 2024Q1");
    copy_dir(&source, &inbox);
    let args = [
        "run",
        "--round",
        "2024Q1",
        "--inbox",
        "外来 材料 2024Q1",
        "--outbox",
        "输出 文件夹",
        "--jobs",
        "2",
    ];
    let output = wine.roundup(&dir, &args);
    assert!(matches!(output.status.code(), Some(0 | 1)), "{output:?}");
    // The Linux build writes to the same folder names, after the Windows result is read.
    let windows = json_file(&dir.join("输出 文件夹/2024Q1/roundup.json"));
    std::fs::remove_dir_all(dir.join("输出 文件夹")).unwrap();
    let native = linux(&dir, &args);
    assert_eq!(output.status.code(), native.status.code(), "{native:?}");
    assert_same_result(&windows, &json_file(&dir.join("输出 文件夹/2024Q1/roundup.json")));
}

#[test]
fn check_status_templates_and_tasks_run_and_agree_with_linux() {
    let Some(wine) = wine() else { return };
    let (_tmp, dir) = wine.bundle();
    copy_tree(&repo().join("inbox/2024Q2"), &dir.join("inbox/2024Q2"));

    // `check` takes the round from the round folder in its path.
    let args = ["check", "--format", "json", "inbox/2024Q2"];
    let (windows, native) = (wine.roundup(&dir, &args), linux(&dir, &args));
    assert_eq!(windows.status.code(), Some(1));
    assert_eq!(windows.status.code(), native.status.code());
    let (w, n) = (json_stdout(&windows), json_stdout(&native));
    assert!(!n["files"].as_array().unwrap().is_empty());
    assert_eq!(w, n, "check --format json differs from Linux");

    // Word 97–2003 reports, read by the native reader (no LibreOffice under wine).
    let legacy = dir.join("旧版 报告");
    std::fs::create_dir_all(&legacy).unwrap();
    for entry in std::fs::read_dir(repo().join("tests/fixtures/doc")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "doc") {
            std::fs::copy(&path, legacy.join(path.file_name().unwrap())).unwrap();
        }
    }
    let args = ["check", "--round", "2024Q1", "--format", "json", "旧版 报告"];
    let (windows, native) = (wine.roundup(&dir, &args), linux(&dir, &args));
    assert_eq!(windows.status.code(), native.status.code());
    let (w, n) = (json_stdout(&windows), json_stdout(&native));
    assert!(n["files"].as_array().unwrap().len() >= 15, "{n}");
    assert!(
        n["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["kind"] == "report" && f["unit"].is_string()),
        "{n}"
    );
    assert_eq!(w, n, "check of .doc reports differs from Linux");

    // `status`: the same text, but for path separators and line ends.
    let args = ["status", "-q"];
    let (windows, native) = (wine.roundup(&dir, &args), linux(&dir, &args));
    assert_eq!(windows.status.code(), native.status.code());
    let text = |o: &Output| {
        String::from_utf8_lossy(&o.stdout)
            .replace('\\', "/")
            .replace("\r\n", "\n")
    };
    assert!(text(&native).contains("未报送（催报名单）"));
    assert_eq!(text(&windows), text(&native));

    let args = ["tasks", "list", "--format", "json"];
    let (windows, native) = (wine.roundup(&dir, &args), linux(&dir, &args));
    assert_eq!(windows.status.code(), Some(0));
    assert_eq!(json_stdout(&windows), json_stdout(&native));
    assert_eq!(json_stdout(&native).as_array().unwrap().len(), 104);

    let windows = wine.roundup(
        &dir,
        &["templates", "--round", "2024Q3", "--unit", "市工信局", "-q"],
    );
    assert_eq!(windows.status.code(), Some(0), "{windows:?}");
    assert!(windows.stderr.is_empty(), "quiet templates printed: {windows:?}");
    let forms: Vec<String> = std::fs::read_dir(dir.join("outbox/templates/2024Q3"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(forms.len(), 2, "{forms:?}");
    assert!(forms.iter().all(|f| f.contains("市工信局")), "{forms:?}");
}

// The first-run behaviour the bundle relies on, with the native build (no wine needed).

#[test]
fn no_arguments_runs_the_newest_round_folder_and_says_where_the_outputs_are() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("督查 汇总");
    copy_tree(&repo().join("templates"), &dir.join("templates"));
    copy_tree(&repo().join("inbox/2024Q2"), &dir.join("inbox/2024Q2"));
    let output = linux(&dir, &[]);
    let console = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{console}");
    assert!(console.contains("轮次：2024年第二季度（2024Q2）"), "{console}");
    let folder = std::path::absolute(dir.join("outbox/2024Q2")).unwrap();
    assert!(
        console.contains(&format!("在文件夹：{}", folder.display())),
        "{console}"
    );
    assert!(!console.contains("按任意键"), "{console}");
    assert!(dir.join("outbox/2024Q2/roundup.json").is_file());

    // Started elsewhere (a shortcut, a scheduler): the executable's folder is used when it
    // has the configuration and the current folder has not. Here the executable's folder is
    // Cargo's, without templates/, so the run stops with exit 2 and a clear message.
    let elsewhere = tempfile::tempdir().unwrap();
    let output = linux(elsewhere.path(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("templates"));
}

#[test]
fn check_takes_the_round_from_the_round_folder_in_its_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    copy_tree(&repo().join("templates"), &dir.join("templates"));
    copy_tree(&repo().join("inbox/2024Q2"), &dir.join("inbox/2024Q2"));
    let stale = "市卫健委-2024年第一季度进展表.xlsx";
    let output = linux(dir, &["check", "--format", "json", "inbox/2024Q2"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("按轮次 2024年第二季度（2024Q2）校验"), "{stderr}");
    let json = json_stdout(&output);
    // Checked against 2024Q2, only the first-quarter table is stale.
    let stale_files: Vec<&str> = json["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["code"] == "stale-round")
        .filter_map(|i| i["file"].as_str())
        .collect();
    assert_eq!(stale_files, [stale], "{json}");
    // The same from inside the folder, and for a single file in it.
    let inside = linux(
        &dir.join("inbox/2024Q2"),
        &[
            "check",
            "--config",
            "../../templates/roundup.toml",
            "-q",
            "--format",
            "json",
            ".",
        ],
    );
    assert_eq!(json_stdout(&inside)["issues"], json["issues"]);
    let file = format!("inbox/2024Q2/{stale}");
    let one = linux(dir, &["check", &file]);
    assert!(String::from_utf8_lossy(&one.stderr).contains("2024Q2"));
    // Paths in two rounds' folders: ask for --round.
    copy_tree(&repo().join("inbox/2024Q2"), &dir.join("inbox/2024Q1"));
    let two = linux(dir, &["check", "inbox/2024Q1", "inbox/2024Q2"]);
    assert_eq!(two.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&two.stderr).contains("--round"));
    let chosen = linux(
        dir,
        &["check", "--round", "2024Q2", "-q", "inbox/2024Q1", "inbox/2024Q2"],
    );
    assert_eq!(chosen.status.code(), Some(1));
    assert!(chosen.stderr.is_empty(), "{chosen:?}");
}
