package org.jobstack.realtime;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jobstack.common.Ids;
import org.jobstack.common.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Events too large for a {@code NOTIFY} (about 8 000 bytes) on their way to the other nodes: kept
 * in a table for a few minutes, and the notification names the row.
 */
@Repository
class RealtimeOverflowStore {

    static final Duration KEPT = Duration.ofMinutes(5);

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TransactionTemplate ownTransaction;

    RealtimeOverflowStore(JdbcClient jdbc, Clock clock, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Stores an event and returns its row's id, committed before this returns: events are relayed
     * after their write's commit, where a statement would otherwise join that finished transaction
     * and never be committed.
     */
    String store(String message) {
        String id = Ids.newId();
        ownTransaction.executeWithoutResult(
                status -> jdbc.sql("INSERT INTO realtime_overflow (id, message, created_at) VALUES (?, ?, ?)")
                        .params(id, message, Sql.ts(clock.instant()))
                        .update());
        return id;
    }

    Optional<String> load(String id) {
        return jdbc.sql("SELECT message FROM realtime_overflow WHERE id = ?")
                .param(id)
                .query(String.class)
                .optional();
    }

    int purge() {
        Instant before = clock.instant().minus(KEPT);
        return jdbc.sql("DELETE FROM realtime_overflow WHERE created_at < ?")
                .param(Sql.ts(before))
                .update();
    }
}
