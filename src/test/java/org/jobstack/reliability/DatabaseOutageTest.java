package org.jobstack.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.ServerContext;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PostgreSQL stopped under load, then started again, the node left running: requests that need
 * the database get a quick 503, health says DOWN at once and UP again, and every job ends done
 * (or errored with a reason), none left running. A trigger that came due and a debounce window
 * that closed during the outage each make their one job once the database is back.
 */
class DatabaseOutageTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();
    private static final int JOBS = 12;

    @TempDir
    Path dir;

    @Test
    void should_answer_503_and_health_down_during_an_outage_then_finish_every_job() throws Exception {
        int pgPort = ServerProcess.freePort();
        EmbeddedPostgres pg = postgres(pgPort);
        String domain = "outage.test";
        List<String> ids = new ArrayList<>();
        try (FakeStack stack = new FakeStack();
                ServerContext node = ServerContext.start(
                        dir.resolve("data"),
                        Map.of(
                                "spring.datasource.url", "jdbc:postgresql://localhost:" + pgPort + "/postgres",
                                "spring.datasource.username", "postgres",
                                "spring.datasource.password", "postgres",
                                "jobstack.node.heartbeat-interval", "500ms",
                                "jobstack.jobs.poll-interval", "500ms",
                                "jobstack.jobs.workers.service.concurrency", "4",
                                "jobstack.jobs.rate-limits.job-service", "0"))) {
            Api api = node.api();
            String token = api.instanceWithApp(domain, stack.url(), "probe", PROBE);
            ids.addAll(OutageChecks.queueSleepyJobs(api, domain, token, JOBS));
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            stack.requests().stream().anyMatch(r -> r.path().equals("/report/start")));
            String triggers = api.cliToken(domain, "io.cozy.triggers io.cozy.jobs");
            String dueDuring = trigger(
                    api,
                    domain,
                    triggers,
                    "{\"type\":\"@in\",\"arguments\":\"2s\","
                            + "\"worker\":\"log\",\"message\":{\"due\":\"during the outage\"}}");
            String debounced = trigger(
                    api,
                    domain,
                    triggers,
                    "{\"type\":\"@event\",\"arguments\":"
                            + "\"io.cozy.outage\",\"worker\":\"log\",\"debounce\":\"2s\"}");
            assertThat(api.admin(
                                    "POST",
                                    "/instances/" + domain + "/events",
                                    "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.outage\",\"doc\":{\"_id\":\"o1\"}}")
                            .status())
                    .isEqualTo(202);

            long dueAt = System.nanoTime() + Duration.ofSeconds(3).toNanos();
            pg.close();
            long asked = System.nanoTime();
            Api.Response during = api.call(domain, token, "GET", "/jobs/queue/service", null);
            long tookMs = (System.nanoTime() - asked) / 1_000_000;

            assertThat(during.status()).as(during.body()).isEqualTo(503);
            assertThat(during.header("Retry-After")).isEqualTo("5");
            assertThat(during.json().path("errors").get(0).path("status").asString())
                    .isEqualTo("503");
            assertThat(tookMs).as("answered within a few seconds").isLessThan(7_000);
            OutageChecks.awaitHealthDown(api);

            Thread.sleep(Math.max(0, (dueAt - System.nanoTime()) / 1_000_000)); // both came due while it was down
            pg = postgres(pgPort);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.plainGet("/actuator/health").status() == 200);
            assertThat(api.plainGet("/actuator/health").body()).contains("UP");
            String fresh = api.cliToken(domain, "io.cozy.jobs");
            JdbcClient jdbc = node.context().getBean(JdbcClient.class);
            for (String trigger : List.of(dueDuring, debounced)) {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> jdbc.sql("SELECT state FROM job WHERE trigger_id = ?")
                                .param(trigger)
                                .query(String.class)
                                .list()
                                .equals(List.of("done")));
            }
            OutageChecks.awaitEachDoneOrErroredWithAReason(api, domain, fresh, ids);
        } finally {
            pg.close();
        }
    }

    private static String trigger(Api api, String domain, String token, String attributes) {
        Api.Response r =
                api.call(domain, token, "POST", "/jobs/triggers", "{\"data\":{\"attributes\":" + attributes + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("data").path("id").asString();
    }

    /** PostgreSQL on its own folder, kept when it stops (a clean one would be deleted with it). */
    private EmbeddedPostgres postgres(int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("pg"))
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
    }
}
