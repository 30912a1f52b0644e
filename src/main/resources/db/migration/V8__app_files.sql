-- Installed versions' files live in the database, the only part the nodes of a cluster share;
-- each node unpacks a version into a local cache on first use. Portable SQL (H2 2.x, PostgreSQL).

-- One row per stored version of an app: its files packed as one tar.gz archive, whose SHA-256
-- (lowercase hex) is content_hash. A version is written staged (installed = FALSE) and becomes
-- installed in the transaction that points its app at it; a staged version left for a day was
-- abandoned by a crash.
CREATE TABLE app_version (
    id            VARCHAR(32)  PRIMARY KEY,
    domain        VARCHAR(253) NOT NULL REFERENCES instance (domain) ON DELETE CASCADE,
    kind          VARCHAR(16)  NOT NULL,
    slug          VARCHAR(64)  NOT NULL,
    version       VARCHAR(64)  NOT NULL,
    content_hash  VARCHAR(64)  NOT NULL,
    content_bytes BIGINT       NOT NULL,
    chunk_count   INTEGER      NOT NULL,
    file_bytes    BIGINT       NOT NULL,
    file_count    INTEGER      NOT NULL,
    installed     BOOLEAN      NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX app_version_by_app ON app_version (domain, kind, slug);

-- The archive in order, in chunks of at most 1 MiB: no value ever holds a whole app, and reading
-- or writing one needs one chunk in memory. BYTEA is PostgreSQL's type and H2's name for it.
CREATE TABLE app_version_chunk (
    version_id VARCHAR(32) NOT NULL REFERENCES app_version (id) ON DELETE CASCADE,
    seq        INTEGER     NOT NULL,
    content    BYTEA       NOT NULL,
    PRIMARY KEY (version_id, seq)
);

-- An app runs its current version; the previous one is kept while jobs started on it may still
-- ask for it. version_hash repeats the current version's content_hash so that a node whose cache
-- already holds the version needs no other read. No foreign key from app to app_version: H2
-- checks one as soon as the instance's cascade deletes the versions, before the app rows. A
-- version is deleted only while its app row is locked (or gone), and never one it points at.
ALTER TABLE app ADD COLUMN version_id VARCHAR(32);
ALTER TABLE app ADD COLUMN version_hash VARCHAR(64);
ALTER TABLE app ADD COLUMN previous_version_id VARCHAR(32);

-- The folder of a version installed before this migration (legacy): imported into app_version at
-- start, then cleared. New versions have none.
ALTER TABLE app ALTER COLUMN storage DROP NOT NULL;
