package org.jobstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jobstack.support.Api;
import org.jobstack.support.ClusterNode;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The README's "A 5-minute walkthrough" run as written, on the packaged jar: a README command that
 * breaks fails this test.
 *
 * <p>It runs in a temporary copy of the project folder ({@code bin/}, {@code config/}, {@code
 * examples/}, and {@code target/jobstack.jar} as a link to the packaged jar), so that the README's
 * relative paths ({@code bin/jobstack}, {@code examples/…}, {@code data/admin-passphrase}) work
 * unchanged while the server's {@code data/} folder and the launcher's extracted jar are made there:
 * nothing is left in the checkout, and a developer's own {@code data/} is neither read nor changed.
 * Step 5 writes {@code /tmp/op.json}, as the README says.
 *
 * <p>The README's fixed ports (8080, 6060, 8081) are replaced in its commands by free ports, as other
 * integration tests run at the same time; the server gets them through {@code SERVER_PORT} and
 * {@code JOBSTACK_ADMIN_PORT} (and listens on the loopback interface only), the CLI, whose defaults are
 * the README's ports, through {@code JOBSTACK_URL} and {@code JOBSTACK_ADMIN_URL}.
 *
 * <p>Block 1 (build, then start) becomes its start command alone, on the jar {@code package} built;
 * block 2 (the fake stack) runs in the background; the other blocks run in order in one bash ({@link
 * WalkthroughScript}), so that variables such as {@code $JOB} carry over. Every child process gets a
 * minimal environment (PATH, HOME, LANG and those settings): nothing of the test's own. The server
 * also gets {@code JDK_JAVA_OPTIONS} for a quicker start on a busy machine (C1 only, serial GC).
 */
class WalkthroughIT {

    private static final String BUILD_AND_START = "./mvnw -B -DskipTests package && java -jar target/jobstack.jar\n";
    /** Read by the {@code java} launcher: the server starts sooner, its command line stays the README's. */
    private static final String QUICK_START = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration WALK_TIMEOUT = Duration.ofSeconds(120);

    @TempDir
    Path root;

    private final int port = ServerProcess.freePort();
    private final int adminPort = ServerProcess.freePort();
    private final int stackPort = ServerProcess.freePort();

    private record Run(int exit, String out, String err) {}

    @Test
    void should_run_the_readmes_walkthrough_as_written() throws Exception {
        List<String> blocks = ReadmeWalkthrough.read(Path.of("README.md"))
                .withPorts(Map.of(8080, port, 6060, adminPort, 8081, stackPort))
                .blocks();
        assertThat(blocks.get(0)).isEqualTo(BUILD_AND_START);
        assertThat(blocks.get(1)).startsWith("node examples/fake-stack.js " + stackPort);
        Path project = projectCopy();
        String start =
                BUILD_AND_START.substring(BUILD_AND_START.indexOf("&& ") + 3).strip();

        try (Background server = Background.start(
                        project,
                        environment(Map.of(
                                "SERVER_PORT",
                                String.valueOf(port),
                                "JOBSTACK_ADMIN_PORT",
                                String.valueOf(adminPort),
                                "SERVER_ADDRESS",
                                "127.0.0.1",
                                "JDK_JAVA_OPTIONS",
                                QUICK_START)),
                        start,
                        root.resolve("server.log"));
                Background stack = Background.start(
                        project, environment(Map.of()), blocks.get(1), root.resolve("fake-stack.log"))) {
            // as a newcomer does: the instance is made just after the server answers its health check
            server.awaitOutput("Created default instance localhost", START_TIMEOUT);
            stack.awaitOutput("fake stack listening", Duration.ofSeconds(10));

            WalkthroughScript script = new WalkthroughScript(blocks.subList(2, blocks.size()));
            Run walk = walk(project, script);

            int failed = script.firstUnfinished(walk.out());
            assertThat(failed)
                    .as(() -> "this README block failed (exit " + walk.exit() + "):\n" + script.block(failed)
                            + "\nits output:\n" + script.output(walk.out(), failed)
                            + "\nits errors:\n" + script.output(walk.err(), failed)
                            + "\nserver log:\n" + server.tail(30))
                    .isEqualTo(-1);
            assertThat(walk.exit()).as(walk.err()).isZero();

            assertThat(out(script, walk, "-X PATCH"))
                    .as("the instance, without its token secret")
                    .contains("\"stack_url\":\"http://127.0.0.1:" + stackPort + "/\"")
                    .doesNotContain("token_secret");
            assertThat(out(script, walk, "apps install")).contains("Installed banks-lite");
            assertThat(out(script, walk, "/events")).contains("\"accepted\":1");
            assertThat(out(script, walk, "jobs logs")).contains("category 400140 saved", "state done");
            assertThat(stack.output()).contains("PUT /data/io.cozy.bank.operations/op1");
            assertThat(out(script, walk, "jobs run log")).containsPattern("(?m)^\\S+ info +hello$");
            assertThat(apps(out(script, walk, "/apps/banks-lite")))
                    .singleElement()
                    .satisfies(app -> assertThat(app.path("id").asString()).isEqualTo("io.cozy.apps/banks-lite"));
            assertThat(out(script, walk, "/cancel")).contains("is already done", "(HTTP 409)");
            assertThat(out(script, walk, "apps uninstall")).contains("Uninstalled banks-lite");
            assertThat(appStatusAfterwards(project))
                    .as("GET /apps/banks-lite after the clean-up")
                    .isEqualTo(404);
        }
    }

