-- Chats in the agents' workspace (issue 11, crates/server/src/desk_routing.rs). Kept in
-- lockstep with the other backend's 0017_deskchat.sql.
--
-- chat_offers: a queued chat offered to one agent by routing, until they accept or decline it
--   or it expires (expires_at). One offer per chat at a time (the primary key): two nodes
--   routing at once cannot both offer the same chat; the insert that loses does nothing.
-- chat_offer_refusals: agents who declined a chat, or let its offer expire (`declined`,
--   `timeout`): routing offers it to someone else. Kept for the chat's life; an agent may
--   still take the chat from the waiting list.
CREATE TABLE chat_offers (
    ticket_id  BIGINT NOT NULL PRIMARY KEY REFERENCES tickets (id),
    agent_id   BIGINT NOT NULL REFERENCES agents (id),
    offered_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX chat_offers_agent ON chat_offers (agent_id);

CREATE TABLE chat_offer_refusals (
    ticket_id BIGINT NOT NULL REFERENCES tickets (id),
    agent_id  BIGINT NOT NULL REFERENCES agents (id),
    reason    TEXT   NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, agent_id)
);
