package org.jobstack.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code GET /jobs/triggers/:id/next} and {@code POST /jobs/triggers/next}: the runs to come, as scheduled. */
class NextRunsTest extends IntegrationTest {

    @Autowired
    TriggerScheduler scheduler;

    private String domain;
    private String token;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.triggers io.cozy.jobs");
    }

    @Test
    void should_list_a_cron_triggers_next_runs_and_make_the_first_one_as_listed() {
        String id = created("{\"type\":\"@cron\",\"arguments\":\"0 */10 * * * *\",\"worker\":\"log\"}");

        List<Instant> runs = runs(call("GET", "/jobs/triggers/" + id + "/next?Count=3", null));

        Instant first = clock.instant().truncatedTo(ChronoUnit.HOURS);
        while (!first.isAfter(clock.instant())) {
            first = first.plus(Duration.ofMinutes(10));
        }
        assertThat(runs).containsExactly(first, first.plus(Duration.ofMinutes(10)), first.plus(Duration.ofMinutes(20)));
        clock.advance(Duration.between(clock.instant(), first).plusSeconds(1));
        scheduler.pollOnce(clock.instant());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> call("GET", "/jobs/triggers/" + id + "/jobs", null)
                                .json()
                                .path("data")
                                .size()
                        == 1);
        await().atMost(Duration.ofSeconds(10))
                .until(
                        () -> runs(call("GET", "/jobs/triggers/" + id + "/next?Count=2", null)),
                        r -> r.equals(List.of(runs.get(1), runs.get(2))));
    }

    @Test
    void should_preview_weekday_mornings_in_the_asked_time_zone() {
        Api.Response preview = call(
                "POST",
                "/jobs/triggers/next?Count=5&TZ=Europe/Paris",
                body("{\"type\":\"@cron\",\"arguments\":\"0 0 9 * * 1-5\",\"worker\":\"log\"}"));

        assertThat(preview.status()).as(preview.body()).isEqualTo(200);
        assertThat(attributes(preview).path("time_zone").asString()).isEqualTo("Europe/Paris");
        assertThat(attributes(preview).has("end")).isFalse();
        assertThat(runs(preview)).containsExactlyElementsOf(weekdayMornings(ZoneId.of("Europe/Paris"), 5));
        assertThat(call("GET", "/jobs/triggers", null).json().path("data").size())
                .as("nothing saved")
                .isZero();
    }

    @Test
    void should_preview_a_daily_trigger_at_the_time_it_gets_once_created() {
        String spec =
                "{\"type\":\"@daily\",\"arguments\":\"between 9am and 6pm\",\"worker\":\"log\",\"message\":{\"k\":1}}";

        List<Instant> preview = runs(call("POST", "/jobs/triggers/next?Count=2", body(spec)));
        String id = created(spec);

        assertThat(preview).hasSize(2);
        assertThat(preview.get(1)).isEqualTo(preview.get(0).plus(Duration.ofDays(1)));
        assertThat(Instant.parse(call("GET", "/jobs/triggers/" + id, null)
                        .json()
                        .path("data")
                        .path("attributes")
                        .path("next_run_at")
                        .asString()))
                .isEqualTo(preview.get(0));
        assertThat(runs(call("GET", "/jobs/triggers/" + id + "/next?Count=2", null)))
                .isEqualTo(preview);
    }

    @Test
    void should_say_why_fewer_runs_come_than_asked() {
        Api.Response in = call(
                "POST",
                "/jobs/triggers/next?Count=3",
                body("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\"}"));
        String event = created("{\"type\":\"@event\",\"arguments\":\"io.cozy.files\",\"worker\":\"log\"}");
        Api.Response onEvent = call("GET", "/jobs/triggers/" + event + "/next", null);

        assertThat(runs(in)).hasSize(1);
        assertThat(attributes(in).path("end").asString()).isEqualTo("runs once");
        assertThat(runs(onEvent)).isEmpty();
        assertThat(attributes(onEvent).path("end").asString())
                .isEqualTo("fires on document events, never on a schedule");
    }

    @Test
    void should_refuse_bad_counts_zones_and_specs_naming_the_field() {
        String id = created("{\"type\":\"@every\",\"arguments\":\"1h\",\"worker\":\"log\"}");
        String cron = body("{\"type\":\"@cron\",\"arguments\":\"0 0 0 30 2 *\",\"worker\":\"log\"}");
        String hourly = body("{\"type\":\"@hourly\",\"worker\":\"log\"}");

        for (String count : List.of("0", "101", "-1", "abc", "1e3", "%00")) {
            assertParameterError(call("GET", "/jobs/triggers/" + id + "/next?Count=" + count, null), "Count");
        }
        assertParameterError(call("POST", "/jobs/triggers/next?TZ=Mars/Olympus", hourly), "TZ");
        Api.Response never = call("POST", "/jobs/triggers/next", cron);
        assertThat(never.status()).isEqualTo(400);
        assertThat(never.body()).contains("never fires", "/data/attributes/arguments");
        assertThat(call("GET", "/jobs/triggers/" + "0".repeat(32) + "/next", null)
                        .status())
                .isEqualTo(404);
        assertThat(api.call(domain, "not-a-token", "POST", "/jobs/triggers/next", hourly)
                        .status())
                .isEqualTo(401);
    }

    /** The next weekday 9:00 in {@code zone}, worked out day by day (not with a cron library). */
    private List<Instant> weekdayMornings(ZoneId zone, int count) {
        List<Instant> expected = new ArrayList<>();
        ZonedDateTime day = ZonedDateTime.ofInstant(clock.instant(), zone).with(LocalTime.of(9, 0));
        if (!day.toInstant().isAfter(clock.instant())) {
            day = day.plusDays(1);
        }
        for (; expected.size() < count; day = day.plusDays(1)) {
            if (day.getDayOfWeek() != DayOfWeek.SATURDAY && day.getDayOfWeek() != DayOfWeek.SUNDAY) {
                expected.add(day.toInstant());
            }
        }
        return expected;
    }

    private String created(String attributes) {
        Api.Response r = call("POST", "/jobs/triggers", body(attributes));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("data").path("id").asString();
    }

    private static List<Instant> runs(Api.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return StreamSupport.stream(attributes(r).path("next_runs").spliterator(), false)
                .map(JsonNode::asString)
                .map(Instant::parse)
                .toList();
    }

    private static JsonNode attributes(Api.Response r) {
        return r.json().path("data").path("attributes");
    }

    private static void assertParameterError(Api.Response r, String parameter) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json()
                        .path("errors")
                        .get(0)
                        .path("source")
                        .path("parameter")
                        .asString())
                .isEqualTo(parameter);
    }

    private static String body(String attributes) {
        return "{\"data\":{\"type\":\"io.cozy.triggers\",\"attributes\":" + attributes + "}}";
    }

    private Api.Response call(String method, String path, String body) {
        return api.call(domain, token, method, path, body);
    }
}
