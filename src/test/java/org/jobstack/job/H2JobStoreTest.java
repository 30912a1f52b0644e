package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.jobstack.common.Sql;
import org.jobstack.support.Databases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class H2JobStoreTest extends AbstractJobStoreTest {

    @Override
    DataSource dataSource() {
        return Databases.h2();
    }

    /**
     * H2 has no partial index (PostgreSQL's job_live): the listing must read job_claim, whose live
     * entries are few, and not an index in queue order (job_by_domain, job_recent), which would walk
     * every finished job of the instance to find the live ones at the end. The statistics are those
     * of PostgreSQL's test: taken while many jobs were queued, then all done.
     */
    @Test
    void should_list_an_instances_live_jobs_from_the_claim_index_whatever_the_statistics_say() {
        Job live = liveJobAfterStatisticsOfABacklog("ANALYZE");

        assertThat(planOfLiveListing(Database.H2)).containsIgnoringCase("JOB_CLAIM");
        assertListsOnly(live);
    }

    /**
     * The statistics of H2's automatic ANALYZE (after 2 000, 4 000, … changes): the first 1 000
     * rows only, where finished jobs of 100 instances give {@code domain} a selectivity of 10 and
     * {@code state} 1. Without the index hint H2 then took job_by_domain and walked the instance's
     * 10 000 finished jobs on each call (docs/benchmarks.md: H2 at a million jobs).
     */
    @Test
    void should_keep_the_claim_index_under_the_statistics_of_h2s_automatic_analyze() {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        insertJobs(jdbc, 10_000, "done", T0.minus(Duration.ofDays(200)));
        jdbc.sql("INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at)"
                        + " SELECT 'd' || X || '.test', 'en', 'http://x.test/', 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
                        + " FROM SYSTEM_RANGE(0, 99)")
                .update();
        jdbc.sql("UPDATE job SET domain = 'd' || MOD(ORA_HASH(id), 100) || '.test' WHERE id IN"
                        + " (SELECT id FROM job ORDER BY _ROWID_ LIMIT 1000)")
                .update();
        jdbc.sql("ANALYZE TABLE job SAMPLE_SIZE 1000").update();
        Job live = queueAt("log", "a.test", "{}", T0);

        assertThat(planOfLiveListing(Database.H2)).containsIgnoringCase("JOB_CLAIM");
        assertListsOnly(live);
    }

    @Override
    void insertJobs(JdbcClient jdbc, int count, String state, Instant from) {
        jdbc.sql("""
                        INSERT INTO job (id, domain, worker, manual, debounced, state, attempts, queued_at, run_at, sort_at)
                        SELECT LOWER(RAWTOHEX(HASH('MD5', :state || X))), 'a.test', 'log', false, false, :state, 0, t, t, t
                        FROM (SELECT X, DATEADD(SECOND, X, CAST(:from AS TIMESTAMP WITH TIME ZONE)) AS t FROM SYSTEM_RANGE(1, :count))""")
                .param("state", state)
                .param("count", count)
                .param("from", Sql.ts(from))
                .update();
    }
}
