package org.jobstack.app.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.jobstack.common.Problem;

/**
 * Extracts a {@code .tar.gz} or {@code .zip} app archive (told apart by their first bytes) into an
 * empty folder. Entries that would land outside it — absolute names, {@code ..}, links pointing
 * out, files written through a link — are refused, and so are archives past the file-count or
 * size limits. A refusal leaves a partial folder that the caller deletes. A file whose tar mode
 * lets its owner execute it stays executable.
 */
public final class ArchiveExtractor {

    private static final int OWNER_EXECUTE = 0100;

    private final long maxBytes;
    private final int maxFiles;
    private final boolean literalNames;

    private ArchiveExtractor(long maxBytes, int maxFiles, boolean literalNames) {
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
        this.literalNames = literalNames;
    }

    /** For archives from elsewhere: a {@code \} in a name is a folder separator, a drive letter is refused. */
    public static ArchiveExtractor forSources(long maxBytes, int maxFiles) {
        return new ArchiveExtractor(maxBytes, maxFiles, false);
    }

    /**
     * For Jobstack's own archives of a folder on this system: names are taken as they are, so a
     * file named {@code a\b} or {@code c:d} comes back with that name (traversal is still refused).
     */
    public static ArchiveExtractor forStoredVersions(long maxBytes, int maxFiles) {
        return new ArchiveExtractor(maxBytes, maxFiles, true);
    }

    /** True when the file starts like a gzip or zip archive. */
    static boolean isArchive(Path file) throws IOException {
        byte[] head = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(head, 0, 2) < 2) {
                return false;
            }
        }
        return isGzip(head) || isZip(head);
    }

    public void extract(Path archive, Path target) throws IOException {
        Path root = target.toRealPath();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            raw.mark(2);
            byte[] head = raw.readNBytes(2);
            raw.reset();
            ArchiveInputStream<? extends ArchiveEntry> entries;
            if (isGzip(head)) {
                entries = new TarArchiveInputStream(new GzipCompressorInputStream(raw), "UTF-8");
            } else if (isZip(head)) {
                entries = new ZipArchiveInputStream(raw);
            } else {
                throw refused("the source is neither a .tar.gz nor a .zip archive");
            }
            try (entries) {
                copyEntries(entries, root);
            }
        }
    }

    private void copyEntries(ArchiveInputStream<? extends ArchiveEntry> entries, Path root) throws IOException {
        long files = 0;
        long bytes = 0;
        boolean any = false;
        ArchiveEntry entry;
        while ((entry = entries.getNextEntry()) != null) {
            any = true;
            Path out = inside(root, entry.getName());
            if (entry.isDirectory()) {
                Files.createDirectories(out);
                continue;
            }
            if (++files > maxFiles) {
                throw tooLarge("more than " + maxFiles + " files");
            }
            Files.createDirectories(out.getParent());
            if (!out.getParent().toRealPath().startsWith(root) || Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                throw refused(entry.getName() + " would be written through a link or twice");
            }
            if (entry instanceof TarArchiveEntry tar && tar.isLink()) {
                Path source = inside(root, tar.getLinkName());
                if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                    throw refused(
                            entry.getName() + " is a hard link to " + tar.getLinkName() + ", not a file of the app");
                }
                bytes += Files.size(source);
                if (bytes > maxBytes) {
                    throw tooLarge("more than " + maxBytes + " bytes once extracted");
                }
                Files.copy(source, out);
                continue;
            }
            String link = linkTarget(entry);
            if (link != null) {
                Path resolved = out.getParent().resolve(link).normalize();
                if (Path.of(link).isAbsolute() || !resolved.startsWith(root)) {
                    throw refused(entry.getName() + " links outside the app");
                }
                Files.createSymbolicLink(out, Path.of(link));
                continue;
            }
            if (!isPlainFile(entry)) {
                continue;
            }
            bytes = copy(entries, out, bytes);
            if (entry instanceof TarArchiveEntry tar && (tar.getMode() & OWNER_EXECUTE) != 0) {
                out.toFile().setExecutable(true, true);
            }
        }
        if (!any) {
            throw refused("the archive is empty or not readable");
        }
    }

    private long copy(InputStream in, Path out, long total) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long written = total;
        try (OutputStream os = Files.newOutputStream(out)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                written += n;
                if (written > maxBytes) {
                    throw tooLarge("more than " + maxBytes + " bytes once extracted");
                }
                os.write(buffer, 0, n);
            }
        }
        return written;
    }

    private Path inside(Path root, String name) {
        String clean = literalNames ? name : name.replace('\\', '/');
        if (clean.startsWith("/") || (!literalNames && clean.matches("^[A-Za-z]:.*")) || clean.indexOf('\0') >= 0) {
            throw refused(name + " is an absolute path");
        }
        Path out = root.resolve(clean).normalize();
        if (!out.startsWith(root)) {
            throw refused(name + " is outside the app");
        }
        return out;
    }

    private static String linkTarget(ArchiveEntry entry) {
        if (entry instanceof TarArchiveEntry tar && tar.isSymbolicLink()) {
            return tar.getLinkName();
        }
        if (entry instanceof ZipArchiveEntry zip && zip.isUnixSymlink()) {
            throw refused(entry.getName() + " is a link; links in zip archives are not supported");
        }
        return null;
    }

    private static boolean isPlainFile(ArchiveEntry entry) {
        return !(entry instanceof TarArchiveEntry tar) || tar.isFile();
    }

    private static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
    }

    private static boolean isZip(byte[] head) {
        return head.length >= 2 && head[0] == 'P' && head[1] == 'K';
    }

    private static Problem refused(String detail) {
        return Problem.invalid("source", "Unsafe archive: " + detail);
    }

    private static Problem tooLarge(String detail) {
        return Problem.tooLarge("source", "The archive has " + detail);
    }
}
