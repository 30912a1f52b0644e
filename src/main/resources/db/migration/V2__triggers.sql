-- Durable debounce windows (reference §6): a window opened by a first occurrence, closed by
-- whichever node polls it once due; webhook payloads kept in arrival order.
CREATE TABLE debounce_window (
    trigger_id  VARCHAR(32) PRIMARY KEY REFERENCES job_trigger (id) ON DELETE CASCADE,
    domain      VARCHAR(253) NOT NULL,
    opened_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    closes_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    manual      BOOLEAN NOT NULL,
    occurrences INTEGER NOT NULL
);
CREATE INDEX debounce_window_due ON debounce_window (closes_at);

CREATE TABLE debounce_payload (
    trigger_id VARCHAR(32) NOT NULL REFERENCES job_trigger (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    payload    VARCHAR NOT NULL,
    PRIMARY KEY (trigger_id, seq)
);

-- A trigger's current state (reference §3.2), kept up to date as its jobs change, so listing
-- triggers never scans their jobs.
CREATE TABLE trigger_state (
    trigger_id             VARCHAR(32) PRIMARY KEY REFERENCES job_trigger (id) ON DELETE CASCADE,
    status                 VARCHAR(16) NOT NULL,
    last_execution         TIMESTAMP WITH TIME ZONE,
    last_executed_job_id   VARCHAR(32),
    last_success           TIMESTAMP WITH TIME ZONE,
    last_successful_job_id VARCHAR(32),
    last_failure           TIMESTAMP WITH TIME ZONE,
    last_failed_job_id     VARCHAR(32),
    last_error             VARCHAR,
    last_manual_execution  TIMESTAMP WITH TIME ZONE,
    last_manual_job_id     VARCHAR(32)
);

-- Directories of each instance, learnt from io.cozy.files events, so an @event rule on a
-- directory id also matches what happens below it (reference §5.2, 5.b).
CREATE TABLE file_directory (
    domain VARCHAR(253) NOT NULL REFERENCES instance (domain) ON DELETE CASCADE,
    id     VARCHAR(255) NOT NULL,
    path   VARCHAR(4096) NOT NULL,
    PRIMARY KEY (domain, id)
);
