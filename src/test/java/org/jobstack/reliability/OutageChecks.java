package org.jobstack.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jobstack.support.Api;
import tools.jackson.databind.JsonNode;

/** What the database outage tests share: the load they put on a node, and what they check of it. */
final class OutageChecks {

    private OutageChecks() {}

    /** Queues {@code n} jobs of the probe's "sleepy" service, 1.5 s each; their ids. */
    static List<String> queueSleepyJobs(Api api, String domain, String token, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(api.call(
                            domain,
                            token,
                            "POST",
                            "/jobs/queue/service",
                            "{\"data\":{\"attributes\":{\"arguments\":{\"slug\":\"probe\",\"name\":\"sleepy\","
                                    + "\"fields\":{\"ms\":1500}}}}}")
                    .json()
                    .path("data")
                    .path("id")
                    .asString());
        }
        return ids;
    }

    /** Health answers every call at once and says DOWN within 15 s. */
    static void awaitHealthDown(Api api) {
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            long start = System.nanoTime();
            Api.Response health = api.plainGet("/actuator/health");
            assertThat((System.nanoTime() - start) / 1_000_000)
                    .as("health answers at once")
                    .isLessThan(1_000);
            return health.status() == 503 && health.body().contains("DOWN");
        });
    }

    /** The service worker's max_exec_count: how many times a service job may run at most. */
    static final int SERVICE_ATTEMPTS = 2;

    /**
     * Waits until every job is done or errored, then requires each errored one to say why, and
     * none to have run more often than the service worker allows.
     */
    static void awaitEachDoneOrErroredWithAReason(Api api, String domain, String token, List<String> ids) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> ids.stream()
                        .allMatch(id -> List.of("done", "errored")
                                .contains(attributes(api, domain, token, id)
                                        .path("state")
                                        .asString())));
        for (String id : ids) {
            JsonNode job = attributes(api, domain, token, id);
            assertThat(job.path("attempts").asInt()).as("attempts of %s", id).isBetween(1, SERVICE_ATTEMPTS);
            if (job.path("state").asString().equals("errored")) {
                assertThat(job.path("error").asString()).as("reason of %s", id).isNotBlank();
            } else {
                assertThat(job.path("state").asString()).as(id).isEqualTo("done");
            }
        }
    }

    private static JsonNode attributes(Api api, String domain, String token, String id) {
        return api.call(domain, token, "GET", "/jobs/" + id, null)
                .json()
                .path("data")
                .path("attributes");
    }
}
