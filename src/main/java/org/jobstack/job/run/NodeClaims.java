package org.jobstack.job.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where this node's claims stand, shared by the dispatcher and its worker pools: whether claims are
 * accepted (no longer once stopping), the claims under way, and the jobs claimed here and not yet
 * through the executor.
 */
final class NodeClaims {

    /**
     * Jobs claimed by this node and not yet through the executor (prefetched ones included), one
     * hold per claim: a retry may be claimed while the thread of its failed attempt is still
     * finishing, and that thread's end must not let go of the retry.
     */
    private final HeldJobs claimedHere = new HeldJobs();
    /**
     * The claims under way, each with when it started ({@link System#nanoTime()}): the jobs a claim
     * took are leased here from its commit, but known here only once it has returned. Claims left
     * to the outcome writer are under way from when they are left to it.
     */
    private final Map<Object, Long> underWay = new ConcurrentHashMap<>();
    /** False once stopping: claims left to the outcome writer and not made yet then claim nothing. */
    private volatile boolean accepting;

    boolean accepting() {
        return accepting;
    }

    void accepting(boolean accepting) {
        this.accepting = accepting;
    }

    /** A claim starts; its token is given back to {@link #end}. */
    Object begin() {
        Object claim = new Object();
        underWay.put(claim, System.nanoTime());
        return claim;
    }

    void end(Object claim) {
        underWay.remove(claim);
    }

    /** Whether a claim that started at or before {@code nanos} ({@link System#nanoTime()}) is still under way. */
    boolean underWaySince(long nanos) {
        return underWay.values().stream().anyMatch(startedAt -> startedAt - nanos <= 0);
    }

    void hold(String jobId) {
        claimedHere.hold(jobId);
    }

    void release(String jobId) {
        claimedHere.release(jobId);
    }

    boolean holds(String jobId) {
        return claimedHere.holds(jobId);
    }
}
