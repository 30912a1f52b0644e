package org.jobstack.job;

import java.time.Duration;

/**
 * A worker type and its limits. {@code executes} is false for pseudo-workers whose jobs are
 * completed by clients ({@code client}); {@code reserved} workers refuse non-CLI callers.
 * {@code prefetch} lets fast in-process workers claim up to {@code concurrency × prefetch} jobs
 * ahead (claimed jobs count as started); 1 claims only what free slots can run at once.
 * {@code clusterConcurrency}, when set, bounds the running jobs of the worker on all nodes together.
 * {@code standby} processes are started ahead, each waiting for one job (0: none).
 */
public record WorkerDefinition(
        String name,
        int concurrency,
        int maxExecCount,
        Duration timeout,
        boolean reserved,
        boolean enabled,
        boolean executes,
        int prefetch,
        Integer clusterConcurrency,
        int standby) {}
