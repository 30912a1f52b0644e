package org.jobstack.trigger;

import java.util.Arrays;
import java.util.Optional;

/** The trigger types of the stack, by their written name. */
public enum TriggerType {
    AT("@at"),
    IN("@in"),
    HOURLY("@hourly"),
    DAILY("@daily"),
    WEEKLY("@weekly"),
    MONTHLY("@monthly"),
    CRON("@cron"),
    EVERY("@every"),
    EVENT("@event"),
    WEBHOOK("@webhook"),
    CLIENT("@client");

    private final String written;

    TriggerType(String written) {
        this.written = written;
    }

    public String written() {
        return written;
    }

    public static Optional<TriggerType> of(String written) {
        return Arrays.stream(values()).filter(t -> t.written.equals(written)).findFirst();
    }
}
