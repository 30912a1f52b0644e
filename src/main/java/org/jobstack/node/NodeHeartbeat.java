package org.jobstack.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.jobstack.config.JobstackProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * This node's row, renewed every heartbeat interval: the other nodes' proof that what is leased
 * to this node is still looked after. Registered at start, removed on a clean stop. When the row
 * could not be renewed for a whole lease timeout, other nodes may already be retrying this node's
 * jobs: a {@link Lost} event (at each further failed beat) tells this node to stop them.
 */
@Component
public class NodeHeartbeat implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(NodeHeartbeat.class);
    /** The pool's connection timeout (5 s) and a second. */
    private static final Duration STUCK_BEAT_MARGIN = Duration.ofSeconds(6);

    private final NodeStore nodes;
    private final NodeIdentity node;
    private final LocalNode local;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration interval;
    private final Duration leaseTimeout;
    private final BackgroundLoop loop;
    private volatile Instant lastHeartbeat;
    /** Whether the last beat reached the database; what health reports. */
    private volatile boolean databaseReached = true;
    /** Past this without a beat reaching the database, it counts as not reached. */
    private final Duration staleAfter;

    public NodeHeartbeat(
            NodeStore nodes,
            NodeIdentity node,
            LocalNode local,
            ApplicationEventPublisher events,
            Clock clock,
            JobstackProperties properties) {
        this.nodes = nodes;
        this.node = node;
        this.local = local;
        this.events = events;
        this.clock = clock;
        this.interval = properties.node().heartbeatInterval();
        this.leaseTimeout = properties.node().leaseTimeout();
        this.staleAfter = interval.multipliedBy(2).plus(STUCK_BEAT_MARGIN);
        this.loop = BackgroundLoop.of("node-heartbeat", interval, "Heartbeat pass failed", this::beatPass);
    }

    /** No heartbeat for longer than the lease timeout: this node's leases may have been taken over. */
    public record Lost(String nodeId) {}

    @Override
    public void start() {
        Instant now = clock.instant();
        nodes.register(node.id(), node.host(), node.version(), now);
        lastHeartbeat = now;
        loop.startAfter(interval);
    }

    private Duration beatPass() {
        beat();
        return interval;
    }

    void beat() {
        Instant now = clock.instant();
        try {
            if (!nodes.heartbeat(node.id(), now)) {
                nodes.register(node.id(), node.host(), node.version(), now);
            }
            lastHeartbeat = now;
            databaseReached = true;
            local.refresh();
        } catch (RuntimeException e) {
            databaseReached = false;
            log.atWarn().setCause(e).log("Heartbeat failed");
            if (Duration.between(lastHeartbeat, now).compareTo(leaseTimeout) > 0) {
                log.atError().log("No heartbeat for a whole lease timeout: stopping this node's attempts");
                events.publishEvent(new Lost(node.id()));
            }
        }
    }

    /**
     * Whether the last heartbeat reached the database and one did recently (within two intervals
     * and the pool's connection timeout): a beat stuck on a connection whose answers no longer
     * come counts as not reaching it.
     */
    public boolean databaseReached() {
        return databaseReached && !clock.instant().isAfter(lastHeartbeat.plus(staleAfter));
    }

    public Instant lastHeartbeat() {
        return lastHeartbeat;
    }

    @Override
    public void stop() {
        loop.stop(interval.plusSeconds(5));
        try {
            nodes.remove(node.id());
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("Could not remove this node's row");
        }
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.NODE;
    }
}
