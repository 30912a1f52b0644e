package org.jobstack.job;

import java.util.Locale;

public enum JobState {
    QUEUED,
    RUNNING,
    DONE,
    ERRORED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState of(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }

    public boolean isFinal() {
        return this == DONE || this == ERRORED;
    }
}
