package org.jobstack.realtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.RealtimeSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code /realtime/} with a plain websocket client: cozy-stack's protocol, permissions, and slow clients. */
class RealtimeProtocolTest extends IntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final Duration NOTHING = Duration.ofMillis(300);
    private static final String PROBE = "io.cozy.test.probe";

    @Autowired
    RealtimeHub hub;

    @Autowired
    RealtimeKeeper keeper;

    String domain;
    String admin;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
        admin = api.cliToken(domain, "io.cozy.jobs io.cozy.triggers io.cozy.apps " + PROBE);
    }

    @Test
    void should_speak_io_cozy_websocket_and_send_a_jobs_changes_in_order() throws Exception {
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            assertThat(client.subprotocol()).isEqualTo("io.cozy.websocket");
            client.auth(api.cliToken(domain, "io.cozy.jobs:GET " + PROBE)).subscribe("io.cozy.jobs");
            live(client);

            String job = queueLog();

            List<String> states = new ArrayList<>();
            while (!states.contains("UPDATED done")) {
                JsonNode message = client.next(WAIT);
                assertThat(message).as("events so far: %s", states).isNotNull();
                assertThat(message.path("payload").path("type").asString()).isEqualTo("io.cozy.jobs");
                assertThat(message.path("payload").path("id").asString()).isEqualTo(job);
                assertThat(message.path("payload").path("doc").path("_id").asString())
                        .isEqualTo(job);
                states.add(message.path("event").asString() + " "
                        + message.path("payload").path("doc").path("state").asString());
            }
            assertThat(states).containsExactly("CREATED queued", "UPDATED running", "UPDATED done");
        }
    }

    @Test
    void should_refuse_the_handshake_of_an_unknown_instance() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> RealtimeSocket.open(port, "nobody.test")))
                .hasStackTraceContaining("status code 404");
    }

    @Test
    void should_answer_a_bad_token_with_the_protocols_401_and_close() throws Exception {
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            client.auth("not-a-token");

            JsonNode error = client.next(WAIT);
            assertThat(error.path("event").asString()).isEqualTo("error");
            assertThat(error.path("payload").path("status").asString()).isEqualTo("401 Unauthorized");
            assertThat(error.path("payload").path("code").asString()).isEqualTo("unauthorized");
            assertThat(error.toString()).doesNotContain("not-a-token");
            assertThat(client.closed().get(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void should_refuse_a_token_of_another_instance() throws Exception {
        String other = api.newInstance(null);
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            client.auth(api.cliToken(other, "io.cozy.jobs"));

            assertThat(client.next(WAIT).path("payload").path("status").asString())
                    .isEqualTo("401 Unauthorized");
            assertThat(client.closed().get(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void should_close_a_connection_whose_first_command_is_not_auth() throws Exception {
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            client.subscribe("io.cozy.jobs");

            JsonNode error = client.next(WAIT);
            assertThat(error.path("payload").path("status").asString()).isEqualTo("405 Method Not Allowed");
            assertThat(error.path("payload").path("source").path("method").asString())
                    .isEqualTo("SUBSCRIBE");
            assertThat(client.closed().get(5, TimeUnit.SECONDS)).isNotNull();
        }
    }

    @Test
    void should_answer_bad_commands_with_errors_and_keep_the_connection() throws Exception {
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            client.auth(api.cliToken(domain, "io.cozy.jobs " + PROBE));
            client.send("{not json");
            assertThat(client.next(WAIT).path("payload").path("status").asString())
                    .isEqualTo("400 Bad Request");
            client.send("[1,2]");
            assertThat(client.next(WAIT).path("payload").path("status").asString())
                    .isEqualTo("400 Bad Request");
            client.send("{\"method\":\"SUBSCRIBE\",\"payload\":{\"id\":\"x\"}}");
            JsonNode missing = client.next(WAIT);
            assertThat(missing.path("payload").path("status").asString()).isEqualTo("404 Page Not Found");
            assertThat(missing.path("payload").path("title").asString()).contains("type");
            client.send("{\"method\":\"DROP\",\"payload\":{}}");
            assertThat(client.next(WAIT).path("payload").path("status").asString())
                    .isEqualTo("405 Method Not Allowed");

            client.subscribe("io.cozy.jobs");
            live(client);
            String job = queueLog();
            assertThat(client.next(WAIT).path("payload").path("id").asString()).isEqualTo(job);
        }
    }

    @Test
    void should_refuse_a_subscription_the_token_may_not_read_and_send_none_of_its_documents() throws Exception {
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            client.auth(api.cliToken(domain, "io.cozy.jobs:GET " + PROBE));
            client.subscribe("io.cozy.triggers");

            JsonNode error = client.next(WAIT);
            assertThat(error.path("event").asString()).isEqualTo("error");
            assertThat(error.path("payload").path("status").asString()).isEqualTo("403 Forbidden");
            assertThat(error.path("payload").path("title").asString())
                    .isEqualTo("The application can't subscribe to io.cozy.triggers");
            assertThat(error.path("payload")
                            .path("source")
                            .path("payload")
                            .path("type")
                            .asString())
                    .isEqualTo("io.cozy.triggers");

            live(client);
            createTrigger();
            assertThat(client.next(NOTHING)).isNull();
        }
    }

    @Test
    void should_send_a_token_limited_to_some_jobs_only_those_jobs() throws Exception {
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            client.auth(api.cliToken(domain, "io.cozy.jobs:GET:client:worker " + PROBE));
            client.subscribe("io.cozy.jobs");
            live(client);

            queueLog();
            String clientJob = api.call(domain, admin, "POST", "/jobs/queue/client", "{\"data\":{\"attributes\":{}}}")
                    .json()
                    .path("data")
                    .path("id")
                    .asString();

            JsonNode event = client.next(WAIT);
            assertThat(event.path("payload").path("id").asString()).isEqualTo(clientJob);
            assertThat(event.path("payload").path("doc").path("worker").asString())
                    .isEqualTo("client");
            assertThat(client.next(NOTHING)).isNull();
        }
    }

    @Test
    void should_send_triggers_created_and_deleted_and_one_documents_events_to_its_subscribers() throws Exception {
        try (RealtimeSocket all = RealtimeSocket.open(port, domain);
                RealtimeSocket one = RealtimeSocket.open(port, domain)) {
            all.auth(admin).subscribe("io.cozy.triggers");
            live(all);
            String trigger = createTrigger();

            JsonNode created = all.next(WAIT);
            assertThat(created.path("event").asString()).isEqualTo("CREATED");
            assertThat(created.path("payload").path("type").asString()).isEqualTo("io.cozy.triggers");
            assertThat(created.path("payload").path("doc").path("_id").asString())
                    .isEqualTo(trigger);
            assertThat(created.path("payload").path("doc").path("type").asString())
                    .isEqualTo("@in");

            one.auth(admin).subscribe("io.cozy.triggers", trigger);
            live(one);
            createTrigger();
            assertThat(all.next(WAIT).path("event").asString()).isEqualTo("CREATED");
            assertThat(one.next(NOTHING)).isNull();

            assertThat(api.call(domain, admin, "DELETE", "/jobs/triggers/" + trigger, null)
                            .status())
                    .isEqualTo(204);
            for (RealtimeSocket client : List.of(all, one)) {
                JsonNode deleted = client.next(WAIT);
                assertThat(deleted.path("event").asString()).isEqualTo("DELETED");
                assertThat(deleted.path("payload").path("id").asString()).isEqualTo(trigger);
                assertThat(deleted.path("payload").path("doc").path("_deleted").asBoolean())
                        .isTrue();
            }

            all.send("{\"method\":\"UNSUBSCRIBE\",\"payload\":{\"type\":\"io.cozy.triggers\"}}");
            live(all);
            createTrigger();
            assertThat(all.next(NOTHING)).isNull();
        }
    }

    @Test
    void should_send_an_apps_installation_and_removal_to_io_cozy_apps_subscribers() throws Exception {
        String probe = java.nio.file.Path.of("src/test/resources/apps/probe")
                .toAbsolutePath()
                .toUri()
                .toString();
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            client.auth(admin).subscribe("io.cozy.apps");
            live(client);

            assertThat(api.call(domain, admin, "POST", "/apps/probe?Source=" + Api.enc(probe), null)
                            .status())
                    .isEqualTo(202);
            List<String> seen = new ArrayList<>();
            JsonNode event;
            while ((event = client.next(Duration.ofMillis(500))) != null) {
                assertThat(event.path("payload").path("type").asString()).isEqualTo("io.cozy.apps");
                assertThat(event.path("payload").path("id").asString()).isEqualTo("io.cozy.apps/probe");
                assertThat(event.path("payload").path("doc").path("slug").asString())
                        .isEqualTo("probe");
                seen.add(event.path("event").asString() + " "
                        + event.path("payload").path("doc").path("state").asString());
            }
            assertThat(seen).containsExactly("CREATED ready");

            assertThat(api.call(domain, admin, "DELETE", "/apps/probe", null).status())
                    .isEqualTo(200);
            JsonNode deleted = client.next(WAIT);
            assertThat(deleted.path("event").asString()).isEqualTo("DELETED");
            assertThat(deleted.path("payload").path("doc").path("_deleted").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void should_pass_notifications_to_subscribers_only_with_a_token_that_may_post_them() throws Exception {
        try (RealtimeSocket client = RealtimeSocket.open(port, domain)) {
            client.auth(admin).subscribe("io.cozy.jobs", "j1");
            live(client);

            Api.Response sent = api.call(
                    domain, admin, "POST", "/realtime/io.cozy.jobs/j1", "{\"subtype\":\"progress\",\"imported\":10}");
            assertThat(sent.status()).isEqualTo(204);
            JsonNode notified = client.next(WAIT);
            assertThat(notified.path("event").asString()).isEqualTo("NOTIFIED");
            assertThat(notified.path("payload").path("doc").path("imported").asInt())
                    .isEqualTo(10);
            assertThat(notified.path("payload").path("doc").path("_id").asString())
                    .isEqualTo("j1");

            String readOnly = api.cliToken(domain, "io.cozy.jobs:GET");
            assertThat(api.call(domain, readOnly, "POST", "/realtime/io.cozy.jobs/j1", "{}")
                            .status())
                    .isEqualTo(403);
            assertThat(api.call(domain, null, "POST", "/realtime/io.cozy.jobs/j1", "{}")
                            .status())
                    .isEqualTo(401);
            Api.Response notObject = api.call(domain, admin, "POST", "/realtime/io.cozy.jobs/j1", "[1]");
            assertThat(notObject.status()).isEqualTo(400);
            assertThat(notObject.body()).contains("JSON object");
            assertThat(api.call(domain, admin, "POST", "/realtime/Not%20A%20Doctype/j1", "{}")
                            .status())
                    .isEqualTo(422);
            assertThat(client.next(NOTHING)).isNull();
        }
    }

    @Test
    void should_close_a_client_that_does_not_read_without_slowing_the_others() throws Exception {
        try (RealtimeSocket slow = RealtimeSocket.open(port, domain, false);
                RealtimeSocket reader = RealtimeSocket.open(port, domain)) {
            slow.auth(admin).subscribe(PROBE);
            reader.auth(admin).subscribe(PROBE);
            await().atMost(WAIT)
                    .until(() -> hub.connections().stream()
                            .filter(c -> c.domain().equals(domain))
                            .allMatch(c -> c.caller() != null && c.watches(PROBE)));
            String big = "{\"blob\":\"" + "x".repeat(400_000) + "\"}";

            int sent = 0;
            while (hub.connections().stream()
                                    .filter(c -> c.domain().equals(domain))
                                    .count()
                            == 2
                    && sent < 200) {
                long start = System.nanoTime();
                assertThat(api.call(domain, admin, "POST", "/realtime/" + PROBE + "/big-" + sent, big)
                                .status())
                        .isEqualTo(204);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
                sent++;
                JsonNode got = reader.next(WAIT);
                assertThat(got)
                        .as("the reading client got notification %d", sent)
                        .isNotNull();
                assertThat(got.path("payload").path("id").asString()).isEqualTo("big-" + (sent - 1));
            }

            assertThat(sent)
                    .as("notifications sent before the slow client was closed")
                    .isLessThan(200);
            assertThat(hub.connections().stream().filter(c -> c.domain().equals(domain)))
                    .singleElement()
                    .satisfies(c -> assertThat(c.outbox().isClosed()).isFalse());
        }
    }

    @Test
    void should_close_a_client_without_auth_in_time_and_one_silent_for_three_pings_but_not_one_that_answers()
            throws Exception {
        try (RealtimeSocket mute = RealtimeSocket.open(port, domain);
                RealtimeSocket answering = RealtimeSocket.open(port, domain);
                RealtimeSocket gone = RealtimeSocket.open(port, domain, false)) {
            answering.auth(admin).subscribe(PROBE);
            gone.auth(admin).subscribe(PROBE);
            await().atMost(WAIT)
                    .until(() -> hub.connections().stream()
                                    .filter(c -> c.domain().equals(domain) && c.caller() != null)
                                    .count()
                            == 2);
            clock.freeze();

            clock.advance(Duration.ofSeconds(31));
            keeper.pass();
            JsonNode refused = mute.next(WAIT);
            assertThat(refused.path("payload").path("status").asString()).isEqualTo("401 Unauthorized");
            assertThat(mute.closed().get(5, TimeUnit.SECONDS)).isNotNull();

            // Pings every 30 s: the client that reads answers them (the JDK's client pongs), the other does not
            for (int i = 0; i < 3; i++) {
                clock.advance(Duration.ofSeconds(30));
                keeper.pass();
                Thread.sleep(300);
            }
            clock.advance(Duration.ofSeconds(1));
            keeper.pass();

            await().atMost(WAIT)
                    .until(() -> hub.connections().stream()
                                    .filter(c -> c.domain().equals(domain))
                                    .count()
                            == 1);
            assertThat(answering.closed()).isNotDone();
        }
    }

    /** Subscribes to the probe doctype and returns once a probe came back: what was sent before is in effect. */
    private void live(RealtimeSocket client) throws InterruptedException {
        client.subscribe(PROBE);
        for (int i = 0; i < 50; i++) {
            api.call(domain, admin, "POST", "/realtime/" + PROBE + "/probe", "{}");
            JsonNode message = client.next(Duration.ofMillis(100));
            while (message != null) {
                if (message.path("payload").path("type").asString().equals(PROBE)) {
                    drainProbes(client);
                    client.send("{\"method\":\"UNSUBSCRIBE\",\"payload\":{\"type\":\"" + PROBE + "\"}}");
                    return;
                }
                throw new AssertionError("unexpected message while waiting for the probe: " + message);
            }
        }
        throw new AssertionError("the probe never came back");
    }

    private static void drainProbes(RealtimeSocket client) throws InterruptedException {
        JsonNode more;
        while ((more = client.next(Duration.ofMillis(150))) != null) {
            assertThat(more.path("payload").path("type").asString()).isEqualTo(PROBE);
        }
    }

    private String queueLog() {
        Api.Response queued = api.call(domain, admin, "POST", "/jobs/queue/log", "{\"data\":{\"attributes\":{}}}");
        assertThat(queued.status()).as(queued.body()).isEqualTo(202);
        return queued.json().path("data").path("id").asString();
    }

    private String createTrigger() {
        Api.Response created = api.call(
                domain,
                admin,
                "POST",
                "/jobs/triggers",
                "{\"data\":{\"attributes\":{\"type\":\"@in\",\"arguments\":\"10h\",\"worker\":\"log\"}}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("data").path("id").asString();
    }
}
