package org.jobstack.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the server is and how to prove we are its administrator. */
class ServerOptions {

    @Option(names = "--domain", description = "Instance domain (default: $JOBSTACK_DOMAIN or localhost)")
    String domain;

    @Option(names = "--url", description = "Instance API URL (default: $JOBSTACK_URL or http://localhost:8080)")
    String url;

    @Option(
            names = "--admin-url",
            description = "Admin API URL (default: $JOBSTACK_ADMIN_URL or http://127.0.0.1:6060)")
    String adminUrl;

    @Option(
            names = "--data-dir",
            description = "Server data folder holding admin-passphrase " + "(default: $JOBSTACK_DATA_DIR or ./data)")
    Path dataDir;

    String domain() {
        return first(domain, System.getenv("JOBSTACK_DOMAIN"), "localhost");
    }

    String url() {
        return trimSlash(first(url, System.getenv("JOBSTACK_URL"), "http://localhost:8080"));
    }

    String adminUrl() {
        return trimSlash(first(adminUrl, System.getenv("JOBSTACK_ADMIN_URL"), "http://127.0.0.1:6060"));
    }

    String passphrase() {
        String fromEnv = System.getenv("JOBSTACK_ADMIN_PASSPHRASE");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        Path dir = dataDir != null ? dataDir : Path.of(first(null, System.getenv("JOBSTACK_DATA_DIR"), "./data"));
        Path file = dir.resolve("admin-passphrase");
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new CliException(
                    JobstackCli.UNAUTHORISED,
                    "no admin passphrase: set JOBSTACK_ADMIN_PASSPHRASE or "
                            + "point --data-dir at the server's data folder (" + file + " is not readable)");
        }
    }

    private static String first(String a, String b, String fallback) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        return b != null && !b.isBlank() ? b : fallback;
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
