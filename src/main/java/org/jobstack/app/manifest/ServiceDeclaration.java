package org.jobstack.app.manifest;

/**
 * A service as the manifest declares it. {@code trigger} is {@code "<@type> <arguments>"} or
 * empty (no trigger); {@code file} is normalised, relative to the app root.
 */
public record ServiceDeclaration(String name, String type, String file, String trigger, String debounce) {

    public boolean hasTrigger() {
        return !trigger.isEmpty();
    }

    public String triggerType() {
        int space = trigger.indexOf(' ');
        return space < 0 ? trigger : trigger.substring(0, space);
    }

    public String triggerArguments() {
        int space = trigger.indexOf(' ');
        return space < 0 ? "" : trigger.substring(space + 1).strip();
    }
}
