package org.jobstack.app;

import java.time.Instant;
import org.jobstack.app.manifest.AppKind;

/**
 * A version of an app's files as the database holds it: one archive of {@code contentBytes}
 * bytes in {@code chunkCount} chunks, whose SHA-256 is {@code contentHash} (hex), holding
 * {@code fileCount} files of {@code fileBytes} bytes in all.
 */
public record StoredVersion(
        String id,
        String domain,
        AppKind kind,
        String slug,
        String version,
        String contentHash,
        long contentBytes,
        int chunkCount,
        long fileBytes,
        int fileCount,
        boolean installed,
        Instant createdAt) {}
