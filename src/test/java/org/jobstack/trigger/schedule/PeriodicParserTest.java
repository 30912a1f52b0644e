package org.jobstack.trigger.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reference §4.6 and §10 cases 1–11: restrictions of @hourly/@daily/@weekly/@monthly. */
class PeriodicParserTest {

    @ParameterizedTest(name = "{0} \"{1}\" -> days {2}, {3}..{4}")
    @CsvSource(delimiter = '|', textBlock = """
            WEEKLY  |                          | 0,1,2,3,4,5,6                                 | 0  | 24
            MONTHLY |                          | 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28 | 0 | 24
            MONTHLY | on the 1                 | 1                                             | 0  | 24
            MONTHLY | on the 1,16              | 1,16                                          | 0  | 24
            MONTHLY | on the 1-3,5-7,9-11      | 1,2,3,5,6,7,9,10,11                           | 0  | 24
            WEEKLY  | on monday                | 1                                             | 0  | 24
            WEEKLY  | on mon,wed,fri           | 1,3,5                                         | 0  | 24
            WEEKLY  | on wed-fri               | 3,4,5                                         | 0  | 24
            WEEKLY  | on fri-mon               | 5,6,0,1                                       | 0  | 24
            WEEKLY  | on weekday               | 1,2,3,4,5                                     | 0  | 24
            WEEKLY  | on weekend               | 0,6                                           | 0  | 24
            WEEKLY  | on weekday,saturday      | 1,2,3,4,5,6                                   | 0  | 24
            DAILY   | before 5am               | 0,1,2,3,4,5,6                                 | 0  | 5
            DAILY   | after 10pm               | 0,1,2,3,4,5,6                                 | 22 | 24
            DAILY   | between 8am and 6pm      | 0,1,2,3,4,5,6                                 | 8  | 18
            WEEKLY  | between 12am and 12pm    | 0,1,2,3,4,5,6                                 | 0  | 12
            WEEKLY  | on monday before 9am     | 1                                             | 0  | 9
            HOURLY  | between 1am and 3am      | 0,1,2,3,4,5,6                                 | 1  | 3
            MONTHLY | before 12am after 11pm   | 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28 | 23 | 24
            """)
    void should_parse_restrictions(Periodic.Kind kind, String arguments, String days, int after, int before) {
        Periodic p = PeriodicParser.parse(kind, arguments == null ? "" : arguments);

        assertThat(p.days())
                .containsExactlyElementsOf(
                        Arrays.stream(days.split(",")).map(Integer::valueOf).toList());
        assertThat(p.after()).isEqualTo(after);
        assertThat(p.before()).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0} \"{1}\" is refused")
    @CsvSource(delimiter = '|', textBlock = """
            DAILY   | on monday
            WEEKLY  | xyz
            WEEKLY  | on
            WEEKLY  | on xyz
            WEEKLY  | on mon,
            WEEKLY  | on mon-
            WEEKLY  | on -mon
            WEEKLY  | on mon-weekend
            WEEKLY  | after
            WEEKLY  | after xyz
            WEEKLY  | before
            WEEKLY  | before xyz
            WEEKLY  | between 8am and 8am
            WEEKLY  | on the monday
            WEEKLY  | between 9pm and 3am
            WEEKLY  | on the 1-15
            WEEKLY  | on mon-mon
            WEEKLY  | on Monday
            WEEKLY  | after 13pm
            WEEKLY  | after 0am
            WEEKLY  | after 8AM
            WEEKLY  | after 8:30am
            MONTHLY | on the
            MONTHLY | on the xyz
            MONTHLY | on 1-
            MONTHLY | on 1-5
            MONTHLY | on the 5-1
            MONTHLY | on the 5-5
            MONTHLY | on monday
            MONTHLY | on the 0
            MONTHLY | on the 32
            DAILY   | on the 1-5
            HOURLY  | on monday
            """)
    void should_refuse_bad_restrictions(Periodic.Kind kind, String arguments) {
        assertThatThrownBy(() -> PeriodicParser.parse(kind, arguments)).isInstanceOf(InvalidScheduleException.class);
    }

    @Property(tries = 300)
    void should_pick_monthly_times_inside_the_window_a_month_apart(@ForAll("seeds") String seed) {
        // §10 case 9: monthly, days 3..7, hours 8..16
        Periodic p = new Periodic(Periodic.Kind.MONTHLY, List.of(3, 4, 5, 6, 7), 8, 16);
        int[] f = fields(p.crontab(seed));
        assertThat(f[0]).isBetween(0, 59);
        assertThat(f[1]).isBetween(0, 59);
        assertThat(f[2]).isBetween(8, 15);
        assertThat(f[3]).isBetween(3, 7);
        assertRunsApart(p.crontab(seed), Duration.ofDays(30), Duration.ofDays(3));
    }

    @Property(tries = 300)
    void should_pick_weekly_times_inside_the_window_a_week_apart(@ForAll("seeds") String seed) {
        // §10 case 10: weekly, days 1..5, hours 0..5
        Periodic p = new Periodic(Periodic.Kind.WEEKLY, List.of(1, 2, 3, 4, 5), 0, 5);
        String crontab = p.crontab(seed);
        int[] f = fields(crontab);
        assertThat(f[2]).isBetween(0, 4);
        assertThat(crontab.split(" ")[3]).isEqualTo("*");
        assertThat(f[5]).isBetween(1, 5);
        assertRunsApart(crontab, Duration.ofDays(7), Duration.ofMinutes(3));
    }

    @Property(tries = 300)
    void should_pick_daily_times_inside_the_window_a_day_apart(
            @ForAll("seeds") String seed, @ForAll @IntRange(min = 0, max = 23) int after) {
        // §10 case 11: daily, hours 16..24 (and any other window)
        Periodic p = new Periodic(Periodic.Kind.DAILY, List.of(0, 1, 2, 3, 4, 5, 6), after, 24);
        String crontab = p.crontab(seed);
        assertThat(fields(crontab)[2]).isBetween(after, 23);
        assertThat(crontab).endsWith(" * * *");
        assertRunsApart(crontab, Duration.ofDays(1), Duration.ZERO);
    }

    @Test
    void should_pick_the_same_time_for_a_seed_and_spread_instances() {
        Periodic p = PeriodicParser.parse(Periodic.Kind.DAILY, "between 1am and 5am");
        String seed = "alice.example/service/{\"name\":\"sync\",\"slug\":\"banks\"}";

        Set<String> times = IntStream.range(0, 200)
                .mapToObj(i -> p.crontab("user" + i + ".example/service/{\"name\":\"sync\",\"slug\":\"banks\"}"))
                .collect(Collectors.toCollection(HashSet::new));

        assertThat(p.crontab(seed)).isEqualTo(p.crontab(seed));
        assertThat(times).as("200 instances spread over the window").hasSizeGreaterThan(190);
    }

    @Property(tries = 500)
    void should_parse_or_refuse_any_input(@ForAll("restrictions") String arguments) {
        for (Periodic.Kind kind : Periodic.Kind.values()) {
            try {
                Periodic p = PeriodicParser.parse(kind, arguments);
                assertThat(p.after()).isLessThan(p.before());
                assertThat(p.days()).isNotEmpty();
                CronSchedule.parse(p.crontab(arguments), ZoneId.of("UTC"), Instant.EPOCH);
            } catch (InvalidScheduleException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }

    @Provide
    Arbitrary<String> seeds() {
        return Arbitraries.strings().ofMaxLength(80);
    }

    @Provide
    Arbitrary<String> restrictions() {
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of(
                        "on", "the", "before", "after", "between", "and", "1", "31", "1-5", "5-1", "mon", "fri-mon",
                        "weekday", "weekend", "12am", "12pm", "8am", "11pm", "13pm", "mon,", ",", "-"),
                Arbitraries.strings().ofMaxLength(6));
        return word.list().ofMaxSize(6).map(w -> String.join(" ", w));
    }

    private static int[] fields(String crontab) {
        return Arrays.stream(crontab.split(" "))
                .mapToInt(f -> f.equals("*") ? -1 : Integer.parseInt(f))
                .toArray();
    }

    private static void assertRunsApart(String crontab, Duration apart, Duration tolerance) {
        Schedule s = CronSchedule.parse(crontab, ZoneId.of("UTC"), Instant.EPOCH);
        Instant first = s.next(Instant.parse("2026-01-01T00:00:00Z")).orElseThrow();
        Instant second = s.next(first).orElseThrow();
        Duration gap = Duration.between(first, second);
        assertThat(gap).isBetween(apart.minus(tolerance), apart.plus(tolerance).plusDays(apart.toDays() >= 28 ? 1 : 0));
    }
}
