-- Operators' controls (dashboard): paused triggers, paused worker types, and each attempt's record.

-- A paused trigger makes no job from events, webhooks or its schedule; a launch still does.
ALTER TABLE job_trigger ADD COLUMN paused BOOLEAN DEFAULT FALSE NOT NULL;

-- Worker types no node claims jobs for; their jobs wait queued.
CREATE TABLE worker_pause (
    worker    VARCHAR(64) PRIMARY KEY,
    paused_at TIMESTAMP WITH TIME ZONE NOT NULL,
    paused_by VARCHAR(255) NOT NULL
);

-- Attempts counted from this base: an operator's retry of an errored job gives it a full set again.
ALTER TABLE job ADD COLUMN attempt_base INTEGER DEFAULT 0 NOT NULL;

-- The current (or last) attempt's start and its process's exit code, kept on the job row itself
-- so that a job done at its first attempt costs no extra row.
ALTER TABLE job ADD COLUMN attempt_started_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE job ADD COLUMN exit_code INTEGER;

-- One row per attempt that did not end the job done (retried, errored, given back), written in
-- the same group commit as its outcome.
CREATE TABLE job_attempt (
    job_id      VARCHAR(32) NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    attempt     INTEGER NOT NULL,
    node        VARCHAR(64),
    started_at  TIMESTAMP WITH TIME ZONE,
    finished_at TIMESTAMP WITH TIME ZONE NOT NULL,
    outcome     VARCHAR(16) NOT NULL,
    exit_code   INTEGER,
    error       VARCHAR
);
CREATE INDEX job_attempt_by_job ON job_attempt (job_id, finished_at);
