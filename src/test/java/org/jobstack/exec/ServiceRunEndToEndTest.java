package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The foundation path: an app installed from a build folder, a document event posted by the
 * stack, a durable job, a node process with the cozy environment calling the stack back, and a
 * finished job with its logs. A tiny HTTP server plays the stack.
 */
class ServiceRunEndToEndTest extends IntegrationTest {

    private static final Path EXAMPLE_APP = Path.of("examples/banks-lite").toAbsolutePath();
    static final Path PROBE_APP = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    FakeStack stack;
    String domain;
    String token;

    @BeforeEach
    void setUp() throws Exception {
        stack = new FakeStack();
        domain = api.newInstance(stack.url());
        token = api.cliToken(domain, "io.cozy.apps io.cozy.jobs");
    }

    @AfterEach
    void tearDown() {
        stack.close();
    }

    @Test
    void should_run_the_example_service_on_a_matching_event_and_call_the_stack_back() throws Exception {
        install("banks-lite", EXAMPLE_APP);

        String jobId = postEvent("""
                {"verb":"CREATED","doctype":"io.cozy.bank.operations",
                 "doc":{"_id":"op1","label":"SNCF train ticket","amount":-42.5}}""").get(0);
        JsonNode job = Jobs.awaitFinal(api, domain, token, jobId);

        assertThat(job.path("state").asString()).isEqualTo("done");
        assertThat(job.path("worker").asString()).isEqualTo("service");
        assertThat(job.path("message").path("slug").asString()).isEqualTo("banks-lite");
        assertThat(job.path("event").path("doc").path("_id").asString()).isEqualTo("op1");
        FakeStack.Request put = stack.requests().get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/data/io.cozy.bank.operations/op1");
        assertThat(Api.JSON.readTree(put.body()).path("automaticCategoryId").asString())
                .isEqualTo("400140");
        assertServiceToken(put.header("Authorization").substring("Bearer ".length()), "banks-lite");
        assertThat(logMessages(jobId))
                .containsExactly(
                        "info: operation op1 \"SNCF train ticket\" (-42.5) -> transport",
                        "info: category 400140 saved (stack answered 200)");
    }

    @Test
    void should_give_the_service_exactly_the_cozy_environment_and_nothing_of_the_server() throws Exception {
        JsonNode app = install("probe", PROBE_APP);
        String triggerId = app.path("services").path("dump").path("trigger_id").asString();

        String jobId = postEvent("""
                {"verb":"CREATED","doctype":"io.cozy.probes","doc":{"_id":"p1","action":"dump","n":1}}""").get(0);
        assertThat(Jobs.awaitFinal(api, domain, token, jobId).path("state").asString())
                .isEqualTo("done");

        JsonNode report = Api.JSON.readTree(stack.requests().get(0).body());
        JsonNode env = report.path("env");
        assertThat(System.getenv("JOBSTACK_TEST_SERVER_SECRET"))
                .as("set by surefire in the server's environment")
                .isEqualTo("server-secret-must-not-leak");
        assertThat(env.toString()).doesNotContain("server-secret-must-not-leak");
        assertThat(new TreeSet<>(env.propertyNames()))
                .containsExactlyElementsOf(new TreeSet<>(Set.of(
                        "COZY_URL",
                        "COZY_CREDENTIALS",
                        "COZY_LANGUAGE",
                        "COZY_LOCALE",
                        "COZY_TIME_LIMIT",
                        "COZY_JOB_ID",
                        "COZY_COUCH_DOC",
                        "COZY_PAYLOAD",
                        "COZY_FIELDS",
                        "COZY_TRIGGER_ID",
                        "PATH",
                        "HOME",
                        "TMPDIR")));
        assertThat(env.path("COZY_URL").asString()).isEqualTo(stack.url());
        assertThat(env.path("COZY_LANGUAGE").asString()).isEqualTo("node");
        assertThat(env.path("COZY_LOCALE").asString()).isEqualTo("fr");
        assertThat(env.path("COZY_TIME_LIMIT").asString()).isIn("304", "305");
        assertThat(env.path("COZY_JOB_ID").asString()).isEqualTo(jobId);
        assertThat(Api.JSON.readTree(env.path("COZY_COUCH_DOC").asString()))
                .isEqualTo(Api.JSON.readTree("{\"_id\":\"p1\",\"action\":\"dump\",\"n\":1}"));
        assertThat(env.path("COZY_PAYLOAD").asString()).isEmpty();
        assertThat(env.path("COZY_FIELDS").asString()).isEmpty();
        assertThat(env.path("COZY_TRIGGER_ID").asString()).isEqualTo(triggerId);
        assertServiceToken(env.path("COZY_CREDENTIALS").asString(), "probe");

        Path runDir = Path.of(report.path("cwd").asString());
        assertThat(report.path("argv").get(1).asString()).isEqualTo(runDir.toString());
        assertThat(env.path("HOME").asString()).isEqualTo(runDir.toString());
        assertThat(report.path("files").toString()).contains("index.js");
        assertThat(runDir).as("run directory removed after the run").doesNotExist();
    }

