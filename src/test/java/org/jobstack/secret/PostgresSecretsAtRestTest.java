package org.jobstack.secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jobstack.support.OnPostgres;
import org.junit.jupiter.api.Assumptions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresSecretsAtRestTest extends AbstractSecretsAtRestTest {

    @Value("${spring.datasource.url}")
    String url;

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) throws IOException {
        OnPostgres.register(registry);
    }

    /** A plain {@code pg_dump} of the test database (.ci/run installs Debian's postgresql-client). */
    @Override
    byte[] dump() throws Exception {
        Optional<Path> pgDump = pgDump();
        Assumptions.assumeTrue(pgDump.isPresent(), "pg_dump is not installed (apt-get install postgresql-client)");
        Matcher m = Pattern.compile("//([^:/]+):(\\d+)/([^?]+)").matcher(url);
        if (!m.find()) {
            throw new IllegalStateException("unexpected JDBC URL " + url);
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(
                        pgDump.get().toString(), "-h", m.group(1), "-p", m.group(2), "-U", "postgres", m.group(3)))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().put("PGPASSWORD", "postgres");
        Process process = builder.start();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pg_dump failed");
        }
        return out;
    }

    private static Optional<Path> pgDump() throws IOException {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "pg_dump");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        Path versions = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(versions)) {
            return Optional.empty();
        }
        try (Stream<Path> each = Files.list(versions)) {
            return each.map(v -> v.resolve("bin/pg_dump"))
                    .filter(Files::isExecutable)
                    .sorted()
                    .reduce((a, b) -> b);
        }
    }
}
