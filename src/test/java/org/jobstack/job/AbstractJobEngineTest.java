package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jobstack.common.Problem;
import org.jobstack.job.run.JobDispatcher;
import org.jobstack.node.WorkerPauses;
import org.jobstack.support.Api;
import org.jobstack.support.FakeStack;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The jobs API and the engine behind it, with the reference's cases (§10 19–24, 42, 45), run
 * once per database ({@link H2JobEngineTest}, {@link PostgresJobEngineTest}).
 */
abstract class AbstractJobEngineTest extends IntegrationTest {

    static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    @Autowired
    JobQueue queue;

    @Autowired
    JobStore store;

    @Autowired
    JobLeases leases;

    @Autowired
    JobDispatcher dispatcher;

    @Autowired
    RateLimits limits;

    @Autowired
    JobOperations operations;

    @Autowired
    WorkerPauses pauses;

    @Autowired
    JdbcClient jdbc;

    FakeStack stack;
    String domain;
    String token;

    @BeforeEach
    void instance() throws Exception {
        stack = new FakeStack();
        domain = api.newInstance(stack.url());
        token = api.cliToken(domain, "io.cozy.jobs io.cozy.apps io.cozy.triggers");
    }

    @AfterEach
    void stopStack() {
        stack.close();
    }

    // §10 cases 19, 20, 21, 22
    @Test
    void should_queue_jobs_with_their_options_and_run_them() {
        assertThat(get("/jobs/queue/log").json().path("data").size()).isZero();

        Api.Response plain = push("log", "{\"arguments\":\"foobar\"}");
        Api.Response timeout =
                push("log", "{\"arguments\":\"foobar\",\"options\":{\"timeout\":42,\"max_exec_count\":1}}");
        Api.Response manual = push("log", "{\"arguments\":\"foobar\",\"manual\":true}");

        assertThat(plain.status()).isEqualTo(202);
        assertThat(attributes(plain).path("worker").asString()).isEqualTo("log");
        assertThat(attributes(plain).path("message").asString()).isEqualTo("foobar");
        assertThat(attributes(plain).has("manual_execution")).isFalse();
        assertThat(attributes(timeout).path("options").path("timeout").asInt()).isEqualTo(42);
        assertThat(attributes(timeout).path("options").path("max_exec_count").asInt())
                .isEqualTo(1);
        assertThat(attributes(manual).path("manual_execution").asBoolean()).isTrue();
        for (Api.Response r : List.of(plain, timeout, manual)) {
            assertThat(Jobs.awaitFinal(api, domain, token, id(r)).path("state").asString())
                    .isEqualTo("done");
        }
    }

    // §10 cases 23, 24, and bad input
    @Test
    void should_refuse_jobs_the_token_or_the_body_does_not_allow() {
        String logOnly = api.cliToken(domain, "io.cozy.jobs:ALL:log:worker");
        String none = api.cliToken(domain, "io.cozy.jobs:ALL:none:worker");

        assertThat(api.call(domain, logOnly, "POST", "/jobs/queue/service", body("{\"arguments\":{}}"))
                        .status())
                .isEqualTo(403);
        assertThat(api.call(domain, logOnly, "POST", "/jobs/queue/log", body("{\"arguments\":{}}"))
                        .status())
                .isEqualTo(202);
        assertThat(api.call(domain, none, "POST", "/jobs/queue/none", body("{\"arguments\":{}}"))
                        .status())
                .isEqualTo(404);
        assertThat(api.call(domain, token, "POST", "/jobs/queue/log", "{").status())
                .isEqualTo(400);
        assertThat(api.call(domain, token, "POST", "/jobs/queue/log", "{\"data\":[]}")
                        .status())
                .isEqualTo(400);
        assertThat(push("log", "{\"manual\":\"yes\"}").status()).isEqualTo(400);
        assertThat(push("log", "{\"options\":{\"max_exec_count\":-1}}").status())
                .isEqualTo(422);
        assertThat(push("log", "{\"options\":{\"timeout\":\"forever\"}}").status())
                .isEqualTo(422);
        assertThat(get("/jobs/" + "0".repeat(32)).status()).isEqualTo(404);
        assertThat(get("/jobs/not-an-id").status()).isEqualTo(404);
        assertThat(get("/jobs/queue/nope").status()).isEqualTo(404);
    }

