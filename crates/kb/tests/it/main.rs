//! The kb crate's integration tests: one binary, a module per area.

mod content;
