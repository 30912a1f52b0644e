package org.jobstack.event;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jobstack.trigger.TriggerRepository;
import org.jobstack.trigger.WatchedDoctype;
import org.springframework.stereotype.Component;

/**
 * Which instances have {@code @event} triggers on Jobstack's own doctypes, cached for a second so
 * that job changes of instances nobody watches cost nothing. A trigger created on another node is
 * seen within that second.
 */
@Component
class InternalWatchers {

    static final List<String> DOCTYPES = List.of("io.cozy.jobs", "io.cozy.triggers", "io.cozy.apps");
    private static final Duration TTL = Duration.ofSeconds(1);

    private final TriggerRepository triggers;
    private final Clock clock;
    private volatile Set<String> watched = Set.of();
    private volatile Instant loadedAt = Instant.MIN;

    InternalWatchers(TriggerRepository triggers, Clock clock) {
        this.triggers = triggers;
        this.clock = clock;
    }

    boolean watches(String domain, String doctype) {
        Instant now = clock.instant();
        if (loadedAt.plus(TTL).isBefore(now) || loadedAt.isAfter(now)) {
            reload(now);
        }
        return watched.contains(domain + " " + doctype);
    }

    void invalidate() {
        loadedAt = Instant.MIN;
    }

    private synchronized void reload(Instant now) {
        Set<String> keys = new HashSet<>();
        for (WatchedDoctype w : triggers.watchingAnyOf(DOCTYPES)) {
            for (String internal : DOCTYPES) {
                if (w.wildcard() ? internal.startsWith(w.doctype() + ".") : internal.equals(w.doctype())) {
                    keys.add(w.domain() + " " + internal);
                }
            }
        }
        watched = keys;
        loadedAt = now;
    }
}
