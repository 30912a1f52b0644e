package org.jobstack.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.Context;
import org.jobstack.common.NumberedMigration;
import org.springframework.stereotype.Component;

/**
 * Migration 13: the job's app ({@link JobApps}) in a column of its own, filled for the jobs already
 * stored (read from their messages, which SQL cannot parse the same way on H2 and PostgreSQL),
 * then indexed with the queue time so that the dashboard's app filter reads the newest jobs of an
 * app in order.
 */
@Component
public class JobAppColumn extends NumberedMigration {

    private static final int BATCH = 1000;

    public JobAppColumn() {
        super(13, "job app");
    }

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("ALTER TABLE job ADD COLUMN app VARCHAR(" + JobApps.MAX_LENGTH + ")");
        }
        try (Statement read = connection.createStatement();
                PreparedStatement write = connection.prepareStatement("UPDATE job SET app = ? WHERE id = ?")) {
            read.setFetchSize(BATCH);
            int pending = 0;
            try (ResultSet rs =
                    read.executeQuery("SELECT id, worker, message FROM job WHERE worker IN ('service', 'konnector')")) {
                while (rs.next()) {
                    String app = JobApps.of(rs.getString("worker"), rs.getString("message"));
                    if (app != null) {
                        write.setString(1, app);
                        write.setString(2, rs.getString("id"));
                        write.addBatch();
                        if (++pending == BATCH) {
                            write.executeBatch();
                            pending = 0;
                        }
                    }
                }
            }
            if (pending > 0) {
                write.executeBatch();
            }
        }
        try (Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE INDEX job_by_app ON job (app, queued_at)");
        }
    }
}
