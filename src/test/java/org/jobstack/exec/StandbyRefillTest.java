package org.jobstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.jobstack.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** A taken standby process is replaced once the refill delay has passed, not while its job starts. */
@TestPropertySource(properties = {"jobstack.jobs.workers.service.standby=2", "jobstack.exec.standby-refill-delay=2s"})
class StandbyRefillTest extends IntegrationTest {

    @Autowired
    StandbyPool pool;

    @Test
    void should_start_the_replacement_of_a_taken_process_only_after_the_refill_delay() {
        await().atMost(Duration.ofSeconds(10)).until(() -> pool.readyPids().size() == 2);
        long takenAt = System.nanoTime();
        StandbyProcess taken = pool.take().orElseThrow();
        try {
            await().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofMillis(1900))
                    .until(() -> pool.readyPids().size() == 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> pool.readyPids().size() == 2);

            assertThat(Duration.ofNanos(System.nanoTime() - takenAt)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            assertThat(pool.readyPids()).doesNotContain(taken.pid());
        } finally {
            taken.discard();
        }
    }
}
