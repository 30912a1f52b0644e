package org.jobstack.job;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Where every job state change is announced, as a {@link JobChanged} event: the trigger's state
 * is refreshed from it, and {@code @event} triggers watching {@code io.cozy.jobs} see it.
 */
@Component
public class JobChanges {

    private final ApplicationEventPublisher events;

    public JobChanges(ApplicationEventPublisher events) {
        this.events = events;
    }

    /** A job was created ({@code previous} null) or moved from {@code previous} to another state. */
    public void changed(Job job, JobState previous) {
        events.publishEvent(new JobChanged(job.domain(), job.id(), job.triggerId(), previous));
    }

    /** A job of {@code domain} changed; {@code previous} is its former state, null when it was created. */
    public record JobChanged(String domain, String jobId, String triggerId, JobState previous) {}

    /** A job failed because its trigger points at something that no longer exists. */
    public record BadTrigger(String domain, String triggerId, String reason) {}

    /** Someone asked to stop the running attempt of a job; the node running it stops it. */
    public record CancelRequested(String jobId, String reason) {}
}
