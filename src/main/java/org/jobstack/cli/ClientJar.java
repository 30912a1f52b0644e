package org.jobstack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the client commands' own jar beside the extracted server jar ({@code bin/jobstack} runs
 * it once per build): the same classes, but a classpath of only the libraries client commands use.
 * A JVM opens every jar of its classpath as soon as one lookup misses them all (the JDK's own
 * service lookups do, on the first HTTP request), and reading the directories of the server's 128
 * libraries costs a client command about 40 ms.
 */
public final class ClientJar {

    /**
     * The packages client commands may reach, besides the JDK and Jobstack's own: the libraries of
     * the client's classpath are the jars holding any of them (the architecture test keeps the
     * client within them).
     */
    public static final List<String> CLIENT_LIBRARY_PACKAGES =
            List.of("picocli", "tools.jackson", "com.fasterxml.jackson.annotation", "org.slf4j", "ch.qos.logback");

    /** Named, not referenced: {@code Main} reaches the server's classes, which the client never loads. */
    static final String MAIN_CLASS = "org.jobstack.Main";

    private ClientJar() {}

    /** {@code ClientJar <extracted server jar> <client jar to write, in the same folder>}. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ClientJar <extracted server jar> <client jar>");
            System.exit(2);
        }
        write(Path.of(args[0]), Path.of(args[1]));
    }

    static void write(Path serverJar, Path clientJar) throws IOException {
        if (!serverJar
                .toAbsolutePath()
                .getParent()
                .equals(clientJar.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("the client jar goes beside the server jar: its classpath is relative");
        }
        try (JarFile server = new JarFile(serverJar.toFile());
                OutputStream file = Files.newOutputStream(clientJar);
                JarOutputStream out = new JarOutputStream(file, manifest(server, serverJar.getParent()))) {
            Enumeration<JarEntry> entries = server.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                    continue;
                }
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream in = server.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
    }

    private static Manifest manifest(JarFile server, Path folder) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, MAIN_CLASS);
        main.put(Attributes.Name.CLASS_PATH, String.join(" ", clientLibraries(server, folder)));
        return manifest;
    }

    /**
     * The server jar's libraries that hold a class of a client library package, in the order of
     * {@link #CLIENT_LIBRARY_PACKAGES}: picocli's first, as the two of its classes that the class
     * archive cannot hold are then found in the first library opened.
     */
    static List<String> clientLibraries(JarFile server, Path folder) throws IOException {
        Manifest manifest = server.getManifest();
        String classPath =
                manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
        if (classPath == null) {
            return List.of();
        }
        Map<String, Integer> kept = new LinkedHashMap<>();
        for (String library : classPath.trim().split("\\s+")) {
            Path jar = folder.resolve(library);
            if (Files.isRegularFile(jar)) {
                firstClientPackage(jar).ifPresent(rank -> kept.put(library, rank));
            }
        }
        return kept.keySet().stream().sorted(Comparator.comparing(kept::get)).toList();
    }

    /** The rank in {@link #CLIENT_LIBRARY_PACKAGES} of the first client package the jar holds a class of. */
    private static OptionalInt firstClientPackage(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream()
                    .map(JarEntry::getName)
                    .mapToInt(ClientJar::clientPackageRank)
                    .filter(rank -> rank >= 0)
                    .min();
        }
    }

    /** The rank in {@link #CLIENT_LIBRARY_PACKAGES} of the package of a class entry; -1 when none or no class. */
    static int clientPackageRank(String entryName) {
        if (!entryName.endsWith(".class")) {
            return -1;
        }
        String className = entryName.replace('/', '.');
        for (int rank = 0; rank < CLIENT_LIBRARY_PACKAGES.size(); rank++) {
            if (className.startsWith(CLIENT_LIBRARY_PACKAGES.get(rank) + ".")) {
                return rank;
            }
        }
        return -1;
    }
}
