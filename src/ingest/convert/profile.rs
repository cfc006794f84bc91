//! The settings every conversion's private LibreOffice profile starts with
//! (`user/registrymodifications.xcu`): a submission may name URLs and local files (linked
//! images, `INCLUDEPICTURE`/`INCLUDETEXT` fields, linked sections, OLE and DDE links), and
//! LibreOffice must neither fetch nor open any of them. The keys are those of LibreOffice 7.4's
//! schema (`share/registry/main.xcd`, `writer.xcd`, `calc.xcd`); each is set on its own merit,
//! and `tests/libreoffice_safety.rs` proves the set with a listening socket and an inotify
//! watch. LibreOffice 7.4 still looks up (`stat`) the path of an `INCLUDEPICTURE` field
//! whatever these say, which no setting here prevents: [`super::scrub`] blanks such paths out
//! of a submission before LibreOffice receives it.

use std::io;
use std::path::Path;

/// One configuration value: node path, property, its type in the schema, value.
struct Setting {
    path: &'static str,
    name: &'static str,
    /// The property's type, checked against the installed schema by a test.
    #[cfg_attr(not(test), allow(dead_code))]
    kind: &'static str,
    value: &'static str,
}

/// The hardened settings.
const SETTINGS: &[Setting] = &[
    // No linked graphic, frame, media or section is loaded from a document outside the trusted
    // locations (none: see SecureURL) — this stops the GET of linked images and the opening of
    // linked local files in ODT, DOCX, HTML and Word files.
    Setting {
        path: "/org.openoffice.Office.Common/Security/Scripting",
        name: "BlockUntrustedRefererLinks",
        kind: "xs:boolean",
        value: "true",
    },
    // No trusted location, so every converted document is untrusted.
    Setting {
        path: "/org.openoffice.Office.Common/Security/Scripting",
        name: "SecureURL",
        kind: "oor:string-list",
        value: "",
    },
    // Very high: macros only from trusted locations (there are none).
    Setting {
        path: "/org.openoffice.Office.Common/Security/Scripting",
        name: "MacroSecurityLevel",
        kind: "xs:int",
        value: "3",
    },
    // No macro runs at all, whatever the document's events ask.
    Setting {
        path: "/org.openoffice.Office.Common/Security/Scripting",
        name: "DisableMacrosExecution",
        kind: "xs:boolean",
        value: "true",
    },
    // Writer never updates links (file sections, DDE, OLE links) when loading.
    Setting {
        path: "/org.openoffice.Office.Writer/Content/Update",
        name: "Link",
        kind: "xs:int",
        value: "0",
    },
    // Calc never updates external links (Calc's own enumeration: 1 = never).
    Setting {
        path: "/org.openoffice.Office.Calc/Content/Update",
        name: "Link",
        kind: "xs:int",
        value: "1",
    },
    // A manual proxy for every network request, below: the Word importer probes INCLUDEPICTURE
    // targets (WebDAV OPTIONS/HEAD) whatever the link settings say, so the network itself must be
    // unreachable to LibreOffice, on Windows too.
    Setting {
        path: "/org.openoffice.Inet/Settings",
        name: "ooInetProxyType",
        kind: "xs:int",
        value: "2",
    },
    // HTTP goes to a proxy that is not there.
    Setting {
        path: "/org.openoffice.Inet/Settings",
        name: "ooInetHTTPProxyName",
        kind: "xs:string",
        value: "127.0.0.1",
    },
    // Port 1 (tcpmux) is closed on any office PC: the request fails at once.
    Setting {
        path: "/org.openoffice.Inet/Settings",
        name: "ooInetHTTPProxyPort",
        kind: "xs:int",
        value: "1",
    },
    // HTTPS likewise.
    Setting {
        path: "/org.openoffice.Inet/Settings",
        name: "ooInetHTTPSProxyName",
        kind: "xs:string",
        value: "127.0.0.1",
    },
    // HTTPS likewise.
    Setting {
        path: "/org.openoffice.Inet/Settings",
        name: "ooInetHTTPSProxyPort",
        kind: "xs:int",
        value: "1",
    },
    // FTP likewise.
    Setting {
        path: "/org.openoffice.Inet/Settings",
        name: "ooInetFTPProxyName",
        kind: "xs:string",
        value: "127.0.0.1",
    },
    // FTP likewise.
    Setting {
        path: "/org.openoffice.Inet/Settings",
        name: "ooInetFTPProxyPort",
        kind: "xs:int",
        value: "1",
    },
    // No host (localhost included) bypasses the dead proxy.
    Setting {
        path: "/org.openoffice.Inet/Settings",
        name: "ooInetNoProxy",
        kind: "xs:string",
        value: "",
    },
    // No lock files beside the input.
    Setting {
        path: "/org.openoffice.Office.Common/Misc",
        name: "UseLocking",
        kind: "xs:boolean",
        value: "false",
    },
    // VBA projects of Word files are not even loaded.
    Setting {
        path: "/org.openoffice.Office.Writer/Filter/Import/VBA",
        name: "Load",
        kind: "xs:boolean",
        value: "false",
    },
    // Nor made executable.
    Setting {
        path: "/org.openoffice.Office.Writer/Filter/Import/VBA",
        name: "Executable",
        kind: "xs:boolean",
        value: "false",
    },
    // Likewise for spreadsheets.
    Setting {
        path: "/org.openoffice.Office.Calc/Filter/Import/VBA",
        name: "Load",
        kind: "xs:boolean",
        value: "false",
    },
    // Likewise for spreadsheets.
    Setting {
        path: "/org.openoffice.Office.Calc/Filter/Import/VBA",
        name: "Executable",
        kind: "xs:boolean",
        value: "false",
    },
];

