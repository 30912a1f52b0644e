package org.jobstack.job;

import static org.jobstack.common.Sql.ts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.jobstack.common.LockingReads;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * How jobs get their leases, and the leases held: claims take due queued jobs with {@code FOR
 * UPDATE SKIP LOCKED} and lease them to a node (within a cluster-wide limit for the workers that
 * have one); the lease keeper and the orphan sweep read who holds what.
 */
@Repository
public class JobLeases {

    /** Due queued jobs of a worker, in claim order (the job_claim index, read in order). */
    private static final Database.ClaimQuery CLAIM = new Database.ClaimQuery(
            "job", "id", "state = 'queued' AND worker = :worker AND run_at <= :now", "state, worker, sort_at");

    private final JdbcClient jdbc;
    private final Database database;
    private final LockingReads locking;

    public JobLeases(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.database = Database.of(dataSource);
        this.locking = new LockingReads(dataSource);
    }

    /**
     * Takes up to {@code limit} due queued jobs of a worker for {@code owner}: each becomes
     * {@code running}, one more attempt, leased to the owner. The claim does not wait for the
     * disk (see {@link Database#commitWithoutWaitingForDisk}): losing it in a database crash only
     * makes the job run again.
     */
    @Transactional
    public List<Job> claim(String worker, int limit, String owner, Instant now) {
        database.commitWithoutWaitingForDisk(jdbc);
        return claimJobs(worker, limit, owner, now);
    }

    /**
     * Like {@link #claim}, in the caller's transaction, whose commit it leaves as it is: the
     * transaction that writes outcomes claims the next jobs too, one durable commit for both.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public List<Job> claimInCurrentTransaction(String worker, int limit, String owner, Instant now) {
        return claimJobs(worker, limit, owner, now);
    }

    private List<Job> claimJobs(String worker, int limit, String owner, Instant now) {
        List<Job> jobs =
                database.claim(jdbc, locking, CLAIM, Map.of("worker", worker, "now", ts(now)), limit, JobStore::row);
        if (jobs.isEmpty()) {
            return jobs;
        }
        List<String> ids = jobs.stream().map(Job::id).toList();
        jdbc.sql("""
                UPDATE job SET state = 'running', attempts = attempts + 1,
                    started_at = COALESCE(started_at, :now), attempt_started_at = :now, lease_owner = :owner
                WHERE id IN (:ids)""")
                .param("now", ts(now))
                .param("owner", owner)
                .param("ids", ids)
                .update();
        return jobs.stream().map(j -> j.claimedBy(owner, now)).toList();
    }

    /**
     * Like {@link #claim}, for a worker whose running jobs may never exceed {@code clusterLimit} on
     * all nodes together: the claims of the worker are serialised by a lock on its row of
     * {@code worker_claim_lock} (see {@link #prepareClusterLimit}), under which its running jobs
     * are counted. A job counts from its claim to its outcome's commit, so its process always
     * falls inside that window.
     */
    @Transactional
    public List<Job> claimWithinClusterLimit(String worker, int limit, int clusterLimit, String owner, Instant now) {
        if (jdbc.sql("SELECT worker FROM worker_claim_lock WHERE worker = ? FOR UPDATE")
                .param(worker)
                .query(String.class)
                .optional()
                .isEmpty()) {
            throw new IllegalStateException("No claim lock row for worker " + worker);
        }
        int running = jdbc.sql("SELECT COUNT(*) FROM job WHERE state = 'running' AND worker = ?")
                .param(worker)
                .query(Integer.class)
                .single();
        int allowed = Math.min(limit, clusterLimit - running);
        return allowed <= 0 ? List.of() : claim(worker, allowed, owner, now);
    }

    /** Makes sure a worker with a cluster-wide limit has its claim lock row (any node may create it). */
    public void prepareClusterLimit(String worker) {
        if (jdbc.sql("SELECT COUNT(*) FROM worker_claim_lock WHERE worker = ?")
                        .param(worker)
                        .query(Integer.class)
                        .single()
                == 0) {
            try {
                jdbc.sql("INSERT INTO worker_claim_lock (worker) VALUES (?)")
                        .param(worker)
                        .update();
            } catch (DuplicateKeyException raced) {
                // another node made it meanwhile
            }
        }
    }

    /** Running jobs leased to {@code owner}. */
    public List<Job> leasedBy(String owner) {
        return jdbc.sql("SELECT * FROM job WHERE state = 'running' AND lease_owner = ?")
                .param(owner)
                .query(JobStore::row)
                .list();
    }

    /** Owners of running jobs whose node has not sent a heartbeat since {@code cutoff}. */
    public List<String> ownersWithoutHeartbeatSince(Instant cutoff) {
        return jdbc.sql("""
                SELECT DISTINCT lease_owner FROM job WHERE state = 'running' AND lease_owner IS NOT NULL
                AND lease_owner NOT IN (SELECT id FROM node WHERE heartbeat_at >= ?)""").param(ts(cutoff)).query(String.class).list();
    }
}
