package org.jobstack.job.log;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.job.JobLog;

/**
 * Collects an attempt's log lines and stores them in batches. Past {@code byteLimit} stored bytes
 * per job (all attempts together), lines are counted but dropped, and one closing line says how
 * much was dropped.
 */
public final class BufferedJobLog implements JobLog, AutoCloseable {

    private static final int BATCH = 64;

    private final JobLogStore store;
    private final Clock clock;
    private final String jobId;
    private final int attempt;
    private final long byteLimit;
    private final List<LogEntry> buffer = new ArrayList<>();
    private int seq;
    private long storedBytes;
    private long droppedLines;
    private long droppedBytes;
    private boolean closed;

    public BufferedJobLog(JobLogStore store, Clock clock, String jobId, int attempt, long byteLimit) {
        this.store = store;
        this.clock = clock;
        this.jobId = jobId;
        this.attempt = attempt;
        this.byteLimit = byteLimit;
        this.seq = attempt > 1 ? store.lastSeq(jobId) : 0;
        this.storedBytes = attempt > 1 ? store.storedBytes(jobId) : 0;
    }

    @Override
    public synchronized void append(String stream, String level, String message) {
        int bytes = message.getBytes(StandardCharsets.UTF_8).length;
        if (storedBytes + bytes > byteLimit) {
            droppedLines++;
            droppedBytes += bytes;
            return;
        }
        storedBytes += bytes;
        buffer.add(new LogEntry(jobId, ++seq, attempt, clock.instant(), stream, level, message));
        if (buffer.size() >= BATCH) {
            flush();
        }
    }

    public synchronized void flush() {
        if (!buffer.isEmpty()) {
            store.insertAll(List.copyOf(buffer));
            buffer.clear();
        }
    }

    /** Stores what is left, with a last line on what the limit dropped; closing again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (droppedLines > 0) {
            buffer.add(new LogEntry(
                    jobId,
                    ++seq,
                    attempt,
                    clock.instant(),
                    JOBSTACK,
                    "warning",
                    "log limit of " + byteLimit + " bytes reached: " + droppedLines + " lines (" + droppedBytes
                            + " bytes) dropped"));
        }
        flush();
    }
}
