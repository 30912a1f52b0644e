-- The dashboard lists the newest jobs first; without this, 100 000 jobs would be sorted per page.
CREATE INDEX job_recent ON job (queued_at);
