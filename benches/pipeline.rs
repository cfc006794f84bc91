//! End-to-end benchmark of `roundup run` on generated workloads (city, province, stress)
//! against the Python reference pipeline and the decompression floor.
//!
//! `cargo bench --bench pipeline -- [city|province|stress|all]` builds the release binary and
//! the workload generator, generates each workload once into `target/bench/<scenario>/`
//! (reused while `.generated` is there), runs everything, prints a table with ratios and
//! targets, and saves `target/bench/<scenario>/results.json`. Without cargo bench's `--bench`
//! flag (e.g. under `cargo test --all-targets`) it does nothing. `ROUNDUP_BENCH_NO_BUILD=1`
//! skips the cargo builds; `ROUNDUP_REFERENCE` points at `reference_pipeline.py`.

#[cfg(unix)]
#[path = "pipeline/child.rs"]
mod child;
#[cfg(unix)]
#[path = "pipeline/floor.rs"]
mod floor;
#[cfg(unix)]
#[path = "pipeline/report.rs"]
mod report;
#[cfg(unix)]
#[path = "pipeline/runs.rs"]
mod runs;

#[cfg(unix)]
#[path = "pipeline/scenario.rs"]
mod scenario;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    #[cfg(unix)]
    scenario::main(&args);
    #[cfg(not(unix))]
    println!(
        "pipeline: this benchmark needs a Unix system (wait4, /proc); {} arguments ignored",
        args.len()
    );
}
