package org.jobstack.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds app archives for tests, honest or hostile. */
public final class ArchiveFiles {

    private ArchiveFiles() {}

    /** A .tar.gz of a folder's files, each under {@code prefix} (e.g. "build/"). */
    public static Path tarGzOf(Path folder, String prefix, Path target) throws IOException {
        try (TarArchiveOutputStream tar = tar(target);
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                put(tar, prefix + folder.relativize(file), Files.readAllBytes(file));
            }
        }
        return target;
    }

    /** A .zip of a folder's files, each under {@code prefix}. */
    public static Path zipOf(Path folder, String prefix, Path target) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(target));
                Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                zip.putArchiveEntry(new ZipArchiveEntry(prefix + folder.relativize(file)));
                zip.write(Files.readAllBytes(file));
                zip.closeArchiveEntry();
            }
        }
        return target;
    }

    /** A .tar.gz with exactly these entries: name → content, or "->target" for a symbolic link. */
    public static Path tarGz(Path target, Map<String, String> entries) throws IOException {
        try (TarArchiveOutputStream tar = tar(target)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                if (e.getValue().startsWith("->")) {
                    TarArchiveEntry link = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK);
                    link.setLinkName(e.getValue().substring(2));
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                } else if (e.getValue().startsWith("=>")) {
                    TarArchiveEntry link = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_LINK);
                    link.setLinkName(e.getValue().substring(2));
                    tar.putArchiveEntry(link);
                    tar.closeArchiveEntry();
                } else {
                    put(tar, e.getKey(), e.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return target;
    }

    /** A .zip with exactly these entries (names unchecked, as an attacker writes them). */
    public static Path zip(Path target, Map<String, String> entries) throws IOException {
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(target))) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                zip.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                zip.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeArchiveEntry();
            }
        }
        return target;
    }

    private static TarArchiveOutputStream tar(Path target) throws IOException {
        OutputStream out = new GzipCompressorOutputStream(Files.newOutputStream(target));
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        return tar;
    }

    private static void put(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name, true);
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
