package org.jobstack.job.run;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ids of the jobs some part of this node holds, counted: two attempts of one job may be held at
 * once (a retry claimed, run and ended before the thread or writer done with the attempt before it
 * has let go of the id), and the id must stay held until both have let go, else the newer attempt
 * is no longer known here while its job runs.
 */
final class HeldJobs {

    private final Map<String, Integer> holds = new ConcurrentHashMap<>();

    void hold(String jobId) {
        holds.merge(jobId, 1, Integer::sum);
    }

    /** Lets go of one hold of the job. */
    void release(String jobId) {
        holds.computeIfPresent(jobId, (id, n) -> n == 1 ? null : n - 1);
    }

    boolean holds(String jobId) {
        return holds.containsKey(jobId);
    }

    boolean isEmpty() {
        return holds.isEmpty();
    }
}
