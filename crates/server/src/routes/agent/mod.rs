//! The agent side of the desk: signing in, the inbox, a ticket's page and its actions, live
//! updates. Every page here needs an [`session::AgentSession`]; every form checks the CSRF token.

pub(crate) mod attachment;
pub(crate) mod bulk;
pub(crate) mod canned;
pub(crate) mod chat;
pub(crate) mod desk;
pub(crate) mod desk_actions;
pub(crate) mod events;
pub(crate) mod inbox;
pub(crate) mod mail_link;
pub(crate) mod mail_settings;
pub(crate) mod merge;
pub(crate) mod message;
pub(crate) mod passkey;
pub(crate) mod password;
pub(crate) mod security;
pub(crate) use crate::auth::session;
pub(crate) mod sign_in;
pub(crate) mod sla;
pub(crate) mod ticket;
pub(crate) mod update;

/// Where an agent lands after signing in: the workspace, for tickets and chats together. The
/// classic inbox (`/agent`) stays for bulk changes; each links to the other.
pub(crate) const LANDING: &str = "/agent/desk";

/// One choice of a `<select>` or a sidebar link, worked out in Rust so templates only print.
#[derive(Debug, Clone)]
pub(crate) struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Opt {
    /// Options for keyed values, labelled by `<prefix>.<key>`.
    pub(crate) fn keyed<'k>(
        t: &crate::i18n::Tr<'_>,
        prefix: &str,
        keys: impl IntoIterator<Item = &'k str>,
        current: &str,
    ) -> Vec<Opt> {
        keys.into_iter()
            .map(|k| Opt {
                value: k.to_owned(),
                label: t.get(&format!("{prefix}.{k}")),
                selected: k == current,
            })
            .collect()
    }
}
