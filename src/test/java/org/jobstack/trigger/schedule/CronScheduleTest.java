package org.jobstack.trigger.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reference §4.4: robfig/cron's grammar, evaluated in UTC unless a TZ prefix says otherwise. */
class CronScheduleTest {

    /** A Monday, noon UTC. */
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    static final ZoneId UTC = ZoneId.of("UTC");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            0 0 0 1 1 *                     | 2027-01-01T00:00:00Z
            0 0 0 * * 0                     | 2026-11-29T00:00:00Z
            0 0 * * * *                     | 2026-11-23T13:00:00Z
            */3 * * * * *                   | 2026-11-23T12:00:03Z
            0 0 8 * * mon-fri               | 2026-11-24T08:00:00Z
            0 0 8 * * SAT                   | 2026-11-28T08:00:00Z
            */15 * * * *                    | 2026-11-23T12:15:00Z
            @daily                          | 2026-11-24T00:00:00Z
            @midnight                       | 2026-11-24T00:00:00Z
            @hourly                         | 2026-11-23T13:00:00Z
            @weekly                         | 2026-11-29T00:00:00Z
            @monthly                        | 2026-12-01T00:00:00Z
            @yearly                         | 2027-01-01T00:00:00Z
            @annually                       | 2027-01-01T00:00:00Z
            @every 1h                       | 2026-11-23T13:00:00Z
            @every 1.5s                     | 2026-11-23T12:00:01Z
            0 0 0 1 * mon                   | 2026-11-30T00:00:00Z
            0 0 0 15 * fri                  | 2026-11-27T00:00:00Z
            0 0 0 15 * *                    | 2026-12-15T00:00:00Z
            0 0 0 ? * *                     | 2026-11-24T00:00:00Z
            0 0 0 * 2 *                     | 2027-02-01T00:00:00Z
            0 0 0 29 2 *                    | 2028-02-29T00:00:00Z
            3/20 * * * * *                  | 2026-11-23T12:00:03Z
            0 0 12 * JAN-MAR,nov *          | 2026-11-24T12:00:00Z
            0 0 0 1-3,10 * *                | 2026-12-01T00:00:00Z
            0 0 */6 * * *                   | 2026-11-23T18:00:00Z
            TZ=Europe/Paris 0 0 8 * * *     | 2026-11-24T07:00:00Z
            CRON_TZ=America/New_York 0 30 9 * * * | 2026-11-23T14:30:00Z
            """)
    void should_compute_the_next_run(String spec, String expected) {
        Schedule schedule = CronSchedule.parse(spec, UTC, NOW);
        assertThat(schedule.next(NOW)).contains(Instant.parse(expected));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(
            strings = {
                "0 0 0 0 1 1",
                "* * * *",
                "* * * * * * *",
                "0 0 0 * * 7",
                "garbage",
                "0 0 0 30 2 *",
                "0 0 0 31 4,6,9,11 *",
                "0 0 0 L * *",
                "0 0 0 * * 1#2",
                "0 0 0 1W * *",
                "*/0 * * * * *",
                "5-2 * * * * *",
                "60 * * * * *",
                "0 60 * * * *",
                "0 0 24 * * *",
                "0 0 0 32 * *",
                "0 0 0 * 13 *",
                "TZ=Mars/Olympus 0 0 0 * * *",
                "TZ=UTC",
                "@reboot",
                "@every 1d",
                "@every",
                "",
                "-1 * * * * *",
                "1-2-3 * * * * *",
                "*/2/3 * * * * *",
                "0 0 0 * * mon-",
                "0 0 0 * * funday",
                ",0 * * * * *"
            })
    void should_refuse_what_cannot_be_scheduled(String spec) {
        assertThatThrownBy(() -> CronSchedule.parse(spec, UTC, NOW))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageNotContaining("null");
    }

    @Property(tries = 1000)
    void should_schedule_strictly_in_the_future_or_refuse(@ForAll("specs") String spec) {
        try {
            Optional<Instant> next = CronSchedule.parse(spec, UTC, NOW).next(NOW);
            assertThat(next).isPresent();
            assertThat(next.get()).isAfter(NOW);
        } catch (InvalidScheduleException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> specs() {
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.of(
                        "*", "?", "*/2", "1-5", "0", "7", "31", "L", "mon", "jan", "1,2,3", "5/10", "-1", "", "#"),
                Arbitraries.strings().withChars("0123456789*/-,?LW#abcmonjan").ofMaxLength(6));
        return Arbitraries.oneOf(
                field.list().ofMinSize(1).ofMaxSize(8).map(f -> String.join(" ", f)),
                Arbitraries.strings().ofMaxLength(40));
    }
}
