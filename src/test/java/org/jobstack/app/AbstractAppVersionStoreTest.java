package org.jobstack.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.jobstack.app.manifest.AppKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The stored versions' SQL, run once per database (H2 and PostgreSQL subclasses). */
abstract class AbstractAppVersionStoreTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final String DOMAIN = "a.test";

    @TempDir
    Path dir;

    DataSource dataSource;
    JdbcClient jdbc;
    AppVersionStore store;

    abstract DataSource dataSource();

    @BeforeEach
    void setUp() {
        dataSource = dataSource();
        jdbc = JdbcClient.create(dataSource);
        store = new AppVersionStore(jdbc);
        AppFixtures.instance(jdbc, DOMAIN);
    }

    @Test
    void should_keep_archives_in_binary_columns_and_sizes_in_64_bits() throws SQLException {
        Map<String, Integer> types = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.getMetaData().getColumns(null, null, "%", "%")) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                if (table.startsWith("app")) {
                    types.put(
                            table + "." + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT), rs.getInt("DATA_TYPE"));
                }
            }
        }

        assertThat(types.get("app_version_chunk.content")).isIn(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY);
        assertThat(types.get("app_version.content_bytes")).isEqualTo(Types.BIGINT);
        assertThat(types.get("app_version.file_bytes")).isEqualTo(Types.BIGINT);
        assertThat(types.get("app_version.installed")).isIn(Types.BOOLEAN, Types.BIT);
        assertThat(types).containsKeys("app.version_id", "app.version_hash", "app.previous_version_id");
    }

    @Test
    void should_read_back_an_archive_stored_in_chunks_of_at_most_one_mebibyte() throws IOException {
        byte[] content = randomBytes(AppVersionStore.CHUNK_BYTES * 2 + 12_345);

        StoredVersion stored = insert("probe", content, T0);

        assertThat(stored.chunkCount()).isEqualTo(3);
        assertThat(jdbc.sql("SELECT seq, content FROM app_version_chunk WHERE version_id = ? ORDER BY seq")
                        .param(stored.id())
                        .query((rs, i) -> rs.getBytes("content").length)
                        .list())
                .containsExactly(AppVersionStore.CHUNK_BYTES, AppVersionStore.CHUNK_BYTES, 12_345);
        try (InputStream in = store.content(store.find(stored.id()).orElseThrow())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @Test
    void should_read_back_every_size_around_a_chunk_boundary() throws IOException {
        AppVersionStore small = new AppVersionStore(jdbc, 1000);
        for (int size : List.of(0, 1, 999, 1000, 1001, 3000)) {
            byte[] content = randomBytes(size);
            Path archive = Files.write(dir.resolve("a-" + size), content);
            StoredVersion stored = small.insert(newVersion("s" + size, content), archive, T0);

            assertThat(stored.chunkCount()).as("size %d", size).isEqualTo((size + 999) / 1000);
            try (InputStream in = small.content(stored)) {
                assertThat(in.readAllBytes()).as("size %d", size).isEqualTo(content);
            }
        }
    }

    @Test
    void should_keep_what_a_version_is_with_its_row() throws IOException {
        byte[] content = randomBytes(100);

        StoredVersion stored = insert("probe", content, T0);

        StoredVersion found = store.find(stored.id()).orElseThrow();
        assertThat(found).isEqualTo(stored);
        assertThat(found.installed()).isFalse();
        assertThat(found.createdAt()).isEqualTo(T0);
        assertThat(found.contentHash()).hasSize(64);
        assertThat(store.hashes(List.of(stored.id(), "0".repeat(32))))
                .isEqualTo(Map.of(stored.id(), stored.contentHash()));
        store.markInstalled(stored.id());
        assertThat(store.find(stored.id()).orElseThrow().installed()).isTrue();
    }

    @Test
    void should_end_the_content_with_an_error_when_a_chunk_is_missing() throws IOException {
        AppVersionStore small = new AppVersionStore(jdbc, 1000);
        byte[] content = randomBytes(2500);
        StoredVersion stored = small.insert(newVersion("probe", content), Files.write(dir.resolve("a"), content), T0);
        jdbc.sql("DELETE FROM app_version_chunk WHERE version_id = ? AND seq = 1")
                .param(stored.id())
                .update();

        assertThatThrownBy(() -> {
                    try (InputStream in = small.content(stored)) {
                        in.readAllBytes();
                    }
                })
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("chunk 2 of 3");
    }

    @Test
    void should_refuse_an_archive_whose_size_is_not_the_one_announced() throws IOException {
        byte[] content = randomBytes(10);
        Path archive = Files.write(dir.resolve("a"), content);
        AppVersionStore.NewVersion wrong =
                new AppVersionStore.NewVersion(DOMAIN, AppKind.WEBAPP, "probe", "1.0.0", "0".repeat(64), 11, 1, 1);

        assertThatThrownBy(() -> store.insert(wrong, archive, T0)).isInstanceOf(IOException.class);
        assertThat(store.listOf(DOMAIN, AppKind.WEBAPP, "probe")).isEmpty();
    }

    @Test
    void should_delete_a_version_with_its_chunks() throws IOException {
        StoredVersion stored = insert("probe", randomBytes(3000), T0);

        store.delete(stored.id());

        assertThat(store.find(stored.id())).isEmpty();
        assertThat(chunkRows()).isZero();
    }

    @Test
    void should_delete_the_versions_and_chunks_of_an_instance_with_it() throws IOException {
        StoredVersion current = insert("probe", randomBytes(3000), T0);
        StoredVersion previous = insert("probe", randomBytes(3000), T0);
        AppFixtures.app(jdbc, DOMAIN, "probe", current, previous);

        jdbc.sql("DELETE FROM instance WHERE domain = ?").param(DOMAIN).update();

        assertThat(store.find(current.id())).isEmpty();
        assertThat(store.find(previous.id())).isEmpty();
        assertThat(chunkRows()).isZero();
    }

    @Test
    void should_delete_the_installed_versions_of_an_uninstalled_app_but_not_one_being_written() throws IOException {
        StoredVersion current = installed(insert("probe", randomBytes(10), T0));
        StoredVersion previous = installed(insert("probe", randomBytes(10), T0));
        StoredVersion other = installed(insert("other", randomBytes(10), T0));
        StoredVersion writing = insert("probe", randomBytes(10), T0);
        String appId = AppFixtures.app(jdbc, DOMAIN, "probe", current, previous);
        jdbc.sql("DELETE FROM app WHERE id = ?").param(appId).update();

        assertThat(store.deleteInstalled(DOMAIN, AppKind.WEBAPP, "probe")).isEqualTo(2);

        assertThat(store.listOf(DOMAIN, AppKind.WEBAPP, "probe"))
                .extracting(StoredVersion::id)
                .containsExactly(writing.id());
        assertThat(store.find(other.id())).isPresent();
    }

    @Test
    void should_prune_replaced_versions_keeping_current_previous_and_those_being_written() throws IOException {
        StoredVersion old = installed(insert("probe", randomBytes(10), T0));
        StoredVersion previous = installed(insert("probe", randomBytes(10), T0));
        StoredVersion current = installed(insert("probe", randomBytes(10), T0));
        StoredVersion writing = insert("probe", randomBytes(10), T0.plus(Duration.ofHours(23)));
        StoredVersion abandoned = insert("probe", randomBytes(10), T0.minus(Duration.ofHours(1)));
        StoredVersion otherApp = installed(insert("other", randomBytes(10), T0));
        AppFixtures.app(jdbc, DOMAIN, "probe", current, previous);

        int deleted = store.deleteReplaced(DOMAIN, AppKind.WEBAPP, "probe", T0);

        assertThat(deleted).isEqualTo(2);
        assertThat(store.listOf(DOMAIN, AppKind.WEBAPP, "probe"))
                .extracting(StoredVersion::id)
                .containsExactlyInAnyOrder(previous.id(), current.id(), writing.id());
        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.find(abandoned.id())).isEmpty();
        assertThat(store.find(otherApp.id()))
                .as("another app's versions are its own")
                .isPresent();
    }

    @Test
    void should_delete_staged_versions_abandoned_by_a_crash() throws IOException {
        StoredVersion abandoned = insert("probe", randomBytes(10), T0.minus(Duration.ofDays(2)));
        StoredVersion recent = insert("probe", randomBytes(10), T0);
        StoredVersion installedLongAgo = installed(insert("other", randomBytes(10), T0.minus(Duration.ofDays(2))));

        assertThat(store.deleteAbandoned(T0.minus(Duration.ofDays(1)))).isEqualTo(1);

        assertThat(store.find(abandoned.id())).isEmpty();
        assertThat(store.find(recent.id())).isPresent();
        assertThat(store.find(installedLongAgo.id())).isPresent();
    }

    private StoredVersion installed(StoredVersion version) {
        store.markInstalled(version.id());
        return store.find(version.id()).orElseThrow();
    }

    private StoredVersion insert(String slug, byte[] content, Instant at) throws IOException {
        Path archive = Files.write(Files.createTempFile(dir, "archive-", ".bin"), content);
        return store.insert(newVersion(slug, content), archive, at);
    }

    private static AppVersionStore.NewVersion newVersion(String slug, byte[] content) {
        return new AppVersionStore.NewVersion(
                DOMAIN, AppKind.WEBAPP, slug, "1.0.0", AppFixtures.sha256(content), content.length, 1, 1);
    }

    private long chunkRows() {
        return jdbc.sql("SELECT COUNT(*) FROM app_version_chunk")
                .query(Long.class)
                .single();
    }

    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
