package org.jobstack.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.ServerContext;
import org.jobstack.support.TcpProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The network to PostgreSQL stops carrying anything while connections stay open (a partition:
 * no error, answers never come), then comes back, the node left running. Queries in flight fail
 * at pgjdbc's socket timeout instead of hanging; requests get 503, health says DOWN within
 * seconds and UP again, and every job ends done (or errored with a reason). Every connection cut
 * at once (closed under the node) costs at most the calls in flight.
 */
class NetworkPartitionTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();
    private static final int JOBS = 8;
    private static final String DOMAIN = "partition.test";

    @TempDir
    Path dir;

    @Test
    void should_answer_503_and_health_down_during_a_partition_then_finish_every_job() throws Exception {
        try (EmbeddedPostgres pg = postgres();
                TcpProxy network = TcpProxy.to(pg.getPort());
                FakeStack stack = new FakeStack();
                ServerContext node = ServerContext.start(dir.resolve("data"), settings(network))) {
            Api api = node.api();
            String token = api.instanceWithApp(DOMAIN, stack.url(), "probe", PROBE);
            List<String> ids = OutageChecks.queueSleepyJobs(api, DOMAIN, token, JOBS);
            awaitAJobStarted(stack);

            network.partition();
            long asked = System.nanoTime();
            Api.Response during = api.call(DOMAIN, token, "GET", "/jobs/queue/service", null);
            long tookMs = (System.nanoTime() - asked) / 1_000_000;

            assertThat(during.status()).as(during.body()).isEqualTo(503);
            assertThat(tookMs)
                    .as("answered within the socket timeout and the pool's connection timeout")
                    .isLessThan(10_000);
            OutageChecks.awaitHealthDown(api);

            network.heal();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.plainGet("/actuator/health").status() == 200);
            OutageChecks.awaitEachDoneOrErroredWithAReason(api, DOMAIN, token, ids);
        }
    }

    @Test
    void should_finish_every_job_when_every_connection_is_cut_under_load() throws Exception {
        try (EmbeddedPostgres pg = postgres();
                TcpProxy network = TcpProxy.to(pg.getPort());
                FakeStack stack = new FakeStack();
                ServerContext node = ServerContext.start(dir.resolve("data"), settings(network))) {
            Api api = node.api();
            String token = api.instanceWithApp(DOMAIN, stack.url(), "probe", PROBE);
            List<String> ids = OutageChecks.queueSleepyJobs(api, DOMAIN, token, JOBS);
            awaitAJobStarted(stack);

            network.cut();

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> api.call(DOMAIN, token, "GET", "/jobs/queue/service", null)
                                    .status()
                            == 200);
            OutageChecks.awaitEachDoneOrErroredWithAReason(api, DOMAIN, token, ids);
            assertThat(api.plainGet("/actuator/health").status()).isEqualTo(200);
        }
    }

    private EmbeddedPostgres postgres() throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
    }

    private static Map<String, String> settings(TcpProxy network) {
        return Map.of(
                "spring.datasource.url", "jdbc:postgresql://localhost:" + network.port() + "/postgres",
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "postgres",
                "spring.datasource.hikari.data-source-properties.socketTimeout", "3",
                "jobstack.node.heartbeat-interval", "500ms",
                "jobstack.jobs.poll-interval", "500ms",
                "jobstack.jobs.workers.service.concurrency", "4",
                "jobstack.jobs.rate-limits.job-service", "0");
    }

    private static void awaitAJobStarted(FakeStack stack) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stack.requests().stream().anyMatch(r -> r.path().equals("/report/start")));
    }
}
