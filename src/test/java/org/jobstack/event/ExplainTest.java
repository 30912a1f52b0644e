package org.jobstack.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.jobstack.trigger.TriggerPauses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** {@code POST /instances/:domain/events/explain} and the webhook explanation: why a trigger fires or not. */
class ExplainTest extends IntegrationTest {

    private static final String EVENT = "{\"verb\":\"UPDATED\",\"doctype\":\"io.cozy.notes\","
            + "\"doc\":{\"_id\":\"n3\",\"status\":\"done\",\"title\":\"a\"},"
            + "\"old\":{\"_id\":\"n3\",\"status\":\"done\",\"title\":\"a\"}}";

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TriggerPauses pauses;

    private String domain;
    private String token;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.triggers io.cozy.jobs");
    }

    @Test
    void should_say_for_every_watching_trigger_whether_it_fires_or_why_not_and_change_nothing() {
        Map<String, String> ids = new HashMap<>();
        ids.put("verb", trigger("@event", "io.cozy.notes:CREATED", "log", null, null));
        ids.put("id", trigger("@event", "io.cozy.notes:UPDATED:n1,n2", "log", null, null));
        ids.put("selector", trigger("@event", "io.cozy.notes:UPDATED:draft:status", "log", null, null));
        ids.put("changed", trigger("@event", "io.cozy.notes:UPDATED:!=:title", "log", null, null));
        ids.put("paused", trigger("@event", "io.cozy.notes", "log", null, null));
        ids.put("debounced", trigger("@event", "io.cozy.notes:UPDATED", "log", "1h", null));
        // n3 only: a job of an app that is not installed fails and deletes its trigger (the event on n9)
        ids.put(
                "service",
                trigger("@event", "io.cozy.notes:UPDATED:n3", "service", null, "{\"slug\":\"ghost\",\"name\":\"x\"}"));
        ids.put("fires", trigger("@event", "io.cozy.notes:ALL", "log", null, null));
        String other = trigger("@event", "io.cozy.files", "log", null, null);
        pauses.pause(domain, ids.get("paused"));
        post("{\"verb\":\"UPDATED\",\"doctype\":\"io.cozy.notes\",\"doc\":{\"_id\":\"n9\"}}");
        int jobsBefore = count("SELECT COUNT(*) FROM job WHERE domain = ?");
        int occurrencesBefore = count("SELECT SUM(occurrences) FROM debounce_window WHERE domain = ?");

        Api.Response explained = api.admin("POST", "/instances/" + domain + "/events/explain", "[" + EVENT + "]");

        assertThat(explained.status()).as(explained.body()).isEqualTo(200);
        JsonNode event = explained.json().path("events").get(0);
        assertThat(event.path("id").asString()).isEqualTo("n3");
        Map<String, JsonNode> byId = StreamSupport.stream(event.path("triggers").spliterator(), false)
                .collect(Collectors.toMap(t -> t.path("trigger_id").asString(), t -> t));
        assertThat(byId).doesNotContainKey(other).hasSize(ids.size());
        assertThat(reason(byId, ids, "verb")).isEqualTo("io.cozy.notes:CREATED: verb UPDATED not listed (CREATED)");
        assertThat(reason(byId, ids, "id"))
                .isEqualTo("io.cozy.notes:UPDATED:n1,n2: document n3 is not one of [n1, n2]");
        assertThat(reason(byId, ids, "selector"))
                .isEqualTo("io.cozy.notes:UPDATED:draft:status: status is [done], and was [done], not one of [draft]");
        assertThat(reason(byId, ids, "changed"))
                .isEqualTo("io.cozy.notes:UPDATED:!=:title: title did not change ([a])");
        assertThat(reason(byId, ids, "paused")).endsWith("but the trigger is paused: the occurrence is dropped");
        assertThat(reason(byId, ids, "debounced"))
                .startsWith("matches io.cozy.notes:UPDATED: debounced: joins the window open since ")
                .contains("(1 occurrence(s) so far)");
        assertThat(byId.get(ids.get("debounced")).path("would_fire").asBoolean())
                .isTrue();
        assertThat(byId.get(ids.get("service")).path("would_fire").asBoolean()).isTrue();
        assertThat(byId.get(ids.get("service")).path("warning").asString())
                .isEqualTo("webapp ghost is not installed: its job will fail");
        assertThat(reason(byId, ids, "fires")).isEqualTo("matches io.cozy.notes: a job is queued at once");
        assertThat(byId.get(ids.get("fires")).has("warning")).isFalse();
        assertThat(count("SELECT COUNT(*) FROM job WHERE domain = ?"))
                .as("no job made")
                .isEqualTo(jobsBefore);
        assertThat(count("SELECT SUM(occurrences) FROM debounce_window WHERE domain = ?"))
                .as("no occurrence counted")
                .isEqualTo(occurrencesBefore);

        Set<String> explainedJobs = byId.values().stream()
                .filter(t -> t.path("reason").asString().endsWith("a job is queued at once"))
                .map(t -> t.path("trigger_id").asString())
                .collect(Collectors.toSet());
        assertThat(triggersOfJobs(post(EVENT)))
                .as("the triggers that really fire")
                .isEqualTo(explainedJobs);
    }

    @Test
    void should_explain_a_webhook_call_paused_rate_limited_or_firing() {
        String hook = trigger("@webhook", "", "log", null, null);

        Api.Response fires = api.admin("POST", "/instances/" + domain + "/webhooks/" + hook + "/explain", null);
        pauses.pause(domain, hook);
        Api.Response paused = api.admin("POST", "/instances/" + domain + "/webhooks/" + hook + "/explain", null);
        pauses.resume(domain, hook);
        for (int i = 0; i < 30; i++) {
            assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + hook, null)
                            .status())
                    .isEqualTo(204);
        }
        Api.Response limited = api.admin("POST", "/instances/" + domain + "/webhooks/" + hook + "/explain", null);

        assertThat(fires.json().path("would_fire").asBoolean()).as(fires.body()).isTrue();
        assertThat(fires.json().path("reason").asString()).isEqualTo("a call: a job is queued at once");
        assertThat(paused.json().path("would_fire").asBoolean()).isFalse();
        assertThat(paused.json().path("reason").asString()).isEqualTo("the trigger is paused: calls are answered 409");
        assertThat(limited.json().path("would_fire").asBoolean()).isFalse();
        assertThat(limited.json().path("reason").asString())
                .startsWith("rate limit reached: at most 30 webhook-trigger per hour for this instance, until ")
                .endsWith(": calls are answered 429");
        assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + hook, null)
                        .status())
                .as("as explained")
                .isEqualTo(429);
        assertThat(api.admin("POST", "/instances/" + domain + "/webhooks/" + "0".repeat(32) + "/explain", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void should_refuse_malformed_events_as_the_events_route_does() {
        Api.Response bad = api.admin("POST", "/instances/" + domain + "/events/explain", "{\"verb\":\"CREATED\"}");
        Api.Response nobody = api.admin("POST", "/instances/nobody.test/events/explain", EVENT);

        assertThat(bad.status()).as(bad.body()).isIn(400, 422);
        assertThat(bad.body()).contains("doctype");
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(api.plainGet("/instances/" + domain + "/events/explain").status())
                .as("admin port only")
                .isEqualTo(404);
    }

    private String trigger(String type, String arguments, String worker, String debounce, String message) {
        Api.Response r = api.call(
                domain,
                token,
                "POST",
                "/jobs/triggers",
                "{\"data\":{\"attributes\":{\"type\":\"" + type + "\",\"arguments\":\"" + arguments
                        + "\",\"worker\":\"" + worker + "\""
                        + (debounce == null ? "" : ",\"debounce\":\"" + debounce + "\"")
                        + (message == null ? "" : ",\"message\":" + message) + "}}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("data").path("id").asString();
    }

    private List<String> post(String event) {
        Api.Response r = api.admin("POST", "/instances/" + domain + "/events", event);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return StreamSupport.stream(r.json().path("jobs").spliterator(), false)
                .map(JsonNode::asString)
                .toList();
    }

    private Set<String> triggersOfJobs(List<String> jobs) {
        return jobs.stream()
                .map(id -> jdbc.sql("SELECT trigger_id FROM job WHERE id = ?")
                        .param(id)
                        .query(String.class)
                        .single())
                .collect(Collectors.toSet());
    }

    private int count(String sql) {
        Integer n = jdbc.sql(sql).param(domain).query(Integer.class).single();
        return n == null ? 0 : n;
    }

    private static String reason(Map<String, JsonNode> byId, Map<String, String> ids, String which) {
        return byId.get(ids.get(which)).path("reason").asString();
    }
}
