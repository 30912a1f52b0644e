package org.jobstack.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jobstack.config.PrivateFiles;
import org.jobstack.support.Api;
import org.jobstack.support.FullDiskFilePath;
import org.jobstack.support.ServerContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * H2's disk fills up under a running node (every write to its files fails), then space comes
 * back: writes get a 503 that says why, nothing refused is half stored, health says DOWN then
 * UP, and the node takes writes again without a restart.
 */
class FullDiskTest {

    @TempDir
    Path dir;

    @AfterEach
    void free() {
        FullDiskFilePath.free();
    }

    @Test
    void should_refuse_writes_clearly_while_the_disk_is_full_and_recover_when_space_returns() throws Exception {
        FullDiskFilePath.register();
        Path data = PrivateFiles.createFolder(dir.resolve("data"));
        try (ServerContext node = ServerContext.start(
                data,
                Map.of(
                        "spring.datasource.url",
                        "jdbc:h2:fulldisk:" + data.resolve("jobstack") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE",
                        "jobstack.node.heartbeat-interval",
                        "500ms",
                        "jobstack.jobs.poll-interval",
                        "500ms"))) {
            Api api = node.api();
            String domain = api.newInstance(null);
            String token = api.cliToken(domain, "io.cozy.jobs");
            List<String> before = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                before.add(
                        queue(api, domain, token).json().path("data").path("id").asString());
            }

            FullDiskFilePath.fill();
            List<Api.Response> during = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                during.add(queue(api, domain, token));
            }

            assertThat(during).allSatisfy(r -> {
                assertThat(r.status())
                        .as(r.body() + " / " + r.raw().headers().map())
                        .isEqualTo(503);
                assertThat(r.header("Retry-After")).isNotNull();
            });
            assertThat(during)
                    .extracting(
                            r -> r.json().path("errors").get(0).path("detail").asString())
                    .as("a request whose own write failed says why; those after it find the database closed")
                    .allMatch(detail -> detail.startsWith("The database cannot write to its disk")
                            || detail.startsWith("The database is unavailable"));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.plainGet("/actuator/health").status() == 503);

            FullDiskFilePath.free();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> api.plainGet("/actuator/health").status() == 200);
            Api.Response after = queue(api, domain, token);
            assertThat(after.status()).as(after.body()).isEqualTo(202);
            List<String> expected = new ArrayList<>(before);
            expected.add(after.json().path("data").path("id").asString());
            JdbcClient jdbc = node.context().getBean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> jdbc.sql("SELECT COUNT(*) FROM job WHERE domain = ? AND state = 'done'")
                                    .param(domain)
                                    .query(Integer.class)
                                    .single()
                            == expected.size());
            assertThat(jdbc.sql("SELECT id FROM job WHERE domain = ?")
                            .param(domain)
                            .query(String.class)
                            .list())
                    .as("the jobs accepted before and after, none of those refused, each once")
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static Api.Response queue(Api api, String domain, String token) {
        return api.call(
                domain,
                token,
                "POST",
                "/jobs/queue/log",
                "{\"data\":{\"attributes\":{\"arguments\":{\"message\":\"hi\"}}}}");
    }
}
