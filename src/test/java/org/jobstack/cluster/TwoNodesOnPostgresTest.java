package org.jobstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jobstack.JobstackApplication;
import org.jobstack.config.AdminConnector;
import org.jobstack.node.LocalNode;
import org.jobstack.node.WorkerPauses;
import org.jobstack.support.Api;
import org.jobstack.support.Databases;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.jobstack.support.RealtimeSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Two nodes (two application contexts in this JVM) on one PostgreSQL. Polls and heartbeats are
 * set far apart (30 s, 10 s), so that whatever happens here within a few seconds happened
 * because one node signalled the other (PostgreSQL {@code LISTEN/NOTIFY}). The real-process cluster
 * (kill -9, restarts, thousands of jobs) is {@code ClusterIT}.
 */
class TwoNodesOnPostgresTest {

    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    static FakeStack stack;
    static Node a;
    static Node b;

    String domain;
    String token;

    record Node(ConfigurableApplicationContext context, Api api, String id) {
        static Node start(String id, String url) throws Exception {
            Path dataDir = Files.createTempDirectory("jobstack-two-nodes-" + id);
            Map<String, String> settings = Map.ofEntries(
                    Map.entry("server.port", "0"),
                    Map.entry("jobstack.admin.port", "0"),
                    Map.entry("jobstack.admin.passphrase", IntegrationTest.PASSPHRASE),
                    Map.entry("jobstack.secrets.key", IntegrationTest.CLUSTER_SECRETS_KEY),
                    Map.entry("jobstack.data-dir", dataDir.toString()),
                    Map.entry("jobstack.node.id", id),
                    Map.entry("jobstack.instances.default-domain", ""),
                    Map.entry("jobstack.jobs.poll-interval", "30s"),
                    Map.entry("jobstack.node.heartbeat-interval", "10s"),
                    Map.entry("jobstack.node.lease-timeout", "60s"),
                    Map.entry("jobstack.jobs.workers.service.cluster-concurrency", "2"),
                    Map.entry("jobstack.jobs.workers.service.concurrency", "3"),
                    Map.entry("spring.datasource.url", url),
                    Map.entry("spring.datasource.username", "postgres"),
                    Map.entry("spring.datasource.password", "postgres"),
                    Map.entry("logging.level.org.jobstack", "WARN"));
            ConfigurableApplicationContext context = new SpringApplicationBuilder(JobstackApplication.class)
                    .run(settings.entrySet().stream()
                            .map(e -> "--" + e.getKey() + "=" + e.getValue())
                            .toArray(String[]::new));
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            int admin = context.getBean(AdminConnector.class).localPort();
            return new Node(context, new Api(port, admin, IntegrationTest.PASSPHRASE), id);
        }
    }

    @BeforeAll
    static void startTwoNodes() throws Exception {
        stack = new FakeStack();
        String url = Databases.newPostgresDatabase();
        a = Node.start("node-a", url);
        b = Node.start("node-b", url);
    }

    @AfterAll
    static void stopThem() {
        b.context().close();
        a.context().close();
        stack.close();
    }

    @BeforeEach
    void instance() {
        domain = a.api().newInstance(stack.url());
        token = a.api().cliToken(domain, "io.cozy.jobs io.cozy.triggers io.cozy.apps");
    }

    @AfterEach
    void undrainBoth() {
        a.api().admin("POST", "/nodes/node-a/undrain", null);
        b.api().admin("POST", "/nodes/node-b/undrain", null);
    }

    @Test
    void should_run_at_once_on_an_idle_node_a_job_queued_through_a_node_that_claims_nothing() {
        drain(a);

        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            jobs.add(queue(a, "log", "{\"arguments\":\"hello " + i + "\"}"));
        }

