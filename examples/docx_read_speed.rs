//! How fast the Word reader is: builds a report of about 1 MB with docx-rs (headings,
//! task paragraphs, a progress table) and times `ingest::docx::read_document` on it.
//!
//! `cargo run --release --example docx_read_speed [iterations]`

use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};
use roundup::config::Limits;
use roundup::ingest::{docx, Content};
use std::io::Cursor;
use std::time::Instant;

/// Target size of the generated report.
const TARGET_BYTES: usize = 1 << 20;

fn para(text: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(text))
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(para(text))
}

/// One chunk of report: a heading, ten task paragraphs and a five-row table.
fn add_chunk(mut doc: Docx, n: usize) -> Docx {
    doc = doc.add_paragraph(para(&format!("{n}、第{n}部分任务推进情况")));
    for task in 0..10 {
        doc = doc.add_paragraph(para(&format!(
            "任务{}：围绕任务{}，组织企业座谈，召开专题推进会，完成调研走访，梳理政策清单，累计服务企业{}家，推动项目签约{}个。",
            task + 1,
            task + 1,
            n * 7 + task,
            task
        )));
    }
    let header = ["序号", "试点任务", "完成状态", "完成进度（%）", "本期工作进展"];
    let mut rows = vec![TableRow::new(header.iter().map(|h| cell(h)).collect())];
    for task in 0..5 {
        rows.push(TableRow::new(vec![
            cell(&(task + 1).to_string()),
            cell("深化高等院校和科研机构科技成果使用权、处置权和收益权改革"),
            cell("推进中"),
            cell("60"),
            cell("完成调研走访，建立工作台账。"),
        ]));
    }
    doc.add_table(Table::new(rows))
}

fn build_report() -> Vec<u8> {
    let mut chunks = 1;
    loop {
        let mut doc = Docx::new().add_paragraph(para("市科技局关于2024年第一季度试点任务推进情况的报告"));
        for n in 0..chunks {
            doc = add_chunk(doc, n);
        }
        let mut buf = Cursor::new(Vec::new());
        if doc.build().pack(&mut buf).is_err() {
            eprintln!("docx-rs could not write the report");
            std::process::exit(1);
        }
        let bytes = buf.into_inner();
        if bytes.len() >= TARGET_BYTES || chunks > 10_000 {
            return bytes;
        }
        chunks = (chunks * TARGET_BYTES / bytes.len().max(1)).max(chunks + 1);
    }
}

fn main() {
    let iterations: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20)
        .max(1);
    let bytes = build_report();
    let limits = Limits::default();
    let blocks = match docx::read_document(&bytes, &limits).map(|i| i.content) {
        Ok(Content::Document(doc)) => doc.blocks.len(),
        Ok(Content::Workbook(_)) | Err(_) => {
            eprintln!("the generated report could not be read");
            std::process::exit(1);
        }
    };
    let started = Instant::now();
    for _ in 0..iterations {
        let _ = std::hint::black_box(docx::read_document(std::hint::black_box(&bytes), &limits));
    }
    let per_read = started.elapsed().as_secs_f64() / f64::from(iterations);
    println!(
        "report: {:.2} MB, {blocks} blocks; read_document: {:.2} ms per read ({iterations} reads, {:.1} MB/s)",
        bytes.len() as f64 / 1e6,
        per_read * 1e3,
        bytes.len() as f64 / 1e6 / per_read
    );
}
