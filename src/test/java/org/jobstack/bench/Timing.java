package org.jobstack.bench;

import java.util.Arrays;
import java.util.concurrent.Callable;

/** The latency of one call, one at a time: p50, p95 and worst of {@code samples} calls, in ms, and those answered otherwise than expected. */
record Timing(String label, double p50, double p95, double max, int failures) {

    /** Times {@code samples} calls after {@code warmups} untimed ones; {@code call} says whether it went as expected. */
    static Timing of(String label, int warmups, int samples, Callable<Boolean> call) throws Exception {
        int failures = 0;
        for (int i = 0; i < warmups; i++) {
            failures += call.call() ? 0 : 1;
        }
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            long start = System.nanoTime();
            failures += call.call() ? 0 : 1;
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new Timing(label, rank(ms, 50), rank(ms, 95), ms[samples - 1], failures);
    }

    /** The nearest-rank percentile of sorted values. */
    private static double rank(double[] sorted, int percent) {
        return sorted[Math.max(0, (int) Math.ceil(sorted.length * percent / 100.0) - 1)];
    }
}
