package org.jobstack.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock shifted by an offset tests can move, so time-dependent behaviour is tested without sleeping. */
public final class MutableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;
    /** When set, time stands still there (plus the offset) until {@link #reset}. */
    private volatile Instant frozen;

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant stopped = frozen;
        return (stopped != null ? stopped : Instant.now()).plus(offset);
    }

    /**
     * Stops the clock: from now on only {@link #advance} moves it, so that a test stepping time
     * sees exactly its steps however slowly the machine runs them.
     */
    public void freeze() {
        frozen = Instant.now();
    }

    public void advance(Duration by) {
        offset = offset.plus(by);
    }

    public void reset() {
        frozen = null;
        offset = Duration.ZERO;
    }
}
