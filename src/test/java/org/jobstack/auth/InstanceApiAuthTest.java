package org.jobstack.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ApplicationEventMulticaster;
import org.springframework.web.context.support.ServletRequestHandledEvent;

/** The instance API takes only valid bearer tokens of the instance named by the Host header. */
class InstanceApiAuthTest extends IntegrationTest {

    @Autowired
    ApplicationEventMulticaster multicaster;

    private String domain;

    @BeforeEach
    void instance() {
        domain = api.newInstance(null);
    }

    @Test
    void should_answer_401_without_a_token() {
        Api.Response r = api.call(domain, null, "GET", "/apps/", null);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(r.json().path("errors").get(0).path("title").asString()).isEqualTo("Unauthorized");
    }

    @Test
    void should_answer_401_to_a_token_of_another_instance_or_garbage() {
        String other = api.cliToken(api.newInstance(null), "io.cozy.apps");

        assertThat(api.call(domain, other, "GET", "/apps/", null).status()).isEqualTo(401);
        assertThat(api.call(domain, "garbage", "GET", "/apps/", null).status()).isEqualTo(401);
        assertThat(api.call(domain, other + "x", "GET", "/apps/", null).status())
                .isEqualTo(401);
    }

    @Test
    void should_answer_404_for_an_unknown_instance() {
        String token = api.cliToken(domain, "io.cozy.apps");

        Api.Response r = api.call("unknown.test", token, "GET", "/apps/", null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("errors").get(0).path("detail").asString()).contains("unknown.test");
    }

    @Test
    void should_time_each_request_without_observing_every_security_filter() {
        String token = api.cliToken(domain, "io.cozy.apps");
        assertThat(api.call(domain, token, "GET", "/apps/", null).status()).isEqualTo(200);
        assertThat(api.call(domain, null, "GET", "/apps/", null).status()).isEqualTo(401);

        String metrics = api.admin("GET", "/actuator/prometheus", null).body();

        assertThat(metrics).contains("http_server_requests_seconds_count{");
        assertThat(metrics).doesNotContain("spring_security_");
    }

    @Test
    void should_not_publish_an_application_event_for_every_request() {
        String token = api.cliToken(domain, "io.cozy.apps");
        List<ServletRequestHandledEvent> published = new CopyOnWriteArrayList<>();
        ApplicationListener<ServletRequestHandledEvent> listener = published::add;
        multicaster.addApplicationListener(listener);
        try {
            assertThat(api.call(domain, token, "GET", "/apps/", null).status()).isEqualTo(200);
            assertThat(api.call(domain, null, "GET", "/apps/", null).status()).isEqualTo(401);
        } finally {
            multicaster.removeApplicationListener(listener);
        }

        assertThat(published)
                .as("nothing listens to them, and each one names its caller")
                .isEmpty();
    }

    @Test
    void should_answer_403_when_the_token_lacks_the_permission() {
        String jobsOnly = api.cliToken(domain, "io.cozy.jobs");
        String readOnly = api.cliToken(domain, "io.cozy.apps:GET");

        assertThat(api.call(domain, jobsOnly, "GET", "/apps/", null).status()).isEqualTo(403);
        assertThat(api.call(domain, readOnly, "GET", "/apps/", null).status()).isEqualTo(200);
        assertThat(api.call(domain, readOnly, "POST", "/apps/probe?Source=file:///nowhere", null)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void should_give_app_tokens_the_permissions_of_their_manifest() {
        String cli = api.cliToken(domain, "io.cozy.apps");
        String probe = Path.of("src/test/resources/apps/probe")
                .toAbsolutePath()
                .toUri()
                .toString();
        assertThat(api.call(domain, cli, "POST", "/apps/probe?Source=" + Api.enc(probe), null)
                        .status())
                .isEqualTo(202);

        String appToken = api.token(domain, "app", "probe", null);
        String unknownApp = api.token(domain, "app", "not-installed", null);

        assertThat(api.call(domain, appToken, "GET", "/apps/probe", null).status())
                .isEqualTo(403);
        assertThat(api.call(domain, unknownApp, "GET", "/apps/probe", null).status())
                .isEqualTo(401);
    }
}
