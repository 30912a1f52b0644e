package org.jobstack.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The parsed {@code @event} rules of an instance's doctype, kept between event batches while the
 * instance's event rules tag is the one they were read under (every node sees the tag change in the
 * transaction that creates or deletes an {@code @event} trigger). Bounded by the number of triggers
 * held, least recently used first out; a doctype watched by more triggers than the bound is read
 * for each batch, as it would be without the cache. An entry is also read again after {@link
 * #MAX_AGE}, so that triggers written to the database without the application (a restore, say)
 * are seen within that time.
 */
@Component
class EventRulesCache {

    static final int DEFAULT_MAX_WATCHERS = 20_000;
    static final Duration MAX_AGE = Duration.ofMinutes(1);

    private record Key(String domain, String doctype) {}

    private record Entry(long tag, EventWatchers watchers, Instant readAt) {}

    private final Clock clock;
    private final int maxWatchers;
    private final Map<Key, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);
    private int held;

    @Autowired
    EventRulesCache(Clock clock) {
        this(clock, DEFAULT_MAX_WATCHERS);
    }

    EventRulesCache(Clock clock, int maxWatchers) {
        this.clock = clock;
        this.maxWatchers = maxWatchers;
    }

    /** The watchers of the doctype, read by {@code load} unless held under the same tag. */
    EventWatchers get(String domain, String doctype, long tag, Supplier<EventWatchers> load) {
        Key key = new Key(domain, doctype);
        Instant now = clock.instant();
        synchronized (this) {
            Entry entry = entries.get(key);
            if (entry != null
                    && entry.tag() == tag
                    && entry.readAt().plus(MAX_AGE).isAfter(now)) {
                return entry.watchers();
            }
        }
        EventWatchers loaded = load.get();
        synchronized (this) {
            Entry previous = entries.remove(key);
            if (previous != null) {
                held -= previous.watchers().size();
            }
            if (loaded.size() <= maxWatchers) {
                entries.put(key, new Entry(tag, loaded, now));
                held += loaded.size();
                evictBeyondBound();
            }
        }
        return loaded;
    }

    synchronized int heldWatchers() {
        return held;
    }

    private void evictBeyondBound() {
        Iterator<Entry> eldestFirst = entries.values().iterator();
        while (held > maxWatchers && eldestFirst.hasNext()) {
            held -= eldestFirst.next().watchers().size();
            eldestFirst.remove();
        }
    }
}
