package org.jobstack.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.manifest.Manifest;
import org.jobstack.common.Problem;
import org.jobstack.support.Api;
import org.jobstack.support.ArchiveFiles;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** Installs from archives and URLs, updates with the stack's service diff, uninstalls; all atomic. */
class AppLifecycleTest extends IntegrationTest {

    @TempDir
    Path builds;

    @Autowired
    AppRegistrar registrar;

    @Autowired
    AppCatalog catalog;

    @Autowired
    AppVersionStore versions;

    @Autowired
    AppFiles files;

    private String domain;
    private String token;
    private HttpServer web;

    @BeforeEach
    void instance() throws IOException {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.apps io.cozy.konnectors io.cozy.triggers io.cozy.jobs");
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.start();
    }

    @AfterEach
    void stopWeb() {
        web.stop(0);
    }

    /** A build folder of app "life": the manifest with these services, and a file for each. */
    private Path build(String version, String services) throws IOException {
        Path dir = Files.createDirectories(builds.resolve("life-" + version + "-" + System.nanoTime()));
        Files.writeString(
                dir.resolve("manifest.webapp"),
                "{\"name\":\"Life\",\"slug\":\"life\",\"version\":\"" + version + "\",\"services\":" + services + "}");
        Files.createDirectories(dir.resolve("services"));
        for (String file : List.of("a", "b", "c", "d", "e")) {
            Files.writeString(dir.resolve("services/" + file + ".js"), "// " + file + " " + version + "\n");
        }
        return dir;
    }

