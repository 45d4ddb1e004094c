-- The agents' workspace (issue 11, crates/server/src/routes/agent/desk*.rs). Kept in lockstep
-- with the other backend's 0014_desk.sql.
--
-- agent_desk: one row per agent who has desk settings (no row: the defaults).
--   chat_limit       concurrent chats routing may give the agent; NULL: the desk's default
--                    (settings key `desk.chat_limit`).
--   languages        the languages the agent answers, space-separated keys (`zh-CN en`);
--                    empty: every language.
--   sound            play a sound for a new chat or ticket (off unless the agent turns it on).
--   last_assigned_at when routing last gave the agent a chat (round-robin among equals).
CREATE TABLE agent_desk (
    agent_id         BIGINT  PRIMARY KEY REFERENCES agents (id),
    chat_limit       BIGINT,
    languages        TEXT    NOT NULL DEFAULT '',
    sound            BOOLEAN NOT NULL DEFAULT FALSE,
    last_assigned_at BIGINT
);
