package org.jobstack.app.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.jobstack.common.Problem;
import org.jobstack.support.ArchiveFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ArchiveExtractorTest {

    @TempDir
    Path dir;

    private final ArchiveExtractor extractor = ArchiveExtractor.forSources(10_000, 5);

    @Test
    void should_extract_files_folders_and_links_that_stay_inside() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("build/manifest.webapp", "{}");
        entries.put("build/services/a.js", "// a");
        entries.put("build/link.js", "->services/a.js");
        entries.put("build/hard.js", "=>build/services/a.js");
        Path target = Files.createDirectory(dir.resolve("out"));

        extractor.extract(ArchiveFiles.tarGz(dir.resolve("a.tar.gz"), entries), target);

        assertThat(target.resolve("build/services/a.js")).hasContent("// a");
        assertThat(target.resolve("build/link.js")).isSymbolicLink().hasContent("// a");
        assertThat(target.resolve("build/hard.js")).hasContent("// a");
    }

    static Stream<Map<String, String>> hostileTars() {
        return Stream.of(
                Map.of("../evil.js", "x"),
                Map.of("build/../../evil.js", "x"),
                Map.of("/etc/evil.js", "x"),
                Map.of("link", "->/etc/passwd"),
                Map.of("link", "->../../outside"),
                Map.of("hard", "=>../../etc/passwd"),
                ordered("dir", "->/tmp", "dir/evil.js", "x"),
                ordered("inner", "->.", "inner/../../evil.js", "x"));
    }

    @ParameterizedTest
    @MethodSource("hostileTars")
    void should_refuse_tar_entries_that_escape_or_write_through_links(Map<String, String> entries) throws IOException {
        Path target = Files.createDirectory(dir.resolve("out"));
        Path archive = ArchiveFiles.tarGz(dir.resolve("hostile.tar.gz"), entries);

        assertThatThrownBy(() -> extractor.extract(archive, target))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("Unsafe archive");
        assertThat(dir.resolve("evil.js")).doesNotExist();
        assertThat(dir.getParent().resolve("evil.js")).doesNotExist();
        assertThat(Path.of("/tmp/evil.js")).doesNotExist();
    }

    @ParameterizedTest
    @MethodSource("hostileTars")
    void should_refuse_the_same_entries_when_unpacking_a_stored_version(Map<String, String> entries)
            throws IOException {
        Path target = Files.createDirectory(dir.resolve("out"));
        Path archive = ArchiveFiles.tarGz(dir.resolve("hostile.tar.gz"), entries);

        assertThatThrownBy(() -> ArchiveExtractor.forStoredVersions(10_000, 5).extract(archive, target))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("Unsafe archive");
        assertThat(dir.resolve("evil.js")).doesNotExist();
        assertThat(dir.getParent().resolve("evil.js")).doesNotExist();
    }

    @Test
    void should_refuse_zip_entries_that_escape() throws IOException {
        Path target = Files.createDirectory(dir.resolve("out"));
        Path archive = ArchiveFiles.zip(dir.resolve("hostile.zip"), Map.of("../../evil.js", "x"));

        assertThatThrownBy(() -> extractor.extract(archive, target))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("outside the app");
        assertThat(dir.resolve("evil.js")).doesNotExist();
    }

    @Test
    void should_refuse_archives_past_the_file_count() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            entries.put("f" + i, "x");
        }
        Path target = Files.createDirectory(dir.resolve("out"));
        Path archive = ArchiveFiles.tarGz(dir.resolve("many.tar.gz"), entries);

        assertThatThrownBy(() -> extractor.extract(archive, target))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("more than 5 files");
    }

    @Test
    void should_stop_a_compression_bomb_at_the_size_limit() throws IOException {
        Path target = Files.createDirectory(dir.resolve("out"));
        Path archive = ArchiveFiles.zip(dir.resolve("bomb.zip"), Map.of("zeros", "0".repeat(1_000_000)));
        assertThat(Files.size(archive)).isLessThan(10_000);

        assertThatThrownBy(() -> extractor.extract(archive, target))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("more than 10000 bytes");
        assertThat(Files.size(target.resolve("zeros"))).isLessThanOrEqualTo(10_000);
    }

    @Test
    void should_refuse_what_is_not_an_archive() throws IOException {
        Path target = Files.createDirectory(dir.resolve("out"));
        Path text = Files.writeString(dir.resolve("plain.tar.gz"), "not an archive");

        assertThat(ArchiveExtractor.isArchive(text)).isFalse();
        assertThatThrownBy(() -> extractor.extract(text, target))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("neither a .tar.gz nor a .zip");
    }

    private static Map<String, String> ordered(String k1, String v1, String k2, String v2) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
