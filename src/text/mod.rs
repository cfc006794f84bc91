//! Chinese text helpers shared by every stage.

pub mod width;
