//! How a conversation reached the desk. The web form, e-mail, live chat and the API differ in
//! how messages arrive, not in what a conversation is: every ticket has one channel, and a chat
//! is a ticket whose channel is [`Channel::Chat`].

use serde::{Deserialize, Serialize};

use crate::ParseError;

/// Where a ticket came from. Stored as its key (`web`, `email`, `chat`, `api`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The help center's ticket form (and every ticket from before channels existed).
    #[default]
    Web,
    /// An inbound mail to the support address.
    Email,
    /// The live chat (`/chat`, the launcher, a wallet's embedded chat or its native client).
    Chat,
    /// `POST /api/v1/tickets` with an API token.
    Api,
}

impl Channel {
    pub const ALL: &'static [Channel] =
        &[Channel::Web, Channel::Email, Channel::Chat, Channel::Api];

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Email => "email",
            Channel::Chat => "chat",
            Channel::Api => "api",
        }
    }

    /// # Errors
    /// The key names no channel.
    pub fn parse(s: &str) -> Result<Channel, ParseError> {
        Channel::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| ParseError {
                what: "channel",
                value: s.to_owned(),
            })
    }
}

impl std::fmt::Display for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_unknown_keys_fail() {
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.as_str()), Ok(*c));
            let json = serde_json::to_string(c).expect("json");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        assert!(Channel::parse("fax").is_err());
        assert!(Channel::parse("Chat").is_err());
    }
}
