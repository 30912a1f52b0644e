package org.jobstack.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jobstack.security.SecurityFixture.assertError;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jobstack.security.SecurityFixture.Route;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** Hostile bodies from an authorised caller: a clear 4xx for each, nothing stored or changed. */
class HostileInputTest extends IntegrationTest {

    private static final int LIMIT = 4 * 1024 * 1024;
    private static SecurityFixture fixture;

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void fixture() {
        if (fixture == null) {
            fixture = new SecurityFixture(api);
        }
    }

    /** Bodies no route takes: not JSON, not JSON:API, nested past any sane depth. */
    static List<String> garbage() {
        String deep = "[".repeat(5_000) + "]".repeat(5_000);
        return List.of(
                "",
                "{",
                "[]",
                "null",
                "\"text\"",
                "42",
                "{\"data\":null}",
                "{\"data\":[]}",
                "{\"data\":{\"attributes\":5}}",
                "{\"data\":{\"attributes\":[]}}",
                "{\"data\":{\"attributes\":{\"arguments\":" + deep + ",\"state\":" + deep + ",\"type\":" + deep
                        + "}}}");
    }

    @Test
    void should_answer_hostile_bodies_with_a_4xx_and_store_nothing() {
        List<String> before = snapshot();
        Map<Route, List<String>> targets = new LinkedHashMap<>();
        targets.put(
                new Route("POST", "/jobs/queue/log", null),
                List.of(
                        "{\"data\":{\"attributes\":{\"arguments\":{},\"options\":{\"timeout\":\"forever\"}}}}",
                        "{\"data\":{\"attributes\":{\"arguments\":{},\"options\":{\"max_exec_count\":-1}}}}",
                        "{\"data\":{\"attributes\":{\"arguments\":{},\"options\":{\"timeout\":-5}}}}",
                        "{\"data\":{\"attributes\":{\"arguments\":{},\"manual\":\"yes\"}}}"));
        targets.put(
                new Route("PATCH", "/jobs/" + fixture.job, null),
                List.of(
                        "{\"data\":{\"attributes\":{\"state\":\"exploded\"}}}",
                        "{\"data\":{\"attributes\":{\"state\":\"done\"}}}"));
        targets.put(
                new Route("POST", "/jobs/triggers", null),
                List.of(
                        SecurityFixture.triggerBody("@cron", "9".repeat(100_000)),
                        SecurityFixture.triggerBody("@cron", "0 0 0 30 2 *"),
                        SecurityFixture.triggerBody("@every", "1d"),
                        SecurityFixture.triggerBody("@at", "yesterday"),
                        SecurityFixture.triggerBody("@event", "io.cozy.files:EXPLODED"),
                        SecurityFixture.triggerBody("@teleport", "now"),
                        "{\"data\":{\"attributes\":{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\",\"debounce\":\"1 day\"}}}",
                        "{\"data\":{\"attributes\":{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"nope\"}}}"));
        targets.put(
                new Route("PATCH", "/jobs/triggers/" + fixture.trigger, null),
                List.of(
                        "{\"data\":{\"attributes\":{\"arguments\":\"" + "9".repeat(100_000) + "\"}}}",
                        "{\"data\":{\"attributes\":{\"arguments\":\"not a cron\"}}}",
                        "{\"data\":{\"attributes\":{\"arguments\":42}}}"));
        for (Map.Entry<Route, List<String>> target : targets.entrySet()) {
            Route route = target.getKey();
            for (String body : concat(garbage(), target.getValue())) {
                Api.Response r = api.call(fixture.domain, fixture.cli, route.method(), route.path(), body);
                String what = route + " with " + body.substring(0, Math.min(body.length(), 80));
                assertThat(r.status()).as(what + " → " + r.body()).isBetween(400, 499);
                assertError(r, r.status(), what);
            }
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void should_answer_hostile_events_with_a_4xx_and_run_nothing() {
        List<String> before = snapshot();
        List<String> bodies = List.of(
                "",
                "{",
                "42",
                "\"x\"",
                "[42]",
                "{\"verb\":\"EXPLODED\",\"doctype\":\"io.cozy.probes\"}",
                "{\"verb\":\"CREATED\"}",
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.probes\",\"doc\":[]}",
                "{\"verb\":\"CREATED\",\"doctype\":\"" + "x".repeat(10_000) + "\",\"doc\":{}}",
                "[" + "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.probes\",\"doc\":{}},".repeat(1_000)
                        + "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.probes\",\"doc\":{}}]");
        for (String body : bodies) {
            Api.Response r = api.admin("POST", "/instances/" + fixture.domain + "/events", body);
            assertThat(r.status())
                    .as(body.substring(0, Math.min(80, body.length())) + " → " + r.body())
                    .isBetween(400, 499);
            assertError(r, r.status(), "event " + body.substring(0, Math.min(80, body.length())));
        }
        Api.Response second = api.admin(
                "POST",
                "/instances/" + fixture.domain + "/events",
                "[{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.probes\",\"doc\":{\"_id\":\"1\"}},{\"verb\":\"GET\"}]");
        assertThat(second.json()
                        .path("errors")
                        .get(0)
                        .path("source")
                        .path("pointer")
                        .asString())
                .as("points into the body as sent")
                .isEqualTo("/1/verb");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void should_refuse_a_body_over_the_limit_with_413_whether_its_length_is_declared_or_not() throws Exception {
        List<String> before = snapshot();
        String big = "{\"data\":{\"attributes\":{\"arguments\":\"" + "x".repeat(LIMIT) + "\"}}}";

        assertError(api.call(fixture.domain, fixture.cli, "POST", "/jobs/queue/log", big), 413, "declared length");
        assertError(
                chunked("http://127.0.0.1:" + api.port() + "/jobs/queue/log", "Bearer " + fixture.cli, big),
                413,
                "chunked body");
        assertError(
                chunked(
                        "http://127.0.0.1:" + api.adminPort() + "/instances/" + fixture.domain + "/events",
                        Api.basic(PASSPHRASE),
                        "[" + "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.probes\",\"doc\":{\"x\":\""
                                + "y".repeat(LIMIT) + "\"}}]"),
                413,
                "chunked events");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void should_refuse_webhook_bodies_over_their_limit_and_queue_nothing() {
        List<String> before = snapshot();

        assertError(
                api.call(
                        fixture.domain,
                        null,
                        "POST",
                        "/jobs/webhooks/" + fixture.webhook,
                        "\"" + "x".repeat(1024 * 1024) + "\""),
                413,
                "webhook body over 1 MB");
        assertThat(snapshot()).isEqualTo(before);
    }

    private static Api.Response chunked(String url, String authorization, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Host", fixture.domain)
                .header("Authorization", authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes())))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        return new Api.Response(response.statusCode(), response.body(), response);
    }

    private List<String> snapshot() {
        return SecurityFixture.snapshot(jdbc, fixture.domain);
    }
}
