//! LibreOffice, the fallback for `.doc`/`.wps` files the native reader refuses and the PDF
//! exporter, must fetch nothing and open nothing a submission names (issue 15, item 3), and
//! an interrupt must end every conversion and remove its folder (item 12).
//!
//! Each linked input points an image at a local TCP listener that counts connections and never
//! answers (a server that hangs), and at a file in a folder outside the conversion watched with
//! inotify (Linux) for opens. The inputs: an ODT and a DOCX with linked images, an HTML page
//! saved as `.doc`, and a Word 97 `.doc` with `INCLUDEPICTURE \d` fields
//! (`tests/fixtures/libreoffice/includepicture.doc`, made by `generate.sh` there; its URL port
//! and folder are placeholders patched here). Where Linux gives LibreOffice a network namespace
//! of its own, the probes run once more without it: the profile's settings must hold alone, as
//! on Windows. Every test skips, with a printed reason, where LibreOffice is absent.
//!
//! The other inputs than `.doc` never reach LibreOffice from a submission (only compound files
//! do); they go through [`soffice_convert`] as they are, to prove the profile on its own. The
//! `.doc` goes both ways: as it is (the profile alone) and through [`convert_to_docx`], which
//! blanks every link target first (issue 15: LibreOffice 7.4 still looks up the path of a Word
//! 6/95 `INCLUDEPICTURE` field on Windows, where a UNC path would leak NTLM credentials). A
//! stand-in `soffice` ([`Spy`]) keeps the bytes LibreOffice receives and runs it under
//! `strace -f -e trace=%file` where strace is installed, so the tests also see every path
//! LibreOffice looks up.

mod common;

