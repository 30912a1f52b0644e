-- A cancel asked of a running job; the node running it kills the process tree at its next heartbeat.
ALTER TABLE job ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
