-- Several nodes on one database. Every change here only adds (a node of the previous version keeps
-- working on this schema while an upgrade rolls; see the README's rule for migrations).

-- What each node runs and whether an operator drained it (it stops claiming, finishes what it runs).
ALTER TABLE node ADD COLUMN version VARCHAR(64);
ALTER TABLE node ADD COLUMN draining BOOLEAN DEFAULT FALSE NOT NULL;

-- Finished attempts per node and minute, for the dashboard's cluster-wide chart (kept an hour).
CREATE TABLE node_throughput (
    node_id  VARCHAR(64) NOT NULL,
    at_minute BIGINT NOT NULL,
    done     BIGINT NOT NULL,
    errored  BIGINT NOT NULL,
    PRIMARY KEY (node_id, at_minute)
);

-- One row per worker type with a cluster-wide concurrency: claims of that worker lock it, so that
-- the running jobs of the worker, counted under the lock, never exceed the limit on any node.
CREATE TABLE worker_claim_lock (
    worker VARCHAR(64) PRIMARY KEY
);
