//! The write stage as a user meets it: one run at a time (an OS lock that a dead run never
//! leaves held), a round's outputs replaced as one set, a failed or killed run leaving the
//! previous set (or the complete new one) and nothing else, the user's own files in the round
//! folder kept, and permissions that follow the umask.

mod common;

use common::{copy_dir, foreign, path, read_json, roundup};
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn run_round_env(inbox: &Path, outbox: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_roundup"));
    command.current_dir(common::repo()).args([
        "run",
        "--round",
        "2024Q1",
        "--inbox",
        path(inbox),
        "--outbox",
        path(outbox),
        "--quiet",
    ]);
    for (k, v) in env {
        command.env(k, v);
    }
    command.output().expect("roundup runs")
}

/// Every file below `dir` (relative path -> bytes).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.map(Result::unwrap) {
            let p = entry.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Whether the round folder holds exactly the outputs its manifest lists, with their hashes.
fn is_consistent_set(dir: &Path) -> bool {
    let manifest = read_json(&dir.join("manifest.json"));
    let files = snapshot(dir);
    let listed = manifest["outputs"].as_array().unwrap();
    listed.len() + 1 == files.len()
        && listed.iter().all(|o| {
            let name = o["name"].as_str().unwrap();
            files
                .get(name)
                .is_some_and(|b| roundup::digest::sha256_hex(b) == o["sha256"].as_str().unwrap())
        })
}

/// Names in the outbox other than round folders and the lock file.
fn leftovers(outbox: &Path) -> Vec<String> {
    std::fs::read_dir(outbox)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".roundup-") && !n.ends_with(".lock"))
        .collect()
}

fn fixture_inbox() -> Option<tempfile::TempDir> {
    let source = foreign()?;
    let inbox = tempfile::tempdir().unwrap();
    copy_dir(&source, inbox.path());
    Some(inbox)
}

#[cfg(target_os = "linux")]
#[test]
fn a_second_concurrent_run_exits_2_and_a_dead_runs_lock_blocks_nobody() {
    let Some(inbox) = fixture_inbox() else { return };
    let out = tempfile::tempdir().unwrap();
    let lock = out.path().join(".roundup-2024Q1.lock");
    let Ok(mut holder) = Command::new("flock")
        .arg("-o")
        .arg(&lock)
        .args(["sleep", "120"])
        .spawn()
    else {
        eprintln!("skipped: flock(1) not available");
        return;
    };
    // Give flock a moment to take the lock.
    for _ in 0..50 {
        if lock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(100));
    let result = run_round_env(inbox.path(), out.path(), &[]);
    holder.kill().ok();
    holder.wait().ok();
    assert_eq!(result.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&result.stderr).contains("另一个 roundup"));
    // The lock file is still there, held by nobody (as after a crash or a reboot): no block.
    std::fs::write(&lock, "1").unwrap();
    let result = run_round_env(inbox.path(), out.path(), &[]);
    assert!(
        matches!(result.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
}

#[test]
fn a_failed_write_leaves_the_previous_outputs_intact_and_no_temporary_files() {
    let Some(inbox) = fixture_inbox() else { return };
    let out = tempfile::tempdir().unwrap();
    run_round_env(inbox.path(), out.path(), &[]);
    let round_dir = out.path().join("2024Q1");
    let before = snapshot(&round_dir);
    std::fs::remove_file(inbox.path().join("市建委2024年第一季度进展情况.xlsx")).unwrap();
    let result = run_round_env(
        inbox.path(),
        out.path(),
        &[("ROUNDUP_TEST_FAIL_WRITE", "roundup.json")],
    );
    assert_eq!(
        result.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(String::from_utf8_lossy(&result.stderr).contains("roundup.json"));
    assert_eq!(
        snapshot(&round_dir),
        before,
        "a failed run changed the previous outputs"
    );
    assert_eq!(leftovers(out.path()), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn a_run_killed_at_any_step_leaves_one_consistent_set_and_the_next_run_cleans_up() {
    let Some(inbox) = fixture_inbox() else { return };
    let out = tempfile::tempdir().unwrap();
    run_round_env(inbox.path(), out.path(), &[]);
    let round_dir = out.path().join("2024Q1");
    let old = snapshot(&round_dir);
    // The next run's outputs differ: one file fewer in the inbox.
    std::fs::remove_file(inbox.path().join("市建委2024年第一季度进展情况.xlsx")).unwrap();
    for step in ["staged-outputs", "staged-all", "old-set-aside", "swapped"] {
        let killed = run_round_env(inbox.path(), out.path(), &[("ROUNDUP_TEST_CRASH_AT", step)]);
        assert_eq!(killed.status.code(), None, "{step}: the hook aborts the process");
        // What a reader of the outbox sees right after the kill: the old set, or the new one
        // complete ("old-set-aside" leaves the old set aside, restored by the next run).
        if step != "old-set-aside" {
            assert!(is_consistent_set(&round_dir), "{step}: inconsistent outputs");
        }
        let again = run_round_env(inbox.path(), out.path(), &[]);
        assert!(matches!(again.status.code(), Some(0 | 1)), "{step}");
        assert!(
            is_consistent_set(&round_dir),
            "{step}: the next run left an inconsistent set"
        );
        assert_ne!(
            snapshot(&round_dir),
            old,
            "{step}: the next run wrote the new set"
        );
        assert_eq!(leftovers(out.path()), Vec::<String>::new(), "{step}: leftovers");
        // Back to the old state for the next step.
        std::fs::remove_dir_all(&round_dir).unwrap();
        std::fs::create_dir_all(&round_dir).unwrap();
        for (name, bytes) in &old {
            let p = round_dir.join(name);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
}

#[test]
fn a_users_own_file_in_the_round_folder_survives_a_rerun() {
    let Some(inbox) = fixture_inbox() else { return };
    let out = tempfile::tempdir().unwrap();
    run_round_env(inbox.path(), out.path(), &[]);
    let note = out.path().join("2024Q1/办公室备注.txt");
    std::fs::write(&note, "已发送领导").unwrap();
    let result = run_round_env(inbox.path(), out.path(), &[]);
    assert!(matches!(result.status.code(), Some(0 | 1)));
    assert_eq!(std::fs::read_to_string(&note).unwrap(), "已发送领导");
}

#[cfg(unix)]
#[test]
fn outputs_follow_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let Some(inbox) = fixture_inbox() else { return };
    let out = tempfile::tempdir().unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022 && exec '{}' run --round 2024Q1 --inbox '{}' --outbox '{}' --quiet",
            env!("CARGO_BIN_EXE_roundup"),
            path(inbox.path()),
            path(out.path())
        ))
        .current_dir(common::repo())
        .status()
        .unwrap();
    assert!(matches!(status.code(), Some(0 | 1)));
    let mode = std::fs::metadata(out.path().join("2024Q1/roundup.json"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o644);
    let _ = roundup(&["--version"]);
}
