package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinePumpTest {

    private static List<String> pump(InputStream in, int lineLimit, long totalLimit) {
        List<String> lines = new ArrayList<>();
        new LinePump(in, lineLimit, totalLimit, lines::add).run();
        return lines;
    }

    @Test
    void should_cut_output_into_lines_and_keep_a_last_line_without_newline() {
        assertThat(pump(stream("a\r\nb\n\nc"), 100, Long.MAX_VALUE)).containsExactly("a", "b", "", "c");
    }

    @Test
    void should_keep_the_start_of_a_huge_line_and_read_the_rest_without_storing_it() {
        InputStream huge = new InputStream() {
            long left = 50L * 1024 * 1024;

            @Override
            public int read() {
                return left-- > 0 ? 'x' : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                Arrays.fill(b, off, off + n, (byte) 'x');
                left -= n;
                return n;
            }
        };

        List<String> lines = pump(huge, 1000, Long.MAX_VALUE);

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0))
                .startsWith("x".repeat(1000))
                .endsWith("[… " + (50L * 1024 * 1024 - 1000) + " more bytes dropped]");
    }

    @Test
    void should_stop_passing_lines_on_past_the_total_limit_but_count_them() {
        List<String> lines = new ArrayList<>();
        LinePump pump = new LinePump(stream("12345\n67890\nabc\n"), 100, 8, lines::add);
        pump.run();

        assertThat(lines).containsExactly("12345", "abc");
        assertThat(pump.droppedBytes()).isEqualTo(5);
    }

    @Test
    void should_decode_utf8_lines() {
        assertThat(pump(stream("héllo 🌍\n"), 100, Long.MAX_VALUE)).containsExactly("héllo 🌍");
    }

    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
