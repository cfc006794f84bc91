//! Reliability, second pass (issue #15), ingest side: each test is named after a defect the
//! probe found and runs the real binary on a small good round with the bad entry mixed in.
//! Fixtures are generated here: merged-range and huge-text bombs, non-UTF-8 names, files
//! swapped after discovery, a sparse file over the size limit, an unreadable folder and a
//! folder link.

mod common;

use common::{path, read_json, repo, roundup};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// Good files of the sample round, copied into every test inbox.
const GOOD: [&str; 3] = [
    "2024Q2_市人社局_进展表.xlsx",
    "市公安局2024年第二季度进展情况.xlsx",
    "附件1 市商务局任务推进情况表.xlsx",
];

fn sample(name: &str) -> PathBuf {
    repo().join("inbox/2024Q2").join(name)
}

/// A flat inbox holding the good files.
fn good_inbox(dir: &Path) -> PathBuf {
    let inbox = dir.join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    for name in GOOD {
        std::fs::copy(sample(name), inbox.join(name)).unwrap();
    }
    inbox
}

fn run_args<'a>(inbox: &'a Path, outbox: &'a Path) -> Vec<&'a str> {
    vec![
        "run",
        "--round",
        "2024Q2",
        "--inbox",
        path(inbox),
        "--outbox",
        path(outbox),
        "--quiet",
    ]
}

fn run(inbox: &Path, outbox: &Path) -> Output {
    roundup(&run_args(inbox, outbox))
}

/// The round's folder in the outbox.
fn round_dir(outbox: &Path) -> PathBuf {
    outbox.join("2024Q2")
}

fn manifest_input(outbox: &Path, rel: &str) -> Value {
    let manifest = read_json(&round_dir(outbox).join("manifest.json"));
    manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == rel)
        .cloned()
        .unwrap_or_else(|| panic!("{rel} missing from the manifest: {manifest:#}"))
}

fn issues_of(outbox: &Path, file: &str) -> Vec<Value> {
    let report = read_json(&round_dir(outbox).join("roundup.json"));
    report["issues"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["file"] == file)
        .cloned()
        .collect()
}

/// Exit 1 and every output of the round written.
fn assert_round_written(result: &Output, outbox: &Path) {
    assert_eq!(result.status.code(), Some(1), "{result:?}");
    let dir = round_dir(outbox);
    for name in [
        "manifest.json",
        "roundup.json",
        "汇总表-2024Q2.xlsx",
        "工作简报-2024Q2.docx",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
}

/// The parts of an xlsx, by name.
fn parts(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut data = Vec::new();
            file.read_to_end(&mut data).unwrap();
            (file.name().unwrap().into_owned(), data)
        })
        .collect()
}