    @Test
    void should_retry_a_failing_service_until_it_succeeds_within_its_attempts() {
        install();

        String once = id(push(
                "service", "{\"arguments\":{\"slug\":\"probe\",\"name\":\"flaky\",\"fields\":{\"succeedAt\":2}}}"));
        String never = id(push(
                "service", "{\"arguments\":{\"slug\":\"probe\",\"name\":\"flaky\",\"fields\":{\"succeedAt\":9}}}"));
        String single = id(push(
                "service",
                "{\"arguments\":{\"slug\":\"probe\",\"name\":\"flaky\",\"fields\":{\"succeedAt\":2}},"
                        + "\"options\":{\"max_exec_count\":1}}"));

        JsonNode retried = Jobs.awaitFinal(api, domain, token, once);
        JsonNode failed = Jobs.awaitFinal(api, domain, token, never);
        JsonNode notRetried = Jobs.awaitFinal(api, domain, token, single);
        assertThat(retried.path("state").asString()).isEqualTo("done");
        assertThat(retried.path("attempts").asInt()).isEqualTo(2);
        assertThat(failed.path("state").asString()).isEqualTo("errored");
        assertThat(failed.path("error").asString()).isEqualTo("exit status 1");
        assertThat(failed.path("attempts").asInt())
                .as("the service worker's default of 2")
                .isEqualTo(2);
        assertThat(notRetried.path("state").asString()).isEqualTo("errored");
        assertThat(notRetried.path("attempts").asInt())
                .as("options can lower the worker's count")
                .isEqualTo(1);
        assertThat(stack.requests().stream().filter(r -> r.path().equals("/count/" + never)))
                .hasSize(2);
    }

    @Test
    void should_not_retry_a_job_whose_service_is_gone_and_delete_its_trigger() {
        install();
        String trigger = createTrigger("{\"type\":\"@in\",\"arguments\":\"1h\","
                + "\"worker\":\"service\",\"message\":{\"slug\":\"probe\",\"name\":\"nope\"}}");

        String job = api.call(domain, token, "POST", "/jobs/triggers/" + trigger + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();
        JsonNode ended = Jobs.awaitFinal(api, domain, token, job);

        assertThat(ended.path("state").asString()).isEqualTo("errored");
        assertThat(ended.path("error").asString()).isEqualTo("Service \"nope\" was not found");
        assertThat(ended.path("attempts").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.call(domain, token, "GET", "/jobs/triggers/" + trigger, null)
                                .status()
                        == 404);
    }

    @Test
    void should_delete_an_event_trigger_whose_service_is_gone_and_fire_it_no_more() {
        install();
        String trigger = createTrigger("{\"type\":\"@event\",\"arguments\":\"io.cozy.gone:CREATED\","
                + "\"worker\":\"service\",\"message\":{\"slug\":\"probe\",\"name\":\"nope\"}}");
        String event = "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.gone\",\"doc\":{\"_id\":\"g1\"}}";

        JsonNode fired =
                api.admin("POST", "/instances/" + domain + "/events", event).json();
        JsonNode ended =
                Jobs.awaitFinal(api, domain, token, fired.path("jobs").path(0).asString());

        assertThat(ended.path("error").asString()).isEqualTo("Service \"nope\" was not found");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> api.call(domain, token, "GET", "/jobs/triggers/" + trigger, null)
                                .status()
                        == 404);
        assertThat(api.admin("POST", "/instances/" + domain + "/events", event)
                        .json()
                        .path("jobs"))
                .as("the deleted trigger's rules are not kept")
                .isEmpty();
    }

