package org.jobstack.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jobstack.JobstackApplication;
import org.jobstack.config.AdminConnector;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Jobstack server started in this JVM on its own data directory with the given settings, for
 * tests that restart a node with other settings (keys, databases) and look at what it refuses.
 */
public record ServerContext(ConfigurableApplicationContext context, Api api) implements AutoCloseable {

    /** Starts it, or throws what made the start fail. */
    public static ServerContext start(Path dataDir, Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(Map.of(
                "server.port", "0",
                "jobstack.admin.port", "0",
                "jobstack.admin.passphrase", IntegrationTest.PASSPHRASE,
                "jobstack.data-dir", dataDir.toString(),
                "jobstack.instances.default-domain", "",
                "logging.file.name", IntegrationTest.LOG_FILE,
                "logging.level.org.jobstack", "WARN"));
        all.putAll(settings);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(JobstackApplication.class)
                .run(all.entrySet().stream()
                        .map(e -> "--" + e.getKey() + "=" + e.getValue())
                        .toArray(String[]::new));
        int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
        int admin = context.getBean(AdminConnector.class).localPort();
        return new ServerContext(context, new Api(port, admin, IntegrationTest.PASSPHRASE));
    }

    @Override
    public void close() {
        context.close();
    }
}
