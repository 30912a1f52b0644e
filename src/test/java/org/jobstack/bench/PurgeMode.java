package org.jobstack.bench;

import static org.jobstack.bench.ScaleBench.fmt;
import static org.jobstack.bench.ScaleBench.median;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.common.Database;

/**
 * {@code -Dmode=purge}: retention under load. A fresh server on {@code database} (PostgreSQL by
 * default: the harness writes and counts jobs while it runs) keeping finished jobs {@code
 * retention} ({@code jobstack.jobs.retention.done} and {@code .errored}), its purge walking every
 * {@code purgeInterval} and working {@code timeShare} of the time (the server's default unless given),
 * and {@code domains} instances. After a warm-up of {@code warmupJobs}, the
 * queue's throughput before: {@code queue} {@code log} jobs queued over HTTP until drained ({@link
 * LogQueue}), {@code runs} times. Then {@link StoreFiller} writes {@code jobs} finished jobs queued
 * {@code age} to {@code age + days} days ago (and {@code triggers} triggers, the jobs' log lines and
 * attempts, as in {@code -Dmode=store}), and the same batches run one after another while the purge
 * deletes them, until no such job is left ({@code SELECT COUNT(*)} after each batch) or {@code
 * purgeTimeout} seconds have passed; then, once {@code VACUUM ANALYZE} and a {@code CHECKPOINT} have
 * cleared what the purge left for autovacuum, {@code runs} batches after. Prints how long the purge took
 * from the end of the fill, and the throughput before, during (over all its batches, and their
 * median) and after, with the ratio during/after (target ≥ 0.9).
 */
final class PurgeMode {

    private final ScaleServers servers;
    private final PrintStream out;
    private final String databaseKind;
    private final int jobs;
    private final int triggers;
    private final int domains;
    private final double share;
    private final double age;
    private final double days;
    private final String retention;
    private final String interval;
    private final String timeShare;
    private final int clientCount;
    private final int warmupJobs;
    private final int queueJobs;
    private final int runs;
    private final int timeout;

    PurgeMode(ScaleSettings settings, ScaleServers servers, PrintStream out) {
        this.servers = servers;
        this.out = out;
        this.databaseKind = settings.text("database", "postgres");
        this.jobs = settings.integer("jobs", 1_000_000);
        this.triggers = settings.integer("triggers", 100_000);
        this.domains = settings.integer("domains", 100);
        this.share = settings.decimal("share", 0.1);
        this.age = settings.decimal("age", 30);
        this.days = settings.decimal("days", 180);
        this.retention = settings.text("retention", "1d");
        this.interval = settings.text("purgeInterval", "5s");
        this.timeShare = settings.text("timeShare", "");
        this.clientCount = settings.integer("clients", 8);
        this.warmupJobs = settings.integer("warmupJobs", 5_000);
        this.queueJobs = settings.integer("queue", 5_000);
        this.runs = settings.integer("runs", 3);
        this.timeout = settings.integer("purgeTimeout", 900);
    }

