package org.jobstack.trigger;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.jobstack.trigger.schedule.CronSchedule;
import org.jobstack.trigger.schedule.Schedule;

/**
 * When a time trigger runs: its first run at creation, and its next run once it has fired. A run
 * missed while no node was up is made once, not once per missed period.
 */
final class TriggerClock {

    private TriggerClock() {}

    /** The first run of a time trigger created at {@code now}; null for other triggers. */
    static Instant firstRun(TriggerSpec spec, Trigger trigger, Instant now, ZoneId zone) {
        if (spec instanceof TriggerSpec.At at) {
            return at.at();
        }
        if (spec instanceof TriggerSpec.In in) {
            return now.plus(in.delay());
        }
        if (spec instanceof TriggerSpec.Every every) {
            return now.plus(every.schedule().period());
        }
        Schedule schedule = recurring(spec, trigger, zone);
        return schedule == null ? null : schedule.next(now).orElseThrow();
    }

    /**
     * The run after the one scheduled at {@code scheduled} and made at {@code now}: the schedule's
     * next time after {@code scheduled}, unless that too is already past, then its next time after
     * {@code now} (so missed runs collapse into the one just made). Empty for one-shot triggers.
     */
    static Optional<Instant> nextRun(TriggerSpec spec, Trigger trigger, Instant scheduled, Instant now, ZoneId zone) {
        if (spec instanceof TriggerSpec.Every every) {
            return Optional.of(every.schedule().nextOnGrid(scheduled, now));
        }
        Schedule schedule = recurring(spec, trigger, zone);
        if (schedule == null) {
            return Optional.empty();
        }
        Optional<Instant> next = schedule.next(scheduled);
        return next.isPresent() && next.get().isBefore(now) ? schedule.next(now) : next;
    }

    private static Schedule recurring(TriggerSpec spec, Trigger trigger, ZoneId zone) {
        if (spec instanceof TriggerSpec.Cron cron) {
            return cron.schedule();
        }
        if (spec instanceof TriggerSpec.Periodically p) {
            String seed = trigger.domain() + "/" + trigger.worker() + "/"
                    + (trigger.message() == null ? "" : trigger.message());
            return CronSchedule.parse(p.periodic().crontab(seed), zone, Instant.EPOCH);
        }
        return null;
    }
}
