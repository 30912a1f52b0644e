package org.jobstack.trigger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.jobstack.common.AfterCommit;
import org.jobstack.config.JobstackProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pausing and resuming a trigger. While paused, its events, webhook calls and due times make no
 * job (webhook callers get a 409), and an open debounce window stays open. On resume a recurring
 * trigger skips the runs it missed and waits for its next one; a one-shot trigger whose time
 * passed meanwhile runs at once, since dropping it would lose it.
 */
@Service
public class TriggerPauses {

    private final TriggerService triggers;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ZoneId zone;

    public TriggerPauses(
            TriggerService triggers, ApplicationEventPublisher events, Clock clock, JobstackProperties properties) {
        this.triggers = triggers;
        this.events = events;
        this.clock = clock;
        this.zone = properties.triggers().timeZone();
    }

    @Transactional
    public Trigger pause(String domain, String id) {
        Trigger trigger = triggers.get(domain, id);
        trigger.pause(true, clock.instant());
        return trigger;
    }

    @Transactional
    public Trigger resume(String domain, String id) {
        Trigger trigger = triggers.get(domain, id);
        Instant now = clock.instant();
        trigger.pause(false, now);
        Instant scheduled = trigger.nextRunAt();
        if (scheduled != null && scheduled.isBefore(now)) {
            TriggerSpec spec = TriggerSpecs.parse(trigger.type(), trigger.arguments(), now, zone);
            TriggerClock.nextRun(spec, trigger, scheduled, now, zone).ifPresent(trigger::scheduleAt);
        }
        AfterCommit.run(() -> events.publishEvent(new TriggerScheduler.ScheduleChanged()));
        return trigger;
    }
}