    private String serve(String path, byte[] body, int status) {
        web.createContext(path, exchange -> {
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        return "http://127.0.0.1:" + web.getAddress().getPort() + path;
    }

    private Api.Response call(String method, String path) {
        return api.call(domain, token, method, path, null);
    }

    private Api.Response install(String source) {
        return call("POST", "/apps/life?Source=" + Api.enc(source));
    }

    private JsonNode services() {
        return call("GET", "/apps/life").json().path("data").path("attributes").path("services");
    }

    @Test
    void should_install_from_archives_on_disk_and_over_http() throws IOException {
        Path folder = build("1.0.0", "{\"a\":{\"file\":\"services/a.js\",\"trigger\":\"@event io.cozy.x\"}}");
        Path tarGz = ArchiveFiles.tarGzOf(folder, "build/", builds.resolve("life.tar.gz"));

        Api.Response fromFile = install(tarGz.toUri().toString());
        assertThat(fromFile.status()).as(fromFile.body()).isEqualTo(202);
        assertThat(fromFile.json().path("data").path("attributes").path("state").asString())
                .isEqualTo("ready");
        assertThat(call("DELETE", "/apps/life").status()).isEqualTo(200);

        Path zip = ArchiveFiles.zipOf(build("1.1.0", "{}"), "", builds.resolve("life.zip"));
        Api.Response fromWeb = install(serve("/life.zip", Files.readAllBytes(zip), 200));
        assertThat(fromWeb.status()).as(fromWeb.body()).isEqualTo(202);
        assertThat(fromWeb.json()
                        .path("data")
                        .path("attributes")
                        .path("version")
                        .asString())
                .isEqualTo("1.1.0");
        assertThat(fromWeb.json().path("data").path("attributes").path("source").asString())
                .startsWith("http://127.0.0.1");
    }

    @Test
    void should_refuse_unreachable_unsupported_and_unreadable_sources_naming_source() throws IOException {
        assertThat(install(serve("/missing.tar.gz", new byte[0], 404)).status()).isEqualTo(404);
        assertThat(install("http://127.0.0.1:1/nothing.tar.gz").status()).isEqualTo(404);
        Api.Response ftp = install("ftp://example.org/life.tar.gz");
        assertThat(ftp.status()).isEqualTo(422);
        assertThat(ftp.json()
                        .path("errors")
                        .get(0)
                        .path("source")
                        .path("parameter")
                        .asString())
                .isEqualTo("Source");
        Path text = Files.writeString(builds.resolve("life.tar.gz"), "not an archive");
        Api.Response notArchive = install(text.toUri().toString());
        assertThat(notArchive.status()).as(notArchive.body()).isEqualTo(422);
        Api.Response garbage = install(serve("/garbage.zip", "PK-not-really".getBytes(), 200));
        assertThat(garbage.status()).as(garbage.body()).isEqualTo(422);
        assertThat(call("GET", "/apps/life").status()).isEqualTo(404);
    }

    @Test
    void should_refuse_a_hostile_archive_and_leave_nothing_behind() throws IOException {
        Path archive = ArchiveFiles.tarGz(
                builds.resolve("evil.tar.gz"),
                Map.of(
                        "manifest.webapp",
                        "{\"slug\":\"life\",\"version\":\"1.0.0\"}",
                        "../../../../tmp/evil-" + domain,
                        "x"));

        Api.Response r = install(archive.toUri().toString());

        assertThat(r.status()).as(r.body()).isEqualTo(422);
        assertThat(r.json().path("errors").get(0).path("detail").asString()).contains("Unsafe archive");
        assertThat(Path.of("/tmp/evil-" + domain)).doesNotExist();
        assertThat(call("GET", "/apps/life").status()).isEqualTo(404);
        assertThat(versions.listOf(domain, AppKind.WEBAPP, "life")).isEmpty();
        try (Stream<Path> incoming =
                Files.list(Files.createDirectories(dataDir().resolve("incoming")))) {
            assertThat(incoming.toList()).isEmpty();
        }
    }

    @Test
    void should_update_services_as_the_stack_diffs_them() throws IOException {
        String v1 = """
                {"same":{"file":"services/a.js","trigger":"@event io.cozy.x:CREATED"},
                 "changed":{"file":"services/b.js","trigger":"@cron 0 0 0 * * *"},
                 "removed":{"file":"services/c.js","trigger":"@event io.cozy.y"},
                 "plain":{"file":"services/d.js"}}""";
        String v2 = """
                {"same":{"file":"services/a.js","trigger":"@event io.cozy.x:CREATED"},
                 "changed":{"file":"services/b.js","trigger":"@cron 0 0 1 * * *"},
                 "plain":{"file":"services/d.js"},
                 "added":{"file":"services/e.js","trigger":"@event io.cozy.z","debounce":"1m"}}""";
        assertThat(install(build("1.0.0", v1).toUri().toString()).status()).isEqualTo(202);
        JsonNode before = services();
        String oldVersion = catalog.get(domain, AppKind.WEBAPP, "life").versionId();

        Api.Response updated = call(
                "PUT", "/apps/life?Source=" + Api.enc(build("2.0.0", v2).toUri().toString()));

        assertThat(updated.status()).as(updated.body()).isEqualTo(202);
        assertThat(updated.json()
                        .path("data")
                        .path("attributes")
                        .path("version")
                        .asString())
                .isEqualTo("2.0.0");
        JsonNode after = services();
        assertThat(after.path("same").path("trigger_id").asString())
                .isEqualTo(before.path("same").path("trigger_id").asString());
        String changedId = after.path("changed").path("trigger_id").asString();
        assertThat(changedId)
                .isNotEmpty()
                .isNotEqualTo(before.path("changed").path("trigger_id").asString());
        assertThat(triggerStatus(before.path("changed").path("trigger_id").asString()))
                .isEqualTo(404);
        assertThat(triggerStatus(before.path("removed").path("trigger_id").asString()))
                .isEqualTo(404);
        assertThat(after.has("removed")).isFalse();
        assertThat(triggerStatus(after.path("added").path("trigger_id").asString()))
                .isEqualTo(200);
        assertThat(call("GET", "/jobs/triggers/" + changedId)
                        .json()
                        .path("data")
                        .path("attributes")
                        .path("arguments")
                        .asString())
                .isEqualTo("0 0 1 * * *");
        App app = catalog.get(domain, AppKind.WEBAPP, "life");
        assertThat(files.localFolder(app).resolve("services/a.js")).hasContent("// a 2.0.0");
        assertThat(app.previousVersionId()).isEqualTo(oldVersion);
        assertThat(files.localFolder(versions.find(oldVersion).orElseThrow()).resolve("services/a.js"))
                .as("the previous version stays for running jobs")
                .hasContent("// a 1.0.0");
    }

    @Test
    void should_keep_the_previous_version_running_when_an_update_fails() throws IOException {
        Path v1 = build("1.0.0", "{\"a\":{\"file\":\"services/a.js\",\"trigger\":\"@event io.cozy.x:CREATED\"}}");
        assertThat(install(v1.toUri().toString()).status()).isEqualTo(202);
        JsonNode before = services();
        Path broken = build(
                "2.0.0",
                "{\"a\":{\"file\":\"services/a.js\",\"trigger\":\"@event io.cozy.x:CREATED\"},"
                        + "\"b\":{\"file\":\"services/missing.js\",\"trigger\":\"@event io.cozy.y\"}}");

        Api.Response refused =
                call("PUT", "/apps/life?Source=" + Api.enc(broken.toUri().toString()));

        assertThat(refused.status()).isEqualTo(400);
        Api.Response shown = call("GET", "/apps/life");
        assertThat(shown.json().path("data").path("attributes").path("version").asString())
                .isEqualTo("1.0.0");
        assertThat(services()).isEqualTo(before);
        List<String> jobs = postEvent();
        assertThat(jobs).hasSize(1);
        assertThat(Jobs.awaitFinal(api, domain, token, jobs.get(0))
                        .path("state")
                        .asString())
                .isEqualTo("done");
    }

    @Test
    void should_refuse_an_update_that_lost_a_race_and_change_nothing() throws IOException {
        assertThat(install(build("1.0.0", "{}").toUri().toString()).status()).isEqualTo(202);
        App current = catalog.get(domain, AppKind.WEBAPP, "life");

        assertThatThrownBy(() -> registrar.upgrade(
                        current.getId(),
                        "stale" + current.versionId().substring(5),
                        "file:///elsewhere",
                        versions.find(current.versionId()).orElseThrow(),
                        new Manifest("life", "9.9.9", "Life", Map.of(), Map.of(), Api.JSON.createObjectNode())))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("someone else");
        assertThat(catalog.get(domain, AppKind.WEBAPP, "life").version()).isEqualTo("1.0.0");
    }

    @Test
    void should_answer_concurrent_updates_with_202_or_409_and_end_on_one_complete_version() throws Exception {
        assertThat(install(build("1.0.0", "{}").toUri().toString()).status()).isEqualTo(202);
        List<String> sources = new ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            Path build = build("2.0." + i, "{\"a\":{\"file\":\"services/a.js\",\"trigger\":\"@event io.cozy.x\"}}");
            Files.createDirectories(build.resolve("assets"));
            for (int f = 0; f < 200; f++) {
                // Enough files that one update's copy overlaps another's pruning of old versions.
                Files.writeString(build.resolve("assets/f" + f + ".txt"), "asset " + f);
            }
            sources.add(build.toUri().toString());
        }

        List<CompletableFuture<Integer>> updates = sources.stream()
                .map(source -> CompletableFuture.supplyAsync(() ->
                        call("PUT", "/apps/life?Source=" + Api.enc(source)).status()))
                .toList();
        List<Integer> statuses = updates.stream().map(CompletableFuture::join).toList();

        assertThat(statuses)
                .as("no update fails for another reason than losing the race")
                .containsAnyOf(202)
                .allMatch(s -> s == 202 || s == 409);
        App app = catalog.get(domain, AppKind.WEBAPP, "life");
        assertThat(app.version()).startsWith("2.0.");
        Path folder = files.localFolder(app);
        assertThat(folder.resolve("services/a.js")).exists();
        assertThat(folder.resolve("manifest.webapp")).exists();
        try (var assets = Files.list(folder.resolve("assets"))) {
            assertThat(assets.count()).isEqualTo(200);
        }
        assertThat(versions.listOf(domain, AppKind.WEBAPP, "life"))
                .as("the current and previous versions, nothing left by the updates that lost")
                .hasSizeBetween(1, 2)
                .allMatch(StoredVersion::installed)
                .anyMatch(v -> v.id().equals(app.versionId()));
    }

    @Test
    void should_prune_old_versions_but_never_a_version_still_being_written() throws IOException {
        assertThat(install(build("1.0.0", "{}").toUri().toString()).status()).isEqualTo(202);
        App first = catalog.get(domain, AppKind.WEBAPP, "life");
        Path firstFolder = files.localFolder(first);
        assertThat(call(
                                "PUT",
                                "/apps/life?Source="
                                        + Api.enc(build("1.1.0", "{}").toUri().toString()))
                        .status())
                .isEqualTo(202);
        StoredVersion writing = stagedVersion("2.0.0", clock.instant());
        StoredVersion abandoned = stagedVersion("0.9.0", clock.instant().minus(Duration.ofDays(2)));

        assertThat(call(
                                "PUT",
                                "/apps/life?Source="
                                        + Api.enc(build("1.2.0", "{}").toUri().toString()))
                        .status())
                .isEqualTo(202);

        assertThat(versions.find(first.versionId()))
                .as("two versions back: pruned")
                .isEmpty();
        assertThat(firstFolder).as("and its unpacked copy with it").doesNotExist();
        assertThat(versions.find(writing.id())).isPresent();
        assertThat(versions.find(abandoned.id()))
                .as("left by a write that never ended")
                .isEmpty();
        assertThat(versions.listOf(domain, AppKind.WEBAPP, "life"))
                .as("the current and previous versions, and the one being written")
                .extracting(StoredVersion::version)
                .containsExactlyInAnyOrder("1.2.0", "1.1.0", "2.0.0");
    }

    /** A version another update is still writing (or left staged by a crash, when old). */
    private StoredVersion stagedVersion(String version, Instant createdAt) throws IOException {
        byte[] content = ("another update is writing " + version).getBytes();
        Path archive = Files.write(builds.resolve("staged-" + version), content);
        return versions.insert(
                new AppVersionStore.NewVersion(
                        domain, AppKind.WEBAPP, "life", version, AppFixtures.sha256(content), content.length, 1, 1),
                archive,
                createdAt);
    }

    @Test
    void should_uninstall_an_app_with_its_triggers_and_files() throws IOException {
        assertThat(install(build("1.0.0", "{\"a\":{\"file\":\"services/a.js\",\"trigger\":\"@event io.cozy.x\"}}")
                                .toUri()
                                .toString())
                        .status())
                .isEqualTo(202);
        String trigger = services().path("a").path("trigger_id").asString();
        Path folder = files.localFolder(catalog.get(domain, AppKind.WEBAPP, "life"));

        Api.Response deleted = call("DELETE", "/apps/life");

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("data").path("id").asString()).isEqualTo("io.cozy.apps/life");
        assertThat(call("GET", "/apps/life").status()).isEqualTo(404);
        assertThat(triggerStatus(trigger)).isEqualTo(404);
        assertThat(versions.listOf(domain, AppKind.WEBAPP, "life")).isEmpty();
        assertThat(folder).doesNotExist();
        assertThat(call("DELETE", "/apps/life").status()).isEqualTo(404);
        assertThat(install(build("1.0.1", "{}").toUri().toString()).status())
                .as("installable again")
                .isEqualTo(202);
    }

