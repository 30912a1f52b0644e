package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jobstack.common.Ids;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.jobstack.node.NodeStore;

/** The queue's SQL, run once per database (H2 and PostgreSQL subclasses). */
abstract class AbstractJobStoreTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

    DataSource dataSource;
    JobStore store;
    NodeStore nodes;
    TransactionTemplate tx;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        dataSource = dataSource();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        store = new JobStore(jdbc, dataSource);
        nodes = new NodeStore(jdbc);
        tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        jdbc.sql("INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at) "
                + "VALUES ('a.test', 'en', 'http://a.test/', 'x', ?, ?)").param(org.jobstack.common.Sql.ts(T0)).param(org.jobstack.common.Sql.ts(T0))
                .update();
    }

    @Test
    void should_apply_every_migration() throws Exception {
        Set<String> tables = new HashSet<>();
        try (Connection c = dataSource.getConnection();
             ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[]{"TABLE"})) {
            while (rs.next()) {
                tables.add(rs.getString("TABLE_NAME").toLowerCase());
            }
        }
        assertThat(tables).contains("instance", "app", "app_service", "job_trigger", "trigger_doctype", "job",
                "job_log", "node");
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
            List<Job> jobs = store.claim("log", 3, "node-a", T0.plusSeconds(1));
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
                assertThat(all.add(job.id())).as("job %s claimed twice", job.id()).isTrue();
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
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        List<CompletableFuture<List<String>>> claimers = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            String owner = "node-" + c;
            claimers.add(CompletableFuture.supplyAsync(() -> {
                List<String> mine = new ArrayList<>();
                for (int empty = 0; empty < 3; ) {
                    List<Job> batch = claim("log", 7, owner, T0.plusSeconds(1));
                    batch.forEach(j -> mine.add(j.id()));
                    empty = batch.isEmpty() ? empty + 1 : 0;
                }
                return mine;
            }, pool));
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
        assertThat(store.finish(job.id(), "node-a", JobState.ERRORED, "boom", T0.plusSeconds(3))).isTrue();
        assertThat(store.finish(job.id(), "node-a", JobState.DONE, null, T0)).as("already finished").isFalse();

        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(JobState.ERRORED);
        assertThat(stored.error()).isEqualTo("boom");
        assertThat(stored.finishedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(stored.leaseOwner()).isNull();
    }

    @Test
    void should_requeue_a_job_for_later_and_give_back_the_attempt_when_asked() {
        Job job = queue("log", T0, T0);
        claim("log", 1, "node-a", T0);

        assertThat(store.requeue(job.id(), "node-a", T0.plusSeconds(30), "shutdown", true)).isTrue();
        Job requeued = store.find(job.id()).orElseThrow();
        assertThat(requeued.state()).isEqualTo(JobState.QUEUED);
        assertThat(requeued.attempts()).isZero();
        assertThat(claim("log", 1, "node-a", T0.plusSeconds(29))).isEmpty();
        assertThat(claim("log", 1, "node-a", T0.plusSeconds(30))).extracting(Job::id).containsExactly(job.id());
        assertThat(store.find(job.id()).orElseThrow().startedAt()).as("first start kept").isEqualTo(T0);
    }

    @Test
    void should_name_the_owners_of_running_jobs_that_stopped_heartbeating() {
        nodes.register("alive", "h", T0);
        nodes.register("dead", "h", T0.minusSeconds(60));
        queue("log", T0, T0);
        queue("log", T0.plusMillis(1), T0);
        queue("log", T0.plusMillis(2), T0);
        claim("log", 1, "alive", T0);
        claim("log", 1, "dead", T0);
        claim("log", 1, "never-registered", T0);

        assertThat(store.ownersWithoutHeartbeatSince(T0.minusSeconds(20)))
                .containsExactlyInAnyOrder("dead", "never-registered");
        assertThat(store.leasedBy("dead")).hasSize(1);
    }

    private Job queue(String worker, Instant sortAt, Instant runAt) {
        Job job = Job.queued(Ids.newId(), JobRequest.of("a.test", worker, "{\"n\":1}"), T0);
        Job due = new Job(job.id(), job.domain(), job.worker(), null, job.message(), null, null, false, false,
                JobOptions.NONE, JobState.QUEUED, 0, T0, null, null, runAt, null, null);
        store.insert(due, sortAt);
        return due;
    }

    private List<Job> claim(String worker, int limit, String owner, Instant now) {
        return tx.execute(s -> store.claim(worker, limit, owner, now));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
