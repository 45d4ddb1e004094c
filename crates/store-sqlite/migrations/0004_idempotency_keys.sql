-- `Idempotency-Key` on the JSON API's POSTs: the first answer to a key, replayed when the same
-- caller sends the same request again (a client retrying after a timeout never opens a second
-- ticket). Kept in lockstep with the other backend's 0004_idempotency_keys.sql.
--
-- key_hash:     SHA-256 hex of (caller, key): neither the caller's token nor the key is kept.
-- request_hash: SHA-256 hex of method, path and body: the same key with another body is refused.
-- status, body: the answer, NULL while the first request is still being answered. The body is
--               redacted like every stored text, and an access link in it is replaced by a
--               placeholder: the link is rebuilt from link_seed with the key in the data
--               directory (as the outbox does), so a database backup opens no ticket.
-- Rows expire after 24 hours; the server's jobs delete them.
CREATE TABLE idempotency_keys (
    key_hash     TEXT   PRIMARY KEY,
    request_hash TEXT   NOT NULL,
    status       BIGINT,
    body         TEXT,
    link_seed    TEXT,
    started_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
