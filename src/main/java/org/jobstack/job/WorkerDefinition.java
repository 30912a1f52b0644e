package org.jobstack.job;

import java.time.Duration;

/**
 * A worker type and its limits. {@code executes} is false for pseudo-workers whose jobs are
 * completed by clients ({@code client}); {@code reserved} workers refuse non-CLI callers.
 */
public record WorkerDefinition(String name, int concurrency, int maxExecCount, Duration timeout,
                               boolean reserved, boolean enabled, boolean executes) {
}
