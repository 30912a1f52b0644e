package org.jobstack.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Prints the log lines of an app's jobs as they come, one line each with the job id and level: the
 * jobs of its services' triggers, and the jobs started here. Polls the server; jobs that had ended
 * before it started are not printed.
 */
final class AppJobLogs implements AutoCloseable {

    static final String SCOPE = "io.cozy.jobs io.cozy.triggers";

    private final ServerClient client;
    private final PrintWriter out;
    private final Duration interval;
    private volatile List<String> triggerIds = List.of();
    private final Set<String> started = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> printed = new HashMap<>();
    private final Set<String> ended = new HashSet<>();
    private final Thread thread;
    private boolean first = true;

    AppJobLogs(ServerClient client, PrintWriter out, Duration interval) {
        this.client = client;
        this.out = out;
        this.interval = interval;
        this.thread = new Thread(this::loop, "apps-dev-logs");
        thread.setDaemon(true);
        thread.start();
    }

    /** The triggers of the app's services, as they are after the last update. */
    void watchTriggers(List<String> ids) {
        triggerIds = List.copyOf(ids);
    }

    /** A job started here (apps dev --run). */
    void watchJob(String id) {
        started.add(id);
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                pass();
            } catch (RuntimeException failed) {
                // the server restarts, say, or a job went away: the next pass tries again
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void pass() {
        Map<String, JsonNode> jobs = new LinkedHashMap<>();
        for (String trigger : triggerIds) {
            client.call("GET", "/jobs/triggers/" + ServerClient.enc(trigger) + "/jobs?Limit=20", SCOPE)
                    .path("data")
                    .forEach(job -> jobs.put(job.path("id").asString(), job.path("attributes")));
        }
        for (String id : started) {
            if (!jobs.containsKey(id) && !ended.contains(id)) {
                jobs.put(
                        id,
                        client.call("GET", "/jobs/" + ServerClient.enc(id), SCOPE)
                                .path("data")
                                .path("attributes"));
            }
        }
        jobs.forEach((id, job) -> {
            boolean over = job.path("state").asString().equals("done")
                    || job.path("state").asString().equals("errored");
            if (ended.contains(id) || (first && over && !started.contains(id))) {
                ended.add(id);
                return;
            }
            printNewLines(id);
            if (over) {
                ended.add(id);
                out.println(shortId(id) + " job " + job.path("state").asString()
                        + (job.hasNonNull("error") ? ": " + job.path("error").asString() : ""));
            }
        });
        first = false;
    }

    private void printNewLines(String id) {
        JsonNode lines = client.call("GET", "/jobs/" + ServerClient.enc(id) + "/logs", SCOPE)
                .path("data");
        int done = printed.getOrDefault(id, 0);
        for (int i = done; i < lines.size(); i++) {
            JsonNode a = lines.get(i).path("attributes");
            out.printf(
                    "%s %-7s %s%n",
                    shortId(id), a.path("level").asString(), a.path("message").asString());
        }
        printed.put(id, Math.max(done, lines.size()));
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    @Override
    public void close() throws InterruptedException {
        thread.interrupt();
        thread.join(5000);
    }
}
