package org.jobstack.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar's libraries, reordered by src/build/ClasspathIndexOrder.java: the busiest first,
 * in the jar's entries (java -jar) as in BOOT-INF/classpath.idx (the extracted jar), every library
 * listed once, and jcl-over-slf4j still ahead of commons-logging (they hold the same classes).
 */
class JarClasspathOrderIT {

    @Test
    void should_list_every_library_once_with_the_busiest_first() throws IOException {
        try (ZipFile jar = new ZipFile(Path.of("target/jobstack.jar").toFile())) {
            List<String> index = libraries(jar);
            List<String> packaged = jar.stream()
                    .map(ZipEntry::getName)
                    .filter(name -> name.startsWith("BOOT-INF/lib/") && name.endsWith(".jar"))
                    .map(name -> name.substring("BOOT-INF/lib/".length()))
                    .toList();

            assertThat(index).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(packaged);
            assertThat(packaged)
                    .as("java -jar's class loader follows the jar's own order")
                    .containsExactlyElementsOf(index);
            assertThat(index.subList(0, 4))
                    .satisfiesExactly(
                            name -> assertThat(name).startsWith("hibernate-core-"),
                            name -> assertThat(name).startsWith("byte-buddy-"),
                            name -> assertThat(name).startsWith("h2-"),
                            name -> assertThat(name).startsWith("spring-core-"));
            assertThat(position(index, "jcl-over-slf4j-")).isLessThan(position(index, "commons-logging-"));
        }
    }

    private static List<String> libraries(ZipFile jar) throws IOException {
        try (InputStream in = jar.getInputStream(jar.getEntry("BOOT-INF/classpath.idx"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(line -> line.substring(line.lastIndexOf('/') + 1, line.length() - 1))
                    .toList();
        }
    }

    private static int position(List<String> index, String prefix) {
        for (int i = 0; i < index.size(); i++) {
            if (index.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError(prefix + " is not in the index");
    }
}
