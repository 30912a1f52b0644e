package org.jobstack.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientJarTest {

    @TempDir
    Path folder;

    @Test
    void should_copy_every_class_and_resource_with_a_classpath_of_only_the_client_libraries() throws IOException {
        jar("lib/hibernate.jar", null, Map.of("org/hibernate/Session.class", "h"));
        jar("lib/logback.jar", null, Map.of("ch/qos/logback/classic/Logger.class", "l"));
        jar("lib/readme-only.jar", null, Map.of("picocli/README.txt", "not a class"));
        jar("lib/jackson.jar", null, Map.of("tools/jackson/core/JsonParser.class", "j"));
        jar("lib/picocli.jar", null, Map.of("picocli/CommandLine.class", "p"));
        Map<String, String> classes = new LinkedHashMap<>();
        classes.put("org/jobstack/Main.class", "main");
        classes.put("org/jobstack/cli/JobstackCli.class", "cli");
        classes.put("static/dashboard/app.js", "js");
        Path server = jar(
                "jobstack.jar",
                "lib/hibernate.jar lib/logback.jar lib/missing.jar lib/readme-only.jar lib/jackson.jar lib/picocli.jar",
                classes);

        Path client = folder.resolve("jobstack-client.jar");
        ClientJar.write(server, client);

        try (JarFile written = new JarFile(client.toFile())) {
            Attributes main = written.getManifest().getMainAttributes();
            assertThat(main.getValue(Attributes.Name.MAIN_CLASS)).isEqualTo("org.jobstack.Main");
            assertThat(main.getValue(Attributes.Name.CLASS_PATH))
                    .as("only jars that exist and hold a class of a client package, picocli's first")
                    .isEqualTo("lib/picocli.jar lib/jackson.jar lib/logback.jar");
            Map<String, String> copied = new LinkedHashMap<>();
            written.stream()
                    .filter(e -> !e.getName().equals(JarFile.MANIFEST_NAME))
                    .forEach(e -> copied.put(e.getName(), read(written, e)));
            assertThat(copied).isEqualTo(classes);
        }
    }

    @Test
    void should_refuse_to_write_the_client_jar_away_from_the_libraries_its_classpath_names() throws IOException {
        Path server = jar("jobstack.jar", "lib/picocli.jar", Map.of("org/jobstack/Main.class", "main"));
        Path elsewhere = Files.createDirectory(folder.resolve("elsewhere")).resolve("client.jar");

        assertThatThrownBy(() -> ClientJar.write(server, elsewhere)).isInstanceOf(IllegalArgumentException.class);
        assertThat(elsewhere).doesNotExist();
    }

    @Test
    void should_tell_client_library_classes_from_the_rest() {
        assertThat(ClientJar.clientPackageRank("picocli/CommandLine$Model.class"))
                .as("picocli's first")
                .isZero();
        assertThat(ClientJar.clientPackageRank("org/slf4j/LoggerFactory.class")).isPositive();
        assertThat(ClientJar.clientPackageRank("com/fasterxml/jackson/annotation/JsonProperty.class"))
                .isPositive();
        assertThat(ClientJar.clientPackageRank("com/fasterxml/jackson/core/JsonParser.class"))
                .as("Jackson 2's core is the server's")
                .isEqualTo(-1);
        assertThat(ClientJar.clientPackageRank("picocliextras/Other.class")).isEqualTo(-1);
        assertThat(ClientJar.clientPackageRank("picocli/")).isEqualTo(-1);
    }

    private Path jar(String name, String classPath, Map<String, String> entries) throws IOException {
        Path path = folder.resolve(name);
        Files.createDirectories(path.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        try (OutputStream file = Files.newOutputStream(path);
                JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, String> entry : entries.entrySet()) {
                out.putNextEntry(new JarEntry(entry.getKey()));
                out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return path;
    }

    private static String read(JarFile jar, JarEntry entry) {
        try (var in = jar.getInputStream(entry)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
