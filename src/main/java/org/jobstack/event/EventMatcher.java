package org.jobstack.event;

import java.util.List;
import org.jobstack.permission.Rule;

/**
 * Does a document event match a rule? The stack's rules (reference §5.2): doctype, verb, then
 * ids, a selector's values (the old version counts too, so a document leaving a selection
 * matches), or {@code !=} for "this field changed".
 */
public final class EventMatcher {

    public static final String CHANGED = "!=";

    private EventMatcher() {
    }

    public static boolean matchesAny(List<Rule> rules, DocumentEvent event) {
        for (Rule rule : rules) {
            if (matches(rule, event)) {
                return true;
            }
        }
        return false;
    }

    public static boolean matches(Rule rule, DocumentEvent event) {
        if (!rule.coversDoctype(event.doctype()) || event.verb().equals("NOTIFIED") || !rule.allowsVerb(event.verb())) {
            return false;
        }
        if (rule.values().isEmpty()) {
            return true;
        }
        if (rule.selector() == null) {
            return rule.values().contains(event.docId());
        }
        if (rule.values().equals(List.of(CHANGED))) {
            if (!event.verb().equals("UPDATED")) {
                return true;
            }
            return event.old() != null
                    && !FieldValues.fetch(event.doc(), rule.selector()).equals(FieldValues.fetch(event.old(), rule.selector()));
        }
        return anyIn(rule, FieldValues.fetch(event.doc(), rule.selector()))
                || (event.old() != null && anyIn(rule, FieldValues.fetch(event.old(), rule.selector())));
    }

    private static boolean anyIn(Rule rule, List<String> values) {
        for (String value : values) {
            if (rule.values().contains(value)) {
                return true;
            }
        }
        return false;
    }
}
