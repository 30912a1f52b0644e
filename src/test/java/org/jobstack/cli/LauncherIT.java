package org.jobstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code bin/jobstack} launcher on the packaged jar: it prepares its extracted jar, a client
 * jar and a class-data archive once, then runs client commands from them (the archive really used), and
 * starts the server from the same extracted jar with its JVM options and an archive of the server's
 * classes; its client commands then talk to that server and exit with the CLI's codes.
 */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("bin/jobstack").toAbsolutePath();

    @TempDir
    Path cache;

    @Test
    void should_run_client_commands_from_its_prepared_jar_and_class_archive() throws Exception {
        Run help = run(Map.of(), "--help");

        assertThat(help.exit()).as(help.err()).isZero();
        assertThat(help.out()).startsWith("Usage: jobstack").contains("apps", "triggers", "jobs", "instances");
        assertThat(cache.resolve("cli.jsa")).exists();
        assertThat(cache.resolve("app/jobstack.jar")).exists();
        assertThat(cache.resolve("app/jobstack-client.jar")).exists();

        Run again = run(Map.of(), "--help");
        assertThat(again.out() + again.err())
                .as("the class-data archive is usable (the JVM warns on stdout)")
                .doesNotContain("shared archive", "warning");
        assertThat(again.out()).isEqualTo(help.out());

        Path loads = cache.resolveSibling("class-loads.log");
        Run watched = run(
                Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + loads + " -XshowSettings:properties"),
                "--version");
        assertThat(watched.err())
                .as("client commands run from the client jar, whose classpath holds only the client's libraries")
                .contains("java.class.path = " + cache.resolve("app/jobstack-client.jar"));
        assertThat(Files.readString(loads))
                .as("the archive holds the client's classes, picocli's too (only a static archive can)")
                .contains("org.jobstack.cli.JobstackCli source: shared objects file")
                .contains("picocli.CommandLine source: shared objects file")
                .contains("tools.jackson.databind.json.JsonMapper source: shared objects file");
    }

    @Test
    void should_serve_with_its_java_options_and_an_archive_of_the_servers_classes_and_talk_to_it_with_the_clis_codes(
            @TempDir Path data) throws Exception {
        int port = ServerProcess.freePort();
        int adminPort = ServerProcess.freePort();
        int feature = Runtime.version().feature();
        String suffix = feature >= 25 ? ".aot" : ".jsa";
        List<String> serve = List.of(
                "/usr/bin/env",
                "JOBSTACK_CLI_CACHE=" + cache,
                "JOBSTACK_JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
                "JOBSTACK_JAVA=" + Path.of(System.getProperty("java.home"), "bin", "java"),
                LAUNCHER.toString(),
                "serve",
                "--server.port=" + port,
                "--jobstack.admin.port=" + adminPort,
                "--jobstack.data-dir=" + data.resolve("data"),
                "--jobstack.admin.passphrase=" + IntegrationTest.PASSPHRASE,
                "--jobstack.instances.default-domain=");

        // One start: it records the archive (a throwaway start) and then serves from it. Using a
        // recorded archive again is the same exec without the recording, so a second start (a
        // minute and more of a busy suite) would prove little more. The launcher's client commands
        // then talk to this server.
        Path log = cache.getParent().resolve("serve.log");
        try (ServerProcess server = ServerProcess.start(serve, log, port, adminPort, Duration.ofMinutes(5))) {
            List<Path> archives;
            try (var found = Files.list(cache)) {
                archives = found.filter(path -> {
                            String name = path.getFileName().toString();
                            return name.startsWith("server-" + feature + "-") && name.endsWith(suffix);
                        })
                        .toList();
            }
            assertThat(archives)
                    .as("one archive, named after the java and the options it was recorded with")
                    .hasSize(1);
            assertThat(Files.readString(Path.of("/proc/" + server.pid() + "/maps")))
                    .as("the JVM mapped the archive")
                    .contains(archives.get(0).toString());
            assertThat(Files.readString(Path.of("/proc/" + server.pid() + "/cmdline")))
                    .as("the server's JVM options")
                    .contains("-XX:TieredStopAtLevel=1\0-XX:+UseSerialGC\0");

            Map<String, String> env = Map.of(
                    "JOBSTACK_URL",
                    "http://localhost:" + port,
                    "JOBSTACK_ADMIN_URL",
                    "http://127.0.0.1:" + adminPort,
                    "JOBSTACK_ADMIN_PASSPHRASE",
                    IntegrationTest.PASSPHRASE,
                    "JOBSTACK_DOMAIN",
                    "launcher.test");
            Run added = run(env, "instances", "add", "launcher.test");
            Run instances = run(env, "instances", "ls");
            Run unknown = run(env, "apps", "show", "nope");
            assertThat(added.exit()).as(added.err()).isZero();
            assertThat(instances.exit()).as(instances.err()).isZero();
            assertThat(instances.out()).contains("launcher.test");
            assertThat(unknown.exit()).isEqualTo(JobstackCli.NOT_FOUND);
            server.stop();
        }
        try (var left = Files.list(cache)) {
            assertThat(left.map(path -> path.getFileName().toString()))
                    .as("the recording's own database and folder are gone")
                    .noneMatch(name -> name.startsWith(".server."));
        }
        Run down = run(
                Map.of(
                        "JOBSTACK_URL",
                        "http://127.0.0.1:" + port,
                        "JOBSTACK_ADMIN_URL",
                        "http://127.0.0.1:" + adminPort,
                        "JOBSTACK_ADMIN_PASSPHRASE",
                        IntegrationTest.PASSPHRASE),
                "apps",
                "ls");
        assertThat(down.exit()).isEqualTo(JobstackCli.UNREACHABLE);
        assertThat(down.err().lines()).hasSize(1);
    }

    private record Run(int exit, String out, String err) {}

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JOBSTACK_CLI_CACHE", cache.toString());
        builder.environment().putAll(env);
        Path out = Files.createTempFile(cache.getParent(), "out", ".txt");
        Path err = Files.createTempFile(cache.getParent(), "err", ".txt");
        Process process =
                builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
