package org.jobstack.node;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jobstack.job.JobStore;
import org.springframework.stereotype.Service;

/** The nodes sharing the database, as operators see them: heartbeat and the attempts each one runs. */
@Service
public class Nodes {

    private final NodeStore nodes;
    private final JobStore jobs;
    private final NodeIdentity self;

    public Nodes(NodeStore nodes, JobStore jobs, NodeIdentity self) {
        this.nodes = nodes;
        this.jobs = jobs;
        this.self = self;
    }

    /** A node and its running attempts per worker. */
    public record NodeStatus(
            String id, String host, Instant startedAt, Instant heartbeatAt, Map<String, Long> running) {

        public long runningTotal() {
            return running.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every registered node, in id order. */
    public List<NodeStatus> all() {
        Map<String, Map<String, Long>> running = jobs.runningByNode();
        return nodes.list().stream()
                .map(n -> new NodeStatus(
                        n.id(), n.host(), n.startedAt(), n.heartbeatAt(), running.getOrDefault(n.id(), Map.of())))
                .toList();
    }

    /** The attempts running on this node, per worker. */
    public Map<String, Long> runningHere() {
        return jobs.runningByNode().getOrDefault(self.id(), Map.of());
    }

    public String selfId() {
        return self.id();
    }
}
