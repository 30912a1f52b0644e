package org.jobstack.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** Waits on jobs through the API. */
public final class Jobs {

    private Jobs() {}

    /** Polls {@code GET /jobs/:id} until the job is done or errored; returns its attributes. */
    public static JsonNode awaitFinal(Api api, String domain, String token, String jobId) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    Api.Response r = api.call(domain, token, "GET", "/jobs/" + jobId, null);
                    last[0] = r.json().path("data").path("attributes");
                    return isFinal(last[0]);
                });
        return last[0];
    }

    /** Whether the attributes of a job say it is done or errored. */
    public static boolean isFinal(JsonNode attributes) {
        return Set.of("done", "errored").contains(attributes.path("state").asString());
    }
}
