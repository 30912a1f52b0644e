package org.jobstack.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.jobstack.common.FileTrees;
import org.jobstack.common.Sql;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.Jobs;
import org.jobstack.support.ServerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.JsonNode;

/**
 * The way up from a single-node install: a data folder whose database is at the schema before
 * files were stored (V7), with an app whose files are only in the apps folder and one whose folder
 * is gone. A real server starts on it: the first is imported and runs from the database, the
 * second is errored with why, and the server starts all the same.
 */
class LegacyAppImportTest {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();
    private static final String DOMAIN = "legacy.test";

    @TempDir
    Path dataDir;

    @Test
    void should_import_the_files_of_apps_installed_before_they_were_stored_in_the_database() throws Exception {
        try (FakeStack stack = new FakeStack()) {
            Path legacyFolder = dataDir.resolve("apps/" + DOMAIN + "/webapp/probe/2.1.0-0123abcd");
            copy(PROBE, legacyFolder);
            Path goneFolder = dataDir.resolve("apps/" + DOMAIN + "/webapp/lost/1.0.0-4567cdef");
            JdbcClient jdbc = legacyDatabase();
            legacyInstance(jdbc, stack.url());
            legacyApp(jdbc, "probe", "2.1.0", legacyFolder);
            legacyApp(jdbc, "lost", "1.0.0", goneFolder);

            int port = ServerProcess.freePort();
            int adminPort = ServerProcess.freePort();
            try (ServerProcess server = ServerProcess.start(dataDir, port, adminPort)) {
                Api api = server.api();
                String token = api.cliToken(DOMAIN, "io.cozy.apps io.cozy.jobs");
                FileTrees.delete(dataDir.resolve("apps"));

                JsonNode probe = attributes(api.call(DOMAIN, token, "GET", "/apps/probe", null));
                JsonNode lost = attributes(api.call(DOMAIN, token, "GET", "/apps/lost", null));
                Api.Response queued = api.call(
                        DOMAIN,
                        token,
                        "POST",
                        "/jobs/queue/service",
                        "{\"data\":{\"attributes\":{\"arguments\":{\"slug\":\"probe\",\"name\":\"dump\"}}}}");
                assertThat(queued.status()).as(queued.body()).isEqualTo(202);
                JsonNode job = Jobs.awaitFinal(
                        api,
                        DOMAIN,
                        token,
                        queued.json().path("data").path("id").asString());

                assertThat(probe.path("state").asString()).isEqualTo("ready");
                assertThat(job.path("state").asString())
                        .as("run from the database, the apps folder gone")
                        .isEqualTo("done");
                assertThat(stack.requests()).hasSize(1);
                assertThat(lost.path("state").asString()).isEqualTo("errored");
                assertThat(lost.path("error").asString())
                        .isEqualTo("The files of lost 1.0.0 were in " + goneFolder
                                + ", which is gone; update the app from its source to bring them back");
                server.stop();
            }
            assertThat(serverLog())
                    .contains("Imported the files of probe 2.1.0 from " + legacyFolder
                            + " into the database; that folder is no longer used");
        }
        JdbcClient jdbc = database();
        Map<String, Object> probe = jdbc.sql("SELECT version_id, version_hash, storage FROM app WHERE slug = 'probe'")
                .query()
                .singleRow();
        assertThat(probe.get("STORAGE"))
                .as("imported once: no folder left to import")
                .isNull();
        assertThat(jdbc.sql("SELECT content_hash FROM app_version WHERE id = ? AND installed")
                        .param(probe.get("VERSION_ID"))
                        .query(String.class)
                        .single())
                .isEqualTo(probe.get("VERSION_HASH"));
        assertThat(jdbc.sql("SELECT storage FROM app WHERE slug = 'lost'")
                        .query(String.class)
                        .single())
                .as("kept, so that a start with the folder back imports it")
                .isNotNull();
    }

    /** The database of a data folder as Jobstack left it before files were stored in it. */
    private JdbcClient legacyDatabase() {
        DriverManagerDataSource ds = dataSource();
        Flyway.configure()
                .dataSource(ds)
                .locations("classpath:db/migration")
                .target("7")
                .load()
                .migrate();
        return JdbcClient.create(ds);
    }

    private JdbcClient database() {
        return JdbcClient.create(dataSource());
    }

    private DriverManagerDataSource dataSource() {
        return new DriverManagerDataSource(
                "jdbc:h2:file:" + dataDir.resolve("jobstack") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    }

    private static void legacyInstance(JdbcClient jdbc, String stackUrl) {
        jdbc.sql("INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at)"
                        + " VALUES (?, 'en', ?, ?, ?, ?)")
                .param(DOMAIN)
                .param(stackUrl)
                .param(Base64.getEncoder().encodeToString(new byte[64]))
                .param(Sql.ts(AppFixtures.T0))
                .param(Sql.ts(AppFixtures.T0))
                .update();
    }

    /** An app row as the old install wrote it: its files in {@code storage}, one manual service. */
    private static void legacyApp(JdbcClient jdbc, String slug, String version, Path storage) {
        String id = slug + "0".repeat(32 - slug.length());
        jdbc.sql("INSERT INTO app (id, domain, kind, slug, state, version, source, storage, manifest, created_at,"
                        + " updated_at) VALUES (?, ?, 'webapp', ?, 'ready', ?, 'file:///gone', ?, ?, ?, ?)")
                .param(id)
                .param(DOMAIN)
                .param(slug)
                .param(version)
                .param(storage.toString())
                .param("{\"slug\":\"" + slug + "\",\"version\":\"" + version + "\"}")
                .param(Sql.ts(AppFixtures.T0))
                .param(Sql.ts(AppFixtures.T0))
                .update();
        jdbc.sql("INSERT INTO app_service (app_id, name, type, file, trigger_spec, debounce, trigger_id)"
                        + " VALUES (?, 'dump', 'node', 'services/dump.js', '', '', '')")
                .param(id)
                .update();
    }

    private String serverLog() throws IOException {
        try (Stream<Path> files = Files.list(dataDir)) {
            List<Path> logs = files.filter(f -> f.getFileName().toString().startsWith("server-"))
                    .toList();
            StringBuilder all = new StringBuilder();
            for (Path log : logs) {
                all.append(Files.readString(log));
            }
            return all.toString();
        }
    }

    private static JsonNode attributes(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("data").path("attributes");
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
