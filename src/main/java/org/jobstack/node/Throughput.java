package org.jobstack.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Attempts that ended done or errored, per minute over the last hour, on every node: each node
 * adds what its {@code jobstack.jobs.attempts} counters gained to its row of the minute every ten
 * seconds, and the chart sums the rows of all nodes.
 */
@Service
public class Throughput {

    public static final int MINUTES = 60;

    private final ThroughputStore store;
    private final MeterRegistry meters;
    private final NodeIdentity node;
    private final Clock clock;
    private double lastDone;
    private double lastErrored;

    Throughput(ThroughputStore store, MeterRegistry meters, NodeIdentity node, Clock clock) {
        this.store = store;
        this.meters = meters;
        this.node = node;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 10_000, initialDelay = 1_000)
    public synchronized void sample() {
        double done = total("done");
        double errored = total("errored");
        long minute = currentMinute();
        long newDone = (long) Math.max(0, done - lastDone);
        long newErrored = (long) Math.max(0, errored - lastErrored);
        if (newDone > 0 || newErrored > 0) {
            store.add(node.id(), minute, newDone, newErrored);
        }
        store.prune(minute - MINUTES);
        lastDone = done;
        lastErrored = errored;
    }

    /** The last hour minute by minute, oldest first (quiet minutes as zeros): epoch seconds, done, errored. */
    public List<double[]> series() {
        long current = currentMinute();
        long first = current - MINUTES + 1;
        Map<Long, long[]> sums = store.sums(first);
        double[] times = new double[MINUTES];
        double[] done = new double[MINUTES];
        double[] errored = new double[MINUTES];
        for (int i = 0; i < MINUTES; i++) {
            times[i] = (first + i) * 60.0;
            long[] counts = sums.get(first + i);
            if (counts != null) {
                done[i] = counts[0];
                errored[i] = counts[1];
            }
        }
        return List.of(times, done, errored);
    }

    private long currentMinute() {
        return clock.millis() / 60_000;
    }

    private double total(String outcome) {
        return meters.find("jobstack.jobs.attempts").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
