-- Triggers that no clock runs (@event, @webhook, @client) have no next run. H2 sorts NULLs first in
-- an index and walks them all to find "next_run_at <= now", so the scheduler's poll read every
-- unscheduled trigger each time (80 000 of 100 000 in a large install). Sorted last, as PostgreSQL
-- sorts them by default, they are never reached by the due triggers' scan or the next run's.
DROP INDEX job_trigger_due;
CREATE INDEX job_trigger_due ON job_trigger (next_run_at NULLS LAST);
