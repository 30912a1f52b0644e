package org.jobstack.job.log;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jobstack.common.Sql;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class JobLogStore {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public JobLogStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    public void insertAll(List<LogEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        template.batchUpdate("""
                INSERT INTO job_log (job_id, seq, attempt, at, stream, level, message)
                VALUES (?, ?, ?, ?, ?, ?, ?)""", entries, entries.size(), (ps, e) -> {
            ps.setString(1, e.jobId());
            ps.setInt(2, e.seq());
            ps.setInt(3, e.attempt());
            ps.setObject(4, Sql.ts(e.at()));
            ps.setString(5, e.stream());
            ps.setString(6, e.level());
            ps.setString(7, e.message());
        });
    }

    /** Log lines of a job after sequence number {@code afterSeq}, in order. */
    public List<LogEntry> list(String jobId, int afterSeq, int limit) {
        return jdbc.sql("SELECT * FROM job_log WHERE job_id = ? AND seq > ? ORDER BY seq LIMIT ?")
                .param(jobId)
                .param(afterSeq)
                .param(limit)
                .query(JobLogStore::row)
                .list();
    }

    /** Characters of log already stored for a job. */
    public long storedBytes(String jobId) {
        return jdbc.sql("SELECT COALESCE(SUM(LENGTH(message)), 0) FROM job_log WHERE job_id = ?")
                .param(jobId)
                .query(Long.class)
                .single();
    }

    public int lastSeq(String jobId) {
        return jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM job_log WHERE job_id = ?")
                .param(jobId)
                .query(Integer.class)
                .single();
    }

    private static LogEntry row(ResultSet rs, int rowNum) throws SQLException {
        return new LogEntry(
                rs.getString("job_id"),
                rs.getInt("seq"),
                rs.getInt("attempt"),
                Sql.instant(rs, "at"),
                rs.getString("stream"),
                rs.getString("level"),
                rs.getString("message"));
    }
}
