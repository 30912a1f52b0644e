package org.jobstack.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jobstack.common.FileTrees;
import org.jobstack.common.Problem;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packing a build into its stored form and back. */
class VersionArchiveTest {

    @TempDir
    Path dir;

    private final VersionArchive archives = new VersionArchive(1_000_000, 50);

    /** A file of a generated build: its path, content and whether it is executable. */
    record GeneratedFile(List<String> folders, String name, byte[] content, boolean executable) {
        String path() {
            return String.join("/", folders) + (folders.isEmpty() ? "" : "/") + name;
        }
    }

    @Property(tries = 60)
    void should_unpack_exactly_what_was_packed_whatever_the_file_names(@ForAll("builds") List<GeneratedFile> generated)
            throws IOException {
        Path work = Files.createTempDirectory("version-archive-");
        try {
            Path build = Files.createDirectories(work.resolve("build"));
            Map<String, GeneratedFile> expected = new TreeMap<>();
            for (GeneratedFile file : generated) {
                Path path = build.resolve(file.path());
                Files.createDirectories(path.getParent());
                Files.write(path, file.content());
                path.toFile().setExecutable(file.executable(), true);
                expected.put(file.path(), file);
            }
            Path unpacked = Files.createDirectories(work.resolve("unpacked"));

            VersionArchive.Packed packed = archives.pack(build, work.resolve("version.tar.gz"));
            VersionArchive.unpack(packed.archive(), unpacked, packed.fileBytes(), packed.fileCount());

            assertThat(packed.fileCount()).isEqualTo(expected.size());
            assertThat(tree(unpacked)).isEqualTo(tree(build));
            for (GeneratedFile file : expected.values()) {
                Path path = unpacked.resolve(file.path());
                assertThat(path).hasBinaryContent(file.content());
                assertThat(Files.isExecutable(path)).as(file.path()).isEqualTo(file.executable());
            }
        } finally {
            FileTrees.delete(work);
        }
    }

    @Provide
    Arbitrary<List<GeneratedFile>> builds() {
        // Every character a Linux file name may hold that archive formats or extractors often get
        // wrong: separators of other systems, drive-letter colons, spaces, quotes, control
        // characters, non-ASCII letters; names long enough to need extended tar headers.
        Arbitrary<String> hostile = Arbitraries.strings()
                .withChars("aZ09 .-_\\:;'\"$*?~#%&()[]{}<>|=+,@!\n\t\réß€日")
                .ofMinLength(1)
                .ofMaxLength(60);
        Arbitrary<String> folder = hostile.map(s -> "d" + s);
        Arbitrary<String> name = hostile.map(s -> "f" + s);
        Arbitrary<GeneratedFile> file = Combinators.combine(
                        folder.list().ofMaxSize(3),
                        name,
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(3000),
                        Arbitraries.of(true, false))
                .as(GeneratedFile::new);
        return file.list().ofMinSize(1).ofMaxSize(12);
    }

    @Test
    void should_store_a_link_inside_the_app_as_the_file_it_leads_to_and_leave_folder_links_out() throws IOException {
        Path build = Files.createDirectories(dir.resolve("build"));
        Files.createDirectories(build.resolve("lib"));
        Files.writeString(build.resolve("lib/a.js"), "// a");
        Files.createSymbolicLink(build.resolve("index.js"), Path.of("lib/a.js"));
        Files.createSymbolicLink(build.resolve("same-lib"), Path.of("lib"));
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));

        VersionArchive.Packed packed = archives.pack(build, dir.resolve("v.tar.gz"));
        VersionArchive.unpack(packed.archive(), unpacked, packed.fileBytes(), packed.fileCount());

        assertThat(unpacked.resolve("index.js")).isRegularFile().hasContent("// a");
        assertThat(Files.isSymbolicLink(unpacked.resolve("index.js"))).isFalse();
        assertThat(unpacked.resolve("same-lib")).doesNotExist();
        assertThat(packed.fileCount()).isEqualTo(2);
    }

    @Test
    void should_refuse_links_that_lead_out_of_the_app_or_nowhere() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "not for the app");
        Path out = Files.createDirectories(dir.resolve("out/services"));
        Files.createSymbolicLink(out.resolve("secret.js"), secret);
        Path nowhere = Files.createDirectories(dir.resolve("nowhere"));
        Files.createSymbolicLink(nowhere.resolve("gone.js"), nowhere.resolve("missing.js"));

        assertThatThrownBy(() -> archives.pack(dir.resolve("out"), dir.resolve("a.tar.gz")))
                .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.field()).isEqualTo("source"))
                .hasMessage("services/secret.js links outside the app");
        assertThatThrownBy(() -> archives.pack(nowhere, dir.resolve("b.tar.gz")))
                .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.field()).isEqualTo("source"))
                .hasMessage("gone.js is a link to nothing");
    }

    @Test
    void should_refuse_a_file_the_server_cannot_read() throws IOException {
        Path build = Files.createDirectories(dir.resolve("build"));
        Path secret = Files.writeString(build.resolve("secret.js"), "// no");
        Assumptions.assumeTrue(secret.toFile().setReadable(false, false) && !Files.isReadable(secret));

        assertThatThrownBy(() -> archives.pack(build, dir.resolve("a.tar.gz")))
                .isInstanceOfSatisfying(
                        Problem.class, p -> assertThat(p.field()).isEqualTo("source"))
                .hasMessage("secret.js cannot be read by the server");
    }

    @Test
    void should_refuse_a_build_past_the_app_limits() throws IOException {
        Path many = Files.createDirectories(dir.resolve("many"));
        for (int i = 0; i < 51; i++) {
            Files.writeString(many.resolve("f" + i), "x");
        }
        Path big = Files.createDirectories(dir.resolve("big"));
        Files.write(big.resolve("big.bin"), new byte[1_000_001]);

        assertThatThrownBy(() -> archives.pack(many, dir.resolve("a.tar.gz")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_LARGE));
        assertThatThrownBy(() -> archives.pack(big, dir.resolve("b.tar.gz")))
                .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_LARGE));
    }

    /** Every path under a folder, relative, folders marked with a trailing slash. */
    private static List<String> tree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(p -> !p.equals(root))
                    .map(p -> root.relativize(p) + (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "/" : ""))
                    .sorted()
                    .toList();
        }
    }
}
