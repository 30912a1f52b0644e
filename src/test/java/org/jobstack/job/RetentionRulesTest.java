package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jobstack.config.StartupRefusal;
import org.jobstack.support.TestProperties;
import org.junit.jupiter.api.Test;

/** How long finished jobs are kept, per state and worker, and the settings refused by name. */
class RetentionRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

    @Test
    void should_keep_done_jobs_30_days_and_errored_ones_90_by_default() {
        RetentionRules rules = rules(Map.of());

        assertThat(rules.cutoff("service", JobState.DONE, NOW)).contains(NOW.minus(Duration.ofDays(30)));
        assertThat(rules.cutoff("service", JobState.ERRORED, NOW)).contains(NOW.minus(Duration.ofDays(90)));
        assertThat(rules.shortest()).contains(Duration.ofDays(30));
        assertThat(rules.batchSize()).isEqualTo(500);
        assertThat(rules.interval()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void should_let_a_worker_keep_its_jobs_shorter_longer_or_forever() {
        RetentionRules rules = rules(Map.of(
                "jobstack.jobs.workers.log.retention.done", "1d",
                "jobstack.jobs.workers.konnector.retention.errored", "0",
                "jobstack.jobs.retention.errored", "60d"));

        assertThat(rules.cutoff("log", JobState.DONE, NOW)).contains(NOW.minus(Duration.ofDays(1)));
        assertThat(rules.cutoff("log", JobState.ERRORED, NOW)).contains(NOW.minus(Duration.ofDays(60)));
        assertThat(rules.cutoff("konnector", JobState.ERRORED, NOW)).isEmpty();
        assertThat(rules.cutoff("konnector", JobState.DONE, NOW)).contains(NOW.minus(Duration.ofDays(30)));
        assertThat(rules.shortest()).contains(Duration.ofDays(1));
    }

    @Test
    void should_purge_nothing_when_every_job_is_kept_forever() {
        RetentionRules rules =
                rules(Map.of("jobstack.jobs.retention.done", "0", "jobstack.jobs.retention.errored", "0"));

        assertThat(rules.shortest()).isEmpty();
        assertThat(rules.cutoff("log", JobState.DONE, NOW)).isEmpty();
    }

    @Test
    void should_refuse_negative_retentions_and_batches_naming_the_setting() {
        assertThatThrownBy(() -> rules(Map.of("jobstack.jobs.retention.done", "-1d")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith("jobstack.jobs.retention.done:");
        assertThatThrownBy(() -> rules(Map.of("jobstack.jobs.workers.log.retention.errored", "-5m")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith("jobstack.jobs.workers.log.retention.errored:");
        assertThatThrownBy(() -> rules(Map.of("jobstack.jobs.retention.batch-size", "0")))
                .isInstanceOf(StartupRefusal.class)
                .hasMessageStartingWith("jobstack.jobs.retention:");
        for (String share : List.of("0", "-0.1", "1.5", "NaN")) {
            assertThatThrownBy(() -> rules(Map.of("jobstack.jobs.retention.time-share", share)))
                    .as(share)
                    .isInstanceOf(StartupRefusal.class)
                    .hasMessageContaining("time-share");
        }
    }

    @Test
    void should_rest_after_each_batch_so_that_the_purge_works_its_time_share() {
        Duration batch = Duration.ofMillis(40);

        assertThat(rules(Map.of()).restAfter(batch)).isEqualTo(Duration.ofMillis(360));
        assertThat(rules(Map.of("jobstack.jobs.retention.time-share", "0.25")).restAfter(batch))
                .isEqualTo(Duration.ofMillis(120));
        assertThat(rules(Map.of("jobstack.jobs.retention.time-share", "1")).restAfter(batch))
                .isZero();
    }

    private static RetentionRules rules(Map<String, String> settings) {
        return new RetentionRules(TestProperties.of(settings));
    }
}
