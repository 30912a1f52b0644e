package org.jobstack.cluster;

/**
 * Wakes the other nodes sharing the database. Call it once the change it announces is committed
 * (it is sent as soon as possible, coalesced with other signals). On a single node (H2) it does
 * nothing: the node's own events already wake it.
 */
public interface ClusterSignals {

    void broadcast(Signal signal);

    default void broadcast(Signal.Topic topic, String subject) {
        broadcast(Signal.of(topic, subject));
    }
}
