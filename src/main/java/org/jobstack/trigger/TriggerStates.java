package org.jobstack.trigger;

import static org.jobstack.common.Sql.instant;
import static org.jobstack.common.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jobstack.job.JobChanges;
import org.jobstack.job.JobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Stored trigger states, refreshed when one of the trigger's jobs changes; read in bulk for trigger lists. */
@Repository
class TriggerStates {

    private static final Logger log = LoggerFactory.getLogger(TriggerStates.class);

    static final int JOBS_CONSIDERED = 50;

    private final JdbcClient jdbc;
    private final JobStore jobs;
    private final TransactionTemplate transaction;

    public TriggerStates(JdbcClient jdbc, JobStore jobs, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.jobs = jobs;
        this.transaction = new TransactionTemplate(transactions);
    }

    /**
     * Every change of a job of a trigger refreshes the trigger's state: once per trigger and
     * transaction, just before it commits (a batch of events firing one trigger a hundred times
     * refreshes it once), or at once outside a transaction. A failure only delays the refresh to
     * the job's next change.
     */
    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void onJobChanged(JobChanges.JobChanged changed) {
        if (changed.triggerId() == null) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            PendingRefreshes.of(this).triggerIds.add(changed.triggerId());
        } else {
            refreshQuietly(changed.triggerId());
        }
    }

    private void refreshQuietly(String triggerId) {
        try {
            refresh(triggerId);
        } catch (RuntimeException e) {
            log.atWarn().addKeyValue("trigger_id", triggerId).setCause(e).log("Trigger state not refreshed");
        }
    }

    /** The triggers to refresh before the current transaction commits (one set per transaction). */
    private static final class PendingRefreshes implements TransactionSynchronization {

        /** Sorted: transactions refreshing several triggers lock their states in one order. */
        private final Set<String> triggerIds = new TreeSet<>();

        private final TriggerStates states;

        private PendingRefreshes(TriggerStates states) {
            this.states = states;
        }

        static PendingRefreshes of(TriggerStates states) {
            for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
                if (s instanceof PendingRefreshes pending && pending.states == states) {
                    return pending;
                }
            }
            PendingRefreshes pending = new PendingRefreshes(states);
            TransactionSynchronizationManager.registerSynchronization(pending);
            return pending;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            triggerIds.forEach(states::refreshQuietly);
        }
    }

    /**
     * Reads the trigger's jobs and writes its state, holding the state's row lock from before the
     * read to the commit. Without it, the refresh of a job's claim and the one of its outcome (two
     * threads, two transactions) could write in the other order, and a done job's trigger would
     * stay "running". A trigger's first refresh has no row to lock: it inserts one.
     */
    public void refresh(String triggerId) {
        if (TransactionSynchronizationManager.isActualTransactionActive()) {
            refreshLocked(triggerId);
        } else {
            transaction.executeWithoutResult(status -> refreshLocked(triggerId));
        }
    }

    private void refreshLocked(String triggerId) {
        boolean stored = !jdbc.sql("SELECT trigger_id FROM trigger_state WHERE trigger_id = ? FOR UPDATE")
                .param(triggerId)
                .query(String.class)
                .list()
                .isEmpty();
        TriggerState s = TriggerState.of(triggerId, jobs.newestOfTrigger(triggerId, JOBS_CONSIDERED));
        if (stored) {
            update(s);
            return;
        }
        try {
            insert(s);
        } catch (DuplicateKeyException raced) {
            update(s);
        }
    }

    public TriggerState of(String triggerId) {
        return all(List.of(triggerId)).getOrDefault(triggerId, TriggerState.none(triggerId));
    }

    public Map<String, TriggerState> all(Collection<String> triggerIds) {
        Map<String, TriggerState> states = new HashMap<>();
        if (!triggerIds.isEmpty()) {
            jdbc.sql("SELECT * FROM trigger_state WHERE trigger_id IN (:ids)")
                    .param("ids", triggerIds)
                    .query(TriggerStates::row)
                    .list()
                    .forEach(s -> states.put(s.triggerId(), s));
        }
        return states;
    }

    private int update(TriggerState s) {
        return jdbc.sql("""
                UPDATE trigger_state SET status = ?, last_execution = ?, last_executed_job_id = ?, last_success = ?,
                    last_successful_job_id = ?, last_failure = ?, last_failed_job_id = ?, last_error = ?,
                    last_manual_execution = ?, last_manual_job_id = ?
                WHERE trigger_id = ?""")
                .params(
                        s.status(),
                        ts(s.lastExecution()),
                        s.lastExecutedJobId(),
                        ts(s.lastSuccess()),
                        s.lastSuccessfulJobId(),
                        ts(s.lastFailure()),
                        s.lastFailedJobId(),
                        s.lastError(),
                        ts(s.lastManualExecution()),
                        s.lastManualJobId(),
                        s.triggerId())
                .update();
    }

    /** Inserts nothing when the trigger is gone (its jobs outlive it). */
    private void insert(TriggerState s) {
        jdbc.sql("""
                INSERT INTO trigger_state (trigger_id, status, last_execution, last_executed_job_id, last_success,
                    last_successful_job_id, last_failure, last_failed_job_id, last_error, last_manual_execution,
                    last_manual_job_id)
                SELECT id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM job_trigger WHERE id = ?""")
                .params(
                        s.status(),
                        ts(s.lastExecution()),
                        s.lastExecutedJobId(),
                        ts(s.lastSuccess()),
                        s.lastSuccessfulJobId(),
                        ts(s.lastFailure()),
                        s.lastFailedJobId(),
                        s.lastError(),
                        ts(s.lastManualExecution()),
                        s.lastManualJobId(),
                        s.triggerId())
                .update();
    }

    private static TriggerState row(ResultSet rs, int n) throws SQLException {
        return new TriggerState(
                rs.getString("trigger_id"),
                rs.getString("status"),
                instant(rs, "last_execution"),
                rs.getString("last_executed_job_id"),
                instant(rs, "last_success"),
                rs.getString("last_successful_job_id"),
                instant(rs, "last_failure"),
                rs.getString("last_failed_job_id"),
                rs.getString("last_error"),
                instant(rs, "last_manual_execution"),
                rs.getString("last_manual_job_id"));
    }
}
