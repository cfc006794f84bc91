//! The run log, `outbox/logs/roundup-<round>.log`: each run's summary and diagnostics,
//! appended, outside the round folder (which holds only the deterministic outputs). Every
//! name and message is written with control characters escaped: one entry is one line.

use crate::config::Round;
use crate::merge::RoundReport;
use crate::text::sanitize::display_name;
use std::io::Write;
use std::path::Path;

/// Appends the run's summary and diagnostics to the round's log. Failure to log is not fatal.
pub fn append(outbox: &Path, round: &Round, summary: &str, report: &RoundReport) {
    let dir = outbox.join("logs");
    let Ok(()) = std::fs::create_dir_all(&dir) else {
        return;
    };
    let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("roundup-{}.log", round.id)))
    else {
        return;
    };
    let now = chrono::Local::now().format("%Y-%m-%d %H:%M:%S");
    let summary: Vec<_> = summary.lines().map(display_name).collect();
    let _ = writeln!(file, "[{now}] {}", summary.join("\n  "));
    for d in &report.issues {
        let _ = writeln!(
            file,
            "  {}[{}] {} {} {}",
            d.level.as_str(),
            d.code,
            display_name(d.file.as_deref().unwrap_or("")),
            display_name(d.location.as_deref().unwrap_or("")),
            display_name(&d.message)
        );
    }
}
