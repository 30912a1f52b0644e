package org.jobstack.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.support.Api;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Triggers across a crash: a real server is killed with SIGKILL and restarted on the same data
 * folder. A due {@code @at} does not fire again, a missed cron fires once (no storm), an open
 * debounce window still closes into one job with its payloads, a pending {@code @in} keeps its time.
 */
class TriggerRestartTest {

    @TempDir
    Path dataDir;

    @Test
    void should_keep_triggers_and_debounce_windows_across_a_kill_9() throws Exception {
        int port = ServerProcess.freePort();
        int adminPort = ServerProcess.freePort();
        String domain = "restart.test";
        String cron;
        String webhook;
        String pending;
        String pendingRun;
        String at;
        Instant killedAt;
        try (ServerProcess first = ServerProcess.start(dataDir, port, adminPort)) {
            Api api = first.api();
            assertThat(api.admin("POST", "/instances?Domain=" + domain, null).status())
                    .isEqualTo(201);
            String token = api.cliToken(domain, "io.cozy.triggers io.cozy.jobs");
            cron = create(
                    api, domain, token, "{\"type\":\"@cron\",\"arguments\":\"*/2 * * * * *\",\"worker\":\"log\"}");
            webhook = create(api, domain, token, "{\"type\":\"@webhook\",\"worker\":\"log\",\"debounce\":\"4s\"}");
            pending = create(api, domain, token, "{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\"}");
            at = create(
                    api,
                    domain,
                    token,
                    "{\"type\":\"@at\",\"arguments\":\"" + Instant.now().plusSeconds(1)
                            + "\",\"worker\":\"log\",\"message\":\"at-marker\"}");
            pendingRun = attributes(api.call(domain, token, "GET", "/jobs/triggers/" + pending, null))
                    .path("next_run_at")
                    .asString();
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> api.call(domain, token, "GET", "/jobs/triggers/" + at, null)
                                            .status()
                                    == 404
                            && jobs(api, domain, token, cron).size() >= 1);
            assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + webhook, "{\"n\":1}")
                            .status())
                    .isEqualTo(204);
            assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + webhook, "{\"n\":2}")
                            .status())
                    .isEqualTo(204);
            first.kill9();
            killedAt = Instant.now();
        }
        Thread.sleep(7_000);

        try (ServerProcess second = ServerProcess.start(dataDir, port, adminPort)) {
            Api api = second.api();
            String token = api.cliToken(domain, "io.cozy.triggers io.cozy.jobs");
            await().atMost(Duration.ofSeconds(15))
                    .until(() -> jobs(api, domain, token, webhook).size() == 1);
            Thread.sleep(3_000);

            JsonNode debounced = jobs(api, domain, token, webhook).get(0).path("attributes");
            assertThat(debounced.path("payload")).isEqualTo(Api.JSON.readTree("{\"payloads\":[{\"n\":1},{\"n\":2}]}"));
            assertThat(debounced.path("debounced").asBoolean()).isTrue();
            assertThat(attributes(api.call(domain, token, "GET", "/jobs/triggers/" + pending, null))
                            .path("next_run_at")
                            .asString())
                    .as("@in computed once, at creation")
                    .isEqualTo(pendingRun);
            assertThat(api.call(domain, token, "GET", "/jobs/triggers/" + at, null)
                            .status())
                    .isEqualTo(404);
            List<Instant> cronRuns = new ArrayList<>();
            jobs(api, domain, token, cron)
                    .forEach(j -> cronRuns.add(
                            Instant.parse(j.path("attributes").path("queued_at").asString())));
            List<Instant> sinceCrash =
                    cronRuns.stream().filter(t -> t.isAfter(killedAt)).sorted().toList();
            assertThat(sinceCrash).as("runs made since the restart").isNotEmpty();
            long span = Duration.between(sinceCrash.get(0), sinceCrash.get(sinceCrash.size() - 1))
                    .toMillis();
            // queued_at lags the poll instant a little, so the run due just after the catch-up may look early
            assertThat(sinceCrash.size())
                    .as("one catch-up run, then every 2 s; not one per missed run: %s", sinceCrash)
                    .isLessThanOrEqualTo((int) (span / 2000) + 3);
            second.stop();
        }
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("jobstack"), "sa", "");
                ResultSet rs =
                        db.createStatement().executeQuery("SELECT COUNT(*) FROM job WHERE message = '\"at-marker\"'")) {
            rs.next();
            assertThat(rs.getInt(1))
                    .as("the @at fired once, not again after the restart")
                    .isEqualTo(1);
        }
        assertThat(Files.list(dataDir).filter(p -> p.getFileName().toString().startsWith("server-")))
                .hasSize(2);
    }

    private static String create(Api api, String domain, String token, String attributes) {
        Api.Response r =
                api.call(domain, token, "POST", "/jobs/triggers", "{\"data\":{\"attributes\":" + attributes + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("data").path("id").asString();
    }

    private static List<JsonNode> jobs(Api api, String domain, String token, String trigger) {
        List<JsonNode> jobs = new ArrayList<>();
        api.call(domain, token, "GET", "/jobs/triggers/" + trigger + "/jobs", null)
                .json()
                .path("data")
                .forEach(jobs::add);
        return jobs;
    }

    private static JsonNode attributes(Api.Response r) {
        return r.json().path("data").path("attributes");
    }
}