        for (String job : jobs) {
            JsonNode done = awaitFinal(b, job);
            assertThat(done.path("state").asString()).isEqualTo("done");
        }
        assertThat(leaseOwnersOf(jobs)).containsOnly("node-b");
    }

    @Test
    void should_match_at_once_events_posted_to_one_node_with_the_triggers_made_and_deleted_through_the_other() {
        String event = "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.cluster.notes\",\"doc\":{\"_id\":\"n1\"}}";
        assertThat(jobsMadeBy(b, event))
                .as("node b reads the doctype's rules: none yet")
                .isEmpty();

        String trigger = createTrigger(
                a, "{\"type\":\"@event\",\"arguments\":\"io.cozy.cluster.notes:CREATED\",\"worker\":\"log\"}");
        assertThat(jobsMadeBy(b, event)).hasSize(1);

        assertThat(a.api()
                        .call(domain, token, "DELETE", "/jobs/triggers/" + trigger, null)
                        .status())
                .isEqualTo(204);
        assertThat(jobsMadeBy(b, event)).isEmpty();
    }

    private JsonNode jobsMadeBy(Node node, String event) {
        Api.Response posted = node.api().admin("POST", "/instances/" + domain + "/events", event);
        assertThat(posted.status()).isEqualTo(202);
        return posted.json().path("jobs");
    }

    @Test
    void should_stop_claiming_on_every_node_as_soon_as_a_worker_type_is_paused_on_one() throws Exception {
        a.context().getBean(WorkerPauses.class).pause("log", "test");
        try {
            await().atMost(AT_ONCE)
                    .until(() -> b.context().getBean(WorkerPauses.class).isPaused("log"));
            String job = queue(b, "log", "{\"arguments\":\"paused\"}");
            Thread.sleep(1_000);
            assertThat(stateOf(b, job)).isEqualTo("queued");
        } finally {
            a.context().getBean(WorkerPauses.class).resume("log");
        }
        await().atMost(AT_ONCE)
                .until(() -> !b.context().getBean(WorkerPauses.class).isPaused("log"));
    }

    @Test
    void should_fire_on_another_node_a_time_trigger_made_through_a_drained_one() {
        drain(a);

        String trigger =
                createTrigger(a, "{\"type\":\"@in\",\"arguments\":\"1s\",\"worker\":\"log\",\"message\":\"later\"}");

        await().atMost(AT_ONCE).untilAsserted(() -> {
            Api.Response jobs = b.api().call(domain, token, "GET", "/jobs/triggers/" + trigger + "/jobs", null);
            assertThat(jobs.status()).as("the fired @in trigger deletes itself").isEqualTo(404);
        });
        assertThat(countJobsOfTrigger(trigger)).isEqualTo(1);
    }

    @Test
    void should_never_run_more_service_jobs_than_the_cluster_concurrency_on_all_nodes_together() {
        install(a);
        int before = stack.requests().size();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Node through = i % 2 == 0 ? a : b;
            jobs.add(queue(
                    through,
                    "service",
                    "{\"arguments\":{\"slug\":\"probe\",\"name\":\"sleepy\"," + "\"fields\":{\"ms\":400}}}"));
        }

        for (String job : jobs) {
            assertThat(awaitFinal(a, job).path("state").asString()).isEqualTo("done");
        }

        Map<Long, Integer> changes = new TreeMap<>();
        stack.requests().subList(before, stack.requests().size()).forEach(r -> {
            if (r.path().endsWith("/report/start") || r.path().endsWith("/report/end")) {
                long at = Api.JSON.readTree(r.body()).path("at").asLong();
                changes.merge(at, r.path().endsWith("start") ? 1 : -1, Integer::sum);
            }
        });
        int running = 0;
        int most = 0;
        for (int change : changes.values()) {
            running += change;
            most = Math.max(most, running);
        }
        assertThat(changes.values().stream().mapToInt(Integer::intValue).sum()).isZero();
        assertThat(most)
                .as("service processes alive at once, as the services saw it")
                .isEqualTo(2);
        assertThat(leaseOwnersOf(jobs)).as("both nodes took part").containsExactlyInAnyOrder("node-a", "node-b");
    }

    @Test
    void should_stop_at_once_a_job_running_on_another_node_when_cancelled_through_this_one() {
        install(a);
        drain(a);
        String job = queue(
                a,
                "service",
                "{\"arguments\":{\"slug\":\"probe\",\"name\":\"sleepy\"," + "\"fields\":{\"ms\":60000}}}");
        await().atMost(AT_ONCE).until(() -> stateOf(a, job).equals("running"));

        Api.Response cancel = a.api().call(domain, token, "POST", "/jobs/" + job + "/cancel", null);
        assertThat(cancel.status()).isEqualTo(202);

        JsonNode ended = awaitFinal(a, job, AT_ONCE);
        assertThat(ended.path("state").asString()).isEqualTo("errored");
        assertThat(ended.path("error").asString()).startsWith("cancelled: asked by");
    }

    @Test
    void should_send_the_realtime_clients_of_one_node_the_events_of_the_other_in_order() throws Exception {
        drain(a);
        String admin = a.api().cliToken(domain, "io.cozy.jobs io.cozy.test.probe");
        try (RealtimeSocket client = RealtimeSocket.open(a.api().port(), domain)) {
            client.auth(admin).subscribe("io.cozy.jobs").subscribe("io.cozy.test.probe");
            // Node b learns that a's clients watch this instance, then relays: a probe posted on b comes back
            JsonNode probe = null;
            for (int i = 0; i < 100 && probe == null; i++) {
                b.api().call(domain, admin, "POST", "/realtime/io.cozy.test.probe/p", "{}");
                probe = client.next(Duration.ofMillis(100));
            }
            assertThat(probe)
                    .as("a notification posted on b reached a's client")
                    .isNotNull();
            while (client.next(Duration.ofMillis(300)) != null) {
                // later probes
            }

            // A message too large for a NOTIFY: each of the job's events goes through the overflow table,
            // written after the commit of the write that made the event
            String big = "x".repeat(5_000);
            String job = queue(b, "log", "{\"arguments\":{\"note\":\"" + big + "\"}}");
            List<String> seen = new ArrayList<>();
            while (!seen.contains("UPDATED done")) {
                JsonNode event = client.next(AT_ONCE);
                assertThat(event).as("events so far: %s", seen).isNotNull();
                assertThat(event.path("payload").path("id").asString()).isEqualTo(job);
                assertThat(event.path("payload")
                                .path("doc")
                                .path("message")
                                .path("note")
                                .asString())
                        .isEqualTo(big);
                seen.add(event.path("event").asString() + " "
                        + event.path("payload").path("doc").path("state").asString());
            }
            assertThat(seen).containsExactly("CREATED queued", "UPDATED running", "UPDATED done");
            assertThat(leaseOwnersOf(List.of(job))).containsOnly("node-b");

            String large = "{\"text\":\"" + "é".repeat(20_000) + "\"}";
            assertThat(b.api()
                            .call(domain, admin, "POST", "/realtime/io.cozy.jobs/" + job, large)
                            .status())
                    .isEqualTo(204);
            JsonNode notified = client.next(AT_ONCE);
            assertThat(notified.path("event").asString()).isEqualTo("NOTIFIED");
            assertThat(notified.path("payload").path("doc").path("text").asString())
                    .isEqualTo("é".repeat(20_000));
        }
    }

    @Test
    void should_list_every_node_and_drain_one_from_the_admin_api() {
        Api.Response drained = b.api().admin("POST", "/nodes/node-a/drain", null);
        assertThat(drained.status()).isEqualTo(200);
        assertThat(drained.json().path("data").path("attributes").path("state").asString())
                .isEqualTo("draining");

        Api.Response nodes = a.api().admin("GET", "/nodes", null);

        assertThat(nodes.status()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        nodes.json().path("data").forEach(n -> ids.add(n.path("id").asString()));
        assertThat(ids).containsExactly("node-a", "node-b");
        JsonNode nodeA = nodes.json().path("data").get(0).path("attributes");
        assertThat(nodeA.path("state").asString()).isEqualTo("draining");
        assertThat(nodeA.path("version").asString()).isNotBlank();
        assertThat(nodeA.path("self").asBoolean()).isTrue();
        assertThat(a.api().admin("POST", "/nodes/nobody/drain", null).status()).isEqualTo(404);
        assertThat(a.api().call(domain, token, "GET", "/nodes", null).status())
                .as("an admin route, not on the instance port")
                .isEqualTo(404);
    }

    private void drain(Node node) {
        assertThat(node.api()
                        .admin("POST", "/nodes/" + node.id() + "/drain", null)
                        .status())
                .isEqualTo(200);
        await().atMost(AT_ONCE)
                .until(() -> node.context().getBean(LocalNode.class).draining());
    }

    private void install(Node node) {
        Api.Response r = node.api()
                .call(
                        domain,
                        token,
                        "POST",
                        "/apps/probe?Source=" + Api.enc(PROBE.toUri().toString()),
                        null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    private String queue(Node node, String worker, String attributes) {
        Api.Response r = node.api()
                .call(domain, token, "POST", "/jobs/queue/" + worker, "{\"data\":{\"attributes\":" + attributes + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return r.json().path("data").path("id").asString();
    }

    /** Creates a trigger through {@code node}; returns its id. */
    private String createTrigger(Node node, String attributes) {
        Api.Response r = node.api()
                .call(domain, token, "POST", "/jobs/triggers", "{\"data\":{\"attributes\":" + attributes + "}}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().path("data").path("id").asString();
    }

    private String stateOf(Node node, String job) {
        return node.api()
                .call(domain, token, "GET", "/jobs/" + job, null)
                .json()
                .path("data")
                .path("attributes")
                .path("state")
                .asString();
    }

    private JsonNode awaitFinal(Node node, String job) {
        return awaitFinal(node, job, AT_ONCE);
    }

    private JsonNode awaitFinal(Node node, String job, Duration within) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(within).pollInterval(Duration.ofMillis(20)).until(() -> {
            last[0] = node.api()
                    .call(domain, token, "GET", "/jobs/" + job, null)
                    .json()
                    .path("data")
                    .path("attributes");
            return Jobs.isFinal(last[0]);
        });
        return last[0];
    }

    /** The nodes that ran the last attempts of these jobs (a finished job keeps it as its lease owner). */
    private List<String> leaseOwnersOf(List<String> jobs) {
        return jdbc().sql("SELECT DISTINCT lease_owner FROM job WHERE id IN (:ids)")
                .param("ids", jobs)
                .query(String.class)
                .list();
    }

    private int countJobsOfTrigger(String trigger) {
        return jdbc().sql("SELECT COUNT(*) FROM job WHERE trigger_id = ?")
                .param(trigger)
                .query(Integer.class)
                .single();
    }

    private static JdbcClient jdbc() {
        return a.context().getBean(JdbcClient.class);
    }
}
