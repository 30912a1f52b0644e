package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.PrivateFilesCheck;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * On SIGTERM a node stops claiming, lets running jobs finish within the grace period, then stops
 * the rest and gives them back to the queue without counting the interrupted attempt.
 */
class GracefulShutdownTest {

    static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    @TempDir
    Path dir;

    /** Not made by the test: the first server creates it, under umask 000. */
    Path dataDir;

    @Test
    void should_finish_short_jobs_give_long_ones_back_on_shutdown_and_write_only_private_files() throws Exception {
        dataDir = dir.resolve("data");
        int port = ServerProcess.freePort();
        int adminPort = ServerProcess.freePort();
        String domain = "graceful.test";
        String shortJob;
        String longJob;
        try (FakeStack stack = new FakeStack()) {
            try (ServerProcess server = ServerProcess.startUnderUmask(
                    "000",
                    dataDir,
                    dir.resolve("first-server.log"),
                    port,
                    adminPort,
                    "--jobstack.jobs.shutdown-grace=3s",
                    "--jobstack.exec.kill-grace=1s")) {
                Api api = server.api();
                String token = api.instanceWithApp(domain, stack.url(), "probe", PROBE);
                shortJob = push(api, domain, token, 1500);
                longJob = push(api, domain, token, 8_000);
                await().atMost(Duration.ofSeconds(20)).until(() -> reports(stack, "/report/start") == 2);

                server.stop();
            }
            assertThat(reports(stack, "/report/end"))
                    .as("the short job finished during the grace period")
                    .isEqualTo(1);
            try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("jobstack"), "sa", "")) {
                assertThat(row(db, shortJob)).isEqualTo("done 1");
                assertThat(row(db, longJob))
                        .as("given back, the interrupted attempt not counted")
                        .isEqualTo("queued 0");
            }

            try (ServerProcess again = ServerProcess.start(dataDir, port, adminPort)) {
                Api api = again.api();
                String token = api.cliToken(domain, "io.cozy.jobs");
                await().atMost(Duration.ofSeconds(90))
                        .until(() -> attributes(api, domain, token, longJob)
                                .path("state")
                                .asString()
                                .equals("done"));
                assertThat(attributes(api, domain, token, longJob)
                                .path("attempts")
                                .asInt())
                        .isEqualTo(1);
            }
        }
        assertThat(PrivateFilesCheck.openToOthers(
                        dataDir, p -> p.getFileName().toString().startsWith("server-")))
                .as("files and folders of the data directory that others may read (umask 000)")
                .isEmpty();
        for (String written : List.of("jobstack.mv.db", "jobstack.log", "secret-key", "node-id")) {
            assertThat(PrivateFilesCheck.mode(dataDir.resolve(written)))
                    .as(written)
                    .isEqualTo("rw-------");
        }
        assertThat(PrivateFilesCheck.mode(dataDir)).isEqualTo("rwx------");
        assertThat(dataDir.resolve("cache/apps")).isDirectory();
    }

    @Test
    void should_end_open_log_and_dashboard_streams_instead_of_waiting_for_them_on_shutdown() throws Exception {
        int port = ServerProcess.freePort();
        int adminPort = ServerProcess.freePort();
        String domain = "streams.test";
        try (ServerProcess server = ServerProcess.start(dir, port, adminPort)) {
            Api api = server.api();
            api.admin("POST", "/instances?Domain=" + domain, null);
            String token = api.cliToken(domain, "io.cozy.jobs");
            String clientJob = api.call(
                            domain,
                            token,
                            "POST",
                            "/jobs/queue/client",
                            "{\"data\":{\"attributes\":" + "{\"arguments\":{}}}}")
                    .json()
                    .path("data")
                    .path("id")
                    .asString();
            HttpClient http = HttpClient.newHttpClient();
            String cookie = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/dashboard/login"))
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(
                                            "passphrase=" + IntegrationTest.PASSPHRASE))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .headers()
                    .firstValue("Set-Cookie")
                    .orElseThrow()
                    .split(";")[0];
            var logs = http.sendAsync(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + port + "/jobs/" + clientJob + "/logs?follow=true"))
                            .header("Host", domain)
                            .header("Authorization", "Bearer " + token)
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            var dashboard = http.sendAsync(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + adminPort + "/dashboard/stream?view=overview"))
                            .header("Cookie", cookie)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            Thread.sleep(1500);
            assertThat(logs).as("following the logs of a job still running").isNotDone();
            assertThat(dashboard).as("a dashboard page still open").isNotDone();

            long start = System.nanoTime();
            server.stop();
            Duration stopping = Duration.ofNanos(System.nanoTime() - start);

            assertThat(stopping)
                    .as("Tomcat's graceful shutdown waits up to 30 s for open requests")
                    .isLessThan(Duration.ofSeconds(15));
            assertThat(logs.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(dashboard.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
    }

    private static String push(Api api, String domain, String token, int ms) {
        Api.Response r = api.call(
                domain,
                token,
                "POST",
                "/jobs/queue/service",
                "{\"data\":{\"attributes\":{\"arguments\":"
                        + "{\"slug\":\"probe\",\"name\":\"sleepy\",\"fields\":{\"ms\":" + ms + "}}}}}");
        assertThat(r.status()).isEqualTo(202);
        return r.json().path("data").path("id").asString();
    }

    private static JsonNode attributes(Api api, String domain, String token, String id) {
        return api.call(domain, token, "GET", "/jobs/" + id, null)
                .json()
                .path("data")
                .path("attributes");
    }

    private static long reports(FakeStack stack, String path) {
        return stack.requests().stream().filter(r -> r.path().equals(path)).count();
    }

    private static String row(Connection db, String id) throws Exception {
        try (ResultSet rs =
                db.createStatement().executeQuery("SELECT state, attempts FROM job WHERE id = '" + id + "'")) {
            rs.next();
            return rs.getString(1) + " " + rs.getInt(2);
        }
    }
}
