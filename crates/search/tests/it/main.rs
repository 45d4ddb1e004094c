//! Integration tests of the search index, on a small hand-written bilingual fixture set.

mod fixtures;
mod index;
mod ranking;
mod robustness;
