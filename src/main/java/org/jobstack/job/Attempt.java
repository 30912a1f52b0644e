package org.jobstack.job;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One execution of a job: its number (1-based), its deadline, where its log lines go, and a
 * cancellation hook the runner installs (e.g. killing its process tree).
 */
public final class Attempt {

    private final Job job;
    private final Instant deadline;
    private final JobLog log;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<String> cancelReason = new AtomicReference<>();
    private volatile boolean giveBack;
    private final AtomicReference<Runnable> onCancel = new AtomicReference<>();
    private volatile Integer exitCode;
    private final StartGate gate;

    public Attempt(Job job, Instant deadline, JobLog log, StartGate gate) {
        this.job = job;
        this.deadline = deadline;
        this.log = log;
        this.gate = gate;
    }

    /**
     * Returns once the job is stored (at once for a job claimed from the queue): a runner that
     * prepares its attempt first calls it before the job can do anything seen from outside.
     *
     * @throws StartGate.NeverStored when the transaction that was storing the job did not commit
     */
    public void awaitStored() throws InterruptedException {
        gate.await();
    }

    public Job job() {
        return job;
    }

    public int number() {
        return job.attempts();
    }

    public Instant deadline() {
        return deadline;
    }

    public JobLog log() {
        return log;
    }

    /** Registers what to do on cancel; runs it at once if the attempt is already cancelled. */
    public void onCancel(Runnable action) {
        onCancel.set(action);
        if (cancelled.get()) {
            action.run();
        }
    }

    /**
     * Stops the attempt. With {@code giveBack} (node shutdown) the job goes back to the queue and
     * the attempt does not count; otherwise (an operator's cancel) the job ends errored.
     */
    public void cancel(String reason, boolean giveBack) {
        if (cancelled.compareAndSet(false, true)) {
            this.giveBack = giveBack;
            cancelReason.set(reason);
            Runnable action = onCancel.get();
            if (action != null) {
                action.run();
            }
        }
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    public String cancelReason() {
        return cancelReason.get();
    }

    /** The exit status of the attempt's process, for runners that start one. */
    public void exitCode(int code) {
        this.exitCode = code;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public boolean givesBack() {
        return giveBack;
    }
}
