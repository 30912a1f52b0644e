package org.jobstack.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jobstack.common.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reference §4.2, 4.3, 4.5 and §10 case 12: @at, @in, @every and unknown types. */
class TriggerSpecsTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    private static TriggerSpec parse(String type, String arguments) {
        return TriggerSpecs.parse(TriggerSpecs.type(type), arguments, NOW, ZoneId.of("UTC"));
    }

    @ParameterizedTest
    @CsvSource({"2018-12-12T15:36:25.507Z, 2018-12-12T15:36:25.507Z", "2030-01-01T08:00:00+02:00, 2030-01-01T06:00:00Z"
    })
    void should_read_at_times(String arguments, String instant) {
        assertThat(parse("@at", arguments)).isEqualTo(new TriggerSpec.At(Instant.parse(instant)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "garbage",
                "2030-01-01",
                "2030-01-01 08:00:00Z",
                "2030-01-01t08:00:00Z",
                "2030-01-01T08:00:00z",
                "2030-01-01T08:00:00",
                "2030-01-01T08:00Z",
                "2030-13-01T08:00:00Z",
                "2030-02-30T08:00:00Z",
                ""
            })
    void should_refuse_bad_at_times(String arguments) {
        assertThatThrownBy(() -> parse("@at", arguments)).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.MALFORMED);
            assertThat(p.field()).isEqualTo("arguments");
        });
    }

    @ParameterizedTest
    @CsvSource({"1s, PT1S", "10m, PT10M", "1h30m, PT1H30M", "-1h, PT-1H", "0, PT0S"})
    void should_read_in_delays(String arguments, String delay) {
        assertThat(parse("@in", arguments)).isEqualTo(new TriggerSpec.In(Duration.parse(delay)));
    }

    @ParameterizedTest
    @CsvSource({"1.5h, PT1H30M", "30m10s, PT30M10S", "720h, PT720H", "0, PT1S", "1.5s, PT1S", "-1h, PT1S", "300ms, PT1S"
    })
    void should_read_every_periods_of_at_least_a_second(String arguments, String period) {
        TriggerSpec.Every every = (TriggerSpec.Every) parse("@every", arguments);
        assertThat(every.schedule().period()).isEqualTo(Duration.parse(period));
    }

    @Test
    void should_refuse_bad_durations_and_unknown_types() {
        assertThatThrownBy(() -> parse("@in", "garbage")).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> parse("@every", "1d")).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> parse("@every", "garbage")).isInstanceOf(Problem.class);
        assertThatThrownBy(() -> TriggerSpecs.type("@unknown")).isInstanceOfSatisfying(Problem.class, p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.INVALID);
            assertThat(p.field()).isEqualTo("type");
        });
    }

    @Property(tries = 1000)
    void should_parse_or_refuse_any_arguments_for_any_type(
            @ForAll TriggerType type, @ForAll("arguments") String arguments) {
        try {
            TriggerSpec spec = TriggerSpecs.parse(type, arguments, NOW, ZoneId.of("UTC"));
            assertThat(spec).isNotNull();
        } catch (Problem refused) {
            assertThat(refused.kind()).isEqualTo(Problem.Kind.MALFORMED);
            assertThat(refused.field()).isEqualTo("arguments");
        }
    }

    @Provide
    Arbitrary<String> arguments() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of(
                        "1s",
                        "0",
                        "-1h",
                        "garbage",
                        "2030-01-01T08:00:00Z",
                        "* * * * * *",
                        "between 8am and 6pm",
                        "on monday",
                        "io.cozy.files",
                        "TZ=UTC @daily",
                        "@every 1h"),
                Arbitraries.strings()
                        .withChars("0123456789:-TZ.+ *?/,@hmsonthe")
                        .ofMaxLength(30));
    }

    @Test
    void should_ignore_the_arguments_of_webhooks_and_client_triggers() {
        assertThat(parse("@webhook", "anything at all")).isInstanceOf(TriggerSpec.External.class);
        assertThat(parse("@client", "")).isInstanceOf(TriggerSpec.External.class);
    }
}
