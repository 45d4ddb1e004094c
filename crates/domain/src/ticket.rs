//! Ticket vocabulary: categories and what each asks for, statuses, priorities, authors.
//!
//! Every enum has a stable snake_case key (`as_str`/`parse`): it is what the database stores,
//! what the API speaks and what the translation files are keyed by.

use serde::{Deserialize, Serialize};

/// A key that names none of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} `{value}`")]
pub struct ParseError {
    pub what: &'static str,
    pub value: String,
}

macro_rules! keyed {
    ($name:ident, $what:literal, { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// # Errors
            /// The key names no value.
            pub fn parse(s: &str) -> Result<$name, ParseError> {
                match s { $($key => Ok($name::$variant),)+ _ => Err(ParseError { what: $what, value: s.to_owned() }) }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// What the user's problem is about. Each asks for the fields an agent needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    SignIn,
    Transaction,
    Balance,
    Restore,
    App,
    Security,
    Other,
}

keyed!(Category, "category", {
    SignIn => "sign_in",
    Transaction => "transaction",
    Balance => "balance",
    Restore => "restore",
    App => "app",
    Security => "security",
    Other => "other",
});

/// A structured field a category asks for, checked as the user types and on submit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketField {
    Chain,
    TxHash,
    Address,
    AppVersion,
    DeviceOs,
}

keyed!(TicketField, "field", {
    Chain => "chain",
    TxHash => "tx_hash",
    Address => "address",
    AppVersion => "app_version",
    DeviceOs => "device_os",
});

impl Category {
    /// The fields this category shows, and whether each is required.
    #[must_use]
    pub fn fields(self) -> &'static [(TicketField, bool)] {
        use TicketField::{Address, AppVersion, Chain, DeviceOs, TxHash};
        match self {
            Category::Transaction => &[
                (Chain, true),
                (TxHash, true),
                (AppVersion, false),
                (DeviceOs, false),
            ],
            Category::Balance => &[
                (Chain, true),
                (Address, true),
                (AppVersion, false),
                (DeviceOs, false),
            ],
            Category::SignIn | Category::App => &[(AppVersion, true), (DeviceOs, true)],
            Category::Security => &[
                (Chain, false),
                (Address, false),
                (TxHash, false),
                (AppVersion, false),
                (DeviceOs, false),
            ],
            Category::Restore | Category::Other => &[(AppVersion, false), (DeviceOs, false)],
        }
    }

    /// The priority a new ticket starts with. Suspected theft and lost assets are urgent from
    /// the start: minutes matter.
    #[must_use]
    pub fn initial_priority(self) -> Priority {
        match self {
            Category::Security | Category::Balance => Priority::Urgent,
            Category::Transaction | Category::Restore => Priority::High,
            Category::SignIn | Category::App | Category::Other => Priority::Normal,
        }
    }
}

/// Where a ticket is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    New,
    Open,
    WaitingOnUser,
    Solved,
    Closed,
}

keyed!(Status, "status", {
    New => "new",
    Open => "open",
    WaitingOnUser => "waiting_on_user",
    Solved => "solved",
    Closed => "closed",
});

impl Status {
    /// Whether the ticket still needs work from the desk.
    #[must_use]
    pub fn is_active(self) -> bool {
        matches!(self, Status::New | Status::Open | Status::WaitingOnUser)
    }
}

/// How soon the desk must act. Ordered: `Low < Normal < High < Urgent`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Low,
    Normal,
    High,
    Urgent,
}

keyed!(Priority, "priority", {
    Low => "low",
    Normal => "normal",
    High => "high",
    Urgent => "urgent",
});

/// An agent's role. What each may do is [`Role::allows`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Agent,
    /// Sees tickets and writes internal notes; cannot reply to users, change tickets or edit
    /// the help center (a trainee, a contractor, an auditor).
    Restricted,
}

keyed!(Role, "role", {
    Admin => "admin",
    Agent => "agent",
    Restricted => "restricted",
});

