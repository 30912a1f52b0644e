package org.jobstack.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.jobstack.common.PageSlice;
import org.jobstack.job.JobStore;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.jobstack.support.Jobs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The triggers API and scheduling, through HTTP, with the reference's cases (§10, numbered). Run
 * once per database: {@link H2TriggerBehaviourTest} and {@link PostgresTriggerBehaviourTest}.
 * Time is moved with the test clock; {@link TriggerScheduler#pollOnce} plays the stack's poll.
 */
abstract class AbstractTriggerBehaviourTest extends IntegrationTest {

    @Autowired
    TriggerScheduler scheduler;

    @Autowired
    JobStore jobStore;

    @Autowired
    TriggerRepository triggerRepository;

    @Autowired
    TriggerPauses pauses;

    @Autowired
    TriggerOverview overview;

    @Autowired
    TriggerStates states;

    TransactionTemplate transactions;

    @Autowired
    void transactions(PlatformTransactionManager manager) {
        transactions = new TransactionTemplate(manager);
    }

    @Autowired
    JdbcClient jdbc;

    String domain;
    String token;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.triggers io.cozy.jobs");
    }

    // §10 case 13
    @Test
    void should_create_show_and_delete_an_at_trigger() {
        String at = Instant.now().plusMillis(1100).toString();
        Api.Response created =
                create("{\"type\":\"@at\",\"arguments\":\"" + at + "\",\"worker\":\"log\",\"message\":\"foo\"}");
        Api.Response garbage = create("{\"type\":\"@at\",\"arguments\":\"garbage\",\"worker\":\"log\"}");
        String id = created.json().path("data").path("id").asString();

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("data").path("type").asString()).isEqualTo("io.cozy.triggers");
        assertThat(attributes(created).path("arguments").asString()).isEqualTo(at);
        assertThat(attributes(created).path("message").asString()).isEqualTo("foo");
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.json()
                        .path("errors")
                        .get(0)
                        .path("source")
                        .path("pointer")
                        .asString())
                .isEqualTo("/data/attributes/arguments");
        assertThat(get("/jobs/triggers/" + id).status()).isEqualTo(200);
        assertThat(call("DELETE", "/jobs/triggers/" + id, null).status()).isEqualTo(204);
        assertThat(get("/jobs/triggers/" + id).status()).isEqualTo(404);
    }

    // §10 cases 12 and 14
    @Test
    void should_refuse_bad_triggers_naming_the_attribute() {
        Api.Response in = create("{\"type\":\"@in\",\"arguments\":\"1s\",\"worker\":\"log\"}");

        assertThat(in.status()).isEqualTo(201);
        assertThat(attributes(in).path("type").asString()).isEqualTo("@in");
        assertThat(attributes(in).path("worker").asString()).isEqualTo("log");
        assertError(
                create("{\"type\":\"@in\",\"arguments\":\"garbage\",\"worker\":\"log\"}"),
                400,
                "/data/attributes/arguments");
        assertError(
                create("{\"type\":\"@unknown\",\"arguments\":\"\",\"worker\":\"log\"}"), 422, "/data/attributes/type");
        assertError(
                create("{\"type\":\"@event\",\"arguments\":\"io.cozy.x\",\"worker\":\"log\",\"debounce\":\"1d\"}"),
                422,
                "/data/attributes/debounce");
        assertError(
                create("{\"type\":\"@cron\",\"arguments\":\"0 0 0 30 2 *\",\"worker\":\"log\"}"),
                400,
                "/data/attributes/arguments");
        assertError(
                create(
                        "{\"type\":\"@event\",\"arguments\":\"io.cozy.x\",\"worker\":\"log\",\"options\":{\"timeout\":\"x\"}}"),
                422,
                "/data/attributes/options/timeout");
        assertThat(create("{\"type\":\"@event\",\"arguments\":\"io.cozy.x\",\"worker\":\"nope\"}")
                        .status())
                .isEqualTo(404);
        assertThat(call("POST", "/jobs/triggers", "not json").status()).isEqualTo(400);
        assertThat(call("POST", "/jobs/triggers", "{\"data\":{}}").status()).isEqualTo(400);
    }

    // §10 case 15
    @Test
    void should_patch_the_arguments_of_a_cron_trigger_and_any_message() {
        String id = id(create("{\"type\":\"@cron\",\"arguments\":\"0 0 0 * * 0\",\"worker\":\"log\"}"));
        String event = id(create("{\"type\":\"@event\",\"arguments\":\"io.cozy.x\",\"worker\":\"log\"}"));

        Api.Response arguments =
                call("PATCH", "/jobs/triggers/" + id, "{\"data\":{\"attributes\":{\"arguments\":\"0 0 0 * * 1\"}}}");
        Api.Response message = call(
                "PATCH",
                "/jobs/triggers/" + id,
                "{\"data\":{\"attributes\":{\"message\":{\"folder_to_save\":\"123\"}}}}");
        JsonNode after = attributes(get("/jobs/triggers/" + id));

        assertThat(arguments.status()).isEqualTo(200);
        assertThat(message.status()).isEqualTo(200);
        assertThat(after.path("arguments").asString()).isEqualTo("0 0 0 * * 1");
        assertThat(after.path("message").path("folder_to_save").asString()).isEqualTo("123");
        assertThat(Instant.parse(after.path("next_run_at").asString())
                        .atZone(ZoneOffset.UTC)
                        .getDayOfWeek())
                .isEqualTo(DayOfWeek.MONDAY);
        assertError(
                call("PATCH", "/jobs/triggers/" + event, "{\"data\":{\"attributes\":{\"arguments\":\"x\"}}}"),
                422,
                "/data/attributes/type");
        assertThat(call("PATCH", "/jobs/triggers/" + id, "{\"data\":{\"attributes\":{}}}")
                        .status())
                .isEqualTo(400);
        assertThat(call("PATCH", "/jobs/triggers/" + id, "{\"data\":{\"attributes\":{\"arguments\":\"* * *\"}}}")
                        .status())
                .isEqualTo(400);
    }

    // §10 case 16
    @Test
    void should_give_webhook_triggers_their_url_and_cozy_metadata() {
        Api.Response r = create("{\"type\":\"@webhook\",\"arguments\":\"ignored\",\"worker\":\"log\"}");
        String id = id(r);

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().path("data").path("links").path("webhook").asString())
                .as("built from the Host header of the request")
                .isEqualTo("http://" + domain + "/jobs/webhooks/" + id);
        JsonNode meta = attributes(r).path("cozyMetadata");
        assertThat(meta.path("doctypeVersion").asString()).isEqualTo("1");
        assertThat(meta.path("metadataVersion").asInt()).isEqualTo(1);
        assertThat(meta.path("createdByApp").asString()).isEqualTo("CLI");
        assertThat(meta.has("createdAt")).isTrue();
        assertThat(meta.has("updatedAt")).isTrue();
    }

    // §10 case 17
    @Test
    void should_list_triggers_filtered_by_worker_and_type() {
        assertThat(get("/jobs/triggers").json().path("data").size()).isZero();
        Api.Response created =
                create("{\"type\":\"@in\",\"arguments\":\"10s\",\"worker\":\"log\",\"worker_arguments\":\"foo\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(attributes(created).path("message").asString()).isEqualTo("foo");
        assertThat(get("/jobs/triggers").json().path("data").size()).isEqualTo(1);
        assertThat(get("/jobs/triggers?Worker=log").json().path("data").size()).isEqualTo(1);
        assertThat(get("/jobs/triggers?Worker=nojobforme").json().path("data").size())
                .isZero();
        assertThat(get("/jobs/triggers?Type=@in").json().path("data").size()).isEqualTo(1);
        assertThat(get("/jobs/triggers?Type=@cron,@at").json().path("data").size())
                .isZero();
        assertThat(get("/jobs/triggers")
                        .json()
                        .path("data")
                        .get(0)
                        .path("attributes")
                        .path("current_state")
                        .path("status")
                        .asString())
                .isEqualTo("done");
    }

    @Test
    void should_list_by_worker_with_a_worker_selector_scope_only() {
        create("{\"type\":\"@in\",\"arguments\":\"10s\",\"worker\":\"log\"}");
        String scoped = api.cliToken(domain, "io.cozy.triggers:GET:log:worker");

        assertThat(api.call(domain, scoped, "GET", "/jobs/triggers?Worker=log", null)
                        .status())
                .isEqualTo(200);
        assertThat(api.call(domain, scoped, "GET", "/jobs/triggers", null).status())
                .isEqualTo(403);
        assertThat(api.call(domain, scoped, "GET", "/jobs/triggers?Worker=service", null)
                        .status())
                .isEqualTo(403);
        assertThat(api.call(
                                domain,
                                api.cliToken(domain, "io.cozy.jobs"),
                                "POST",
                                "/jobs/triggers",
                                body("{\"type\":\"@in\",\"arguments\":\"1s\",\"worker\":\"log\"}"))
                        .status())
                .isEqualTo(403);
    }

    // §10 case 18
    @Test
    void should_launch_a_client_trigger_as_a_running_job_that_the_client_completes() {
        Api.Response created = create("{\"type\":\"@client\",\"message\":\"foobar\"}");
        String id = id(created);

        Api.Response launched = call("POST", "/jobs/triggers/" + id + "/launch", null);
        String jobId = launched.json().path("data").path("id").asString();
        Api.Response wrongState =
                call("PATCH", "/jobs/" + jobId, "{\"data\":{\"attributes\":{\"state\":\"running\"}}}");
        Api.Response patched = call(
                "PATCH",
                "/jobs/" + jobId,
                "{\"data\":{\"attributes\":{\"state\":\"errored\",\"error\":\"LOGIN_FAILED\"}}}");
        Api.Response again = call("PATCH", "/jobs/" + jobId, "{\"data\":{\"attributes\":{\"state\":\"done\"}}}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(attributes(created).path("worker").asString()).isEqualTo("client");
        assertThat(launched.status()).isEqualTo(201);
        assertThat(attributes(launched).path("state").asString()).isEqualTo("running");
        assertThat(attributes(launched).path("manual_execution").asBoolean()).isTrue();
        assertThat(attributes(launched).path("queued_at").asString()).isNotEqualTo("0001-01-01T00:00:00Z");
        assertThat(attributes(launched).path("started_at").asString()).isNotEqualTo("0001-01-01T00:00:00Z");
        assertError(wrongState, 422, "/data/attributes/State");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(attributes(patched).path("state").asString()).isEqualTo("errored");
        assertThat(attributes(patched).path("error").asString()).isEqualTo("LOGIN_FAILED");
        assertThat(attributes(patched).path("finished_at").asString()).isNotEqualTo("0001-01-01T00:00:00Z");
        assertThat(again.status()).isEqualTo(409);
        JsonNode state = get("/jobs/triggers/" + id + "/state").json().path("data");
        assertThat(state.path("type").asString()).isEqualTo("io.cozy.triggers.state");
        assertThat(state.path("attributes").path("status").asString()).isEqualTo("errored");
        assertThat(state.path("attributes").path("last_error").asString()).isEqualTo("LOGIN_FAILED");
        assertThat(state.path("attributes").path("last_manual_job_id").asString())
                .isEqualTo(jobId);
    }

    @Test
    void should_refuse_to_complete_jobs_of_other_workers() {
        String id = id(create("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\"}"));
        String jobId = call("POST", "/jobs/triggers/" + id + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();

        assertThat(call("PATCH", "/jobs/" + jobId, "{\"data\":{\"attributes\":{\"state\":\"done\"}}}")
                        .status())
                .isEqualTo(403);
        assertThat(call("PATCH", "/jobs/" + "0".repeat(32), "{\"data\":{\"attributes\":{\"state\":\"done\"}}}")
                        .status())
                .isEqualTo(404);
    }

    // §10 case 34
    @Test
    void should_fire_at_and_in_triggers_once_and_then_delete_them() {
        String at = id(create(
                "{\"type\":\"@at\",\"arguments\":\"" + clock.instant().plusSeconds(2) + "\",\"worker\":\"log\"}"));
        String in = id(create("{\"type\":\"@in\",\"arguments\":\"1s\",\"worker\":\"log\"}"));

        poll(Duration.ofSeconds(3));

        assertThat(jobStore.findByTrigger(at, 10)).hasSize(1);
        assertThat(jobStore.findByTrigger(in, 10)).hasSize(1);
        assertThat(get("/jobs/triggers/" + at).status()).isEqualTo(404);
        assertThat(get("/jobs/triggers/" + in).status()).isEqualTo(404);
        poll(Duration.ofHours(1));
        assertThat(jobStore.findByTrigger(at, 10)).hasSize(1);
    }

    // §10 case 35
    @Test
    void should_fire_a_cron_every_matching_second_polled() {
        // The clock ticks: start just after a second begins, so creation and 'now' share that second.
        clock.advance(Duration.ofNanos(1_050_000_000L - clock.instant().getNano()));
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        String id = id(create("{\"type\":\"@cron\",\"arguments\":\"*/3 * * * * *\",\"worker\":\"log\"}"));

        for (int k = 4; k <= 18; k++) {
            scheduler.pollOnce(now.plusSeconds(k));
        }

        assertThat(jobsOf(id)).hasSize(6);
    }

    @Test
    void should_make_a_missed_periodic_run_once_not_once_per_missed_period() {
        String id = id(create("{\"type\":\"@every\",\"arguments\":\"10s\",\"worker\":\"log\"}"));

        poll(Duration.ofSeconds(95));
        poll(Duration.ZERO);

        assertThat(jobsOf(id)).hasSize(1);
        Instant next = Instant.parse(
                attributes(get("/jobs/triggers/" + id)).path("next_run_at").asString());
        assertThat(next).isAfter(clock.instant()).isBefore(clock.instant().plusSeconds(11));
        poll(Duration.ofSeconds(10));
        assertThat(jobsOf(id)).hasSize(2);
    }

    @Test
    void should_pick_periodic_times_inside_their_window_and_keep_them() {
        String id = id(create("{\"type\":\"@daily\",\"arguments\":\"between 8am and 10am\",\"worker\":\"log\"}"));
        Instant next = Instant.parse(
                attributes(get("/jobs/triggers/" + id)).path("next_run_at").asString());

        assertThat(next.atZone(ZoneOffset.UTC).getHour()).isBetween(8, 9);
        assertThat(Duration.between(clock.instant(), next)).isLessThanOrEqualTo(Duration.ofDays(1));
        poll(Duration.between(clock.instant(), next).plusSeconds(1));
        Instant following = Instant.parse(
                attributes(get("/jobs/triggers/" + id)).path("next_run_at").asString());
        assertThat(Duration.between(next, following)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void should_fire_each_due_time_exactly_once_with_schedulers_polling_concurrently() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(id(create("{\"type\":\"@in\",\"arguments\":\"5s\",\"worker\":\"log\"}")));
        }
        clock.advance(Duration.ofSeconds(6));
        Instant now = clock.instant();

        List<CompletableFuture<Integer>> pollers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pollers.add(CompletableFuture.supplyAsync(() -> scheduler.pollOnce(now)));
        }
        for (CompletableFuture<Integer> p : pollers) {
            p.get();
        }
        scheduler.pollOnce(now);

        assertEachFiredExactly(ids, 1);
    }

    @Test
    void should_fire_each_periodic_run_exactly_once_with_schedulers_polling_concurrently() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(id(create("{\"type\":\"@every\",\"arguments\":\"10s\",\"worker\":\"log\"}")));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (int round = 1; round <= 5; round++) {
            clock.advance(Duration.ofSeconds(10));
            Instant now = clock.instant().plusSeconds(1);
            List<CompletableFuture<Integer>> pollers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                pollers.add(CompletableFuture.supplyAsync(() -> drain(now), pool));
            }
            for (CompletableFuture<Integer> p : pollers) {
                p.get();
            }
            drain(now);
            assertEachFiredExactly(ids, round);
        }
        pool.shutdown();
    }

    // §10 cases 26, 27, 28
    @Test
    void should_fire_event_triggers_whose_rules_match() {
        String doctype = "io.cozy.testeventobject";
        String all = id(create(eventTrigger(doctype)));
        String created = id(create(eventTrigger(doctype + ":CREATED")));
        String value = id(create(eventTrigger(doctype + ":CREATED:value:test")));
        String deleted = id(create(eventTrigger(doctype + ":DELETED")));
        String notValue = id(create(eventTrigger(doctype + ":CREATED:notvalue:test")));
        String changed = id(create(eventTrigger(doctype + ":UPDATED:!=:test")));

        post("{\"verb\":\"CREATED\",\"doctype\":\"" + doctype
                + "\",\"doc\":{\"_id\":\"test-id\",\"_rev\":\"1-xxabxx\",\"test\":\"value\"}}");
        post("{\"verb\":\"UPDATED\",\"doctype\":\"" + doctype + "\",\"doc\":{\"_id\":\"test-id\",\"test\":\"value\"},"
                + "\"old\":{\"_id\":\"test-id\",\"test\":\"value\"}}");
        post("{\"verb\":\"UPDATED\",\"doctype\":\"" + doctype + "\",\"doc\":{\"_id\":\"test-id\",\"test\":\"changed\"},"
                + "\"old\":{\"_id\":\"test-id\",\"test\":\"value\"}}");

        assertThat(jobsOf(all)).hasSize(3);
        assertThat(jobsOf(created)).hasSize(1);
        assertThat(jobsOf(value)).hasSize(1);
        assertThat(jobsOf(deleted)).isEmpty();
        assertThat(jobsOf(notValue)).isEmpty();
        assertThat(jobsOf(changed)).hasSize(1);
        JsonNode event = jobsOf(created).get(0).path("attributes").path("event");
        assertThat(event.path("domain").asString()).isEqualTo(domain);
        assertThat(event.path("verb").asString()).isEqualTo("CREATED");
        assertThat(event.path("doc").path("_id").asString()).isEqualTo("test-id");
    }

    @Test
    void should_fire_the_triggers_made_after_a_doctype_was_matched_and_not_the_deleted_ones() {
        String doctype = "io.cozy.rules.kept";
        String event = "{\"verb\":\"CREATED\",\"doctype\":\"" + doctype + "\",\"doc\":{\"_id\":\"d1\"}}";
        String unrelated = id(create(eventTrigger("io.cozy.rules.other")));

        assertThat(triggersFiredBy(event)).as("no trigger on the doctype yet").isEmpty();
        String first = id(create(eventTrigger(doctype)));
        assertThat(triggersFiredBy(event)).containsExactly(first);
        String second = id(create(eventTrigger(doctype + ":CREATED")));
        assertThat(triggersFiredBy(event)).containsExactly(first, second);
        assertThat(call("DELETE", "/jobs/triggers/" + first, null).status()).isEqualTo(204);
        assertThat(triggersFiredBy(event)).containsExactly(second);
        assertThat(call("DELETE", "/jobs/triggers/" + unrelated, null).status()).isEqualTo(204);
        assertThat(triggersFiredBy(event)).containsExactly(second);
    }

    private List<String> triggersFiredBy(String event) {
        Api.Response posted = api.admin("POST", "/instances/" + domain + "/events", event);
        assertThat(posted.status()).isEqualTo(202);
        List<String> triggers = new ArrayList<>();
        posted.json()
                .path("jobs")
                .forEach(job -> triggers.add(get("/jobs/" + job.asString())
                        .json()
                        .path("data")
                        .path("attributes")
                        .path("trigger_id")
                        .asString()));
        return triggers;
    }

    @Test
    void should_fire_triggers_naming_documents_only_for_those_documents() {
        String doctype = "io.cozy.named";
        String a = id(create(eventTrigger(doctype + ":CREATED:doc-a")));
        String ab = id(create(eventTrigger(doctype + ":CREATED:doc-b,doc-a")));
        String b = id(create(eventTrigger(doctype + ":ALL:doc-b io.cozy.other:CREATED")));
        String whole = id(create(eventTrigger(doctype + ":CREATED")));

        post("[{\"verb\":\"CREATED\",\"doctype\":\"" + doctype + "\",\"doc\":{\"_id\":\"doc-a\"}},"
                + "{\"verb\":\"CREATED\",\"doctype\":\"" + doctype + "\",\"doc\":{\"_id\":\"doc-b\"}},"
                + "{\"verb\":\"CREATED\",\"doctype\":\"" + doctype + "\",\"doc\":{\"_id\":\"doc-c\"}},"
                + "{\"verb\":\"UPDATED\",\"doctype\":\"" + doctype + "\",\"doc\":{\"_id\":\"doc-b\"}},"
                + "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.other\",\"doc\":{\"_id\":\"doc-z\"}}]");

        assertThat(jobsOf(a)).hasSize(1);
        assertThat(jobsOf(ab)).hasSize(2);
        assertThat(jobsOf(b)).hasSize(3);
        assertThat(jobsOf(whole)).hasSize(3);
    }

    // §10 case 29
    @Test
    void should_fire_only_for_the_exact_doctype_and_verb() {
        String id = id(create(eventTrigger("io.cozy.event.test:CREATED")));

        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.event.test\",\"doc\":{\"_id\":\"a\"}}");
        post("{\"verb\":\"UPDATED\",\"doctype\":\"io.cozy.event.test\",\"doc\":{\"_id\":\"a\"}}");
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.event.test.bad\",\"doc\":{\"_id\":\"b\"}}");

        assertThat(jobsOf(id)).hasSize(1);
    }

    // §10 case 30
    @Test
    void should_fire_for_what_happens_below_a_watched_directory() {
        post(
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.files\",\"doc\":{\"_id\":\"foo-id\",\"type\":\"directory\",\"path\":\"/foo\"}}");
        String id = id(create(eventTrigger("io.cozy.files:CREATED:foo-id")));
        assertThat(jobsOf(id)).isEmpty();

        post(
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.files\",\"doc\":{\"_id\":\"bar-id\",\"type\":\"directory\",\"path\":\"/foo/bar\"}}");
        assertThat(jobsOf(id)).hasSize(1);
        post(
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.files\",\"doc\":{\"_id\":\"baz-id\",\"type\":\"file\",\"name\":\"baz\",\"dir_id\":\"bar-id\"}}");
        assertThat(jobsOf(id)).hasSize(2);
        post(
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.files\",\"doc\":{\"_id\":\"baz-id\",\"type\":\"file\",\"path\":\"/quux\"},"
                        + "\"old\":{\"_id\":\"baz-id\",\"type\":\"file\",\"path\":\"/foo/bar/baz\"}}");
        assertThat(jobsOf(id)).hasSize(3);
        post(
                "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.files\",\"doc\":{\"_id\":\"x\",\"type\":\"file\",\"path\":\"/foobar/x\"}}");
        assertThat(jobsOf(id)).hasSize(3);
    }

    // §10 case 32, §6
    @Test
    void should_debounce_events_into_one_job_per_window_without_event() {
        // each event and poll costs real time too, more on a busy machine: only the steps count
        clock.freeze();
        String id = id(create("{\"type\":\"@event\",\"arguments\":\"io.cozy.testdebounce io.cozy.moredebounce\","
                + "\"worker\":\"log\",\"debounce\":\"2s\"}"));

        for (int i = 0; i < 24; i++) {
            post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.testdebounce\",\"doc\":{\"_id\":\"d" + i + "\"}}");
            poll(Duration.ofMillis(200));
        }
        poll(Duration.ofSeconds(3));
        assertThat(jobsOf(id)).hasSize(3);

        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.testdebounce\",\"doc\":{\"_id\":\"e1\"}}");
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.moredebounce\",\"doc\":{\"_id\":\"e2\"}}");
        poll(Duration.ofSeconds(3));
        List<JsonNode> jobs = jobsOf(id);
        assertThat(jobs).hasSize(4);
        for (JsonNode job : jobs) {
            assertThat(job.path("attributes").path("event").isNull()).isTrue();
            assertThat(job.path("attributes").path("debounced").asBoolean()).isTrue();
        }
    }

    /**
     * The database keeps microseconds and rounds a time with more, up from 500 ns. Frozen 700 ns
     * into a microsecond, a window opened now closes, as stored, 300 ns after now + debounce. On
     * PostgreSQL it is due to a poll at now + debounce (whose time the driver rounds up too): that
     * poll closes it, as it lists it, rather than skipping it at every pass until the clock moves
     * (why should_debounce_events_into_one_job_per_window_without_event failed on PostgreSQL whenever
     * the clock stopped in the upper half of a microsecond). H2 compares the poll's time unrounded:
     * there the window closes 300 ns later.
     */
    @Test
    void should_close_a_window_whose_closing_time_the_database_rounded_up() {
        freezeNanosIntoAMicrosecond(700);
        String id = id(create(
                "{\"type\":\"@event\",\"arguments\":\"io.cozy.rounded\",\"worker\":\"log\",\"debounce\":\"2s\"}"));
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.rounded\",\"doc\":{\"_id\":\"r1\"}}");

        poll(Duration.ofSeconds(2));
        poll(Duration.ofNanos(300));

        assertThat(jobsOf(id)).hasSize(1);
        assertThat(windowOccurrences(id)).isEmpty();
    }

    /** The same rounding for a periodic trigger's next run: made once, then scheduled a period later. */
    @Test
    void should_make_one_run_of_a_periodic_trigger_whose_time_the_database_rounded_up() {
        freezeNanosIntoAMicrosecond(700);
        String id = id(create("{\"type\":\"@every\",\"arguments\":\"10s\",\"worker\":\"log\"}"));

        poll(Duration.ofSeconds(10));
        poll(Duration.ofNanos(300));

        assertThat(jobsOf(id)).hasSize(1);
        assertThat(Instant.parse(attributes(get("/jobs/triggers/" + id))
                        .path("next_run_at")
                        .asString()))
                .isEqualTo(clock.instant().plusSeconds(10));
    }

    /** Stops the clock {@code nanos} nanoseconds into a microsecond. */
    private void freezeNanosIntoAMicrosecond(int nanos) {
        clock.freeze();
        clock.advance(Duration.ofNanos(Math.floorMod(nanos - clock.instant().getNano() % 1000, 1000)));
    }

    // §10 case 33: debounce 4s, 10 events every 600 ms, then one event on each of two doctypes
    @Test
    void should_debounce_a_slower_stream_into_one_job_per_window() {
        // each event and poll costs real time too, more on a busy machine: only the steps count
        clock.freeze();
        String id = id(create("{\"type\":\"@event\",\"arguments\":\"io.cozy.slow io.cozy.slower\","
                + "\"worker\":\"log\",\"debounce\":\"4s\"}"));

        for (int i = 0; i < 10; i++) {
            post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.slow\",\"doc\":{\"_id\":\"s" + i + "\"}}");
            poll(Duration.ofMillis(600));
        }
        poll(Duration.ofSeconds(5));
        assertThat(jobsOf(id)).hasSize(2);

        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.slow\",\"doc\":{\"_id\":\"t1\"}}");
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.slower\",\"doc\":{\"_id\":\"t2\"}}");
        poll(Duration.ofSeconds(5));
        assertThat(jobsOf(id)).hasSize(3);
    }

    // §10 case 36: a claim whose transaction never commits (a node dying mid-poll) leaves the trigger due
    @Test
    void should_fire_a_trigger_whose_claim_was_rolled_back() {
        String id = id(create("{\"type\":\"@in\",\"arguments\":\"1s\",\"worker\":\"log\"}"));
        // a poll 2 s ahead of the clock: the scheduler's own loop, on the clock, cannot claim it first
        Instant now = clock.instant().plusSeconds(2);

        transactions.execute(status -> {
            assertThat(triggerRepository.claimDue(now, 100)).contains(id);
            status.setRollbackOnly();
            return null;
        });
        scheduler.pollOnce(now);

        assertEachFiredExactly(List.of(id), 1);
    }

    @Test
    void should_accept_plain_application_json_bodies() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/jobs/triggers"))
                                .header("Host", domain)
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .header("Accept", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        body("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\"}")))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        assertThat(Api.JSON.readTree(r.body()).path("data").path("type").asString())
                .isEqualTo("io.cozy.triggers");
    }

    @Test
    void should_run_a_webhook_job_with_the_body_as_payload() {
        String id = id(create("{\"type\":\"@webhook\",\"worker\":\"log\"}"));

        Api.Response fired =
                api.call(domain, null, "POST", "/jobs/webhooks/" + id, "{\"param_from_http_body\":\"bar\"}");
        Api.Response manual = api.call(domain, null, "POST", "/jobs/webhooks/" + id + "?Manual=true", "plain text");

        assertThat(fired.status()).isEqualTo(204);
        assertThat(manual.status()).isEqualTo(204);
        List<JsonNode> jobs = jobsOf(id);
        assertThat(jobs).hasSize(2);
        assertThat(jobs)
                .anySatisfy(j -> assertThat(j.path("attributes")
                                .path("payload")
                                .path("param_from_http_body")
                                .asString())
                        .isEqualTo("bar"));
        assertThat(jobs).anySatisfy(j -> {
            assertThat(j.path("attributes").path("payload").asString()).isEqualTo("plain text");
            assertThat(j.path("attributes").path("manual_execution").asBoolean())
                    .isTrue();
        });
    }

    @Test
    void should_refuse_webhook_calls_that_cannot_fire() {
        String webhook = id(create("{\"type\":\"@webhook\",\"worker\":\"log\"}"));
        String other = id(create("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\"}"));

        assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + "f".repeat(32), "{}")
                        .status())
                .isEqualTo(404);
        assertError(api.call(domain, null, "POST", "/jobs/webhooks/" + other, "{}"), 422, "/data/attributes/type");
        assertThat(api.call(api.newInstance(null), null, "POST", "/jobs/webhooks/" + webhook, "{}")
                        .status())
                .as("another instance's webhook")
                .isEqualTo(404);
        assertThat(api.call(
                                domain,
                                null,
                                "POST",
                                "/jobs/webhooks/" + webhook,
                                "\"" + "x".repeat(1024 * 1024) /* jobstack.limits.webhook-body */ + "\"")
                        .status())
                .isEqualTo(413);
        assertThat(jobsOf(webhook)).isEmpty();
    }

    // §6: webhook payloads accumulated in order
    @Test
    void should_debounce_webhook_calls_into_one_job_with_every_payload_in_order() {
        String id = id(create("{\"type\":\"@webhook\",\"worker\":\"log\",\"debounce\":\"10s\"}"));

        api.call(domain, null, "POST", "/jobs/webhooks/" + id + "?Manual=true", "{\"a\":1}");
        api.call(domain, null, "POST", "/jobs/webhooks/" + id, "not json");
        api.call(domain, null, "POST", "/jobs/webhooks/" + id, "[1,2]");
        poll(Duration.ofSeconds(5));
        assertThat(jobsOf(id)).isEmpty();
        poll(Duration.ofSeconds(6));

        List<JsonNode> jobs = jobsOf(id);
        assertThat(jobs).hasSize(1);
        JsonNode job = jobs.get(0).path("attributes");
        assertThat(job.path("payload")).isEqualTo(Api.JSON.readTree("{\"payloads\":[{\"a\":1},\"not json\",[1,2]]}"));
        assertThat(job.path("debounced").asBoolean()).isTrue();
        assertThat(job.path("manual_execution").asBoolean()).isTrue();
    }

    @Test
    void should_keep_current_state_and_trigger_jobs_up_to_date() {
        String id = id(create("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\",\"message\":\"hi\"}"));
        String first = call("POST", "/jobs/triggers/" + id + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();
        Jobs.awaitFinal(api, domain, token, first);
        String second = call("POST", "/jobs/triggers/" + id + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();
        Jobs.awaitFinal(api, domain, token, second);

        JsonNode state = attributes(get("/jobs/triggers/" + id)).path("current_state");
        assertThat(state.path("status").asString()).isEqualTo("done");
        assertThat(state.path("last_successful_job_id").asString()).isEqualTo(second);
        assertThat(state.path("last_executed_job_id").asString()).isEqualTo(second);
        assertThat(state.path("last_manual_job_id").asString()).isEqualTo(second);
        assertThat(state.has("last_failure")).isFalse();
        Api.Response one = get("/jobs/triggers/" + id + "/jobs?Limit=1");
        assertThat(one.json().path("data").size()).isEqualTo(1);
        assertThat(one.json().path("data").get(0).path("id").asString()).isEqualTo(second);
        assertThat(get("/jobs/triggers/" + id + "/jobs?Limit=0")
                        .json()
                        .path("data")
                        .size())
                .isEqualTo(2);
        assertError(get("/jobs/triggers/" + id + "/jobs?Limit=abc"), 400, null);
    }

    @Test
    void should_let_triggers_watch_jobstacks_own_documents() {
        String onTriggers = id(create(eventTrigger("io.cozy.triggers:CREATED:log:worker")));
        String onErrors = id(create(eventTrigger("io.cozy.jobs:UPDATED:errored:state")));
        String client = id(create("{\"type\":\"@client\"}"));

        create("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\"}");
        String jobId = call("POST", "/jobs/triggers/" + client + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();
        call("PATCH", "/jobs/" + jobId, "{\"data\":{\"attributes\":{\"state\":\"errored\",\"error\":\"x\"}}}");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(jobsOf(onTriggers)).hasSize(2);
            assertThat(jobsOf(onErrors)).hasSize(1);
        });
        JsonNode event = jobsOf(onErrors).get(0).path("attributes").path("event");
        assertThat(event.path("doc").path("_id").asString()).isEqualTo(jobId);
        assertThat(event.path("old").path("state").asString()).isEqualTo("running");
    }

    /** The background scheduler polls too and may still hold some rows: wait for all, then count. */
    @Test
    void should_make_no_job_from_a_paused_trigger_and_skip_its_missed_runs_on_resume() {
        String every = id(create("{\"type\":\"@every\",\"arguments\":\"10s\",\"worker\":\"log\"}"));
        String event = id(create(eventTrigger("io.cozy.paused")));
        String webhook = id(create("{\"type\":\"@webhook\",\"worker\":\"log\"}"));
        List.of(every, event, webhook).forEach(id -> pauses.pause(domain, id));

        poll(Duration.ofSeconds(25));
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.paused\",\"doc\":{\"_id\":\"p1\"}}");
        Api.Response refused = api.call(domain, null, "POST", "/jobs/webhooks/" + webhook, "{}");

        assertError(refused, 409, null);
        assertThat(List.of(every, event, webhook))
                .allSatisfy(id -> assertThat(jobsOf(id)).isEmpty());
        assertThat(attributes(get("/jobs/triggers/" + every)).path("paused").asBoolean())
                .isTrue();
        String launched = call("POST", "/jobs/triggers/" + every + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();
        assertThat(launched).as("a launch is an operator's explicit wish").isNotBlank();

        List.of(every, event, webhook).forEach(id -> pauses.resume(domain, id));
        poll(Duration.ZERO);
        assertThat(jobsOf(every)).as("the runs missed while paused are skipped").hasSize(1);
        Instant next = Instant.parse(
                attributes(get("/jobs/triggers/" + every)).path("next_run_at").asString());
        assertThat(next).isAfter(clock.instant());
        poll(Duration.ofSeconds(10));
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.paused\",\"doc\":{\"_id\":\"p2\"}}");
        assertThat(api.call(domain, null, "POST", "/jobs/webhooks/" + webhook, "{}")
                        .status())
                .isEqualTo(204);
        await().atMost(Duration.ofSeconds(5)).until(() -> jobsOf(every).size() >= 2);
        assertThat(jobsOf(every)).hasSize(2);
        assertThat(jobsOf(event)).hasSize(1);
        assertThat(jobsOf(webhook)).hasSize(1);
        assertThat(attributes(get("/jobs/triggers/" + every)).has("paused")).isFalse();
    }

    @Test
    void should_run_a_one_shot_trigger_whose_time_passed_while_paused_once_resumed() {
        String in = id(create("{\"type\":\"@in\",\"arguments\":\"1s\",\"worker\":\"log\"}"));
        pauses.pause(domain, in);

        poll(Duration.ofSeconds(5));
        assertThat(jobsOf(in)).isEmpty();
        assertThat(get("/jobs/triggers/" + in).status()).isEqualTo(200);

        pauses.resume(domain, in);
        poll(Duration.ZERO);
        // The resume also wakes the server's own scheduler, which may be the one that fires it.
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !jobStore.findByTrigger(in, 10).isEmpty());
        assertThat(jobStore.findByTrigger(in, 10)).hasSize(1);
        assertThat(get("/jobs/triggers/" + in).status()).isEqualTo(404);
    }

    @Test
    void should_keep_a_debounce_window_open_while_its_trigger_is_paused() {
        String id = id(
                create("{\"type\":\"@event\",\"arguments\":\"io.cozy.held\",\"worker\":\"log\",\"debounce\":\"2s\"}"));
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.held\",\"doc\":{\"_id\":\"h1\"}}");
        pauses.pause(domain, id);
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.held\",\"doc\":{\"_id\":\"h2\"}}");

        poll(Duration.ofSeconds(5));
        assertThat(jobsOf(id)).isEmpty();
        assertThat(windowOccurrences(id))
                .as("the occurrence while paused is dropped")
                .containsExactly(1);

        pauses.resume(domain, id);
        poll(Duration.ZERO);
        await().atMost(Duration.ofSeconds(5)).until(() -> !jobsOf(id).isEmpty());
        assertThat(jobsOf(id)).hasSize(1);
        assertThat(windowOccurrences(id)).isEmpty();
    }

    @Test
    void should_not_let_a_refresh_read_before_a_concurrent_outcome_overwrite_it() throws Exception {
        String id = id(create("{\"type\":\"@client\",\"message\":\"m\"}"));
        String job = call("POST", "/jobs/triggers/" + id + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();
        jdbc.sql("UPDATE job SET state = 'running' WHERE id = ?").param(job).update();
        states.refresh(id);
        CountDownLatch refreshedInside = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<?> outcome = threads.submit(() -> transactions.executeWithoutResult(status -> {
                jdbc.sql("UPDATE job SET state = 'done' WHERE id = ?")
                        .param(job)
                        .update();
                states.refresh(id);
                refreshedInside.countDown();
                waitFor(commit);
            }));
            assertThat(refreshedInside.await(10, TimeUnit.SECONDS)).isTrue();
            Future<?> claimRefresh = threads.submit(() -> states.refresh(id));
            Thread.sleep(200);
            commit.countDown();
            outcome.get(10, TimeUnit.SECONDS);
            claimRefresh.get(10, TimeUnit.SECONDS);
        } finally {
            commit.countDown();
            threads.shutdownNow();
        }

        assertThat(states.of(id).status()).isEqualTo("done");
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void should_show_an_instance_triggers_with_their_last_outcome_and_open_window() {
        String windowed = id(create(
                "{\"type\":\"@event\",\"arguments\":\"io.cozy.shown\",\"worker\":\"log\"," + "\"debounce\":\"1h\"}"));
        String launched = id(create("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\",\"message\":\"hi\"}"));
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.shown\",\"doc\":{\"_id\":\"s1\"}}");
        post("{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.shown\",\"doc\":{\"_id\":\"s2\"}}");
        String job = call("POST", "/jobs/triggers/" + launched + "/launch", null)
                .json()
                .path("data")
                .path("id")
                .asString();
        Jobs.awaitFinal(api, domain, token, job);

        List<TriggerOverview.TriggerRow> rows = overview.page(domain, null, 10).rows();

        assertThat(rows).extracting(TriggerOverview.TriggerRow::id).containsExactly(windowed, launched);
        TriggerOverview.TriggerRow withWindow = rows.get(0);
        assertThat(withWindow.type()).isEqualTo("@event");
        assertThat(withWindow.window().occurrences()).isEqualTo(2);
        assertThat(withWindow.window().closesAt())
                .isEqualTo(withWindow.window().openedAt().plus(Duration.ofHours(1)));
        assertThat(withWindow.lastStatus()).isNull();
        TriggerOverview.TriggerRow done = rows.get(1);
        assertThat(done.window()).isNull();
        assertThat(done.lastStatus()).isEqualTo("done");
        assertThat(done.nextRuns()).as("an @in trigger runs once").hasSize(1);
        assertThat(done.nextRuns().get(0)).isAfter(clock.instant());
        assertThat(overview.page("nobody.test", null, 10).rows()).isEmpty();

        PageSlice<TriggerOverview.TriggerRow> first = overview.page(domain, null, 1);
        assertThat(first.rows()).extracting(TriggerOverview.TriggerRow::id).containsExactly(windowed);
        PageSlice<TriggerOverview.TriggerRow> second = overview.page(domain, first.next(), 1);
        assertThat(second.rows()).extracting(TriggerOverview.TriggerRow::id).containsExactly(launched);
        assertThat(second.next()).isNull();
    }

    private List<Integer> windowOccurrences(String triggerId) {
        return transactions.execute(s -> jdbc.sql("SELECT occurrences FROM debounce_window WHERE trigger_id = ?")
                .param(triggerId)
                .query(Integer.class)
                .list());
    }

    private void assertEachFiredExactly(List<String> ids, int times) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ids.stream()
                        .allMatch(id -> jobStore.findByTrigger(id, 100).size() >= times));
        for (String id : ids) {
            assertThat(jobStore.findByTrigger(id, 100)).as("jobs of %s", id).hasSize(times);
        }
    }

    private int drain(Instant now) {
        int total = 0;
        for (int n = scheduler.pollOnce(now); n > 0; n = scheduler.pollOnce(now)) {
            total += n;
        }
        return total;
    }

    String eventTrigger(String rules) {
        return "{\"type\":\"@event\",\"arguments\":\"" + rules + "\",\"worker\":\"log\"}";
    }

    /**
     * Moves the clock and polls. The scheduler's own loop reads the same clock and may have
     * claimed some of what is due first (its claim makes this poll skip those rows), so this
     * returns once nothing due at that time is left.
     */
    private void poll(Duration advance) {
        clock.advance(advance);
        Instant now = clock.instant();
        scheduler.pollOnce(now);
        try {
            await().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> dueAt(now) == 0);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Still due at " + now + ": " + stillDue(now), e);
        }
    }

    /** What {@link #dueAt} counts, row by row. */
    private List<String> stillDue(Instant now) {
        List<String> rows = new ArrayList<>(jdbc.sql("""
                        SELECT id, type, arguments, next_run_at, domain FROM job_trigger
                        WHERE paused = FALSE AND next_run_at <= ?""")
                .param(org.jobstack.common.Sql.ts(now))
                .query((rs, n) -> "trigger " + rs.getString("id") + " " + rs.getString("type") + " "
                        + rs.getString("arguments") + " next_run_at "
                        + org.jobstack.common.Sql.instant(rs, "next_run_at")
                        + " of " + rs.getString("domain"))
                .list());
        rows.addAll(jdbc.sql("""
                        SELECT w.trigger_id, t.type, t.arguments, w.closes_at, w.domain
                        FROM debounce_window w JOIN job_trigger t ON t.id = w.trigger_id
                        WHERE t.paused = FALSE AND w.closes_at <= ?""")
                .param(org.jobstack.common.Sql.ts(now))
                .query((rs, n) -> "window of " + rs.getString("trigger_id") + " " + rs.getString("type") + " "
                        + rs.getString("arguments") + " closes_at " + org.jobstack.common.Sql.instant(rs, "closes_at")
                        + " of " + rs.getString("domain"))
                .list());
        return rows;
    }

    private long dueAt(Instant now) {
        long triggers = jdbc.sql("SELECT COUNT(*) FROM job_trigger WHERE paused = FALSE AND next_run_at <= ?")
                .param(org.jobstack.common.Sql.ts(now))
                .query(Long.class)
                .single();
        long windows = jdbc.sql("""
                        SELECT COUNT(*) FROM debounce_window w JOIN job_trigger t ON t.id = w.trigger_id
                        WHERE t.paused = FALSE AND w.closes_at <= ?""")
                .param(org.jobstack.common.Sql.ts(now))
                .query(Long.class)
                .single();
        return triggers + windows;
    }

    void post(String event) {
        assertThat(api.admin("POST", "/instances/" + domain + "/events", event).status())
                .isEqualTo(202);
    }

    List<JsonNode> jobsOf(String triggerId) {
        List<JsonNode> jobs = new ArrayList<>();
        get("/jobs/triggers/" + triggerId + "/jobs").json().path("data").forEach(jobs::add);
        return jobs;
    }

    Api.Response create(String attributes) {
        return call("POST", "/jobs/triggers", body(attributes));
    }

    private static String body(String attributes) {
        return "{\"data\":{\"type\":\"io.cozy.triggers\",\"attributes\":" + attributes + "}}";
    }

    private Api.Response get(String path) {
        return api.call(domain, token, "GET", path, null);
    }

    private Api.Response call(String method, String path, String body) {
        return api.call(domain, token, method, path, body);
    }

    static String id(Api.Response r) {
        assertThat(r.status()).as(r.body()).isIn(200, 201);
        return r.json().path("data").path("id").asString();
    }

    private static JsonNode attributes(Api.Response r) {
        return r.json().path("data").path("attributes");
    }

    private static void assertError(Api.Response r, int status, String pointer) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        JsonNode error = r.json().path("errors").get(0);
        assertThat(error.path("detail").asString()).isNotBlank();
        if (pointer != null) {
            assertThat(error.path("source").path("pointer").asString()).isEqualTo(pointer);
        }
    }
}
