//! One component per file.

pub mod terminal;
