//! roundup turns a folder of progress reports (spreadsheets and Word reports from the lead
//! units of a reform pilot) into the documents a supervising office sends upward.
//!
//! The pipeline is the architecture: [`ingest`] -> [`validate`] -> [`merge`] -> [`render`],
//! sequenced by [`app`], which alone touches the file system.

#![warn(missing_docs)]

pub mod app;
pub mod cli;
pub mod config;
pub mod diag;
pub mod ingest;
pub mod merge;
pub mod registry;
pub mod render;
pub mod text;
pub mod validate;