/// Something an agent may or may not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// See tickets and write internal notes: every role.
    ReadTickets,
    /// A public reply, which the user receives.
    ReplyPublicly,
    /// Status, priority, assignee, tags, merging, bulk changes.
    UpdateTickets,
    /// Write and save help-article drafts.
    EditArticles,
    /// Publish, unpublish and restore help articles: admins, and agents given it.
    PublishArticles,
    /// The admin pages: agents, brand, SLA, tokens of others, audit.
    Administer,
}

impl Permission {
    pub const ALL: [Permission; 6] = [
        Permission::ReadTickets,
        Permission::ReplyPublicly,
        Permission::UpdateTickets,
        Permission::EditArticles,
        Permission::PublishArticles,
        Permission::Administer,
    ];
}

impl Role {
    /// Whether this role may do `p`; `can_publish` is the agent's own publishing grant.
    #[must_use]
    pub fn allows(self, p: Permission, can_publish: bool) -> bool {
        match (self, p) {
            (Role::Admin, _) | (_, Permission::ReadTickets) => true,
            (Role::Agent, Permission::PublishArticles) => can_publish,
            (Role::Agent, Permission::Administer) | (Role::Restricted, _) => false,
            (Role::Agent, _) => true,
        }
    }
}

/// The language a person reads: 简体中文 or English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    #[default]
    #[serde(rename = "en")]
    En,
    #[serde(rename = "zh-CN")]
    ZhCn,
}

keyed!(Lang, "language", {
    En => "en",
    ZhCn => "zh-CN",
});

impl Lang {
    /// Picks a language from an `Accept-Language` header value: the first Chinese or English
    /// range by quality; English when neither is there.
    #[must_use]
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut it = part.split(';');
            let tag = it.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = it
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Lang::ZhCn
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::En, |(_, l)| l)
    }

    /// Accepts the keys and their common spellings (`zh`, `zh-cn`, `zh_CN`, `en-US`).
    #[must_use]
    pub fn parse_loose(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::ZhCn)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// Whether a message is part of the conversation or only for agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// Seen by the user and the agents.
    Public,
    /// An internal note: agents only, never shown or sent to the user.
    Note,
}

keyed!(MessageKind, "message kind", {
    Public => "public",
    Note => "note",
});

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "type", content = "id")]
pub enum Author {
    /// The ticket's requester.
    User,
    Agent(crate::AgentId),
    /// The desk itself (merges, automatic closing).
    System,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_each_role_may_do() {
        use Permission as P;
        for p in Permission::ALL {
            assert!(Role::Admin.allows(p, false), "{p:?}");
        }
        assert!(Role::Agent.allows(P::ReplyPublicly, false));
        assert!(Role::Agent.allows(P::EditArticles, false));
        assert!(!Role::Agent.allows(P::PublishArticles, false));
        assert!(Role::Agent.allows(P::PublishArticles, true));
        assert!(!Role::Agent.allows(P::Administer, true));
        assert!(Role::Restricted.allows(P::ReadTickets, true));
        for p in [
            P::ReplyPublicly,
            P::UpdateTickets,
            P::EditArticles,
            P::PublishArticles,
            P::Administer,
        ] {
            assert!(!Role::Restricted.allows(p, true), "{p:?}");
        }
        assert_eq!(Role::parse("restricted"), Ok(Role::Restricted));
    }

    #[test]
    fn keys_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()).unwrap(), *c);
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()).unwrap(), *s);
        }
        assert!(Category::parse("wallet").is_err());
    }

    #[test]
    fn security_and_asset_loss_start_urgent() {
        assert_eq!(Category::Security.initial_priority(), Priority::Urgent);
        assert_eq!(Category::Balance.initial_priority(), Priority::Urgent);
        assert!(Priority::Urgent > Priority::High && Priority::Normal > Priority::Low);
    }

    #[test]
    fn accept_language_picks_by_quality() {
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Lang::ZhCn
        );
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,zh-CN;q=0.8"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("fr-FR, zh-TW;q=0.5"), Lang::ZhCn);
        assert_eq!(Lang::from_accept_language("de"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }
}
