package org.jobstack.job;

import java.time.Instant;
import java.util.Optional;

/**
 * Lets a job queued while this node has a free slot for its worker, and no job of that worker is
 * known to wait, skip the queue: it is stored already claimed by this node and starts as soon as
 * its transaction commits, one claim transaction and one thread hand-off fewer between an event
 * and its service. What others see is what a claim at once would give: the job is announced
 * created as queued, then changed to running, both in the transaction that stores it.
 */
public interface ImmediateStarts {

    /** A slot of this node kept for one job until the transaction storing it ends. */
    interface Start {

        /** The job as it must be stored: running, its first attempt leased to this node. */
        Job job();

        /**
         * Lets the job run once the current transaction commits (its worker thread has it already,
         * to prepare meanwhile); it ends without a trace and gives the slot back if it does not.
         */
        void startAfterCommit();

        /** Gives the slot back at once: the job could not be stored. */
        void cancel();
    }

    /** A slot for {@code queued}, when this node can start it at once. */
    Optional<Start> reserve(Job queued, Instant now);
}
