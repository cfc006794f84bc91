//! scratch: time zipguard vs full ingest vs JSON on a folder
use roundup::config::Limits;
use std::time::Instant;
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut files = Vec::new();
    for e in walk(std::path::Path::new(&dir)) {
        files.push((
            e.file_name().unwrap().to_string_lossy().into_owned(),
            std::fs::read(&e).unwrap(),
        ));
    }
    let limits = Limits::default();
    for ext in ["xlsx", "docx", "xls", "ods"] {
        let set: Vec<_> = files.iter().filter(|(n, _)| n.ends_with(ext)).collect();
        if set.is_empty() {
            continue;
        }
        let t = Instant::now();
        for (_, b) in &set {
            let _ = roundup::ingest::zipguard::check_package(b, &limits);
        }
        let guard = t.elapsed();
        let t = Instant::now();
        let mut parsed = Vec::new();
        for (n, b) in &set {
            parsed.push(roundup::ingest::ingest_bytes(n, b, &limits));
        }
        let full = t.elapsed();
        let t = Instant::now();
        let mut total = 0;
        let mut js = Vec::new();
        for p in &parsed {
            let v = serde_json::to_vec(p).unwrap();
            total += v.len();
            js.push(v);
        }
        let ser = t.elapsed();
        let t = Instant::now();
        for v in &js {
            let _: Result<roundup::ingest::Ingested, roundup::ingest::IngestError> =
                serde_json::from_slice(v).unwrap();
        }
        let de = t.elapsed();
        let t = Instant::now();
        for (_, b) in &set {
            let _ = roundup::ingest::sha256_hex(b);
        }
        let sha = t.elapsed();
        println!(
            "{ext}: {} files guard {:?} ingest(total incl guard) {:?} json ser {:?} de {:?} ({} KB) sha {:?}",
            set.len(),
            guard,
            full,
            ser,
            de,
            total / 1024,
            sha
        );
    }
}
fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap() {
        let e = e.unwrap().path();
        if e.is_dir() {
            out.extend(walk(&e));
        } else {
            out.push(e);
        }
    }
    out.sort();
    out
}
