package org.jobstack.config;

import java.nio.file.Path;
import org.springframework.stereotype.Component;

/**
 * The node's own directory: H2 files, the generated admin passphrase, node id, secret key, log file,
 * run directories and this node's cache of unpacked app versions ({@code cache/apps}; the files
 * themselves live in the database). Private to the server's user: created 0700, and refused when
 * others may read it unless {@code jobstack.allow-open-data-dir} says so.
 */
@Component
public class DataDirectory {

    private final Path root;

    public DataDirectory(JobstackProperties properties) {
        this.root = properties.dataDir().toAbsolutePath().normalize();
        PrivateFiles.createFolder(root);
        if (!properties.allowOpenDataDir()) {
            refuseIfOpen(root);
            PrivateFiles.tightenEntries(root);
        }
    }

    static void refuseIfOpen(Path root) {
        PrivateFiles.openToOthers(root).ifPresent(permissions -> {
            throw new StartupRefusal(
                    "The data directory " + root + " can be read by other users (" + permissions
                            + "): it holds the database, the keys and the passphrase.",
                    "Run: chmod 700 " + root + "   (or set jobstack.allow-open-data-dir=true to accept it)");
        });
    }

    public Path root() {
        return root;
    }

    public Path resolve(String name) {
        return root.resolve(name);
    }
}
