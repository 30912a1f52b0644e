package org.jobstack.trigger;

import org.jobstack.job.Job;
import org.jobstack.job.JobQueue;
import org.jobstack.job.JobRequest;
import org.springframework.stereotype.Service;

/** Turns an occurrence of a trigger (an event, a webhook call, a launch) into a queued job. */
@Service
public class TriggerFiring {

    private final JobQueue queue;

    public TriggerFiring(JobQueue queue) {
        this.queue = queue;
    }

    /** An occurrence: the event JSON for {@code @event}, the payload for webhooks, whether it is manual. */
    public record Occurrence(String event, String payload, boolean manual) {
        public static Occurrence ofEvent(String event) {
            return new Occurrence(event, null, false);
        }
    }

    public Job fire(Trigger trigger, Occurrence occurrence) {
        return queue.push(new JobRequest(trigger.domain(), trigger.worker(), trigger.id(), trigger.message(),
                occurrence.event(), occurrence.payload(), occurrence.manual(), false, trigger.options()));
    }
}
