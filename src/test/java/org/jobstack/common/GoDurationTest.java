package org.jobstack.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reference §4.1: Go's time.ParseDuration. */
class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource(delimiter = '|', textBlock = """
            10m       | 600000000000
            1h30m     | 5400000000000
            1.5h      | 5400000000000
            .5h       | 1800000000000
            2h45m     | 9900000000000
            300ms     | 300000000
            -1h       | -3600000000000
            +5s       | 5000000000
            0         | 0
            -0        | 0
            1h1h      | 7200000000000
            1us       | 1000
            1µs       | 1000
            1μs       | 1000
            1ns       | 1
            5.h       | 18000000000000
            1.0000000001s | 1000000000
            2562047h47m16.854775807s | 9223372036854775807
            """)
    void should_parse_go_durations(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(
            strings = {
                "",
                "10",
                "1d",
                "1 h",
                "1H",
                "1h 30m",
                "garbage",
                "h",
                ".h",
                "1..5h",
                "-",
                "+",
                "1h-30m",
                "2562047h47m16.854775808s",
                "9999999999999999999h",
                "１h",
                "1e3s",
                " 1h",
                "1h "
            })
    void should_refuse_what_go_refuses(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void should_read_back_what_it_writes(@ForAll @LongRange(min = 0, max = 3_000_000_000_000_000L) long nanos) {
        long h = nanos / 3_600_000_000_000L;
        long rest = nanos % 3_600_000_000_000L;
        String text = h + "h" + rest + "ns";
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
        assertThat(GoDuration.parse("-" + text)).isEqualTo(Duration.ofNanos(-nanos));
    }

    @Property
    void should_fail_cleanly_on_any_input(@ForAll("hostile") String text) {
        try {
            Duration d = GoDuration.parse(text);
            assertThat(d).isNotNull();
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().withChars("0123456789.+-hmsunµμ ").ofMaxLength(40));
    }
}
