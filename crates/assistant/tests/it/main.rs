//! Integration tests of the assistant over the real help content.

#![expect(
    clippy::unwrap_used,
    reason = "a test that cannot set itself up should fail loudly"
)]

mod real_questions;
mod rules;
