package org.jobstack.trigger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** An instance's triggers as operators see them: with their last outcome and their open debounce window. */
@Service
public class TriggerOverview {

    private final TriggerRepository triggers;
    private final TriggerStates states;
    private final DebounceStore windows;

    TriggerOverview(TriggerRepository triggers, TriggerStates states, DebounceStore windows) {
        this.triggers = triggers;
        this.states = states;
        this.windows = windows;
    }

    /** An open debounce window: since when, when it closes, how many occurrences it holds. */
    public record Window(Instant openedAt, Instant closesAt, int occurrences) {}

    public record TriggerRow(
            String id,
            String type,
            String arguments,
            String worker,
            String debounce,
            Instant nextRunAt,
            boolean paused,
            String lastStatus,
            String lastError,
            String message,
            Window window) {}

    /** The triggers of an instance, by worker, type and id. */
    public List<TriggerRow> of(String domain) {
        List<TriggerSummary> all = triggers.summaries(domain);
        Map<String, TriggerState> stateOf = all.isEmpty()
                ? Map.of()
                : states.all(all.stream().map(TriggerSummary::id).toList());
        Map<String, DebounceStore.Window> windowOf = windows.openIn(domain).stream()
                .collect(Collectors.toMap(DebounceStore.Window::triggerId, Function.identity()));
        return all.stream()
                .map(t -> row(t, stateOf.get(t.id()), windowOf.get(t.id())))
                .toList();
    }

    private static TriggerRow row(TriggerSummary t, TriggerState state, DebounceStore.Window w) {
        return new TriggerRow(
                t.id(),
                t.type(),
                t.arguments(),
                t.worker(),
                t.debounce(),
                t.nextRunAt(),
                t.paused(),
                state == null ? null : state.status(),
                state == null ? null : state.lastError(),
                t.message(),
                w == null ? null : new Window(w.openedAt(), w.closesAt(), w.occurrences()));
    }
}
