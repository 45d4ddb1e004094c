//! The mail crate's integration tests: the inbound corpus (`tests/corpus/*.eml`, sources in
//! `tests/corpus/SOURCES.md`).

mod corpus;
