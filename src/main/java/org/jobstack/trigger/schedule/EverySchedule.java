package org.jobstack.trigger.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jobstack.common.GoDuration;

/** {@code @every <duration>}: a fixed period, whole seconds, at least one second (reference §4.5). */
public record EverySchedule(Duration period) implements Schedule {

    public static EverySchedule parse(String arguments) {
        Duration d;
        try {
            d = GoDuration.parse(arguments.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException(e.getMessage());
        }
        long seconds = d.getSeconds();
        return new EverySchedule(Duration.ofSeconds(Math.max(1, seconds)));
    }

    @Override
    public Optional<Instant> next(Instant after) {
        return Optional.of(after.plus(period));
    }

    /** The first time on the grid {@code anchor + k·period} strictly after {@code after}. */
    public Instant nextOnGrid(Instant anchor, Instant after) {
        if (anchor.isAfter(after)) {
            return anchor;
        }
        long periods = Duration.between(anchor, after).toNanos() / period.toNanos() + 1;
        return anchor.plus(period.multipliedBy(periods));
    }
}
