//! The whole per-file path in-process: detection, guard, reader and validation against the
//! shipped registry and configuration.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;
use roundup::config::Config;
use roundup::registry::Registry;
use roundup::validate::Context;
use std::path::Path;
use std::sync::OnceLock;

struct Setup {
    config: Config,
    registry: Registry,
}

fn setup() -> &'static Setup {
    static SETUP: OnceLock<Setup> = OnceLock::new();
    SETUP.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../templates/roundup.toml");
        let mut config = Config::load(&path).expect("shipped configuration");
        config.limits = common::limits();
        let registry = Registry::load(&config.registry_path, &config.aliases)
            .expect("shipped registry")
            .with_delegates(&config.delegated_units);
        Setup { config, registry }
    })
}

fuzz_target!(|data: &[u8]| {
    let setup = setup();
    let Some(round) = setup.config.round("2024Q1") else {
        return;
    };
    let ctx = Context {
        registry: &setup.registry,
        config: &setup.config,
        round,
    };
    let bytes = common::file_bytes(data);
    let names = ["市财政局-2024年第一季度推进情况.xlsx", "市财政局关于2024年第一季度试点任务推进情况的报告.docx"];
    let name = names[data.len() % 2];
    let _ = roundup::validate::ingest_and_validate(name, &bytes, &ctx);
});
