-- Mail that users and agents ask for: the anti-phishing code, extra access links per ticket,
-- and agents' notification settings. Kept in lockstep with the other backend's
-- 0011_mail_codes.sql (the same text: no column here differs between the two).
--
-- phishing_codes: one code per mailbox. address_key is a keyed hash (HMAC with a key derived
--   from the link key, never in the database) of EmailAddress::mailbox_key, so the table names
--   no address; sealed_code is the code encrypted with a key derived from the link key
--   (server/src/mail/phishing_code.rs). A copy of the database alone shows neither.
CREATE TABLE phishing_codes (
    address_key TEXT   NOT NULL PRIMARY KEY,
    sealed_code TEXT   NOT NULL,
    set_at      BIGINT NOT NULL
);

-- A change waiting for its confirmation link (mailed to the address): sealed_code NULL means
-- "remove the code". token_hash is SHA-256 of the link's token; used once, before expires_at.
CREATE TABLE phishing_code_requests (
    token_hash  TEXT   NOT NULL PRIMARY KEY,
    address_key TEXT   NOT NULL,
    sealed_code TEXT,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);

-- More access links to a ticket than the one made with it: each mail that carries a link (an
-- agent's reply, "my tickets") mints a new token from a new seed; only its SHA-256 is here.
CREATE TABLE ticket_links (
    token_hash TEXT   NOT NULL PRIMARY KEY,
    ticket_id  BIGINT NOT NULL REFERENCES tickets (id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ticket_links_ticket ON ticket_links (ticket_id);

-- Which notification mails an agent gets (no row: both on).
CREATE TABLE agent_mail_settings (
    agent_id  BIGINT  NOT NULL PRIMARY KEY REFERENCES agents (id),
    on_assign BOOLEAN NOT NULL,
    on_reply  BOOLEAN NOT NULL
);
