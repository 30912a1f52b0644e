-- Listings page with a cursor on (time, id): the indexes end with the id so that a page is read in
-- index order, whatever the number of rows before it.
DROP INDEX job_by_trigger;
CREATE INDEX job_by_trigger ON job (trigger_id, queued_at, id);
CREATE INDEX job_trigger_listing ON job_trigger (domain, created_at, id);
CREATE INDEX instance_listing ON instance (created_at, domain);
-- The retention purge walks finished jobs from the oldest, with the same kind of cursor.
DROP INDEX job_recent;
CREATE INDEX job_recent ON job (queued_at, id);
