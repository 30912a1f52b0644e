package org.jobstack.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jobstack.security.SecurityFixture.assertError;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jobstack.security.SecurityFixture.Route;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Walks every route with what an attacker has at hand: no token, bad tokens, another instance's
 * token, tokens lacking the permission, the wrong port, no passphrase. Each answer must be the
 * right 4xx as a JSON:API error, and nothing stored for the instance may change.
 */
class SecuritySuiteTest extends IntegrationTest {

    private static SecurityFixture fixture;

    @Autowired
    private JdbcTemplate jdbc;

    @BeforeEach
    void fixture() {
        if (fixture == null) {
            fixture = new SecurityFixture(api);
        }
    }

    @Test
    void should_answer_401_on_every_instance_route_without_a_valid_token() {
        List<String> before = snapshot();
        for (Route route : fixture.routes()) {
            assertError(
                    api.call(fixture.domain, null, route.method(), route.path(), route.body()),
                    401,
                    route + " without a token");
            for (Map.Entry<String, String> bad : fixture.badTokens().entrySet()) {
                assertError(
                        api.call(fixture.domain, bad.getValue(), route.method(), route.path(), route.body()),
                        401,
                        route + " with a token " + bad.getKey());
            }
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void should_answer_403_on_every_instance_route_to_a_token_lacking_the_permission() {
        List<String> before = snapshot();
        for (Route route : fixture.routes()) {
            for (Map.Entry<String, String> weak : fixture.weakTokens().entrySet()) {
                assertError(
                        api.call(fixture.domain, weak.getValue(), route.method(), route.path(), route.body()),
                        403,
                        route + " with a " + weak.getKey());
            }
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void should_not_let_an_instance_see_or_touch_what_another_instance_owns() {
        List<String> before = snapshot();
        for (Route route : fixture.routes()) {
            if (route.path().contains(fixture.job) || route.path().contains(fixture.trigger)) {
                assertError(
                        api.call(fixture.other, fixture.otherCli, route.method(), route.path(), route.body()),
                        404,
                        route + " from the other instance");
            }
        }
        assertError(
                api.call(fixture.other, null, "POST", "/jobs/webhooks/" + fixture.webhook, "{}"),
                404,
                "the victim's webhook posted to the other instance");
        assertThat(api.call(fixture.other, fixture.otherCli, "GET", "/jobs/triggers", null)
                        .body())
                .doesNotContain(fixture.trigger, fixture.webhook);
        assertThat(api.call(fixture.other, fixture.otherCli, "GET", "/apps/", null)
                        .json()
                        .path("data")
                        .size())
                .isZero();
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void should_answer_404_to_instance_routes_on_the_admin_port_and_admin_routes_on_the_main_port() {
        List<String> before = snapshot();
        for (Route route : fixture.routes()) {
            Api.Response onAdmin = api.adminWith(Api.basic(PASSPHRASE), route.method(), route.path());
            assertError(onAdmin, 404, route + " on the admin port");
        }
        for (Route route : adminRoutes()) {
            assertError(
                    api.call(fixture.domain, fixture.cli, route.method(), route.path(), route.body()),
                    404,
                    route + " on the main port");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void should_answer_401_on_every_admin_route_without_the_passphrase() {
        List<String> before = snapshot();
        Map<String, String> wrong = Map.of(
                "no Authorization header",
                "",
                "a wrong passphrase",
                Api.basic("not-" + PASSPHRASE),
                "the passphrase with a trailing space",
                Api.basic(PASSPHRASE + " "),
                "an instance's CLI token",
                "Bearer " + fixture.cli,
                "a malformed Basic header",
                "Basic %%%",
                "Basic without a colon",
                "Basic " + Base64.getEncoder().encodeToString(PASSPHRASE.getBytes()));
        for (Route route : adminRoutes()) {
            for (Map.Entry<String, String> w : wrong.entrySet()) {
                Api.Response r =
                        api.adminWith(w.getValue().isEmpty() ? null : w.getValue(), route.method(), route.path());
                assertError(r, 401, route + " with " + w.getKey());
            }
        }
        assertThat(snapshot()).isEqualTo(before);
        assertThat(api.admin("GET", "/instances/" + fixture.domain, null).status())
                .isEqualTo(200);
        assertThat(api.admin("GET", "/instances/evil.test", null).status()).isEqualTo(404);
    }

    @Test
    void should_answer_requests_tomcat_refuses_itself_with_json_errors() {
        Api.Response huge = api.call(fixture.domain, "a".repeat(40_000), "GET", "/apps/", null);

        assertError(huge, 400, "a header larger than Tomcat takes");
    }

    @Test
    void should_keep_health_open_and_say_nothing_more_there() {
        Api.Response health = api.plainGet("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).doesNotContain("jdbc", "h2", "postgres", "diskSpace");
        assertError(api.plainGet("/actuator/env"), 404, "actuator env on the main port");
        assertError(api.adminWith(null, "GET", "/actuator/env"), 401, "actuator env without passphrase");
    }

    @Test
    void should_give_webhooks_unguessable_ids() {
        String link = api.call(fixture.domain, fixture.cli, "GET", "/jobs/triggers/" + fixture.webhook, null)
                .json()
                .path("data")
                .path("links")
                .path("webhook")
                .asString();

        assertThat(link).endsWith("/jobs/webhooks/" + fixture.webhook);
        assertThat(fixture.webhook).matches("[0-9a-f]{32}");
        assertError(
                api.call(fixture.domain, null, "POST", "/jobs/webhooks/" + "0".repeat(32), "{}"),
                404,
                "an unknown webhook");
        assertError(
                api.call(fixture.domain, null, "POST", "/jobs/webhooks/" + fixture.trigger, "{}"),
                422,
                "a trigger that is not a webhook");
    }

    private List<Route> adminRoutes() {
        String d = fixture.domain;
        return List.of(
                new Route("POST", "/instances?Domain=evil.test", null),
                new Route("GET", "/instances", null),
                new Route("GET", "/instances/" + d, null),
                new Route("PATCH", "/instances/" + d + "?Locale=de", null),
                new Route("DELETE", "/instances/" + d, null),
                new Route("POST", "/instances/token?Domain=" + d + "&Subject=x&Audience=cli&Scope=io.cozy.jobs", null),
                new Route("POST", "/instances/" + d + "/events", "[]"),
                new Route("GET", "/actuator/prometheus", null),
                new Route("GET", "/actuator/metrics", null));
    }

    private List<String> snapshot() {
        return SecurityFixture.snapshot(jdbc, fixture.domain);
    }
}
