package org.jobstack.instance;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.jobstack.app.AppCatalog;
import org.jobstack.app.AppFiles;
import org.jobstack.app.AppVersionStore;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** The admin API on its own port: passphrase, instances, tokens, and what lives on which port. */
class AdminApiTest extends IntegrationTest {

    @Autowired
    AppCatalog catalog;

    @Autowired
    InstanceRepository instances;

    @Autowired
    AppVersionStore versions;

    @Autowired
    AppFiles files;

    @Test
    void should_refuse_admin_routes_without_the_passphrase() {
        for (String authorization : new String[] {null, Api.basic("wrong"), "Basic !!!", "Bearer x"}) {
            Api.Response r = api.adminWith(authorization, "GET", "/instances");
            assertThat(r.status()).as("Authorization: %s", authorization).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Basic");
            assertThat(r.json().path("errors").get(0).path("status").asString()).isEqualTo("401");
            assertThat(r.body()).doesNotContain(PASSPHRASE);
        }
    }

    @Test
    void should_refuse_the_tokens_of_a_deleted_instance_at_once() {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.jobs");
        assertThat(api.call(domain, token, "GET", "/jobs/queue/log", null).status())
                .isEqualTo(200);

        assertThat(api.admin("DELETE", "/instances/" + domain, null).status()).isEqualTo(204);

        assertThat(api.call(domain, token, "GET", "/jobs/queue/log", null).status())
                .isEqualTo(404);
    }

    @Test
    void should_keep_the_event_rules_tag_of_a_trigger_change_when_an_instance_read_before_it_is_saved() {
        String domain = api.newInstance(null);
        Instance readBefore = instances.findById(domain).orElseThrow();
        String token = api.cliToken(domain, "io.cozy.triggers");
        assertThat(api.call(
                                domain,
                                token,
                                "POST",
                                "/jobs/triggers",
                                "{\"data\":{\"attributes\":{\"type\":\"@event\",\"arguments\":\"io.cozy.notes\",\"worker\":\"log\"}}}")
                        .status())
                .isEqualTo(201);
        long afterChange = instances.findById(domain).orElseThrow().eventRulesTag();

        readBefore.change("fr", null, null, readBefore.updatedAt());
        instances.save(readBefore);

        Instance saved = instances.findById(domain).orElseThrow();
        assertThat(afterChange).isNotEqualTo(readBefore.eventRulesTag());
        assertThat(saved.locale()).isEqualTo("fr");
        assertThat(saved.eventRulesTag()).isEqualTo(afterChange);
    }

