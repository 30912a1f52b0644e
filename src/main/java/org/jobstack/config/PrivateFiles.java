package org.jobstack.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Folders and files only the server's user may read, created so from their first byte whatever
 * the umask (permissions given at creation, not changed after). Where the file system has no POSIX
 * permissions these only create.
 */
public final class PrivateFiles {

    public static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private static final boolean POSIX =
            FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {}

    /** Creates {@code dir} (and missing parents, also private) as 0700; an existing one is left as it is. */
    public static Path createFolder(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, attribute(FOLDER));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    /** Creates an empty 0600 file unless it exists. */
    public static void createFile(Path file) {
        try {
            Files.createFile(file, attribute(FILE));
        } catch (FileAlreadyExistsException exists) {
            // kept as it is
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /** The permissions of {@code path} that let other users in, if the file system has POSIX permissions. */
    public static Optional<String> openToOthers(Path path) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            return permissions.stream().anyMatch(OTHERS::contains)
                    ? Optional.of(PosixFilePermissions.toString(permissions))
                    : Optional.empty();
        } catch (UnsupportedOperationException notPosix) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + path, e);
        }
    }

    /**
     * Makes the entries directly in {@code dir} private: what libraries create there (H2's files, the
     * log's rolled files) gets the umask's permissions, which the private folder already hides.
     */
    public static void tightenEntries(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                if (!Files.isSymbolicLink(entry) && openToOthers(entry).isPresent()) {
                    Files.setPosixFilePermissions(entry, Files.isDirectory(entry) ? FOLDER : FILE);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the files of " + dir + " private", e);
        }
    }

    /** The attribute that creates a folder 0700, where the file system has POSIX permissions. */
    public static FileAttribute<?>[] folderAttribute() {
        return attribute(FOLDER);
    }

    /** The attribute that creates a file 0600, where the file system has POSIX permissions. */
    public static FileAttribute<?>[] fileAttribute() {
        return attribute(FILE);
    }

    private static FileAttribute<?>[] attribute(Set<PosixFilePermission> permissions) {
        return POSIX
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)}
                : new FileAttribute<?>[0];
    }
}
