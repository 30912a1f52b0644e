package org.jobstack.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jobstack.node.WorkerPauses;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Listings page with {@code links.next} and an opaque {@code page[cursor]} (as cozy-stack's
 * {@code page[cursor]}): following the links gives every row once, in the listing's order, ties
 * on the sort time included. Run once per database: {@link H2PaginationTest} and {@link
 * PostgresPaginationTest}.
 */
abstract class AbstractPaginationTest extends IntegrationTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    WorkerPauses pauses;

    @Autowired
    JdbcTemplate jdbcTemplate;

    @Autowired
    TriggerService triggerService;

    String domain;
    String token;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
        token = api.cliToken(domain, "io.cozy.triggers io.cozy.jobs");
    }

    @AfterEach
    void resume() {
        pauses.resume("log");
    }

    @Test
    void should_page_a_triggers_jobs_newest_first_with_ties_on_queued_at() {
        String trigger = create("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\"}");
        List<String> launched = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            launched.add(call("POST", "/jobs/triggers/" + trigger + "/launch")
                    .json()
                    .path("data")
                    .path("id")
                    .asString());
        }
        // Three jobs queued in the same instant: only the id can order them
        jdbc.sql("UPDATE job SET queued_at = (SELECT queued_at FROM job WHERE id = ?) WHERE id IN (?, ?)")
                .params(launched.get(3), launched.get(2), launched.get(4))
                .update();

        List<JsonNode> pages = follow("/jobs/triggers/" + trigger + "/jobs?Limit=3", this::get);

        assertThat(pages).hasSize(3);
        assertThat(pages).allSatisfy(p -> assertThat(p.path("data").size()).isLessThanOrEqualTo(3));
        assertThat(pages.get(2).path("links").path("next").isMissingNode()).isTrue();
        List<JsonNode> jobs = items(pages);
        assertThat(jobs).extracting(j -> j.path("id").asString()).containsExactlyInAnyOrderElementsOf(launched);
        for (int i = 1; i < jobs.size(); i++) {
            String earlier =
                    jobs.get(i - 1).path("attributes").path("queued_at").asString();
            String later = jobs.get(i).path("attributes").path("queued_at").asString();
            assertThat(java.time.Instant.parse(earlier)).isAfterOrEqualTo(java.time.Instant.parse(later));
        }
    }

    @Test
    void should_page_the_queue_of_a_worker_oldest_first() {
        pauses.pause("log", "test");
        List<String> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queued.add(call("POST", "/jobs/queue/log", "{\"data\":{\"attributes\":{\"arguments\":{\"n\":" + i + "}}}}")
                    .json()
                    .path("data")
                    .path("id")
                    .asString());
        }

        List<JsonNode> pages = follow("/jobs/queue/log?page[limit]=2", this::get);

        assertThat(pages).hasSize(3);
        assertThat(items(pages)).extracting(j -> j.path("id").asString()).containsExactlyElementsOf(queued);
        assertThat(pages.get(0).path("links").path("next").asString())
                .startsWith("/jobs/queue/log?")
                .contains("page[limit]=2")
                .contains("page[cursor]=");
    }

    @Test
    void should_page_triggers_keeping_the_filters_of_the_first_request() {
        List<String> logs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            logs.add(create("{\"type\":\"@in\",\"arguments\":\"" + (i + 1) + "h\",\"worker\":\"log\"}"));
            create("{\"type\":\"@webhook\",\"worker\":\"konnector\",\"message\":{\"konnector\":\"k\"}}");
        }

        List<JsonNode> pages = follow("/jobs/triggers?Worker=log&page[limit]=2", this::get);

        assertThat(pages).hasSize(3);
        assertThat(items(pages)).extracting(t -> t.path("id").asString()).containsExactlyElementsOf(logs);
        assertThat(items(follow("/jobs/triggers", this::get))).hasSize(10);
    }

    @Test
    void should_page_instances_on_the_admin_api() {
        Set<String> created = Set.of(api.newInstance(null), api.newInstance(null), api.newInstance(null));

        List<JsonNode> pages = follow("/instances?page[limit]=2", path -> api.admin("GET", path, null));

        List<String> domains =
                items(pages).stream().map(i -> i.path("id").asString()).toList();
        assertThat(new HashSet<>(domains))
                .hasSameSizeAs(domains)
                .containsAll(created)
                .contains(domain);
        assertThat(pages).allSatisfy(p -> assertThat(p.path("data").size()).isLessThanOrEqualTo(2));
        assertThat(pages.size()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void should_read_every_trigger_of_an_instance_a_page_at_a_time() {
        int count = manyTriggers();
        Timestamp created = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {String.format("many%08d", i), domain, created});
        }
        jdbcTemplate.batchUpdate(
                "INSERT INTO job_trigger (id, domain, type, worker, arguments, debounce, created_at, updated_at)"
                        + " VALUES (?, ?, '@webhook', 'log', '', '', ?, ?)",
                rows.stream().map(r -> new Object[] {r[0], r[1], r[2], r[2]}).toList());

        List<Trigger> all = triggerService.list(domain, List.of(), List.of());

        assertThat(all)
                .extracting(Trigger::id)
                .containsExactlyElementsOf(rows.stream().map(r -> (String) r[0]).toList());
    }

    @Test
    void should_page_the_dashboards_instances_and_the_triggers_of_an_instance() {
        Timestamp created = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
        List<Object[]> instances = new ArrayList<>();
        List<Object[]> triggers = new ArrayList<>();
        for (int i = 0; i < 130; i++) {
            instances.add(new Object[] {String.format("page%03d.%s", i, domain), created, created});
            triggers.add(new Object[] {String.format("dash%08d", i), domain, created, created});
        }
        jdbcTemplate.batchUpdate(
                "INSERT INTO instance (domain, locale, stack_url, token_secret, created_at, updated_at)"
                        + " VALUES (?, 'en', 'http://stack.test/', 'x', ?, ?)",
                instances);
        jdbcTemplate.batchUpdate(
                "INSERT INTO job_trigger (id, domain, type, worker, arguments, debounce, created_at, updated_at)"
                        + " VALUES (?, ?, '@webhook', 'log', '', '', ?, ?)",
                triggers);

        try {
            List<String> pages = followHtml("/dashboard/instances");
            List<String> domains = pages.stream()
                    .flatMap(html -> matches(html, "href=\"/dashboard/instances/([^\"?]+)\"").stream())
                    .toList();
            assertThat(pages)
                    .allSatisfy(html -> assertThat(matches(html, "href=\"/dashboard/instances/([^\"?]+)\""))
                            .hasSizeLessThanOrEqualTo(100));
            assertThat(new HashSet<>(domains))
                    .hasSameSizeAs(domains)
                    .containsAll(instances.stream().map(r -> (String) r[0]).toList());
        } finally {
            // the other tests of this database list instances too
            jdbc.sql("DELETE FROM instance WHERE domain LIKE ?")
                    .param("page%." + domain)
                    .update();
        }

        List<String> triggerPages = followHtml("/dashboard/instances/" + domain);
        assertThat(triggerPages).hasSize(2);
        assertThat(triggerPages.stream()
                        .flatMap(html -> matches(html, "data-trigger=\"([^\"]+)\"").stream())
                        .toList())
                .containsExactlyElementsOf(
                        triggers.stream().map(r -> (String) r[0]).toList());
    }

    /** The dashboard pages from {@code first}, following their "next" links. */
    private List<String> followHtml(String first) {
        List<String> pages = new ArrayList<>();
        for (String next = first; next != null && pages.size() < 20; ) {
            Api.Response page = api.admin("GET", next, null);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            pages.add(page.body());
            List<String> link = matches(page.body(), "id=\"next\" href=\"([^\"]+)\"");
            next = link.isEmpty() ? null : link.get(0).replace("&amp;", "&");
        }
        return pages;
    }

    private static List<String> matches(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** How many triggers {@link #should_read_every_trigger_of_an_instance_a_page_at_a_time} stores. */
    int manyTriggers() {
        return 2_500;
    }

    @Test
    void should_refuse_a_cursor_or_a_limit_it_cannot_read_naming_the_parameter() {
        String trigger = create("{\"type\":\"@in\",\"arguments\":\"1h\",\"worker\":\"log\"}");

        assertRefused(get("/jobs/triggers/" + trigger + "/jobs?page[cursor]=not-a-cursor"), 400, "page[cursor]");
        assertRefused(get("/jobs/queue/log?page[cursor]=" + "A".repeat(1100)), 400, "page[cursor]");
        assertRefused(get("/jobs/queue/log?page[limit]=many"), 400, "page[limit]");
        assertRefused(get("/jobs/triggers?page[limit]=0"), 422, "page[limit]");
        assertRefused(api.admin("GET", "/instances?page[limit]=100000", null), 422, "page[limit]");
    }

    private static void assertRefused(Api.Response response, int status, String parameter) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json()
                        .path("errors")
                        .path(0)
                        .path("source")
                        .path("parameter")
                        .asString())
                .isEqualTo(parameter);
    }

    /** The pages of a listing, from the first request to the last {@code links.next}. */
    private static List<JsonNode> follow(String first, Function<String, Api.Response> get) {
        List<JsonNode> pages = new ArrayList<>();
        for (String next = first; next != null && pages.size() < 100; ) {
            Api.Response page = get.apply(next);
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            pages.add(page.json());
            JsonNode link = page.json().path("links").path("next");
            next = link.isMissingNode() ? null : link.asString();
        }
        return pages;
    }

    private static List<JsonNode> items(List<JsonNode> pages) {
        List<JsonNode> all = new ArrayList<>();
        pages.forEach(p -> p.path("data").forEach(all::add));
        return all;
    }

    private String create(String attributes) {
        Api.Response created = call(
                "POST",
                "/jobs/triggers",
                "{\"data\":{\"type\":\"io.cozy.triggers\",\"attributes\":" + attributes + "}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("data").path("id").asString();
    }

    private Api.Response get(String path) {
        return call("GET", path, null);
    }

    private Api.Response call(String method, String path) {
        return call(method, path, null);
    }

    private Api.Response call(String method, String path, String body) {
        return api.call(domain, token, method, path, body);
    }
}
