package org.jobstack.node;

import java.time.Clock;
import java.util.Set;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.AfterCommit;
import org.jobstack.common.Problem;
import org.jobstack.job.JobQueue;
import org.jobstack.job.WorkerRegistry;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Worker types paused by an operator: no node claims their jobs, which wait queued; attempts
 * already running end normally. Kept in the database for every node: the node that changes it
 * signals the others, which read it again at once (and at every poll of their dispatcher anyway).
 */
@Service
public class WorkerPauses {

    private final WorkerPauseStore store;
    private final WorkerRegistry workers;
    private final JobQueue queue;
    private final ClusterSignals signals;
    private final Clock clock;
    private volatile Set<String> paused = Set.of();

    WorkerPauses(WorkerPauseStore store, WorkerRegistry workers, JobQueue queue, ClusterSignals signals, Clock clock) {
        this.store = store;
        this.workers = workers;
        this.queue = queue;
        this.signals = signals;
        this.clock = clock;
    }

    /** Whether the worker type was paused at the last refresh. */
    public boolean isPaused(String worker) {
        return paused.contains(worker);
    }

    public Set<String> paused() {
        return paused;
    }

    /** Reads the paused worker types again. */
    public Set<String> refresh() {
        paused = Set.copyOf(store.paused());
        return paused;
    }

    @Transactional
    public void pause(String worker, String by) {
        known(worker);
        store.pause(worker, clock.instant(), by);
        AfterCommit.run(this::changed);
    }

    @Transactional
    public void resume(String worker) {
        known(worker);
        store.resume(worker);
        AfterCommit.run(this::changed);
        queue.announce(worker);
    }

    /** Read again here, and by the other nodes once they get the signal. */
    private void changed() {
        refresh();
        signals.broadcast(Signal.Topic.PAUSES, "");
    }

    @EventListener
    void onSignal(Signal signal) {
        if (signal.topic() == Signal.Topic.PAUSES || signal.topic() == Signal.Topic.RESYNC) {
            refresh();
        }
    }

    private void known(String worker) {
        if (workers.find(worker).isEmpty()) {
            throw Problem.notFound("Unknown worker " + worker);
        }
    }
}
