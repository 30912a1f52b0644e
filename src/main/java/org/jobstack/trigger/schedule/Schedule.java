package org.jobstack.trigger.schedule;

import java.time.Instant;
import java.util.Optional;

/** When a time trigger fires. */
public interface Schedule {

    /** The first firing strictly after {@code after}; empty when it never fires again. */
    Optional<Instant> next(Instant after);
}
