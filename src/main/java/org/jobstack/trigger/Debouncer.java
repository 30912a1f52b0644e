package org.jobstack.trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jobstack.common.AfterCommit;
import org.jobstack.config.JobstackProperties;
import org.jobstack.job.JobQueue;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Debounce as the stack does it (reference §6): the first occurrence opens a window of the
 * trigger's debounce; later ones merge into it without extending it; when it closes, one job. An
 * {@code @event} job then carries no event; a webhook job carries {@code {"payloads":[…]}} in
 * arrival order. Windows are rows: they survive restarts, and any node may close them. A burst of
 * webhook calls keeps its first payloads up to {@code jobstack.limits.debounced-payloads} and
 * {@code debounced-payload-bytes}; the job counts the others in {@code payloads_dropped}.
 *
 * <p>Both paths lock the trigger row first, so occurrences and the close never interleave.
 */
@Component
class Debouncer {

    private final TriggerRepository repository;
    private final DebounceStore windows;
    private final JobQueue queue;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final int maxPayloads;
    private final long maxPayloadBytes;

    Debouncer(
            TriggerRepository repository,
            DebounceStore windows,
            JobQueue queue,
            ApplicationEventPublisher events,
            JsonMapper json,
            JobstackProperties properties) {
        this.maxPayloads = properties.limits().debouncedPayloads();
        this.maxPayloadBytes = properties.limits().debouncedPayloadBytes().toBytes();
        this.repository = repository;
        this.windows = windows;
        this.queue = queue;
        this.events = events;
        this.json = json;
    }

    @Transactional(propagation = Propagation.REQUIRED)
    public void occur(Trigger trigger, Occurrence occurrence, Instant now, Duration debounce) {
        if (!repository.lock(trigger.id())) {
            return;
        }
        if (windows.find(trigger.id()).isEmpty()) {
            windows.open(trigger.id(), trigger.domain(), now, now.plus(debounce), occurrence.manual());
            AfterCommit.run(() -> events.publishEvent(new TriggerScheduler.ScheduleChanged()));
        } else {
            windows.countOccurrence(trigger.id());
        }
        if (trigger.type() == TriggerType.WEBHOOK) {
            windows.addPayload(
                    trigger.id(),
                    occurrence.payload() == null ? "null" : occurrence.payload(),
                    maxPayloads,
                    maxPayloadBytes);
        }
    }

    /** Closes the windows due at {@code now}; each becomes one job. Returns how many were closed. */
    @Transactional
    public int closeDue(Instant now, int limit) {
        int closed = 0;
        List<String> due = windows.due(now, limit);
        for (String triggerId : due) {
            if (!repository.tryLock(triggerId)) {
                continue;
            }
            var window = windows.findDue(triggerId, now);
            Trigger trigger = repository.findById(triggerId).orElse(null);
            if (window.isEmpty() || trigger == null) {
                continue;
            }
            String payload = trigger.type() == TriggerType.WEBHOOK
                    ? payloads(windows.payloads(triggerId), window.get().payloadsDropped())
                    : null;
            queue.push(trigger.jobRequest()
                    .payload(payload)
                    .manual(window.get().manual())
                    .debounced(true)
                    .build());
            windows.close(triggerId);
            closed++;
        }
        return closed;
    }

    private String payloads(List<String> bodies, int dropped) {
        ObjectNode payload = json.createObjectNode();
        ArrayNode list = payload.putArray("payloads");
        bodies.forEach(body -> list.add(json.readTree(body)));
        if (dropped > 0) {
            payload.put("payloads_dropped", dropped);
        }
        return json.writeValueAsString(payload);
    }
}
