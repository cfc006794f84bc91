//! roundup turns a folder of progress reports (spreadsheets and Word reports from the lead
//! units of a reform pilot) into the documents a supervising office sends upward.
//!
//! The pipeline is the architecture: [`ingest`] -> [`validate`] -> [`merge`] -> [`render`] ->
//! [`write`], sequenced by [`app`] (one file per command). Reading the inbox is ingest's, and
//! changing the output folder is write's; validate, merge and render do no I/O. Shared
//! vocabulary and helpers sit below the stages: [`config`], [`vocab`], [`diag`], [`digest`],
//! [`text`]. See `ARCHITECTURE.md`.

pub mod app;
pub mod cli;
pub mod config;
pub mod diag;
pub mod digest;
pub mod ingest;
pub mod merge;
pub mod registry;
pub mod render;
pub mod text;
pub mod validate;
pub mod vocab;
pub mod write;
