-- Several server processes on one database (server/src/cluster.rs). Kept in lockstep with the
-- other backend's 0016_cluster.sql; only the id's type differs (INTEGER PRIMARY KEY AUTOINCREMENT here, BIGSERIAL there).
--
-- cluster_messages: a message between processes too large for one PostgreSQL NOTIFY (8000
--   bytes). The notification carries the row's id and each listener reads the payload here.
--   Rows are deleted an hour after they were written. Only PostgreSQL writes it: on SQLite the
--   desk is one process and sends no messages.
CREATE TABLE cluster_messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    payload    TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE INDEX cluster_messages_created_at ON cluster_messages (created_at);
