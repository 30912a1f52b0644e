package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The wrappers shipped in config/, run as Jobstack runs them: a clean environment, the run directory as $1. */
class WrapperScriptsTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path run;

    @TempDir
    Path elsewhere;

    record Result(int code, String out, String err) {}

    @Test
    void should_run_the_run_directory_with_node() throws Exception {
        Files.writeString(
                run.resolve("index.js"), "console.log(JSON.stringify({cwd: process.cwd(), argv: process.argv}))");

        Result r = run("config/node-run.sh", run.toString());

        assertThat(r.code()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).path("argv").get(1).asString()).isEqualTo(run.toString());
    }

    @Test
    void should_refuse_a_missing_run_directory() throws Exception {
        Result r = run("config/node-run.sh", run.resolve("missing").toString());

        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("usage");
    }

    @Test
    void should_sandbox_the_process_with_bubblewrap() throws Exception {
        assumeTrue(bubblewrapWorks(), "bubblewrap is not installed or cannot create namespaces here");
        Path secret = Files.writeString(elsewhere.resolve("secret.txt"), "server secret");
        Files.writeString(run.resolve("index.js"), """
                const fs = require('fs')
                let read = 'no'
                try { read = fs.readFileSync(process.argv[2] || '', 'utf8') } catch (e) { read = 'refused' }
                fs.writeFileSync('written.txt', 'ok')
                let outside = 'refused'
                try { fs.writeFileSync('/usr/jobstack-escape', 'x'); outside = 'written' } catch (e) {}
                console.log(JSON.stringify({pid: process.pid, read, outside}))
                """.replace("process.argv[2] || ''", "'" + secret + "'"));

        Result r = run("config/bwrap-node-run.sh", run.toString());

        assertThat(r.code()).as(r.err()).isZero();
        JsonNode report = JSON.readTree(r.out());
        assertThat(report.path("read").asString())
                .as("files outside the run directory")
                .isEqualTo("refused");
        assertThat(report.path("outside").asString()).as("writes to the system").isEqualTo("refused");
        assertThat(report.path("pid").asInt()).as("a PID namespace of its own").isLessThan(10);
        assertThat(Files.readString(run.resolve("written.txt"))).isEqualTo("ok");
    }

    static boolean bubblewrapWorks() {
        try {
            Process p = new ProcessBuilder("bwrap", "--ro-bind", "/", "/", "--unshare-pid", "true").start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException notInstalled) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Result run(String script, String argument) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(Path.of(script).toAbsolutePath().toString(), argument);
        builder.environment().clear();
        builder.environment()
                .put(
                        "PATH",
                        ExecSettings.resolve("node")
                                        .map(n -> Path.of(n).getParent() + ":")
                                        .orElse("") + "/usr/local/bin:/usr/bin:/bin");
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out, err);
    }
}
