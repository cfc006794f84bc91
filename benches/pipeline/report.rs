//! One scenario's results (saved as JSON so that later invocations can compare scenarios), the
//! printed table, the ratios between roundup, the reference and the floor, the targets, and the
//! province→stress growth.

use crate::floor::Floor;
use crate::runs::Run;

/// Everything measured for one scenario.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct ScenarioResult {
    /// `city`, `province` or `stress`.
    pub name: String,
    /// Files in the inbox.
    pub files: usize,
    /// Bytes in the inbox.
    pub bytes: u64,
    /// `/proc/loadavg` (1, 5, 15 min) before the runs.
    pub load_before: String,
    /// `/proc/loadavg` after the runs.
    pub load_after: String,
    /// roundup at `--jobs 1` and `--jobs 2`.
    pub roundup: Vec<Run>,
    /// The reference pipeline at `--workers 1` and `--workers 2`.
    pub reference: Vec<Run>,
    /// The floor at 1 and 2 threads.
    pub floor: Vec<Floor>,
}

impl ScenarioResult {
    fn mb(&self) -> f64 {
        self.bytes as f64 / 1e6
    }

    fn roundup_at(&self, jobs: usize) -> Option<f64> {
        self.roundup.iter().find(|r| r.threads == jobs)?.best()
    }

    fn roundup_best(&self) -> Option<f64> {
        best_of(&self.roundup)
    }

    fn reference_best(&self) -> Option<(f64, usize)> {
        let run = self
            .reference
            .iter()
            .filter(|r| r.best().is_some())
            .min_by(|a, b| {
                a.best()
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.best().unwrap_or(f64::MAX))
            })?;
        Some((run.best()?, run.threads))
    }

    fn floor_at(&self, threads: usize) -> Option<f64> {
        Some(self.floor.iter().find(|f| f.threads == threads)?.wall)
    }

    fn peak_mb(&self) -> f64 {
        self.roundup.iter().map(|r| r.peak_mb).fold(0.0, f64::max)
    }

    fn speedup(&self) -> Option<f64> {
        Some(self.roundup_at(1)? / self.roundup_at(2)?)
    }
}

fn best_of(runs: &[Run]) -> Option<f64> {
    runs.iter().filter_map(Run::best).reduce(f64::min)
}

/// Prints the scenario's table, ratios and targets.
pub fn print(r: &ScenarioResult) {
    println!(
        "\n== {}: {} files, {:.1} MB; load average {} → {} ==",
        r.name,
        r.files,
        r.mb(),
        r.load_before,
        r.load_after
    );
    println!(
        "{:<22} {:>8} {:>8} {:>7} {:>9} {:>6} {:>8} {:>8} {:>8} {:>7} {:>7} {:>7}  reps",
        "run",
        "wall s",
        "files/s",
        "MB/s",
        "peak MB",
        "setup",
        "discover",
        "ingest",
        "validate",
        "merge",
        "render",
        "write"
    );
    for run in r.roundup.iter().chain(&r.reference) {
        print_run(r, run);
    }
    for f in &r.floor {
        print_floor(r, f);
    }
    print_ratios(r);
    print_targets(r);
}

fn label(run: &Run) -> String {
    match run.tool.as_str() {
        "roundup" => format!("roundup --jobs {}", run.threads),
        _ => format!("reference --workers {}", run.threads),
    }
}

fn print_run(r: &ScenarioResult, run: &Run) {
    let Some(wall) = run.best() else {
        println!("{:<22} {}", label(run), run.note.as_deref().unwrap_or("not run"));
        return;
    };
    let stages = run.stages.as_ref().map_or_else(
        || {
            format!(
                "{:>6} {:>8} {:>8} {:>8} {:>7} {:>7} {:>7}",
                "", "", "", "", "", "", ""
            )
        },
        |s| {
            format!(
                "{:>6.3} {:>8.3} {:>8.3} {:>8.3} {:>7.3} {:>7.3} {:>7.3}",
                s.setup, s.discover, s.ingest, s.validate, s.merge, s.render, s.write
            )
        },
    );
    let reps: Vec<String> = run.walls.iter().map(|w| format!("{w:.3}")).collect();
    println!(
        "{:<22} {:>8.3} {:>8.1} {:>7.1} {:>9.1} {stages}  {}",
        label(run),
        wall,
        r.files as f64 / wall,
        r.mb() / wall,
        run.peak_mb,
        reps.join(" ")
    );
    if run.rss_group_mb > run.rss_proc_mb * 1.05 {
        println!(
            "{:<22} (largest single process {:.1} MB, process group sampled {:.1} MB)",
            "", run.rss_proc_mb, run.rss_group_mb
        );
    }
}

