package org.jobstack.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TriggerClockTest {

    private static final ZoneId UTC = ZoneId.of("UTC");

    /**
     * The database rounds a time to the microsecond, and a poll's time too: a run stored at S,
     * rounded up, is due to a poll up to 500 ns before S. The next run is still a period after S,
     * not S again (which the next poll would make a second time).
     */
    @Test
    void should_schedule_a_periodic_run_after_the_one_made_even_a_little_before_its_time() {
        Instant scheduled = Instant.parse("2026-11-23T12:00:10.000001Z");
        TriggerSpec every = TriggerSpecs.parse(TriggerType.EVERY, "10s", scheduled, UTC);

        assertThat(TriggerClock.nextRun(every, "seed", scheduled, scheduled.minusNanos(300), UTC))
                .contains(scheduled.plus(Duration.ofSeconds(10)));
        assertThat(TriggerClock.nextRun(every, "seed", scheduled, scheduled, UTC))
                .contains(scheduled.plus(Duration.ofSeconds(10)));
        assertThat(TriggerClock.nextRun(every, "seed", scheduled, scheduled.plusSeconds(25), UTC))
                .as("missed runs collapse into the one made")
                .contains(scheduled.plus(Duration.ofSeconds(30)));
    }
}
