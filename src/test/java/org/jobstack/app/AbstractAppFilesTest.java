package org.jobstack.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jobstack.app.manifest.AppKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A node's cache of unpacked versions, on a real database (H2 and PostgreSQL subclasses): unpacked
 * once, verified, safe under concurrent first use, private, pruned when versions leave the database.
 */
abstract class AbstractAppFilesTest {

    static final String DOMAIN = "a.test";

    @TempDir
    Path dir;

    JdbcClient jdbc;
    CountingStore store;
    AppFiles files;
    private int builds;

    abstract DataSource dataSource();

    /** A store that counts the archives read back, a little slowly, so that concurrent asks overlap. */
    static final class CountingStore extends AppVersionStore {
        final AtomicInteger reads = new AtomicInteger();

        CountingStore(JdbcClient jdbc, int chunkBytes) {
            super(jdbc, chunkBytes);
        }

        @Override
        public InputStream content(StoredVersion v) {
            reads.incrementAndGet();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return super.content(v);
        }
    }

    @BeforeEach
    void setUp() {
        jdbc = JdbcClient.create(dataSource());
        store = new CountingStore(jdbc, 4096);
        files = new AppFiles(store, dir.resolve("node-a/cache/apps"));
        AppFixtures.instance(jdbc, DOMAIN);
    }

    @Test
    void should_unpack_a_version_on_first_use_and_then_need_no_database() throws IOException {
        StoredVersion v1 = stored(build("1.0.0"));

        Path folder = files.localFolder(v1);

        assertThat(folder).isEqualTo(files.root().resolve(v1.id() + "-" + v1.contentHash()));
        assertThat(folder.resolve("manifest.webapp")).hasContent("{\"slug\":\"probe\",\"version\":\"1.0.0\"}");
        assertThat(folder.resolve("services/a.js")).hasContent("// a 1.0.0");
        assertThat(folder.resolve("deep/er/still/data.bin"))
                .hasBinaryContent(AbstractAppVersionStoreTest.randomBytes(20_000));
        assertThat(folder.resolve("empty")).isEmptyDirectory();
        assertThat(Files.isExecutable(folder.resolve("bin/run.sh"))).isTrue();
        assertThat(Files.isExecutable(folder.resolve("services/a.js"))).isFalse();
        assertThat(store.reads).hasValue(1);

        jdbc.sql("DELETE FROM app_version WHERE id = ?").param(v1.id()).update();

        assertThat(files.localFolder(v1)).as("in place: read from disk alone").isEqualTo(folder);
        assertThat(store.reads).hasValue(1);
    }

    @Test
    void should_unpack_a_version_once_when_many_jobs_ask_for_it_at_once() throws Exception {
        StoredVersion v1 = stored(build("1.0.0"));
        int threads = 8;
        CyclicBarrier start = new CyclicBarrier(threads);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Path>> asks = new ArrayList<>();
        try {
            for (int i = 0; i < threads; i++) {
                asks.add(pool.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    return files.localFolder(v1);
                }));
            }
            Set<Path> folders = new HashSet<>();
            for (Future<Path> ask : asks) {
                folders.add(ask.get(30, TimeUnit.SECONDS));
            }

            assertThat(folders).hasSize(1);
            assertThat(store.reads).as("one read of the archive").hasValue(1);
            assertThat(folders.iterator().next().resolve("services/a.js")).hasContent("// a 1.0.0");
            assertThat(entries(files.root())).containsExactly(v1.id() + "-" + v1.contentHash());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void should_give_each_node_the_version_another_node_stored() throws IOException {
        AppFiles otherNode = new AppFiles(store, dir.resolve("node-b/cache/apps"));
        StoredVersion v1 = stored(build("1.0.0"));
        assertThat(files.localFolder(v1).resolve("services/a.js")).hasContent("// a 1.0.0");

        StoredVersion v2 = stored(build("2.0.0"));

        assertThat(otherNode.localFolder(v2).resolve("services/a.js")).hasContent("// a 2.0.0");
        assertThat(otherNode.localFolder(v1).resolve("services/a.js")).hasContent("// a 1.0.0");
        assertThat(files.localFolder(v2).resolve("services/a.js")).hasContent("// a 2.0.0");
    }

    @Test
    void should_refuse_a_version_whose_stored_bytes_were_altered() throws IOException {
        StoredVersion v1 = stored(build("1.0.0"));
        assertThat(v1.chunkCount()).isGreaterThan(2);
        byte[] chunk = jdbc.sql("SELECT content FROM app_version_chunk WHERE version_id = ? AND seq = 1")
                .param(v1.id())
                .query((rs, i) -> rs.getBytes(1))
                .single();
        chunk[100] ^= 0x20;
        jdbc.sql("UPDATE app_version_chunk SET content = ? WHERE version_id = ? AND seq = 1")
                .param(chunk)
                .param(v1.id())
                .update();

        assertThatThrownBy(() -> files.localFolder(v1))
                .isInstanceOfSatisfying(
                        AppFilesUnavailable.class,
                        e -> assertThat(e.reason()).isEqualTo(AppFilesUnavailable.Reason.CORRUPTED))
                .hasMessageContaining("The stored files of probe 1.0.0 (version " + v1.id() + ") are corrupted")
                .hasMessageContaining("hash to");
        assertThat(entries(files.root()))
                .as("nothing unpacked, no staging left")
                .isEmpty();
    }

