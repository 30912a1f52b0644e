package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jobstack.job.Job;
import org.jobstack.job.JobQueue;
import org.jobstack.job.JobRequest;
import org.jobstack.job.JobStore;
import org.jobstack.job.run.JobDispatcher;
import org.jobstack.support.Api;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Service jobs run in standby processes: every test of {@link ServiceRunEndToEndTest} (the exact
 * environment, argv, working directory, logs and outcomes) again, each starting with the pool full,
 * and the pool's own behaviour.
 */
@TestPropertySource(properties = "jobstack.jobs.workers.service.standby=2")
class StandbyServiceRunTest extends ServiceRunEndToEndTest {

    @Autowired
    StandbyPool pool;

    @Autowired
    ExecSettings exec;

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    JobDispatcher dispatcher;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void poolIsFull() {
        awaitFullPool();
    }

    @Test
    void should_run_a_job_in_a_node_process_started_before_it() {
        install("probe", PROBE_APP);
        List<Long> waiting = pool.readyPids();

        JsonNode report = dump("s1");

        assertThat(waiting).contains(report.path("pid").asLong());
        assertThat(report.path("files").toString())
                .as("nothing of the hand-off is left for the service to see")
                .isEqualTo("[\"index.js\"]");
        assertThat(report.path("modules").toString())
                .as("the loader and its warm-up are not among the modules loaded")
                .isEqualTo(
                        Api.JSON.writeValueAsString(List.of(report.path("cwd").asString() + "/index.js")));
    }

    @Test
    void should_never_give_a_standby_process_a_second_job() {
        install("probe", PROBE_APP);
        List<Long> used = new ArrayList<>();

        for (int i = 0; i < 4; i++) {
            used.add(dump("n" + i).path("pid").asLong());
            awaitFullPool();
        }

        assertThat(used).doesNotHaveDuplicates();
        assertThat(used).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
        assertThat(pool.readyPids()).doesNotContainAnyElementsOf(used);
    }

    @Test
    void should_wait_for_its_job_on_a_fifo_of_its_own() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> waitingDirectories().stream()
                                .filter(dir -> isFifo(dir.resolve(StandbyProcess.WAKE)))
                                .count()
                        == 2);
    }

    @Test
    void should_prepare_a_job_started_at_once_while_it_is_stored_and_run_it_only_after() throws Exception {
        install("probe", PROBE_APP);
        List<Long> waiting = pool.readyPids();
        int before = stack.requests().size();
        awaitNoJobKnownToWait();

        Job job = CompletableFuture.supplyAsync(() -> tx().execute(s -> {
                    Job pushed = queue.push(dumpJob());
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> preparedDirectories().size() == 1);
                    sleep(500);
                    assertThat(stack.requests())
                            .as("nothing runs before the commit")
                            .hasSize(before);
                    return pushed;
                }))
                .get(30, TimeUnit.SECONDS);

        JsonNode done = Jobs.awaitFinal(api, domain, token, job.id());
        assertThat(done.path("state").asString()).isEqualTo("done");
        assertThat(waiting)
                .contains(Api.JSON
                        .readTree(stack.requests().get(before).body())
                        .path("pid")
                        .asLong());
    }

    @Test
    void should_discard_the_process_prepared_for_a_job_never_stored() {
        install("probe", PROBE_APP);
        int before = stack.requests().size();
        awaitNoJobKnownToWait();

        Job job = tx().execute(s -> {
            Job pushed = queue.push(dumpJob());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> preparedDirectories().size() == 1);
            s.setRollbackOnly();
            return pushed;
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> preparedDirectories().isEmpty());
        awaitFullPool();
        assertThat(store.find(job.id())).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job_log WHERE job_id = ?")
                        .param(job.id())
                        .query(Integer.class)
                        .single())
                .isZero();
        assertThat(stack.requests()).as("the service never ran").hasSize(before);
    }

    @Test
    void should_replace_a_standby_process_that_was_killed() {
        long victim = pool.readyPids().get(0);

        ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);

        await().atMost(Duration.ofSeconds(10))
                .until(() -> pool.readyPids().size() == 2 && !pool.readyPids().contains(victim));
        install("probe", PROBE_APP);
        assertThat(dump("k1").path("pid").asLong()).isNotEqualTo(victim);
    }

    @Test
    void should_kill_its_processes_and_delete_their_folders_when_stopped() throws IOException {
        List<Long> waiting = pool.readyPids();

        pool.stop();

        assertThat(waiting).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
        try (Stream<Path> left = Files.list(exec.runRoot())) {
            assertThat(left).isEmpty();
        }
        install("probe", PROBE_APP);
        assertThat(dump("w1").path("pid").asLong())
                .as("without standby processes a job starts its own")
                .isPositive();
        pool.start();
        awaitFullPool();
    }

    private JsonNode dump(String id) {
        int before = stack.requests().size();
        String jobId = postEvent("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.probes\",\"doc\":{\"_id\":\"" + id
                        + "\",\"action\":\"dump\"}}")
                .get(0);
        assertThat(Jobs.awaitFinal(api, domain, token, jobId).path("state").asString())
                .isEqualTo("done");
        return Api.JSON.readTree(stack.requests().get(before).body());
    }

    private TransactionTemplate tx() {
        return new TransactionTemplate(transactions);
    }

    private JobRequest dumpJob() {
        return JobRequest.to(domain, "service")
                .message("{\"slug\":\"probe\",\"name\":\"dump\"}")
                .build();
    }

    private void awaitNoJobKnownToWait() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !dispatcher.knowsOfWaitingJobs("service"));
    }

    /** The run directories where a service file waits for its job to be stored. */
    private List<Path> preparedDirectories() throws IOException {
        try (Stream<Path> dirs = Files.list(exec.runRoot())) {
            return dirs.filter(dir -> Files.exists(dir.resolve("index.js"))).toList();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run directories of the processes waiting now. */
    List<Path> waitingDirectories() throws IOException {
        return waitingDirectories(exec);
    }

    /**
     * The run directories of the standby processes waiting now under {@code exec}'s run root: the
     * loader has deleted itself and its warm-up files, and left nothing but its FIFO, if it made one.
     */
    static List<Path> waitingDirectories(ExecSettings exec) throws IOException {
        try (Stream<Path> dirs = Files.list(exec.runRoot())) {
            return dirs.filter(dir ->
                            List.of(List.of(), List.of(StandbyProcess.WAKE)).contains(fileNames(dir)))
                    .toList();
        }
    }

    static List<String> fileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of("?");
        }
    }

    static boolean isFifo(Path file) {
        try {
            return Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .isOther();
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitFullPool() {
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.readyPids().size() == 2);
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
