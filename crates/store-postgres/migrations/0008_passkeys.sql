-- Passkeys (issue 9 §2): WebAuthn credentials of agents. Kept in lockstep across both backends.
--
-- `credential` is the relying party's record of the credential as webauthn-rs serialises it
-- (public key, signature counter, backup state); it holds no secret — the private key never
-- leaves the authenticator. `credential_id` is the authenticator's id for it, base64url.
CREATE TABLE agent_passkeys (
    id            BIGSERIAL PRIMARY KEY,
    agent_id      BIGINT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    credential_id TEXT   NOT NULL UNIQUE,
    name          TEXT   NOT NULL,
    credential    TEXT   NOT NULL,
    created_at    BIGINT NOT NULL,
    last_used_at  BIGINT
);

CREATE INDEX agent_passkeys_agent ON agent_passkeys (agent_id);
