//! Delivery of the outbox over SMTP: a background worker with retries and back-off.
