-- Agents' security (issue 9): the publishing grant, second factors, recovery codes, and when
-- a session last checked a factor (step-up). Kept in lockstep across both backends.

ALTER TABLE agents ADD COLUMN can_publish BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE sessions ADD COLUMN factor_at BIGINT;

-- One TOTP authenticator per agent. The secret is sealed with the server's key (kept in the
-- data directory, never here): a database backup alone does not give anyone the codes.
CREATE TABLE agent_totp (
    agent_id      BIGINT PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    sealed_secret TEXT   NOT NULL,
    confirmed_at  BIGINT,
    last_step     BIGINT NOT NULL DEFAULT 0
);

-- One-time recovery codes: SHA-256 hex of each, never the code.
CREATE TABLE recovery_codes (
    agent_id  BIGINT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    code_hash TEXT   NOT NULL,
    used_at   BIGINT,
    PRIMARY KEY (agent_id, code_hash)
);
