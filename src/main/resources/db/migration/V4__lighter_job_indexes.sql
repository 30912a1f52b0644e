-- Every index holding a job's state or lease is rewritten twice per job (claim, outcome), which
-- halved queue throughput. Unfinished jobs (queued, running) are few, and the claim index
-- (state, worker, sort_at) finds them; lookups by instance go by age, which never changes.
DROP INDEX job_by_domain;
DROP INDEX job_by_lease;
CREATE INDEX job_by_domain ON job (domain, worker, queued_at);
