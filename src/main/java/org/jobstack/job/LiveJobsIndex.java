package org.jobstack.job;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.Context;
import org.jobstack.common.Database;
import org.jobstack.common.NumberedMigration;
import org.springframework.stereotype.Component;

/**
 * Migration 16, PostgreSQL only: an index of the queued and running jobs alone, by instance and
 * worker in queue order, for {@code GET /jobs/queue/:worker} ({@link JobStore#queuedOrRunning}).
 * Without it PostgreSQL sometimes answered that listing from {@code job_recent}, walking a million
 * finished jobs oldest first to find the few live ones at the end (1 to 3 s a call), whenever the
 * statistics of the moment said queued jobs were many: after an analyze taken during a burst.
 * The index holds only live jobs, so it stays small and the planner takes it whatever the
 * statistics say ({@code PostgresJobStoreTest} makes such statistics). H2 has no partial index:
 * nothing changes there.
 */
@Component
public class LiveJobsIndex extends NumberedMigration {

    static final String NAME = "job_live";

    public LiveJobsIndex() {
        super(16, "live jobs index");
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (Database.of(connection) != Database.POSTGRESQL) {
            return;
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE INDEX " + NAME + " ON job (domain, worker, queued_at, id)"
                    + " WHERE state IN ('queued', 'running')");
        }
    }
}
