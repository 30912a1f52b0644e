package org.jobstack.app.repair;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jobstack.app.App;
import org.jobstack.app.AppRepository;
import org.jobstack.app.ServiceTriggers;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerService;
import org.jobstack.trigger.TriggerType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Lists what is wrong with an instance's triggers without changing anything: duplicates (same type,
 * worker, arguments, debounce and message; {@code @in} never compared, as the stack does) and service
 * triggers that no installed service owns.
 */
@Service
class TriggerChecker {

    private final AppRepository apps;
    private final TriggerService triggers;
    private final ServiceTriggers serviceTriggers;

    TriggerChecker(AppRepository apps, TriggerService triggers, ServiceTriggers serviceTriggers) {
        this.apps = apps;
        this.triggers = triggers;
        this.serviceTriggers = serviceTriggers;
    }

    /** One problem: {@code kind} is {@code duplicate} (of {@code other}) or {@code orphan}. */
    public record Finding(
            String kind,
            @JsonProperty("trigger_id") String triggerId,
            @JsonProperty("duplicate_of") String other,
            String detail) {}

    @Transactional(readOnly = true)
    public List<Finding> check(String domain) {
        List<Trigger> all = triggers.list(domain, List.of(), List.of());
        List<Finding> findings = new ArrayList<>();
        Map<List<String>, Trigger> seen = new HashMap<>();
        for (Trigger trigger : all) {
            if (trigger.type() == TriggerType.IN) {
                continue;
            }
            List<String> key = List.of(
                    trigger.type().written(),
                    trigger.worker(),
                    Objects.toString(trigger.arguments(), ""),
                    Objects.toString(trigger.debounce(), ""),
                    Objects.toString(trigger.message(), ""));
            Trigger first = seen.putIfAbsent(key, trigger);
            if (first != null) {
                findings.add(new Finding(
                        "duplicate", trigger.id(), first.id(), trigger.type().written() + " " + trigger.arguments()));
            }
        }
        Map<String, App> webapps = new HashMap<>();
        apps.findByDomain(domain).stream()
                .filter(a -> a.kind() == AppKind.WEBAPP)
                .forEach(a -> webapps.put(a.slug(), a));
        for (Trigger trigger : all) {
            if (trigger.worker().equals("service") && trigger.type() != TriggerType.AT) {
                String orphan = orphanReason(trigger, webapps);
                if (orphan != null) {
                    findings.add(new Finding("orphan", trigger.id(), null, orphan));
                }
            }
        }
        return findings;
    }

    private String orphanReason(Trigger trigger, Map<String, App> webapps) {
        String slug = serviceTriggers.messageField(trigger, "slug");
        String name = serviceTriggers.messageField(trigger, "name");
        if (slug == null) {
            return "the message names no app";
        }
        App app = webapps.get(slug);
        if (app == null) {
            return "app " + slug + " is not installed";
        }
        if (name != null && !app.services().containsKey(name)) {
            return "app " + slug + " has no service " + name;
        }
        boolean owned =
                app.services().values().stream().anyMatch(s -> s.triggerId().equals(trigger.id()));
        return owned ? null : "no service of " + slug + " points at it";
    }
}
