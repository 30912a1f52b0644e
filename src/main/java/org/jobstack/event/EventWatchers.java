package org.jobstack.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jobstack.permission.Rule;
import org.jobstack.permission.RuleParser;
import org.jobstack.trigger.TriggerLocks.EventRules;

/**
 * The {@code @event} triggers of one instance watching one doctype, with their rules parsed once
 * per batch of events (and kept between batches by {@link EventRulesCache}). A trigger whose rules on the doctype all name document ids can only match
 * an event on one of those ids, so it is indexed by id: an event is checked against the triggers of
 * its id and the triggers that are not indexed, never against the whole list. With 100 000
 * triggers on one doctype, each naming its own document, an event costs a map lookup.
 */
final class EventWatchers {

    /** A trigger and its parsed rules; {@code position} keeps the load order among candidates. */
    record Watcher(int position, String triggerId, List<Rule> rules) {}

    private final Map<String, List<Watcher>> byDocumentId = new HashMap<>();
    private final List<Watcher> unindexed = new ArrayList<>();
    private final int size;

    EventWatchers(String doctype, List<EventRules> triggers) {
        this.size = triggers.size();
        for (int i = 0; i < triggers.size(); i++) {
            EventRules trigger = triggers.get(i);
            Watcher watcher = new Watcher(i, trigger.triggerId(), RuleParser.parseList(trigger.arguments()));
            List<String> ids = documentIds(doctype, watcher.rules());
            if (ids == null) {
                unindexed.add(watcher);
            } else {
                ids.forEach(id ->
                        byDocumentId.computeIfAbsent(id, k -> new ArrayList<>()).add(watcher));
            }
        }
    }

    /** How many triggers watch the doctype. */
    int size() {
        return size;
    }

    /** The triggers that may match an event on {@code documentId}, in load order, each once. */
    List<Watcher> candidates(String documentId) {
        List<Watcher> byId = documentId == null ? List.of() : byDocumentId.getOrDefault(documentId, List.of());
        if (byId.isEmpty()) {
            return Collections.unmodifiableList(unindexed);
        }
        List<Watcher> all = new ArrayList<>(byId.size() + unindexed.size());
        all.addAll(unindexed);
        byId.stream().distinct().forEach(all::add);
        all.sort((a, b) -> Integer.compare(a.position(), b.position()));
        return all;
    }

    /**
     * The document ids an event must be on for one of these rules to match it, or null when some
     * rule on the doctype matches other events too (a whole doctype, a selector, or a directory of
     * {@code io.cozy.files}, whose values also match the files below it).
     */
    private static List<String> documentIds(String doctype, List<Rule> rules) {
        if (FileDirectories.FILES.equals(doctype)) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (Rule rule : rules) {
            if (!rule.coversDoctype(doctype)) {
                continue;
            }
            if (rule.values().isEmpty() || rule.selector() != null) {
                return null;
            }
            ids.addAll(rule.values());
        }
        return ids;
    }
}