fn print_floor(r: &ScenarioResult, f: &Floor) {
    println!(
        "{:<22} {:>8.3} {:>8.1} {:>7.1} {:>9} ({} zips, {} members, {:.1} MB inflated)",
        format!("floor {} thread(s)", f.threads),
        f.wall,
        r.files as f64 / f.wall,
        r.mb() / f.wall,
        "",
        f.zips,
        f.members,
        f.bytes_out as f64 / 1e6
    );
}

fn print_ratios(r: &ScenarioResult) {
    if let Some(s) = r.speedup() {
        println!("speed-up roundup --jobs 1 → 2: {s:.2}×");
    }
    if let (Some(ours), Some((theirs, w))) = (r.roundup_best(), r.reference_best()) {
        println!(
            "roundup ÷ reference (best, --workers {w}): {:.4} (roundup {:.1}× faster)",
            ours / theirs,
            theirs / ours
        );
    }
    for n in [1, 2] {
        if let (Some(ours), Some(floor)) = (r.roundup_at(n), r.floor_at(n)) {
            println!("roundup --jobs {n} ÷ floor {n} thread(s): {:.2}×", ours / floor);
        }
    }
}

/// One target: what, the figure, and whether it was met (`None`: not measured).
type Target = (String, String, Option<bool>);

fn targets(r: &ScenarioResult) -> Vec<Target> {
    let mut out = vec![(
        "peak RSS ≤ 200 MB".to_owned(),
        format!("{:.1} MB", r.peak_mb()),
        Some(r.peak_mb() <= 200.0),
    )];
    match r.name.as_str() {
        "city" => out.push(city_target(r)),
        "province" => out.extend(province_targets(r)),
        _ => {}
    }
    out
}

fn city_target(r: &ScenarioResult) -> Target {
    let best = r.roundup_best();
    (
        "city end to end < 0.3 s".to_owned(),
        best.map_or("—".into(), |b| format!("{b:.3} s")),
        best.map(|b| b < 0.3),
    )
}

fn province_targets(r: &ScenarioResult) -> Vec<Target> {
    let faster = r.roundup_best().zip(r.reference_best()).map(|(o, (t, _))| t / o);
    let floor: Vec<Option<f64>> = [1, 2]
        .iter()
        .map(|&n| Some(r.roundup_at(n)? / r.floor_at(n)?))
        .collect();
    let worst_floor = floor.iter().flatten().copied().reduce(f64::max);
    vec![
        (
            "≥ 30× faster than the reference".to_owned(),
            faster.map_or("—".into(), |f| format!("{f:.1}×")),
            faster.map(|f| f >= 30.0),
        ),
        (
            "≤ 3× the decompression floor (1 and 2 threads)".to_owned(),
            floor
                .iter()
                .map(|f| f.map_or("—".into(), |f| format!("{f:.2}×")))
                .collect::<Vec<_>>()
                .join(" / "),
            worst_floor.map(|f| f <= 3.0),
        ),
        (
            "≥ 1.7× speed-up from 1 to 2 threads".to_owned(),
            r.speedup().map_or("—".into(), |s| format!("{s:.2}×")),
            r.speedup().map(|s| s >= 1.7),
        ),
    ]
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "MISSED",
        None => "not measured",
    }
}

fn print_targets(r: &ScenarioResult) {
    for (what, figure, met) in targets(r) {
        println!("target {what}: {figure} — {}", verdict(met));
    }
}

/// Prints how time and memory grow from `small` to `large` against the growth of the input.
pub fn print_growth(small: &ScenarioResult, large: &ScenarioResult) {
    let files = large.files as f64 / small.files as f64;
    let bytes = large.bytes as f64 / small.bytes as f64;
    println!(
        "\n== growth {} → {}: files ×{files:.2}, bytes ×{bytes:.2} ==",
        small.name, large.name
    );
    for n in [1, 2] {
        if let (Some(a), Some(b)) = (small.roundup_at(n), large.roundup_at(n)) {
            let t = b / a;
            println!(
                "time --jobs {n}: {a:.3} s → {b:.3} s, ×{t:.2} — {}",
                linear(t, files)
            );
        }
    }
    let m = large.peak_mb() / small.peak_mb();
    println!(
        "peak RSS: {:.1} MB → {:.1} MB, ×{m:.2} — {}",
        small.peak_mb(),
        large.peak_mb(),
        linear(m, files)
    );
}

fn linear(growth: f64, input: f64) -> &'static str {
    if growth <= input * 1.05 {
        "≤ linear: met"
    } else {
        "worse than linear: MISSED"
    }
}
