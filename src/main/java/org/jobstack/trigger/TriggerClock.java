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
        return firstRun(spec, seed(trigger), now, zone);
    }

    /** The same for a trigger known by its {@link #seed}, saved or not. */
    static Instant firstRun(TriggerSpec spec, String seed, Instant now, ZoneId zone) {
        if (spec instanceof TriggerSpec.At at) {
            return at.at();
        }
        if (spec instanceof TriggerSpec.In in) {
            return now.plus(in.delay());
        }
        if (spec instanceof TriggerSpec.Every every) {
            return now.plus(every.schedule().period());
        }
        Schedule schedule = recurring(spec, seed, zone);
        return schedule == null ? null : schedule.next(now).orElseThrow();
    }

    /**
     * The run after the one scheduled at {@code scheduled} and made at {@code now}: the schedule's
     * next time after {@code scheduled}, unless that too is already past, then its next time after
     * {@code now} (so missed runs collapse into the one just made). Empty for one-shot triggers.
     * Always after {@code scheduled}, even when {@code now} is a little before it: the database
     * keeps microseconds, so a time rounded up there is due to a poll whose time is rounded up too.
     */
    static Optional<Instant> nextRun(TriggerSpec spec, Trigger trigger, Instant scheduled, Instant now, ZoneId zone) {
        return nextRun(spec, seed(trigger), scheduled, now, zone);
    }

    static Optional<Instant> nextRun(TriggerSpec spec, String seed, Instant scheduled, Instant now, ZoneId zone) {
        if (spec instanceof TriggerSpec.Every every) {
            return Optional.of(every.schedule().nextOnGrid(scheduled, now.isBefore(scheduled) ? scheduled : now));
        }
        Schedule schedule = recurring(spec, seed, zone);
        if (schedule == null) {
            return Optional.empty();
        }
        Optional<Instant> next = schedule.next(scheduled);
        return next.isPresent() && next.get().isBefore(now) ? schedule.next(now) : next;
    }

    /**
     * What picks the time of an {@code @hourly/@daily/@weekly/@monthly} trigger in its window: its
     * instance, worker and message.
     */
    static String seed(String domain, String worker, String message) {
        return domain + "/" + worker + "/" + (message == null ? "" : message);
    }

    private static String seed(Trigger trigger) {
        return seed(trigger.domain(), trigger.worker(), trigger.message());
    }

    private static Schedule recurring(TriggerSpec spec, String seed, ZoneId zone) {
        if (spec instanceof TriggerSpec.Cron cron) {
            return cron.schedule();
        }
        if (spec instanceof TriggerSpec.Periodically p) {
            return CronSchedule.parse(p.periodic().crontab(seed), zone, Instant.EPOCH);
        }
        return null;
    }
}
