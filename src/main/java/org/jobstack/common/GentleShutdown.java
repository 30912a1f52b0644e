package org.jobstack.common;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stops an executor without interrupting its threads. An interrupt that lands while a thread is in
 * H2's file I/O closes the file channel, and with it the whole embedded database; so running tasks
 * are let finish (up to {@code patience}), and a thread still busy after that is left to end on its
 * own (these are daemon threads).
 */
public final class GentleShutdown {

    private GentleShutdown() {}

    public static void stop(ExecutorService executor, Duration patience) {
        executor.shutdown();
        try {
            executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
