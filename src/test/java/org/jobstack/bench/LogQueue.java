package org.jobstack.bench;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jobstack.support.Api;

/**
 * The {@code log} worker's queue of one instance, over HTTP: jobs queued by {@code POST
 * /jobs/queue/log} from every connection of {@link Clients}, timed until {@code GET
 * /jobs/queue/log} (queued and running jobs) is empty.
 */
final class LogQueue {

    /** No arguments: the log worker then writes no log line, and the job is a no-op. */
    static final String BODY = "{\"data\":{\"attributes\":{}}}";

    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(5);

    private final Clients clients;
    private final Instance instance;

    LogQueue(Clients clients, Instance instance) {
        this.clients = clients;
        this.instance = instance;
    }

    /** Queues one log job; answered 202 once the job is stored. */
    static Clients.Call enqueue(Instance instance) {
        return new Clients.Call("enqueue", n -> instance.post("/jobs/queue/log", BODY), 202);
    }

    /** Queues {@code count} jobs and waits until none is left: jobs per second from the first request to the last job run. */
    double drainRate(int count) throws IOException, InterruptedException {
        long start = System.nanoTime();
        clients.times(count, enqueue(instance));
        awaitDrained();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Polls the queue's first page (one job) until it is empty; after each poll, waits three times
     * as long as it took (at least 20 ms), so that polling a long queue (whose listing costs more)
     * takes at most a quarter of a connection's time from the server.
     */
    private void awaitDrained() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        while (true) {
            long start = System.nanoTime();
            HttpResponse<String> r = clients.send(instance.get("/jobs/queue/log?page%5Blimit%5D=1"));
            long took = System.nanoTime() - start;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /jobs/queue/log: " + r.statusCode() + " " + r.body());
            }
            if (Api.JSON.readTree(r.body()).path("data").isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("log jobs still queued after " + DRAIN_TIMEOUT);
            }
            Thread.sleep(Math.max(20, 3 * took / 1_000_000));
        }
    }
}
