-- Live chat (crates/server/src/chat/). Kept in lockstep with the other backend's 0013_chat.sql.
--
-- tickets.channel: how a ticket reached the desk: `web`, `email`, `chat` or `api`. Tickets from
--   before this migration are `web`, except those whose first inbound mail was recorded within
--   a minute of their creation (mail_message_ids): the mail made them.
-- chat_conversations: a chat's place in its life: `assistant` (the assistant answers),
--   `queued` (waiting for a person since queued_at), `agent` (agent_id accepted it at
--   accepted_at), `ended`.
-- chat_messages: what a chat adds to a message: the client's own id for it (unique per
--   conversation, so a resend after a reconnect never stores it twice), who sent it
--   (`user`, `agent`, `assistant`, `system`), the assistant's article cards (JSON of ids,
--   titles and paths: never user text), and when the other side's client got it and read it.
ALTER TABLE tickets ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
UPDATE tickets SET channel = 'email' WHERE EXISTS (
    SELECT 1 FROM mail_message_ids m
    WHERE m.ticket_id = tickets.id AND m.created_at <= tickets.created_at + 60000
);
CREATE INDEX tickets_channel ON tickets (channel);

CREATE TABLE chat_conversations (
    ticket_id   BIGINT  PRIMARY KEY REFERENCES tickets (id),
    state       TEXT    NOT NULL,
    queued_at   BIGINT,
    accepted_at BIGINT,
    agent_id    BIGINT  REFERENCES agents (id),
    ended_at    BIGINT
);
CREATE INDEX chat_conversations_state ON chat_conversations (state, queued_at);

CREATE TABLE chat_messages (
    message_id   BIGINT  PRIMARY KEY REFERENCES messages (id),
    ticket_id    BIGINT  NOT NULL REFERENCES tickets (id),
    client_id    TEXT,
    sender       TEXT    NOT NULL,
    cards        TEXT    NOT NULL DEFAULT '[]',
    delivered_at BIGINT,
    read_at      BIGINT,
    UNIQUE (ticket_id, client_id)
);
