-- Delivery of the outbox over SMTP (server/src/mail/outbox.rs). A mail is pending until sent or,
-- after its last try, failed (an admin can put it back). A worker claims due mail with a lease:
-- two desk nodes never send the same mail at once, and a node that dies mid-send leaves a lease
-- that runs out, after which the mail is sent again (at-least-once). The Message-ID is written
-- with the mail and the same on every try, so a mail sent twice is one mail to the recipient's
-- client. Kept in lockstep with the other backend's 0009_mail_delivery.sql.

ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
-- Mail written before this migration gets the Message-ID it would have had.
UPDATE outbox SET message_id = 'o' || CAST(id AS TEXT) || '.' || CAST(created_at AS TEXT)
    WHERE message_id IS NULL;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (failed_at) WHERE failed_at IS NOT NULL;
