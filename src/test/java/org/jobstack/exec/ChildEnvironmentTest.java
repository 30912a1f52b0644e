package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference §8.4: COZY_TIME_LIMIT = ceil(seconds left) + 5. */
class ChildEnvironmentTest {

    @ParameterizedTest
    @CsvSource({"300000, 305", "299001, 305", "299000, 304", "1, 6", "0, 5", "-5000, 5"})
    void should_announce_the_time_left_rounded_up_plus_five(long millisLeft, long expected) {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(ChildEnvironment.timeLimitSeconds(now, now.plusMillis(millisLeft)))
                .isEqualTo(expected);
    }
}
