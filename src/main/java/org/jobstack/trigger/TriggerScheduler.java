package org.jobstack.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jobstack.cluster.ClusterSignals;
import org.jobstack.cluster.Signal;
import org.jobstack.common.BackgroundLoop;
import org.jobstack.common.Phases;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.node.LocalNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires due time triggers and closes due debounce windows, on every node that is not drained. A due trigger is
 * claimed with {@code FOR UPDATE SKIP LOCKED}; its job is created and its next run set (or the
 * one-shot trigger deleted) in the same transaction, so each due time fires exactly once across
 * nodes. A run missed while every node was down is made once, at the next poll.
 */
@Component
class TriggerScheduler implements SmartLifecycle {

    static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(TriggerScheduler.class);

    private final TriggerRepository triggers;
    private final DebounceStore windows;
    private final TriggerFiring firing;
    private final Debouncer debouncer;
    private final TransactionTemplate tx;
    private final LocalNode local;
    private final ClusterSignals signals;
    private final Clock clock;
    private final Duration pollInterval;
    private final ZoneId zone;
    private final BackgroundLoop loop;

    public TriggerScheduler(
            TriggerRepository triggers,
            DebounceStore windows,
            TriggerFiring firing,
            Debouncer debouncer,
            PlatformTransactionManager transactions,
            LocalNode local,
            ClusterSignals signals,
            Clock clock,
            JobstackProperties properties) {
        this.windows = windows;
        this.triggers = triggers;
        this.firing = firing;
        this.debouncer = debouncer;
        this.tx = new TransactionTemplate(transactions);
        this.local = local;
        this.signals = signals;
        this.clock = clock;
        this.pollInterval = properties.jobs().pollInterval();
        this.zone = properties.triggers().timeZone();
        this.loop = BackgroundLoop.of(
                "trigger-scheduler",
                pollInterval,
                "Scheduling failed; retrying after the poll interval",
                this::schedulePass);
    }

    /** Something due sooner may exist: a trigger or a debounce window was created or changed. */
    public record ScheduleChanged() {}

    /** Changed on this node (once committed): looked at again here, and by the other nodes. */
    @EventListener
    void onScheduleChanged(ScheduleChanged changed) {
        loop.wake();
        signals.broadcast(Signal.Topic.SCHEDULE, "");
    }

    @EventListener
    void onSignal(Signal signal) {
        if (signal.topic() == Signal.Topic.SCHEDULE || signal.topic() == Signal.Topic.RESYNC) {
            loop.wake();
        }
    }

    @EventListener
    void onDrainChanged(LocalNode.DrainChanged changed) {
        loop.wake();
    }

    /** Fires what is due at {@code now}; returns how many triggers and windows were handled. */
    public int pollOnce(Instant now) {
        Integer fired = tx.execute(s -> fireDueTriggers(now));
        return (fired == null ? 0 : fired) + debouncer.closeDue(now, BATCH);
    }

    private int fireDueTriggers(Instant now) {
        List<String> ids = triggers.claimDue(now, BATCH);
        for (Trigger trigger : triggers.findAllById(ids)) {
            Instant scheduled = trigger.nextRunAt();
            TriggerSpec spec;
            try {
                spec = TriggerSpecs.parse(trigger.type(), trigger.arguments(), now, zone);
            } catch (Problem unreadable) {
                log.atError()
                        .addKeyValue("trigger_id", trigger.id())
                        .log("Unschedulable trigger: {}", unreadable.getMessage());
                trigger.scheduleAt(null);
                continue;
            }
            try {
                firing.fire(trigger, Occurrence.SCHEDULED);
            } catch (Problem refused) {
                log.atWarn()
                        .addKeyValue("trigger_id", trigger.id())
                        .addKeyValue("domain", trigger.domain())
                        .log("Trigger fired but no job was made: {}", refused.getMessage());
            }
            Optional<Instant> next = TriggerClock.nextRun(spec, trigger, scheduled, now, zone);
            if (next.isPresent()) {
                trigger.scheduleAt(next.get());
            } else {
                triggers.delete(trigger);
            }
        }
        return ids.size();
    }

    @Override
    public void start() {
        loop.start();
    }

    /** Fires what is due; then at once again when a whole batch was due, else waits for the next due time. */
    private Duration schedulePass() {
        if (local.draining()) {
            return pollInterval;
        }
        if (pollOnce(clock.instant()) >= BATCH) {
            return Duration.ZERO;
        }
        Duration wait = pollInterval;
        try {
            Instant due = earliest(triggers.nextRunAt(), windows.nextClose());
            if (due != null) {
                wait = Duration.ofMillis(Math.max(
                        5,
                        Math.min(
                                wait.toMillis(),
                                Duration.between(clock.instant(), due).toMillis())));
            }
        } catch (RuntimeException e) {
            log.atDebug().setCause(e).log("Next due time unknown; waiting the poll interval");
        }
        return wait;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null || a.isBefore(b) ? a : b;
    }

    @Override
    public void stop() {
        loop.stop(Duration.ofSeconds(5));
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public int getPhase() {
        return Phases.TRIGGER_SCHEDULER;
    }
}