/// A zip package of `parts`, deflated.
fn package(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        out.start_file(name.as_str(), options).unwrap();
        out.write_all(data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// A copy of a sample file with `edit` applied to the part named `part`.
fn edited(sample_name: &str, part: &str, edit: impl Fn(&str) -> String) -> Vec<u8> {
    let mut parts = parts(&std::fs::read(sample(sample_name)).unwrap());
    let target = parts.iter_mut().find(|(n, _)| n == part).expect("part present");
    target.1 = edit(std::str::from_utf8(&target.1).unwrap()).into_bytes();
    package(&parts)
}

/// Total size of the files below `dir`.
fn tree_size(dir: &Path) -> u64 {
    let mut total = 0;
    for entry in std::fs::read_dir(dir).unwrap().map(Result::unwrap) {
        let meta = entry.metadata().unwrap();
        total += if meta.is_dir() {
            tree_size(&entry.path())
        } else {
            meta.len()
        };
    }
    total
}

#[test]
fn small_files_expand_to_gigabytes_merged_range_over_the_whole_sheet() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = good_inbox(tmp.path());
    let bomb = edited(GOOD[1], "xl/worksheets/sheet1.xml", |xml| {
        let xml = regex_free_remove(xml, "<mergeCells", "</mergeCells>");
        xml.replacen(
            "</sheetData>",
            r#"</sheetData><mergeCells count="1"><mergeCell ref="I1:XFD1048576"/></mergeCells>"#,
            1,
        )
    });
    assert!(bomb.len() < 64 << 10);
    std::fs::write(inbox.join("市公安局2024年第二季度进展情况（合并）.xlsx"), &bomb).unwrap();
    let outbox = tmp.path().join("out");
    let started = Instant::now();
    let result = run(&inbox, &outbox);
    assert!(matches!(result.status.code(), Some(0 | 1)), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    let size = tree_size(&round_dir(&outbox));
    assert!(size < 5 << 20, "outputs of {size} bytes");
}

/// `xml` without the first `<open…close>` element, when present.
fn regex_free_remove(xml: &str, open: &str, close: &str) -> String {
    match (xml.find(open), xml.find(close)) {
        (Some(start), Some(end)) if end > start => format!("{}{}", &xml[..start], &xml[end + close.len()..]),
        _ => xml.to_owned(),
    }
}

/// The longest run of one character in `text`.
fn longest_run(text: &str, c: char) -> usize {
    let (mut best, mut now) = (0, 0);
    for ch in text.chars() {
        now = if ch == c { now + 1 } else { 0 };
        best = best.max(now);
    }
    best
}

#[test]
fn small_files_expand_to_gigabytes_huge_cell_is_cut_at_excel_s_limit() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = good_inbox(tmp.path());
    let long = "长".repeat(200_000);
    let bomb = edited(GOOD[0], "xl/worksheets/sheet1.xml", |xml| {
        // The progress text of the first task row becomes 200,000 characters long.
        let cell = format!(r#"<c r="F5" s="5" t="inlineStr"><is><t>{long}</t></is></c>"#);
        xml.replacen(r#"<c r="F5" s="5" t="s"><v>24</v></c>"#, &cell, 1)
    });
    assert!(bomb.len() < 64 << 10);
    std::fs::write(inbox.join(GOOD[0]), &bomb).unwrap();
    let outbox = tmp.path().join("out");
    let result = run(&inbox, &outbox);
    assert_round_written(&result, &outbox);
    let json = std::fs::read_to_string(round_dir(&outbox).join("roundup.json")).unwrap();
    let kept = longest_run(&json, '长');
    assert!(
        (30_000..=32_767).contains(&kept),
        "a cell's text is capped: {kept}"
    );
    let notes = issues_of(&outbox, GOOD[0]);
    assert!(
        notes
            .iter()
            .any(|n| n["location"].as_str().is_some_and(|l| l.ends_with("F5"))
                && n["message"].as_str().unwrap().contains("已截断")),
        "{notes:#?}"
    );
}

#[test]
fn small_files_expand_to_gigabytes_huge_paragraph_is_cut_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = good_inbox(tmp.path());
    let report = "附件2 市人社局工作报告.docx";
    let long = "长".repeat(200_000);
    let bomb = edited(report, "word/document.xml", |xml| {
        let start = xml.find("<w:body>").unwrap() + "<w:body>".len();
        format!(
            "{}<w:p><w:r><w:t>{long}</w:t></w:r></w:p>{}",
            &xml[..start],
            &xml[start..]
        )
    });
    std::fs::write(inbox.join(report), &bomb).unwrap();
    let outbox = tmp.path().join("out");
    let result = run(&inbox, &outbox);
    assert_round_written(&result, &outbox);
    let json = std::fs::read_to_string(round_dir(&outbox).join("roundup.json")).unwrap();
    assert!(longest_run(&json, '长') <= 32_767, "a paragraph's text is capped");
    let notes = issues_of(&outbox, report);
    assert!(
        notes
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("已截断")),
        "{notes:#?}"
    );
}

#[test]
fn small_files_expand_to_gigabytes_result_over_the_cap_is_rejected() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = good_inbox(tmp.path());
    let config_dir = tmp.path().join("config");
    std::fs::create_dir_all(&config_dir).unwrap();
    let templates = repo().join("templates");
    for name in ["tasks.toml", "bulletin.j2"] {
        std::fs::copy(templates.join(name), config_dir.join(name)).unwrap();
    }
    let text = std::fs::read_to_string(templates.join("roundup.toml")).unwrap();
    let start = text.find("\nmax_result_bytes = ").expect("limit present") + 1;
    let end = start + text[start..].find('\n').unwrap();
    let mut text = text.clone();
    text.replace_range(start..end, "max_result_bytes = 2000");
    let config = config_dir.join("roundup.toml");
    std::fs::write(&config, text).unwrap();
    let outbox = tmp.path().join("out");
    let mut args = run_args(&inbox, &outbox);
    args.extend(["--config", path(&config)]);
    let result = roundup(&args);
    assert!(matches!(result.status.code(), Some(1)), "{result:?}");
    let input = manifest_input(&outbox, GOOD[0]);
    assert_eq!(input["outcome"], "rejected");
    let notes = issues_of(&outbox, GOOD[0]);
    assert!(
        notes
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("max_result_bytes")),
        "{notes:#?}"
    );
}

