package org.jobstack.trigger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fires due time triggers and closes due debounce windows, on every node. A due trigger is
 * claimed with {@code FOR UPDATE SKIP LOCKED}; its job is created and its next run set (or the
 * one-shot trigger deleted) in the same transaction, so each due time fires exactly once across
 * nodes. A run missed while every node was down is made once, at the next poll.
 */
@Component
public class TriggerScheduler implements SmartLifecycle {

    static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(TriggerScheduler.class);

    private final TriggerStore store;
    private final TriggerRepository triggers;
    private final TriggerFiring firing;
    private final Debouncer debouncer;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration pollInterval;
    private final ZoneId zone;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running;
    private Thread thread;

    public TriggerScheduler(TriggerStore store, TriggerRepository triggers, TriggerFiring firing, Debouncer debouncer,
                            PlatformTransactionManager transactions, Clock clock, JobstackProperties properties) {
        this.store = store;
        this.triggers = triggers;
        this.firing = firing;
        this.debouncer = debouncer;
        this.tx = new TransactionTemplate(transactions);
        this.clock = clock;
        this.pollInterval = properties.jobs().pollInterval();
        this.zone = properties.triggers().timeZone();
    }

    /** Something due sooner may exist: a trigger or a debounce window was created or changed. */
    public record ScheduleChanged() {
    }

    @EventListener
    void onScheduleChanged(ScheduleChanged changed) {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Fires what is due at {@code now}; returns how many triggers and windows were handled. */
    public int pollOnce(Instant now) {
        Integer fired = tx.execute(s -> fireDueTriggers(now));
        return (fired == null ? 0 : fired) + debouncer.closeDue(now, BATCH);
    }

    private int fireDueTriggers(Instant now) {
        List<String> ids = store.claimDue(now, BATCH);
        for (Trigger trigger : triggers.findAllById(ids)) {
            Instant scheduled = trigger.nextRunAt();
            TriggerSpec spec;
            try {
                spec = TriggerSpecs.parse(trigger.type(), trigger.arguments(), now, zone);
            } catch (Problem unreadable) {
                log.atError().addKeyValue("trigger_id", trigger.id()).log("Unschedulable trigger: {}",
                        unreadable.getMessage());
                trigger.scheduleAt(null);
                continue;
            }
            try {
                firing.fire(trigger, Occurrence.SCHEDULED);
            } catch (Problem refused) {
                log.atWarn().addKeyValue("trigger_id", trigger.id()).addKeyValue("domain", trigger.domain())
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
        running = true;
        thread = new Thread(this::loop, "trigger-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (running) {
            int handled = 0;
            try {
                handled = pollOnce(clock.instant());
            } catch (RuntimeException e) {
                log.atWarn().setCause(e).log("Scheduling failed; retrying after the poll interval");
            }
            if (handled < BATCH) {
                sleep();
            }
        }
    }

    private void sleep() {
        long millis = pollInterval.toMillis();
        try {
            Instant due = store.nextDue();
            if (due != null) {
                millis = Math.max(5, Math.min(millis, Duration.between(clock.instant(), due).toMillis()));
            }
        } catch (RuntimeException e) {
            // keep the poll interval
        }
        synchronized (signal) {
            if (!woken && running) {
                try {
                    signal.wait(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    @Override
    public void stop() {
        running = false;
        onScheduleChanged(new ScheduleChanged());
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }
}
