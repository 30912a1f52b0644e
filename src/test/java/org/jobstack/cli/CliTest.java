package org.jobstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a running server: output, one-line errors, exit codes. */
class CliTest extends IntegrationTest {

    @TempDir
    Path passphraseDir;

    private String domain;

    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void setUp() throws Exception {
        domain = api.newInstance(null);
        Files.writeString(passphraseDir.resolve("admin-passphrase"), PASSPHRASE + "\n");
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--domain", domain, "--url", "http://127.0.0.1:" + api.port(),
                "--admin-url", "http://127.0.0.1:" + api.adminPort(), "--data-dir", passphraseDir.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = JobstackCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void should_install_an_app_and_print_its_services() {
        Run run = cli("apps", "install", "banks-lite", "file://examples/banks-lite");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("Installed banks-lite 1.0.0 (state ready)")
                .contains("service onOperationCreate: @event io.cozy.bank.operations:CREATED (trigger ");
    }

    @Test
    void should_fail_with_one_line_and_exit_1_when_the_server_refuses() {
        cli("apps", "install", "banks-lite", "examples/banks-lite");

        Run again = cli("apps", "install", "banks-lite", "examples/banks-lite");
        Run missing = cli("apps", "show", "nothing-here");

        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("error: Application banks-lite is already installed (HTTP 409)\n");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err().lines()).hasSize(1);
    }

    @Test
    void should_exit_3_when_the_server_is_down_and_4_when_the_passphrase_is_wrong() throws Exception {
        StringWriter err = new StringWriter();
        int down = JobstackCli.run(new String[]{"apps", "show", "x", "--url", "http://127.0.0.1:1",
                "--admin-url", "http://127.0.0.1:1", "--data-dir", passphraseDir.toString()},
                new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        Files.writeString(passphraseDir.resolve("admin-passphrase"), "wrong");
        Run unauthorised = cli("apps", "show", "x");

        assertThat(down).isEqualTo(3);
        assertThat(err.toString()).startsWith("error: cannot reach the server at http://127.0.0.1:1").hasLineCount(1);
        assertThat(unauthorised.code()).isEqualTo(4);
        assertThat(unauthorised.err()).contains("check the admin passphrase").hasLineCount(1);
    }

    @Test
    void should_show_a_job_and_its_logs() throws Exception {
        try (FakeStack stack = new FakeStack()) {
            api.admin("PATCH", "/instances/" + domain + "?StackURL=" + Api.enc(stack.url()), null);
            cli("apps", "install", "banks-lite", "examples/banks-lite");
            String jobId = api.admin("POST", "/instances/" + domain + "/events", """
                    {"verb":"CREATED","doctype":"io.cozy.bank.operations","doc":{"_id":"o","label":"rent","amount":-800}}""")
                    .json().path("jobs").get(0).asString();
            Jobs.awaitFinal(api, domain, api.cliToken(domain, "io.cozy.jobs"), jobId);

            Run show = cli("jobs", "show", jobId);
            Run logs = cli("jobs", "logs", jobId);

            assertThat(show.out()).startsWith("job " + jobId + "  worker service  state done");
            assertThat(logs.out()).contains("info    operation o \"rent\" (-800) -> housing");
        }
    }

    @Test
    void should_turn_paths_into_absolute_file_urls() {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertThat(AppsCommand.fileUrl("examples/x")).isEqualTo("file://" + cwd + "/examples/x");
        assertThat(AppsCommand.fileUrl("file://examples/x")).isEqualTo("file://" + cwd + "/examples/x");
        assertThat(AppsCommand.fileUrl("file:///abs/x")).isEqualTo("file:///abs/x");
        assertThat(AppsCommand.fileUrl("https://example.net/a.tar.gz")).isEqualTo("https://example.net/a.tar.gz");
    }
}