    @Test
    void should_uninstall_a_konnector_with_the_triggers_made_for_it() {
        String kprobe = Path.of("src/test/resources/konnectors/kprobe")
                .toAbsolutePath()
                .toUri()
                .toString();
        assertThat(call("POST", "/konnectors/kprobe?Source=" + Api.enc(kprobe)).status())
                .isEqualTo(202);
        Api.Response trigger = api.call(
                domain,
                token,
                "POST",
                "/jobs/triggers",
                "{\"data\":{\"attributes\":{\"type\":"
                        + "\"@cron\",\"arguments\":\"0 0 0 * * *\",\"worker\":\"konnector\",\"message\":{\"konnector\":\"kprobe\","
                        + "\"account\":\"a1\"}}}}");
        String id = trigger.json().path("data").path("id").asString();

        assertThat(call("DELETE", "/konnectors/kprobe").status()).isEqualTo(200);

        assertThat(triggerStatus(id)).isEqualTo(404);
    }

    @Test
    void should_stream_install_and_update_states_as_server_sent_events() throws Exception {
        HttpResponse<String> installed = stream(
                "POST",
                "/apps/life?Source=" + Api.enc(build("1.0.0", "{}").toUri().toString()));

        assertThat(installed.statusCode()).isEqualTo(200);
        assertThat(installed.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(states(installed.body())).containsExactly("installing", "ready");

        HttpResponse<String> updated = stream(
                "PUT",
                "/apps/life?Source=" + Api.enc(build("1.1.0", "{}").toUri().toString()));
        assertThat(states(updated.body())).containsExactly("upgrading", "ready");

        Path broken = build("2.0.0", "{\"b\":{\"file\":\"services/missing.js\"}}");
        HttpResponse<String> failed =
                stream("PUT", "/apps/life?Source=" + Api.enc(broken.toUri().toString()));
        assertThat(states(failed.body())).containsExactly("upgrading", "errored");
        assertThat(failed.body())
                .contains("\"error\":\"manifest.webapp: services.b.file")
                .contains("event: error\r\ndata: \"manifest.webapp: services.b.file");
        assertThat(call("GET", "/apps/life")
                        .json()
                        .path("data")
                        .path("attributes")
                        .path("version")
                        .asString())
                .isEqualTo("1.1.0");
    }

    @Test
    void should_repair_service_triggers_and_report_what_is_wrong_first() throws IOException {
        assertThat(install(build(
                                        "1.0.0",
                                        "{\"a\":{\"file\":\"services/a.js\",\"trigger\":\"@event io.cozy.x\"},"
                                                + "\"b\":{\"file\":\"services/b.js\",\"trigger\":\"@cron 0 0 0 * * *\"}}")
                                .toUri()
                                .toString())
                        .status())
                .isEqualTo(202);
        String a = services().path("a").path("trigger_id").asString();
        assertThat(call("DELETE", "/jobs/triggers/" + a).status()).isEqualTo(204);
        String ghost = createServiceTrigger("{\"slug\":\"ghost\",\"name\":\"x\"}", "@event io.cozy.x");
        String copy = createServiceTrigger("{\"name\":\"b\",\"slug\":\"life\"}", "@cron 0 0 0 * * *");

        JsonNode findings = api.admin("POST", "/instances/" + domain + "/checks/triggers", null)
                .json();
        assertThat(findings.toString())
                .as(findings.toString())
                .contains(
                        "\"kind\":\"duplicate\"",
                        "\"trigger_id\":\"" + copy + "\"",
                        "\"kind\":\"orphan\"",
                        "\"trigger_id\":\"" + ghost + "\"",
                        "app ghost is not installed");

        JsonNode report = api.admin("POST", "/instances/" + domain + "/fixers/service-triggers", null)
                .json();

        assertThat(report.path("Domain").asString()).isEqualTo(domain);
        assertThat(report.path("RecreatedTriggersCount").asInt()).isEqualTo(1);
        assertThat(report.path("DeletedTriggersCount").asInt()).isEqualTo(2);
        String recreated = services().path("a").path("trigger_id").asString();
        assertThat(recreated).isNotEqualTo(a);
        assertThat(triggerStatus(recreated)).isEqualTo(200);
        assertThat(triggerStatus(ghost)).isEqualTo(404);
        assertThat(triggerStatus(copy)).isEqualTo(404);
        assertThat(api.admin("GET", "/instances/" + domain + "/checks/triggers", null)
                        .json()
                        .size())
                .isZero();
        assertThat(api.admin("POST", "/instances/nowhere.test/fixers/service-triggers", null)
                        .status())
                .isEqualTo(404);
    }

    private String createServiceTrigger(String message, String spec) {
        int space = spec.indexOf(' ');
        Api.Response r = api.call(
                domain,
                token,
                "POST",
                "/jobs/triggers",
                "{\"data\":{\"attributes\":{\"type\":\""
                        + spec.substring(0, space) + "\",\"arguments\":\"" + spec.substring(space + 1)
                        + "\",\"worker\":\"service\",\"message\":" + message + "}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("data").path("id").asString();
    }

    private int triggerStatus(String id) {
        return call("GET", "/jobs/triggers/" + id).status();
    }

    private List<String> postEvent() {
        Api.Response r = api.admin(
                "POST",
                "/instances/" + domain + "/events",
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.x\",\"doc\":{\"_id\":\"d1\"}}");
        assertThat(r.status()).isEqualTo(202);
        return r.json().path("jobs").valueStream().map(JsonNode::asString).toList();
    }

    private HttpResponse<String> stream(String method, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Host", domain)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream")
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> states(String body) {
        return body.lines()
                .filter(l -> l.startsWith("data: {"))
                .map(l -> Api.JSON
                        .readTree(l.substring(6))
                        .path("data")
                        .path("attributes")
                        .path("state")
                        .asString())
                .toList();
    }
}
