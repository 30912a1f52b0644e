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
        events.publishEvent(new JobChanged(job, previous, false));
    }

    /** A job (as it was) was deleted. */
    public void deleted(Job job) {
        events.publishEvent(new JobChanged(job, job.state(), true));
    }

    /**
     * A job changed: {@code job} as written (as it was, when {@code deleted}); {@code previous} is its
     * former state, null when it was created.
     */
    public record JobChanged(Job job, JobState previous, boolean deleted) {
        public String domain() {
            return job.domain();
        }

        public String jobId() {
            return job.id();
        }

        public String triggerId() {
            return job.triggerId();
        }
    }

    /** A job failed because its trigger points at something that no longer exists. */
    public record BadTrigger(String domain, String triggerId, String reason) {}

    /** Someone asked to stop the running attempt of a job; the node running it stops it. */
    public record CancelRequested(String jobId, String reason) {}
}
