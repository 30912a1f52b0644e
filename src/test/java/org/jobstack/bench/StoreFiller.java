package org.jobstack.bench;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntFunction;
import org.jobstack.common.Database;
import org.springframework.dao.DataAccessException;

/**
 * Rows written straight into a Jobstack database ({@link Rows}), shaped as the server writes them
 * (see {@code db/migration} and what {@code POST /jobs/triggers}, the queue and the workers store):
 *
 * <ul>
 *   <li>triggers of each instance ({@link Layout#share} of them in the first, the rest evenly over
 *       the others): 7 in 10 {@code @event} triggers of the {@code service} worker (an app's
 *       service, {@code app0}…{@code app19}) with their {@code trigger_doctype} row, 2 in 10
 *       monthly {@code @cron} triggers of the {@code konnector} worker ({@code k0}…{@code k19}), 1
 *       in 10 {@code @webhook} triggers of the {@code log} worker; each with its {@code
 *       trigger_state};
 *   <li>finished jobs queued between {@link Layout#from} and {@link Layout#to}, their instance
 *       chosen as the triggers'; in the first instance a share {@link Layout#hotShare} belongs to
 *       one trigger ({@link Layout#hotTrigger}, an {@code @event} trigger of the {@code log}
 *       worker); 15 % are {@code log} jobs queued through the API; the others belong to one of their
 *       instance's triggers, with its worker, message and event. 8 % of service jobs, 15 % of
 *       konnector jobs and 1 % of log jobs ended errored (service and konnector ones after two
 *       attempts, each with its {@code job_attempt} row); one service or konnector job in three
 *       has two log lines.
 * </ul>
 *
 * Ids are 32 hex digits, distinct and random-looking; each job's values derive from its number,
 * so that its log lines and attempts are written after all the jobs without keeping them.
 */
final class StoreFiller {

    /**
     * What to write: {@code jobs} and {@code triggers} over {@code domains} (the first one gets a
     * {@code share} of both), jobs queued from {@code from} to {@code to}.
     */
    record Layout(
            int jobs,
            int triggers,
            List<String> domains,
            double share,
            String hotTrigger,
            double hotShare,
            Instant from,
            Instant to) {}

    /** Rows written, in how long, and a service or konnector job of the first instance with log lines. */
    record Filled(long rows, double seconds, String sampleJob) {}

    private static final String[] DOCTYPES = {
        "io.cozy.files", "io.cozy.bank.operations", "io.cozy.contacts", "io.cozy.photos.albums",
        "io.cozy.bills", "io.cozy.notes", "io.cozy.calendar.events", "io.cozy.accounts"
    };
    private static final String JOB_COLUMNS = "id, domain, worker, trigger_id, message, event, manual, debounced,"
            + " state, attempts, queued_at, started_at, finished_at, run_at, sort_at, error, lease_owner,"
            + " attempt_started_at, exit_code";
    private static final String TRIGGER_COLUMNS = "id, domain, type, worker, arguments, debounce, max_exec_count,"
            + " timeout_ms, message, created_by, next_run_at, created_at, updated_at";

    private final ScaleServers.Database database;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private long triggerIds;
    private long jobIds;

    StoreFiller(ScaleServers.Database database) {
        this.database = database;
    }

