-- Inbound mail (crates/server/src/mail/inbound.rs). Kept in lockstep with the other backend's
-- 0010_mail_inbound.sql.
--
-- mail_message_ids: the SHA-256 (hex) of a mail's Message-ID and the ticket it went to. A reply
--   whose In-Reply-To/References names one of these threads to that ticket; a message whose
--   own id is here was taken before (IMAP fetched it twice, the MTA retried) and is not added
--   again. The id itself is user text and is not kept.
-- mail_bounces: a requester address that bounced on a ticket (a DSN, or a mailer-daemon's
--   report), with the DSN status; shown to agents, one row per ticket and address.
CREATE TABLE mail_message_ids (
    id_hash    TEXT    PRIMARY KEY,
    ticket_id  BIGINT  NOT NULL REFERENCES tickets (id),
    created_at BIGINT  NOT NULL
);
CREATE INDEX mail_message_ids_ticket ON mail_message_ids (ticket_id);

CREATE TABLE mail_bounces (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id  BIGINT  NOT NULL REFERENCES tickets (id),
    address    TEXT    NOT NULL,
    status     TEXT,
    created_at BIGINT  NOT NULL,
    UNIQUE (ticket_id, address)
);
