package org.jobstack.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import org.jobstack.support.Api;
import org.jobstack.support.LoadTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Floods through the API: a burst of webhook calls on a debounced trigger, 100 000 events in
 * batches, 1 000 triggers due in the same second. Nothing is silently dropped, nothing is half
 * applied, and the server keeps answering its health check throughout.
 */
class FloodTest extends LoadTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TriggerScheduler scheduler;

    private final ExecutorService clients = Executors.newFixedThreadPool(8);
    private final AtomicBoolean flooding = new AtomicBoolean(true);
    private final List<Integer> healthStatuses = new ArrayList<>();
    private Future<?> healthWatch;
    private String domain;
    private String token;

    @BeforeEach
    void setUp() {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.triggers io.cozy.jobs");
        healthWatch = Executors.newSingleThreadExecutor().submit(() -> {
            while (flooding.get()) {
                healthStatuses.add(api.plainGet("/actuator/health").status());
                Thread.sleep(100);
            }
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        flooding.set(false);
        healthWatch.get();
        clients.shutdownNow();
        assertThat(healthStatuses)
                .as("the health check answered throughout")
                .isNotEmpty()
                .containsOnly(200);
    }

    @Test
    void should_turn_a_burst_of_10000_webhook_calls_into_one_job_keeping_the_first_1000_payloads() throws Exception {
        String trigger = trigger("{\"type\":\"@webhook\",\"worker\":\"log\",\"debounce\":\"1h\"}");

        Map<Integer, Integer> statuses = countStatuses(
                10_000,
                i -> api.call(domain, null, "POST", "/jobs/webhooks/" + trigger, "{\"n\":" + i + "}")
                        .status());
        scheduler.pollOnce(Instant.now().plus(2, ChronoUnit.HOURS));

        assertThat(statuses).as("every call accepted").isEqualTo(Map.of(204, 10_000));
        List<String> payloads = jdbc.sql("SELECT payload FROM job WHERE trigger_id = ?")
                .param(trigger)
                .query(String.class)
                .list();
        assertThat(payloads).as("one job").hasSize(1);
        JsonNode payload = Api.JSON.readTree(payloads.get(0));
        assertThat(payload.path("payloads")).hasSize(1000);
        assertThat(payload.path("payloads_dropped").asInt()).isEqualTo(9000);
        assertThat(payload.path("payloads").valueStream().map(p -> p.path("n").asInt()))
                .as("distinct calls' payloads")
                .doesNotHaveDuplicates();
    }

    @Test
    void should_keep_webhook_payloads_up_to_the_byte_cap_and_count_the_others() {
        String trigger = trigger("{\"type\":\"@webhook\",\"worker\":\"log\",\"debounce\":\"1h\"}");
        String big = "\"" + "b".repeat(20 * 1024) + "\"";

        for (int i = 0; i < 10; i++) {
            assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + trigger, big)
                            .status())
                    .isEqualTo(204);
        }
        scheduler.pollOnce(Instant.now().plus(2, ChronoUnit.HOURS));

        JsonNode payload = Api.JSON.readTree(jdbc.sql("SELECT payload FROM job WHERE trigger_id = ?")
                .param(trigger)
                .query(String.class)
                .single());
        assertThat(payload.path("payloads"))
                .as("three 20 KB bodies fit in 64 KB")
                .hasSize(3);
        assertThat(payload.path("payloads_dropped").asInt()).isEqualTo(7);
    }

    @Test
    void should_accept_100000_events_batch_by_batch_and_refuse_a_bad_batch_whole() throws Exception {
        String debounced = trigger(
                "{\"type\":\"@event\",\"arguments\":\"io.cozy.flood\",\"worker\":\"log\"," + "\"debounce\":\"1h\"}");
        String created = trigger("{\"type\":\"@event\",\"arguments\":\"io.cozy.flood:CREATED\",\"worker\":\"log\"}");
        int batches = 110;
        int badEvery = 11;

        Map<Integer, Integer> statuses = countStatuses(
                batches,
                b -> api.admin("POST", "/instances/" + domain + "/events", batch(b, b % badEvery == badEvery - 1))
                        .status());

        assertThat(statuses).isEqualTo(Map.of(202, 100, 400, 10));
        assertThat(jdbc.sql("SELECT occurrences FROM debounce_window WHERE trigger_id = ?")
                        .param(debounced)
                        .query(Integer.class)
                        .single())
                .as("every event of the accepted batches, none of the refused ones")
                .isEqualTo(100_000);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job WHERE trigger_id = ?")
                        .param(created)
                        .query(Integer.class)
                        .single())
                .as("one job per CREATED event of the accepted batches")
                .isEqualTo(100 * 10);
    }

    @Test
    void should_fire_1000_triggers_due_in_the_same_second_each_once() throws Exception {
        Instant due = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Map<Integer, Integer> statuses = countStatuses(
                1000,
                i -> api.call(
                                domain,
                                token,
                                "POST",
                                "/jobs/triggers",
                                "{\"data\":{\"attributes\":{\"type\":\"@at\",\"arguments\":\"" + due
                                        + "\",\"worker\":\"log\",\"message\":{\"n\":" + i + "}}}}")
                        .status());
        assertThat(statuses).isEqualTo(Map.of(201, 1000));

        for (int polls = 0; polls < 100 && scheduler.pollOnce(due.plusMillis(500)) > 0; polls++) {
            // each poll fires a batch of the due triggers
        }

        assertThat(jdbc.sql("SELECT COUNT(DISTINCT trigger_id) FROM job WHERE domain = ?")
                        .param(domain)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1000);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job WHERE domain = ?")
                        .param(domain)
                        .query(Integer.class)
                        .single())
                .as("each fired once")
                .isEqualTo(1000);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job_trigger WHERE domain = ?")
                        .param(domain)
                        .query(Integer.class)
                        .single())
                .as("@at triggers are gone once fired")
                .isZero();
    }

    /** 1 000 events; every hundredth is a CREATED, the others UPDATED; a bad batch has one event without a doctype. */
    private static String batch(int b, boolean bad) {
        StringBuilder events = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            if (i > 0) {
                events.append(',');
            }
            String doctype = bad && i == 500 ? "" : "io.cozy.flood";
            events.append("{\"verb\":\"")
                    .append(i % 100 == 0 ? "CREATED" : "UPDATED")
                    .append("\",\"doctype\":\"")
                    .append(doctype)
                    .append("\",\"doc\":{\"_id\":\"d")
                    .append(b)
                    .append('-')
                    .append(i)
                    .append("\"}}");
        }
        return events.append(']').toString();
    }

    private String trigger(String attributes) {
        Api.Response r =
                api.call(domain, token, "POST", "/jobs/triggers", "{\"data\":{\"attributes\":" + attributes + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("data").path("id").asString();
    }

    /** Makes {@code n} calls on 8 client threads; how many answers had each status. */
    private Map<Integer, Integer> countStatuses(int n, IntFunction<Integer> call) throws Exception {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        List<Future<?>> done = IntStream.range(0, n)
                .mapToObj(i -> clients.submit(() -> statuses.merge(call.apply(i), 1, Integer::sum)))
                .<Future<?>>map(f -> f)
                .toList();
        for (Future<?> f : done) {
            f.get();
        }
        return statuses;
    }
}