    /** JUnit would warn about the link to the jar when it deletes the folder. */
    @AfterEach
    void unlinkJar() throws IOException {
        Files.deleteIfExists(root.resolve("project/target/jobstack.jar"));
    }

    /** {@code bin/}, {@code config/}, {@code examples/} copied, the packaged jar linked. */
    private Path projectCopy() throws IOException {
        Path project = root.resolve("project");
        for (String folder : List.of("bin", "config", "examples")) {
            copyTree(Path.of(folder), project.resolve(folder));
        }
        Files.createDirectories(project.resolve("target"));
        Files.createSymbolicLink(project.resolve("target/jobstack.jar"), ClusterNode.JAR);
        Files.createDirectories(root.resolve("home"));
        return project;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private Run walk(Path project, WalkthroughScript script) throws Exception {
        Path file = Files.writeString(root.resolve("walkthrough.sh"), script.text());
        Path out = root.resolve("walkthrough.out");
        Path err = root.resolve("walkthrough.err");
        ProcessBuilder builder = inProject(
                        project,
                        environment(Map.of(
                                "JOBSTACK_URL",
                                "http://localhost:" + port,
                                "JOBSTACK_ADMIN_URL",
                                "http://127.0.0.1:" + adminPort)),
                        "bash",
                        file.toString())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        Process bash = builder.start();
        boolean ended = bash.waitFor(WALK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            killTree(bash);
        }
        return new Run(
                ended ? bash.exitValue() : -1,
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8) + (ended ? "" : "\n(killed after " + WALK_TIMEOUT + ")"));
    }

    private static String out(WalkthroughScript script, Run walk, String command) {
        return script.output(walk.out(), script.blockWith(command));
    }

    /** The {@code io.cozy.apps} documents among the JSON lines printed. */
    private static List<JsonNode> apps(String output) {
        return output.lines()
                .filter(line -> line.startsWith("{"))
                .map(line -> Api.JSON.readTree(line).path("data"))
                .filter(data -> data.path("type").asString().equals("io.cozy.apps"))
                .toList();
    }

    private int appStatusAfterwards(Path project) throws IOException {
        String passphrase = Files.readString(project.resolve("data/admin-passphrase"), StandardCharsets.UTF_8)
                .strip();
        Api api = new Api(port, adminPort, passphrase);
        return api.call("localhost", api.cliToken("localhost", "io.cozy.apps"), "GET", "/apps/banks-lite", null)
                .status();
    }

    /**
     * The child's environment: PATH (the test's JDK first, for {@code java}), a HOME of its own, a
     * UTF-8 locale, and {@code settings}; none of the test's variables, which may hold secrets.
     */
    private Map<String, String> environment(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":" + System.getenv("PATH"));
        env.put("HOME", root.resolve("home").toString());
        env.put("LANG", "C.UTF-8");
        env.putAll(settings);
        return env;
    }

    private static ProcessBuilder inProject(Path project, Map<String, String> environment, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(project.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        return builder;
    }

    private static void killTree(Process process) throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A command of the walkthrough left running (the server, the fake stack), its output in a file. */
    private record Background(Process process, Path log) implements AutoCloseable {

        static Background start(Path project, Map<String, String> environment, String command, Path log)
                throws IOException {
            Process process = inProject(project, environment, "bash", "-c", "exec " + command.strip())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new Background(process, log);
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        String tail(int lines) {
            try {
                List<String> all = output().lines().toList();
                return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }

        void awaitOutput(String text, Duration timeout) throws Exception {
            Instant deadline = Instant.now().plus(timeout);
            while (!output().contains(text)) {
                assertThat(process.isAlive()).as(() -> "exited:\n" + tail(20)).isTrue();
                assertThat(Instant.now())
                        .as(() -> "no '" + text + "' within " + timeout + ":\n" + tail(20))
                        .isBefore(deadline);
                Thread.sleep(100);
            }
        }

        /** SIGTERM (the server shuts down cleanly), then whatever is left is killed. */
        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                killTree(process);
            }
        }
    }
}
