-- Jobstack schema. Portable SQL: the same file runs on H2 2.x and PostgreSQL.
-- JSON documents are kept as text (VARCHAR without length: unbounded on both).

CREATE TABLE instance (
    domain       VARCHAR(253) PRIMARY KEY,
    locale       VARCHAR(16)  NOT NULL,
    stack_url    VARCHAR(2048) NOT NULL,
    token_secret VARCHAR(512) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE app (
    id         VARCHAR(32) PRIMARY KEY,
    domain     VARCHAR(253) NOT NULL REFERENCES instance (domain) ON DELETE CASCADE,
    kind       VARCHAR(16)  NOT NULL,
    slug       VARCHAR(64)  NOT NULL,
    state      VARCHAR(16)  NOT NULL,
    version    VARCHAR(64)  NOT NULL,
    source     VARCHAR(2048) NOT NULL,
    storage    VARCHAR(1024) NOT NULL,
    manifest   VARCHAR NOT NULL,
    error      VARCHAR,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT app_slug_unique UNIQUE (domain, kind, slug)
);

CREATE TABLE app_service (
    app_id       VARCHAR(32)  NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    name         VARCHAR(255) NOT NULL,
    type         VARCHAR(64)  NOT NULL,
    file         VARCHAR(1024) NOT NULL,
    trigger_spec VARCHAR(4096) NOT NULL,
    debounce     VARCHAR(64)  NOT NULL,
    trigger_id   VARCHAR(32)  NOT NULL,
    PRIMARY KEY (app_id, name)
);

-- "trigger" is a reserved word in SQL.
CREATE TABLE job_trigger (
    id          VARCHAR(32) PRIMARY KEY,
    domain      VARCHAR(253) NOT NULL REFERENCES instance (domain) ON DELETE CASCADE,
    type        VARCHAR(16)  NOT NULL,
    worker      VARCHAR(64)  NOT NULL,
    arguments   VARCHAR(4096) NOT NULL,
    debounce    VARCHAR(64)  NOT NULL,
    max_exec_count INTEGER,
    timeout_ms  BIGINT,
    message     VARCHAR,
    created_by  VARCHAR(255),
    next_run_at TIMESTAMP WITH TIME ZONE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX job_trigger_due ON job_trigger (next_run_at);
CREATE INDEX job_trigger_by_domain ON job_trigger (domain, type);

-- Doctypes watched by @event triggers, so an event only looks at the triggers of its doctype.
CREATE TABLE trigger_doctype (
    trigger_id VARCHAR(32)  NOT NULL REFERENCES job_trigger (id) ON DELETE CASCADE,
    domain     VARCHAR(253) NOT NULL,
    doctype    VARCHAR(255) NOT NULL,
    wildcard   BOOLEAN      NOT NULL,
    PRIMARY KEY (trigger_id, doctype, wildcard)
);
CREATE INDEX trigger_doctype_lookup ON trigger_doctype (domain, doctype);

CREATE TABLE job (
    id             VARCHAR(32) PRIMARY KEY,
    domain         VARCHAR(253) NOT NULL REFERENCES instance (domain) ON DELETE CASCADE,
    worker         VARCHAR(64)  NOT NULL,
    trigger_id     VARCHAR(32),
    message        VARCHAR,
    event          VARCHAR,
    payload        VARCHAR,
    manual         BOOLEAN NOT NULL,
    debounced      BOOLEAN NOT NULL,
    max_exec_count INTEGER,
    timeout_ms     BIGINT,
    state          VARCHAR(16) NOT NULL,
    attempts       INTEGER NOT NULL,
    queued_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at     TIMESTAMP WITH TIME ZONE,
    finished_at    TIMESTAMP WITH TIME ZONE,
    run_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    sort_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    error          VARCHAR,
    lease_owner    VARCHAR(64)
);
-- Claim order: queued jobs of a worker by sort_at (queued_at, earlier for manual jobs).
CREATE INDEX job_claim ON job (state, worker, sort_at);
CREATE INDEX job_by_trigger ON job (trigger_id, queued_at);
CREATE INDEX job_by_domain ON job (domain, worker, state);
CREATE INDEX job_by_lease ON job (lease_owner, state);

CREATE TABLE job_log (
    job_id  VARCHAR(32) NOT NULL REFERENCES job (id) ON DELETE CASCADE,
    seq     INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    at      TIMESTAMP WITH TIME ZONE NOT NULL,
    stream  VARCHAR(8)  NOT NULL,
    level   VARCHAR(16) NOT NULL,
    message VARCHAR NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- Nodes sharing the database; a running job's lease lives as long as its node's heartbeat.
CREATE TABLE node (
    id           VARCHAR(64) PRIMARY KEY,
    host         VARCHAR(255) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);