    @Test
    void should_end_errored_with_the_exit_status_after_the_workers_attempts() {
        install("probe", PROBE_APP);

        String jobId = postEvent("""
                {"verb":"CREATED","doctype":"io.cozy.probes","doc":{"_id":"p2","action":"fail"}}""").get(0);
        JsonNode job = Jobs.awaitFinal(api, domain, token, jobId);

        assertThat(job.path("state").asString()).isEqualTo("errored");
        assertThat(job.path("error").asString()).isEqualTo("exit status 3");
        assertThat(job.path("attempts").asInt()).isEqualTo(2);
        assertThat(logMessages(jobId))
                .containsExactly(
                        "error: something went wrong", "error: attempt 1 failed: exit status 3",
                        "error: something went wrong", "error: attempt 2 failed: exit status 3");
    }

    @Test
    void should_keep_raw_output_lines_and_stderr_in_the_logs() {
        install("probe", PROBE_APP);

        String jobId = postEvent("""
                {"verb":"CREATED","doctype":"io.cozy.probes","doc":{"_id":"p3","action":"noisy"}}""").get(0);
        assertThat(Jobs.awaitFinal(api, domain, token, jobId).path("state").asString())
                .isEqualTo("done");

        assertThat(logMessages(jobId))
                .containsExactlyInAnyOrder("raw: plain text, not JSON", "warning: careful", "error: on stderr");
    }

    @Test
    void should_accept_an_event_that_matches_no_trigger_without_making_a_job() {
        install("probe", PROBE_APP);

        Api.Response r = api.admin("POST", "/instances/" + domain + "/events", """
                [{"verb":"CREATED","doctype":"io.cozy.probes","doc":{"_id":"p4","action":"other"}},
                 {"verb":"UPDATED","doctype":"io.cozy.probes","doc":{"_id":"p4","action":"dump"}},
                 {"verb":"CREATED","doctype":"io.cozy.other","doc":{"_id":"p5","action":"dump"}}]""");

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().path("accepted").asInt()).isEqualTo(3);
        assertThat(r.json().path("jobs").size()).isZero();
    }

    @Test
    void should_refuse_events_for_an_unknown_instance() {
        Api.Response r = api.admin(
                "POST",
                "/instances/nowhere.test/events",
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.x\",\"doc\":{\"_id\":\"1\"}}");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("errors").get(0).path("detail").asString()).contains("nowhere.test");
    }

    JsonNode install(String slug, Path folder) {
        Api.Response r = api.call(
                domain,
                token,
                "POST",
                "/apps/" + slug + "?Source=" + Api.enc(folder.toUri().toString()),
                null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().path("data").path("attributes");
    }

    List<String> postEvent(String event) {
        Api.Response r = api.admin("POST", "/instances/" + domain + "/events", event);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        List<String> ids = new ArrayList<>();
        r.json().path("jobs").forEach(id -> ids.add(id.asString()));
        assertThat(ids).isNotEmpty();
        return ids;
    }

    private List<String> logMessages(String jobId) {
        return Jobs.logMessages(api, domain, token, jobId);
    }

    private void assertServiceToken(String jwt, String slug) throws Exception {
        byte[] secret = api.tokenSecret(domain);
        SignedJWT token = SignedJWT.parse(jwt);
        assertThat(token.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS512);
        assertThat(token.verify(new MACVerifier(secret)))
                .as("signed with the instance secret")
                .isTrue();
        JWTClaimsSet claims = token.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(domain);
        assertThat(claims.getAudience()).containsExactly("app");
        assertThat(claims.getSubject()).isEqualTo(slug);
        assertThat(claims.getExpirationTime()).isAfter(new Date(System.currentTimeMillis() + 300_000));
    }
}
