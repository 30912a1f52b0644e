package org.jobstack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jobstack apps dev --watch}: a build folder changed under a running watch. */
class AppsDevTest extends IntegrationTest {

    private static final Path EXAMPLE = Path.of("examples/banks-lite").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void should_install_then_update_at_each_change_print_what_changed_and_the_job_logs_and_keep_the_last_good_version()
            throws Exception {
        String domain = api.newInstance(null);
        Files.writeString(dir.resolve("admin-passphrase"), PASSPHRASE + "\n");
        Path build = copy(EXAMPLE, dir.resolve("build"));
        Files.writeString(dir.resolve("op.json"), "{\"_id\":\"op7\",\"label\":\"Metro\",\"amount\":-2}");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread dev = new Thread(() -> exit.set(JobstackCli.run(
                new String[] {
                    "apps",
                    "dev",
                    "banks-lite",
                    build.toString(),
                    "--watch",
                    "--quiet",
                    "200ms",
                    "--run",
                    "onOperationCreate",
                    "--event",
                    dir.resolve("op.json").toString(),
                    "--domain",
                    domain,
                    "--url",
                    "http://127.0.0.1:" + api.port(),
                    "--admin-url",
                    "http://127.0.0.1:" + api.adminPort(),
                    "--data-dir",
                    dir.toString()
                },
                new PrintWriter(out, true),
                new PrintWriter(err, true))));
        dev.start();
        try {
            awaitOutput(out, err, "Watching " + build);
            assertThat(out.toString())
                    .contains("Installed banks-lite 1.0.0")
                    .contains("+ service onOperationCreate: @event io.cozy.bank.operations:CREATED"
                            + " (services/onOperationCreate.js)");
            awaitOutput(out, err, " info    operation op7 \"Metro\" (-2) -> transport");

            assertThat(api.admin(
                                    "POST",
                                    "/instances/" + domain + "/events",
                                    "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.bank.operations\","
                                            + "\"doc\":{\"_id\":\"op8\",\"label\":\"Rent\",\"amount\":-800}}")
                            .status())
                    .isEqualTo(202);
            awaitOutput(out, err, " info    operation op8 \"Rent\" (-800) -> housing");

            String manifest = Files.readString(build.resolve("manifest.webapp"));
            Files.writeString(
                    build.resolve("manifest.webapp"),
                    manifest.replace("\"1.0.0\"", "\"1.1.0\"")
                            .replace(
                                    "\"services\": {",
                                    "\"services\": {\"second\": {\"type\": \"node\", \"file\":"
                                            + " \"/services/onOperationCreate.js\", \"trigger\":"
                                            + " \"@event io.cozy.notes:CREATED\"},"));
            awaitOutput(out, err, "+ service second: @event io.cozy.notes:CREATED (services/onOperationCreate.js)");
            assertThat(out.toString()).contains("Updated banks-lite 1.1.0");

            Files.writeString(build.resolve("manifest.webapp"), "{ not json");
            awaitOutput(out, err, "banks-lite 1.1.0 keeps running");
            assertThat(out.toString()).contains("Update failed: ");
            assertThat(api.call(domain, api.cliToken(domain, "io.cozy.apps"), "GET", "/apps/banks-lite", null)
                            .json()
                            .path("data")
                            .path("attributes")
                            .path("version")
                            .asString())
                    .isEqualTo("1.1.0");
        } finally {
            dev.interrupt();
            dev.join(10_000);
        }
        assertThat(dev.isAlive()).as("stopped").isFalse();
        assertThat(exit.get()).as(err.toString()).isZero();
    }

    private static void awaitOutput(StringWriter out, StringWriter err, String expected) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .failFast(() -> !err.toString().isEmpty())
                .untilAsserted(() -> assertThat(out.toString()).contains(expected));
    }

    private static Path copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
