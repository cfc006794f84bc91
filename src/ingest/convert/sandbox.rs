//! No network for LibreOffice where the platform gives it cheaply: on Linux, when
//! `unshare -rn` works (unprivileged user namespaces), LibreOffice runs in a network namespace
//! of its own, with nothing but a loopback that is down. Elsewhere, or when user namespaces
//! are not allowed, it runs as is: the profile's settings ([`super::profile`]) hold on their
//! own. [`NO_NAMESPACE_VAR`] turns the namespace off (the tests prove the settings alone).

use std::path::Path;
use std::process::Command;

/// Set to anything: LibreOffice runs without a network namespace of its own.
pub const NO_NAMESPACE_VAR: &str = "ROUNDUP_SOFFICE_NO_NAMESPACE";

/// The command that starts `soffice`, inside a new network namespace when possible.
pub(super) fn command(soffice: &Path) -> Command {
    match unshare().filter(|_| std::env::var_os(NO_NAMESPACE_VAR).is_none()) {
        Some(unshare) => {
            let mut command = Command::new(unshare);
            command.arg("--map-root-user").arg("--net").arg("--").arg(soffice);
            command
        }
        None => Command::new(soffice),
    }
}

/// `unshare`, if it can make a user and network namespace here (tried once per process).
#[cfg(target_os = "linux")]
fn unshare() -> Option<&'static Path> {
    use std::path::PathBuf;
    use std::process::Stdio;
    use std::sync::OnceLock;
    static UNSHARE: OnceLock<Option<PathBuf>> = OnceLock::new();
    UNSHARE
        .get_or_init(|| {
            let path = ["/usr/bin/unshare", "/bin/unshare"]
                .into_iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())?;
            let works = Command::new(&path)
                .args(["--map-root-user", "--net", "--", "true"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            works.then_some(path)
        })
        .as_deref()
}

#[cfg(not(target_os = "linux"))]
fn unshare() -> Option<&'static Path> {
    None
}

/// Whether conversions run without network (for tests and diagnostics).
pub fn isolated() -> bool {
    unshare().is_some() && std::env::var_os(NO_NAMESPACE_VAR).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_runs_soffice_directly_or_through_unshare() {
        let command = command(Path::new("/opt/soffice"));
        let args: Vec<_> = command.get_args().collect();
        if isolated() {
            assert!(command.get_program().to_string_lossy().ends_with("unshare"));
            assert_eq!(
                args.last().map(|a| a.to_string_lossy().into_owned()),
                Some("/opt/soffice".into())
            );
        } else {
            assert_eq!(command.get_program(), "/opt/soffice");
            assert!(args.is_empty());
        }
    }
}
