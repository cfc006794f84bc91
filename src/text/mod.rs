//! Chinese text helpers shared by every stage.

pub mod date;
pub mod width;
