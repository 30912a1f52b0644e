package org.jobstack.node;

import org.jobstack.cluster.Signal;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Whether an operator drained this node: a drained node claims no job and fires no trigger, and
 * finishes what it runs. Read at every heartbeat, and at once when another node signals a change.
 */
@Component
public class LocalNode {

    private final NodeStore nodes;
    private final NodeIdentity identity;
    private final ApplicationEventPublisher events;
    private volatile boolean draining;

    LocalNode(NodeStore nodes, NodeIdentity identity, ApplicationEventPublisher events) {
        this.nodes = nodes;
        this.identity = identity;
        this.events = events;
    }

    /** The node was drained or undrained; {@code draining} is its new state. */
    public record DrainChanged(boolean draining) {}

    public boolean draining() {
        return draining;
    }

    /** Reads this node's state again; announces a change. */
    public void refresh() {
        boolean now = nodes.isDraining(identity.id());
        if (now != draining) {
            draining = now;
            events.publishEvent(new DrainChanged(now));
        }
    }

    @EventListener
    void onSignal(Signal signal) {
        if ((signal.topic() == Signal.Topic.NODES && signal.subject().equals(identity.id()))
                || signal.topic() == Signal.Topic.RESYNC) {
            refresh();
        }
    }
}