    void run() throws Exception {
        ScaleServers.Database database = servers.database(databaseKind);
        if (!database.sharedWhileRunning()) {
            throw new IllegalArgumentException("-Dmode=purge counts jobs while the server runs: use postgres");
        }
        List<String> settings = new ArrayList<>(ScaleBench.NO_RATE_LIMITS);
        settings.addAll(ScaleBench.retention(retention));
        settings.add("--jobstack.jobs.retention.interval=" + interval);
        if (!timeShare.isEmpty()) {
            settings.add("--jobstack.jobs.retention.time-share=" + timeShare);
        }
        try (ScaleServers.Server server = servers.start(database, settings);
                Clients clients = new Clients(clientCount)) {
            List<String> names = ScaleBench.domains("purge", domains);
            Instance instance = Instance.create(server.api(), names.get(0), servers.passphrase(), "io.cozy.jobs");
            names.subList(1, names.size()).forEach(d -> Instance.register(server.api(), d));
            LogQueue queue = new LogQueue(clients, instance);
            out.printf(
                    "%npurge, %s: retention %s, purge every %s, time share %s; %s old jobs queued %s to %s days ago, %s triggers,"
                            + " %d instances; batches of %s log jobs, server pid %d%n",
                    database.kind(),
                    retention,
                    interval,
                    timeShare.isEmpty() ? "the default" : timeShare,
                    fmt(jobs),
                    fmt(age),
                    fmt(age + days),
                    fmt(triggers),
                    domains,
                    fmt(queueJobs),
                    server.pid());
            queue.drainRate(warmupJobs);
            double before = batches(queue, runs);

            Instant newest = Instant.now().minusSeconds((long) (age * 86_400));
            StoreFiller.Filled filled = new StoreFiller(database)
                    .fill(new StoreFiller.Layout(
                            jobs,
                            triggers,
                            names,
                            share,
                            null,
                            0,
                            newest.minusSeconds((long) (days * 86_400)),
                            newest));
            Timestamp cutoff = Timestamp.from(newest.plusSeconds(1));
            long logs = database.count("SELECT COUNT(*) FROM job_log");
            long attempts = database.count("SELECT COUNT(*) FROM job_attempt");
            out.printf("  filled %s rows in %.1f s; the purge begins%n", fmt(filled.rows()), filled.seconds());

            long start = System.nanoTime();
            long left = database.count("SELECT COUNT(*) FROM job WHERE queued_at < ?", cutoff);
            List<Double> during = new ArrayList<>();
            while (left > 0 && System.nanoTime() - start < timeout * 1_000_000_000L) {
                during.add(queue.drainRate(queueJobs));
                left = database.count("SELECT COUNT(*) FROM job WHERE queued_at < ?", cutoff);
                out.printf(
                        "  +%.0f s: %s log jobs/s, %s old jobs left%n",
                        (System.nanoTime() - start) / 1e9, fmt(during.get(during.size() - 1)), fmt(left));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(
                    "  the purge's dead rows vacuumed and written out before the queue is measured again: %.1f s%n",
                    settle(database));
            double after = batches(queue, runs);
            double whileRunning = during.isEmpty()
                    ? Double.NaN
                    : median(during.stream().mapToDouble(Double::doubleValue).toArray());
            // every batch has the same number of jobs: the rate over the whole purge is their harmonic mean
            double overall = during.isEmpty()
                    ? Double.NaN
                    : during.size() / during.stream().mapToDouble(r -> 1 / r).sum();
            String purge = left == 0
                    ? String.format("%.0f s (%s jobs/s)", seconds, fmt(jobs / seconds))
                    : String.format(
                            "**NOT FINISHED** after %.0f s: %s of %s old jobs left (%s jobs/s so far)",
                            seconds, fmt(left), fmt(jobs), fmt((jobs - left) / seconds));
            out.printf(
                    "%n| date | database | old jobs (log lines, attempts) | retention, interval | purge took"
                            + " | log jobs/s before | during: all batches (median of %d) | after | during/after |%n"
                            + "|---|---|---|---|---|---|---|---|---|%n",
                    during.size());
            out.printf(
                    "| %s | %s | %s (%s, %s) | %s, %s | %s | %s | %s (%s) | %s | **%.2f** (%.2f) |%n",
                    LocalDate.now(),
                    database.kind(),
                    fmt(jobs),
                    fmt(logs),
                    fmt(attempts),
                    retention,
                    interval,
                    purge,
                    fmt(before),
                    fmt(overall),
                    fmt(whileRunning),
                    fmt(after),
                    overall / after,
                    whileRunning / after);
            out.printf(
                    "left after the purge: %s log lines, %s attempts (before: %s, %s)%n",
                    fmt(database.count("SELECT COUNT(*) FROM job_log")),
                    fmt(database.count("SELECT COUNT(*) FROM job_attempt")),
                    fmt(logs),
                    fmt(attempts));
            ScaleBench.printFailures(out, "purge", clients);
        }
    }

    /**
     * VACUUM ANALYZE (H2: ANALYZE), then CHECKPOINT: the seconds they took. Otherwise autovacuum walks the purge's
     * last dead rows while the queue is measured "after", as the first run of this mode showed
     * (the queue at half its rate until well after the purge had ended).
     */
    private static double settle(ScaleServers.Database database) throws SQLException {
        long start = System.nanoTime();
        try (Connection c = database.dataSource().getConnection();
                Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            boolean postgres = Database.of(c) == Database.POSTGRESQL;
            s.execute(postgres ? "VACUUM ANALYZE" : "ANALYZE");
            s.execute("CHECKPOINT");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private double batches(LogQueue queue, int count) throws Exception {
        double[] rates = new double[count];
        for (int i = 0; i < count; i++) {
            rates[i] = queue.drainRate(queueJobs);
        }
        return median(rates);
    }
}
