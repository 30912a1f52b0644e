package org.jobstack.trigger;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jobstack.common.PageCursor;

/**
 * The part of {@link TriggerRepository} written in SQL: claiming due time triggers across nodes,
 * locking a trigger to serialise its occurrences, reads that must not load whole triggers, pages, and
 * the trigger a webhook call names, read without JPA.
 */
public interface TriggerLocks {

    /** Locks up to {@code limit} due time triggers (skipping those another node holds); their ids, due first. */
    List<String> claimDue(Instant now, int limit);

    /**
     * The trigger of this instance with this id, in one plain query: on the webhook route the JPA
     * lookup cost more CPU than the rest of the call. The trigger is not managed by JPA and carries
     * no watched doctypes (a webhook trigger has none): to be read, not changed.
     */
    Optional<Trigger> readPlain(String id, String domain);

    /** Locks a trigger row until the end of the transaction; false when it no longer exists. */
    boolean lock(String triggerId);

    /** Locks a trigger row unless another transaction holds it; false when held or gone. */
    boolean tryLock(String triggerId);

    /**
     * An instance's triggers in creation order (then id), after {@code after} when given, of the
     * given workers and types (any when empty), at most {@code limit}: one query, whatever the page size.
     */
    List<Trigger> page(
            String domain, Collection<String> workers, Collection<String> types, PageCursor after, int limit);

    /**
     * A page of an instance's triggers in creation order (then id), after {@code after} when given,
     * without loading them whole.
     */
    List<TriggerSummary> summaries(String domain, PageCursor after, int limit);

    /** When the next time trigger that is not paused is due, if any. */
    Instant nextRunAt();

    /**
     * The id and rules of every {@code @event} trigger of an instance watching a doctype, exactly or
     * by a wildcard prefix, in creation order; matching reads these, and loads only the triggers that fire.
     */
    List<EventRules> eventRules(String domain, String doctype, Collection<String> prefixes);

    /** The id and the rules ({@code arguments}) of an {@code @event} trigger. */
    record EventRules(String triggerId, String arguments) {}

    /** The watched doctypes that are one of {@code doctypes} or a wildcard (of any instance). */
    List<WatchedDoctype> watchingAnyOf(Collection<String> doctypes);
}
