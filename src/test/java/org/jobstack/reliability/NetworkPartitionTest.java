package org.jobstack.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
 * seconds and UP again, and every job ends done (or errored with a reason).
 */
class NetworkPartitionTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();
    private static final int JOBS = 8;

    @TempDir
    Path dir;

    @Test
    void should_answer_503_and_health_down_during_a_partition_then_finish_every_job() throws Exception {
        String domain = "partition.test";
        List<String> ids = new ArrayList<>();
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setDataDirectory(dir.resolve("pg"))
                        .start();
                TcpProxy network = TcpProxy.to(pg.getPort());
                FakeStack stack = new FakeStack();
                ServerContext node = ServerContext.start(
                        dir.resolve("data"),
                        Map.of(
                                "spring.datasource.url",
                                "jdbc:postgresql://localhost:" + network.port() + "/postgres",
                                "spring.datasource.username",
                                "postgres",
                                "spring.datasource.password",
                                "postgres",
                                "spring.datasource.hikari.data-source-properties.socketTimeout",
                                "3",
                                "jobstack.node.heartbeat-interval",
                                "500ms",
                                "jobstack.jobs.poll-interval",
                                "500ms",
                                "jobstack.jobs.workers.service.concurrency",
                                "4",
                                "jobstack.jobs.rate-limits.job-service",
                                "0"))) {
            Api api = node.api();
            String token = api.instanceWithApp(domain, stack.url(), "probe", PROBE);
            ids.addAll(OutageChecks.queueSleepyJobs(api, domain, token, JOBS));
            await().atMost(Duration.ofSeconds(30))
                    .until(() ->
                            stack.requests().stream().anyMatch(r -> r.path().equals("/report/start")));

            network.partition();
            long asked = System.nanoTime();
            Api.Response during = api.call(domain, token, "GET", "/jobs/queue/service", null);
            long tookMs = (System.nanoTime() - asked) / 1_000_000;

            assertThat(during.status()).as(during.body()).isEqualTo(503);
            assertThat(tookMs)
                    .as("answered within the socket timeout and the pool's connection timeout")
                    .isLessThan(10_000);
            OutageChecks.awaitHealthDown(api);

            network.heal();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.plainGet("/actuator/health").status() == 200);
            OutageChecks.awaitEachDoneOrErroredWithAReason(api, domain, token, ids);
        }
    }
}
