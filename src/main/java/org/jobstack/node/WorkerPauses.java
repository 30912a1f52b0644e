package org.jobstack.node;

import java.time.Clock;
import java.util.Set;
import org.jobstack.common.AfterCommit;
import org.jobstack.common.Problem;
import org.jobstack.job.JobQueue;
import org.jobstack.job.WorkerRegistry;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Worker types paused by an operator: no node claims their jobs, which wait queued; attempts
 * already running end normally. Kept in the database for every node; each node re-reads it at
 * every poll of its dispatcher, so another node stops claiming within one poll interval.
 */
@Service
public class WorkerPauses {

    private final WorkerPauseStore store;
    private final WorkerRegistry workers;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private volatile Set<String> paused = Set.of();

    WorkerPauses(WorkerPauseStore store, WorkerRegistry workers, ApplicationEventPublisher events, Clock clock) {
        this.store = store;
        this.workers = workers;
        this.events = events;
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
        AfterCommit.run(this::refresh);
    }

    @Transactional
    public void resume(String worker) {
        known(worker);
        store.resume(worker);
        AfterCommit.run(() -> {
            refresh();
            events.publishEvent(new JobQueue.JobQueued(worker));
        });
    }

    private void known(String worker) {
        if (workers.find(worker).isEmpty()) {
            throw Problem.notFound("Unknown worker " + worker);
        }
    }
}
