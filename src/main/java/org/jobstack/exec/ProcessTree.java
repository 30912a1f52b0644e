package org.jobstack.exec;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Stops a child and everything it started: TERM to its process group and to every descendant
 * seen, a grace period, then KILL to all of them (including descendants forked meanwhile).
 */
final class ProcessTree {

    private ProcessTree() {}

    static void terminate(Process process, boolean ownGroup, Duration grace) {
        Set<ProcessHandle> seen = new LinkedHashSet<>(snapshot(process.toHandle()));
        signalGroup(process.pid(), ownGroup, "TERM");
        seen.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        while (System.nanoTime() < deadline && seen.stream().anyMatch(ProcessHandle::isAlive)) {
            seen.addAll(snapshot(process.toHandle()));
            sleep(20);
        }
        seen.addAll(snapshot(process.toHandle()));
        signalGroup(process.pid(), ownGroup, "KILL");
        seen.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills what is left of the child's group after the child itself has exited. */
    static void killLeftovers(Process process, boolean ownGroup) {
        signalGroup(process.pid(), ownGroup, "KILL");
    }

    private static List<ProcessHandle> snapshot(ProcessHandle root) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root);
        root.descendants().forEach(all::add);
        return all;
    }

    private static void signalGroup(long pgid, boolean ownGroup, String signal) {
        if (!ownGroup) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill(1): the descendants are still signalled one by one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sleeps, keeping the thread's interrupt for its caller. */
    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
