//! Fetching inbound mail from a mailbox over IMAP (IDLE where the server has it, polling
//! otherwise); every message goes through [`super::inbound::receive`].
