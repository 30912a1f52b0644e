package org.jobstack.instance;

import java.time.Duration;
import java.util.OptionalLong;

/** The part of {@link InstanceRepository} written in SQL: the row locks of event batches, and how long they wait. */
public interface InstanceLocks {

    /** Lock waits of the current transaction end with a lock failure after {@code wait} ({@link org.jobstack.common.Database#boundLockWaits}). */
    void boundLockWaits(Duration wait);

    /**
     * Locks the instance's row until the current transaction ends and reads its event rules tag;
     * empty when there is no such instance. A plain SQL lock, not an entity load: an event batch
     * needs nothing else of the instance (its secret is not even decrypted).
     */
    OptionalLong lockEventRulesTag(String domain);
}