#[cfg(unix)]
#[test]
fn non_utf8_file_names_collide_and_leak_one_unit_s_data_into_another_s_feedback() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    // Two names that are not UTF-8 and not GB18030 either: both display as `�.xlsx`.
    let raw: [(&[u8], &str); 2] = [(b"\xff.xlsx", GOOD[0]), (b"\xfe.xlsx", GOOD[2])];
    for (name, source) in raw {
        std::fs::copy(sample(source), inbox.join(std::ffi::OsStr::from_bytes(name))).unwrap();
    }
    // A GBK name (as copied from Windows): 市公安局进展表.xlsx.
    let (gbk, _, _) = encoding_rs::GBK.encode("市公安局进展表.xlsx");
    std::fs::copy(sample(GOOD[1]), inbox.join(std::ffi::OsStr::from_bytes(&gbk))).unwrap();
    let outbox = tmp.path().join("out");
    let result = run(&inbox, &outbox);
    assert!(matches!(result.status.code(), Some(0 | 1)), "{result:?}");
    let manifest = read_json(&round_dir(&outbox).join("manifest.json"));
    let paths: Vec<&str> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["path"].as_str().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = paths.iter().collect();
    assert_eq!(unique.len(), paths.len(), "{paths:?}");
    assert!(
        paths.contains(&"市公安局进展表.xlsx"),
        "GBK name decoded: {paths:?}"
    );
    assert!(
        paths.contains(&"\u{fffd}.xlsx") && paths.contains(&"\u{fffd}（2）.xlsx"),
        "{paths:?}"
    );
    let units: Vec<&str> = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["unit"].as_str())
        .collect();
    for unit in ["市人社局", "市商务局", "市公安局"] {
        assert!(units.contains(&unit), "{unit} read: {units:?}");
    }
    // Every issue is the unit's whose file it names, and no feedback shows another unit.
    let unit_of = |file: &str| {
        manifest["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["path"] == file)
            .and_then(|i| i["unit"].as_str().map(str::to_owned))
    };
    let report = read_json(&round_dir(&outbox).join("roundup.json"));
    for issue in report["issues"].as_array().unwrap() {
        if let (Some(file), Some(unit)) = (issue["file"].as_str(), issue["unit"].as_str()) {
            if let Some(owner) = unit_of(file) {
                assert_eq!(owner, unit, "{issue}");
            }
        }
    }
    for (unit, other) in [("市人社局", "市商务局"), ("市商务局", "市人社局")] {
        let feedback = round_dir(&outbox).join(format!("反馈/{unit}-2024Q2.xlsx"));
        if feedback.is_file() {
            assert!(
                !sheet_texts(&feedback).contains(other),
                "{unit}'s feedback shows {other}"
            );
        }
    }
}

/// All text of a workbook's shared strings and sheets.
fn sheet_texts(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parts(&bytes)
        .into_iter()
        .filter(|(n, _)| n.starts_with("xl/"))
        .map(|(_, d)| String::from_utf8_lossy(&d).into_owned())
        .collect()
}

