package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.jobstack.job.run.RetryPolicy;
import org.jobstack.support.TestProperties;
import org.junit.jupiter.api.RepeatedTest;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(
            TestProperties.of(Map.of("jobstack.jobs.retry-base-delay", "1s", "jobstack.jobs.retry-max-delay", "10s")));

    @RepeatedTest(50)
    void should_double_the_delay_with_each_retry_with_jitter_and_a_cap() {
        assertThat(policy.delayBefore(2)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1200));
        assertThat(policy.delayBefore(3)).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
        assertThat(policy.delayBefore(4)).isBetween(Duration.ofMillis(3200), Duration.ofMillis(4800));
        assertThat(policy.delayBefore(5)).isBetween(Duration.ofMillis(6400), Duration.ofMillis(9600));
        assertThat(policy.delayBefore(6)).isBetween(Duration.ofMillis(8000), Duration.ofMillis(12000));
        assertThat(policy.delayBefore(60)).isBetween(Duration.ofMillis(8000), Duration.ofMillis(12000));
    }
}
