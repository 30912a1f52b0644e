package org.jobstack.app.repair;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.jobstack.app.App;
import org.jobstack.app.AppRepository;
import org.jobstack.app.AppService;
import org.jobstack.app.ServiceTriggers;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.app.manifest.ServiceDeclaration;
import org.jobstack.trigger.Trigger;
import org.jobstack.trigger.TriggerService;
import org.jobstack.trigger.TriggerType;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Repairs the links between apps' services and their triggers (reference §7.8): triggers of apps
 * no longer installed are deleted; each service with a trigger spec gets one (adopting a matching
 * orphan, else creating it); triggers missing their service name get it; leftovers are deleted.
 */
@Service
class ServiceTriggerFixer {

    private final AppRepository apps;
    private final TriggerService triggers;
    private final ServiceTriggers serviceTriggers;
    private final Clock clock;

    ServiceTriggerFixer(AppRepository apps, TriggerService triggers, ServiceTriggers serviceTriggers, Clock clock) {
        this.apps = apps;
        this.triggers = triggers;
        this.serviceTriggers = serviceTriggers;
        this.clock = clock;
    }

    /** What the fixer did, named as the stack answers it. */
    public record Report(String domain, int recreated, int updated, int deleted) {}

    @Transactional
    public Report fix(String domain) {
        Map<String, List<Trigger>> bySlug = new LinkedHashMap<>();
        for (Trigger trigger : triggers.list(domain, List.of("service"), List.of())) {
            if (trigger.type() != TriggerType.AT) {
                String slug = serviceTriggers.messageField(trigger, "slug");
                bySlug.computeIfAbsent(slug == null ? "" : slug, s -> new ArrayList<>())
                        .add(trigger);
            }
        }
        int[] counts = new int[3];
        for (App app : apps.findByDomain(domain)) {
            if (app.kind() == AppKind.WEBAPP) {
                fixApp(app, bySlug.getOrDefault(app.slug(), List.of()), counts);
                bySlug.remove(app.slug());
            }
        }
        bySlug.values().forEach(orphans -> orphans.forEach(t -> delete(domain, t, counts)));
        return new Report(domain, counts[0], counts[1], counts[2]);
    }

    private void fixApp(App app, List<Trigger> existing, int[] counts) {
        Map<String, Trigger> byId = new LinkedHashMap<>();
        existing.forEach(t -> byId.put(t.id(), t));
        Set<String> referenced = new HashSet<>();
        Map<String, AppService> services = new LinkedHashMap<>(app.services());
        boolean changed = false;
        for (Map.Entry<String, AppService> entry : app.services().entrySet()) {
            String name = entry.getKey();
            AppService service = entry.getValue();
            if (service.trigger().isEmpty()) {
                continue;
            }
            Trigger linked = byId.get(service.triggerId());
            if (linked == null) {
                ServiceDeclaration declaration = new ServiceDeclaration(
                        name, service.type(), service.file(), service.trigger(), service.debounce());
                linked = adoptable(existing, referenced, declaration).orElse(null);
                if (linked == null) {
                    linked = serviceTriggers.createTrigger(app.domain(), app.slug(), declaration);
                    counts[0]++;
                }
                services.put(
                        name,
                        new AppService(
                                service.type(), service.file(), service.trigger(), service.debounce(), linked.id()));
                changed = true;
            } else if (serviceTriggers.messageField(linked, "name") == null) {
                triggers.patch(
                        app.domain(),
                        linked.id(),
                        null,
                        "{\"name\":" + quote(name) + ",\"slug\":" + quote(app.slug()) + "}");
                counts[1]++;
            }
            referenced.add(linked.id());
        }
        existing.stream().filter(t -> !referenced.contains(t.id())).forEach(t -> delete(app.domain(), t, counts));
        if (changed) {
            app.relink(services, clock.instant());
            apps.save(app);
        }
    }

    private Optional<Trigger> adoptable(List<Trigger> existing, Set<String> referenced, ServiceDeclaration service) {
        return existing.stream()
                .filter(t -> !referenced.contains(t.id()))
                .filter(t -> Objects.toString(t.debounce(), "").equals(service.debounce()))
                .filter(t -> (t.type().written() + " " + t.arguments()).strip().equals(service.trigger()))
                .filter(t -> service.name().equals(serviceTriggers.messageField(t, "name")))
                .findFirst();
    }

    private void delete(String domain, Trigger trigger, int[] counts) {
        triggers.deleteIfPresent(domain, trigger.id());
        counts[2]++;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
