package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jobstack.job.JobStore;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Node execution as the reference describes it (§8): konnector environment and files, the
 * outcome rules, large payloads, floods of output, and stopping a whole process tree on timeout
 * and on cancel.
 */
class NodeExecutionTest extends IntegrationTest {

    static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();
    static final Path KPROBE = Path.of("src/test/resources/konnectors/kprobe").toAbsolutePath();

    FakeStack stack;
    String domain;
    String token;

    @BeforeEach
    void setUp() throws Exception {
        stack = new FakeStack();
        domain = api.newInstance(stack.url());
        token = api.cliToken(domain, "io.cozy.jobs io.cozy.apps io.cozy.konnectors io.cozy.triggers");
    }

    @Autowired
    ExecSettings exec;

    @Autowired
    JobStore jobStore;

    /** However a run ended (done, errored, killed at its time limit, cancelled), its folder is gone. */
    @AfterEach
    void tearDown() {
        stack.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            try (Stream<Path> left = Files.list(exec.runRoot())) {
                assertThat(left).as("run directories left behind").isEmpty();
            }
        });
    }

    @Test
    void should_give_a_konnector_its_folder_and_exactly_its_cozy_environment() {
        installKonnector();
        String message =
                "{\"konnector\":\"kprobe\",\"account\":\"acc1\",\"folder_to_save\":\"dir1\",\"mode\":\"dump\"}";

        String id = push("konnector", message, true);
        assertThat(Jobs.awaitFinal(api, domain, token, id).path("state").asString())
                .isEqualTo("done");

        JsonNode report = Api.JSON.readTree(request("/probe/konnector").body());
        JsonNode env = report.path("env");
        assertThat(new TreeSet<>(env.propertyNames()))
                .containsExactlyElementsOf(new TreeSet<>(Set.of(
                        "COZY_URL",
                        "COZY_CREDENTIALS",
                        "COZY_FIELDS",
                        "COZY_PARAMETERS",
                        "COZY_PAYLOAD",
                        "COZY_LANGUAGE",
                        "COZY_LOCALE",
                        "COZY_TIME_LIMIT",
                        "COZY_JOB_ID",
                        "COZY_JOB_MANUAL_EXECUTION",
                        "PATH",
                        "HOME",
                        "TMPDIR")));
        assertThat(Api.JSON.readTree(env.path("COZY_FIELDS").asString())).isEqualTo(Api.JSON.readTree(message));
        assertThat(Api.JSON.readTree(env.path("COZY_PARAMETERS").asString()))
                .isEqualTo(Api.JSON.readTree("{\"mode\":\"test\",\"retries\":3}"));
        assertThat(env.path("COZY_LANGUAGE").asString()).isEqualTo("node");
        assertThat(env.path("COZY_JOB_MANUAL_EXECUTION").asString()).isEqualTo("true");
        assertThat(env.path("COZY_JOB_ID").asString()).isEqualTo(id);
        assertThat(report.path("files").toString())
                .contains("index.js", "ondelete.js", "manifest.konnector")
                .doesNotContain("README.md", "package.json");
        assertThat(request("/probe/konnector").header("Authorization")).startsWith("Bearer ");
        String[] jwt =
                request("/probe/konnector").header("Authorization").substring(7).split("\\.");
        JsonNode claims = Api.JSON.readTree(Base64.getUrlDecoder().decode(jwt[1]));
        assertThat(claims.path("aud").toString()).contains("konn");
        assertThat(claims.path("sub").asString()).isEqualTo("kprobe");
    }

    // §8.7: konnector outcome rows
    @ParameterizedTest(name = "{0} -> {1} \"{2}\" after {3} attempt(s)")
    @CsvSource(delimiter = '|', textBlock = """
            quiet    | done    |                                    | 1
            error    | errored | VENDOR_DOWN                        | 2
            critical | errored | CHALLENGE_ASKED                    | 2
            login    | errored | LOGIN_FAILED.WRONG_PASSWORD        | 1
            action   | errored | USER_ACTION_NEEDED.ACCOUNT_REMOVED | 1
            noretry  | errored | GIVE_UP                            | 1
            exit2    | errored | exit status 2                      | 2
            """)
    void should_end_konnector_jobs_as_the_stack_does(String mode, String state, String error, int attempts) {
        installKonnector();

        String id = push("konnector", "{\"konnector\":\"kprobe\",\"mode\":\"" + mode + "\"}", false);
        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString()).isEqualTo(state);
        assertThat(job.path("error").asString("")).isEqualTo(error == null ? "" : error);
        assertThat(job.path("attempts").asInt()).isEqualTo(attempts);
    }

    @Test
    void should_run_the_on_delete_account_script_for_a_deleted_account() {
        installKonnector();

        String id = push("konnector", "{\"konnector\":\"kprobe\",\"account\":\"a\",\"account_deleted\":true}", false);

        assertThat(Jobs.awaitFinal(api, domain, token, id).path("state").asString())
                .isEqualTo("done");
        assertThat(Api.JSON
                        .readTree(request("/probe/ondelete").body())
                        .path("account_deleted")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void should_pass_a_large_payload_in_a_file() {
        installProbe();
        String webhook = api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/triggers",
                        "{\"data\":{\"attributes\":{\"type\":\"@webhook\","
                                + "\"worker\":\"service\",\"message\":{\"slug\":\"probe\",\"name\":\"manual\"}}}}")
                .json()
                .path("data")
                .path("id")
                .asString();

        api.call(domain, null, "POST", "/jobs/webhooks/" + webhook, "{\"big\":\"" + "x".repeat(150_000) + "\"}");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> stack.requests().stream().anyMatch(r -> r.path().equals("/probe/env")));
        JsonNode report = Api.JSON.readTree(request("/probe/env").body());
        assertThat(report.path("env").path("COZY_PAYLOAD").asString()).isEqualTo("@cozy_payload.json");
        assertThat(report.path("files").toString()).contains("cozy_payload.json");
    }

    @Test
    void should_survive_a_flood_of_output_and_cap_what_it_stores() {
        installProbe();

        String id = push("service", "{\"slug\":\"probe\",\"name\":\"flood\"}", false);
        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString()).isEqualTo("done");
        List<JsonNode> lines = logs(id);
        assertThat(lines.get(0).path("message").asString())
                .startsWith("x".repeat(100))
                .endsWith("[… truncated]");
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("stream").asString()).isEqualTo("jobstack");
        assertThat(last.path("message").asString()).startsWith("log limit of 1048576 bytes reached");
        long stored = lines.stream()
                .mapToLong(l -> l.path("message").asString().length())
                .sum();
        assertThat(stored).isLessThan(1_048_576 + 10_000);
    }

    @Test
    void should_kill_the_whole_process_tree_at_the_time_limit() throws Exception {
        installProbe();

        String id = push("service", "{\"slug\":\"probe\",\"name\":\"stubborn\"}", false, "{\"timeout\":2}");
        List<Long> pids = pids();
        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).startsWith("context deadline exceeded");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pids).noneMatch(NodeExecutionTest::running));
    }

    @Test
    void should_kill_the_whole_process_tree_when_a_running_job_is_cancelled() throws Exception {
        installProbe();
        String id = push("service", "{\"slug\":\"probe\",\"name\":\"stubborn\"}", false);
        List<Long> pids = pids();

        Api.Response cancelled = api.call(domain, token, "POST", "/jobs/" + id + "/cancel", null);
        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).isEqualTo("cancelled: asked by CLI");
        assertThat(job.path("attempts").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pids).noneMatch(NodeExecutionTest::running));
        assertThat(api.call(domain, token, "POST", "/jobs/" + id + "/cancel", null)
                        .status())
                .isEqualTo(409);
    }

    /** The heartbeat's sweep of cancel requests (a signal lost, or the sweep first) keeps the caller's reason. */
    @Test
    void should_stop_a_job_whose_cancel_only_the_sweep_sees_with_the_reason_asked() throws Exception {
        installProbe();
        String id = push("service", "{\"slug\":\"probe\",\"name\":\"stubborn\"}", false);
        List<Long> pids = pids();

        assertThat(jobStore.requestCancel(id, "cancelled: asked by the operator"))
                .isTrue();
        JsonNode job = Jobs.awaitFinal(api, domain, token, id);

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).isEqualTo("cancelled: asked by the operator");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(pids).noneMatch(NodeExecutionTest::running));
    }

    @Test
    void should_cancel_a_queued_job_at_once() {
        String id = push("client", "\"x\"", false);

        JsonNode job = api.call(domain, token, "POST", "/jobs/" + id + "/cancel", null)
                .json()
                .path("data")
                .path("attributes");

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).startsWith("cancelled");
    }

    /** A process is running unless /proc says it is gone or a zombie (dead, not yet reaped). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    private List<Long> pids() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> stack.requests().stream().anyMatch(r -> r.path().equals("/report/pids")));
        List<Long> pids = new ArrayList<>();
        Api.JSON.readTree(request("/report/pids").body()).path("pids").forEach(p -> pids.add(p.asLong()));
        assertThat(pids).hasSize(3).allMatch(NodeExecutionTest::running);
        return pids;
    }

    private FakeStack.Request request(String path) {
        return stack.requests().stream()
                .filter(r -> r.path().equals(path))
                .findFirst()
                .orElseThrow();
    }

    /** Every stored log line of a job, page after page. */
    private List<JsonNode> logs(String id) {
        List<JsonNode> lines = new ArrayList<>();
        for (int after = 0; ; ) {
            JsonNode page = api.call(domain, token, "GET", "/jobs/" + id + "/logs?limit=10000&after=" + after, null)
                    .json()
                    .path("data");
            if (page.isEmpty()) {
                return lines;
            }
            page.forEach(l -> lines.add(l.path("attributes")));
            after = lines.get(lines.size() - 1).path("seq").asInt();
        }
    }

    private void installProbe() {
        assertThat(api.call(
                                domain,
                                token,
                                "POST",
                                "/apps/probe?Source=" + Api.enc(PROBE.toUri().toString()),
                                null)
                        .status())
                .isEqualTo(202);
    }

    private void installKonnector() {
        Api.Response r = api.call(
                domain,
                token,
                "POST",
                "/konnectors/kprobe?Source=" + Api.enc(KPROBE.toUri().toString()),
                null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("data").path("type").asString()).isEqualTo("io.cozy.konnectors");
    }

    private String push(String worker, String arguments, boolean manual) {
        return push(worker, arguments, manual, null);
    }

    private String push(String worker, String arguments, boolean manual, String options) {
        Api.Response r = api.call(
                domain,
                token,
                "POST",
                "/jobs/queue/" + worker,
                "{\"data\":{\"attributes\":{\"arguments\":" + arguments + ",\"manual\":" + manual
                        + (options == null ? "" : ",\"options\":" + options) + "}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().path("data").path("id").asString();
    }
}
