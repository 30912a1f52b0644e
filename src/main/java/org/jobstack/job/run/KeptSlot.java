package org.jobstack.job.run;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobstack.job.ImmediateStarts;
import org.jobstack.job.Job;
import org.jobstack.job.StartGate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A slot kept for a job started at once, whose worker thread prepares its attempt while the job is
 * being stored and runs it once stored ({@link StartGate}). {@code starting} counts the pool's slots
 * kept so (the pool counts this one in): the slot takes itself off when its transaction has ended.
 */
final class KeptSlot implements ImmediateStarts.Start, TransactionSynchronization {

    private final Job job;
    private final StartGate gate;
    private final AtomicInteger starting;
    private final AtomicBoolean ended = new AtomicBoolean();

    KeptSlot(Job job, StartGate gate, AtomicInteger starting) {
        this.job = job;
        this.gate = gate;
        this.starting = starting;
    }

    @Override
    public Job job() {
        return job;
    }

    @Override
    public void startAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(this);
    }

    /** Called by the transaction once it has ended (after every other's after-commit step). */
    @Override
    public void afterCompletion(int status) {
        if (status != STATUS_COMMITTED) {
            cancel();
        } else if (ended.compareAndSet(false, true)) {
            starting.decrementAndGet();
            gate.stored();
        }
    }

    /** The attempt ends without a trace; its thread gives the slot back. */
    @Override
    public void cancel() {
        if (ended.compareAndSet(false, true)) {
            starting.decrementAndGet();
            gate.abandoned();
        }
    }
}
