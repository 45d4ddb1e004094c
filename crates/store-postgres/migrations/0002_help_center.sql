-- The help center: articles with every edit kept, reader feedback, search and deflection
-- analytics. Kept in lockstep with the other backend's 0002_help_center.sql.
-- List columns (topics, keywords) are JSON arrays of strings in TEXT.

CREATE TABLE articles (
    id           BIGSERIAL PRIMARY KEY,
    slug         TEXT    NOT NULL,
    lang         TEXT    NOT NULL,
    category     TEXT    NOT NULL,
    topics       TEXT    NOT NULL,
    keywords     TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    summary      TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    version      BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    published_at BIGINT,
    views        BIGINT  NOT NULL DEFAULT 0,
    helpful_yes  BIGINT  NOT NULL DEFAULT 0,
    helpful_no   BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (slug, lang)
);

CREATE TABLE article_versions (
    article_id BIGINT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    version    BIGINT NOT NULL,
    category   TEXT   NOT NULL,
    topics     TEXT   NOT NULL,
    keywords   TEXT   NOT NULL,
    title      TEXT   NOT NULL,
    summary    TEXT   NOT NULL,
    body       TEXT   NOT NULL,
    author     BIGINT REFERENCES agents (id) ON DELETE SET NULL,
    at         BIGINT NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE article_feedback (
    id         BIGSERIAL PRIMARY KEY,
    article_id BIGINT  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    helpful    BOOLEAN NOT NULL,
    comment    TEXT,
    at         BIGINT  NOT NULL
);
CREATE INDEX article_feedback_article ON article_feedback (article_id, at);

-- Queries are stored redacted.
CREATE TABLE search_log (
    id      BIGSERIAL PRIMARY KEY,
    query   TEXT   NOT NULL,
    lang    TEXT   NOT NULL,
    results BIGINT NOT NULL,
    visitor TEXT   NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX search_log_at ON search_log (at);
CREATE INDEX search_log_visitor ON search_log (visitor, at);

CREATE TABLE help_events (
    id         BIGSERIAL PRIMARY KEY,
    visitor    TEXT   NOT NULL,
    kind       TEXT   NOT NULL,
    article_id BIGINT REFERENCES articles (id) ON DELETE SET NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX help_events_visitor ON help_events (visitor, kind, at);
CREATE INDEX help_events_at ON help_events (kind, at);
