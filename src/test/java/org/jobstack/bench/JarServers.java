package org.jobstack.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.config.PrivateFiles;
import org.jobstack.support.Api;
import org.jobstack.support.ClusterNode;
import org.jobstack.support.Databases;
import org.jobstack.support.IntegrationTest;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Servers started from {@code target/jobstack.jar}, each in its own JVM ({@link ClusterNode}: free
 * loopback ports, the test passphrase) with {@code jvmOptions}; {@code serverArgs} come last, so
 * they override the harness's settings. PostgreSQL databases are new databases of one embedded
 * PostgreSQL; an H2 database is the data folder of the servers that use it. The CLI is {@code
 * bin/jobstack}, the launcher on the same jar.
 */
final class JarServers implements ScaleServers, AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final Path root;
    private final List<String> jvmOptions;
    private final List<String> serverArgs;
    private final List<ClusterNode> nodes = new ArrayList<>();
    private int started;
    private int databases;

    JarServers(Path root, List<String> jvmOptions, List<String> serverArgs) {
        this.root = root;
        this.jvmOptions = jvmOptions;
        this.serverArgs = serverArgs;
    }

    @Override
    public Database database(String kind) throws Exception {
        databases++;
        return switch (kind) {
            case "postgres" -> {
                String url = Databases.newDurablePostgresDatabase();
                yield new Database(
                        kind,
                        new DriverManagerDataSource(url, "postgres", "postgres"),
                        true,
                        null,
                        List.of(
                                "--spring.datasource.url=" + url,
                                "--spring.datasource.username=postgres",
                                "--spring.datasource.password=postgres"));
            }
            case "h2" -> {
                Path dir = root.resolve("h2-" + databases);
                PrivateFiles.createFolder(dir);
                yield new Database(
                        kind,
                        new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("jobstack"), "sa", ""),
                        false,
                        dir,
                        List.of());
            }
            default -> throw new IllegalArgumentException("unknown database " + kind + " (postgres or h2)");
        };
    }

    @Override
    public synchronized Server start(Database database, List<String> settings) throws Exception {
        started++;
        Path dataDir = database.dataDir() != null ? database.dataDir() : root.resolve("server-" + started);
        List<String> all = new ArrayList<>(database.serverSettings());
        all.addAll(settings);
        all.addAll(serverArgs);
        ClusterNode node = ClusterNode.of("scale-" + started, dataDir, jvmOptions, all);
        nodes.add(node);
        try {
            node.launch().awaitHealthy(START_TIMEOUT);
        } catch (Exception e) {
            node.close();
            throw new IllegalStateException("server did not start: " + e.getMessage() + "\n" + node.logTail(40), e);
        }
        return new Server() {
            @Override
            public Api api() {
                return node.api();
            }

            @Override
            public long pid() {
                return node.pid();
            }

            @Override
            public void close() throws InterruptedException {
                node.stop();
            }
        };
    }

    @Override
    public List<String> cli() {
        return List.of(Path.of("bin/jobstack").toAbsolutePath().toString());
    }

    @Override
    public String passphrase() {
        return IntegrationTest.PASSPHRASE;
    }

    /** Kills every server still running (after a failure or an interrupted run). */
    @Override
    public synchronized void close() throws InterruptedException {
        for (ClusterNode node : nodes) {
            node.close();
        }
    }
}
