package org.jobstack.trigger.schedule;

/** Arguments of a time trigger that cannot be turned into a schedule; the message says why. */
public class InvalidScheduleException extends IllegalArgumentException {

    public InvalidScheduleException(String message) {
        super(message);
    }
}
