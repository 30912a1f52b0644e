package org.jobstack.trigger;

import org.jobstack.job.JobOptions;

/** What a caller asks to create; {@code message} is JSON text or null. */
public record NewTrigger(
        String domain,
        String type,
        String arguments,
        String worker,
        String message,
        String debounce,
        JobOptions options,
        String createdBy) {

    public NewTrigger {
        options = options == null ? JobOptions.NONE : options;
    }
}
