package org.jobstack.job.run;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.jobstack.config.JobstackProperties;
import org.springframework.stereotype.Component;

/** Exponential backoff with ±20 % jitter: base, 2×base, 4×base… capped at the maximum. */
@Component
public class RetryPolicy {

    private final Duration base;
    private final Duration max;

    public RetryPolicy(JobstackProperties properties) {
        this.base = properties.jobs().retryBaseDelay();
        this.max = properties.jobs().retryMaxDelay();
    }

    /** Delay before attempt {@code nextAttempt} (2 for the first retry). */
    public Duration delayBefore(int nextAttempt) {
        int doublings = Math.min(Math.max(nextAttempt - 2, 0), 30);
        long nanos = base.toNanos();
        long capped = nanos > max.toNanos() >> doublings ? max.toNanos() : Math.min(max.toNanos(), nanos << doublings);
        double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
        return Duration.ofNanos((long) (capped * jitter));
    }
}
