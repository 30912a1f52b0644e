package org.jobstack.node;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.JobStatistics;
import org.springframework.stereotype.Service;

/**
 * The nodes sharing the database, as operators see and steer them: version, heartbeat, the
 * attempts each runs, and draining (a drained node claims nothing and finishes what it runs).
 */
@Service
public class Nodes {

    private final NodeStore nodes;
    private final JobStatistics jobs;
    private final NodeIdentity self;
    private final LocalNode local;
    private final ClusterSignals signals;
    private final Clock clock;
    private final Duration leaseTimeout;

    public Nodes(
            NodeStore nodes,
            JobStatistics jobs,
            NodeIdentity self,
            LocalNode local,
            ClusterSignals signals,
            Clock clock,
            JobstackProperties properties) {
        this.nodes = nodes;
        this.jobs = jobs;
        this.self = self;
        this.local = local;
        this.signals = signals;
        this.clock = clock;
        this.leaseTimeout = properties.node().leaseTimeout();
    }

    /** {@code lost}: no heartbeat for a lease timeout; its running jobs are being taken over. */
    public enum NodeState {
        ACTIVE,
        DRAINING,
        LOST;

        public String value() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A node, its state and its running attempts per worker. */
    public record NodeStatus(
            String id,
            String host,
            String version,
            Instant startedAt,
            Instant heartbeatAt,
            Duration heartbeatAge,
            NodeState state,
            boolean self,
            Map<String, Long> running) {

        public long runningTotal() {
            return running.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every registered node, in id order. */
    public List<NodeStatus> all() {
        Map<String, Map<String, Long>> running = jobs.runningByNode();
        Instant now = clock.instant();
        return nodes.list().stream().map(n -> status(n, now, running)).toList();
    }

    public NodeStatus get(String id) {
        return all().stream()
                .filter(n -> n.id().equals(id))
                .findFirst()
                .orElseThrow(() -> Problem.notFound("No node " + id));
    }

    /** Stops a node claiming jobs and firing triggers; what it runs ends normally. */
    public NodeStatus drain(String id) {
        return setDraining(id, true);
    }

    public NodeStatus undrain(String id) {
        return setDraining(id, false);
    }

    /** The attempts running on this node, per worker. */
    public Map<String, Long> runningHere() {
        return jobs.runningByNode().getOrDefault(self.id(), Map.of());
    }

    public String selfId() {
        return self.id();
    }

    private NodeStatus setDraining(String id, boolean draining) {
        if (!nodes.setDraining(id, draining)) {
            throw Problem.notFound("No node " + id);
        }
        if (id.equals(self.id())) {
            local.refresh();
        }
        signals.broadcast(Signal.Topic.NODES, id);
        return get(id);
    }

    private NodeStatus status(NodeStore.NodeRow n, Instant now, Map<String, Map<String, Long>> running) {
        Duration age = Duration.between(n.heartbeatAt(), now);
        NodeState state =
                age.compareTo(leaseTimeout) > 0 ? NodeState.LOST : n.draining() ? NodeState.DRAINING : NodeState.ACTIVE;
        return new NodeStatus(
                n.id(),
                n.host(),
                n.version(),
                n.startedAt(),
                n.heartbeatAt(),
                age,
                state,
                n.id().equals(self.id()),
                running.getOrDefault(n.id(), Map.of()));
    }
}
