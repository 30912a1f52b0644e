package org.jobstack.instance;

import java.time.Duration;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The SQL of {@link InstanceLocks}, a fragment of {@link InstanceRepository}. */
class InstanceLocksImpl implements InstanceLocks {

    private final JdbcClient jdbc;
    private final Database database;
    private final String lockTag;

    InstanceLocksImpl(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.database = Database.of(dataSource);
        this.lockTag = "SELECT event_rules_tag FROM instance WHERE domain = ?" + database.rowLock();
    }

    @Override
    public void boundLockWaits(Duration wait) {
        database.boundLockWaits(jdbc, wait);
    }

    @Override
    public OptionalLong lockEventRulesTag(String domain) {
        return jdbc.sql(lockTag).param(domain).query(Long.class).optional().stream()
                .mapToLong(Long::longValue)
                .findFirst();
    }
}