/// The `registrymodifications.xcu` text of [`SETTINGS`].
pub(super) fn registry_modifications() -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<oor:items \
         xmlns:oor=\"http://openoffice.org/2001/registry\" \
         xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n",
    );
    for setting in SETTINGS {
        let value = if setting.value.is_empty() {
            "<value/>".to_owned()
        } else {
            format!("<value>{}</value>", setting.value)
        };
        xml.push_str(&format!(
            "<item oor:path=\"{}\"><prop oor:name=\"{}\" oor:op=\"fuse\">{}</prop></item>\n",
            setting.path, setting.name, value
        ));
    }
    xml.push_str("</oor:items>\n");
    xml
}

/// Writes the hardened settings into a new profile folder (`<profile>/user/…`), before
/// LibreOffice first starts with it.
pub(super) fn write(profile: &Path) -> io::Result<()> {
    let user = profile.join("user");
    std::fs::create_dir_all(&user)?;
    std::fs::write(user.join("registrymodifications.xcu"), registry_modifications())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_name_the_keys_that_block_links_and_the_network() {
        let xml = registry_modifications();
        for key in [
            "BlockUntrustedRefererLinks",
            "ooInetProxyType",
            "ooInetHTTPProxyPort",
            "DisableMacrosExecution",
        ] {
            assert!(xml.contains(&format!("oor:name=\"{key}\"")), "{key}");
        }
        assert!(xml.contains("<prop oor:name=\"SecureURL\" oor:op=\"fuse\"><value/></prop>"));
        assert_eq!(xml.matches("<item ").count(), SETTINGS.len());
    }

    #[test]
    fn every_key_exists_in_the_installed_schema() {
        let schema = Path::new("/usr/lib/libreoffice/share/registry");
        let Ok(main) = std::fs::read_to_string(schema.join("main.xcd")) else {
            eprintln!("skipped: no LibreOffice schema at {}", schema.display());
            return;
        };
        let all: String = ["writer.xcd", "calc.xcd"]
            .iter()
            .filter_map(|f| std::fs::read_to_string(schema.join(f)).ok())
            .fold(main, |all, more| all + &more);
        for setting in SETTINGS {
            assert!(
                all.contains(&format!(
                    "<prop oor:name=\"{}\" oor:type=\"{}\"",
                    setting.name, setting.kind
                )),
                "{}/{} {} is not in the schema",
                setting.path,
                setting.name,
                setting.kind
            );
        }
    }
}
