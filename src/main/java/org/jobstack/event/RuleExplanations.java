package org.jobstack.event;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.jobstack.permission.Rule;

/**
 * Why a rule does not match a document event, in the words of a service's author. The verdict is
 * always {@link EventMatcher}'s; this only says which of its checks refused the event.
 */
final class RuleExplanations {

    private RuleExplanations() {}

    /** Empty when the rule matches the event. */
    static Optional<String> whyNot(Rule rule, DocumentEvent event, EventMatcher.Directories directories) {
        if (EventMatcher.matches(rule, event, directories)) {
            return Optional.empty();
        }
        String prefix = rule + ": ";
        if (!rule.coversDoctype(event.doctype())) {
            return Optional.of(prefix + "on another doctype than " + event.doctype());
        }
        if (event.verb().equals("NOTIFIED")) {
            return Optional.of(prefix + "NOTIFIED events never fire triggers");
        }
        if (!rule.allowsVerb(event.verb())) {
            return Optional.of(prefix + "verb " + event.verb() + " not listed ("
                    + String.join(",", new TreeSet<>(rule.verbs())) + ")");
        }
        if (rule.selector() == null) {
            return Optional.of(prefix + "document " + event.docId() + " is not one of " + rule.values()
                    + (FileDirectories.FILES.equals(event.doctype()) ? ", nor below one of them" : ""));
        }
        String now = String.valueOf(FieldValues.fetch(event.doc(), rule.selector()));
        if (rule.values().equals(List.of(EventMatcher.CHANGED))) {
            return Optional.of(
                    event.old() == null
                            ? prefix + "no old document to tell whether " + rule.selector() + " changed"
                            : prefix + rule.selector() + " did not change (" + now + ")");
        }
        return Optional.of(prefix + rule.selector() + " is " + now
                + (event.old() == null ? "" : ", and was " + FieldValues.fetch(event.old(), rule.selector()))
                + ", not one of " + rule.values());
    }
}
