package org.jobstack.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Attempts that ended done or errored on this node, per minute over the last hour, read from the
 * {@code jobstack.jobs.attempts} counters every ten seconds (the chart of the overview).
 */
@Component
class ThroughputHistory {

    static final int MINUTES = 60;

    private final MeterRegistry meters;
    private final Clock clock;
    private final Deque<Minute> minutes = new ArrayDeque<>();
    private double lastDone;
    private double lastErrored;

    ThroughputHistory(MeterRegistry meters, Clock clock) {
        this.meters = meters;
        this.clock = clock;
    }

    record Minute(long epochMinute, double done, double errored) {}

    @Scheduled(fixedDelay = 10_000, initialDelay = 1_000)
    synchronized void sample() {
        double done = total("done");
        double errored = total("errored");
        long minute = clock.millis() / 60_000;
        Minute last = minutes.peekLast();
        double newDone = Math.max(0, done - lastDone);
        double newErrored = Math.max(0, errored - lastErrored);
        if (last != null && last.epochMinute() == minute) {
            minutes.pollLast();
            minutes.addLast(new Minute(minute, last.done() + newDone, last.errored() + newErrored));
        } else {
            minutes.addLast(new Minute(minute, newDone, newErrored));
        }
        while (minutes.size() > MINUTES) {
            minutes.pollFirst();
        }
        lastDone = done;
        lastErrored = errored;
    }

    /** The last hour minute by minute, oldest first (quiet minutes as zeros): epoch seconds, done, errored. */
    synchronized List<double[]> series() {
        long current = clock.millis() / 60_000;
        double[] times = new double[MINUTES];
        double[] done = new double[MINUTES];
        double[] errored = new double[MINUTES];
        for (int i = 0; i < MINUTES; i++) {
            times[i] = (current - MINUTES + 1 + i) * 60.0;
        }
        for (Minute m : minutes) {
            int i = (int) (m.epochMinute() - (current - MINUTES + 1));
            if (i >= 0 && i < MINUTES) {
                done[i] = m.done();
                errored[i] = m.errored();
            }
        }
        return List.of(times, done, errored);
    }

    private double total(String outcome) {
        return meters.find("jobstack.jobs.attempts").tag("outcome", outcome).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