use roundup::ingest::convert::scrub::has_targets;
use roundup::ingest::convert::{
    convert_to_docx, find_soffice, isolated, soffice_convert, CONVERT_TIMEOUT, NO_NAMESPACE_VAR,
};
use roundup::ingest::{Content, IngestError};
use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Longest a hardened conversion of these small inputs may take (a fetch of the hanging
/// server would cost up to the 60 s timeout).
const FAST: Duration = Duration::from_secs(25);

/// The port written in the `.doc` fixture (five digits, like every ephemeral port).
const FIXTURE_PORT: &str = "18123";

/// The outside folder written in the `.doc` fixture: `/tmp/rls` and 13 characters.
const FIXTURE_DIR: &str = "/tmp/rlsPLACEHOLDERXX";

fn soffice() -> Option<PathBuf> {
    let found = find_soffice();
    if found.is_none() {
        eprintln!("skipped: LibreOffice (soffice) is not installed");
    }
    found
}

/// A TCP server on 127.0.0.1 that accepts and counts connections and never answers.
struct Listener {
    port: u16,
    connections: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Listener {
    fn start() -> Listener {
        let socket = TcpListener::bind("127.0.0.1:0").unwrap();
        socket.set_nonblocking(true).unwrap();
        let port = socket.local_addr().unwrap().port();
        let connections = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (count, halt) = (Arc::clone(&connections), Arc::clone(&stop));
        let thread = std::thread::spawn(move || {
            let mut held: Vec<TcpStream> = Vec::new();
            while !halt.load(Ordering::SeqCst) {
                match socket.accept() {
                    Ok((stream, _)) => {
                        count.fetch_add(1, Ordering::SeqCst);
                        held.push(stream);
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Listener {
            port,
            connections,
            stop,
            thread: Some(thread),
        }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Opens of the files in a folder, seen through inotify.
#[cfg(target_os = "linux")]
struct OpenWatch {
    fd: std::os::fd::OwnedFd,
}

#[cfg(target_os = "linux")]
impl OpenWatch {
    fn new(dir: &Path) -> OpenWatch {
        use std::os::fd::FromRawFd;
        use std::os::unix::ffi::OsStrExt;
        let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).unwrap();
        // SAFETY: inotify calls with a valid C string; the descriptor is owned from here on.
        unsafe {
            let fd = libc::inotify_init1(libc::IN_NONBLOCK | libc::IN_CLOEXEC);
            assert!(fd >= 0, "inotify_init1 failed");
            let watch = libc::inotify_add_watch(fd, path.as_ptr(), libc::IN_OPEN | libc::IN_ACCESS);
            assert!(watch >= 0, "inotify_add_watch failed");
            OpenWatch {
                fd: std::os::fd::OwnedFd::from_raw_fd(fd),
            }
        }
    }

    /// Names of the files opened or read since the last call.
    fn opened(&self) -> Vec<String> {
        let mut file = std::fs::File::from(self.fd.try_clone().unwrap());
        let mut buffer = vec![0u8; 64 * 1024];
        let mut names = Vec::new();
        while let Ok(n) = file.read(&mut buffer) {
            let mut at = 0;
            while at + 16 <= n {
                let len = u32::from_ne_bytes(buffer[at + 12..at + 16].try_into().unwrap()) as usize;
                let raw = &buffer[at + 16..(at + 16 + len).min(n)];
                let name = String::from_utf8_lossy(raw).trim_end_matches('\0').to_owned();
                if !name.is_empty() {
                    names.push(name);
                }
                at += 16 + len;
            }
        }
        names
    }
}

/// The outside folder: a secret image and text a submission may name.
struct Outside {
    dir: tempfile::TempDir,
}

impl Outside {
    fn new() -> Outside {
        let dir = tempfile::Builder::new()
            .prefix("rls")
            .rand_bytes(13)
            .tempdir_in("/tmp")
            .unwrap();
        std::fs::write(dir.path().join("secret.png"), png()).unwrap();
        std::fs::write(dir.path().join("secret.txt"), "TOP SECRET LINE\n").unwrap();
        Outside { dir }
    }

    fn path(&self) -> &str {
        self.dir.path().to_str().unwrap()
    }
}

/// A 1×1 PNG.
fn png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32fast::hash(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    // zlib stream of one stored block holding the filter byte and one RGB pixel.
    let raw = [0u8, 0xff, 0, 0];
    let mut idat = vec![0x78, 0x01, 0x01, 4, 0, 0xfb, 0xff];
    idat.extend_from_slice(&raw);
    idat.extend_from_slice(&adler32(&raw).to_be_bytes());
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

/// A zip package of `(name, content)` parts, the first stored (ODF's `mimetype`).
fn package(parts: &[(&str, String)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (i, (name, content)) in parts.iter().enumerate() {
        let method = if i == 0 {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        zip.start_file(*name, options).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

/// An ODT with two linked images: one on the listener, one in the outside folder.
fn linked_odt(port: u16, outside: &str) -> Vec<u8> {
    let frame = |name: &str, href: &str| {
        format!(
            r#"<text:p><draw:frame draw:name="{name}" text:anchor-type="as-char" svg:width="2cm" svg:height="2cm"><draw:image xlink:href="{href}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>"#
        )
    };
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2"><office:body><office:text><text:p>市科技局工作报告</text:p>{}{}</office:text></office:body></office:document-content>"#,
        frame("a", &format!("http://127.0.0.1:{port}/odt.png")),
        frame("b", &format!("file://{outside}/secret.png")),
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    package(&[
        ("mimetype", "application/vnd.oasis.opendocument.text".into()),
        ("META-INF/manifest.xml", manifest.into()),
        ("content.xml", content),
    ])
}

/// A DOCX with two externally linked pictures (`r:link`, `TargetMode="External"`).
fn linked_docx(port: u16, outside: &str) -> Vec<u8> {
    let drawing = |id: u32, rel: &str| {
        format!(
            r#"<w:r><w:drawing><wp:inline><wp:extent cx="914400" cy="914400"/><wp:docPr id="{id}" name="p{id}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="{id}" name="p{id}"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="{rel}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="914400" cy="914400"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#
        )
    };
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body><w:p><w:r><w:t>市科技局工作报告</w:t></w:r></w:p><w:p>{}{}</w:p></w:body></w:document>"#,
        drawing(1, "rIdA"),
        drawing(2, "rIdB")
    );
    let image = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image";
    let rels = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdA" Type="{image}" Target="http://127.0.0.1:{port}/docx.png" TargetMode="External"/><Relationship Id="rIdB" Type="{image}" Target="file://{outside}/secret.png" TargetMode="External"/></Relationships>"#
    );
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let root = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    package(&[
        ("[Content_Types].xml", types.into()),
        ("_rels/.rels", root.into()),
        ("word/document.xml", document),
        ("word/_rels/document.xml.rels", rels),
    ])
}

/// An HTML page (as Word saves "web page" `.doc` files) with linked images and a frame.
fn linked_html(port: u16, outside: &str) -> Vec<u8> {
    format!(
        r#"<html><body><p>市科技局工作报告</p><img src="http://127.0.0.1:{port}/html.png"><img src="file://{outside}/secret.png"><iframe src="file://{outside}/secret.txt"></iframe></body></html>"#
    )
    .into_bytes()
}

/// The Word 97 fixture with its placeholder port and folder replaced (in UTF-16LE field
/// codes and in 8-bit picture links alike).
fn linked_doc(port: u16, outside: &str) -> Vec<u8> {
    let bytes = std::fs::read(common::repo().join("tests/fixtures/libreoffice/includepicture.doc")).unwrap();
    with_placeholders(&bytes, port, outside)
}

/// The fixture's placeholder port and folder replaced in `bytes`.
fn with_placeholders(bytes: &[u8], port: u16, outside: &str) -> Vec<u8> {
    let port = port.to_string();
    assert_eq!(port.len(), FIXTURE_PORT.len(), "ephemeral ports have five digits");
    assert_eq!(
        outside.len(),
        FIXTURE_DIR.len(),
        "the outside folder keeps the fixture's length"
    );
    let bytes = replace_all(bytes, FIXTURE_PORT, &port);
    replace_all(&bytes, FIXTURE_DIR, outside)
}

/// Replaces every occurrence of `from` by `to` (same length) as 8-bit and as UTF-16LE text.
fn replace_all(bytes: &[u8], from: &str, to: &str) -> Vec<u8> {
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(u16::to_le_bytes).collect() };
    let mut out = bytes.to_vec();
    let mut found = 0;
    for (from, to) in [
        (from.as_bytes().to_vec(), to.as_bytes().to_vec()),
        (utf16(from), utf16(to)),
    ] {
        let mut at = 0;
        while let Some(pos) = out[at..].windows(from.len()).position(|w| w == from) {
            out[at + pos..at + pos + to.len()].copy_from_slice(&to);
            at += pos + to.len();
            found += 1;
        }
    }
    assert!(found > 0, "placeholder {from} not in the fixture");
    out
}

/// Builds a linked input from the listener's port and the outside folder.
type MakeInput = fn(u16, &str) -> Vec<u8>;

/// How a probe's input reaches LibreOffice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Via {
    /// [`soffice_convert`]: the bytes as they are, the profile alone stands in the way.
    AsIs,
    /// [`convert_to_docx`], the path of a submission: link targets are blanked first.
    Scrubbed,
}

/// What one conversion did.
#[derive(Debug)]
struct Probe {
    input: &'static str,
    connections: usize,
    opened: Vec<String>,
    elapsed: Duration,
    converted: bool,
}

/// Converts `bytes` (named `报告.doc`) and records connections, outside opens and time.
fn probe(soffice: &Path, input: &'static str, make: MakeInput, via: Via) -> Probe {
    let listener = Listener::start();
    let outside = Outside::new();
    #[cfg(target_os = "linux")]
    let watch = OpenWatch::new(outside.dir.path());
    let bytes = make(listener.port, outside.path());
    let work = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let converted = match via {
        Via::Scrubbed => convert_to_docx(soffice, "报告.doc", &bytes, CONVERT_TIMEOUT).is_ok(),
        Via::AsIs => {
            let file = work.path().join("报告.doc");
            std::fs::write(&file, &bytes).unwrap();
            let out = work.path().join("out");
            soffice_convert(soffice, &file, "docx", &out, CONVERT_TIMEOUT).is_ok()
        }
    };
    let elapsed = started.elapsed();
    // Late requests from a dying LibreOffice would still be counted.
    std::thread::sleep(Duration::from_millis(200));
    #[cfg(target_os = "linux")]
    let opened = watch.opened();
    #[cfg(not(target_os = "linux"))]
    let opened = Vec::new();
    Probe {
        input,
        connections: listener.connections(),
        opened,
        elapsed,
        converted,
    }
}

#[test]
fn conversion_fetches_no_url_and_opens_no_outside_file() {
    let Some(soffice) = soffice() else { return };
    let inputs: [(&'static str, MakeInput, Via); 5] = [
        ("odt", linked_odt, Via::AsIs),
        ("docx", linked_docx, Via::AsIs),
        ("html", linked_html, Via::AsIs),
        ("doc (INCLUDEPICTURE), as is", linked_doc, Via::AsIs),
        ("doc (INCLUDEPICTURE), scrubbed", linked_doc, Via::Scrubbed),
    ];
    let probes: Vec<Probe> = inputs
        .into_iter()
        .map(|(name, make, via)| probe(&soffice, name, make, via))
        .collect();
    eprintln!("network namespace: {}", if isolated() { "yes" } else { "no" });
    for probe in &probes {
        eprintln!(
            "{}: {} connection(s), outside files opened {:?}, {:.1} s, converted: {}",
            probe.input,
            probe.connections,
            probe.opened,
            probe.elapsed.as_secs_f64(),
            probe.converted
        );
    }
    for probe in &probes {
        assert_eq!(probe.connections, 0, "{probe:?}");
        assert!(probe.opened.is_empty(), "{probe:?}");
        assert!(probe.elapsed < FAST, "{probe:?}");
    }
    // The documents themselves still convert (HTML has no DOCX export from Writer/Web).
    assert!(
        probes.iter().filter(|p| p.input != "html").all(|p| p.converted),
        "{probes:?}"
    );
}

#[test]
fn pdf_export_fetches_no_url_and_opens_no_outside_file() {
    let Some(soffice) = soffice() else { return };
    let listener = Listener::start();
    let outside = Outside::new();
    #[cfg(target_os = "linux")]
    let watch = OpenWatch::new(outside.dir.path());
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("简报.docx");
    std::fs::write(&input, linked_docx(listener.port, outside.path())).unwrap();
    let out_dir = work.path().join("out");
    let started = Instant::now();
    let pdf = soffice_convert(&soffice, &input, "pdf", &out_dir, CONVERT_TIMEOUT);
    let elapsed = started.elapsed();
    std::thread::sleep(Duration::from_millis(200));
    eprintln!(
        "pdf: {} connection(s), {:.1} s, {:?}",
        listener.connections(),
        elapsed.as_secs_f64(),
        pdf
    );
    assert_eq!(listener.connections(), 0);
    #[cfg(target_os = "linux")]
    assert_eq!(watch.opened(), Vec::<String>::new());
    assert!(elapsed < FAST);
    let pdf = pdf.unwrap();
    assert_eq!(pdf, out_dir.join("简报.pdf"));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    // Only the PDF lands beside the input: no lock file, no copy, nothing else.
    let mut names: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["简报.pdf"]);
}

#[test]
fn the_settings_alone_block_everything_without_a_network_namespace() {
    if soffice().is_none() {
        return;
    }
    if !isolated() {
        eprintln!("skipped: no network namespace here, so the other tests already ran without one");
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "conversion_fetches_no_url_and_opens_no_outside_file",
            "--nocapture",
        ])
        .env(NO_NAMESPACE_VAR, "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprintln!("{stderr}");
    assert!(
        stderr.contains("network namespace: no"),
        "the rerun had a namespace"
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

/// The `.doc` fixture with its FIB claiming Word 6 (`nFib` 0x65): the native reader refuses it
/// as an old format, so reading it starts LibreOffice.
fn old_format_doc() -> Vec<u8> {
    let mut bytes =
        std::fs::read(common::repo().join("tests/fixtures/libreoffice/includepicture.doc")).unwrap();
    // The FIB opens the WordDocument stream: wIdent 0xA5EC, then nFib (0x0101 as written).
    let fib = bytes
        .windows(4)
        .position(|w| w == [0xEC, 0xA5, 0x01, 0x01])
        .expect("the fixture's FIB");
    bytes[fib + 2..fib + 4].copy_from_slice(&0x65u16.to_le_bytes());
    bytes
}

/// Live processes whose command line names `dir` (LibreOffice's profile is inside it).
#[cfg(target_os = "linux")]
fn processes_naming(dir: &Path) -> Vec<(u32, String)> {
    let needle = dir.to_str().unwrap();
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&raw).replace('\0', " ");
        if cmdline.contains(needle) {
            found.push((pid, cmdline));
        }
    }
    found
}

/// Folders a conversion left in `tmp`.
fn leftover_folders(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("roundup-convert-"))
        .collect()
}

/// Runs `roundup check` on an old-format `.doc` (so a worker converts it with LibreOffice),
/// sends `signal` once LibreOffice runs — to roundup's whole process group as a terminal's
/// Ctrl-C does, or to roundup alone — and checks that roundup exits 130 and that no
/// LibreOffice process and no private folder of the run remains.
#[cfg(target_os = "linux")]
fn interrupt_during_conversion(signal: libc::c_int, whole_group: bool) {
    use std::os::unix::process::CommandExt;
    if soffice().is_none() {
        return;
    }
    let work = tempfile::tempdir().unwrap();
    let (inbox, tmp) = (work.path().join("inbox"), work.path().join("tmp"));
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(inbox.join("市科技局工作报告.doc"), old_format_doc()).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(common::repo())
        .env("TMPDIR", &tmp)
        .args(["check", "--round", "2024Q1", "--format", "json"])
        .arg(&inbox)
        .process_group(0)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let running = loop {
        let office = processes_naming(&tmp)
            .iter()
            .any(|(_, cmd)| cmd.contains("soffice.bin"));
        if office || child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(60) {
            break office;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(running, "LibreOffice never ran for the old-format .doc");
    let pid = i32::try_from(child.id()).unwrap();
    // SAFETY: kill(2) on the child (or its group) this test started.
    unsafe {
        libc::kill(if whole_group { -pid } else { pid }, signal);
    }
    let signalled = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            signalled.elapsed() < Duration::from_secs(20),
            "roundup did not end"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    eprintln!(
        "exit {:?} after {:.2} s; stderr: {stderr}",
        status.code(),
        signalled.elapsed().as_secs_f64()
    );
    assert_eq!(status.code(), Some(130), "{stderr}");
    // Workers end within their parent poll; give them a few seconds at most.
    let mut left = processes_naming(&tmp);
    let deadline = Instant::now() + Duration::from_secs(5);
    while (!left.is_empty() || !leftover_folders(&tmp).is_empty()) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
        left = processes_naming(&tmp);
    }
    eprintln!("gone after {:.2} s", signalled.elapsed().as_secs_f64());
    assert!(left.is_empty(), "LibreOffice outlived the interrupt: {left:?}");
    assert_eq!(
        leftover_folders(&tmp),
        Vec::<String>::new(),
        "private folders left"
    );
}

#[test]
#[cfg(target_os = "linux")]
fn ctrl_c_ends_libreoffice_and_removes_its_folders() {
    interrupt_during_conversion(libc::SIGINT, true);
}

#[test]
#[cfg(target_os = "linux")]
fn sigterm_to_roundup_alone_ends_the_workers_conversions() {
    interrupt_during_conversion(libc::SIGTERM, false);
}

/// A stand-in for `soffice`: a shell script that keeps a copy of the file it is given (its
/// last argument) and runs the real LibreOffice, under `strace -f -e trace=%file` when strace
/// is installed, so that every path LibreOffice and its children look up is logged.
#[cfg(unix)]
struct Spy {
    dir: tempfile::TempDir,
    traced: bool,
}

#[cfg(unix)]
impl Spy {
    /// A spy named `soffice` in a folder of its own, running `real`.
    fn new(real: &Path) -> Spy {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let traced = std::process::Command::new("strace")
            .arg("-V")
            .output()
            .is_ok_and(|out| out.status.success());
        let folder = dir.path().to_str().unwrap();
        let real = real.to_str().unwrap();
        assert!(!folder.contains('\'') && !real.contains('\''));
        let run = if traced {
            format!("strace -f -qq -e trace=%file -o '{folder}/files.log' '{real}'")
        } else {
            format!("'{real}'")
        };
        let script = format!(
            "#!/bin/sh\nfor last in \"$@\"; do :; done\ncp \"$last\" '{folder}/received'\nexec {run} \"$@\"\n"
        );
        let path = dir.path().join("soffice");
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        if !traced {
            eprintln!("strace is not installed: the paths LibreOffice looks up are not checked");
        }
        Spy { dir, traced }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("soffice")
    }

    /// The bytes LibreOffice was given, if it was started at all.
    fn received(&self) -> Option<Vec<u8>> {
        std::fs::read(self.dir.path().join("received")).ok()
    }

    /// The file system calls of LibreOffice and its children, when traced.
    fn file_calls(&self) -> Option<String> {
        if !self.traced {
            return None;
        }
        let log = std::fs::read(self.dir.path().join("files.log")).unwrap();
        Some(String::from_utf8_lossy(&log).into_owned())
    }
}

/// Whether `bytes` hold `needle` as 8-bit or as UTF-16LE text.
fn names(bytes: &[u8], needle: &str) -> bool {
    let utf16: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    [needle.as_bytes(), &utf16]
        .iter()
        .any(|n| bytes.windows(n.len()).any(|w| w == *n))
}

/// The paragraphs of a converted `.docx`, as roundup reads them.
fn paragraphs(docx: &[u8]) -> Vec<String> {
    let read = roundup::ingest::docx::read_document(docx, &Default::default()).unwrap();
    match read.content {
        Content::Document(document) => document.paragraphs().map(|p| p.text.clone()).collect(),
        Content::Workbook(_) => panic!("a document was expected"),
    }
}

/// The Word 97 fixture whose `INCLUDEPICTURE` fields name a UNC path
/// (`\\127.0.0.1\s\<port>docx.png`, with Word's doubled backslashes) and a plain file path in
/// the outside folder (`tests/fixtures/libreoffice/includepicture-unc.doc`, see `generate.sh`).
fn unc_doc(port: u16, outside: &str) -> Vec<u8> {
    let bytes =
        std::fs::read(common::repo().join("tests/fixtures/libreoffice/includepicture-unc.doc")).unwrap();
    with_placeholders(&bytes, port, outside)
}

/// [`old_format_doc`] with the placeholders replaced.
fn word6_doc(port: u16, outside: &str) -> Vec<u8> {
    with_placeholders(&old_format_doc(), port, outside)
}

/// What the paths LibreOffice looked up say about the outside folder and the UNC target.
#[cfg(unix)]
fn lookups_of_targets(calls: &str, outside: &str, port: u16) -> Vec<String> {
    let folder = Path::new(outside).file_name().unwrap().to_str().unwrap();
    let unc = format!("{port}docx");
    calls
        .lines()
        .filter(|line| line.contains(folder) || line.contains(&unc) || line.contains("127.0.0.1"))
        .map(str::to_owned)
        .collect()
}

#[test]
#[cfg(unix)]
fn unc_and_file_path_includepicture_targets_never_reach_libreoffice() {
    let Some(real) = soffice() else { return };
    let inputs: [(&str, MakeInput); 2] = [
        ("Word 97, UNC and file path", unc_doc),
        ("Word 6 (nFib 0x65)", word6_doc),
    ];
    for (input, make) in inputs {
        let listener = Listener::start();
        let outside = Outside::new();
        #[cfg(target_os = "linux")]
        let watch = OpenWatch::new(outside.dir.path());
        let bytes = make(listener.port, outside.path());
        assert!(has_targets(&bytes) && names(&bytes, outside.path()), "{input}");

        // Without the scrub (the profile alone), to show what the probes can see.
        let plain = Spy::new(&real);
        let work = tempfile::tempdir().unwrap();
        let file = work.path().join("报告.doc");
        std::fs::write(&file, &bytes).unwrap();
        let as_is = soffice_convert(
            &plain.path(),
            &file,
            "docx",
            &work.path().join("out"),
            CONVERT_TIMEOUT,
        );
        let as_is_text = paragraphs(&std::fs::read(as_is.unwrap()).unwrap());
        let looked_up = plain
            .file_calls()
            .map(|calls| lookups_of_targets(&calls, outside.path(), listener.port));
        eprintln!("{input}, as is: paragraphs {as_is_text:?}, the targets looked up: {looked_up:#?}");
        // LibreOffice 7.4 looks the file targets up despite the profile (on Windows it would
        // look up the UNC path too): if it no longer does, the trace below proves nothing.
        if let Some(looked_up) = looked_up {
            assert!(
                !looked_up.is_empty(),
                "{input}: the trace did not see the lookups"
            );
        }
        #[cfg(target_os = "linux")]
        let _ = watch.opened();

        // Through roundup's conversion.
        let spy = Spy::new(&real);
        let started = Instant::now();
        let docx = convert_to_docx(&spy.path(), "报告.doc", &bytes, CONVERT_TIMEOUT).unwrap();
        let elapsed = started.elapsed();
        std::thread::sleep(Duration::from_millis(200));
        let received = spy.received().expect("LibreOffice was started");
        assert_eq!(received.len(), bytes.len(), "{input}: blanks keep every offset");
        assert!(!has_targets(&received), "{input}");
        for needle in [
            outside.path().to_owned(),
            format!("{}docx", listener.port),
            "127.0.0.1".to_owned(),
        ] {
            assert!(
                !names(&received, &needle),
                "{input}: {needle} reached LibreOffice"
            );
        }
        let text = paragraphs(&docx);
        eprintln!(
            "{input}, scrubbed: {:.1} s, paragraphs {text:?}",
            elapsed.as_secs_f64()
        );
        assert!(text.iter().any(|p| p == "docx links"), "{input}: {text:?}");
        assert_eq!(text.len(), as_is_text.len(), "{input}: the same paragraphs");
        assert_eq!(listener.connections(), 0, "{input}");
        #[cfg(target_os = "linux")]
        assert_eq!(watch.opened(), Vec::<String>::new(), "{input}");
        match spy.file_calls() {
            Some(calls) => {
                let found = lookups_of_targets(&calls, outside.path(), listener.port);
                eprintln!(
                    "{input}, scrubbed: {} file calls traced, {} naming a target",
                    calls.lines().count(),
                    found.len()
                );
                assert!(
                    calls.lines().count() > 100,
                    "{input}: the trace saw LibreOffice run"
                );
                assert_eq!(found, Vec::<String>::new(), "{input}");
            }
            None => eprintln!("skipped the trace of {input}: strace is not installed"),
        }
    }
}

#[test]
#[cfg(unix)]
fn a_file_that_cannot_be_scrubbed_never_reaches_libreoffice() {
    // No LibreOffice is needed: the spy would only record that it was started.
    let spy = Spy::new(Path::new("/bin/true"));
    let mut broken = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
    broken.extend(std::iter::repeat_n(0xFF, 1536));
    broken.extend_from_slice(b"\x13 INCLUDEPICTURE \"\\\\\\\\evil\\\\s\\\\x.png\" \x14\x15");
    let rtf = br#"{\rtf1{\field{\*\fldinst INCLUDEPICTURE "\\\\evil\\s\\x.png"}{\fldrslt x}}}"#;
    let html = br#"<html><body><img src="\\evil\s\x.png"></body></html>"#;
    for (input, bytes) in [
        ("broken compound file", &broken[..]),
        ("rtf", rtf),
        ("html", html),
    ] {
        let err = convert_to_docx(&spy.path(), "报告.doc", bytes, CONVERT_TIMEOUT).unwrap_err();
        let IngestError::Unreadable { reason, .. } = &err else {
            panic!("{input}: {err:?}")
        };
        eprintln!("{input}: {reason}");
        assert!(reason.contains("不予转换"), "{input}: {reason}");
        assert_eq!(spy.received(), None, "{input}: LibreOffice was started");
    }
}

/// Runs `roundup check` on a Word 6 file with a spy as the only `soffice` on PATH: roundup's
/// worker converts it, and LibreOffice receives no target.
#[test]
#[cfg(unix)]
fn roundup_hands_libreoffice_a_word6_file_without_its_link_targets() {
    let Some(real) = soffice() else { return };
    let listener = Listener::start();
    let outside = Outside::new();
    let spy = Spy::new(&real);
    let work = tempfile::tempdir().unwrap();
    let inbox = work.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let bytes = word6_doc(listener.port, outside.path());
    std::fs::write(inbox.join("市科技局工作报告.doc"), &bytes).unwrap();
    let path = std::env::join_paths(std::iter::once(spy.dir.path().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_roundup"))
        .current_dir(common::repo())
        .env("PATH", path)
        .args(["check", "--round", "2024Q1", "--format", "json"])
        .arg(&inbox)
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    eprintln!("exit {:?}: {json}", out.status.code());
    assert!(matches!(out.status.code(), Some(0 | 1)));
    assert_eq!(json["files"][0]["kind"], "report", "{json}");
    let received = spy.received().expect("roundup started LibreOffice");
    assert!(!has_targets(&received));
    assert!(!names(&received, outside.path()));
    if let Some(calls) = spy.file_calls() {
        let found = lookups_of_targets(&calls, outside.path(), listener.port);
        eprintln!(
            "{} file calls traced, {} naming a target",
            calls.lines().count(),
            found.len()
        );
        assert_eq!(found, Vec::<String>::new());
    }
    assert_eq!(listener.connections(), 0);
}

/// Every compound file of the peer projects' test suites (some hostile on purpose) goes
/// through the scrubber: no panic, bounded time, and what it returns holds no target.
#[test]
fn the_scrubber_survives_the_peer_projects_compound_files() {
    use roundup::ingest::convert::scrub::scrub_compound;
    let dir = common::repo().join("../shared/fixtures/peer-files");
    if !dir.is_dir() {
        eprintln!("skipped: {} not present", dir.display());
        return;
    }
    let mut files = Vec::new();
    let mut stack = vec![dir];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(folder).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if std::fs::read(&path).is_ok_and(|b| b.starts_with(b"\xD0\xCF\x11\xE0")) {
                files.push(path);
            }
        }
    }
    files.sort();
    let (mut rewritten, mut blanked, mut refused) = (0, 0, Vec::new());
    let started = Instant::now();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let one = Instant::now();
        match scrub_compound(&bytes) {
            Ok(out) => {
                rewritten += 1;
                blanked += out.blanked;
                assert!(!has_targets(&out.bytes), "{}", file.display());
            }
            Err(err) => refused.push(format!("{}: {err}", file.file_name().unwrap().to_string_lossy())),
        }
        assert!(one.elapsed() < Duration::from_secs(10), "{}", file.display());
    }
    eprintln!(
        "{} compound files in {:.2?}: {rewritten} rewritten ({blanked} targets blanked), {} refused: {refused:#?}",
        files.len(),
        started.elapsed(),
        refused.len()
    );
    assert!(!files.is_empty());
}
