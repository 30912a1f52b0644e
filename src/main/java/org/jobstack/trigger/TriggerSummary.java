package org.jobstack.trigger;

import java.time.Instant;

/** A trigger as listings show it, read without its watched doctypes. */
public record TriggerSummary(
        String id,
        String type,
        String arguments,
        String worker,
        String debounce,
        Instant nextRunAt,
        boolean paused,
        String message,
        Instant createdAt) {}
