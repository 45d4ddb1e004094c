-- Proof that a ticket's requester controls an address, by a signed message (never a secret):
-- the challenge text the desk wrote (crates/ownership) and, once a valid signature used it,
-- when and how it was proved. Kept in lockstep with the other backend's
-- 0007_address_challenges.sql.
--
-- nonce:        single-use, unique across the desk.
-- message:      the exact text the user signs; written by the desk (domain, ticket number,
--               nonce, expiry, the address already on the ticket), never user text.
-- verified_at:  set once, by the first valid signature before expires_at; then the challenge is
--               used and the ticket shows the address as proved (method: ownership::Method).
-- The signature itself is not kept: the proof is the desk's own record of having checked it.
CREATE TABLE address_challenges (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id   BIGINT  NOT NULL REFERENCES tickets (id),
    address     TEXT    NOT NULL,
    nonce       TEXT    NOT NULL UNIQUE,
    message     TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    expires_at  BIGINT  NOT NULL,
    verified_at BIGINT,
    method      TEXT
);
CREATE INDEX address_challenges_ticket ON address_challenges (ticket_id, id);
