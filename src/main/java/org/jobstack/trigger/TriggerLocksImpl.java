package org.jobstack.trigger;

import static org.jobstack.common.Sql.instant;
import static org.jobstack.common.Sql.ts;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.jobstack.common.LockingReads;
import org.jobstack.common.PageCursor;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The SQL of {@link TriggerLocks}, a fragment of {@link TriggerRepository}. */
class TriggerLocksImpl implements TriggerLocks {

    /** Due triggers in time order, read through job_trigger_due (its unscheduled triggers last, never reached). */
    static final Database.ClaimQuery DUE = new Database.ClaimQuery(
            "job_trigger", "id", "next_run_at <= :now AND paused = FALSE", "next_run_at NULLS LAST");

    /** The earliest run to come: the first unpaused entry of job_trigger_due, not a scan for MIN. */
    static final String NEXT_RUN =
            "SELECT next_run_at AS t FROM job_trigger WHERE paused = FALSE ORDER BY next_run_at NULLS LAST LIMIT 1";

    private final JdbcClient jdbc;
    private final Database database;
    private final LockingReads locking;
    private final EntityManager entities;

    TriggerLocksImpl(JdbcClient jdbc, DataSource dataSource, EntityManager entities) {
        this.jdbc = jdbc;
        this.database = Database.of(dataSource);
        this.locking = new LockingReads(dataSource);
        this.entities = entities;
    }

    @Override
    public List<String> claimDue(Instant now, int limit) {
        return database.claim(jdbc, locking, DUE, Map.of("now", ts(now)), limit, (rs, n) -> rs.getString("id"));
    }

    @Override
    public Optional<Trigger> readPlain(String id, String domain) {
        return jdbc.sql("""
                SELECT id, domain, type, worker, arguments, debounce, max_exec_count, timeout_ms, message,
                    created_by, next_run_at, paused, created_at, updated_at
                FROM job_trigger WHERE id = ? AND domain = ?""").params(id, domain).query(TriggerLocksImpl::trigger).optional();
    }

    private static Trigger trigger(ResultSet rs, int n) throws SQLException {
        long timeout = rs.getLong("timeout_ms");
        Long timeoutMs = rs.wasNull() ? null : timeout;
        int max = rs.getInt("max_exec_count");
        Integer maxExecCount = rs.wasNull() ? null : max;
        return Trigger.read(
                rs.getString("id"),
                rs.getString("domain"),
                rs.getString("type"),
                rs.getString("worker"),
                rs.getString("arguments"),
                rs.getString("debounce"),
                maxExecCount,
                timeoutMs,
                rs.getString("message"),
                rs.getString("created_by"),
                instant(rs, "next_run_at"),
                rs.getBoolean("paused"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    @Override
    public boolean lock(String triggerId) {
        return !jdbc.sql("SELECT id FROM job_trigger WHERE id = ? FOR UPDATE")
                .param(triggerId)
                .query(String.class)
                .list()
                .isEmpty();
    }

    @Override
    public boolean tryLock(String triggerId) {
        return !jdbc.sql("SELECT id FROM job_trigger WHERE id = ? FOR UPDATE SKIP LOCKED")
                .param(triggerId)
                .query(String.class)
                .list()
                .isEmpty();
    }

    /**
     * One JPQL query (the ids first and then the triggers by id cost an IN list of a whole page,
     * which Hibernate types parameter by parameter: most of a 1 000-trigger page's time).
     */
    @Override
    public List<Trigger> page(
            String domain, Collection<String> workers, Collection<String> types, PageCursor after, int limit) {
        StringBuilder jpql = new StringBuilder("select t from Trigger t where t.domain = :domain");
        if (!workers.isEmpty()) {
            jpql.append(" and t.worker in :workers");
        }
        if (!types.isEmpty()) {
            jpql.append(" and t.type in :types");
        }
        if (after != null) {
            jpql.append(" and (t.createdAt > :at or (t.createdAt = :at and t.id > :id))");
        }
        TypedQuery<Trigger> query = entities.createQuery(
                        jpql.append(" order by t.domain, t.createdAt, t.id").toString(), Trigger.class)
                .setParameter("domain", domain)
                .setMaxResults(limit);
        if (!workers.isEmpty()) {
            query.setParameter("workers", workers);
        }
        if (!types.isEmpty()) {
            query.setParameter("types", types);
        }
        if (after != null) {
            query.setParameter("at", after.at()).setParameter("id", after.id());
        }
        return query.getResultList();
    }

    @Override
    public List<TriggerSummary> summaries(String domain, PageCursor after, int limit) {
        String sql = "SELECT id, type, arguments, worker, debounce, next_run_at, paused, message, created_at"
                + " FROM job_trigger WHERE domain = :domain"
                + (after == null ? "" : " AND (created_at > :at OR (created_at = :at AND id > :id))")
                + " ORDER BY created_at, id LIMIT :limit";
        JdbcClient.StatementSpec query = jdbc.sql(sql).param("domain", domain).param("limit", limit);
        if (after != null) {
            query = query.param("at", ts(after.at())).param("id", after.id());
        }
        return query.query((rs, n) -> new TriggerSummary(
                        rs.getString("id"),
                        rs.getString("type"),
                        rs.getString("arguments"),
                        rs.getString("worker"),
                        rs.getString("debounce"),
                        instant(rs, "next_run_at"),
                        rs.getBoolean("paused"),
                        rs.getString("message"),
                        instant(rs, "created_at")))
                .list();
    }

    @Override
    public Instant nextRunAt() {
        return jdbc.sql(NEXT_RUN).query((rs, n) -> instant(rs, "t")).optional().orElse(null);
    }

    @Override
    public List<EventRules> eventRules(String domain, String doctype, Collection<String> prefixes) {
        return jdbc.sql("""
                        SELECT t.id, t.arguments FROM job_trigger t
                        WHERE t.id IN (SELECT w.trigger_id FROM trigger_doctype w WHERE w.domain = :domain
                            AND ((w.wildcard = FALSE AND w.doctype = :doctype)
                                 OR (w.wildcard = TRUE AND w.doctype IN (:prefixes))))
                        ORDER BY t.created_at, t.id""")
                .param("domain", domain)
                .param("doctype", doctype)
                .param("prefixes", prefixes)
                .query((rs, n) -> new EventRules(rs.getString(1), rs.getString(2)))
                .list();
    }

    @Override
    public List<WatchedDoctype> watchingAnyOf(Collection<String> doctypes) {
        return jdbc.sql(
                        "SELECT domain, doctype, wildcard FROM trigger_doctype WHERE doctype IN (:doctypes) OR wildcard")
                .param("doctypes", doctypes)
                .query((rs, n) -> new WatchedDoctype(rs.getString(1), rs.getString(2), rs.getBoolean(3)))
                .list();
    }
}
