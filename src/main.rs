//! The `roundup` binary: parse the command line, run, map the result to an exit code. Run
//! with no arguments (a double-click on Windows) it runs the main job with the defaults and,
//! when it has a console window of its own, waits for a key press before the window closes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    roundup::app::interrupt::install();
    let cli = roundup::cli::Cli::parse();
    let double_click = cli.command.is_none();
    let code = match roundup::app::run(cli) {
        Ok(status) => ExitCode::from(status.code()),
        Err(err) => {
            let message = message(&err);
            roundup::app::Printer::new(false).error(roundup::text::sanitize::display_name(&message));
            ExitCode::from(2)
        }
    };
    if double_click {
        roundup::app::console::pause_if_own_window();
    }
    code
}

/// The error and its causes, each cause added only when the text so far does not already say
/// it (many of roundup's messages quote their cause).
fn message(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push('：');
            text.push_str(&cause);
        }
    }
    text
}
