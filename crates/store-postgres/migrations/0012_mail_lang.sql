-- The language of each queued mail (`en`, `zh-CN`), so that the fixed lines the sender adds
-- (the security line, the anti-phishing code's line) match the rest of the mail — also for mail
-- that is about no ticket ("my tickets", a sign-in link, agents' notifications). Written with
-- the mail by whoever composed it: the language of the page the request came from, the
-- agent's language for agents. NULL for mail queued before this migration: the sender then
-- uses the ticket's language, else English. Kept in lockstep with the other backend's
-- 0012_mail_lang.sql (the same text).
ALTER TABLE outbox ADD COLUMN lang TEXT;