    /** {@code count} {@code @event} triggers of the {@code service} worker on {@code domain}, the k-th with rule {@code rule(k)}. */
    double eventTriggers(String domain, int count, IntFunction<String> rule) throws SQLException {
        long start = System.nanoTime();
        long first = triggerIds;
        triggerIds += count;
        Instant now = Instant.now();
        try (Connection c = connection()) {
            try (Rows rows = Rows.into(c, "job_trigger", TRIGGER_COLUMNS.split(", "))) {
                for (int k = 0; k < count; k++) {
                    rows.add(
                            id(~seed, first + k),
                            domain,
                            "@event",
                            "service",
                            rule.apply(k),
                            "",
                            null,
                            null,
                            "{\"slug\":\"app" + k % 20 + "\",\"name\":\"on" + k % 50 + "\"}",
                            "app" + k % 20,
                            null,
                            now,
                            now);
                }
            }
            try (Rows rows = Rows.into(c, "trigger_doctype", "trigger_id", "domain", "doctype", "wildcard")) {
                for (int k = 0; k < count; k++) {
                    String r = rule.apply(k);
                    rows.add(id(~seed, first + k), domain, r.substring(0, r.indexOf(':')), false);
                }
            }
            eventRulesChanged(c, "domain = '" + domain + "'");
            c.commit();
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Writes the triggers, then the jobs with their log lines and attempts, then updates the
     * statistics (and vacuums, on PostgreSQL). On PostgreSQL all in one transaction, so that a running server's purge never sees
     * a job without its lines; H2 commits every 50 000 rows ({@link Rows}), so it is filled while no
     * server purges it (or in fewer rows).
     */
    Filled fill(Layout layout) throws SQLException {
        long start = System.nanoTime();
        Plan plan = new Plan(layout, triggerIds, jobIds);
        triggerIds += layout.triggers();
        jobIds += layout.jobs();
        long rows = 0;
        String sample = null;
        try (Connection c = connection()) {
            rows += writeTriggers(c, plan);
            boolean appColumn = hasAppColumn();
            List<String> columns = new ArrayList<>(List.of(JOB_COLUMNS.split(", ")));
            if (appColumn) {
                columns.add("app");
            }
            try (Rows jobRows = Rows.into(c, "job", columns.toArray(String[]::new))) {
                for (int i = 0; i < layout.jobs(); i++) {
                    Job j = plan.job(i);
                    Object[] values = {
                        j.id(),
                        j.domain(),
                        j.worker(),
                        j.trigger(),
                        j.message(),
                        j.event(),
                        false,
                        false,
                        j.errored() ? "errored" : "done",
                        j.attempts(),
                        j.queued(),
                        j.started(),
                        j.finished(),
                        j.queued(),
                        j.queued(),
                        j.errored() ? j.error() : null,
                        "node-" + i % 2,
                        j.started(),
                        j.exitCode(),
                        j.app()
                    };
                    jobRows.add(appColumn ? values : Arrays.copyOf(values, values.length - 1));
                    if (sample == null
                            && j.logLines() > 0
                            && j.domain().equals(layout.domains().get(0))) {
                        sample = j.id();
                    }
                }
            }
            rows += layout.jobs();
            try (Rows logs = Rows.into(c, "job_log", "job_id", "seq", "attempt", "at", "stream", "level", "message")) {
                for (int i = 0; i < layout.jobs(); i++) {
                    Job j = plan.job(i);
                    for (int seq = 0; seq < j.logLines(); seq++) {
                        boolean last = seq == j.logLines() - 1;
                        logs.add(
                                j.id(),
                                seq,
                                j.attempts(),
                                j.started().plusMillis(10L * (seq + 1)),
                                "stdout",
                                last && j.errored() ? "error" : "info",
                                last && j.errored()
                                        ? "cannot reach the bank: ETIMEDOUT"
                                        : "document " + i + " processed in " + (seq + 1) * 7 + " ms");
                        rows++;
                    }
                }
            }
            try (Rows attempts = Rows.into(
                    c,
                    "job_attempt",
                    "job_id",
                    "attempt",
                    "node",
                    "started_at",
                    "finished_at",
                    "outcome",
                    "exit_code",
                    "error")) {
                for (int i = 0; i < layout.jobs(); i++) {
                    Job j = plan.job(i);
                    if (j.errored() && j.attempts() == 2) {
                        Instant firstEnd = j.started().minusSeconds(2);
                        attempts.add(j.id(), 1, "node-0", firstEnd.minusMillis(300), firstEnd, "retry", 1, j.error());
                        attempts.add(j.id(), 2, "node-1", j.started(), j.finished(), "errored", 1, j.error());
                        rows += 2;
                    }
                }
            }
            c.commit();
            // PostgreSQL: vacuumed too, as a database that grew over months is; otherwise autovacuum
            // walks the million new rows while the queue is measured. Then a checkpoint: the pages
            // the fill and the vacuum dirtied are written out now, as those of months-old rows
            // were long ago, not by the checkpointer while the queue is measured.
            c.setAutoCommit(true);
            boolean postgres = Database.of(c) == Database.POSTGRESQL;
            try (Statement s = c.createStatement()) {
                s.execute(postgres ? "VACUUM ANALYZE" : "ANALYZE");
                if (postgres) {
                    s.execute("CHECKPOINT");
                } else if (!database.sharedWhileRunning()) {
                    // H2: the bulk commits leave a file of mostly dead chunks (about ten times the
                    // data at a million jobs), which no server's upkeep ever saw; a file that grew
                    // over months under it holds its live data and some free space
                    s.execute("SHUTDOWN COMPACT");
                }
            }
        }
        return new Filled(rows, (System.nanoTime() - start) / 1e9, sample);
    }

    private long writeTriggers(Connection c, Plan plan) throws SQLException {
        Instant now = Instant.now();
        Instant nextMonth = ZonedDateTime.now(ZoneOffset.UTC)
                .with(TemporalAdjusters.firstDayOfNextMonth())
                .with(LocalTime.of(3, 0))
                .toInstant();
        int count = plan.layout.triggers();
        try (Rows rows = Rows.into(c, "job_trigger", TRIGGER_COLUMNS.split(", "))) {
            for (int t = 0; t < count; t++) {
                Trigger tr = plan.trigger(t);
                Instant created = now.minus(t % 400, ChronoUnit.DAYS);
                rows.add(
                        tr.id(),
                        tr.domain(),
                        tr.type(),
                        tr.worker(),
                        tr.arguments(),
                        "",
                        null,
                        null,
                        tr.message(),
                        tr.createdBy(),
                        tr.type().equals("@cron") ? nextMonth : null,
                        created,
                        created);
            }
        }
        long watched = 0;
        try (Rows rows = Rows.into(c, "trigger_doctype", "trigger_id", "domain", "doctype", "wildcard")) {
            for (int t = 0; t < count; t++) {
                Trigger tr = plan.trigger(t);
                if (tr.type().equals("@event")) {
                    rows.add(tr.id(), tr.domain(), tr.doctype(), false);
                    watched++;
                }
            }
        }
        eventRulesChanged(c, "TRUE");
        try (Rows rows = Rows.into(
                c,
                "trigger_state",
                "trigger_id",
                "status",
                "last_execution",
                "last_executed_job_id",
                "last_success",
                "last_successful_job_id",
                "last_failure",
                "last_failed_job_id",
                "last_error")) {
            for (int t = 0; t < count; t++) {
                Trigger tr = plan.trigger(t);
                boolean failed = t % 10 == 3;
                Instant last = now.minus(t % 1440, ChronoUnit.MINUTES);
                String job = id(seed, -1 - t);
                rows.add(
                        tr.id(),
                        failed ? "errored" : "done",
                        last,
                        job,
                        failed ? last.minus(1, ChronoUnit.DAYS) : last,
                        failed ? id(seed, -1_000_000_000L - t) : job,
                        failed ? last : null,
                        failed ? job : null,
                        failed ? "exit status 1" : null);
            }
        }
        return 2L * count + watched;
    }

    /**
     * Whether the job table has the {@code app} column (the app of a service or konnector job, for
     * the dashboard's filter), which newer schemas have.
     */
    /**
     * Renews the event rules tag of the instances, as the application does when it writes an
     * {@code @event} trigger (a server would otherwise keep the rules it read before); the jars
     * older than that tag have no such column.
     */
    private void eventRulesChanged(Connection c, String instances) throws SQLException {
        if (!hasColumn("instance", "event_rules_tag")) {
            return;
        }
        try (var update = c.prepareStatement("UPDATE instance SET event_rules_tag = ? WHERE " + instances)) {
            update.setLong(1, ThreadLocalRandom.current().nextLong());
            update.executeUpdate();
        }
    }

    private boolean hasColumn(String table, String column) {
        try {
            database.jdbc()
                    .sql("SELECT " + column + " FROM " + table + " WHERE 1 = 0")
                    .query()
                    .listOfRows();
            return true;
        } catch (DataAccessException absent) {
            return false;
        }
    }

    private boolean hasAppColumn() {
        try {
            database.jdbc().sql("SELECT app FROM job WHERE 1 = 0").query().listOfRows();
            return true;
        } catch (DataAccessException absent) {
            return false;
        }
    }

    private Connection connection() throws SQLException {
        Connection c = database.dataSource().getConnection();
        c.setAutoCommit(false);
        return c;
    }

    private record Trigger(
            String id,
            String domain,
            String type,
            String worker,
            String arguments,
            String doctype,
            String message,
            String createdBy) {}

    private record Job(
            String id,
            String domain,
            String worker,
            String trigger,
            String message,
            String event,
            boolean errored,
            String error,
            Integer exitCode,
            int attempts,
            Instant queued,
            Instant started,
            Instant finished,
            int logLines,
            String app) {}

    /** Which instance each trigger and job goes to, and what each one is, from its number. */
    private final class Plan {

        private final Layout layout;
        private final long firstTrigger;
        private final long firstJob;
        /** The first trigger of each instance, and how many it has. */
        private final int[] start;

        private final int[] count;

        Plan(Layout layout, long firstTrigger, long firstJob) {
            this.layout = layout;
            this.firstTrigger = firstTrigger;
            this.firstJob = firstJob;
            int domains = layout.domains().size();
            start = new int[domains];
            count = new int[domains];
            count[0] = domains == 1 ? layout.triggers() : (int) Math.round(layout.triggers() * layout.share());
            int rest = layout.triggers() - count[0];
            for (int d = 1; d < domains; d++) {
                count[d] = rest / (domains - 1) + (d - 1 < rest % (domains - 1) ? 1 : 0);
                start[d] = start[d - 1] + count[d - 1];
            }
        }

        Trigger trigger(int t) {
            int d = domainOfTrigger(t);
            String domain = layout.domains().get(d);
            String id = id(~seed, firstTrigger + t);
            return switch ((t - start[d]) % 10) {
                case 7, 8 ->
                    new Trigger(
                            id,
                            domain,
                            "@cron",
                            "konnector",
                            "0 0 3 1 * *",
                            null,
                            "{\"konnector\":\"k" + t % 20 + "\",\"account\":\"acc" + t + "\"}",
                            "k" + t % 20);
                case 9 -> new Trigger(id, domain, "@webhook", "log", "", null, null, "CLI");
                default -> {
                    String doctype = DOCTYPES[t % DOCTYPES.length];
                    yield new Trigger(
                            id,
                            domain,
                            "@event",
                            "service",
                            doctype + ":CREATED,UPDATED",
                            doctype,
                            "{\"slug\":\"app" + t % 20 + "\",\"name\":\"on" + t % 7 + "\"}",
                            "app" + t % 20);
                }
            };
        }

        private int domainOfTrigger(int t) {
            int d = start.length - 1;
            while (start[d] > t || count[d] == 0) {
                d--;
            }
            return d;
        }

        Job job(int i) {
            SplittableRandom r = new SplittableRandom(mix(seed + i));
            int domains = layout.domains().size();
            int d = domains == 1 || r.nextDouble() < layout.share() ? 0 : 1 + r.nextInt(domains - 1);
            String domain = layout.domains().get(d);
            String docId = "doc" + r.nextInt(1_000_000);
            String event = "{\"domain\":\"" + domain + "\",\"verb\":\"UPDATED\",\"doc\":{\"_id\":\"" + docId
                    + "\",\"_rev\":\"2-" + Integer.toHexString(r.nextInt()) + "\"}}";
            String worker = "log";
            String trigger = null;
            String message = null;
            String app = null;
            if (d == 0 && layout.hotTrigger() != null && r.nextDouble() < layout.hotShare()) {
                trigger = layout.hotTrigger();
            } else if (count[d] == 0 || r.nextDouble() < 0.15) {
                message = "{\"message\":\"job " + i + "\"}";
                event = null;
            } else {
                Trigger t = trigger(start[d] + r.nextInt(count[d]));
                worker = t.worker();
                trigger = t.id();
                message = t.message();
                app = worker.equals("log") ? null : t.createdBy();
                event = t.type().equals("@event") ? event : null;
            }
            boolean log = worker.equals("log");
            double errorRate = log ? 0.01 : worker.equals("service") ? 0.08 : 0.15;
            boolean errored = r.nextDouble() < errorRate;
            long span = Duration.between(layout.from(), layout.to()).toMillis();
            Instant queued = layout.from().plusMillis(span <= 0 ? 0 : r.nextLong(span));
            Instant started = queued.plusMillis(5 + r.nextInt(300));
            long runMillis = log
                    ? 1 + r.nextInt(20)
                    : worker.equals("service") ? 40 + r.nextInt(2_000) : 2_000 + r.nextInt(90_000);
            return new Job(
                    id(seed, firstJob + i),
                    domain,
                    worker,
                    trigger,
                    message,
                    event,
                    errored,
                    log ? "timeout" : "exit status 1",
                    log ? null : errored ? 1 : 0,
                    errored && !log ? 2 : 1,
                    queued,
                    started,
                    started.plusMillis(runMillis),
                    !log && r.nextInt(3) == 0 ? 2 : 0,
                    app);
        }
    }

    /** 32 hex digits, distinct for distinct {@code n} under one {@code salt}. */
    private static String id(long salt, long n) {
        char[] digits = new char[32];
        hex(mix(salt + n), digits, 0);
        hex(mix(~salt ^ n), digits, 16);
        return new String(digits);
    }

    private static void hex(long value, char[] digits, int at) {
        for (int i = 15; i >= 0; i--) {
            digits[at + i] = Character.forDigit((int) (value & 15), 16);
            value >>>= 4;
        }
    }

    /** SplitMix64's finalizer: a bijection of longs that scatters neighbours. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
