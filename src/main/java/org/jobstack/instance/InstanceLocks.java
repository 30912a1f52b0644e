package org.jobstack.instance;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.jobstack.common.PageCursor;

/**
 * The part of {@link InstanceRepository} written by hand: the row locks of event batches and how
 * long they wait, the pages after a cursor and the event rules tag (queries that Hibernate reads at
 * their first use, not Spring Data at start-up).
 */
public interface InstanceLocks {

    /** Lock waits of the current transaction end with a lock failure after {@code wait} ({@link org.jobstack.common.Database#boundLockWaits}). */
    void boundLockWaits(Duration wait);

    /**
     * Locks the instance's row until the current transaction ends and reads its event rules tag;
     * empty when there is no such instance. A plain SQL lock, not an entity load: an event batch
     * needs nothing else of the instance (its secret is not even decrypted).
     */
    OptionalLong lockEventRulesTag(String domain);

    /** A page of instances in creation order (then domain), after {@code after} (created at, domain). */
    List<Instance> pageAfter(PageCursor after, int limit);

    /** Sets the instance's event rules tag; how many instances were changed (0 or 1). */
    int retagEventRules(String domain, long tag);
}
