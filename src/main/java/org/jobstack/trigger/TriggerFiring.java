package org.jobstack.trigger;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.jobstack.common.GoDuration;
import org.jobstack.job.GroupedPushes;
import org.jobstack.job.Job;
import org.jobstack.job.JobQueue;
import org.jobstack.job.JobRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Turns an occurrence of a trigger (an event, a webhook call, a due time, a launch) into a queued
 * job, or into a debounce window for {@code @event} and {@code @webhook} triggers that have one.
 */
@Service
public class TriggerFiring {

    private static final Logger log = LoggerFactory.getLogger(TriggerFiring.class);

    private final JobQueue queue;
    private final GroupedPushes pushes;
    private final Debouncer debouncer;
    private final DebounceStore windows;
    private final Clock clock;

    public TriggerFiring(
            JobQueue queue, GroupedPushes pushes, Debouncer debouncer, DebounceStore windows, Clock clock) {
        this.queue = queue;
        this.pushes = pushes;
        this.debouncer = debouncer;
        this.windows = windows;
        this.clock = clock;
    }

    /** What {@link #fire} would do with an occurrence now. */
    public enum Effect {
        DROPPED,
        DEBOUNCED,
        JOB
    }

    /** The effect of an occurrence, and in words how it comes about. */
    public record Forecast(Effect effect, String detail) {}

    /** What an occurrence would do now, by the rules of {@link #fire}, changing nothing. */
    public Forecast forecast(Trigger trigger) {
        if (trigger.paused()) {
            return new Forecast(Effect.DROPPED, "the trigger is paused: the occurrence is dropped");
        }
        Duration debounce = debounceOf(trigger);
        if (debounce == null) {
            return new Forecast(Effect.JOB, "a job is queued at once");
        }
        return windows.find(trigger.id())
                .map(w -> new Forecast(
                        Effect.DEBOUNCED,
                        "debounced: joins the window open since " + w.openedAt() + " (" + w.occurrences()
                                + " occurrence(s) so far), which makes one job when it closes at " + w.closesAt()))
                .orElseGet(() -> new Forecast(
                        Effect.DEBOUNCED,
                        "debounced: opens a window of " + trigger.debounce() + ", which makes one job when it"
                                + " closes at " + clock.instant().plus(debounce)));
    }

    /** The job made at once, or empty when the occurrence went into a debounce window or the trigger is paused. */
    public Optional<Job> fire(Trigger trigger, Occurrence occurrence) {
        return fire(trigger, occurrence, queue::push);
    }

    /**
     * As {@link #fire}, for a caller outside any transaction (a webhook call): a job made at once is
     * committed with the jobs of concurrent requests ({@link GroupedPushes}) before this returns.
     */
    public Optional<Job> fireGrouped(Trigger trigger, Occurrence occurrence) {
        return fire(trigger, occurrence, pushes::push);
    }

    private Optional<Job> fire(Trigger trigger, Occurrence occurrence, Function<JobRequest, Job> push) {
        if (trigger.paused()) {
            log.atDebug().addKeyValue("trigger_id", trigger.id()).log("Occurrence of a paused trigger dropped");
            return Optional.empty();
        }
        Duration debounce = debounceOf(trigger);
        if (debounce != null) {
            debouncer.occur(trigger, occurrence, clock.instant(), debounce);
            return Optional.empty();
        }
        return Optional.of(push.apply(trigger.jobRequest()
                .event(occurrence.event())
                .payload(occurrence.payload())
                .manual(occurrence.manual())
                .build()));
    }

    /** Manual launch: a job now, never debounced, without event or payload. */
    public Job launch(Trigger trigger) {
        return queue.push(trigger.jobRequest().manual(true).build());
    }

    /** The debounce of an {@code @event} or {@code @webhook} trigger; null when none (or not positive). */
    static Duration debounceOf(Trigger trigger) {
        TriggerType type = trigger.type();
        if (trigger.debounce().isEmpty() || (type != TriggerType.EVENT && type != TriggerType.WEBHOOK)) {
            return null;
        }
        Duration d = GoDuration.parse(trigger.debounce());
        return d.isNegative() || d.isZero() ? null : d;
    }
}
