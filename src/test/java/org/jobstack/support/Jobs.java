package org.jobstack.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jobstack.node.WorkerPauses;
import tools.jackson.databind.JsonNode;

/** Queues and waits on jobs and reads their logs through the API. */
public final class Jobs {

    private Jobs() {}

    /** Queues a job of the {@code log} worker with no arguments over the API; returns its id. */
    public static String queueLog(Api api, String domain, String token) {
        return api.call(domain, token, "POST", "/jobs/queue/log", "{\"data\":{\"attributes\":{\"arguments\":{}}}}")
                .json()
                .path("data")
                .path("id")
                .asString();
    }

    /**
     * Queues {@code count} log jobs while the log worker is paused, then resumes it, so that they
     * are all queued before the first one is claimed; returns their ids in order.
     */
    public static List<String> queueLogsWhilePaused(
            WorkerPauses pauses, Api api, String domain, String token, int count) {
        List<String> ids = new ArrayList<>();
        pauses.pause("log", "test");
        try {
            for (int i = 0; i < count; i++) {
                ids.add(queueLog(api, domain, token));
            }
        } finally {
            pauses.resume("log");
        }
        return ids;
    }

    /** Polls {@code GET /jobs/:id} until the job is done or errored; returns its attributes. */
    public static JsonNode awaitFinal(Api api, String domain, String token, String jobId) {
        return awaitFinal(api, domain, token, jobId, Duration.ofSeconds(30));
    }

    public static JsonNode awaitFinal(Api api, String domain, String token, String jobId, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
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

    /** A job's log lines from {@code GET /jobs/:id/logs}, each as {@code "<level>: <message>"}. */
    public static List<String> logMessages(Api api, String domain, String token, String jobId) {
        return logMessages(api, domain, token, jobId, 1000);
    }

    /** Up to {@code limit} log lines (the route's default is 1 000, its maximum 10 000). */
    public static List<String> logMessages(Api api, String domain, String token, String jobId, int limit) {
        Api.Response r = api.call(domain, token, "GET", "/jobs/" + jobId + "/logs?limit=" + limit, null);
        assertThat(r.status()).isEqualTo(200);
        List<String> lines = new ArrayList<>();
        r.json()
                .path("data")
                .forEach(l -> lines.add(l.path("attributes").path("level").asString() + ": "
                        + l.path("attributes").path("message").asString()));
        return lines;
    }
}
