-- Per-instance rate limits (reference §7.9): a fixed window opened by the first hit. One row
-- per instance and counter, updated atomically, so every node counts against the same window.
CREATE TABLE rate_limit (
    domain       VARCHAR(253) NOT NULL REFERENCES instance (domain) ON DELETE CASCADE,
    counter      VARCHAR(64)  NOT NULL,
    window_start TIMESTAMP WITH TIME ZONE NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (domain, counter)
);
