package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Nothing is lost in a crash: a real server is killed with SIGKILL in the middle of 120 queued
 * and running service jobs, then restarted. Each service reports its start and end (with its pid)
 * to the fake stack, which shows that no job ever ran twice at the same time, and that the
 * processes of the killed server died with it.
 */
abstract class AbstractJobCrashTest {

    static final int JOBS = 120;
    static final int LONG_JOBS = 4;
    static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    @TempDir
    Path dataDir;

    /** Extra server settings (the database). */
    abstract String[] databaseSettings();

    record Execution(String job, long pid, Instant start, Instant end) {}

    @Test
    void should_leave_every_job_done_or_errored_with_a_reason_after_a_kill_9() throws Exception {
        int port = ServerProcess.freePort();
        int adminPort = ServerProcess.freePort();
        String domain = "crash.test";
        List<String> ids = new ArrayList<>();
        Instant killedAt;
        try (FakeStack stack = new FakeStack()) {
            try (ServerProcess first = ServerProcess.start(dataDir, port, adminPort, settings())) {
                Api api = first.api();
                String token = api.instanceWithApp(domain, stack.url(), "probe", PROBE);
                for (int i = 0; i < JOBS; i++) {
                    Api.Response r = api.call(
                            domain,
                            token,
                            "POST",
                            "/jobs/queue/service",
                            "{\"data\":{\"attributes\":"
                                    + "{\"arguments\":{\"slug\":\"probe\",\"name\":\"sleepy\",\"fields\":{\"ms\":"
                                    + duration(i)
                                    + "}}}}}");
                    assertThat(r.status()).as(r.body()).isEqualTo(202);
                    ids.add(r.json().path("data").path("id").asString());
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> ends(stack) >= 20);
                first.kill9();
                killedAt = Instant.now();
                try (Stream<Path> left = Files.list(dataDir.resolve("run"))) {
                    assertThat(left)
                            .as("run directories of the jobs killed with the server")
                            .isNotEmpty();
                }
            }
            int endedBeforeCrash = ends(stack);

            try (ServerProcess second = ServerProcess.start(dataDir, port, adminPort, settings())) {
                Api api = second.api();
                String token = api.cliToken(domain, "io.cozy.jobs");
                await().atMost(Duration.ofMinutes(3))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> api.call(domain, token, "GET", "/jobs/queue/service", null)
                                        .json()
                                        .path("data")
                                        .size()
                                == 0);

                int done = 0;
                int retried = 0;
                for (String id : ids) {
                    JsonNode job = api.call(domain, token, "GET", "/jobs/" + id, null)
                            .json()
                            .path("data")
                            .path("attributes");
                    String state = job.path("state").asString();
                    retried += job.path("attempts").asInt() > 1 ? 1 : 0;
                    assertThat(state).as("job %s", id).isIn("done", "errored");
                    if (state.equals("errored")) {
                        assertThat(job.path("error").asString())
                                .as("reason of %s", id)
                                .isNotBlank();
                    } else {
                        done++;
                    }
                }
                assertThat(done).as("jobs retried to completion").isGreaterThan(JOBS - 10);
                assertThat(endedBeforeCrash).as("the crash happened mid-way").isLessThan(JOBS);
                assertThat(retried)
                        .as("jobs running at the crash were run again")
                        .isPositive();
                try (Stream<Path> left = Files.list(dataDir.resolve("run"))) {
                    assertThat(left)
                            .as("run directories of the killed server and of every run since")
                            .isEmpty();
                }
                second.stop();
            }
            assertNoJobRanTwiceAtOnce(executions(stack), killedAt);
        }
    }

    /** The first jobs run long: they are surely running when the server is killed. */
    private static int duration(int i) {
        return i < LONG_JOBS ? 15_000 : 200 + i % 7 * 100;
    }

    private String[] settings() {
        List<String> all = new ArrayList<>(List.of(
                "--jobstack.jobs.workers.service.concurrency=8",
                "--jobstack.jobs.workers.service.max-exec-count=3",
                "--jobstack.jobs.rate-limits.job-service=0",
                "--jobstack.jobs.retry-base-delay=200ms",
                "--jobstack.node.heartbeat-interval=1s",
                "--jobstack.node.lease-timeout=5s"));
        all.addAll(List.of(databaseSettings()));
        return all.toArray(String[]::new);
    }

    private static void assertNoJobRanTwiceAtOnce(List<Execution> executions, Instant killedAt) {
        Map<String, List<Execution>> byJob = new HashMap<>();
        executions.forEach(
                e -> byJob.computeIfAbsent(e.job(), k -> new ArrayList<>()).add(e));
        for (Execution e : executions) {
            if (e.start().isBefore(killedAt) && e.end() != null) {
                assertThat(e.end())
                        .as("a process of the killed server went on: %s", e)
                        .isBefore(killedAt.plusMillis(500));
            }
        }
        byJob.forEach((job, runs) -> {
            runs.sort((a, b) -> a.start().compareTo(b.start()));
            for (int i = 1; i < runs.size(); i++) {
                Execution previous = runs.get(i - 1);
                Instant previousEnd = previous.end() != null ? previous.end() : killedAt;
                assertThat(runs.get(i).start())
                        .as("job %s ran twice at once: %s", job, runs)
                        .isAfter(previousEnd);
            }
        });
    }

    private static int ends(FakeStack stack) {
        return (int) stack.requests().stream()
                .filter(r -> r.path().equals("/report/end"))
                .count();
    }

    private static List<Execution> executions(FakeStack stack) {
        Map<Long, Execution> byPid = new HashMap<>();
        for (FakeStack.Request r : stack.requests()) {
            if (!r.path().startsWith("/report/")) {
                continue;
            }
            JsonNode report = Api.JSON.readTree(r.body());
            long pid = report.path("pid").asLong();
            Instant at = Instant.ofEpochMilli(report.path("at").asLong());
            Execution known = byPid.get(pid);
            if (r.path().equals("/report/start")) {
                byPid.put(
                        pid, new Execution(report.path("job").asString(), pid, at, known == null ? null : known.end()));
            } else {
                byPid.put(
                        pid, new Execution(report.path("job").asString(), pid, known == null ? at : known.start(), at));
            }
        }
        return new ArrayList<>(byPid.values());
    }
}
