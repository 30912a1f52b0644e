package org.jobstack.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jobstack.config.AdminConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that drive a real server over HTTP. Every subclass shares one Spring context
 * (same properties), on an H2 database in a temporary data folder. Subclasses with other
 * properties get contexts of their own, each with its own database in that folder and its own
 * node id.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "jobstack.admin.port=0",
            "jobstack.admin.passphrase=" + IntegrationTest.PASSPHRASE,
            "jobstack.jobs.poll-interval=200ms",
            "jobstack.jobs.retry-base-delay=50ms",
            "jobstack.node.heartbeat-interval=500ms",
            // Contexts cached side by side stay apart: a database and a node id of their own each, so
            // that no context runs the jobs another one queued, with its own settings
            "jobstack.node.id=test-${random.uuid}",
            "spring.datasource.url=jdbc:h2:file:${jobstack.data-dir}/jobstack-${random.uuid};WRITE_DELAY=0;"
                    + "DB_CLOSE_ON_EXIT=FALSE",
            "logging.level.org.jobstack=INFO",
            "logging.file.name=" + IntegrationTest.LOG_FILE
        })
@Import(TestClockConfig.class)
public abstract class IntegrationTest {

    public static final String PASSPHRASE = "test-admin-passphrase";
    /** The secrets key the nodes of one test cluster share (base64 of 32 bytes). */
    public static final String CLUSTER_SECRETS_KEY = "dGVzdCBjbHVzdGVyIGtleSwgbm90IGEgc2VjcmV0ISE=";
    /** The servers' log file in tests (logging starts before the per-test data directory is known). */
    public static final String LOG_FILE = "target/test-logs/jobstack.log";

    private static final Path DATA_DIR = createDataDir();

    @LocalServerPort
    protected int port;

    @Autowired
    protected AdminConnector adminConnector;

    @Autowired
    protected MutableClock clock;

    protected Api api;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) {
        registry.add("jobstack.data-dir", DATA_DIR::toString);
    }

    @BeforeEach
    void createApi() {
        api = new Api(port, adminConnector.localPort(), PASSPHRASE);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    protected static Path dataDir() {
        return DATA_DIR;
    }

    private static Path createDataDir() {
        try {
            return Files.createTempDirectory("jobstack-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
