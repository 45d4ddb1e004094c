-- Mail that carries a secret link (a ticket's access link, a sign-in link) is stored without it:
-- the body holds the placeholder `{{link}}`, and `link_seed` a random value from which only the
-- server, with the key kept in its data directory (never in the database), derives the token.
-- A copy of the database alone opens nothing. Kept in lockstep with the other backend's
-- 0003_outbox_link_seed.sql.

ALTER TABLE outbox ADD COLUMN link_seed TEXT;
