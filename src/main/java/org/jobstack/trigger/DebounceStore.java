package org.jobstack.trigger;

import static org.jobstack.common.Sql.ts;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jobstack.common.Sql;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Open debounce windows and their webhook payloads, as rows: they survive restarts and any node may close them. */
@Repository
class DebounceStore {

    record Window(
            String triggerId,
            String domain,
            Instant openedAt,
            Instant closesAt,
            boolean manual,
            int occurrences,
            int payloadsDropped) {}

    private final JdbcClient jdbc;

    DebounceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Window> find(String triggerId) {
        return jdbc.sql("SELECT * FROM debounce_window WHERE trigger_id = ?")
                .param(triggerId)
                .query(DebounceStore::row)
                .optional();
    }

    /**
     * The window of a trigger if it is due at {@code now}, by the same comparison as {@link #due}: in
     * the database, which keeps microseconds (a closing time with more is rounded there, and so is
     * {@code now}), so that a window {@link #due} lists is never found not due here.
     */
    Optional<Window> findDue(String triggerId, Instant now) {
        return jdbc.sql("SELECT * FROM debounce_window WHERE trigger_id = ? AND closes_at <= ?")
                .param(triggerId)
                .param(ts(now))
                .query(DebounceStore::row)
                .optional();
    }

    void open(String triggerId, String domain, Instant now, Instant closesAt, boolean manual) {
        jdbc.sql("""
                INSERT INTO debounce_window (trigger_id, domain, opened_at, closes_at, manual, occurrences)
                VALUES (?, ?, ?, ?, ?, 1)""")
                .param(triggerId)
                .param(domain)
                .param(ts(now))
                .param(ts(closesAt))
                .param(manual)
                .update();
    }

    void countOccurrence(String triggerId) {
        jdbc.sql("UPDATE debounce_window SET occurrences = occurrences + 1 WHERE trigger_id = ?")
                .param(triggerId)
                .update();
    }

    /** Keeps the payload if the window stays within both caps, else counts it as dropped. */
    void addPayload(String triggerId, String payload, int maxPayloads, long maxBytes) {
        long bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        boolean kept = jdbc.sql("""
                        UPDATE debounce_window SET payloads_kept = payloads_kept + 1, payload_bytes = payload_bytes + ?
                        WHERE trigger_id = ? AND payloads_kept < ? AND payload_bytes + ? <= ?""")
                        .params(bytes, triggerId, maxPayloads, bytes, maxBytes)
                        .update()
                == 1;
        if (!kept) {
            jdbc.sql("UPDATE debounce_window SET payloads_dropped = payloads_dropped + 1 WHERE trigger_id = ?")
                    .param(triggerId)
                    .update();
            return;
        }
        jdbc.sql("""
                INSERT INTO debounce_payload (trigger_id, seq, payload)
                SELECT ?, COALESCE(MAX(seq), 0) + 1, ? FROM debounce_payload WHERE trigger_id = ?""").param(triggerId).param(payload).param(triggerId).update();
    }

    List<String> payloads(String triggerId) {
        return jdbc.sql("SELECT payload FROM debounce_payload WHERE trigger_id = ? ORDER BY seq")
                .param(triggerId)
                .query(String.class)
                .list();
    }

    /**
     * Triggers whose window is due at {@code now}, soonest first (not locked: see {@link Debouncer}).
     * The window of a paused trigger stays open until it is resumed.
     */
    List<String> due(Instant now, int limit) {
        return jdbc.sql("""
                SELECT w.trigger_id FROM debounce_window w JOIN job_trigger t ON t.id = w.trigger_id
                WHERE w.closes_at <= ? AND t.paused = FALSE ORDER BY w.closes_at LIMIT ?""").param(ts(now)).param(limit).query(String.class).list();
    }

    /** The open windows of these triggers. */
    List<Window> openFor(Collection<String> triggerIds) {
        if (triggerIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("SELECT * FROM debounce_window WHERE trigger_id IN (:ids)")
                .param("ids", triggerIds)
                .query(DebounceStore::row)
                .list();
    }

    /** When the next window of a trigger that is not paused closes, if any is open. */
    Instant nextClose() {
        return jdbc.sql("""
                SELECT MIN(w.closes_at) AS t FROM debounce_window w JOIN job_trigger t ON t.id = w.trigger_id
                WHERE t.paused = FALSE""").query((rs, n) -> Sql.instant(rs, "t")).optional().orElse(null);
    }

    void close(String triggerId) {
        jdbc.sql("DELETE FROM debounce_payload WHERE trigger_id = ?")
                .param(triggerId)
                .update();
        jdbc.sql("DELETE FROM debounce_window WHERE trigger_id = ?")
                .param(triggerId)
                .update();
    }

    private static Window row(ResultSet rs, int n) throws SQLException {
        return new Window(
                rs.getString("trigger_id"),
                rs.getString("domain"),
                Sql.instant(rs, "opened_at"),
                Sql.instant(rs, "closes_at"),
                rs.getBoolean("manual"),
                rs.getInt("occurrences"),
                rs.getInt("payloads_dropped"));
    }
}
