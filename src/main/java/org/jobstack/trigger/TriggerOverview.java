package org.jobstack.trigger;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jobstack.common.PageCursor;
import org.jobstack.common.PageSlice;
import org.jobstack.config.JobstackProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** An instance's triggers as operators see them: with their last outcome and their open debounce window. */
@Service
public class TriggerOverview {

    /** How many coming runs a row shows. */
    static final int RUNS_SHOWN = 3;

    private final TriggerRepository triggers;
    private final TriggerStates states;
    private final DebounceStore windows;
    private final Clock clock;
    private final ZoneId zone;

    TriggerOverview(
            TriggerRepository triggers,
            TriggerStates states,
            DebounceStore windows,
            Clock clock,
            JobstackProperties properties) {
        this.triggers = triggers;
        this.states = states;
        this.windows = windows;
        this.clock = clock;
        this.zone = properties.triggers().timeZone();
    }

    /** An open debounce window: since when, when it closes, how many occurrences it holds. */
    public record Window(Instant openedAt, Instant closesAt, int occurrences) {}

    public record TriggerRow(
            String id,
            String type,
            String arguments,
            String worker,
            String debounce,
            List<Instant> nextRuns,
            boolean paused,
            String lastStatus,
            String lastError,
            String message,
            Window window) {}

    /** Up to {@code limit} of an instance's triggers in creation order, after {@code after} when given. */
    @Transactional(readOnly = true)
    public PageSlice<TriggerRow> page(String domain, PageCursor after, int limit) {
        PageSlice<TriggerSummary> page = PageSlice.of(
                triggers.summaries(domain, after, limit + 1), limit, t -> new PageCursor(t.createdAt(), t.id()));
        List<String> ids = page.rows().stream().map(TriggerSummary::id).toList();
        Map<String, TriggerState> stateOf = states.all(ids);
        Map<String, DebounceStore.Window> windowOf = windows.openFor(ids).stream()
                .collect(Collectors.toMap(DebounceStore.Window::triggerId, Function.identity()));
        Instant now = clock.instant();
        return page.map(t -> row(t, nextRuns(domain, t, now), stateOf.get(t.id()), windowOf.get(t.id())));
    }

    private List<Instant> nextRuns(String domain, TriggerSummary t, Instant now) {
        if (t.nextRunAt() == null) {
            return List.of();
        }
        try {
            String seed = TriggerClock.seed(domain, t.worker(), t.message());
            return NextRuns.of(
                            TriggerSpecs.type(t.type()),
                            t.arguments(),
                            seed,
                            t.nextRunAt(),
                            t.paused(),
                            RUNS_SHOWN,
                            now,
                            zone)
                    .runs();
        } catch (RuntimeException e) {
            // a stored trigger that no longer parses still shows the run it has pending
            return List.of(t.nextRunAt());
        }
    }

    private static TriggerRow row(
            TriggerSummary t, List<Instant> nextRuns, TriggerState state, DebounceStore.Window w) {
        return new TriggerRow(
                t.id(),
                t.type(),
                t.arguments(),
                t.worker(),
                t.debounce(),
                nextRuns,
                t.paused(),
                state == null ? null : state.status(),
                state == null ? null : state.lastError(),
                t.message(),
                w == null ? null : new Window(w.openedAt(), w.closesAt(), w.occurrences()));
    }
}
