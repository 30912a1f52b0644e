package org.jobstack.support;

import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;

/**
 * Sets {@code org.jobstack} to INFO around each test, for tests that look for INFO lines in the
 * output. Logback's levels belong to the JVM: a server started earlier in the same test JVM with
 * {@code org.jobstack} at WARN ({@link ServerContext}) leaves them so, which made such tests depend
 * on the classes that ran before them.
 */
public class InfoLogs implements BeforeEachCallback, AfterEachCallback {

    private static final String LOGGER = "org.jobstack";
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(InfoLogs.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        // null when no logger of that name exists yet (the test runs first in its JVM)
        LoggerConfiguration configuration = logging().getLoggerConfiguration(LOGGER);
        LogLevel before = configuration == null ? null : configuration.getConfiguredLevel();
        context.getStore(NAMESPACE).put(LOGGER, Optional.ofNullable(before));
        logging().setLogLevel(LOGGER, LogLevel.INFO);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void afterEach(ExtensionContext context) {
        Optional<LogLevel> before = context.getStore(NAMESPACE).get(LOGGER, Optional.class);
        logging().setLogLevel(LOGGER, before.orElse(null));
    }

    private static LoggingSystem logging() {
        return LoggingSystem.get(InfoLogs.class.getClassLoader());
    }
}
