package org.jobstack.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.LongPredicate;

/**
 * {@code n} HTTP/1.1 keep-alive connections to a server: one {@link HttpClient} per connection,
 * used by one thread, one call at a time, so that exactly {@code n} connections are open at any
 * time (Tomcat closes a connection after 100 requests, its default; its client then opens
 * another). Every answer is checked against the status its call expects; other answers, and calls
 * that got none, are failures, totalled over the life of the clients by {@link #failures()}.
 */
final class Clients implements AutoCloseable {

    /** A kind of call: its request (given the call's sequence number) and the status it expects. */
    record Call(String label, IntFunction<HttpRequest> request, int expected) {}

    /** Calls answered as expected, and not, by label, and the time they took in all. */
    record Tally(Map<String, Long> ok, Map<String, Long> failed, double seconds) {

        long ok(String label) {
            return ok.getOrDefault(label, 0L);
        }

        double perSecond(String label) {
            return ok(label) / seconds;
        }
    }

    private final List<HttpClient> connections = new ArrayList<>();
    private final ExecutorService threads;
    private final AtomicLong failures = new AtomicLong();
    private volatile String lastFailure;

    Clients(int n) {
        for (int i = 0; i < n; i++) {
            connections.add(HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build());
        }
        threads = Executors.newFixedThreadPool(n);
    }

    /** Every connection makes the calls, in turn, for {@code duration}. */
    Tally during(Duration duration, List<Call> calls) throws InterruptedException {
        long deadline = System.nanoTime() + duration.toNanos();
        return run(calls, n -> System.nanoTime() < deadline);
    }

    /** {@code count} calls, spread over the connections. */
    Tally times(int count, Call call) throws InterruptedException {
        return run(List.of(call), n -> n < count);
    }

    /** One call on the first connection; whether it was answered as expected. */
    boolean once(Call call) throws InterruptedException {
        return send(connections.get(0), call, 0);
    }

    /** One request on the first connection, unchecked. */
    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return connections.get(0).send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Calls not answered as expected since the clients were made. */
    long failures() {
        return failures.get();
    }

    /** The last of them: what was called and what came back. */
    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }

    private Tally run(List<Call> calls, LongPredicate more) throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        Map<String, LongAdder> ok = new ConcurrentHashMap<>();
        Map<String, LongAdder> failed = new ConcurrentHashMap<>();
        List<Callable<Void>> tasks = new ArrayList<>();
        for (HttpClient connection : connections) {
            tasks.add(() -> {
                for (long n = sequence.getAndIncrement(); more.test(n); n = sequence.getAndIncrement()) {
                    Call call = calls.get((int) (n % calls.size()));
                    boolean good = send(connection, call, (int) n);
                    (good ? ok : failed)
                            .computeIfAbsent(call.label(), k -> new LongAdder())
                            .increment();
                }
                return null;
            });
        }
        long start = System.nanoTime();
        for (Future<Void> f : threads.invokeAll(tasks)) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a client failed: " + e.getCause(), e.getCause());
            }
        }
        return new Tally(snapshot(ok), snapshot(failed), (System.nanoTime() - start) / 1e9);
    }

    private boolean send(HttpClient connection, Call call, int n) throws InterruptedException {
        try {
            HttpResponse<String> r = connection.send(call.request().apply(n), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == call.expected()) {
                return true;
            }
            fail(call.label() + ": " + r.statusCode() + " " + r.body());
        } catch (IOException e) {
            fail(call.label() + ": " + e);
        }
        return false;
    }

    private void fail(String what) {
        failures.incrementAndGet();
        lastFailure = what.length() > 300 ? what.substring(0, 300) + "…" : what;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> counts) {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
