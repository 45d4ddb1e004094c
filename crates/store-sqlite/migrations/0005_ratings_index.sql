-- Satisfaction reports read ratings by time (`ratings_since`).
CREATE INDEX tickets_rated ON tickets (rated_at) WHERE rated_at IS NOT NULL;
