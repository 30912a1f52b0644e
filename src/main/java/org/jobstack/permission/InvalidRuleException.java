package org.jobstack.permission;

/** A rule that does not follow {@code doctype[:verbs[:values[:selector]]]}. */
public class InvalidRuleException extends IllegalArgumentException {

    public InvalidRuleException(String message) {
        super(message);
    }
}
