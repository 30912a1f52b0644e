package org.jobstack.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** What in a folder tree other users may read, for the tests of a server's files on disk. */
public final class PrivateFilesCheck {

    private PrivateFilesCheck() {}

    /** Every path under {@code root} (itself included) with a group or other permission, and its mode. */
    public static Map<String, String> openToOthers(Path root, Predicate<Path> skip) throws IOException {
        Map<String, String> open = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(skip.negate()).forEach(p -> {
                String mode = mode(p);
                if (mode.substring(3).chars().anyMatch(c -> c != '-')) {
                    open.put(root.relativize(p).toString(), mode);
                }
            });
        }
        return open;
    }

    public static String mode(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
