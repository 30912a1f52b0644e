package org.jobstack.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ThroughputHistoryTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void should_count_finished_attempts_per_minute_over_the_last_hour() {
        Instant start = Instant.parse("2026-11-24T10:00:05Z");
        ThroughputHistory history = new ThroughputHistory(meters, Clock.fixed(start, ZoneOffset.UTC));
        history.sample();
        meters.counter("jobstack.jobs.attempts", "worker", "log", "outcome", "done")
                .increment(3);
        meters.counter("jobstack.jobs.attempts", "worker", "service", "outcome", "done")
                .increment(2);
        meters.counter("jobstack.jobs.attempts", "worker", "service", "outcome", "errored")
                .increment();
        meters.counter("jobstack.jobs.attempts", "worker", "service", "outcome", "retry")
                .increment(7);
        history.sample();

        List<double[]> series = history.series();

        assertThat(series.get(0)).hasSize(ThroughputHistory.MINUTES);
        assertThat(series.get(0)[ThroughputHistory.MINUTES - 1]).isEqualTo(start.getEpochSecond() / 60 * 60.0);
        assertThat(series.get(1)[ThroughputHistory.MINUTES - 1]).isEqualTo(5.0);
        assertThat(series.get(2)[ThroughputHistory.MINUTES - 1]).isEqualTo(1.0);
        assertThat(series.get(1)[0]).isZero();
    }
}
