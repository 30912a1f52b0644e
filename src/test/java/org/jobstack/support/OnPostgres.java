package org.jobstack.support;

import java.io.IOException;
import java.nio.file.Files;
import org.springframework.test.context.DynamicPropertyRegistry;

/** Properties that move an integration test's server onto a fresh embedded PostgreSQL database. */
public final class OnPostgres {

    private OnPostgres() {}

    public static void register(DynamicPropertyRegistry registry) throws IOException {
        String url = Databases.newPostgresDatabase();
        String dataDir = Files.createTempDirectory("jobstack-it-pg-").toString();
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "postgres");
        registry.add("spring.datasource.password", () -> "postgres");
        registry.add("jobstack.data-dir", () -> dataDir);
    }
}
