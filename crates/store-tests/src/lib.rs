//! The one conformance suite every [`Store`] backend must pass.
//!
//! Each public `async fn` is a scenario that takes a freshly migrated, empty store. A backend's
//! `tests/it/main.rs` runs every scenario in its own fresh database with
//! [`conformance_tests!`], which expands to one `#[tokio::test]` per scenario, so the list of
//! scenarios lives here only. [`run_all`] runs them one after another on one store (for a quick
//! smoke run); since scenarios share nothing but the store, each makes its own agents and
//! tickets and never counts what it did not make, except where it says "fresh store".
//!
//! A scenario panics on the first broken expectation, with a message naming the rule.
#![expect(
    clippy::unwrap_used,
    reason = "a conformance suite: a failed store call is a failed test"
)]

mod chat;
mod desk;
mod notify;
mod scenarios;

pub use chat::*;
pub use desk::*;
pub use notify::*;
pub use scenarios::*;

/// Calls `$m!` with every scenario's name, in the order [`run_all`] runs them: scenarios that
/// say "fresh store" assume nothing else was there, so they come first. The one list of
/// scenarios; [`conformance_tests!`] and [`run_all`] both read it.
#[macro_export]
macro_rules! scenario_list {
    // `$m` is a macro of this crate (`$crate::$m!`), or one in scope where this is called.
    (crate $m:ident; $($prefix:tt)*) => {
        $crate::scenario_list!(@list [$crate::$m] $($prefix)*);
    };
    (local $m:ident; $($prefix:tt)*) => {
        $crate::scenario_list!(@list [$m] $($prefix)*);
    };
    (@list [$($m:tt)+] $($prefix:tt)*) => {
        $($m)+!($($prefix)*
            view_counts_match_views, sla_at_risk_and_breached, settings_and_sla_policy,
            backend_answers, agents_create_and_read, agents_duplicate_email_conflicts,
            sessions_expire, sign_in_link_is_consumed_once, agent_security, api_tokens,
            tickets_create_and_read, notes_never_leak, append_message_status_rules,
            update_ticket, priority_change_recounts_dues, views_return_the_right_tickets, search_finds_exactly_what_says_so,
            merge_tickets, close_solved, rating, ratings_report, mark_secret_exposed,
            help_articles_and_versions, help_feedback_and_views,
            help_search_and_deflection_reports, help_search_log_batches, attachments,
            canned_replies, audit_log, mail_delivery, outbox, outbox_link_seed, idempotency_keys, redact_message,
            concurrent_writes, concurrent_creations_stand_alone,
            address_challenges, address_challenge_used_once_under_concurrency, prune_logs,
            mail_message_ids_and_bounces,
            // notify: mail codes, links, settings (migration 0011)
            phishing_code_confirmed_once, ticket_links_and_open_tickets,
            reply_and_mails_commit_together, agent_mail_settings, sign_in_link_by_mail,
            passkeys_and_factor_reset,
            // chat (migration 0013)
            chat_messages_dedup_by_client_id, chat_queue_accept_and_read,
            // chatuser: a chat's screenshot on its message
            chat_attachment_goes_on_one_message,
            // desk: the agents' workspace settings (migration 0014)
            desk_settings_round_trip, tickets_of_requester_in_every_status,
        );
    };
}

/// Expands to one `#[tokio::test]` per scenario. `$fresh` is an async function returning
/// `Option<(Arc<dyn Store>, guard)>`: a migrated, empty store and whatever must live as long as
/// it (a temporary directory, say), or `None` when the backend was explicitly skipped (the
/// backend's harness decides when that is allowed and says so).
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:path) => {
        $crate::scenario_list!(crate conformance_tests; @each $fresh;);
    };
    (@each $fresh:path; $($name:ident),+ $(,)?) => {
        $(
            #[tokio::test]
            async fn $name() {
                let Some((store, _guard)) = $fresh().await else {
                    return;
                };
                $crate::$name(store).await;
            }
        )+
    };
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn migration_names(backend: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(backend)
            .join("migrations");
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn both_backends_have_the_same_migrations() {
        let sqlite = migration_names("store-sqlite");
        let postgres = migration_names("store-postgres");
        assert!(!sqlite.is_empty(), "no SQLite migrations found");
        assert_eq!(
            sqlite, postgres,
            "the SQLite and PostgreSQL migrations must be numbered and named in lockstep"
        );
    }

    #[test]
    fn both_backends_create_the_same_tables_and_columns() {
        let sqlite = schema("store-sqlite");
        let postgres = schema("store-postgres");
        assert_eq!(
            sqlite, postgres,
            "the two schemas must have the same tables and columns"
        );
    }

    /// `table(column, …)` for every `CREATE TABLE` of a backend's migrations, read from the
    /// SQL text: a column line starts with a lower-case name followed by a type.
    fn schema(backend: &str) -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(backend)
            .join("migrations");
        let mut out = Vec::new();
        for name in migration_names(backend) {
            let sql = std::fs::read_to_string(dir.join(&name)).unwrap();
            let mut current: Option<(String, Vec<String>)> = None;
            for line in sql.lines() {
                let line = line.trim();
                if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
                    let table = rest.split_whitespace().next().unwrap().to_owned();
                    current = Some((table, Vec::new()));
                } else if line.starts_with(");") {
                    if let Some((t, cols)) = current.take() {
                        out.push(format!("{t}({})", cols.join(", ")));
                    }
                } else if let Some((_, cols)) = current.as_mut() {
                    let first = line.split_whitespace().next().unwrap_or("");
                    if !first.is_empty()
                        && first
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                        && !line.starts_with("--")
                    {
                        cols.push(first.to_owned());
                    }
                }
            }
        }
        out
    }
}
