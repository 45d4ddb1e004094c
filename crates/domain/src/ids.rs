//! Typed ids: a ticket id is never passed where an agent id is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    };
}

id!(
    /// A ticket; also the number users and agents see (`#42`).
    TicketId
);
id!(
    /// An agent or admin.
    AgentId
);
id!(
    /// One message of a ticket's conversation (public reply or internal note).
    MessageId
);
id!(
    /// A screenshot attached to a ticket.
    AttachmentId
);
id!(
    /// A canned reply.
    CannedReplyId
);
id!(
    /// An API token of an agent.
    ApiTokenId
);
id!(
    /// A help-center article in one language.
    ArticleId
);
