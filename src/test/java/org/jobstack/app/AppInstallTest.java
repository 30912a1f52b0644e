package org.jobstack.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.Daemon;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code POST/GET /apps}: shapes, errors, and atomicity (a failed install leaves nothing). */
class AppInstallTest extends IntegrationTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    @Autowired
    TriggerRepository triggers;

    @Autowired
    AppVersionStore versions;

    @TempDir
    Path builds;

    private String domain;
    private String token;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.apps");
    }

    @Test
    void should_install_an_app_with_one_trigger_per_service_in_the_stack_shape() {
        Api.Response r = install("probe", PROBE.toUri().toString());

        assertThat(r.status()).isEqualTo(202);
        JsonNode data = r.json().path("data");
        assertThat(data.path("type").asString()).isEqualTo("io.cozy.apps");
        assertThat(data.path("id").asString()).isEqualTo("io.cozy.apps/probe");
        assertThat(data.path("links").path("self").asString()).isEqualTo("/apps/probe");
        JsonNode a = data.path("attributes");
        assertThat(a.path("state").asString()).isEqualTo("ready");
        assertThat(a.path("version").asString()).isEqualTo("2.1.0");
        assertThat(a.path("x-unknown-field").path("kept").asBoolean()).isTrue();
        JsonNode dump = a.path("services").path("dump");
        assertThat(dump.propertyNames()).containsExactlyInAnyOrder("type", "file", "trigger", "debounce", "trigger_id");
        assertThat(dump.path("file").asString()).isEqualTo("services/dump.js");
        assertThat(a.path("services").path("manual").path("trigger_id").asString())
                .isEmpty();

        Trigger trigger = triggers.findById(dump.path("trigger_id").asString()).orElseThrow();
        assertThat(trigger.type().written()).isEqualTo("@event");
        assertThat(trigger.arguments()).isEqualTo("io.cozy.probes:CREATED:dump:action");
        assertThat(trigger.worker()).isEqualTo("service");
        assertThat(Api.JSON.readTree(trigger.message()))
                .isEqualTo(Api.JSON.readTree("{\"name\":\"dump\",\"slug\":\"probe\"}"));
        assertThat(trigger.createdBy()).isEqualTo("probe");
        assertThat(triggers.findByDomainOrderByCreatedAt(domain)).hasSize(3);
    }

    @Test
    void should_show_and_list_installed_apps_with_pagination() throws IOException {
        install("probe", PROBE.toUri().toString());
        install("probe-two", copyOfProbe("two").toUri().toString());

        Api.Response shown = api.call(domain, token, "GET", "/apps/probe", null);
        Api.Response all = api.call(domain, token, "GET", "/apps/", null);
        Api.Response page = api.call(domain, token, "GET", "/apps/?limit=1", null);
        Api.Response next = api.call(
                domain, token, "GET", page.json().path("links").path("next").asString(), null);

        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().path("data").path("attributes").path("slug").asString())
                .isEqualTo("probe");
        assertThat(all.json().path("meta").path("count").asInt()).isEqualTo(2);
        assertThat(page.json().path("data").size()).isEqualTo(1);
        assertThat(page.json().path("links").path("next").asString())
                .isEqualTo("/apps/?limit=1&start_key=io.cozy.apps/probe-two");
        assertThat(next.json()
                        .path("data")
                        .get(0)
                        .path("attributes")
                        .path("slug")
                        .asString())
                .isEqualTo("probe-two");
        assertThat(next.json().path("links").isMissingNode()).isTrue();
        assertThat(api.call(domain, token, "GET", "/apps/nothing-here", null).status())
                .isEqualTo(404);
        assertThat(api.call(domain, token, "GET", "/apps/Bad_Slug", null).status())
                .isEqualTo(422);
    }

    @ParameterizedTest(name = "{0} from {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Bad_Slug | file:///tmp                   | 422 | slug
            probe    |                               | 400 | Source
            probe    | registry://probe/stable       | 422 | Source
            probe    | file://host.example/tmp       | 422 | Source
            probe    | file:///no/such/folder        | 404 |
            probe    | file:///tmp                   | 404 |
            probe    | ::not a url::                 | 422 | Source
            probe    | git+ssh://127.0.0.1/probe.git  | 422 | Source
            """)
    void should_refuse_bad_installs_with_a_clear_error(String slug, String source, int status, String parameter) {
        Api.Response r = install(slug, source);

        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode error = r.json().path("errors").get(0);
        assertThat(error.path("detail").asString()).isNotBlank();
        if (parameter != null) {
            assertThat(error.path("source").path("parameter").asString()).isEqualTo(parameter);
        }
    }

    @Test
    void should_refuse_a_second_install_of_the_same_slug() {
        assertThat(install("probe", PROBE.toUri().toString()).status()).isEqualTo(202);
        assertThat(install("probe", PROBE.toUri().toString()).status()).isEqualTo(409);
    }

    @Test
    void should_leave_nothing_behind_when_a_service_is_invalid() throws IOException {
        Path build = copyOfProbe("broken");
        String manifest =
                Files.readString(build.resolve("manifest.webapp")).replace("services/fail.js", "services/missing.js");
        Files.writeString(build.resolve("manifest.webapp"), manifest);

        Api.Response r = install("broken", build.toUri().toString());

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("errors").get(0).path("detail").asString())
                .isEqualTo("manifest.webapp: services.fail.file services/missing.js is not a file of the app");
        assertNothingInstalled("broken");
    }

    @Test
    void should_refuse_files_that_link_outside_the_app_and_leave_nothing_behind() throws IOException {
        Path build = copyOfProbe("linked");
        Path secret = Files.writeString(builds.resolve("secret.txt"), "do not copy");
        Files.createSymbolicLink(build.resolve("services/secret.js"), secret);

        Api.Response r = install("linked", build.toUri().toString());

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("errors").get(0).path("detail").asString()).contains("links outside the app");
        assertNothingInstalled("linked");
    }

    @Test
    void should_refuse_a_service_file_that_links_outside_the_app() throws IOException {
        Path build = copyOfProbe("escape");
        Files.delete(build.resolve("services/fail.js"));
        Files.createSymbolicLink(build.resolve("services/fail.js"), Path.of("/etc/hostname"));

        Api.Response r = install("escape", build.toUri().toString());

        assertThat(r.status()).isEqualTo(400);
        assertNothingInstalled("escape");
    }

    private void assertNothingInstalled(String slug) {
        assertThat(api.call(domain, token, "GET", "/apps/" + slug, null).status())
                .isEqualTo(404);
        assertThat(triggers.findByDomainOrderByCreatedAt(domain)).isEmpty();
        assertThat(versions.listOf(domain, AppKind.WEBAPP, slug)).isEmpty();
    }

    @Test
    void should_install_from_a_git_repository_at_a_tag_and_leave_no_clone_behind() throws Exception {
        Path work = copyOfProbe("git-work");
        Daemon daemon = new Daemon(new InetSocketAddress("127.0.0.1", 0));
        try (Git git =
                Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("2.1.0").setSign(false).call();
            git.tag().setName("v2.1.0").call();
            Files.writeString(work.resolve("manifest.webapp"), "not json any more");
            git.commit().setAll(true).setMessage("broken").setSign(false).call();
            daemon.setRepositoryResolver((client, name) -> {
                git.getRepository().incrementOpen();
                return git.getRepository();
            });
            daemon.start();
            String repo = "git://127.0.0.1:" + daemon.getAddress().getPort() + "/probe.git";

            Api.Response tagged = install("probe", repo + "#v2.1.0");
            Api.Response head = install("broken", repo);

            assertThat(tagged.status()).as(tagged.body()).isEqualTo(202);
            assertThat(tagged.json()
                            .path("data")
                            .path("attributes")
                            .path("version")
                            .asString())
                    .isEqualTo("2.1.0");
            assertThat(tagged.json()
                            .path("data")
                            .path("attributes")
                            .path("source")
                            .asString())
                    .isEqualTo(repo + "#v2.1.0");
            assertThat(head.status())
                    .as("the branch's head has a broken manifest")
                    .isEqualTo(400);
            assertThat(api.call(domain, token, "GET", "/apps/probe", null).status())
                    .isEqualTo(200);
            try (Stream<Path> left = Files.list(dataDir().resolve("incoming"))) {
                assertThat(left.filter(p -> p.getFileName().toString().startsWith("git-")))
                        .as("clones removed")
                        .isEmpty();
            }
        } finally {
            daemon.stop();
        }
    }

    private Api.Response install(String slug, String source) {
        return api.call(
                domain, token, "POST", "/apps/" + slug + (source == null ? "" : "?Source=" + Api.enc(source)), null);
    }

    private Path copyOfProbe(String name) throws IOException {
        Path target = builds.resolve(name);
        try (Stream<Path> files = Files.walk(PROBE)) {
            for (Path p : files.toList()) {
                Path dest = target.resolve(PROBE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
        return target;
    }
}
