package org.jobstack.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.jobstack.common.FileTrees;

/** A fresh private folder for one attempt, deleted with everything in it when closed. */
final class RunDirectory implements AutoCloseable {

    private final Path path;

    private RunDirectory(Path path) {
        this.path = path;
    }

    static RunDirectory create(Path root, String prefix) {
        try {
            return new RunDirectory(Files.createTempDirectory(
                    root, prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory under " + root, e);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            FileTrees.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete run directory " + path, e);
        }
    }
}
