package org.jobstack.realtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Supplier;
import org.springframework.stereotype.Component;

/** This node's realtime clients, by instance, and the delivery of events to those that want them. */
@Component
class RealtimeHub {

    private final ConcurrentHashMap<String, Set<RealtimeConnection>> byDomain = new ConcurrentHashMap<>();
    private final RealtimeMessages messages;
    private volatile Runnable onNewDomain = () -> {};

    RealtimeHub(RealtimeMessages messages, MeterRegistry meters) {
        this.messages = messages;
        Gauge.builder(
                        "jobstack.realtime.connections",
                        this,
                        hub -> hub.connections().size())
                .description("Open realtime websockets on this node")
                .register(meters);
    }

    /** Called when clients of an instance that had none here connect (to tell the other nodes). */
    void onNewDomain(Runnable listener) {
        this.onNewDomain = listener;
    }

    void add(RealtimeConnection connection) {
        boolean[] fresh = {false};
        byDomain.compute(connection.domain(), (domain, set) -> {
            Set<RealtimeConnection> connections = set == null ? new CopyOnWriteArraySet<>() : set;
            fresh[0] = set == null;
            connections.add(connection);
            return connections;
        });
        if (fresh[0]) {
            onNewDomain.run();
        }
    }

    void remove(RealtimeConnection connection) {
        byDomain.computeIfPresent(connection.domain(), (domain, set) -> {
            set.remove(connection);
            return set.isEmpty() ? null : set;
        });
    }

    boolean hasClients(String domain) {
        return byDomain.containsKey(domain);
    }

    /** The instances with clients on this node. */
    List<String> domains() {
        return List.copyOf(byDomain.keySet());
    }

    List<RealtimeConnection> connections() {
        return byDomain.values().stream().flatMap(Set::stream).toList();
    }

    /** Sends the event to this node's clients that subscribed to it and may read it; the message is written once. */
    void deliver(RealtimeEvent event) {
        Set<RealtimeConnection> connections = byDomain.get(event.domain());
        if (connections == null) {
            return;
        }
        Supplier<String> message = new Supplier<>() {
            private String text;

            @Override
            public String get() {
                if (text == null) {
                    text = messages.event(event);
                }
                return text;
            }
        };
        for (RealtimeConnection connection : connections) {
            if (connection.wants(event)) {
                connection.outbox().offer(message.get());
            }
        }
    }
}
