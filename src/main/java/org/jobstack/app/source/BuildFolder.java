package org.jobstack.app.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jobstack.common.Problem;

/** An app's files on local disk (a build folder, or an extracted archive), read safely. */
public record BuildFolder(Path root) {

    /** Reads a file that must lie inside the folder; null when it does not exist. */
    public byte[] readIfPresent(String relative, int maxBytes) {
        Path file = inside(relative);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            if (Files.size(file) > maxBytes) {
                throw Problem.tooLarge("source", relative + " is larger than " + maxBytes + " bytes");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when {@code relative} is a regular file whose real location is inside the folder. */
    public boolean hasFile(String relative) {
        Path file = inside(relative);
        try {
            return Files.isRegularFile(file) && file.toRealPath().startsWith(root.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private Path inside(String relative) {
        Path file = root.resolve(relative).normalize();
        if (!file.startsWith(root)) {
            throw Problem.invalid("source", relative + " is outside the app");
        }
        return file;
    }
}
