package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StartGateTest {

    @Test
    void should_hold_a_runner_until_the_job_is_stored() throws Exception {
        StartGate gate = new StartGate();
        CompletableFuture<Void> runner = CompletableFuture.runAsync(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        Thread.sleep(200);
        assertThat(runner).isNotDone();
        gate.stored();

        runner.get(5, TimeUnit.SECONDS);
    }

    @Test
    void should_tell_the_runner_of_a_job_never_stored() {
        StartGate gate = new StartGate();

        gate.abandoned();

        assertThatThrownBy(gate::await).isInstanceOf(StartGate.NeverStored.class);
    }

    @Test
    void should_never_hold_a_job_claimed_from_the_queue() throws Exception {
        StartGate.OPEN.await();
    }

    @Test
    void should_not_refuse_an_interrupted_thread_once_the_transaction_has_ended() throws Exception {
        StartGate gate = new StartGate();
        gate.stored();

        Thread.currentThread().interrupt();
        try {
            gate.await();
        } finally {
            assertThat(Thread.interrupted())
                    .as("the interrupt is left for the runner")
                    .isTrue();
        }
    }
}
