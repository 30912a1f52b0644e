package org.jobstack.trigger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jobstack.common.AfterCommit;
import org.jobstack.common.DocumentChanged;
import org.jobstack.common.GoDuration;
import org.jobstack.common.Ids;
import org.jobstack.common.PageCursor;
import org.jobstack.common.Problem;
import org.jobstack.config.JobstackProperties;
import org.jobstack.instance.InstanceService;
import org.jobstack.job.JobChanges;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.permission.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class TriggerService {

    private static final Logger log = LoggerFactory.getLogger(TriggerService.class);
    private static final int READ_PAGE = 1000;

    private final TriggerRepository triggers;
    private final WorkerRegistry workers;
    private final ApplicationEventPublisher events;
    private final TriggerDocuments documents;
    private final InstanceService instances;
    private final Clock clock;
    private final ZoneId zone;

    public TriggerService(
            TriggerRepository triggers,
            WorkerRegistry workers,
            ApplicationEventPublisher events,
            TriggerDocuments documents,
            InstanceService instances,
            Clock clock,
            JobstackProperties properties) {
        this.triggers = triggers;
        this.workers = workers;
        this.events = events;
        this.documents = documents;
        this.instances = instances;
        this.clock = clock;
        this.zone = properties.triggers().timeZone();
    }

    /** Validates and stores a trigger, scheduling it when it is a time trigger; nothing is stored when any part is invalid. */
    @Transactional
    public Trigger create(NewTrigger request) {
        TriggerType type = TriggerSpecs.type(request.type());
        String arguments =
                request.arguments() == null ? "" : request.arguments().strip();
        Instant now = clock.instant();
        TriggerSpec spec = TriggerSpecs.parse(type, arguments, now, zone);
        String debounce = request.debounce() == null ? "" : request.debounce().strip();
        if (!debounce.isEmpty()) {
            try {
                GoDuration.parse(debounce);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid("debounce", "Invalid debounce: " + e.getMessage());
            }
        }
        String worker = type == TriggerType.CLIENT ? WorkerRegistry.CLIENT : request.worker();
        if (worker == null || workers.find(worker).isEmpty()) {
            throw Problem.notFound("Unknown worker " + worker);
        }
        Trigger trigger = new Trigger(
                Ids.newId(),
                request.domain(),
                type,
                worker,
                arguments,
                debounce,
                request.options(),
                request.message(),
                request.createdBy(),
                now);
        if (spec instanceof TriggerSpec.OnEvent onEvent) {
            trigger.watch(watched(request.domain(), onEvent.rules()));
            instances.eventRulesChanged(request.domain());
        }
        trigger.scheduleAt(TriggerClock.firstRun(spec, trigger, now, zone));
        Trigger saved = triggers.save(trigger);
        scheduleChanged(saved);
        written("CREATED", saved);
        return saved;
    }

    @Transactional(readOnly = true)
    public Trigger get(String domain, String id) {
        return triggers.findByIdAndDomain(id, domain).orElseThrow(() -> Problem.notFound("No trigger " + id));
    }

    /**
     * The triggers of an instance, optionally only those of some workers and types (exact names),
     * read a page at a time (an instance may have more triggers than a query may name).
     */
    @Transactional(readOnly = true)
    public List<Trigger> list(String domain, Collection<String> workerNames, Collection<String> types) {
        List<Trigger> all = new ArrayList<>();
        PageCursor after = null;
        for (List<Trigger> page; !(page = list(domain, workerNames, types, after, READ_PAGE)).isEmpty(); ) {
            all.addAll(page);
            Trigger last = page.get(page.size() - 1);
            after = new PageCursor(last.createdAt(), last.id());
        }
        return all;
    }

    /** Up to {@code limit} of an instance's triggers in creation order, after {@code after} when given. */
    @Transactional(readOnly = true)
    public List<Trigger> list(
            String domain, Collection<String> workerNames, Collection<String> types, PageCursor after, int limit) {
        return triggers.page(domain, workerNames, types, after, limit);
    }

    /** Changes the message and/or (for {@code @cron} only) the arguments, rescheduling from now. */
    @Transactional
    public Trigger patch(String domain, String id, String arguments, String message) {
        Trigger trigger = get(domain, id);
        if (message != null) {
            trigger.changeMessage(message, clock.instant());
        }
        if (arguments != null) {
            if (trigger.type() != TriggerType.CRON) {
                throw Problem.invalid("type", "Invalid type for trigger (@cron expected)");
            }
            Instant now = clock.instant();
            TriggerSpec spec = TriggerSpecs.parse(TriggerType.CRON, arguments, now, zone);
            trigger.changeArguments(arguments.strip(), now);
            trigger.scheduleAt(TriggerClock.firstRun(spec, trigger, now, zone));
            scheduleChanged(trigger);
        }
        written("UPDATED", trigger);
        return trigger;
    }

    @Transactional
    public void delete(String domain, String id) {
        remove(get(domain, id));
    }

    /** Deletes the trigger if it still exists (no error when it is already gone). */
    @Transactional
    public void deleteIfPresent(String domain, String id) {
        triggers.findByIdAndDomain(id, domain).ifPresent(this::remove);
    }

    /** In a transaction of its own: published by a worker thread, outside any. */
    @EventListener
    @Transactional
    public void onBadTrigger(JobChanges.BadTrigger bad) {
        log.atWarn()
                .addKeyValue("trigger_id", bad.triggerId())
                .addKeyValue("domain", bad.domain())
                .log("Deleting trigger whose job cannot run: {}", bad.reason());
        deleteIfPresent(bad.domain(), bad.triggerId());
    }

    private void remove(Trigger trigger) {
        if (trigger.type() == TriggerType.EVENT) {
            instances.eventRulesChanged(trigger.domain());
        }
        triggers.delete(trigger);
        written("DELETED", trigger);
    }

    private void written(String verb, Trigger trigger) {
        events.publishEvent(new DocumentChanged(
                trigger.domain(), verb, TriggerDocuments.DOCTYPE, trigger.id(), documents.attributes(trigger), null));
    }

    private void scheduleChanged(Trigger trigger) {
        if (trigger.nextRunAt() != null) {
            AfterCommit.run(() -> events.publishEvent(new TriggerScheduler.ScheduleChanged()));
        }
    }

    private static Set<WatchedDoctype> watched(String domain, List<Rule> rules) {
        Set<WatchedDoctype> doctypes = new HashSet<>();
        for (Rule rule : rules) {
            doctypes.add(new WatchedDoctype(domain, rule.doctype(), rule.wildcard()));
        }
        return doctypes;
    }
}
