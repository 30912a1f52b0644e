package org.jobstack.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Where every job state change is announced: the trigger's state is refreshed, and a
 * {@link JobChanged} event lets {@code @event} triggers watching {@code io.cozy.jobs} see it.
 */
@Component
public class JobChanges {

    private static final Logger log = LoggerFactory.getLogger(JobChanges.class);

    private final TriggerStates states;
    private final ApplicationEventPublisher events;

    public JobChanges(TriggerStates states, ApplicationEventPublisher events) {
        this.states = states;
        this.events = events;
    }

    /** A job was created ({@code previous} null) or moved from {@code previous} to another state. */
    public void changed(Job job, JobState previous) {
        if (job.triggerId() != null) {
            try {
                states.refresh(job.triggerId());
            } catch (RuntimeException e) {
                log.atWarn().addKeyValue("trigger_id", job.triggerId()).setCause(e).log("Trigger state not refreshed");
            }
        }
        events.publishEvent(new JobChanged(job.domain(), job.id(), job.triggerId(), previous));
    }

    /** A job of {@code domain} changed; {@code previous} is its former state, null when it was created. */
    public record JobChanged(String domain, String jobId, String triggerId, JobState previous) {
    }
}
