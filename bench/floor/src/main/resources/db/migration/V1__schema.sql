-- The floor's one JPA entity (FloorInstance): booted by Hibernate and Spring Data, never queried.
CREATE TABLE instance (
    domain VARCHAR(253) NOT NULL PRIMARY KEY,
    secret VARCHAR(255) NOT NULL
);

-- Jobstack's job table on H2, columns and indexes as its migrations leave them.
CREATE TABLE job (
    id VARCHAR(32) NOT NULL PRIMARY KEY,
    domain VARCHAR(253) NOT NULL,
    worker VARCHAR(64) NOT NULL,
    trigger_id VARCHAR(32),
    message VARCHAR,
    event VARCHAR,
    payload VARCHAR,
    manual BOOLEAN NOT NULL,
    debounced BOOLEAN NOT NULL,
    max_exec_count INTEGER,
    timeout_ms BIGINT,
    state VARCHAR(16) NOT NULL,
    attempts INTEGER NOT NULL,
    queued_at TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE,
    run_at TIMESTAMP WITH TIME ZONE NOT NULL,
    sort_at TIMESTAMP WITH TIME ZONE NOT NULL,
    error VARCHAR,
    lease_owner VARCHAR(64),
    cancel_requested BOOLEAN DEFAULT FALSE NOT NULL,
    attempt_base INTEGER DEFAULT 0 NOT NULL,
    attempt_started_at TIMESTAMP WITH TIME ZONE,
    exit_code INTEGER,
    app VARCHAR(255)
);
CREATE INDEX job_by_app ON job (app, queued_at);
CREATE INDEX job_claim ON job (state, worker, sort_at);
CREATE INDEX job_by_domain ON job (domain, worker, queued_at);
CREATE INDEX job_by_trigger ON job (trigger_id, queued_at, id);
CREATE INDEX job_recent ON job (queued_at, id);
