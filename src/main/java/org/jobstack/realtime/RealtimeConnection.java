package org.jobstack.realtime;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jobstack.auth.Caller;

/**
 * One client's websocket: the instance it connected to, who it is once its {@code AUTH} came,
 * what it subscribed to, and its {@link Outbox}. Events reach it only for documents its token
 * may read.
 */
final class RealtimeConnection {

    /** A doctype, or one document of it ({@code id} not null). */
    record Subscription(String type, String id) {}

    private final String domain;
    private final Outbox outbox;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Instant openedAt;
    private volatile Caller caller;
    private volatile Instant lastHeard;
    private volatile Instant lastPinged;

    RealtimeConnection(String domain, Outbox outbox, Instant now) {
        this.domain = domain;
        this.outbox = outbox;
        this.openedAt = now;
        this.lastHeard = now;
        this.lastPinged = now;
    }

    String domain() {
        return domain;
    }

    Outbox outbox() {
        return outbox;
    }

    Instant openedAt() {
        return openedAt;
    }

    Caller caller() {
        return caller;
    }

    void authenticated(Caller who) {
        this.caller = who;
    }

    void heard(Instant now) {
        lastHeard = now;
    }

    Instant lastHeard() {
        return lastHeard;
    }

    Instant lastPinged() {
        return lastPinged;
    }

    void pinged(Instant now) {
        lastPinged = now;
    }

    int subscriptionCount() {
        return subscriptions.size();
    }

    void subscribe(String type, String id) {
        subscriptions.add(new Subscription(type, id));
    }

    void unsubscribe(String type, String id) {
        subscriptions.remove(new Subscription(type, id));
    }

    boolean watches(String doctype) {
        return subscriptions.stream().anyMatch(s -> s.type().equals(doctype));
    }

    /** Subscribed to the event's doctype or document, and allowed to read that document. */
    boolean wants(RealtimeEvent event) {
        Caller who = caller;
        if (who == null
                || !(subscriptions.contains(new Subscription(event.doctype(), null))
                        || subscriptions.contains(new Subscription(event.doctype(), event.id())))) {
            return false;
        }
        return who.permissions().allows("GET", event.doctype(), event.id(), event.fields());
    }
}
