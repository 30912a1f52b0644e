package org.jobstack.job.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jobstack.common.GentleShutdown;
import org.jobstack.config.JobstackProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.jobstack.job.JobStore;
import org.jobstack.node.NodeIdentity;
import org.jobstack.node.NodeStore;

/**
 * Keeps this node's leases alive and collects the leases of dead nodes.
 *
 * <p>At start it takes back the jobs its previous life left running (same node id). Every
 * heartbeat interval it renews its node row, and requeues or fails the running jobs of nodes
 * whose heartbeat is older than the lease timeout. A node that cannot renew its own heartbeat for
 * a whole lease timeout stops its attempts, since other nodes may already be retrying them.
 */
@Component
public class LeaseKeeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final NodeStore nodes;
    private final JobStore jobs;
    private final NodeIdentity node;
    private final OrphanedJobs orphans;
    private final JobExecutor executor;
    private final Clock clock;
    private final Duration heartbeatInterval;
    private final Duration leaseTimeout;
    private ScheduledExecutorService scheduler;
    private volatile Instant lastHeartbeat;
    private volatile boolean running;

    public LeaseKeeper(NodeStore nodes, JobStore jobs, NodeIdentity node, OrphanedJobs orphans, JobExecutor executor,
                       Clock clock, JobstackProperties properties) {
        this.nodes = nodes;
        this.jobs = jobs;
        this.node = node;
        this.orphans = orphans;
        this.executor = executor;
        this.clock = clock;
        this.heartbeatInterval = properties.node().heartbeatInterval();
        this.leaseTimeout = properties.node().leaseTimeout();
    }

    @Override
    public void start() {
        Instant now = clock.instant();
        nodes.register(node.id(), node.host(), now);
        lastHeartbeat = now;
        int recovered = orphans.recover(node.id(), "node " + node.id() + " restarted while the job was running");
        if (recovered > 0) {
            log.atWarn().addKeyValue("jobs", recovered).log("Recovered {} jobs left running by this node's previous run",
                    recovered);
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lease-keeper");
            t.setDaemon(true);
            return t;
        });
        long period = heartbeatInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        running = true;
    }

    void beat() {
        Instant now = clock.instant();
        try {
            if (!nodes.heartbeat(node.id(), now)) {
                nodes.register(node.id(), node.host(), now);
            }
            lastHeartbeat = now;
            jobs.cancelRequested(node.id()).forEach(id -> executor.cancel(id, "cancelled from the API"));
            for (String dead : orphans.deadOwners(now.minus(leaseTimeout))) {
                int n = orphans.recover(dead, "node " + dead + " stopped sending heartbeats (lease expired)");
                log.atWarn().addKeyValue("node", dead).addKeyValue("jobs", n).log("Recovered jobs of a dead node");
            }
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("Heartbeat failed");
            if (Duration.between(lastHeartbeat, now).compareTo(leaseTimeout) > 0) {
                log.atError().log("No heartbeat for a whole lease timeout: stopping this node's attempts");
                executor.giveBackAll("node " + node.id() + " lost its lease (no heartbeat)");
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        if (scheduler != null) {
            GentleShutdown.stop(scheduler, heartbeatInterval.plusSeconds(5));
        }
        try {
            nodes.remove(node.id());
        } catch (RuntimeException e) {
            log.atWarn().setCause(e).log("Could not remove this node's row");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return JobDispatcher.PHASE - 10;
    }
}
