package org.jobstack.config;

import java.nio.file.Path;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Runs before logging starts: creates the data directory 0700, and the log file and H2's files in
 * it 0600, so that neither the logger nor H2 makes them first with the umask's permissions (H2
 * takes an empty file as a new database; the logger appends). Whether an existing directory is too
 * open is {@link DataDirectory}'s to refuse, once failures can be reported.
 */
class PrivateDataDirectoryPreparer implements EnvironmentPostProcessor {

    private static final String H2_FILE = "jdbc:h2:file:";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path root = Path.of(environment.getProperty("jobstack.data-dir", "./data"))
                .toAbsolutePath()
                .normalize();
        PrivateFiles.createFolder(root);
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
