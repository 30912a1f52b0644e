package org.jobstack.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jobstack.security.SecurityFixture.assertError;

import java.security.SecureRandom;
import java.util.Base64;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scopes restricted by verb and worker give exactly what they name; a rotated secret revokes tokens. */
class PermissionScopeTest extends IntegrationTest {

    private static final String LOG_JOB = "{\"data\":{\"attributes\":{\"arguments\":{\"message\":\"x\"}}}}";
    private String domain;
    private String admin;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
        admin = api.cliToken(domain, SecurityFixture.FULL_SCOPE);
    }

    @Test
    void should_let_a_scope_restricted_to_a_worker_queue_only_that_worker() {
        String token = api.cliToken(domain, "io.cozy.jobs:POST:log:worker");

        assertThat(api.call(domain, token, "POST", "/jobs/queue/log", LOG_JOB).status())
                .isEqualTo(202);
        assertError(api.call(domain, token, "POST", "/jobs/queue/service", LOG_JOB), 403, "another worker");
        assertError(api.call(domain, token, "GET", "/jobs/queue/log", null), 403, "a verb not granted");
        assertError(api.call(domain, token, "DELETE", "/jobs/purge", null), 403, "a whole-type action");
    }

    @Test
    void should_let_a_scope_restricted_to_a_worker_see_and_manage_only_its_triggers() {
        String log = created(admin, SecurityFixture.triggerBody("@in", "1h"));
        String service = created(
                admin,
                "{\"data\":{\"attributes\":{\"type\":\"@in\",\"arguments\":\"1h\","
                        + "\"worker\":\"service\",\"message\":{\"slug\":\"probe\",\"name\":\"manual\"}}}}");
        String token = api.cliToken(domain, "io.cozy.triggers:GET,POST:log:worker");

        assertThat(api.call(domain, token, "POST", "/jobs/triggers", SecurityFixture.triggerBody("@in", "2h"))
                        .status())
                .isEqualTo(201);
        assertError(
                api.call(
                        domain,
                        token,
                        "POST",
                        "/jobs/triggers",
                        "{\"data\":{\"attributes\":{\"type\":\"@in\","
                                + "\"arguments\":\"1h\",\"worker\":\"service\"}}}"),
                403,
                "a trigger of another worker");
        assertError(api.call(domain, token, "GET", "/jobs/triggers", null), 403, "listing every trigger");
        Api.Response listed = api.call(domain, token, "GET", "/jobs/triggers?Worker=log", null);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body()).contains(log).doesNotContain(service);
        assertThat(api.call(domain, token, "GET", "/jobs/triggers/" + log, null).status())
                .isEqualTo(200);
        assertError(api.call(domain, token, "GET", "/jobs/triggers/" + service, null), 403, "another worker's trigger");
        assertError(api.call(domain, token, "DELETE", "/jobs/triggers/" + log, null), 403, "a verb not granted");
        assertThat(api.call(domain, admin, "GET", "/jobs/triggers/" + log, null).status())
                .isEqualTo(200);
    }

    @Test
    void should_let_a_scope_read_only_the_jobs_of_its_worker() {
        String logJob = api.call(domain, admin, "POST", "/jobs/queue/log", LOG_JOB)
                .json()
                .path("data")
                .path("id")
                .asString();
        String konnectorJob = api.call(
                        domain,
                        admin,
                        "POST",
                        "/jobs/queue/konnector",
                        "{\"data\":{\"attributes\":{\"arguments\":{\"konnector\":\"missing\"}}}}")
                .json()
                .path("data")
                .path("id")
                .asString();
        String token = api.cliToken(domain, "io.cozy.jobs:GET:log:worker");

        assertThat(api.call(domain, token, "GET", "/jobs/" + logJob, null).status())
                .isEqualTo(200);
        assertThat(api.call(domain, token, "GET", "/jobs/" + logJob + "/logs", null)
                        .status())
                .isEqualTo(200);
        assertError(api.call(domain, token, "GET", "/jobs/" + konnectorJob, null), 403, "another worker's job");
        assertError(
                api.call(domain, token, "GET", "/jobs/" + konnectorJob + "/logs", null), 403, "another worker's logs");
        assertError(api.call(domain, token, "POST", "/jobs/" + logJob + "/cancel", null), 403, "cancel without PATCH");
    }

    @Test
    void should_revoke_every_token_when_the_instance_secret_is_rotated() {
        String before = api.cliToken(domain, "io.cozy.jobs");
        byte[] secret = new byte[64];
        new SecureRandom().nextBytes(secret);
        String encoded = Base64.getEncoder().encodeToString(secret);

        Api.Response patched = api.admin("PATCH", "/instances/" + domain + "?TokenSecret=" + Api.enc(encoded), null);

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body()).doesNotContain("token_secret").doesNotContain(encoded);
        assertError(
                api.call(domain, before, "GET", "/jobs/queue/log", null), 401, "a token signed with the old secret");
        String signedWithTheNewSecret = api.cliToken(domain, "io.cozy.jobs");
        assertThat(api.call(domain, signedWithTheNewSecret, "GET", "/jobs/queue/log", null)
                        .status())
                .isEqualTo(200);
        Api.Response weak = api.admin("PATCH", "/instances/" + domain + "?TokenSecret=c2hvcnQ%3D", null);
        assertError(weak, 422, "a weak secret");
        assertThat(weak.json()
                        .path("errors")
                        .get(0)
                        .path("source")
                        .path("parameter")
                        .asString())
                .isEqualTo("TokenSecret");
        assertThat(api.call(domain, signedWithTheNewSecret, "GET", "/jobs/queue/log", null)
                        .status())
                .as("the refused secret replaced nothing")
                .isEqualTo(200);
    }

    private String created(String token, String body) {
        Api.Response r = api.call(domain, token, "POST", "/jobs/triggers", body);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("data").path("id").asString();
    }
}
