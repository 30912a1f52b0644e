package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

class H2FileUpkeepTest {

    /** Commits made by {@link #churn}: a job's queuing, claim and outcome, each its own commit. */
    private static final int JOBS = 3_000;

    private static final JobstackProperties.H2 FAST =
            new JobstackProperties.H2(Duration.ofMillis(50), Duration.ofMillis(150), 50, DataSize.ofMegabytes(16));

    @TempDir
    Path dir;

    @Test
    void should_keep_an_h2_file_near_its_live_data_while_commits_pile_up() throws Exception {
        JdbcDataSource dataSource = fileDatabase("kept");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        H2FileUpkeep upkeep = new H2FileUpkeep(dataSource, FAST, meters);
        try (Connection db = dataSource.getConnection()) {
            upkeep.start();
            assertThat(upkeep.isRunning()).isTrue();

            churn(db);

            long size = Files.size(dir.resolve("kept.mv.db"));
            assertThat(size).as("file size after %d jobs", JOBS).isLessThan(30L << 20);
            assertThat(meters.get("jobstack.h2.file.size").gauge().value()).isEqualTo((double) size);
        } finally {
            upkeep.stop();
        }
        assertThat(upkeep.isRunning()).isFalse();
    }

    /** What the upkeep is for: the same commits, with nothing rewriting the chunks they pin. */
    @Test
    void without_upkeep_the_same_commits_grow_the_file_several_times_past_that() throws Exception {
        JdbcDataSource dataSource = fileDatabase("grown");
        try (Connection db = dataSource.getConnection()) {
            churn(db);
        }
        assertThat(Files.size(dir.resolve("grown.mv.db"))).isGreaterThan(120L << 20);
    }

    @Test
    void should_do_nothing_on_an_in_memory_database() throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:upkeep;DB_CLOSE_DELAY=-1");
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        H2FileUpkeep upkeep = new H2FileUpkeep(dataSource, FAST, meters);

        upkeep.start();

        assertThat(upkeep.isRunning()).isFalse();
        assertThat(upkeep.flush()).isFalse();
        assertThat(upkeep.compact()).isFalse();
        assertThat(meters.find("jobstack.h2.file.size").gauge()).isNull();
    }

    @Test
    void should_do_nothing_when_its_interval_is_zero() {
        H2FileUpkeep upkeep = new H2FileUpkeep(
                fileDatabase("off"),
                new JobstackProperties.H2(Duration.ZERO, Duration.ofSeconds(5), 50, DataSize.ofMegabytes(16)),
                new SimpleMeterRegistry());

        upkeep.start();

        assertThat(upkeep.isRunning()).isFalse();
    }

    @Test
    void should_never_reuse_a_chunk_before_three_flushes() {
        JobstackProperties.H2 tooShort =
                new JobstackProperties.H2(Duration.ofSeconds(1), Duration.ofMillis(500), 50, DataSize.ofMegabytes(16));

        assertThat(new H2FileUpkeep(fileDatabase("short"), tooShort, new SimpleMeterRegistry()).retentionMillis())
                .isEqualTo(3_000);
        assertThat(new H2FileUpkeep(fileDatabase("fast"), FAST, new SimpleMeterRegistry()).retentionMillis())
                .isEqualTo(150);
    }

    private JdbcDataSource fileDatabase(String name) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve(name) + ";WRITE_DELAY=0");
        dataSource.setUser("sa");
        return dataSource;
    }

    /** The commits of {@link #JOBS} jobs on a table indexed as the job table is. */
    private static void churn(Connection db) throws SQLException {
        try (Statement ddl = db.createStatement()) {
            ddl.execute("CREATE TABLE job (id VARCHAR(32) PRIMARY KEY, domain VARCHAR(100), worker VARCHAR(20),"
                    + " state VARCHAR(10), queued_at TIMESTAMP, trigger_id VARCHAR(32), payload VARCHAR(400))");
            ddl.execute("CREATE INDEX job_claim ON job (state, worker, queued_at)");
            ddl.execute("CREATE INDEX job_by_trigger ON job (trigger_id, queued_at, id)");
            ddl.execute("CREATE INDEX job_by_domain ON job (domain, worker, queued_at)");
            ddl.execute("CREATE INDEX job_recent ON job (queued_at, id)");
        }
        try (PreparedStatement queue = db.prepareStatement(
                        "INSERT INTO job VALUES (?, 'alice.example', 'log', 'queued', ?, NULL, ?)");
                PreparedStatement change = db.prepareStatement("UPDATE job SET state = ? WHERE id = ?")) {
            String payload = "x".repeat(200);
            for (int i = 0; i < JOBS; i++) {
                String id = "%012x%020d".formatted(System.currentTimeMillis(), i);
                queue.setString(1, id);
                queue.setTimestamp(2, new Timestamp(System.currentTimeMillis()));
                queue.setString(3, payload);
                queue.executeUpdate();
                for (String state : new String[] {"running", "done"}) {
                    change.setString(1, state);
                    change.setString(2, id);
                    change.executeUpdate();
                }
            }
        }
    }
}
