package org.jobstack.exec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Reads a child's output stream to its end, cutting it into lines. A line longer than
 * {@code lineLimit} bytes is kept up to the limit and the rest is read and dropped, so a huge
 * line (or none at all) never stalls the pipe nor fills the server's memory. After
 * {@code totalLimit} bytes, lines are still read but no longer passed on.
 */
final class LinePump implements Runnable {

    private final InputStream in;
    private final int lineLimit;
    private final long totalLimit;
    private final Consumer<String> lines;
    private long passedBytes;
    private long droppedBytes;

    LinePump(InputStream in, int lineLimit, long totalLimit, Consumer<String> lines) {
        this.in = in;
        this.lineLimit = lineLimit;
        this.totalLimit = totalLimit;
        this.lines = lines;
    }

    @Override
    public void run() {
        byte[] chunk = new byte[8192];
        byte[] line = new byte[Math.min(lineLimit, 8192)];
        int length = 0;
        long cut = 0;
        try {
            int n;
            while ((n = in.read(chunk)) > 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n') {
                        emit(line, length, cut);
                        length = 0;
                        cut = 0;
                    } else if (length < lineLimit) {
                        if (length == line.length) {
                            line = Arrays.copyOf(line, Math.min(lineLimit, line.length * 2));
                        }
                        line[length++] = b;
                    } else {
                        cut++;
                    }
                }
            }
        } catch (IOException e) {
            // The stream closes when the process is killed; what was read is kept.
        }
        if (length > 0 || cut > 0) {
            emit(line, length, cut);
        }
    }

    long droppedBytes() {
        return droppedBytes;
    }

    private void emit(byte[] bytes, int length, long cut) {
        int end = length > 0 && bytes[length - 1] == '\r' ? length - 1 : length;
        if (passedBytes + end > totalLimit) {
            droppedBytes += end + cut;
            return;
        }
        passedBytes += end;
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        lines.accept(cut > 0 ? text + " [… " + cut + " more bytes dropped]" : text);
    }
}