    @Test
    void should_run_manual_jobs_first_and_fifo_within_a_priority_without_starving_others() {
        dispatcher.stop();
        try {
            Job old = queue.push(JobRequest.of(domain, "log", "\"old\""));
            clock.advance(Duration.ofMinutes(10));
            Job first = queue.push(JobRequest.of(domain, "log", "\"first\""));
            clock.advance(Duration.ofSeconds(1));
            Job second = queue.push(JobRequest.of(domain, "log", "\"second\""));
            clock.advance(Duration.ofSeconds(1));
            Job manual = queue.push(JobRequest.to(domain, "log")
                    .message("\"manual\"")
                    .manual(true)
                    .build());
            clock.advance(Duration.ofSeconds(1));

            List<Job> order = leases.claim("log", 10, "order-test", clock.instant()).stream()
                    .filter(j -> j.domain().equals(domain))
                    .toList();

            assertThat(order)
                    .extracting(Job::message)
                    .containsExactly("\"old\"", "\"manual\"", "\"first\"", "\"second\"");
            order.forEach(j -> store.finish(j.id(), "order-test", JobState.DONE, null, clock.instant()));
            assertThat(List.of(old, first, second, manual)).extracting(Job::id).doesNotHaveDuplicates();
        } finally {
            dispatcher.start();
        }
    }

