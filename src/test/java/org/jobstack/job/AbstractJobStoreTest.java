package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.assertj.core.groups.Tuple;
import org.jobstack.common.Database;
import org.jobstack.common.Ids;
import org.jobstack.common.Sql;
import org.jobstack.node.NodeStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The queue's SQL, run once per database (H2 and PostgreSQL subclasses). */
abstract class AbstractJobStoreTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    DataSource dataSource;
    JobStore store;
    JobLeases leases;
    JobStatistics statistics;
    AttemptStore attempts;
    JobQueries queries;
    NodeStore nodes;
    TransactionTemplate tx;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        dataSource = dataSource();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        store = new JobStore(jdbc, new JdbcTemplate(dataSource), dataSource);
        leases = new JobLeases(jdbc, dataSource);
        statistics = new JobStatistics(jdbc);
        attempts = new AttemptStore(jdbc, new JdbcTemplate(dataSource));
        queries = new JobQueries(store, statistics, attempts, new JobCounts(statistics, Clock.systemUTC()));
        nodes = new NodeStore(jdbc);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        jdbc.sql("INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at) "
                        + "VALUES ('a.test', 'en', 'http://a.test/', 'x', ?, ?)")
                .param(Sql.ts(T0))
                .param(Sql.ts(T0))
                .update();
    }

    @Test
    void should_apply_every_migration() throws Exception {
        Set<String> tables = new HashSet<>();
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase());
            }
        }
        assertThat(tables)
                .contains("instance", "app", "app_service", "job_trigger", "trigger_doctype", "job", "job_log", "node");
    }

    @Test
    void should_claim_due_jobs_of_a_worker_in_sort_order_and_lease_them() {
        Job late = queue("log", T0.plusSeconds(2), T0);
        Job early = queue("log", T0.plusSeconds(1), T0);
        queue("service", T0, T0);
        Job notDue = queue("log", T0, T0.plusSeconds(60));

        List<Job> claimed = claim("log", 10, "node-a", T0.plusSeconds(5));

        assertThat(claimed).extracting(Job::id).containsExactly(early.id(), late.id());
        Job stored = store.find(early.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.RUNNING);
        assertThat(stored.attempts()).isEqualTo(1);
        assertThat(stored.leaseOwner()).isEqualTo("node-a");
        assertThat(stored.startedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(store.find(notDue.id()).orElseThrow().state()).isEqualTo(JobState.QUEUED);
    }

    @Test
    void should_never_give_one_job_to_two_concurrent_claimers() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(queue("log", T0.plusMillis(i), T0).id());
        }
        CountDownLatch firstClaimed = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<List<Job>> first = CompletableFuture.supplyAsync(() -> tx.execute(s -> {
            List<Job> jobs = leases.claim("log", 3, "node-a", T0.plusSeconds(1));
            firstClaimed.countDown();
            await(release);
            return jobs;
        }));
        assertThat(firstClaimed.await(10, TimeUnit.SECONDS)).isTrue();

        List<Job> whileLocked = claim("log", 6, "node-b", T0.plusSeconds(1));
        release.countDown();
        List<Job> firstJobs = first.get(10, TimeUnit.SECONDS);
        List<Job> afterCommit = claim("log", 6, "node-b", T0.plusSeconds(1));

        Set<String> all = new HashSet<>();
        for (List<Job> batch : List.of(firstJobs, whileLocked, afterCommit)) {
            for (Job job : batch) {
                assertThat(all.add(job.id()))
                        .as("job %s claimed twice", job.id())
                        .isTrue();
            }
        }
        assertThat(firstJobs).extracting(Job::id).containsExactlyElementsOf(ids.subList(0, 3));
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void should_claim_each_job_exactly_once_under_concurrent_claimers() throws Exception {
        for (int i = 0; i < 300; i++) {
            queue("log", T0.plusMillis(i), T0);
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<CompletableFuture<List<String>>> claimers = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            String owner = "node-" + c;
            claimers.add(CompletableFuture.supplyAsync(
                    () -> {
                        List<String> mine = new ArrayList<>();
                        for (int empty = 0; empty < 3; ) {
                            List<Job> batch = claim("log", 7, owner, T0.plusSeconds(1));
                            batch.forEach(j -> mine.add(j.id()));
                            empty = batch.isEmpty() ? empty + 1 : 0;
                        }
                        return mine;
                    },
                    pool));
        }
        List<String> all = new ArrayList<>();
        for (CompletableFuture<List<String>> c : claimers) {
            all.addAll(c.get(60, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(all).hasSize(300).doesNotHaveDuplicates();
    }

    @Test
    void should_let_only_the_lease_owner_finish_or_requeue_a_job() {
        Job job = queue("log", T0, T0);
        claim("log", 1, "node-a", T0);

        assertThat(store.finish(job.id(), "node-b", JobState.DONE, null, T0)).isFalse();
        assertThat(store.requeue(job.id(), "node-b", T0, "x", false)).isFalse();
        assertThat(store.finish(job.id(), "node-a", JobState.ERRORED, "boom", T0.plusSeconds(3)))
                .isTrue();
        assertThat(store.finish(job.id(), "node-a", JobState.DONE, null, T0))
                .as("already finished")
                .isFalse();

        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.ERRORED);
        assertThat(stored.error()).isEqualTo("boom");
        assertThat(stored.finishedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(stored.leaseOwner()).as("the node of its last attempt").isEqualTo("node-a");
    }

    @Test
    void should_requeue_a_job_for_later_and_give_back_the_attempt_when_asked() {
        Job job = queue("log", T0, T0);
        claim("log", 1, "node-a", T0);

        assertThat(store.requeue(job.id(), "node-a", T0.plusSeconds(30), "shutdown", true))
                .isTrue();
        Job requeued = store.find(job.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.attempts()).isZero();
        assertThat(claim("log", 1, "node-a", T0.plusSeconds(29))).isEmpty();
        assertThat(claim("log", 1, "node-a", T0.plusSeconds(30)))
                .extracting(Job::id)
                .containsExactly(job.id());
        assertThat(store.find(job.id()).orElseThrow().startedAt())
                .as("first start kept")
                .isEqualTo(T0);
    }

    @Test
    void should_name_the_owners_of_running_jobs_that_stopped_heartbeating() {
        nodes.register("alive", "h", "v1", T0);
        nodes.register("dead", "h", "v1", T0.minusSeconds(60));
        queue("log", T0, T0);
        queue("log", T0.plusMillis(1), T0);
        queue("log", T0.plusMillis(2), T0);
        claim("log", 1, "alive", T0);
        claim("log", 1, "dead", T0);
        claim("log", 1, "never-registered", T0);

        assertThat(leases.ownersWithoutHeartbeatSince(T0.minusSeconds(20)))
                .containsExactlyInAnyOrder("dead", "never-registered");
        assertThat(leases.leasedBy("dead")).hasSize(1);
    }

    @Test
    void should_count_jobs_per_worker_and_state_and_date_the_oldest_queued() {
        queue("log", T0, T0);
        queue("log", T0.plusMillis(1), T0);
        queue("service", T0.plusMillis(2), T0);
        claim("log", 1, "node-a", T0);

        List<String> all = List.of("queued", "running", "done", "errored");
        assertThat(statistics.countsByWorker(all)).containsOnlyKeys("log", "service");
        assertThat(statistics.countsByWorker(all).get("log"))
                .containsEntry("queued", 1L)
                .containsEntry("running", 1L);
        assertThat(statistics.countsByWorker(all).get("service")).containsEntry("queued", 1L);
        assertThat(statistics.countsByWorker(List.of("running"))).containsOnlyKeys("log");
        assertThat(statistics.countsByWorker(List.of("running")).get("log")).containsOnlyKeys("running");
        assertThat(statistics.oldestQueuedAt()).containsEntry("log", T0).containsEntry("service", T0);
        assertThat(statistics.activeCounts())
                .extracting(
                        JobStatistics.ActiveCount::worker,
                        JobStatistics.ActiveCount::state,
                        JobStatistics.ActiveCount::count)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("log", JobState.QUEUED, 1L),
                        Tuple.tuple("log", JobState.RUNNING, 1L),
                        Tuple.tuple("service", JobState.QUEUED, 1L));
    }

    @Test
    void should_list_running_attempts_longest_running_first_and_count_them_per_node() {
        Job first = queue("log", T0, T0);
        Job second = queue("log", T0.plusMillis(1), T0);
        Job third = queue("service", T0.plusMillis(2), T0);
        claim("log", 1, "node-a", T0);
        claim("log", 1, "node-b", T0.plusSeconds(5));
        claim("service", 1, "node-a", T0.plusSeconds(9));

        assertThat(statistics.runningAttempts(10))
                .extracting(JobStatistics.RunningAttempt::jobId)
                .containsExactly(first.id(), second.id(), third.id());
        assertThat(statistics.runningAttempts(10).get(1))
                .isEqualTo(
                        new JobStatistics.RunningAttempt(second.id(), "a.test", "log", "node-b", 1, T0.plusSeconds(5)));
        assertThat(statistics.runningAttempts(2)).hasSize(2);
        assertThat(statistics.runningByNode())
                .isEqualTo(Map.of("node-a", Map.of("log", 1L, "service", 1L), "node-b", Map.of("log", 1L)));
    }

    @Test
    void should_find_the_newest_jobs_matching_a_search() {
        Job old = queueAt("service", "a.test", "{\"name\":\"s\",\"slug\":\"my_app%\"}", T0);
        Job other = queueAt("service", "a.test", "{\"name\":\"s\",\"slug\":\"myXapp%\"}", T0.plusSeconds(1));
        Job konnector = queueAt("konnector", "a.test", "{\"konnector\":\"my_app%\"}", T0.plusSeconds(2));
        Job recent = queueAt("log", "a.test", "{\"n\":1}", T0.plusSeconds(3600));

        assertThat(statistics.newest(JobSearch.ANY, 10))
                .extracting(JobSummary::id)
                .containsExactly(recent.id(), konnector.id(), other.id(), old.id());
        assertThat(statistics.newest(JobSearch.ANY, 2)).hasSize(2);
        assertThat(statistics.newest(new JobSearch(null, null, null, null, "my_app%", null), 10))
                .extracting(JobSummary::id)
                .as("the app's % and _ match only themselves")
                .containsExactly(konnector.id(), old.id());
        assertThat(statistics.newest(new JobSearch(null, "service", "a.test", null, null, null), 10))
                .extracting(JobSummary::id)
                .containsExactly(other.id(), old.id());
        assertThat(statistics.newest(new JobSearch(null, null, null, null, null, T0.plusSeconds(60)), 10))
                .extracting(JobSummary::id)
                .containsExactly(recent.id());
        assertThat(statistics.newest(new JobSearch(JobState.ERRORED, null, null, null, null, null), 10))
                .isEmpty();
        assertThat(statistics.newest(new JobSearch(null, null, "b.test", null, null, null), 10))
                .isEmpty();
    }

    @Test
    void should_tell_every_ended_attempt_of_a_job_in_order_the_done_one_from_the_job_row() {
        Job job = queue("service", T0, T0);
        claim("service", 1, "node-a", T0);
        store.requeueAll(List.of(new JobStore.Requeue(job.id(), "node-a", T0.plusSeconds(10), "exit status 3", false)));
        attempts.insert(new AttemptStore.NewAttempt(
                job.id(), new AttemptRecord(1, "node-a", T0, T0.plusSeconds(2), "retry", 3, "exit status 3")));
        claim("service", 1, "node-b", T0.plusSeconds(10));
        assertThat(store.finishAll(List.of(new JobStore.Finish(
                        job.id(), "node-b", JobState.DONE, T0.plusSeconds(12), null, 0, T0.plusSeconds(11)))))
                .containsExactly(1);

        assertThat(queries.attempts(job.id()))
                .containsExactly(
                        new AttemptRecord(1, "node-a", T0, T0.plusSeconds(2), "retry", 3, "exit status 3"),
                        new AttemptRecord(2, "node-b", T0.plusSeconds(11), T0.plusSeconds(12), "done", 0, null));
        assertThat(queries.attempts(job.id()).get(1).duration()).hasSeconds(1);
    }

    @Test
    void should_write_outcomes_in_batches_only_where_the_lease_is_held() {
        Job done = queue("log", T0, T0);
        Job lost = queue("log", T0.plusMillis(1), T0);
        Job retried = queue("log", T0.plusMillis(2), T0);
        claim("log", 3, "node-a", T0);

        int[] finished = store.finishAll(List.of(
                new JobStore.Finish(done.id(), "node-a", JobState.DONE, T0.plusSeconds(1), null, 0, T0),
                new JobStore.Finish(lost.id(), "node-b", JobState.ERRORED, T0.plusSeconds(1), "x", 1, T0)));
        int[] requeued = store.requeueAll(
                List.of(new JobStore.Requeue(retried.id(), "node-a", T0.plusSeconds(30), "shutdown", true)));

        assertThat(finished).containsExactly(1, 0);
        assertThat(requeued).containsExactly(1);
        assertThat(store.find(done.id()).orElseThrow().state()).isEqualTo(JobState.DONE);
        assertThat(store.find(lost.id()).orElseThrow().state()).isEqualTo(JobState.RUNNING);
        Job back = store.find(retried.id()).orElseThrow();
        assertThat(back.state()).isEqualTo(JobState.QUEUED);
        assertThat(back.attempts()).as("attempt given back").isZero();
        assertThat(back.runAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void should_count_active_jobs_at_once_and_finished_ones_as_of_their_last_count() {
        SetClock clock = new SetClock(T0);
        List<Runnable> refreshes = new ArrayList<>();
        ExecutorService later = new java.util.concurrent.AbstractExecutorService() {
            public void execute(Runnable task) {
                refreshes.add(task);
            }

            public void shutdown() {}

            public List<Runnable> shutdownNow() {
                return List.of();
            }

            public boolean isShutdown() {
                return false;
            }

            public boolean isTerminated() {
                return false;
            }

            public boolean awaitTermination(long timeout, TimeUnit unit) {
                return true;
            }
        };
        JobCounts counts = new JobCounts(statistics, clock, later);
        Job first = queue("log", T0, T0);
        claim("log", 1, "node-a", T0);
        store.finish(first.id(), "node-a", JobState.DONE, null, T0);
        queue("log", T0.plusMillis(1), T0);

        JobCounts.Counts before = counts.now();
        assertThat(before.byWorker().get("log")).containsEntry("queued", 1L).containsEntry("done", 1L);
        assertThat(before.finishedAsOf()).isEqualTo(T0);

        claim("log", 1, "node-a", T0);
        Job third = queue("log", T0.plusMillis(2), T0);
        clock.set(T0.plus(JobCounts.FINISHED_REFRESH).minusMillis(1));
        JobCounts.Counts soon = counts.now();
        assertThat(soon.byWorker().get("log"))
                .as("queued and running are counted at once")
                .containsEntry("queued", 1L)
                .containsEntry("running", 1L)
                .as("done stays as counted")
                .containsEntry("done", 1L);
        claim("log", 1, "node-a", T0);
        store.finish(third.id(), "node-a", JobState.ERRORED, "boom", T0);
        assertThat(counts.now().byWorker().get("log")).doesNotContainKey("errored");
        assertThat(refreshes).isEmpty();

        clock.set(T0.plus(JobCounts.FINISHED_REFRESH));
        counts.now();
        counts.now();
        assertThat(refreshes).as("one refresh at a time").hasSize(1);
        refreshes.get(0).run();

        JobCounts.Counts after = counts.now();
        assertThat(after.byWorker().get("log")).containsEntry("errored", 1L).containsEntry("done", 1L);
        assertThat(after.finishedAsOf()).isEqualTo(T0.plus(JobCounts.FINISHED_REFRESH));
    }

    /**
     * Statistics taken while many jobs were queued, then those jobs done (50 000 finished jobs of
     * a.test, 5 000 queued when the statistics were made): the live job queued after, the only one.
     */
    Job liveJobAfterStatisticsOfABacklog(String analyze) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        insertJobs(jdbc, 50_000, "done", T0.minus(Duration.ofDays(200)));
        insertJobs(jdbc, 5_000, "queued", T0.minus(Duration.ofHours(1)));
        jdbc.sql(analyze).update();
        jdbc.sql("UPDATE job SET state = 'done' WHERE state = 'queued'").update();
        return queueAt("log", "a.test", "{}", T0);
    }

    /** {@code count} log jobs of a.test in {@code state}, queued a second apart from {@code from}, in one statement. */
    abstract void insertJobs(JdbcClient jdbc, int count, String state, Instant from);

    /** The plan of the first page of a.test's live log jobs ({@code GET /jobs/queue/log}). */
    String planOfLiveListing(Database database) {
        return String.join(
                "\n",
                JdbcClient.create(dataSource)
                        .sql("EXPLAIN " + JobStore.queuedOrRunningSql(database, null))
                        .param("worker", "log")
                        .param("domain", "a.test")
                        .param("at", null)
                        .param("id", null)
                        .param("limit", 2)
                        .query(String.class)
                        .list());
    }

    void assertListsOnly(Job live) {
        assertThat(store.queuedOrRunning("a.test", "log", null, 2))
                .extracting(Job::id)
                .containsExactly(live.id());
    }

    Job queueAt(String worker, String domain, String message, Instant queuedAt) {
        Job job = Job.queued(Ids.newId(), JobRequest.of(domain, worker, message), queuedAt);
        store.insert(job, queuedAt);
        return job;
    }

    private Job queue(String worker, Instant sortAt, Instant runAt) {
        Job due = new Job(
                Ids.newId(),
                JobRequest.of("a.test", worker, "{\"n\":1}"),
                JobState.QUEUED,
                0,
                0,
                T0,
                null,
                null,
                runAt,
                null,
                null);
        store.insert(due, sortAt);
        return due;
    }

    private List<Job> claim(String worker, int limit, String owner, Instant now) {
        return tx.execute(s -> leases.claim(worker, limit, owner, now));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A clock that stands still where the test sets it. */
    private static final class SetClock extends Clock {

        private volatile Instant now;

        SetClock(Instant now) {
            this.now = now;
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
