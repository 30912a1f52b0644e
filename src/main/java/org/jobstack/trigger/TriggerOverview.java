package org.jobstack.trigger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jobstack.common.PageCursor;
import org.jobstack.common.PageSlice;
import org.springframework.data.domain.Limit;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

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

    /** Up to {@code limit} of an instance's triggers in creation order, after {@code after} when given. */
    @Transactional(readOnly = true)
    public PageSlice<TriggerRow> page(String domain, PageCursor after, int limit) {
        PageSlice<TriggerSummary> page = PageSlice.of(
                after == null
                        ? triggers.summaries(domain, Limit.of(limit + 1))
                        : triggers.summariesAfter(domain, after.at(), after.id(), Limit.of(limit + 1)),
                limit,
                t -> new PageCursor(t.createdAt(), t.id()));
        List<String> ids = page.rows().stream().map(TriggerSummary::id).toList();
        Map<String, TriggerState> stateOf = states.all(ids);
        Map<String, DebounceStore.Window> windowOf = windows.openFor(ids).stream()
                .collect(Collectors.toMap(DebounceStore.Window::triggerId, Function.identity()));
        return page.map(t -> row(t, stateOf.get(t.id()), windowOf.get(t.id())));
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