    @Test
    void should_create_show_update_and_delete_an_instance() {
        String domain = "crud-" + System.nanoTime() + ".example.net";

        Api.Response created = api.admin("POST", "/instances?Domain=" + domain + "&Locale=fr", null);
        Api.Response again = api.admin("POST", "/instances?Domain=" + domain, null);
        Api.Response patched = api.admin(
                "PATCH", "/instances/" + domain + "?Locale=en&StackURL=" + Api.enc("https://stack.example.net"), null);
        Api.Response listed = api.admin("GET", "/instances", null);
        Api.Response shown = api.admin("GET", "/instances/" + domain, null);
        Api.Response deleted = api.admin("DELETE", "/instances/" + domain, null);
        Api.Response gone = api.admin("GET", "/instances/" + domain, null);

        assertThat(created.status()).isEqualTo(201);
        JsonNode attributes = created.json().path("data").path("attributes");
        assertThat(attributes.path("locale").asString()).isEqualTo("fr");
        assertThat(attributes.path("stack_url").asString()).isEqualTo("http://" + domain + "/");
        assertThat(Base64.getDecoder().decode(attributes.path("token_secret").asString()))
                .hasSize(64);
        assertThat(again.status()).isEqualTo(409);
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json()
                        .path("data")
                        .path("attributes")
                        .path("stack_url")
                        .asString())
                .isEqualTo("https://stack.example.net/");
        assertThat(patched.json().path("data").path("attributes").path("locale").asString())
                .isEqualTo("en");
        assertThat(listed.json().path("data").toString()).contains(domain);
        assertThat(shown.json().path("data").path("attributes").path("locale").asString())
                .isEqualTo("en");
        for (Api.Response withoutSecret : List.of(patched, listed, shown)) {
            assertThat(withoutSecret.body()).doesNotContain("token_secret");
        }
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(gone.status()).isEqualTo(404);
    }

    @Test
    void should_answer_a_new_token_secret_once_and_refuse_tokens_signed_with_the_old_one() {
        String domain = api.newInstance(null);
        String before = api.cliToken(domain, "io.cozy.jobs");
        assertThat(api.call(domain, before, "GET", "/jobs/queue/log", null).status())
                .as("the secret is now kept in memory: the rotation must drop it at once")
                .isEqualTo(200);

        Api.Response rotated = api.admin("POST", "/instances/" + domain + "/token-secret", null);
        Api.Response shown = api.admin("GET", "/instances/" + domain, null);

        assertThat(rotated.status()).isEqualTo(200);
        String secret = rotated.json()
                .path("data")
                .path("attributes")
                .path("token_secret")
                .asString();
        assertThat(Base64.getDecoder().decode(secret)).hasSize(64);
        assertThat(shown.body()).doesNotContain("token_secret").doesNotContain(secret);
        assertThat(api.call(domain, before, "GET", "/jobs/queue/log", null).status())
                .isEqualTo(401);
        assertThat(api.call(domain, api.cliToken(domain, "io.cozy.jobs"), "GET", "/jobs/queue/log", null)
                        .status())
                .isEqualTo(200);
        assertThat(api.admin("POST", "/instances/nope.test/token-secret", null).status())
                .isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} -> {1} {2}")
    @CsvSource(delimiter = '|', textBlock = """
            /instances                                        | 400 | Domain
            /instances?Domain=Bad_Domain!                     | 422 | Domain
            /instances?Domain=a.test:8080                     | 422 | Domain
            /instances?Domain=ok.test&Locale=french!          | 422 | Locale
            /instances?Domain=ok.test&StackURL=ftp://x        | 422 | StackURL
            /instances?Domain=ok.test&TokenSecret=c2hvcnQ=    | 422 | TokenSecret
            /instances?Domain=ok.test&TokenSecret=%s          | 422 | TokenSecret
            """)
    void should_refuse_bad_instance_settings_naming_the_parameter(String path, int status, String parameter) {
        String tooLong = Api.enc(Base64.getEncoder().encodeToString(new byte[513]));
        Api.Response r = api.admin("POST", path.formatted(tooLong), null);
        assertThat(r.status()).isEqualTo(status);
        assertThat(r.json()
                        .path("errors")
                        .get(0)
                        .path("source")
                        .path("parameter")
                        .asString())
                .isEqualTo(parameter);
    }

    @Test
    void should_mint_tokens_and_refuse_bad_token_requests() {
        String domain = api.newInstance(null);

        Api.Response ok = api.admin(
                "POST",
                "/instances/token?Domain=" + domain + "&Subject=CLI&Audience=cli" + "&Scope=io.cozy.jobs&Expire=10m",
                null);

        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.header("Content-Type")).startsWith("text/plain");
        assertThat(ok.body().split("\\.")).hasSize(3);
        assertThat(status("/instances/token?Domain=nope.test&Subject=CLI&Audience=cli"))
                .isEqualTo(404);
        assertThat(status("/instances/token?Domain=" + domain + "&Subject=CLI&Audience=admin"))
                .isEqualTo(422);
        assertThat(status("/instances/token?Domain=" + domain + "&Subject=CLI&Audience=cli&Scope="
                        + Api.enc("a:b:c:d:e")))
                .isEqualTo(422);
        assertThat(status("/instances/token?Domain=" + domain + "&Subject=CLI&Audience=cli&Expire=1d"))
                .isEqualTo(422);
        assertThat(status("/instances/token?Domain=" + domain + "&Audience=cli"))
                .isEqualTo(400);
    }

    @Test
    void should_serve_each_route_on_its_own_port_only() {
        String domain = api.newInstance(null);
        String token = api.cliToken(domain, "io.cozy.apps");

        assertThat(api.call(domain, token, "GET", "/instances", null).status()).isEqualTo(404);
        assertThat(api.call(domain, token, "GET", "/actuator/prometheus", null).status())
                .isEqualTo(404);
        assertThat(api.admin("GET", "/apps/", null).status()).isEqualTo(404);
        assertThat(api.plainGet("/actuator/health").json().path("status").asString())
                .isEqualTo("UP");
        assertThat(api.adminWith(null, "GET", "/actuator/health").status()).isEqualTo(200);
        assertThat(api.admin("GET", "/actuator/prometheus", null).body()).contains("jvm_memory");
    }

    @Test
    void should_keep_up_the_h2_file_and_publish_its_figures() {
        String metrics = api.admin("GET", "/actuator/prometheus", null).body();

        assertThat(metrics).containsPattern("jobstack_h2_file_size_bytes(\\{[^}]*\\})? [1-9]");
        assertThat(metrics).contains("jobstack_h2_file_used", "jobstack_h2_chunks_live");
    }

    @Test
    void should_delete_an_instance_with_its_apps_triggers_jobs_and_files() throws Exception {
        try (FakeStack stack = new FakeStack()) {
            String domain = api.newInstance(stack.url());
            String token = api.cliToken(domain, "io.cozy.apps io.cozy.jobs");
            Path probe = Path.of("src/test/resources/apps/probe").toAbsolutePath();
            assertThat(api.call(
                                    domain,
                                    token,
                                    "POST",
                                    "/apps/probe?Source="
                                            + Api.enc(probe.toUri().toString()),
                                    null)
                            .status())
                    .isEqualTo(202);
            String jobId = api.admin(
                            "POST",
                            "/instances/" + domain + "/events",
                            "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.probes\",\"doc\":{\"_id\":\"1\",\"action\":\"fail\"}}")
                    .json()
                    .path("jobs")
                    .get(0)
                    .asString();
            Jobs.awaitFinal(api, domain, token, jobId);
            Path unpacked = files.localFolder(
                    catalog.find(domain, AppKind.WEBAPP, "probe").orElseThrow());
            assertThat(versions.listOf(domain, AppKind.WEBAPP, "probe")).isNotEmpty();

            assertThat(api.admin("DELETE", "/instances/" + domain, null).status())
                    .isEqualTo(204);
            assertThat(api.admin("POST", "/instances?Domain=" + domain, null).status())
                    .isEqualTo(201);
            String newToken = api.cliToken(domain, "io.cozy.apps io.cozy.jobs");

            assertThat(api.call(domain, newToken, "GET", "/apps/probe", null).status())
                    .isEqualTo(404);
            assertThat(api.call(domain, newToken, "GET", "/jobs/" + jobId, null).status())
                    .isEqualTo(404);
            assertThat(api.call(domain, newToken, "GET", "/jobs/" + jobId + "/logs", null)
                            .status())
                    .isEqualTo(404);
            assertThat(versions.listOf(domain, AppKind.WEBAPP, "probe")).isEmpty();
            assertThat(unpacked).as("this node's unpacked copy").doesNotExist();
            assertThat(api.call(domain, token, "GET", "/apps/", null).status())
                    .as("old secret is gone")
                    .isEqualTo(401);
        }
    }

    private int status(String path) {
        return api.admin("POST", path, null).status();
    }
}