    @Test
    void should_refuse_a_version_with_a_missing_chunk() throws IOException {
        StoredVersion v1 = stored(build("1.0.0"));
        jdbc.sql("DELETE FROM app_version_chunk WHERE version_id = ? AND seq = 1")
                .param(v1.id())
                .update();

        assertThatThrownBy(() -> files.localFolder(v1))
                .isInstanceOfSatisfying(
                        AppFilesUnavailable.class,
                        e -> assertThat(e.reason()).isEqualTo(AppFilesUnavailable.Reason.CORRUPTED))
                .hasMessageContaining("chunk 2 of " + v1.chunkCount() + " of version " + v1.id() + " is missing");
        assertThat(entries(files.root())).isEmpty();
    }

    @Test
    void should_refuse_a_version_whose_hash_is_not_the_one_its_app_expects() throws IOException {
        StoredVersion v1 = stored(build("1.0.0"));
        StoredVersion expected = new StoredVersion(
                v1.id(),
                v1.domain(),
                v1.kind(),
                v1.slug(),
                v1.version(),
                "0".repeat(64),
                v1.contentBytes(),
                v1.chunkCount(),
                v1.fileBytes(),
                v1.fileCount(),
                true,
                v1.createdAt());

        assertThatThrownBy(() -> files.localFolder(expected))
                .isInstanceOfSatisfying(
                        AppFilesUnavailable.class,
                        e -> assertThat(e.reason()).isEqualTo(AppFilesUnavailable.Reason.CORRUPTED))
                .hasMessageContaining("its row holds content hash " + v1.contentHash());
    }

    @Test
    void should_say_when_a_version_is_gone_or_an_app_has_no_files() throws IOException {
        StoredVersion v1 = stored(build("1.0.0"));
        store.delete(v1.id());
        App legacy = App.preview(DOMAIN, AppKind.WEBAPP, "probe", AppState.READY, "0.1.0", "file:///x", "{}", null);

        assertThatThrownBy(() -> files.localFolder(v1))
                .isInstanceOfSatisfying(
                        AppFilesUnavailable.class,
                        e -> assertThat(e.reason()).isEqualTo(AppFilesUnavailable.Reason.GONE))
                .hasMessageContaining("no longer stored");
        assertThatThrownBy(() -> files.localFolder(legacy))
                .isInstanceOfSatisfying(
                        AppFilesUnavailable.class,
                        e -> assertThat(e.reason()).isEqualTo(AppFilesUnavailable.Reason.NONE))
                .hasMessage("No files are stored for probe 0.1.0");
    }

    @Test
    void should_prune_the_folders_of_versions_no_longer_stored_and_leftovers() throws IOException {
        StoredVersion gone = stored(build("1.0.0"));
        StoredVersion kept = stored(build("2.0.0"));
        Path goneFolder = files.localFolder(gone);
        Path keptFolder = files.localFolder(kept);
        Path staging = Files.createDirectories(files.root().resolve(".staging-" + gone.id() + "-x-123"));
        Path stranger = Files.writeString(files.root().resolve("not-a-version"), "?");
        Path rehashed = Files.createDirectories(files.root().resolve(kept.id() + "-" + "f".repeat(64)));
        store.delete(gone.id());

        files.prune();

        assertThat(goneFolder).doesNotExist();
        assertThat(staging).as("left by a crash during an unpack").doesNotExist();
        assertThat(stranger).doesNotExist();
        assertThat(rehashed).as("the version is stored with another hash").doesNotExist();
        assertThat(keptFolder.resolve("services/a.js")).hasContent("// a 2.0.0");
    }

    @Test
    void should_keep_unpacked_files_private_to_the_node() throws IOException {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        StoredVersion v1 = stored(build("1.0.0"));

        Path folder = files.localFolder(v1);

        assertThat(mode(files.root())).isEqualTo("rwx------");
        assertThat(mode(folder)).isEqualTo("rwx------");
        assertThat(mode(folder.resolve("services"))).isEqualTo("rwx------");
        assertThat(mode(folder.resolve("services/a.js"))).isEqualTo("rw-------");
        assertThat(mode(folder.resolve("bin/run.sh"))).isEqualTo("rwx------");
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<String> entries(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(folder)) {
            return list.map(p -> p.getFileName().toString()).toList();
        }
    }

    /** A build of app "probe": a manifest, a service, an executable script, a nested binary file, an empty folder. */
    private Path build(String version) throws IOException {
        Path build = Files.createDirectories(dir.resolve("build-" + ++builds));
        Files.writeString(build.resolve("manifest.webapp"), "{\"slug\":\"probe\",\"version\":\"" + version + "\"}");
        Files.createDirectories(build.resolve("services"));
        Files.writeString(build.resolve("services/a.js"), "// a " + version);
        Files.createDirectories(build.resolve("bin"));
        Path script = Files.writeString(build.resolve("bin/run.sh"), "#!/bin/sh\necho " + version + "\n");
        assertThat(script.toFile().setExecutable(true, true)).isTrue();
        Files.createDirectories(build.resolve("deep/er/still"));
        Files.write(build.resolve("deep/er/still/data.bin"), AbstractAppVersionStoreTest.randomBytes(20_000));
        Files.createDirectories(build.resolve("empty"));
        return build;
    }

    /** The build packed and stored as an installed version of "probe". */
    private StoredVersion stored(Path build) throws IOException {
        Path archive = dir.resolve(build.getFileName() + ".tar.gz");
        VersionArchive.Packed packed = new VersionArchive(10_000_000, 100).pack(build, archive);
        StoredVersion v = store.insert(
                new AppVersionStore.NewVersion(
                        DOMAIN,
                        AppKind.WEBAPP,
                        "probe",
                        Files.readString(build.resolve("manifest.webapp"))
                                .replaceAll(".*\"version\":\"([^\"]+)\".*", "$1"),
                        packed.hash(),
                        packed.bytes(),
                        packed.fileBytes(),
                        packed.fileCount()),
                archive,
                AppFixtures.T0);
        store.markInstalled(v.id());
        return store.find(v.id()).orElseThrow();
    }
}