#[cfg(unix)]
#[test]
fn files_swapped_after_discovery_symlink_to_outside_and_fifo_are_not_read() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = good_inbox(tmp.path());
    let outside = tmp.path().join("outside.xlsx");
    std::fs::copy(sample("市税务局-进展表.xlsx"), &outside).unwrap();
    let linked = inbox.join("替换为链接.xlsx");
    let piped = inbox.join("市文旅局-2024年第二季度进展表.xlsx");
    std::fs::copy(sample("市文旅局-2024年第二季度进展表.xlsx"), &piped).unwrap();
    std::fs::write(&linked, b"placeholder").unwrap();
    let outbox = tmp.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(repo())
        .args(run_args(&inbox, &outbox))
        .env("ROUNDUP_TEST_PAUSE_AFTER_DISCOVERY_MS", "3000")
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    std::fs::remove_file(&linked).unwrap();
    std::os::unix::fs::symlink(&outside, &linked).unwrap();
    std::fs::remove_file(&piped).unwrap();
    let fifo = std::ffi::CString::new(path(&piped)).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("the run blocks on a FIFO");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(status.code(), Some(1));
    for name in ["替换为链接.xlsx", "市文旅局-2024年第二季度进展表.xlsx"] {
        let input = manifest_input(&outbox, name);
        assert_eq!(input["outcome"], "rejected", "{name}: {input}");
        assert_eq!(input["sha256"], "", "{name}");
        let notes = issues_of(&outbox, name);
        assert!(
            notes.iter().any(|n| n["code"] == "unreadable-file"),
            "{name}: {notes:#?}"
        );
    }
    let report = read_json(&round_dir(&outbox).join("roundup.json"));
    assert!(
        !report["submissions"].to_string().contains("市税务局"),
        "the outside file's content reached roundup.json"
    );
}

#[test]
fn no_bound_on_reading_a_huge_file_sparse_5_gb_is_rejected_by_its_size() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = good_inbox(tmp.path());
    let huge = inbox.join("市税务局-进展表.xlsx");
    std::fs::File::create(&huge).unwrap().set_len(5 << 30).unwrap();
    let outbox = tmp.path().join("out");
    let started = Instant::now();
    let result = run(&inbox, &outbox);
    let elapsed = started.elapsed();
    assert_round_written(&result, &outbox);
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
    let input = manifest_input(&outbox, "市税务局-进展表.xlsx");
    assert_eq!(input["outcome"], "rejected");
    assert_eq!(input["size"], 5u64 << 30);
    assert_eq!(input["sha256"], "");
    let notes = issues_of(&outbox, "市税务局-进展表.xlsx");
    assert!(
        notes
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("max_file_bytes")),
        "{notes:#?}"
    );
}

#[test]
fn one_unreadable_subfolder_aborts_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = good_inbox(tmp.path());
    let sub = inbox.join("locked");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(sample("市税务局-进展表.xlsx"), sub.join("市税务局-进展表.xlsx")).unwrap();
    let outbox = tmp.path().join("out");
    let mut command = Command::new(env!("CARGO_BIN_EXE_roundup"));
    command.current_dir(repo()).args(run_args(&inbox, &outbox));
    if running_as_root() {
        eprintln!("running as root, where permissions do not block: the folder fails by a test hook");
        command.env("ROUNDUP_TEST_UNLISTABLE", "locked");
    } else {
        set_mode(&sub, 0o000);
    }
    let result = command.output().unwrap();
    if !running_as_root() {
        set_mode(&sub, 0o755);
    }
    assert_round_written(&result, &outbox);
    let notes = issues_of(&outbox, "locked");
    assert!(
        notes.iter().any(|n| n["level"] == "warning"),
        "a warning names the folder: {notes:#?}"
    );
    assert_eq!(manifest_input(&outbox, GOOD[0])["outcome"], "used");
}

#[cfg(unix)]
fn running_as_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

#[cfg(not(unix))]
fn running_as_root() -> bool {
    true
}

#[cfg(unix)]
fn set_mode(dir: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_dir: &Path, _mode: u32) {}

#[cfg(unix)]
#[test]
fn directory_symlinks_are_missing_from_the_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = good_inbox(tmp.path());
    let inside = inbox.join("真实文件夹");
    std::fs::create_dir(&inside).unwrap();
    std::fs::copy(
        sample("市税务局-进展表.xlsx"),
        inside.join("市税务局-进展表.xlsx"),
    )
    .unwrap();
    std::os::unix::fs::symlink(&inside, inbox.join("链接文件夹")).unwrap();
    let outbox = tmp.path().join("out");
    let result = run(&inbox, &outbox);
    assert_round_written(&result, &outbox);
    assert_eq!(manifest_input(&outbox, "链接文件夹")["outcome"], "skipped");
    assert_eq!(
        manifest_input(&outbox, "真实文件夹/市税务局-进展表.xlsx")["outcome"],
        "used"
    );
    let notes = issues_of(&outbox, "链接文件夹");
    assert!(
        notes
            .iter()
            .any(|n| n["message"].as_str().unwrap().contains("链接")),
        "{notes:#?}"
    );
}
