package org.jobstack.job.run;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.Job;
import org.jobstack.job.JobLeases;
import org.jobstack.job.JobStore;
import org.jobstack.node.NodeHeartbeat;
import org.jobstack.node.NodeIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Looks after leases. At start it takes back the jobs its previous life left running (same node
 * id). Every heartbeat interval it stops the attempts whose cancel was asked on another node, and
 * requeues or fails the running jobs of nodes whose heartbeat is older than the lease timeout.
 * When this node's own heartbeat is lost, it stops its attempts, since other nodes may already be
 * retrying them. And it recovers the jobs leased to this node that this node is not running nor
 * writing an outcome for, two passes in a row: a claim whose commit the node never learned of (the
 * connection cut at commit), an outcome given up; its lease would never expire while it lives.
 */
@Component
class LeaseKeeper implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final JobStore jobs;
    private final JobLeases leases;
    private final NodeIdentity node;
    private final OrphanedJobs orphans;
    private final JobExecutor executor;
    private final Clock clock;
    private final Duration interval;
    private final Duration leaseTimeout;
    private final BackgroundLoop loop;
    private final JobDispatcher dispatcher;
    private final Completions completions;
    /** Jobs leased here that this node did not know of at the last pass. */
    private Set<String> unknownBefore = Set.of();
    /** When the last pass started reading the jobs leased here ({@link System#nanoTime()}). */
    private long unknownBeforeReadAt;

    public LeaseKeeper(
            JobStore jobs,
            JobLeases leases,
            NodeIdentity node,
            OrphanedJobs orphans,
            JobExecutor executor,
            JobDispatcher dispatcher,
            Completions completions,
            Clock clock,
            JobstackProperties properties) {
        this.dispatcher = dispatcher;
        this.completions = completions;
        this.jobs = jobs;
        this.leases = leases;
        this.node = node;
        this.orphans = orphans;
        this.executor = executor;
        this.clock = clock;
        this.interval = properties.node().heartbeatInterval();
        this.leaseTimeout = properties.node().leaseTimeout();
        this.loop = BackgroundLoop.of("lease-keeper", interval, "Lease keeping failed", this::keepPass);
    }

    @Override
    public void start() {
        int recovered = orphans.recover(node.id(), "node " + node.id() + " restarted while the job was running");
        if (recovered > 0) {
            log.atWarn()
                    .addKeyValue("jobs", recovered)
                    .log("Recovered {} jobs left running by this node's previous run", recovered);
        }
        loop.startAfter(interval);
    }

    private Duration keepPass() {
        jobs.cancelRequested(node.id()).forEach(c -> executor.cancel(c.id(), c.reason()));
        Instant now = clock.instant();
        for (String dead : orphans.deadOwners(now.minus(leaseTimeout))) {
            int n = orphans.recover(dead, "node " + dead + " stopped sending heartbeats (lease expired)");
            log.atWarn().addKeyValue("node", dead).addKeyValue("jobs", n).log("Recovered jobs of a dead node");
        }
        recoverJobsThisNodeLostTrackOf();
        return interval;
    }

    private void recoverJobsThisNodeLostTrackOf() {
        long readAt = System.nanoTime();
        List<Job> leased = leases.leasedBy(node.id());
        // Asked before the jobs are looked up: a claim that has returned by now has made its jobs known.
        boolean earlierClaimUnderWay = dispatcher.claimingSince(unknownBeforeReadAt);
        Set<String> unknown = new HashSet<>();
        for (Job job : leased) {
            if (!dispatcher.handles(job.id()) && !completions.holds(job.id())) {
                unknown.add(job.id());
            }
        }
        Set<String> confirmed = new HashSet<>(unknown);
        confirmed.retainAll(unknownBefore);
        if (earlierClaimUnderWay) {
            // A claim that began before the last pass read the jobs has not returned yet (its
            // thread waits for a core): the jobs unknown since may be its own, committed and not
            // known here yet. They stay unknown until it returns.
            confirmed.clear();
        }
        if (!confirmed.isEmpty()) {
            int n = orphans.recover(
                    node.id(),
                    "node " + node.id()
                            + " lost track of the job (its claim or outcome was not confirmed by the database)",
                    job -> confirmed.contains(job.id()));
            log.atWarn().addKeyValue("jobs", n).log("Recovered {} jobs this node had lost track of", n);
        }
        unknown.removeAll(confirmed);
        unknownBefore = unknown;
        unknownBeforeReadAt = readAt;
    }

    @EventListener
    void onHeartbeatLost(NodeHeartbeat.Lost lost) {
        executor.giveBackAll("node " + node.id() + " lost its lease (no heartbeat)");
    }

    @Override
    public void stop() {
        loop.stop(interval.plusSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.LEASES;
    }
}
