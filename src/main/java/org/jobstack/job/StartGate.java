package org.jobstack.job;

import java.util.concurrent.CountDownLatch;

/**
 * Whether the transaction storing a job started at once ({@link ImmediateStarts}) has committed.
 * The job's worker thread is given it before that commit, so that the attempt is prepared (files,
 * credentials, environment) while the commit is under way; nothing the job does may be seen before
 * it, so the runner waits here first ({@link Attempt#awaitStored}). A job claimed from the queue
 * is stored already: its gate is {@link #OPEN}.
 */
public final class StartGate {

    public static final StartGate OPEN = open();

    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean stored;

    /** The transaction committed: the job exists. */
    public void stored() {
        stored = true;
        ended.countDown();
    }

    /** The transaction did not commit: the job does not exist, and its attempt must leave no trace. */
    public void abandoned() {
        ended.countDown();
    }

    /** Waits for the end of the transaction; throws {@link NeverStored} when it did not commit. */
    public void await() throws InterruptedException {
        if (ended.getCount() > 0) {
            ended.await();
        }
        if (!stored) {
            throw new NeverStored();
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
