package org.jobstack.trigger;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jobstack.common.PageCursor;
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

    /** A page of an instance's triggers, and where the next page starts (null when none follows). */
    public record Listing(List<TriggerRow> rows, PageCursor next) {}

    /** Up to {@code limit} of an instance's triggers in creation order, after {@code after} when given. */
    @Transactional(readOnly = true)
    public Listing page(String domain, PageCursor after, int limit) {
        List<TriggerSummary> fetched = after == null
                ? triggers.summaries(domain, Limit.of(limit + 1))
                : triggers.summariesAfter(domain, after.at(), after.id(), Limit.of(limit + 1));
        List<TriggerSummary> page = fetched.size() > limit ? fetched.subList(0, limit) : fetched;
        List<String> ids = page.stream().map(TriggerSummary::id).toList();
        Map<String, TriggerState> stateOf = states.all(ids);
        Map<String, DebounceStore.Window> windowOf = windows.openFor(ids).stream()
                .collect(Collectors.toMap(DebounceStore.Window::triggerId, Function.identity()));
        TriggerSummary last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new Listing(
                page.stream()
                        .map(t -> row(t, stateOf.get(t.id()), windowOf.get(t.id())))
                        .toList(),
                fetched.size() > limit ? new PageCursor(last.createdAt(), last.id()) : null);
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
