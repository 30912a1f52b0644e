package org.jobstack.job;

/** A failed attempt, with whether retrying could help and whether the trigger itself is bad. */
public class JobFailure extends Exception {

    public enum Kind {
        RETRYABLE,
        FINAL,
        BAD_TRIGGER
    }

    private final Kind kind;

    public JobFailure(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static JobFailure retryable(String message) {
        return new JobFailure(Kind.RETRYABLE, message);
    }

    public static JobFailure permanent(String message) {
        return new JobFailure(Kind.FINAL, message);
    }

    /** The app, service or trigger behind the job is gone or broken: no retry, the trigger is removed. */
    public static JobFailure badTrigger(String message) {
        return new JobFailure(Kind.BAD_TRIGGER, message);
    }

    public Kind kind() {
        return kind;
    }
}
