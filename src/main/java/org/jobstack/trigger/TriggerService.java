package org.jobstack.trigger;

import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jobstack.common.GoDuration;
import org.jobstack.common.Ids;
import org.jobstack.common.Problem;
import org.jobstack.job.JobExecutor;
import org.jobstack.job.WorkerRegistry;
import org.jobstack.permission.Rule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class TriggerService {

    private static final Logger log = LoggerFactory.getLogger(TriggerService.class);

    private final TriggerRepository triggers;
    private final WorkerRegistry workers;
    private final Clock clock;

    public TriggerService(TriggerRepository triggers, WorkerRegistry workers, Clock clock) {
        this.triggers = triggers;
        this.workers = workers;
        this.clock = clock;
    }

    /** Validates and stores a trigger; nothing is stored when any part is invalid. */
    @Transactional
    public Trigger create(NewTrigger request) {
        TriggerType type = TriggerSpecs.type(request.type());
        String arguments = request.arguments() == null ? "" : request.arguments().strip();
        TriggerSpec spec = TriggerSpecs.parse(type, arguments);
        String debounce = request.debounce() == null ? "" : request.debounce().strip();
        if (!debounce.isEmpty()) {
            try {
                GoDuration.parse(debounce);
            } catch (IllegalArgumentException e) {
                throw Problem.invalid(Problem.Source.attribute("debounce"), "Invalid debounce: " + e.getMessage());
            }
        }
        String worker = type == TriggerType.CLIENT ? WorkerRegistry.CLIENT : request.worker();
        if (worker == null || workers.find(worker).isEmpty()) {
            throw Problem.notFound("Unknown worker " + worker);
        }
        Trigger trigger = new Trigger(Ids.newId(), request.domain(), type, worker, arguments, debounce,
                request.options(), request.message(), request.createdBy(), clock.instant());
        if (spec instanceof TriggerSpec.OnEvent onEvent) {
            trigger.watch(watched(request.domain(), onEvent.rules()));
        }
        return triggers.save(trigger);
    }

    @Transactional(readOnly = true)
    public Trigger get(String domain, String id) {
        return triggers.findByIdAndDomain(id, domain).orElseThrow(() -> Problem.notFound("No trigger " + id));
    }

    @Transactional
    public void delete(String domain, String id) {
        triggers.delete(get(domain, id));
    }

    /** Deletes the trigger if it still exists (no error when it is already gone). */
    @Transactional
    public void deleteIfPresent(String domain, String id) {
        triggers.findByIdAndDomain(id, domain).ifPresent(triggers::delete);
    }

    @Transactional(readOnly = true)
    public List<Trigger> list(String domain) {
        return triggers.findByDomainOrderByCreatedAt(domain);
    }

    @EventListener
    void onBadTrigger(JobExecutor.BadTrigger bad) {
        log.atWarn().addKeyValue("trigger_id", bad.triggerId()).addKeyValue("domain", bad.domain())
                .log("Deleting trigger whose job cannot run: {}", bad.reason());
        deleteIfPresent(bad.domain(), bad.triggerId());
    }

    private static Set<WatchedDoctype> watched(String domain, List<Rule> rules) {
        Set<WatchedDoctype> doctypes = new HashSet<>();
        for (Rule rule : rules) {
            doctypes.add(new WatchedDoctype(domain, rule.doctype(), rule.wildcard()));
        }
        return doctypes;
    }
}
