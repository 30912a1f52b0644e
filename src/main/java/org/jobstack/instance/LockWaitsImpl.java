package org.jobstack.instance;

import java.time.Duration;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The SQL of {@link LockWaits}, a fragment of {@link InstanceRepository}. */
class LockWaitsImpl implements LockWaits {

    private final JdbcClient jdbc;
    private final Database database;

    LockWaitsImpl(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.database = Database.of(dataSource);
    }

    @Override
    public void boundLockWaits(Duration wait) {
        database.boundLockWaits(jdbc, wait);
    }
}
