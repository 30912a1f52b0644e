package org.jobstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jobstack.node.Nodes;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/** The client commands against a running server: output, one-line errors, exit codes. */
class CliTest extends IntegrationTest {

    @TempDir
    Path passphraseDir;

    @Autowired
    Nodes nodes;

    private String domain;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        domain = api.newInstance(null);
        Files.writeString(passphraseDir.resolve("admin-passphrase"), PASSPHRASE + "\n");
    }

    private Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(
                "--domain",
                domain,
                "--url",
                "http://127.0.0.1:" + api.port(),
                "--admin-url",
                "http://127.0.0.1:" + api.adminPort(),
                "--data-dir",
                passphraseDir.toString()));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = JobstackCli.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void should_install_an_app_and_print_its_services() {
        Run run = cli("apps", "install", "banks-lite", "file://examples/banks-lite");

        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out())
                .startsWith("banks-lite 1.0.0: installing\nbanks-lite 1.0.0: ready\n")
                .contains("Installed banks-lite 1.0.0 (state ready)")
                .contains("service onOperationCreate: @event io.cozy.bank.operations:CREATED (trigger ");
    }

    @Test
    void should_fail_with_one_line_and_exit_1_when_refused_and_6_when_not_found() {
        cli("apps", "install", "banks-lite", "examples/banks-lite");

        Run again = cli("apps", "install", "banks-lite", "examples/banks-lite");
        Run missing = cli("apps", "show", "nothing-here");

        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("error: Application banks-lite is already installed (HTTP 409)\n");
        assertThat(missing.code()).isEqualTo(JobstackCli.NOT_FOUND);
        assertThat(missing.err()).isEqualTo("error: Application nothing-here is not installed (HTTP 404)\n");
    }

    @Test
    void should_exit_3_when_a_followed_log_stream_ends_before_its_job() throws Exception {
        HttpServer leaving = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        leaving.createContext("/jobs/j1/logs", exchange -> {
            byte[] body = ("event: log\ndata: {\"data\":{\"attributes\":{\"time\":\"t\",\"level\":\"info\","
                            + "\"message\":\"first line\"}}}\n\n")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        leaving.start();
        try {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = JobstackCli.run(
                    new String[] {
                        "jobs",
                        "logs",
                        "j1",
                        "--follow",
                        "--domain",
                        domain,
                        "--url",
                        "http://127.0.0.1:" + leaving.getAddress().getPort(),
                        "--admin-url",
                        "http://127.0.0.1:" + api.adminPort(),
                        "--data-dir",
                        passphraseDir.toString()
                    },
                    new PrintWriter(out, true),
                    new PrintWriter(err, true));

            assertThat(code).isEqualTo(JobstackCli.UNREACHABLE);
            assertThat(out.toString()).contains("first line");
            assertThat(err.toString())
                    .contains("ended the stream before the job ended")
                    .hasLineCount(1);
        } finally {
            leaving.stop(0);
        }
    }

    @Test
    void should_exit_3_when_the_server_is_down_and_4_when_the_passphrase_is_wrong() throws Exception {
        StringWriter err = new StringWriter();
        int down = JobstackCli.run(
                new String[] {
                    "apps",
                    "show",
                    "x",
                    "--url",
                    "http://127.0.0.1:1",
                    "--admin-url",
                    "http://127.0.0.1:1",
                    "--data-dir",
                    passphraseDir.toString()
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        Files.writeString(passphraseDir.resolve("admin-passphrase"), "wrong");
        Run unauthorised = cli("apps", "show", "x");

        assertThat(down).isEqualTo(3);
        assertThat(err.toString())
                .startsWith("error: cannot reach the server at http://127.0.0.1:1")
                .hasLineCount(1);
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
                    .json()
                    .path("jobs")
                    .get(0)
                    .asString();
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

    @Test
    void should_update_list_and_uninstall_apps_showing_progress() throws Exception {
        Path v2 = Files.createDirectories(passphraseDir.resolve("v2/services"));
        Files.copy(Path.of("examples/banks-lite/services/onOperationCreate.js"), v2.resolve("onOperationCreate.js"));
        Files.writeString(
                v2.resolveSibling("manifest.webapp"),
                Files.readString(Path.of("examples/banks-lite/manifest.webapp")).replace("\"1.0.0\"", "\"1.1.0\""));
        cli("apps", "install", "banks-lite", "examples/banks-lite");

        Run updated = cli("apps", "update", "banks-lite", v2.getParent().toString());
        Run listed = cli("apps", "ls");
        Run uninstalled = cli("apps", "uninstall", "banks-lite");

        assertThat(updated.code()).as(updated.err()).isZero();
        assertThat(updated.out())
                .startsWith("banks-lite 1.0.0: upgrading\nbanks-lite 1.1.0: ready\n")
                .contains("Updated banks-lite 1.1.0 (state ready)");
        assertThat(listed.out()).matches("banks-lite +1\\.1\\.0 +ready\n");
        assertThat(uninstalled.out()).isEqualTo("Uninstalled banks-lite\n");
        assertThat(cli("apps", "ls").out()).isEmpty();
    }

    @Test
    void should_list_show_and_launch_triggers() {
        cli("apps", "install", "banks-lite", "examples/banks-lite");
        String triggerId = Api.JSON
                .readTree(cli("apps", "show", "banks-lite", "--json").out())
                .path("data")
                .path("attributes")
                .path("services")
                .path("onOperationCreate")
                .path("trigger_id")
                .asString();

        Run listed = cli("triggers", "ls", "--worker", "service");
        Run shown = cli("triggers", "show", triggerId);
        Run fromApp = cli("triggers", "show-from-app", "banks-lite");
        Run launched = cli("triggers", "launch", triggerId);

        assertThat(listed.out()).startsWith(triggerId + "  @event    io.cozy.bank.operations:CREATED");
        assertThat(shown.out()).isEqualTo(listed.out());
        assertThat(fromApp.out()).startsWith("onOperationCreate: " + triggerId);
        assertThat(launched.code()).isZero();
        assertThat(launched.out().strip()).matches("[0-9a-f]{32}");
    }

    @Test
    void should_run_a_job_follow_its_logs_and_exit_with_its_outcome() {
        Run done = cli("jobs", "run", "log", "--json", "{\"message\":\"hello from the cli\"}", "--logs");
        Run bad = cli("jobs", "run", "log", "--json", "{not json");
        Run listed = cli("jobs", "ls", "log");
        Run purged = cli("jobs", "purge-old-jobs", "--duration", "1D");

        assertThat(done.code()).as(done.err()).isZero();
        assertThat(done.out())
                .matches("job [0-9a-f]{32} queued\n\\S+ info +hello from the cli\njob [0-9a-f]{32} done\n");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--json is not valid JSON");
        assertThat(listed.code()).isZero();
        assertThat(purged.out()).matches("deleted \\d+ jobs\n");
    }

    @Test
    void should_exit_5_when_the_job_ends_errored() {
        Run failed = cli("jobs", "run", "service", "--json", "{\"slug\":\"nothing\",\"name\":\"x\"}");

        assertThat(failed.code()).isEqualTo(JobstackCli.JOB_ERRORED);
        assertThat(failed.out()).contains("errored: Application is not installed");
    }

    @Test
    void should_print_the_first_items_of_a_listing_and_say_when_more_follow() {
        String token = api.cliToken(domain, TriggersCommand.SCOPE);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(api.call(
                            domain,
                            token,
                            "POST",
                            "/jobs/triggers",
                            "{\"data\":{\"attributes\":{\"type\":\"@every\",\"arguments\":\"" + (i + 1)
                                    + "h\",\"worker\":\"log\"}}}")
                    .json()
                    .path("data")
                    .path("id")
                    .asString());
        }

        Run two = cli("triggers", "ls", "--limit", "2");
        Run five = cli("triggers", "ls", "--limit", "5");
        Run all = cli("triggers", "ls", "--all");
        Run none = cli("triggers", "ls", "--limit", "0");

        assertThat(two.code()).as(two.err()).isZero();
        assertThat(two.out().lines()).hasSize(2);
        assertThat(two.err()).contains("the first 2 shown").contains("--all");
        assertThat(five.out().lines().map(line -> line.substring(0, 32))).containsExactlyInAnyOrderElementsOf(created);
        assertThat(five.err())
                .as("nothing more to tell when the page held every one")
                .isEmpty();
        assertThat(all.out()).isEqualTo(five.out());
        assertThat(all.err()).isEmpty();
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("--limit must be at least 1");
    }

    @Test
    void should_manage_instances_through_the_admin_api() {
        String other = "cli-" + System.nanoTime() + ".test";

        Run added = cli("instances", "add", other, "--locale", "fr", "--stack-url", "https://alice.example.net/");
        Run listed = cli("instances", "ls", "--all");
        Run shown = cli("instances", "show", other);
        Run token = cli("instances", "token", other, "--scope", "io.cozy.jobs");
        Run rotated = cli("instances", "rotate-secret", other);
        Run removed = cli("instances", "rm", other);

        assertThat(added.out()).matches(other + " +fr +https://alice.example.net/\n");
        assertThat(listed.out()).contains(other);
        assertThat(shown.out()).contains("\"locale\" : \"fr\"").doesNotContain("token_secret");
        assertThat(token.out().strip().split("\\.")).hasSize(3);
        assertThat(Base64.getDecoder().decode(rotated.out().strip())).hasSize(64);
        assertThat(removed.out()).isEqualTo("Deleted " + other + "\n");
        assertThat(cli("instances", "show", other).code()).isEqualTo(JobstackCli.NOT_FOUND);
    }

    @Test
    void should_list_drain_and_undrain_nodes_through_the_admin_api() {
        String self = nodes.selfId();
        try {
            Run drained = cli("nodes", "drain", self);
            Run listed = cli("nodes", "ls");
            Run json = cli("nodes", "ls", "--json");
            Run undrained = cli("nodes", "undrain", self);

            assertThat(drained.code()).isZero();
            assertThat(drained.out()).startsWith(self).contains(" draining ");
            assertThat(listed.out()).contains(self).contains(" draining ").contains("running ");
            assertThat(json.out().strip()).startsWith("{").contains("\"state\":\"draining\"");
            assertThat(undrained.out()).startsWith(self).contains(" active ");
            assertThat(cli("nodes", "drain", "nobody").code()).isEqualTo(JobstackCli.NOT_FOUND);
        } finally {
            nodes.undrain(self);
        }
    }

    @Test
    void should_print_the_next_runs_of_a_spec_and_of_a_saved_trigger() {
        String token = api.cliToken(domain, "io.cozy.triggers");
        String id = api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/triggers",
                        "{\"data\":{\"attributes\":{\"type\":\"@every\",\"arguments\":\"2h\",\"worker\":\"log\"}}}")
                .json()
                .path("data")
                .path("id")
                .asString();

        Run spec = cli("triggers", "next", "@cron 0 0 9 * * 1-5", "-n", "3", "--tz", "Asia/Tokyo");
        Run saved = cli("triggers", "next", id, "-n", "2");
        Run once = cli("triggers", "next", "@in 1h");
        Run never = cli("triggers", "next", "@cron 0 0 0 30 2 *");

        assertThat(spec.code()).as(spec.err()).isZero();
        List<String> lines = spec.out().lines().toList();
        assertThat(lines).hasSize(4).last().isEqualTo("time zone Asia/Tokyo");
        assertThat(lines.subList(0, 3)).allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT00:00:00Z"), "09:00 in Tokyo");
        List<String> two = saved.out().lines().limit(2).toList();
        assertThat(Duration.between(Instant.parse(two.get(0)), Instant.parse(two.get(1))))
                .isEqualTo(Duration.ofHours(2));
        assertThat(once.out()).contains("(runs once)");
        assertThat(never.code()).isEqualTo(1);
        assertThat(never.err()).contains("never fires");
    }

    @Test
    void should_check_and_fix_service_triggers_of_one_or_every_instance() {
        cli("apps", "install", "banks-lite", "examples/banks-lite");
        String token = api.cliToken(domain, "io.cozy.triggers io.cozy.apps");
        String ghost = api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/triggers",
                        "{\"data\":{\"attributes\":{\"type\":\"@event\",\"arguments\":\"io.cozy.x\","
                                + "\"worker\":\"service\",\"message\":{\"slug\":\"ghost\",\"name\":\"x\"}}}}")
                .json()
                .path("data")
                .path("id")
                .asString();

        Run found = cli("check", "triggers", domain);
        Run fixed = cli("fix", "service-triggers", domain);
        Run everywhere = cli("check", "triggers", "--all-domains");

        assertThat(found.code()).as(found.err()).isZero();
        assertThat(found.out())
                .startsWith(domain + ": 1 finding\n")
                .contains("orphan  trigger " + ghost + ": app ghost is not installed");
        assertThat(fixed.out()).isEqualTo(domain + ": 0 recreated, 0 updated, 1 deleted\n");
        assertThat(everywhere.code()).isZero();
        assertThat(everywhere.out()).contains(domain + ": 0 findings\n");
        assertThat(cli("fix", "service-triggers").code())
                .as("a domain or --all-domains")
                .isEqualTo(2);
        assertThat(cli("check", "triggers", domain, "--all-domains").code()).isEqualTo(2);
        assertThat(cli("fix", "service-triggers", "nowhere.test").code()).isEqualTo(JobstackCli.NOT_FOUND);
    }

    @Test
    void should_explain_an_event_from_a_file_and_a_webhook_call() throws Exception {
        String token = api.cliToken(domain, "io.cozy.triggers");
        String watcher = created(token, "@event", "io.cozy.notes:CREATED");
        String hook = created(token, "@webhook", "");
        Path event = passphraseDir.resolve("event.json");
        Files.writeString(event, "{\"verb\":\"UPDATED\",\"doctype\":\"io.cozy.notes\",\"doc\":{\"_id\":\"n1\"}}");

        Run explained = cli("events", "explain", event.toString());
        Run webhook = cli("events", "explain-webhook", hook);
        Run missing =
                cli("events", "explain", passphraseDir.resolve("none.json").toString());

        assertThat(explained.code()).as(explained.err()).isZero();
        assertThat(explained.out())
                .startsWith("UPDATED io.cozy.notes n1: 1 trigger(s) watching\n")
                .contains("  no     " + watcher + " @event io.cozy.notes:CREATED (log)")
                .contains("verb UPDATED not listed (CREATED)");
        assertThat(webhook.out()).contains("  fires  " + hook, "a call: a job is queued at once");
        assertThat(missing.code()).isEqualTo(2);
    }

    private String created(String token, String type, String arguments) {
        return api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/triggers",
                        "{\"data\":{\"attributes\":{\"type\":\"" + type + "\",\"arguments\":\"" + arguments
                                + "\",\"worker\":\"log\"}}}")
                .json()
                .path("data")
                .path("id")
                .asString();
    }

    @Test
    void should_run_a_service_once_in_the_foreground_with_its_environment() throws Exception {
        try (FakeStack stack = new FakeStack()) {
            Path event = Files.writeString(
                    passphraseDir.resolve("event.json"), "{\"_id\":\"o1\",\"label\":\"rent\",\"amount\":-800}");

            Run run = cli(
                    "run-dev",
                    "-m",
                    "examples/banks-lite/manifest.webapp",
                    "examples/banks-lite/services/onOperationCreate.js",
                    "--event",
                    event.toString(),
                    "--stack-url",
                    stack.url(),
                    "--token",
                    "dev-token");

            assertThat(run.code()).as(run.out() + run.err()).isZero();
            assertThat(run.out()).contains("info    operation o1 \"rent\" (-800) -> housing");
            assertThat(stack.requests()).isNotEmpty();
            assertThat(stack.requests().get(0).header("Authorization")).isEqualTo("Bearer dev-token");
        }
    }

    @Test
    void should_give_help_on_every_command_and_a_completion_script() {
        ArrayDeque<picocli.CommandLine> todo = new ArrayDeque<>(List.of(JobstackCli.commandLine()));
        int helped = 0;
        while (!todo.isEmpty()) {
            picocli.CommandLine command = todo.pop();
            todo.addAll(command.getSubcommands().values().stream()
                    .filter(c -> !c.getCommandName().equals("help"))
                    .toList());
            List<String> path = new ArrayList<>();
            for (picocli.CommandLine c = command; c.getParent() != null; c = c.getParent()) {
                path.add(0, c.getCommandName());
            }
            path.add("--help");
            StringWriter out = new StringWriter();
            int code = JobstackCli.run(
                    path.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(new StringWriter()));
            assertThat(code).as(String.join(" ", path)).isZero();
            assertThat(out.toString()).as(String.join(" ", path)).startsWith("Usage: jobstack");
            helped++;
        }
        assertThat(helped).isGreaterThan(20);
        StringWriter script = new StringWriter();
        assertThat(JobstackCli.run(
                        new String[] {"completion"},
                        new PrintWriter(script, true),
                        new PrintWriter(new StringWriter())))
                .isZero();
        assertThat(script.toString()).contains("complete -F", "jobstack", "run-dev", "purge-old-jobs");
    }
}
