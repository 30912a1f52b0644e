package org.jobstack.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.jobstack.security.SecurityFixture.assertError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jobstack.support.Api;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A worker reserved by configuration takes jobs and triggers from CLI tokens only. */
class ReservedWorkerTest extends IntegrationTest {

    static final Path JOBSY = Path.of("src/test/resources/konnectors/jobsy").toAbsolutePath();

    @DynamicPropertySource
    static void reserveLog(DynamicPropertyRegistry registry) throws IOException {
        String dataDir = Files.createTempDirectory("jobstack-it-reserved-").toString();
        registry.add("jobstack.data-dir", () -> dataDir);
        registry.add("jobstack.jobs.workers.log.reserved", () -> "true");
    }

    @Test
    void should_refuse_jobs_and_triggers_of_a_reserved_worker_to_apps_and_take_them_from_the_cli() {
        String domain = api.newInstance(null);
        String scope = "io.cozy.jobs:POST:log:worker io.cozy.triggers:POST:log:worker";
        String cli = api.cliToken(domain, scope);
        String job = "{\"data\":{\"attributes\":{\"arguments\":{\"message\":\"x\"}}}}";
        String trigger = SecurityFixture.triggerBody("@in", "1h");
        assertThat(api.call(
                                domain,
                                cli,
                                "POST",
                                "/apps/probe?Source="
                                        + Api.enc(SecurityFixture.PROBE.toUri().toString()),
                                null)
                        .status())
                .isEqualTo(403);
        String app = appTokenWithJobPermissions(domain);

        assertError(api.call(domain, app, "POST", "/jobs/queue/log", job), 403, "app queuing a reserved worker");
        assertError(api.call(domain, app, "POST", "/jobs/triggers", trigger), 403, "app creating a reserved trigger");
        assertThat(api.call(domain, cli, "POST", "/jobs/queue/log", job).status())
                .isEqualTo(202);
        assertThat(api.call(domain, cli, "POST", "/jobs/triggers", trigger).status())
                .isEqualTo(201);
    }

    @Test
    void should_take_the_event_and_payload_of_a_queued_job_from_the_cli_only() {
        String domain = api.newInstance(null);
        String cli = api.cliToken(domain, "io.cozy.jobs");
        String app = appTokenWithJobPermissions(domain);
        String withEvent = "{\"data\":{\"attributes\":{\"arguments\":{\"konnector\":\"jobsy\"},"
                + "\"event\":{\"doc\":{\"_id\":\"d1\"}},\"payload\":{\"p\":1}}}}";

        assertError(api.call(domain, app, "POST", "/jobs/queue/konnector", withEvent), 403, "app giving an event");
        assertThat(api.call(domain, cli, "POST", "/jobs/queue/konnector", withEvent)
                        .status())
                .isEqualTo(202);
        assertThat(api.call(
                                domain,
                                cli,
                                "POST",
                                "/jobs/queue/konnector",
                                "{\"data\":{\"attributes\":{\"arguments\":{},\"event\":\"not an object\"}}}")
                        .status())
                .isEqualTo(400);
    }

    /** A konnector whose manifest grants every io.cozy.jobs and io.cozy.triggers permission. */
    private String appTokenWithJobPermissions(String domain) {
        String admin = api.cliToken(domain, "io.cozy.konnectors");
        assertThat(api.call(
                                domain,
                                admin,
                                "POST",
                                "/konnectors/jobsy?Source="
                                        + Api.enc(JOBSY.toUri().toString()),
                                null)
                        .status())
                .isEqualTo(202);
        return api.token(domain, "konn", "jobsy", null);
    }
}
