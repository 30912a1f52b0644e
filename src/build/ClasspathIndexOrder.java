import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Run by the build on the packaged jar: puts the libraries the server loads most of its classes
 * from first, both in the jar itself (java -jar's class loader asks the BOOT-INF/lib jars in the
 * order they are stored in) and in {@code BOOT-INF/classpath.idx} (the order of the extracted jar's
 * Class-Path, which bin/jobstack runs). Every class is looked for in each library before the one
 * holding it; in Maven's order the busiest ones came last (spring-core 126th of 128): ~50 misses per
 * class for ~15 000 classes. The libraries, their bytes and the relative order of the others do not
 * change (commons-logging and jcl-over-slf4j, which hold the same five classes, stay as they were).
 */
public class ClasspathIndexOrder {

    private static final String INDEX = "BOOT-INF/classpath.idx";

/** By classes loaded until the server is healthy (-Xlog:class+load), most first. */
    private static final List<String> FIRST = List.of(
            "hibernate-core",
            "byte-buddy",
            "h2",
            "spring-core",
            "spring-data-jpa",
            "jackson-databind",
            "spring-boot",
            "hibernate-validator",
            "tomcat-embed-core",
            "spring-data-commons",
            "spring-context",
            "spring-web",
            "flyway-core",
            "spring-beans",
            "jakarta.persistence-api",
            "spring-webmvc",
            "spring-boot-autoconfigure",
            "spring-security-web",
            "logback-core",
            "snakeyaml",
            "antlr4-runtime",
            "spring-boot-actuator",
            "spring-aop",
            "micrometer-core",
            "springdoc-openapi-starter-common",
            "spring-security-config",
            "spring-tx",
            "hibernate-models",
            "jackson-core",
            "spring-security-core",
            "spring-expression",
            "spring-jdbc");

    public static void main(String[] args) throws IOException {
        Path jar = Path.of(args[0]);
        Path rewritten = jar.resolveSibling(jar.getFileName() + ".ordered");
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(rewritten))) {
            List<String> index = busiestFirst(new String(
                            in.getInputStream(in.getEntry(INDEX)).readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .toList());
            for (ZipEntry entry : inOrder(in, index)) {
                if (entry.getName().equals(INDEX)) {
                    out.putNextEntry(new ZipEntry(INDEX));
                    out.write((String.join("\n", index) + "\n").getBytes(StandardCharsets.UTF_8));
                } else {
                    copy(in, entry, out);
                }
            }
        }
        Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<String> busiestFirst(List<String> lines) {
        List<String> ordered = new ArrayList<>();
        for (String artifact : FIRST) {
            lines.stream().filter(line -> isArtifact(line, artifact)).forEach(ordered::add);
        }
        lines.stream().filter(line -> !ordered.contains(line)).forEach(ordered::add);
        return ordered;
    }

    /** The jar's entries with its libraries in the index's order, where the first library was. */
    private static List<ZipEntry> inOrder(ZipFile in, List<String> index) {
        List<ZipEntry> entries = new ArrayList<>(Collections.list(in.entries()));
        int first = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (isLibrary(entries.get(i))) {
                first = first < 0 ? i : first;
            }
        }
        List<ZipEntry> libraries = new ArrayList<>();
        for (String line : index) {
            String name = line.substring(line.indexOf('"') + 1, line.lastIndexOf('"'));
            libraries.add(in.getEntry(name));
        }
        entries.removeIf(ClasspathIndexOrder::isLibrary);
        entries.addAll(first, libraries);
        return entries;
    }

    private static boolean isLibrary(ZipEntry entry) {
        return entry.getName().startsWith("BOOT-INF/lib/") && entry.getName().endsWith(".jar");
    }

    /** Stored entries (the libraries: Spring Boot reads them in place) stay stored, byte for byte. */
    private static void copy(ZipFile in, ZipEntry entry, ZipOutputStream out) throws IOException {
        ZipEntry copy = new ZipEntry(entry);
        if (copy.getMethod() == ZipEntry.DEFLATED) {
            copy.setCompressedSize(-1);
        }
        out.putNextEntry(copy);
        in.getInputStream(entry).transferTo(out);
    }

    /** {@code - "BOOT-INF/lib/spring-boot-4.0.7.jar"} is spring-boot, not spring-boot-autoconfigure. */
    private static boolean isArtifact(String line, String artifactId) {
        String name = line.substring(line.lastIndexOf('/') + 1);
        return name.length() > artifactId.length() + 1
                && name.startsWith(artifactId + "-")
                && Character.isDigit(name.charAt(artifactId.length() + 1));
    }
}
