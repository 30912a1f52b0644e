package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.common.Ids;
import org.jobstack.common.Sql;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The retention purge on a real database, with the test clock: what is deleted (with its logs and
 * attempts) and what is kept, batch by batch.
 */
@TestPropertySource(
        properties = {
            "jobstack.jobs.retention.batch-size=3",
            "jobstack.jobs.workers.log.retention.done=1d",
            "jobstack.jobs.workers.konnector.retention.errored=0"
        })
class JobRetentionTest extends IntegrationTest {

    @Autowired
    JobRetention retention;

    @Autowired
    FinishedJobs finished;

    @Autowired
    JobStore jobs;

    @Autowired
    JdbcClient jdbc;

    String domain;
    Instant now;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
        now = clock.instant();
    }

    @Test
    void should_purge_finished_jobs_past_their_retention_with_their_logs_and_attempts() {
        String oldDone = job("service", JobState.DONE, daysAgo(31));
        String recentDone = job("service", JobState.DONE, daysAgo(29));
        String oldErrored = job("service", JobState.ERRORED, daysAgo(91));
        String errored = job("service", JobState.ERRORED, daysAgo(31));
        String oldQueued = job("service", JobState.QUEUED, null);
        String oldLog = job("log", JobState.DONE, daysAgo(2));
        String recentLog = job("log", JobState.DONE, now.minus(Duration.ofHours(20)));
        String keptForever = job("konnector", JobState.ERRORED, daysAgo(400));
        String oldKonnector = job("konnector", JobState.DONE, daysAgo(31));
        logAndAttempt(oldDone);
        logAndAttempt(recentDone);

        int purged = retention.purgeAll(now);

        assertThat(purged).isEqualTo(4);
        assertThat(existing(oldDone, oldErrored, oldLog, oldKonnector)).isEmpty();
        assertThat(existing(recentDone, errored, oldQueued, recentLog, keptForever))
                .containsExactlyInAnyOrder(recentDone, errored, oldQueued, recentLog, keptForever);
        assertThat(count("job_log", oldDone)).isZero();
        assertThat(count("job_attempt", oldDone)).isZero();
        assertThat(count("job_log", recentDone)).isOne();
        assertThat(count("job_attempt", recentDone)).isOne();
        assertThat(retention.purgeAll(now)).isZero();
        assertThat(retention.purgeAll(now.plus(Duration.ofDays(2)))).isEqualTo(2);
    }

    @Test
    void should_purge_in_batches_and_go_on_where_the_last_batch_ended() {
        List<String> expired = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            expired.add(job("service", JobState.DONE, daysAgo(40 + i)));
            job("service", JobState.ERRORED, daysAgo(40 + i));
        }

        List<Integer> batches = new ArrayList<>();
        for (int n = retention.purgeBatch(now); n >= 0; n = retention.purgeBatch(now)) {
            batches.add(n);
        }

        assertThat(batches)
                .hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3));
        assertThat(batches.stream().mapToInt(Integer::intValue).sum()).isEqualTo(7);
        assertThat(existing(expired.toArray(String[]::new))).isEmpty();
    }

    @Test
    void should_not_delete_a_job_an_operator_retried_after_the_purge_read_it() {
        String id = job("service", JobState.DONE, daysAgo(31));
        jdbc.sql("UPDATE job SET state = 'queued', finished_at = NULL WHERE id = ?")
                .param(id)
                .update();

        assertThat(finished.delete(List.of(id), JobState.DONE, now.minus(Duration.ofDays(30))))
                .isZero();
        assertThat(existing(id)).containsExactly(id);
    }

    private Instant daysAgo(int days) {
        return now.minus(Duration.ofDays(days));
    }

    /** A job of this instance in {@code state}, queued an hour before it finished (or 100 days ago). */
    private String job(String worker, JobState state, Instant finishedAt) {
        String id = Ids.newId();
        Instant queuedAt = finishedAt == null ? daysAgo(100) : finishedAt.minus(Duration.ofHours(1));
        jobs.insert(
                new Job(
                        id,
                        JobRequest.to(domain, worker).message("{}").build(),
                        state,
                        state == JobState.QUEUED ? 0 : 1,
                        0,
                        queuedAt,
                        finishedAt == null ? null : queuedAt,
                        finishedAt,
                        queuedAt,
                        state == JobState.ERRORED ? "failed" : null,
                        null),
                queuedAt);
        return id;
    }

    private void logAndAttempt(String id) {
        jdbc.sql("""
                INSERT INTO job_log (job_id, seq, attempt, at, stream, level, message)
                VALUES (?, 1, 1, ?, 'stdout', 'info', 'hello')""").params(id, Sql.ts(now)).update();
        jdbc.sql("INSERT INTO job_attempt (job_id, attempt, finished_at, outcome) VALUES (?, 1, ?, 'retried')")
                .params(id, Sql.ts(now))
                .update();
    }

    private List<String> existing(String... ids) {
        return jdbc.sql("SELECT id FROM job WHERE id IN (:ids)")
                .param("ids", List.of(ids))
                .query(String.class)
                .list();
    }

    private long count(String table, String jobId) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE job_id = ?")
                .param(jobId)
                .query(Long.class)
                .single();
    }
}
