package org.jobstack.soak;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jobstack.support.Api;

/**
 * Drives a {@link SoakLoad} from a few client threads at a bounded rate for a while, and every
 * period reads the server's heap, threads and open files from its metrics and prints a line.
 */
public final class SoakRun {

    /** One period: calls that went as expected and those that did not, and the server's gauges at its end. */
    public record Sample(int period, long ok, long unexpected, double heapMb, double threads, double openFiles) {

        public String line() {
            return String.format(
                    "| %d | %d | %d | %.0f | %.0f | %.0f |", period, ok, unexpected, heapMb, threads, openFiles);
        }
    }

    static final String HEADER =
            "| period | calls ok | unexpected | heap MB | threads | open files |\n|---|---|---|---|---|---|";

    private final SoakLoad load;
    private final Api api;
    private final Runnable beforeSample;

    /** {@code beforeSample} runs before the gauges are read (a GC, when the server runs in this JVM). */
    public SoakRun(SoakLoad load, Api api, Runnable beforeSample) {
        this.load = load;
        this.api = api;
        this.beforeSample = beforeSample;
    }

    public List<Sample> run(int threads, int callsPerSecond, Duration total, Duration period, PrintStream out)
            throws Exception {
        long end = System.nanoTime() + total.toNanos();
        Duration pause = SoakLoad.pause(callsPerSecond, threads);
        AtomicReference<Exception> failure = new AtomicReference<>();
        ExecutorService clients = Executors.newFixedThreadPool(threads);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            running.add(clients.submit(() -> {
                while (System.nanoTime() < end && failure.get() == null) {
                    long started = System.nanoTime();
                    try {
                        load.next();
                    } catch (Exception e) {
                        failure.compareAndSet(null, e);
                    }
                    long left = pause.toNanos() - (System.nanoTime() - started);
                    if (left > 0) {
                        TimeUnit.NANOSECONDS.sleep(left);
                    }
                }
                return null;
            }));
        }
        List<Sample> samples = new ArrayList<>();
        out.println(HEADER);
        long okBefore = 0;
        long unexpectedBefore = 0;
        for (int p = 1; System.nanoTime() < end; p++) {
            TimeUnit.NANOSECONDS.sleep(Math.min(period.toNanos(), Math.max(0, end - System.nanoTime())));
            long ok = sum(load.ok());
            long unexpected = sum(load.unexpected());
            beforeSample.run();
            Sample sample = new Sample(
                    p,
                    ok - okBefore,
                    unexpected - unexpectedBefore,
                    gauge("jvm.memory.used?tag=area:heap") / 1024 / 1024,
                    gauge("jvm.threads.live"),
                    gauge("process.files.open"));
            okBefore = ok;
            unexpectedBefore = unexpected;
            samples.add(sample);
            out.println(sample.line());
        }
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
        if (failure.get() != null) {
            throw failure.get();
        }
        return samples;
    }

    private double gauge(String metric) {
        Api.Response r = api.admin("GET", "/actuator/metrics/" + metric, null);
        if (r.status() != 200) {
            throw new IllegalStateException("metric " + metric + ": " + r.status() + " " + r.body());
        }
        return r.json().path("measurements").path(0).path("value").asDouble();
    }

    private static long sum(Map<SoakLoad.Kind, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }
}
