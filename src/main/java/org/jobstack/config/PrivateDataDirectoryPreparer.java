package org.jobstack.config;

import java.nio.file.Path;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs before logging starts: creates the data directory 0700, and the log file and H2's files in
 * it 0600, so that neither the logger nor H2 makes them first with the umask's permissions (H2
 * takes an empty file as a new database; the logger appends). A directory others may read is
 * refused here, before the logger writes into it. Added to the server's application only (tests
 * name their data directory after the environment is prepared).
 */
public class PrivateDataDirectoryPreparer implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** After the configuration files are read (+10), before logging starts (+20). */
    private static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 15;

    private static final String H2_FILE = "jdbc:h2:file:";

    @Override
    public int getOrder() {
        return ORDER;
    }

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment environment = event.getEnvironment();
        Path root = Path.of(environment.getProperty("jobstack.data-dir", "./data"))
                .toAbsolutePath()
                .normalize();
        PrivateFiles.createFolder(root);
        if (!environment.getProperty("jobstack.allow-open-data-dir", Boolean.class, false)) {
            DataDirectory.refuseIfOpen(root);
        }
        String logFile = environment.getProperty("logging.file.name");
        if (logFile != null) {
            createInside(root, Path.of(logFile));
        }
        String url = environment.getProperty("spring.datasource.url", "");
        if (url.startsWith(H2_FILE)) {
            String base = url.substring(H2_FILE.length()).split(";", 2)[0];
            createInside(root, Path.of(base + ".mv.db"));
            createInside(root, Path.of(base + ".trace.db"));
        }
    }

    private static void createInside(Path root, Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (absolute.getParent() != null && absolute.getParent().equals(root)) {
            PrivateFiles.createFile(absolute);
        }
    }
}
