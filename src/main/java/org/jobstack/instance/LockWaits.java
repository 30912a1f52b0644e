package org.jobstack.instance;

import java.time.Duration;

/** The part of {@link InstanceRepository} written in SQL: how long the current transaction waits for row locks. */
public interface LockWaits {

    /** Lock waits of the current transaction end with a lock failure after {@code wait} ({@link org.jobstack.common.Database#boundLockWaits}). */
    void boundLockWaits(Duration wait);
}
