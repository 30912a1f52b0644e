-- Realtime events too large for a NOTIFY payload, on their way to the other nodes (kept minutes).
CREATE TABLE realtime_overflow (
    id         VARCHAR(32) PRIMARY KEY,
    message    VARCHAR     NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX realtime_overflow_created ON realtime_overflow (created_at);
