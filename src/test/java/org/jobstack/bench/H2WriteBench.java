package org.jobstack.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jobstack.common.FileTrees;
import org.jobstack.job.JobAppColumn;
import org.jobstack.job.LiveJobsIndex;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * What a durable write of a queued job costs H2 itself, without HTTP or Spring: the CPU of one
 * thread per job, on a fresh H2 file with Jobstack's schema (its migrations) and its settings
 * ({@code WRITE_DELAY=0}: each commit is written before it returns). Ways measured, each after
 * {@code warmup} jobs the same way: {@code direct-N}, jobs inserted into {@code job} and committed
 * N at a time (what the pushes' writer does with the requests waiting); {@code inbox-N}, the same
 * rows into a table without secondary indexes; {@code inbox-N-move-M}, those rows also moved into
 * {@code job} M at a time (a write-ahead intake). The bound this sets on the way in is in
 * docs/benchmarks.md ("The stack's floor").
 *
 * <pre>bench/h2write.sh [-Djobs=30000] [-Dwarmup=20000] [-Dways=direct-1,direct-3,direct-8,inbox-3,inbox-3-move-100]</pre>
 */
public final class H2WriteBench {

    private static final String INSERT_JOB = """
            INSERT INTO job (id, domain, worker, manual, debounced, state, attempts, queued_at, run_at, sort_at)
            VALUES (?, 'bench.test', 'log', TRUE, FALSE, 'queued', 0, ?, ?, ?)""";
    private static final String INSERT_INBOX =
            "INSERT INTO inbox (id, domain, worker, queued_at) VALUES (?, 'bench.test', 'log', ?)";
    private static final String MOVE = """
            INSERT INTO job (id, domain, worker, manual, debounced, state, attempts, queued_at, run_at, sort_at)
            SELECT id, domain, worker, TRUE, FALSE, 'queued', 0, queued_at, queued_at, queued_at FROM inbox""";

    private long sequence;

    private H2WriteBench() {}

    public static void main(String[] args) throws Exception {
        ScaleSettings settings = new ScaleSettings(System.getProperties());
        int jobs = settings.integer("jobs", 30_000);
        int warmup = settings.integer("warmup", 20_000);
        List<String> ways = settings.list("ways", "direct-1,direct-3,direct-8,inbox-3,inbox-3-move-100");
        System.out.printf(
                "H2WriteBench: %s%n| way | CPU ms per job | wall ms per job |%n|---|---|---|%n", settings.used());
        for (String way : ways) {
            double[] figures = new H2WriteBench().measure(way, warmup, jobs);
            System.out.printf("| %s | %.3f | %.3f |%n", way, figures[0], figures[1]);
        }
    }

    /** CPU and wall ms per job of {@code jobs} jobs written {@code way}, after {@code warmup} the same way. */
    private double[] measure(String way, int warmup, int jobs) throws Exception {
        String[] parts = way.split("-");
        boolean inbox = parts[0].equals("inbox");
        int group = Integer.parseInt(parts[1]);
        int move = parts.length > 3 ? Integer.parseInt(parts[3]) : 0;
        Path folder = Files.createTempDirectory("bench-h2write");
        try (Connection c = DriverManager.getConnection(
                "jdbc:h2:file:" + folder + "/jobstack;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "")) {
            Flyway.configure()
                    .dataSource(new SingleConnectionDataSource(c, true))
                    .locations("classpath:db/migration")
                    .javaMigrations(new JobAppColumn(), new LiveJobsIndex())
                    .load()
                    .migrate();
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at)"
                        + " VALUES ('bench.test', 'en', 'http://bench.test', 'unused', NOW(), NOW())");
                s.execute("CREATE TABLE inbox (id VARCHAR(32) PRIMARY KEY, domain VARCHAR(253), worker VARCHAR(64),"
                        + " queued_at TIMESTAMP WITH TIME ZONE)");
            }
            c.commit();
            c.setAutoCommit(false);
            write(c, inbox, group, move, warmup);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu = threads.getCurrentThreadCpuTime();
            long wall = System.nanoTime();
            write(c, inbox, group, move, jobs);
            return new double[] {
                (threads.getCurrentThreadCpuTime() - cpu) / 1e6 / jobs, (System.nanoTime() - wall) / 1e6 / jobs
            };
        } finally {
            FileTrees.deleteQuietly(folder);
        }
    }

    private void write(Connection c, boolean inbox, int group, int move, int jobs) throws SQLException {
        int waiting = 0;
        try (PreparedStatement job = c.prepareStatement(INSERT_JOB);
                PreparedStatement intake = c.prepareStatement(INSERT_INBOX);
                PreparedStatement moveAll = c.prepareStatement(MOVE);
                PreparedStatement empty = c.prepareStatement("DELETE FROM inbox")) {
            for (int i = 0; i < jobs; i += group) {
                for (int k = 0; k < group; k++) {
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    PreparedStatement insert = inbox ? intake : job;
                    insert.setString(1, String.format("%012x%020x", System.currentTimeMillis(), ++sequence));
                    for (int p = 2; p <= (inbox ? 2 : 4); p++) {
                        insert.setObject(p, now);
                    }
                    insert.executeUpdate();
                }
                c.commit();
                waiting += group;
                if (move > 0 && waiting >= move) {
                    moveAll.executeUpdate();
                    empty.executeUpdate();
                    c.commit();
                    waiting = 0;
                }
            }
        }
    }
}
