//! The one voice on the terminal: every message of every command goes through [`Printer`],
//! so `--quiet` means the same everywhere and standard output stays data.

use std::io::IsTerminal;

/// Prints messages to standard error: status lines unless quiet, warnings always.
#[derive(Debug, Clone, Copy)]
pub struct Printer {
    quiet: bool,
}

impl Printer {
    /// A printer that drops status lines when `quiet`.
    pub fn new(quiet: bool) -> Printer {
        Printer { quiet }
    }

    /// A status line (progress, where outputs went); dropped when quiet.
    pub fn status(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", message.as_ref());
        }
    }

    /// A warning the user must see even when quiet.
    pub fn warn(&self, message: impl AsRef<str>) {
        eprintln!("警告：{}", message.as_ref());
    }

    /// An error that stops the command.
    pub fn error(&self, message: impl AsRef<str>) {
        eprintln!("错误：{}", message.as_ref());
    }

    /// A machine-readable line on standard error (`--timings`), printed even when quiet.
    pub fn machine(&self, line: impl AsRef<str>) {
        eprintln!("{}", line.as_ref());
    }

    /// A progress bar on stderr, shown only on a terminal, when not quiet, and only once a
    /// second has passed (short runs stay silent).
    pub fn progress(&self, len: u64, message: &'static str) -> indicatif::ProgressBar {
        if self.quiet || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(len),
            indicatif::ProgressDrawTarget::stderr_with_hz(4),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}") {
            bar.set_style(style);
        }
        bar.set_message(message);
        bar
    }
}
