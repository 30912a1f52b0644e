package org.jobstack.support;

import org.springframework.test.context.TestPropertySource;

/**
 * An {@link IntegrationTest} whose server takes bursts of webhook calls and service jobs (no rate
 * limit on either)
 * and keeps 64 KB of payloads per debounce window; the flood and soak tests share its context.
 */
@TestPropertySource(
        properties = {
            "jobstack.jobs.rate-limits.webhook-trigger=0",
            "jobstack.jobs.rate-limits.job-service=0",
            "jobstack.limits.debounced-payload-bytes=64KB"
        })
public abstract class LoadTest extends IntegrationTest {}
