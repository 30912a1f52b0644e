package org.jobstack.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jobstack.common.Problem;
import org.jobstack.instance.InstanceService;
import org.jobstack.job.RateLimits;
import org.jobstack.permission.Rule;
import org.jobstack.permission.RuleParser;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerFiring;
import org.jobstack.trigger.TriggerRepository;
import org.jobstack.trigger.TriggerType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * "My service did not run": for an event as the stack posts it, or a webhook call, every trigger
 * concerned and whether it would fire now, or why not. Nothing is written: no job, no debounce
 * window, no rate-limit hit, no directory learnt.
 */
@Service
public class EventExplainer {

    private final TriggerRepository triggers;
    private final TriggerFiring firing;
    private final RateLimits limits;
    private final ServiceApps apps;
    private final FileDirectories directories;
    private final InstanceService instances;

    EventExplainer(
            TriggerRepository triggers,
            TriggerFiring firing,
            RateLimits limits,
            ServiceApps apps,
            FileDirectories directories,
            InstanceService instances) {
        this.triggers = triggers;
        this.firing = firing;
        this.limits = limits;
        this.apps = apps;
        this.directories = directories;
        this.instances = instances;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Verdict(
            @JsonProperty("trigger_id") String triggerId,
            String type,
            String arguments,
            String worker,
            @JsonProperty("would_fire") boolean wouldFire,
            String reason,
            String warning) {}

    public record EventVerdicts(String verb, String doctype, String id, List<Verdict> triggers) {}

    /** Each event with the instance's triggers watching its doctype, in creation order. */
    @Transactional(readOnly = true)
    public List<EventVerdicts> explain(String domain, List<DocumentEvent> events) {
        instances.get(domain);
        EventMatcher.Directories dirs = id -> directories.path(domain, id);
        Map<String, List<RuleSet>> byDoctype = new HashMap<>();
        List<EventVerdicts> answer = new ArrayList<>();
        for (DocumentEvent event : events) {
            List<Verdict> verdicts = new ArrayList<>();
            for (RuleSet watcher : byDoctype.computeIfAbsent(event.doctype(), d -> watchers(domain, d))) {
                verdicts.add(verdict(watcher, event, dirs));
            }
            answer.add(new EventVerdicts(event.verb(), event.doctype(), event.docId(), verdicts));
        }
        return answer;
    }

    /** A call of the webhook {@code triggerId} of {@code domain}, as {@code POST /jobs/webhooks/:id}. */
    @Transactional(readOnly = true)
    public Verdict explainWebhook(String domain, String triggerId) {
        Trigger trigger = triggers.findByIdAndDomain(triggerId, domain)
                .orElseThrow(() -> Problem.notFound("No trigger " + triggerId));
        if (trigger.type() != TriggerType.WEBHOOK) {
            return verdict(trigger, false, "not a @webhook trigger: calls are refused (422)", null);
        }
        if (trigger.paused()) {
            return verdict(trigger, false, "the trigger is paused: calls are answered 409", null);
        }
        Optional<String> limited = limits.reached(domain, RateLimits.WEBHOOK);
        if (limited.isPresent()) {
            return verdict(trigger, false, limited.get() + ": calls are answered 429", null);
        }
        return fired(trigger, "a call");
    }

    private record RuleSet(String triggerId, List<Rule> rules) {}

    private List<RuleSet> watchers(String domain, String doctype) {
        return triggers.eventRules(domain, doctype, EventDispatcher.prefixes(doctype)).stream()
                .map(t -> new RuleSet(
                        t.triggerId(),
                        RuleParser.parseList(t.arguments()).stream()
                                .filter(r -> r.coversDoctype(doctype))
                                .toList()))
                .filter(w -> !w.rules().isEmpty())
                .toList();
    }

    private Verdict verdict(RuleSet watcher, DocumentEvent event, EventMatcher.Directories dirs) {
        Trigger trigger = triggers.findById(watcher.triggerId()).orElseThrow();
        if (EventDispatcher.firedBySelf(trigger.id(), event)) {
            return verdict(trigger, false, "a trigger never fires on itself nor on its own jobs", null);
        }
        List<String> refusals = new ArrayList<>();
        for (Rule rule : watcher.rules()) {
            Optional<String> whyNot = RuleExplanations.whyNot(rule, event, dirs);
            if (whyNot.isEmpty()) {
                return fired(trigger, "matches " + rule);
            }
            refusals.add(whyNot.get());
        }
        return verdict(trigger, false, String.join("; ", refusals), null);
    }

    /** The occurrence reached the trigger: what firing does with it now. */
    private Verdict fired(Trigger trigger, String how) {
        TriggerFiring.Forecast forecast = firing.forecast(trigger);
        String warning = apps.problem(trigger).orElse(null);
        if (forecast.effect() == TriggerFiring.Effect.DROPPED) {
            return verdict(trigger, false, how + ", but " + forecast.detail(), warning);
        }
        if (forecast.effect() == TriggerFiring.Effect.JOB) {
            Optional<String> limited = limits.reached(trigger.domain(), "job-" + trigger.worker());
            if (limited.isPresent()) {
                return verdict(trigger, false, how + ", but " + limited.get() + ": no job is made (429)", warning);
            }
        }
        return verdict(trigger, true, how + ": " + forecast.detail(), warning);
    }

    private static Verdict verdict(Trigger trigger, boolean fires, String reason, String warning) {
        return new Verdict(
                trigger.id(), trigger.type().written(), trigger.arguments(), trigger.worker(), fires, reason, warning);
    }
}
