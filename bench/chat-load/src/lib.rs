//! The chat load generator (issue 11, "Benchmarks"): real `walletdesk serve` processes, real
//! sockets, the protocol of docs/CHAT-PROTOCOL.md. `chat-load idle` measures the server's memory
//! with N idle chats open; `chat-load active` the end-to-end delivery latency of C chats
//! talking, on one node or across two nodes on one PostgreSQL. Figures and how they were taken:
//! docs/BENCHMARKS.md; how to run it: bench/README.md.

pub mod active;
pub mod client;
pub mod desk;
pub mod idle;
pub mod report;
pub mod stats;
pub mod sys;
