package org.jobstack.job;

import java.time.Instant;

/**
 * What to look for among jobs, each part null for "any": state, worker, instance, trigger, app
 * (the {@code slug} of a service job's message or the {@code konnector} of a konnector job's) and
 * the earliest time queued.
 */
public record JobSearch(JobState state, String worker, String domain, String triggerId, String app, Instant since) {

    public static final JobSearch ANY = new JobSearch(null, null, null, null, null, null);
}
