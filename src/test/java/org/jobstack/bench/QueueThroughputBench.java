package org.jobstack.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.jobstack.common.Ids;
import org.jobstack.job.Job;
import org.jobstack.job.JobRequest;
import org.jobstack.job.JobStore;
import org.jobstack.job.run.JobDispatcher;
import org.jobstack.support.Databases;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Queue throughput, Jobstack against db-scheduler, side by side in one run, on the same kind of
 * database: N no-op jobs already queued, T worker threads, time until all have run. Runs are
 * interleaved; the median is reported, and the ratio Jobstack / db-scheduler.
 *
 * <pre>./mvnw -q -Pbench exec:java -Dbench=QueueThroughputBench [-Djobs=20000 -Dthreads=8 -Druns=3 -Ddbs=h2,postgresql]</pre>
 */
public final class QueueThroughputBench {

    private static final int JOBS = Integer.getInteger("jobs", 20_000);
    private static final int THREADS = Integer.getInteger("threads", 8);
    private static final int RUNS = Integer.getInteger("runs", 3);

    private QueueThroughputBench() {}

    public static void main(String[] args) throws Exception {
        List<String> dbs = List.of(System.getProperty("dbs", "h2,postgresql").split(","));
        System.out.printf(
                "jobs=%d threads=%d runs=%d cpus=%d java=%s h2opts=%s%n",
                JOBS,
                THREADS,
                RUNS,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("h2opts", ";WRITE_DELAY=0"));
        List<String> lines = new ArrayList<>();
        for (String db : dbs) {
            Path dir = Files.createTempDirectory("bench-" + db);
            String jobstackUrl = db.equals("h2") ? h2Url(dir.resolve("jobstack")) : durablePostgres();
            String schedulerUrl = db.equals("h2") ? h2Url(dir.resolve("dbscheduler")) : durablePostgres();
            try (JobstackSide jobstack = new JobstackSide(dir, jobstackUrl, db);
                    DbSchedulerSide scheduler = new DbSchedulerSide(schedulerUrl, db)) {
                jobstack.run(JOBS / 10);
                scheduler.run(JOBS / 10);
                List<Double> js = new ArrayList<>();
                List<Double> ds = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    js.add(jobstack.run(JOBS));
                    ds.add(scheduler.run(JOBS));
                    System.out.printf(
                            "  %s run %d: jobstack %.0f/s, db-scheduler %.0f/s%n", db, i + 1, js.get(i), ds.get(i));
                }
                double j = median(js);
                double d = median(ds);
                lines.add(String.format("| %s | %s | %.0f | %.0f | %.2f |", db, scheduler.strategy(), j, d, j / d));
            }
        }
        System.out.println();
        System.out.println("| database | db-scheduler polling | Jobstack jobs/s | db-scheduler jobs/s | ratio |");
        System.out.println("|---|---|---|---|---|");
        lines.forEach(System.out::println);
        System.exit(0);
    }

    /** Jobstack's own H2 settings by default (WRITE_DELAY=0: every commit written, as kill -9 safety needs). */
    static String h2Url(Path file) {
        return "jdbc:h2:file:" + file + System.getProperty("h2opts", ";WRITE_DELAY=0") + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /** A new database in a PostgreSQL that commits as a default installation does, with {@code -Dpgopts} appended. */
    static String durablePostgres() {
        return Databases.newDurablePostgresDatabase() + System.getProperty("pgopts", "");
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    static double waitFor(LongSupplier done, long target, long startNanos) throws InterruptedException {
        while (done.getAsLong() < target) {
            Thread.sleep(1);
        }
        return target / ((System.nanoTime() - startNanos) / 1e9);
    }

    /** Jobstack in process: the real server with its queue, dispatcher and `log` worker (a no-op). */
    static final class JobstackSide implements AutoCloseable {
        private final ConfigurableApplicationContext context;
        private final JobStore store;
        private final JobDispatcher dispatcher;
        private final TransactionTemplate tx;
        private final Counter done;

        JobstackSide(Path dir, String url, String db) {
            Map<String, Object> p = new HashMap<>();
            p.put("server.port", 0);
            p.put("jobstack.admin.port", 0);
            p.put("jobstack.data-dir", dir.resolve("data").toString());
            p.put("spring.datasource.url", url);
            p.put("spring.datasource.username", db.equals("h2") ? "sa" : "postgres");
            p.put("spring.datasource.password", db.equals("h2") ? "" : "postgres");
            p.put("jobstack.jobs.workers.log.concurrency", THREADS);
            p.put("logging.level.root", "WARN");
            context = InProcessServer.start(p.entrySet().stream()
                    .map(e -> "--" + e.getKey() + "=" + e.getValue())
                    .toArray(String[]::new));
            store = context.getBean(JobStore.class);
            dispatcher = context.getBean(JobDispatcher.class);
            tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            done = context.getBean(MeterRegistry.class)
                    .counter("jobstack.jobs.attempts", "worker", "log", "outcome", "done");
        }

        double run(int jobs) throws InterruptedException {
            dispatcher.stop();
            Instant now = Instant.now();
            tx.executeWithoutResult(s -> IntStream.range(0, jobs)
                    .forEach(i -> store.insert(
                            Job.queued(Ids.newId(), JobRequest.of("localhost", "log", null), now),
                            now.plusNanos(i * 1000L))));
            long before = (long) done.count();
            long start = System.nanoTime();
            dispatcher.start();
            return waitFor(() -> (long) done.count() - before, jobs, start);
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /** db-scheduler with a no-op one-time task, on its own database of the same kind. */
    static final class DbSchedulerSide implements AutoCloseable {
        private final HikariDataSource dataSource = new HikariDataSource();
        private final OneTimeTask<Void> task;
        private final AtomicLong done = new AtomicLong();
        private final String db;

        DbSchedulerSide(String url, String db) throws Exception {
            this.db = db;
            dataSource.setJdbcUrl(url);
            dataSource.setUsername(db.equals("h2") ? "sa" : "postgres");
            dataSource.setPassword(db.equals("h2") ? "" : "postgres");
            dataSource.setMaximumPoolSize(10);
            try (Connection c = dataSource.getConnection();
                    Statement s = c.createStatement()) {
                String text = db.equals("h2") ? "varchar" : "text";
                String bytes = db.equals("h2") ? "blob" : "bytea";
                s.execute("create table scheduled_tasks (task_name " + text + " not null, task_instance " + text
                        + " not null, task_data " + bytes + ", execution_time timestamp with time zone not null,"
                        + " picked boolean not null, picked_by " + text + ", last_success timestamp with time zone,"
                        + " last_failure timestamp with time zone, consecutive_failures int,"
                        + " last_heartbeat timestamp with time zone, version bigint not null, priority smallint,"
                        + " primary key (task_name, task_instance))");
                s.execute("create index execution_time_idx on scheduled_tasks (execution_time)");
                s.execute("create index last_heartbeat_idx on scheduled_tasks (last_heartbeat)");
                s.execute(
                        "create index priority_execution_time_idx on scheduled_tasks (priority desc, execution_time asc)");
            }
            task = Tasks.oneTime("noop").execute((instance, context) -> done.incrementAndGet());
        }

        String strategy() {
            return db.equals("postgresql") ? "lock-and-fetch" : "fetch-and-lock-on-execute (default)";
        }

        double run(int jobs) throws InterruptedException {
            SchedulerClient client =
                    SchedulerClient.Builder.create(dataSource, task).build();
            String prefix = Ids.newId();
            List<TaskInstance<?>> instances = new ArrayList<>();
            IntStream.range(0, jobs).forEach(i -> instances.add(task.instance(prefix + i)));
            client.scheduleBatch(instances, Instant.now());
            var builder = Scheduler.create(dataSource, task).threads(THREADS).pollingInterval(Duration.ofMillis(100));
            if (db.equals("postgresql")) {
                builder.pollUsingLockAndFetch(0.5, 3.0);
            }
            Scheduler scheduler = builder.build();
            long before = done.get();
            long start = System.nanoTime();
            scheduler.start();
            double rate = waitFor(() -> done.get() - before, jobs, start);
            scheduler.stop();
            return rate;
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }
}
