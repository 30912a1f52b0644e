package org.jobstack.job;

import java.util.concurrent.CountDownLatch;

/**
 * Whether the transaction storing a job started at once ({@link ImmediateStarts}) has committed.
 * The job's worker thread is given it before that commit, so that the attempt is prepared (files,
 * credentials, environment) while the commit is under way; nothing the job does may be seen before
 * it, so the runner waits here first ({@link Attempt#awaitStored}), or leaves here the one step
 * that starts the job, for the committing thread to take as soon as it has committed
 * ({@link Attempt#whenStored}: no thread wake-up between the commit and the job). A job claimed
 * from the queue is stored already: its gate is {@link #OPEN}.
 */
public final class StartGate {

    public static final StartGate OPEN = open();

    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stored;
    /** The step to take once stored, left by a runner before the end of the transaction. */
    private Runnable onStored;

    private volatile RuntimeException onStoredFailed;

    /** The transaction committed: the job exists. Takes the step left to take then, if any. */
    public void stored() {
        Runnable step;
        synchronized (this) {
            stored = true;
            step = onStored;
            onStored = null;
        }
        if (step != null) {
            try {
                step.run();
            } catch (RuntimeException e) {
                onStoredFailed = e;
            }
        }
        ended.countDown();
    }

    /**
     * Takes {@code step} once the job is stored: at once on this thread if it is, else on the thread
     * that commits. {@link #await} then returns once it is taken, or throws what it threw.
     */
    public void whenStored(Runnable step) {
        synchronized (this) {
            if (!stored && ended.getCount() > 0) {
                onStored = step;
                return;
            }
        }
        if (stored) {
            step.run();
        }
    }

    /** The transaction did not commit: the job does not exist, and its attempt must leave no trace. */
    public void abandoned() {
        ended.countDown();
    }

    /** Whether a runner has left a step to take once stored, not taken yet. */
    synchronized boolean hasStepLeft() {
        return onStored != null;
    }

    /** Waits for the end of the transaction; throws {@link NeverStored} when it did not commit. */
    public void await() throws InterruptedException {
        if (ended.getCount() > 0) {
            ended.await();
        }
        if (!stored) {
            throw new NeverStored();
        }
        if (onStoredFailed != null) {
            throw onStoredFailed;
        }
    }

    private static StartGate open() {
        StartGate gate = new StartGate();
        gate.stored();
        return gate;
    }

    /** The attempt of a job whose transaction did not commit: it ends without an outcome. */
    public static final class NeverStored extends RuntimeException {
        NeverStored() {
            super("the job's transaction did not commit", null, false, false);
        }
    }
}
