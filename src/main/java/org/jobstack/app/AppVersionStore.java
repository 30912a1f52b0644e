package org.jobstack.app;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.common.Ids;
import org.jobstack.common.Sql;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code app_version} and {@code app_version_chunk} tables: each stored version of an app's
 * files, its archive in chunks of at most {@link #CHUNK_BYTES}. Reading and writing hold one
 * chunk in memory at a time, one statement per chunk.
 */
@Repository
public class AppVersionStore {

    /** Largest chunk of a stored archive: 1 MiB. */
    public static final int CHUNK_BYTES = 1 << 20;

    private static final String COLUMNS = "id, domain, kind, slug, version, content_hash, content_bytes, chunk_count,"
            + " file_bytes, file_count, installed, created_at";

    private final JdbcClient jdbc;
    private final int chunkBytes;

    @Autowired
    public AppVersionStore(JdbcClient jdbc) {
        this(jdbc, CHUNK_BYTES);
    }

    AppVersionStore(JdbcClient jdbc, int chunkBytes) {
        this.jdbc = jdbc;
        this.chunkBytes = chunkBytes;
    }

    /** What a version is before it is written: whose, which, and its packed archive's figures. */
    public record NewVersion(
            String domain,
            AppKind kind,
            String slug,
            String version,
            String contentHash,
            long contentBytes,
            long fileBytes,
            int fileCount) {}

    /**
     * Writes a version, staged: its row, then its archive chunk by chunk, each chunk its own
     * statement (no transaction spans the whole archive). A failure deletes what was written; a
     * crash leaves a staged version that {@link #deleteReplaced} or {@link #deleteAbandoned}
     * removes once it is a day old.
     */
    public StoredVersion insert(NewVersion v, Path archive, Instant now) throws IOException {
        long size = Files.size(archive);
        if (size != v.contentBytes()) {
            throw new IOException("the archive holds " + size + " bytes, not " + v.contentBytes());
        }
        int chunks = (int) ((size + chunkBytes - 1) / chunkBytes);
        StoredVersion stored = new StoredVersion(
                Ids.newId(),
                v.domain(),
                v.kind(),
                v.slug(),
                v.version(),
                v.contentHash(),
                v.contentBytes(),
                chunks,
                v.fileBytes(),
                v.fileCount(),
                false,
                now);
        jdbc.sql("INSERT INTO app_version (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(stored.id())
                .param(stored.domain())
                .param(stored.kind().value())
                .param(stored.slug())
                .param(stored.version())
                .param(stored.contentHash())
                .param(stored.contentBytes())
                .param(stored.chunkCount())
                .param(stored.fileBytes())
                .param(stored.fileCount())
                .param(false)
                .param(Sql.ts(now))
                .update();
        try (InputStream in = Files.newInputStream(archive)) {
            for (int seq = 0; seq < chunks; seq++) {
                byte[] chunk = in.readNBytes(chunkBytes);
                jdbc.sql("INSERT INTO app_version_chunk (version_id, seq, content) VALUES (?, ?, ?)")
                        .param(stored.id())
                        .param(seq)
                        .param(chunk)
                        .update();
            }
        } catch (IOException | RuntimeException e) {
            delete(stored.id());
            throw e;
        }
        return stored;
    }

    public Optional<StoredVersion> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM app_version WHERE id = ?")
                .param(id)
                .query(AppVersionStore::version)
                .optional();
    }

    /** Versions of an app (staged ones included), oldest first. */
    public List<StoredVersion> listOf(String domain, AppKind kind, String slug) {
        return jdbc.sql("SELECT " + COLUMNS
                        + " FROM app_version WHERE domain = ? AND kind = ? AND slug = ? ORDER BY created_at, id")
                .param(domain)
                .param(kind.value())
                .param(slug)
                .query(AppVersionStore::version)
                .list();
    }

    /** Of these version ids, those still stored, with their content hash. */
    public Map<String, String> hashes(Collection<String> ids) {
        Map<String, String> hashes = new HashMap<>();
        if (!ids.isEmpty()) {
            jdbc.sql("SELECT id, content_hash FROM app_version WHERE id IN (:ids)")
                    .param("ids", ids)
                    .query((rs, i) -> Map.entry(rs.getString("id"), rs.getString("content_hash")))
                    .list()
                    .forEach(e -> hashes.put(e.getKey(), e.getValue()));
        }
        return hashes;
    }

    /**
     * The version's archive as it is stored, read a chunk at a time. A chunk missing from the
     * sequence ends the stream with an {@link EOFException}.
     */
    public InputStream content(StoredVersion v) {
        return new ChunkStream(v);
    }

    /** Marks a staged version installed: an app points at it (same transaction). */
    public void markInstalled(String id) {
        int updated = jdbc.sql("UPDATE app_version SET installed = TRUE WHERE id = ?")
                .param(id)
                .update();
        if (updated != 1) {
            throw new IllegalStateException("version " + id + " is not stored");
        }
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM app_version WHERE id = ?").param(id).update();
    }

    /**
     * Deletes the versions of an app that no longer serve: installed ones its row points at
     * neither as current nor as previous, and staged ones created before {@code abandonedBefore}
     * (a version another update is writing now is staged and recent: it stays).
     */
    public int deleteReplaced(String domain, AppKind kind, String slug, Instant abandonedBefore) {
        return jdbc.sql("""
                DELETE FROM app_version
                WHERE domain = :domain AND kind = :kind AND slug = :slug
                  AND ((installed
                        AND id NOT IN (SELECT a.version_id FROM app a
                                       WHERE a.domain = :domain AND a.kind = :kind AND a.slug = :slug
                                         AND a.version_id IS NOT NULL)
                        AND id NOT IN (SELECT a.previous_version_id FROM app a
                                       WHERE a.domain = :domain AND a.kind = :kind AND a.slug = :slug
                                         AND a.previous_version_id IS NOT NULL))
                       OR (NOT installed AND created_at < :before))""")
                .param("domain", domain)
                .param("kind", kind.value())
                .param("slug", slug)
                .param("before", Sql.ts(abandonedBefore))
                .update();
    }

    /** Deletes the installed versions of an app (uninstall; in the transaction that deletes its row). */
    public int deleteInstalled(String domain, AppKind kind, String slug) {
        return jdbc.sql("DELETE FROM app_version WHERE domain = ? AND kind = ? AND slug = ? AND installed")
                .param(domain)
                .param(kind.value())
                .param(slug)
                .update();
    }

    /** Deletes, of every app, the staged versions created before {@code before}: left by a crash. */
    public int deleteAbandoned(Instant before) {
        return jdbc.sql("DELETE FROM app_version WHERE NOT installed AND created_at < ?")
                .param(Sql.ts(before))
                .update();
    }

    private static StoredVersion version(ResultSet rs, int row) throws SQLException {
        return new StoredVersion(
                rs.getString("id"),
                rs.getString("domain"),
                AppKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                rs.getString("slug"),
                rs.getString("version"),
                rs.getString("content_hash"),
                rs.getLong("content_bytes"),
                rs.getInt("chunk_count"),
                rs.getLong("file_bytes"),
                rs.getInt("file_count"),
                rs.getBoolean("installed"),
                Sql.instant(rs, "created_at"));
    }

    private byte[] chunk(String versionId, int seq) {
        return jdbc.sql("SELECT content FROM app_version_chunk WHERE version_id = ? AND seq = ?")
                .param(versionId)
                .param(seq)
                .query((rs, i) -> rs.getBytes(1))
                .optional()
                .orElse(null);
    }

    /** A stored archive read in order, one chunk in memory. */
    private final class ChunkStream extends InputStream {

        private final StoredVersion version;
        private int next;
        private byte[] chunk = new byte[0];
        private int position;

        ChunkStream(StoredVersion version) {
            this.version = version;
        }

        /** False at the end; a missing chunk is an {@link EOFException}. */
        private boolean fill() throws IOException {
            while (position >= chunk.length) {
                if (next >= version.chunkCount()) {
                    return false;
                }
                byte[] read = chunk(version.id(), next);
                if (read == null) {
                    throw new EOFException("chunk " + (next + 1) + " of " + version.chunkCount() + " of version "
                            + version.id() + " is missing");
                }
                next++;
                chunk = read;
                position = 0;
            }
            return true;
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(length, chunk.length - position);
            System.arraycopy(chunk, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