    // §10 case 45: refused past the limit, and no job is made
    @Test
    void should_refuse_jobs_past_the_rate_limit_of_the_instance() {
        for (int i = 0; i < 100; i++) {
            assertThat(push("client", "{\"arguments\":" + i + "}").status()).isEqualTo(202);
        }

        Api.Response refused = push("client", "{\"arguments\":100}");

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("errors").get(0).path("detail").asString())
                .contains("100 job-client per hour");
        assertThat(get("/jobs/queue/client").json().path("data").size()).isEqualTo(100);
        clock.advance(Duration.ofMinutes(61));
        assertThat(push("client", "{\"arguments\":101}").status())
                .as("a new hour")
                .isEqualTo(202);
    }

    @Test
    void should_count_rate_limits_exactly_under_concurrent_hits() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger allowed = new AtomicInteger();
        List<CompletableFuture<Void>> hits = new ArrayList<>();
        for (int i = 0; i < 160; i++) {
            hits.add(CompletableFuture.runAsync(
                    () -> {
                        try {
                            limits.hit(domain, "job-client");
                            allowed.incrementAndGet();
                        } catch (Problem refused) {
                            assertThat(refused.kind()).isEqualTo(Problem.Kind.RATE_LIMITED);
                        }
                    },
                    pool));
        }
        for (CompletableFuture<Void> hit : hits) {
            hit.get();
        }
        pool.shutdown();

        assertThat(allowed.get()).isEqualTo(100);
    }

    @Test
    void should_count_every_hit_racing_to_open_an_instances_window() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 15; round++) {
                String fresh = api.newInstance(null);
                CountDownLatch go = new CountDownLatch(1);
                List<CompletableFuture<Void>> hits = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    hits.add(CompletableFuture.runAsync(
                            () -> {
                                try {
                                    go.await();
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                limits.hit(fresh, "job-client");
                            },
                            pool));
                }
                go.countDown();
                for (CompletableFuture<Void> hit : hits) {
                    hit.get();
                }
                assertThat(jdbc.sql("SELECT hits FROM rate_limit WHERE domain = ? AND counter = 'job-client'")
                                .param(fresh)
                                .query(Integer.class)
                                .single())
                        .isEqualTo(8);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void should_limit_webhook_calls_per_instance() {
        String webhook = api.call(
                        domain, token, "POST", "/jobs/triggers", body("{\"type\":\"@webhook\",\"worker\":\"log\"}"))
                .json()
                .path("data")
                .path("id")
                .asString();

        for (int i = 0; i < 30; i++) {
            assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + webhook, "{}")
                            .status())
                    .isEqualTo(204);
        }

        assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + webhook, "{}")
                        .status())
                .isEqualTo(429);
    }

    @Test
    void should_purge_old_finished_jobs_but_keep_the_newest_fifty_per_worker_and_state() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            ids.add(id(push("log", "{\"arguments\":" + i + "}")));
        }
        String stillQueued = id(push("client", "{\"arguments\":\"x\"}"));
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        ids.stream().allMatch(id -> store.find(id).orElseThrow().state() == JobState.DONE));
        clock.advance(Duration.ofDays(3));

        Api.Response young = api.call(domain, token, "DELETE", "/jobs/purge?duration=1W", null);
        Api.Response purged = api.call(domain, token, "DELETE", "/jobs/purge?duration=2D&workers=log,client", null);

        assertThat(young.json().path("deleted").asInt()).isZero();
        assertThat(purged.status()).isEqualTo(200);
        assertThat(purged.json().path("deleted").asInt()).isEqualTo(5);
        assertThat(ids.subList(0, 5)).allMatch(id -> store.find(id).isEmpty());
        assertThat(ids.subList(5, 55)).allMatch(id -> store.find(id).isPresent());
        assertThat(store.find(stillQueued)).isPresent();
        assertThat(api.call(domain, token, "DELETE", "/jobs/purge?duration=soon", null)
                        .status())
                .isEqualTo(400);
        assertThat(api.call(domain, api.cliToken(domain, "io.cozy.jobs:GET"), "DELETE", "/jobs/purge", null)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void should_clean_client_jobs_nobody_completed_within_an_hour() {
        String client = id(push("client", "{\"arguments\":\"x\"}"));
        clock.advance(Duration.ofMinutes(61));
        String recent = id(push("client", "{\"arguments\":\"y\"}"));

        Api.Response cleaned = api.call(domain, token, "POST", "/jobs/clean", null);

        assertThat(cleaned.json().path("deleted").asInt()).isEqualTo(1);
        assertThat(store.find(client).orElseThrow().state()).isEqualTo(JobState.ERRORED);
        assertThat(store.find(client).orElseThrow().error()).contains("abandoned");
        assertThat(store.find(recent).orElseThrow().state()).isEqualTo(JobState.RUNNING);
    }

    @Test
    void should_stream_a_running_jobs_logs_live_until_it_ends() throws Exception {
        install();
        String id = id(push("service", "{\"arguments\":{\"slug\":\"probe\",\"name\":\"slow\"}}"));

        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(
                                        "http://127.0.0.1:" + api.port() + "/jobs/" + id + "/logs?follow=true"))
                                .header("Host", domain)
                                .header("Authorization", "Bearer " + token)
                                .header("Accept", "text/event-stream")
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
        List<String> events = stream.body()
                .filter(l -> l.startsWith("event:") || l.startsWith("data:"))
                .toList();

        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(String.join("\n", events))
                .contains("\"message\":\"line 1\"", "\"message\":\"line 2\"", "\"message\":\"line 3\"");
        assertThat(events.get(events.size() - 2)).isEqualTo("event:end");
        assertThat(events.get(events.size() - 1)).contains("\"state\":\"done\"");
        assertThat(events.indexOf("data:"
                        + events.stream()
                                .filter(e -> e.contains("line 1"))
                                .findFirst()
                                .orElseThrow()
                                .substring(5)))
                .isLessThan(events.indexOf(events.stream()
                        .filter(e -> e.contains("line 3"))
                        .findFirst()
                        .orElseThrow()));
    }

    @Test
    void should_write_the_log_workers_message_as_a_job_log_line() {
        String hello = id(push("log", "{\"arguments\":{\"message\":\"hello\"}}"));
        String other = id(push("log", "{\"arguments\":{\"message\":42,\"n\":1}}"));
        String plain = id(push("log", "{\"arguments\":\"foobar\"}"));
        String none = id(push("log", "{}"));
        for (String id : List.of(hello, other, plain, none)) {
            assertThat(Jobs.awaitFinal(api, domain, token, id).path("state").asString())
                    .isEqualTo("done");
        }

        assertThat(Jobs.logMessages(api, domain, token, hello)).containsExactly("info: hello");
        assertThat(Jobs.logMessages(api, domain, token, other)).containsExactly("info: {\"message\":42,\"n\":1}");
        assertThat(Jobs.logMessages(api, domain, token, plain)).containsExactly("info: \"foobar\"");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job_log WHERE job_id = ?")
                        .param(none)
                        .query(Long.class)
                        .single())
                .as("a job without a message stores no log row")
                .isZero();
    }

    @Test
    void should_publish_queue_and_outcome_metrics() {
        String id = id(push("log", "{\"arguments\":1}"));
        Jobs.awaitFinal(api, domain, token, id);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                api.admin("GET", "/actuator/prometheus", null).body())
                        .contains(
                                "jobstack_jobs_attempts_total{outcome=\"done\",worker=\"log\"}",
                                "jobstack_jobs_attempt_duration_seconds_count{worker=\"log\"}",
                                "jobstack_jobs_queued",
                                "jobstack_jobs_queue_wait_seconds"));
    }

    @Test
    void should_record_every_attempt_with_its_outcome_exit_code_and_timing() {
        install();
        String id = id(push(
                "service", "{\"arguments\":{\"slug\":\"probe\",\"name\":\"flaky\",\"fields\":{\"succeedAt\":9}}}"));

        assertThat(Jobs.awaitFinal(api, domain, token, id).path("state").asString())
                .isEqualTo("errored");

        List<Map<String, Object>> attempts = attemptsOf(id);
        assertThat(attempts).extracting(a -> a.get("OUTCOME")).containsExactly("retry", "errored");
        assertThat(attempts)
                .extracting(a -> ((Number) a.get("ATTEMPT")).intValue())
                .containsExactly(1, 2);
        assertThat(attempts)
                .extracting(a -> ((Number) a.get("EXIT_CODE")).intValue())
                .containsExactly(1, 1);
        assertThat(attempts).extracting(a -> a.get("ERROR")).containsOnly("exit status 1");
        assertThat(attempts).allSatisfy(a -> assertThat(a.get("STARTED_AT")).isNotNull());
    }

    @Test
    void should_retry_an_errored_job_with_a_full_set_of_attempts_keeping_its_history() {
        install();
        String id = id(push(
                "service", "{\"arguments\":{\"slug\":\"probe\",\"name\":\"flaky\",\"fields\":{\"succeedAt\":4}}}"));
        assertThat(Jobs.awaitFinal(api, domain, token, id).path("state").asString())
                .isEqualTo("errored");

        Job retried = operations.retry(id);

        assertThat(retried.state()).isEqualTo(JobState.QUEUED);
        assertThat(retried.manual()).isFalse();
        JsonNode ended = Jobs.awaitFinal(api, domain, token, id);
        assertThat(ended.path("state").asString())
                .as("attempts 3 and 4: a full set of 2 again")
                .isEqualTo("done");
        assertThat(ended.path("attempts").asInt()).isEqualTo(4);
        assertThat(attemptsOf(id))
                .as("the attempts that did not end it done")
                .extracting(a -> a.get("OUTCOME"))
                .containsExactly("retry", "errored", "retry");
        var last = jdbc
                .sql("SELECT attempt_started_at, finished_at, exit_code FROM job WHERE id = ?")
                .param(id)
                .query()
                .singleRow()
                .entrySet()
                .stream()
                .collect(Collectors.toMap(e -> e.getKey().toUpperCase(Locale.ROOT), e -> e.getValue()));
        assertThat(((Number) last.get("EXIT_CODE")).intValue()).isZero();
        assertThat(last.get("ATTEMPT_STARTED_AT")).isNotNull();
        assertThat(get("/jobs/" + id + "/logs").json().path("data").toString()).contains("attempt 1", "attempt 4");
        assertThatThrownBy(() -> operations.retry(id))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("is done");
    }

    @Test
    void should_retry_the_errored_jobs_of_a_selection_and_no_others() {
        install();
        List<String> errored = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            errored.add(id(push(
                    "service",
                    "{\"arguments\":{\"slug\":\"probe\",\"name\":\"flaky\",\"fields\":"
                            + "{\"succeedAt\":2}},\"options\":{\"max_exec_count\":1}}")));
        }
        String done = id(push("log", "{\"arguments\":1}"));
        errored.forEach(id -> assertThat(
                        Jobs.awaitFinal(api, domain, token, id).path("state").asString())
                .isEqualTo("errored"));
        Jobs.awaitFinal(api, domain, token, done);

        List<String> all = new ArrayList<>(errored);
        all.add(done);
        all.add("0".repeat(32));

        assertThat(operations.retryErrored(all)).as("only the errored ones").isEqualTo(3);

        errored.forEach(id -> assertThat(
                        Jobs.awaitFinal(api, domain, token, id).path("state").asString())
                .isEqualTo("done"));
        assertThat(operations.retryErrored(all)).isZero();
    }

    @Test
    void should_delete_a_finished_job_with_its_log_but_never_a_running_one() {
        install();
        String slow = id(
                push("service", "{\"arguments\":{\"slug\":\"probe\",\"name\":\"sleepy\",\"fields\":{\"ms\":3000}}}"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find(slow).orElseThrow().state() == JobState.RUNNING);

        assertThatThrownBy(() -> operations.delete(slow))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("cancel");
        assertThat(store.find(slow)).isPresent();
        Jobs.awaitFinal(api, domain, token, slow);
        operations.delete(slow);

        assertThat(store.find(slow)).isEmpty();
        assertThat(get("/jobs/" + slow).status()).isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM job_log WHERE job_id = ?")
                        .param(slow)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(attemptsOf(slow)).isEmpty();
    }

    @Test
    void should_leave_the_jobs_of_a_paused_worker_queued_until_it_is_resumed() {
        pauses.pause("log", "a test");
        String id;
        try {
            id = id(push("log", "{\"arguments\":\"waits\"}"));
            dispatcher.wake();
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> store.find(id).orElseThrow().state() == JobState.QUEUED);
            assertThat(jdbc.sql("SELECT paused_by FROM worker_pause WHERE worker = 'log'")
                            .query(String.class)
                            .single())
                    .isEqualTo("a test");
        } finally {
            pauses.resume("log");
        }
        assertThat(Jobs.awaitFinal(api, domain, token, id).path("state").asString())
                .isEqualTo("done");
        assertThatThrownBy(() -> pauses.pause("nope", "a test")).isInstanceOf(Problem.class);
    }

    private List<Map<String, Object>> attemptsOf(String jobId) {
        return jdbc
                .sql("SELECT * FROM job_attempt WHERE job_id = ? ORDER BY finished_at, attempt")
                .param(jobId)
                .query()
                .listOfRows()
                .stream()
                .map(row -> {
                    Map<String, Object> upper = new HashMap<>();
                    row.forEach((k, v) -> upper.put(k.toUpperCase(Locale.ROOT), v));
                    return upper;
                })
                .toList();
    }

    private void install() {
        assertThat(api.call(
                                domain,
                                token,
                                "POST",
                                "/apps/probe?Source=" + Api.enc(PROBE.toUri().toString()),
                                null)
                        .status())
                .isEqualTo(202);
    }

    private Api.Response push(String worker, String attributes) {
        return api.call(domain, token, "POST", "/jobs/queue/" + worker, body(attributes));
    }

    private Api.Response get(String path) {
        return api.call(domain, token, "GET", path, null);
    }

    /** Creates a trigger of the test's instance through the API; its id. */
    private String createTrigger(String attributes) {
        return api.call(domain, token, "POST", "/jobs/triggers", body(attributes))
                .json()
                .path("data")
                .path("id")
                .asString();
    }

    private static String body(String attributes) {
        return "{\"data\":{\"attributes\":" + attributes + "}}";
    }

    private static String id(Api.Response r) {
        assertThat(r.status()).as(r.body()).isIn(201, 202);
        return r.json().path("data").path("id").asString();
    }

    private static JsonNode attributes(Api.Response r) {
        return r.json().path("data").path("attributes");
    }
}
