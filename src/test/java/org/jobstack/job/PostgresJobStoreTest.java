package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import javax.sql.DataSource;
import org.jobstack.common.Database;
import org.jobstack.common.Sql;
import org.jobstack.support.Databases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

class PostgresJobStoreTest extends AbstractJobStoreTest {

    @Override
    DataSource dataSource() {
        return Databases.postgres();
    }

    /**
     * The statistics of a moment when many jobs were queued, then those jobs done: without the
     * live jobs index PostgreSQL walked job_recent from the oldest finished job for this listing.
     */
    @Test
    void should_list_an_instances_live_jobs_from_their_own_index_whatever_the_statistics_say() {
        Job live = liveJobAfterStatisticsOfABacklog("ANALYZE job");

        assertThat(planOfLiveListing(Database.POSTGRESQL)).contains("Index Scan using " + LiveJobsIndex.NAME);
        assertListsOnly(live);
    }

    @Override
    void insertJobs(JdbcClient jdbc, int count, String state, Instant from) {
        jdbc.sql("""
                        INSERT INTO job (id, domain, worker, manual, debounced, state, attempts, queued_at, run_at, sort_at)
                        SELECT md5(:state || i), 'a.test', 'log', false, false, :state, 0, t, t, t
                        FROM generate_series(1, :count) i, LATERAL (SELECT :from + i * INTERVAL '1 second' AS t) s""")
                .param("state", state)
                .param("count", count)
                .param("from", Sql.ts(from))
                .update();
    }
}
