//! The server's integration tests: the real router on a real listener with a real SQLite file.

mod agent;
mod help;
mod helpers;
mod public;
