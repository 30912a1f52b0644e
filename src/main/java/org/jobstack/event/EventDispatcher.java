package org.jobstack.event;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jobstack.config.JobstackProperties;
import org.jobstack.instance.InstanceService;
import org.jobstack.job.Job;
import org.jobstack.trigger.Occurrence;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerFiring;
import org.jobstack.trigger.TriggerRepository;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Matches document events against the {@code @event} triggers of their instance and fires the
 * matching ones. Only triggers watching the event's doctype are looked at (an indexed lookup per
 * doctype of the batch, reading their ids and rules, kept between batches by {@link EventRulesCache}
 * while the instance's event rules tag stays the same; {@link EventWatchers} narrows them by
 * document id), and only the triggers that fire are read (in one plain query each, not loaded into
 * JPA: nothing of them is changed). The batch is one transaction: its jobs all exist, or none does. The
 * batches of one instance take turns (its row is locked first), so that two batches firing the
 * same triggers never wait on each other's locks.
 */
@Service
class EventDispatcher {

    private final TriggerRepository triggers;
    private final TriggerFiring firing;
    private final InstanceService instances;
    private final FileDirectories directories;
    private final EventRulesCache rules;
    private final JsonMapper json;
    private final Duration lockWait;

    public EventDispatcher(
            TriggerRepository triggers,
            TriggerFiring firing,
            InstanceService instances,
            FileDirectories directories,
            EventRulesCache rules,
            JsonMapper json,
            JobstackProperties properties) {
        this.triggers = triggers;
        this.firing = firing;
        this.instances = instances;
        this.directories = directories;
        this.rules = rules;
        this.json = json;
        this.lockWait = properties.triggers().eventLockWait();
    }

    /** The jobs created, in event order. */
    public record Dispatch(int accepted, List<Job> jobs) {}

    @Transactional
    public Dispatch dispatch(String domain, List<DocumentEvent> events) {
        long tag = instances.lockForEvents(domain, lockWait);
        Map<String, EventWatchers> byDoctype = new HashMap<>();
        Map<String, Trigger> firingTriggers = new HashMap<>();
        List<Job> jobs = new ArrayList<>();
        EventMatcher.Directories dirs = id -> directories.path(domain, id);
        for (DocumentEvent event : events) {
            directories.learn(domain, event);
            EventWatchers watching = byDoctype.computeIfAbsent(
                    event.doctype(),
                    doctype -> rules.get(
                            domain,
                            doctype,
                            tag,
                            () -> new EventWatchers(doctype, triggers.eventRules(domain, doctype, prefixes(doctype)))));
            String eventJson = null;
            for (EventWatchers.Watcher watcher : watching.candidates(event.docId())) {
                if (firedBySelf(watcher.triggerId(), event) || !EventMatcher.matchesAny(watcher.rules(), event, dirs)) {
                    continue;
                }
                Trigger trigger = firingTriggers.computeIfAbsent(
                        watcher.triggerId(),
                        id -> triggers.readPlain(id, domain).orElse(null));
                if (trigger != null) {
                    eventJson = eventJson != null ? eventJson : eventJson(domain, event);
                    firing.fire(trigger, Occurrence.ofEvent(eventJson)).ifPresent(jobs::add);
                }
            }
        }
        return new Dispatch(events.size(), jobs);
    }

    /** Dispatches events of Jobstack's own writes, after their commit, in a transaction of its own. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public Dispatch dispatchInternal(String domain, List<DocumentEvent> events) {
        return dispatch(domain, events);
    }

    /**
     * A trigger never fires on its own creation, nor on the jobs it made itself
     * ({@code io.cozy.jobs:CREATED} would otherwise loop forever).
     */
    static boolean firedBySelf(String triggerId, DocumentEvent event) {
        return switch (event.doctype()) {
            case "io.cozy.jobs" ->
                triggerId.equals(event.doc().path("trigger_id").asString(""));
            case "io.cozy.triggers" -> triggerId.equals(event.docId());
            default -> false;
        };
    }

    /** {@code io.cozy.bank.operations} → {@code io.cozy.bank}, {@code io.cozy}, {@code io}. */
    static List<String> prefixes(String doctype) {
        List<String> prefixes = new ArrayList<>();
        for (int i = doctype.lastIndexOf('.'); i > 0; i = doctype.lastIndexOf('.', i - 1)) {
            prefixes.add(doctype.substring(0, i));
        }
        return prefixes.isEmpty() ? List.of("") : prefixes;
    }

    /** The event as the job receives it (reference §5.6). */
    private String eventJson(String domain, DocumentEvent event) {
        ObjectNode node = json.createObjectNode();
        node.put("domain", domain);
        node.put("verb", event.verb());
        node.set("doc", event.doc());
        if (event.old() != null) {
            node.set("old", event.old());
        }
        return json.writeValueAsString(node);
    }
}
