//! The source both store backends share (see `README.md`), and the one list of its files.
//!
//! Each backend includes this file once, `#[path = "../../store-sql/mod.rs"] mod shared;`, and
//! imports its modules to the crate root (`use shared::*;`), so the files name each other
//! `crate::row`, `crate::tickets`, … and the backend's own `crate::db` alike. A new file is
//! added here, once, for both.

// One file per area of the `Store` trait (`crates/store/src/<area>.rs`): its `impl … for
// DbStore`.
pub(crate) mod agents;
pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod chat;
pub(crate) mod csat;
pub(crate) mod desk;
pub(crate) mod help;
pub(crate) mod idempotency;
pub(crate) mod mail_in;
pub(crate) mod notify;
pub(crate) mod outbox;
pub(crate) mod ownership;
pub(crate) mod sessions;
pub(crate) mod settings;
pub(crate) mod tickets;

// What the areas share: `Store`'s own methods and helpers, SQL built at run time, rows to
// records.
pub(crate) mod row;
pub(crate) mod sql;
#[path = "store.rs"]
pub(crate) mod store_impl;
