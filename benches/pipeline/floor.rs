//! The decompression floor: read every input file and inflate every member of every zip
//! container (.xlsx, .xlsm, .docx, .ods…) into a sink, with no parsing at all. No pipeline that
//! has to look inside the files can be faster than this.

use std::io::Cursor;
use std::path::PathBuf;
use std::time::Instant;

/// What one pass over the inbox took.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Floor {
    /// Threads used.
    pub threads: usize,
    /// Wall seconds.
    pub wall: f64,
    /// Files read.
    pub files: usize,
    /// Files that were zip containers.
    pub zips: usize,
    /// Zip members inflated.
    pub members: usize,
    /// Bytes read from disk.
    pub bytes_in: u64,
    /// Bytes produced by inflating.
    pub bytes_out: u64,
}

impl Floor {
    fn add(mut self, other: Floor) -> Floor {
        self.files += other.files;
        self.zips += other.zips;
        self.members += other.members;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self
    }
}

/// Reads and inflates all of `files` on `threads` threads (files dealt round-robin).
pub fn decompress_all(files: &[PathBuf], threads: usize) -> Floor {
    let threads = threads.max(1);
    let start = Instant::now();
    let total = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| scope.spawn(move || decompress_share(files, t, threads)))
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok())
            .fold(Floor::default(), Floor::add)
    });
    Floor {
        threads,
        wall: start.elapsed().as_secs_f64(),
        ..total
    }
}

/// Files `t`, `t + n`, `t + 2n`… of `files`.
fn decompress_share(files: &[PathBuf], t: usize, n: usize) -> Floor {
    files
        .iter()
        .skip(t)
        .step_by(n)
        .map(decompress_one)
        .fold(Floor::default(), Floor::add)
}

fn decompress_one(path: &PathBuf) -> Floor {
    let Ok(bytes) = std::fs::read(path) else {
        return Floor::default();
    };
    let mut floor = Floor {
        files: 1,
        bytes_in: bytes.len() as u64,
        ..Floor::default()
    };
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes.as_slice())) else {
        return floor;
    };
    floor.zips = 1;
    for i in 0..archive.len() {
        if let Ok(mut member) = archive.by_index(i) {
            floor.bytes_out += std::io::copy(&mut member, &mut std::io::sink()).unwrap_or(0);
            floor.members += 1;
        }
    }
    floor
}
