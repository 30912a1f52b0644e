package org.jobstack.instance;

import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.jobstack.common.PageCursor;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The SQL of {@link InstanceLocks}, a fragment of {@link InstanceRepository}. */
class InstanceLocksImpl implements InstanceLocks {

    private final JdbcClient jdbc;
    private final Database database;
    private final String lockTag;
    private final EntityManager entities;

    InstanceLocksImpl(JdbcClient jdbc, DataSource dataSource, EntityManager entities) {
        this.jdbc = jdbc;
        this.entities = entities;
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

    @Override
    public List<Instance> pageAfter(PageCursor after, int limit) {
        return entities.createQuery("""
                        SELECT i FROM Instance i WHERE i.createdAt > :at OR (i.createdAt = :at AND i.domain > :domain)
                        ORDER BY i.createdAt, i.domain""", Instance.class)
                .setParameter("at", after.at())
                .setParameter("domain", after.id())
                .setMaxResults(limit)
                .getResultList();
    }

    /** A JPQL bulk update, so that Hibernate flushes what it must first, as for any query. */
    @Override
    public int retagEventRules(String domain, long tag) {
        return entities.createQuery("UPDATE Instance i SET i.eventRulesTag = :tag WHERE i.domain = :domain")
                .setParameter("tag", tag)
                .setParameter("domain", domain)
                .executeUpdate();
    }
}
