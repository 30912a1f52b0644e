package org.jobstack.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deleting folders with everything in them, never following links (a link is deleted, not its target). */
public final class FileTrees {

    private static final Logger log = LoggerFactory.getLogger(FileTrees.class);

    private FileTrees() {}

    /** Deletes a file or a folder tree; a missing path is fine. */
    public static void delete(Path path) throws IOException {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> deepestFirst;
        try (Stream<Path> paths = Files.walk(path)) {
            deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path p : deepestFirst) {
            Files.deleteIfExists(p);
        }
    }

    /** Deletes like {@link #delete}, for clean-up paths: a failure is logged, not thrown. */
    public static void deleteQuietly(Path path) {
        try {
            delete(path);
        } catch (IOException | UncheckedIOException e) {
            log.atWarn().setCause(e).log("Could not delete {}", path);
        }
    }

    /** The bytes of the regular files below {@code path} (links not followed); 0 when it is gone or unreadable. */
    public static long size(Path path) {
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }
}
