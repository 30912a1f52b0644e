package org.jobstack.trigger;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The coming runs of a trigger, saved or not, worked out by the code that schedules it
 * ({@link TriggerClock}), assuming every run is made on time. When fewer runs come than asked,
 * {@link Forecast#end()} says why.
 */
public final class NextRuns {

    public static final int DEFAULT_COUNT = 5;
    public static final int MAX_COUNT = 100;

    private NextRuns() {}

    /** Up to the asked number of runs, in order; {@code end} is null when as many came as asked. */
    public record Forecast(List<Instant> runs, String end) {}

    /** The runs of a saved trigger from its pending one; a paused one first skips what resuming skips. */
    public static Forecast of(Trigger trigger, int count, Instant now, ZoneId zone) {
        return of(
                trigger.type(),
                trigger.arguments(),
                TriggerClock.seed(trigger.domain(), trigger.worker(), trigger.message()),
                trigger.nextRunAt(),
                trigger.paused(),
                count,
                now,
                zone);
    }

    static Forecast of(
            TriggerType type,
            String arguments,
            String seed,
            Instant pending,
            boolean paused,
            int count,
            Instant now,
            ZoneId zone) {
        TriggerSpec spec = TriggerSpecs.parse(type, arguments, now, zone);
        Instant first = pending;
        if (first != null && paused && first.isBefore(now)) {
            first = TriggerClock.nextRun(spec, seed, first, now, zone).orElse(first);
        }
        return runs(spec, seed, first, count, zone, false);
    }

    /** The runs a trigger created now with this spec would make; {@code seed}: {@link TriggerClock#seed}. */
    public static Forecast preview(TriggerSpec spec, String seed, int count, Instant now, ZoneId zone) {
        return runs(spec, seed, TriggerClock.firstRun(spec, seed, now, zone), count, zone, true);
    }

    private static Forecast runs(
            TriggerSpec spec, String seed, Instant first, int count, ZoneId zone, boolean preview) {
        List<Instant> runs = new ArrayList<>();
        Optional<Instant> next = Optional.ofNullable(first);
        while (next.isPresent() && runs.size() < count) {
            Instant run = next.get();
            runs.add(run);
            next = TriggerClock.nextRun(spec, seed, run, run, zone);
        }
        return new Forecast(List.copyOf(runs), runs.size() < count ? end(spec, runs.isEmpty(), preview) : null);
    }

    private static String end(TriggerSpec spec, boolean none, boolean preview) {
        if (spec instanceof TriggerSpec.OnEvent) {
            return "fires on document events, never on a schedule";
        }
        if (spec instanceof TriggerSpec.External) {
            return "fires when called or launched, never on a schedule";
        }
        if (spec instanceof TriggerSpec.At || spec instanceof TriggerSpec.In) {
            return none && !preview ? "has made its one run" : "runs once";
        }
        return "its schedule never fires again";
    }
}
