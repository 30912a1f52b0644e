package org.jobstack.trigger;

/**
 * One occurrence of a trigger: the event JSON for {@code @event}, the payload JSON for webhooks,
 * and whether a person asked for it (manual jobs run first).
 */
public record Occurrence(String event, String payload, boolean manual) {

    public static final Occurrence SCHEDULED = new Occurrence(null, null, false);
    public static final Occurrence LAUNCH = new Occurrence(null, null, true);

    public static Occurrence ofEvent(String event) {
        return new Occurrence(event, null, false);
    }
}
