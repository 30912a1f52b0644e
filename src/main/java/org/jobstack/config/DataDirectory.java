package org.jobstack.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The node's own directory: H2 files, the generated admin passphrase, node id, and this node's
 * cache of unpacked app versions ({@code cache/apps}; the files themselves live in the database).
 */
@Component
public class DataDirectory {

    private final Path root;

    public DataDirectory(JobstackProperties properties) {
        this.root = properties.dataDir().toAbsolutePath().normalize();
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }
}
