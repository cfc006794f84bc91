//! Chinese text helpers shared by every stage, and the sanitiser for text that reaches an
//! output or a terminal.

pub mod date;
pub mod io;
pub mod sanitize;
pub mod width;
