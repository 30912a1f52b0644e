package org.jobstack.app;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jobstack.app.source.ArchiveExtractor;
import org.jobstack.common.Problem;

/**
 * An app's files in the form they are stored: one {@code .tar.gz} of folders and regular files,
 * with each file's executable bit. Packing takes a build folder as a copy would: a link to a file
 * inside the app becomes that file, a link to a folder is left out, a link out of the app is
 * refused, and the app's size and file-count limits hold. Unpacking goes through
 * {@link ArchiveExtractor}, which refuses any name that would land outside the target.
 */
final class VersionArchive {

    private static final int FILE_MODE = 0100644;
    private static final int EXECUTABLE_FILE_MODE = 0100755;

    private final long maxBytes;
    private final int maxFiles;

    VersionArchive(long maxBytes, int maxFiles) {
        this.maxBytes = maxBytes;
        this.maxFiles = maxFiles;
    }

    /** A packed archive: its SHA-256 (hex) and size, and the files it holds. */
    record Packed(Path archive, String hash, long bytes, long fileBytes, int fileCount) {}

    /** Packs the folder {@code root} into {@code archive} (created or replaced). */
    Packed pack(Path root, Path archive) throws IOException {
        Path source = root.toRealPath();
        MessageDigest sha256 = sha256();
        Totals totals = new Totals();
        try (OutputStream file = Files.newOutputStream(archive);
                DigestOutputStream digest = new DigestOutputStream(new BufferedOutputStream(file), sha256);
                TarArchiveOutputStream tar =
                        new TarArchiveOutputStream(new GZIPOutputStream(digest, 64 * 1024), "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            addFolder(tar, source, source, "", totals);
        }
        return new Packed(
                archive, HexFormat.of().formatHex(sha256.digest()), Files.size(archive), totals.bytes, totals.files);
    }

    /** Unpacks an archive made by {@link #pack} into the empty folder {@code target}. */
    static void unpack(Path archive, Path target, long fileBytes, int fileCount) throws IOException {
        ArchiveExtractor.forStoredVersions(fileBytes, fileCount).extract(archive, target);
    }

    private void addFolder(TarArchiveOutputStream tar, Path source, Path folder, String prefix, Totals totals)
            throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(folder)) {
            children = list.sorted().toList();
        } catch (AccessDeniedException e) {
            throw unreadable(prefix.isEmpty() ? "." : prefix);
        }
        for (Path child : children) {
            String name = prefix + child.getFileName().toString();
            BasicFileAttributes attributes =
                    Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) {
                TarArchiveEntry entry = new TarArchiveEntry(name + "/");
                entry.setModTime(attributes.lastModifiedTime());
                tar.putArchiveEntry(entry);
                tar.closeArchiveEntry();
                addFolder(tar, source, child, name + "/", totals);
                continue;
            }
            Path real = attributes.isSymbolicLink() ? linked(source, child, name) : child;
            if (Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                addFile(tar, real, name, totals);
            }
        }
    }

    /** Where a link leads, when that is inside the app. */
    private static Path linked(Path source, Path link, String name) {
        Path real;
        try {
            real = link.toRealPath();
        } catch (IOException e) {
            throw Problem.invalid("source", name + " is a link to nothing");
        }
        if (!real.startsWith(source)) {
            throw Problem.invalid("source", name + " links outside the app");
        }
        return real;
    }

    private void addFile(TarArchiveOutputStream tar, Path file, String name, Totals totals) throws IOException {
        long size = Files.size(file);
        totals.files++;
        totals.bytes += size;
        if (totals.files > maxFiles || totals.bytes > maxBytes) {
            throw Problem.tooLarge("source", "The app exceeds " + maxFiles + " files or " + maxBytes + " bytes");
        }
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(Files.isExecutable(file) ? EXECUTABLE_FILE_MODE : FILE_MODE);
        entry.setModTime(Files.getLastModifiedTime(file));
        InputStream opened;
        try {
            opened = Files.newInputStream(file);
        } catch (AccessDeniedException e) {
            throw unreadable(name);
        }
        tar.putArchiveEntry(entry);
        try (InputStream in = opened) {
            long copied = in.transferTo(tar);
            if (copied != size) {
                throw new IOException(name + " changed while it was read");
            }
        }
        tar.closeArchiveEntry();
    }

    private static Problem unreadable(String name) {
        return Problem.invalid("source", name + " cannot be read by the server");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static final class Totals {
        int files;
        long bytes;
    }
}
