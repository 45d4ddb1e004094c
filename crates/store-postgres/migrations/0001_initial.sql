-- walletdesk schema, PostgreSQL flavour. Kept in lockstep with
-- crates/store-sqlite/migrations/0001_initial.sql: same file names, tables, columns and
-- meanings; only the types differ (BIGSERIAL here, INTEGER PRIMARY KEY AUTOINCREMENT there).
-- Times are milliseconds since the Unix epoch (BIGINT). Tokens are SHA-256 hex, never clear.
-- Enum columns hold the domain crate's snake_case keys.

CREATE TABLE agents (
    id            BIGSERIAL PRIMARY KEY,
    email         TEXT    NOT NULL,
    -- The address lower-cased: one agent per mailbox, however it is capitalised.
    email_key     TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    lang          TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    agent_id   BIGINT  NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    csrf       TEXT    NOT NULL,
    verified   BOOLEAN NOT NULL
);
CREATE INDEX sessions_agent ON sessions (agent_id);

CREATE TABLE sign_in_links (
    token_hash TEXT   PRIMARY KEY,
    agent_id   BIGINT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE api_tokens (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    agent_id     BIGINT  NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT
);
CREATE INDEX api_tokens_agent ON api_tokens (agent_id);

CREATE TABLE tickets (
    id                 BIGSERIAL PRIMARY KEY,
    requester          TEXT    NOT NULL,
    category           TEXT    NOT NULL,
    subject            TEXT    NOT NULL,
    chain              TEXT,
    tx_hash            TEXT,
    address            TEXT,
    app_version        TEXT,
    device_os          TEXT,
    status             TEXT    NOT NULL,
    priority           TEXT    NOT NULL,
    assignee           BIGINT  REFERENCES agents (id),
    -- A JSON array of strings, in the order the agent gave them.
    tags               TEXT    NOT NULL DEFAULT '[]',
    secret_exposed     BOOLEAN NOT NULL,
    lang               TEXT    NOT NULL,
    access_token       TEXT    NOT NULL UNIQUE,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    first_response_at  BIGINT,
    first_response_due BIGINT,
    resolution_due     BIGINT,
    solved_at          BIGINT,
    closed_at          BIGINT,
    merged_into        BIGINT  REFERENCES tickets (id),
    rating_score       BIGINT  CHECK (rating_score BETWEEN 1 AND 5),
    rating_comment     TEXT,
    rated_at           BIGINT
);
CREATE INDEX tickets_status ON tickets (status, updated_at);
CREATE INDEX tickets_assignee ON tickets (assignee, status);
CREATE INDEX tickets_requester ON tickets (requester);

CREATE TABLE messages (
    id              BIGSERIAL PRIMARY KEY,
    ticket_id       BIGINT  NOT NULL REFERENCES tickets (id),
    -- `user`, `agent` or `system`; `author_agent` is set exactly for `agent`.
    author_type     TEXT    NOT NULL,
    author_agent    BIGINT  REFERENCES agents (id),
    kind            TEXT    NOT NULL,
    body            TEXT    NOT NULL,
    secrets_removed BIGINT  NOT NULL DEFAULT 0,
    created_at      BIGINT  NOT NULL,
    CHECK ((author_type = 'agent') = (author_agent IS NOT NULL))
);
CREATE INDEX messages_ticket ON messages (ticket_id, created_at);

CREATE TABLE attachments (
    id           BIGSERIAL PRIMARY KEY,
    ticket_id    BIGINT  NOT NULL REFERENCES tickets (id),
    message_id   BIGINT  REFERENCES messages (id),
    filename     TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    sha256       TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL
);
CREATE INDEX attachments_ticket ON attachments (ticket_id);

CREATE TABLE canned_replies (
    id    BIGSERIAL PRIMARY KEY,
    title TEXT    NOT NULL,
    body  TEXT    NOT NULL,
    lang  TEXT    NOT NULL
);

-- Free-form settings and the SLA policy (key `sla_policy`), JSON values.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    id     BIGSERIAL PRIMARY KEY,
    actor  BIGINT  REFERENCES agents (id),
    action TEXT    NOT NULL,
    target TEXT,
    detail TEXT    NOT NULL,
    at     BIGINT  NOT NULL
);

CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    to_addr    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body_text  TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    ticket_id  BIGINT  REFERENCES tickets (id),
    created_at BIGINT  NOT NULL,
    sent_at    BIGINT,
    attempts   BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox (sent_at, id);
