package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.jobstack.app.AppCatalog;
import org.jobstack.app.AppFiles;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.common.FileTrees;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Apps run from the database: with this node's cache, the build they came from and any apps
 * folder gone, a job still runs its app's current version; after an update, the next job runs the
 * new one.
 */
class AppFilesEndToEndTest extends IntegrationTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();
    private static final Path KPROBE =
            Path.of("src/test/resources/konnectors/kprobe").toAbsolutePath();

    @TempDir
    Path builds;

    @Autowired
    AppCatalog catalog;

    @Autowired
    AppFiles files;

    private FakeStack stack;
    private String domain;
    private String token;

    @BeforeEach
    void setUp() throws Exception {
        stack = new FakeStack();
        domain = api.newInstance(stack.url());
        token = api.cliToken(domain, "io.cozy.apps io.cozy.konnectors io.cozy.jobs");
    }

    @AfterEach
    void tearDown() {
        stack.close();
    }

    @Test
    void should_run_an_app_from_the_database_when_its_cache_is_gone() throws IOException {
        Path build = copy(PROBE, "probe");
        assertThat(install("/apps/probe", build)).isEqualTo(202);
        Path unpacked =
                files.localFolder(catalog.find(domain, AppKind.WEBAPP, "probe").orElseThrow());
        FileTrees.delete(build);
        FileTrees.delete(dataDir().resolve("cache"));
        assertThat(dataDir().resolve("apps"))
                .as("no apps folder is written any more")
                .doesNotExist();

        String jobId = event(
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.probes\",\"doc\":{\"_id\":\"p1\",\"action\":\"dump\"}}");

        assertThat(Jobs.awaitFinal(api, domain, token, jobId).path("state").asString())
                .isEqualTo("done");
        JsonNode report = Api.JSON.readTree(stack.requests().get(0).body());
        assertThat(report.path("files").toString()).contains("index.js");
        assertThat(unpacked.resolve("services/dump.js"))
                .as("unpacked again from the database")
                .hasSameTextualContentAs(PROBE.resolve("services/dump.js"));
    }

    @Test
    void should_run_a_konnector_from_the_database_when_its_cache_is_gone() throws IOException {
        Path build = copy(KPROBE, "kprobe");
        assertThat(install("/konnectors/kprobe", build)).isEqualTo(202);
        FileTrees.delete(build);
        FileTrees.delete(dataDir().resolve("cache"));

        Api.Response queued = api.call(
                domain,
                token,
                "POST",
                "/jobs/queue/konnector",
                "{\"data\":{\"attributes\":{\"arguments\":{\"konnector\":\"kprobe\",\"mode\":\"dump\"}}}}");
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        String jobId = queued.json().path("data").path("id").asString();

        assertThat(Jobs.awaitFinal(api, domain, token, jobId).path("state").asString())
                .isEqualTo("done");
        JsonNode report = Api.JSON.readTree(stack.requests().get(0).body());
        assertThat(report.path("files").toString())
                .contains("index.js", "ondelete.js", "manifest.konnector")
                .doesNotContain("README.md", "package.json");
    }

    @Test
    void should_run_the_new_version_from_the_job_after_an_update() throws IOException {
        assertThat(install("/apps/says", says("1.0.0"))).isEqualTo(202);
        String first = event("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.says\",\"doc\":{\"_id\":\"s1\"}}");
        assertThat(Jobs.awaitFinal(api, domain, token, first).path("state").asString())
                .isEqualTo("done");

        Api.Response updated = api.call(
                domain,
                token,
                "PUT",
                "/apps/says?Source=" + Api.enc(says("2.0.0").toUri().toString()),
                null);
        assertThat(updated.status()).as(updated.body()).isEqualTo(202);
        String second = event("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.says\",\"doc\":{\"_id\":\"s2\"}}");
        assertThat(Jobs.awaitFinal(api, domain, token, second).path("state").asString())
                .isEqualTo("done");

        assertThat(logMessages(first)).containsExactly("info: running 1.0.0");
        assertThat(logMessages(second)).containsExactly("info: running 2.0.0");
    }

    /** App "says": one service on io.cozy.says that logs the version it belongs to. */
    private Path says(String version) throws IOException {
        Path build = Files.createDirectories(builds.resolve("says-" + version));
        Files.writeString(
                build.resolve("manifest.webapp"),
                "{\"slug\":\"says\",\"version\":\"" + version
                        + "\",\"services\":{\"say\":{\"file\":\"say.js\",\"trigger\":\"@event io.cozy.says:CREATED\"}}}");
        Files.writeString(
                build.resolve("say.js"),
                "console.log(JSON.stringify({type: 'info', message: 'running " + version + "'}))\n");
        return build;
    }

    private int install(String route, Path build) {
        Api.Response r = api.call(
                domain,
                token,
                "POST",
                route + "?Source=" + Api.enc(build.toUri().toString()),
                null);
        return r.status();
    }

    private String event(String event) {
        Api.Response r = api.admin("POST", "/instances/" + domain + "/events", event);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        assertThat(r.json().path("jobs").size()).isEqualTo(1);
        return r.json().path("jobs").get(0).asString();
    }

    private List<String> logMessages(String jobId) {
        return Jobs.logMessages(api, domain, token, jobId);
    }

    private Path copy(Path from, String name) throws IOException {
        Path target = builds.resolve(name);
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path dest = target.resolve(from.relativize(p).toString());
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
