package org.jobstack.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.Jobs;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** What the server writes on disk is its user's only, whatever the umask, and runs leave nothing behind. */
class PrivateFilesTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void should_write_only_private_files_under_any_umask_and_leave_no_run_directory_behind() throws Exception {
        Path data = dir.resolve("data");
        String domain = "private.test";
        try (FakeStack stack = new FakeStack();
                ServerProcess server = ServerProcess.startUnderUmask(
                        "000",
                        data,
                        dir.resolve("server.log"),
                        ServerProcess.freePort(),
                        ServerProcess.freePort(),
                        "--jobstack.jobs.workers.service.timeout=3s",
                        "--jobstack.jobs.workers.service.max-exec-count=1",
                        "--jobstack.jobs.rate-limits.job-service=0")) {
            Api api = server.api();
            api.admin("POST", "/instances?Domain=" + domain + "&StackURL=" + Api.enc(stack.url()), null);
            String token = api.cliToken(domain, "io.cozy.jobs io.cozy.apps");
            Api.Response installed = api.call(
                    domain,
                    token,
                    "POST",
                    "/apps/probe?Source=" + Api.enc(PROBE.toUri().toString()),
                    null);
            assertThat(installed.status()).as(installed.body()).isEqualTo(202);

            Map<String, String> outcomes = new TreeMap<>();
            for (String run : List.of("manual", "fail", "sleepy")) {
                String fields = run.equals("sleepy") ? ",\"fields\":{\"ms\":60000}" : "";
                Api.Response queued = api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/queue/service",
                        "{\"data\":{\"attributes\":{\"arguments\":{\"slug\":\"probe\",\"name\":\"" + run + "\"" + fields
                                + "}}}}");
                String id = queued.json().path("data").path("id").asString();
                JsonNode job = Jobs.awaitFinal(api, domain, token, id);
                outcomes.put(run, job.path("state").asString());
            }

            assertThat(outcomes)
                    .as("one run done, one failed, one killed at its time limit")
                    .containsExactly(
                            Map.entry("fail", "errored"), Map.entry("manual", "done"), Map.entry("sleepy", "errored"));
            try (Stream<Path> left = Files.list(data.resolve("run"))) {
                assertThat(left).as("run directories left behind").isEmpty();
            }
            server.stop();
        }

        Map<String, String> open = new TreeMap<>();
        try (Stream<Path> all = Files.walk(data)) {
            all.forEach(p -> {
                String mode = mode(p);
                if (mode.substring(3).chars().anyMatch(c -> c != '-')) {
                    open.put(data.relativize(p).toString(), mode);
                }
            });
        }
        assertThat(open).as("files and folders others may read").isEmpty();
        assertThat(mode(data)).isEqualTo("rwx------");
        for (String written : List.of("jobstack.mv.db", "jobstack.log", "secret-key", "node-id")) {
            assertThat(mode(data.resolve(written))).as(written).isEqualTo("rw-------");
        }
        assertThat(data.resolve("cache/apps")).isDirectory();
    }

    @Test
    void should_refuse_a_data_directory_others_can_read_in_a_few_clear_lines_and_write_nothing_in_it()
            throws Exception {
        Path data = Files.createDirectory(
                dir.resolve("open"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-x---")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        Process process = new ProcessBuilder(
                        ServerProcess.command(data, ServerProcess.freePort(), ServerProcess.freePort()))
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isNotZero();
        assertThat(out)
                .contains("The data directory " + data + " can be read by other users (rwxr-x---)")
                .contains("Run: chmod 700 " + data)
                .doesNotContain("\tat ");
        try (Stream<Path> written = Files.list(data)) {
            assertThat(written).isEmpty();
        }
    }

    private static String mode(Path p) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
            return PosixFilePermissions.toString(permissions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
