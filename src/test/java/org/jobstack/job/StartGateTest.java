package org.jobstack.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StartGateTest {

    @Test
    void should_take_the_step_left_before_the_commit_on_the_committing_thread() throws Exception {
        StartGate gate = new StartGate();
        AtomicReference<Thread> tookIt = new AtomicReference<>();

        CompletableFuture<Void> worker = CompletableFuture.runAsync(() -> {
            gate.whenStored(() -> tookIt.set(Thread.currentThread()));
            awaitQuietly(gate);
        });
        while (tookIt.get() == null && !gateHasStep(gate)) {
            Thread.onSpinWait();
        }
        gate.stored();

        worker.get(5, TimeUnit.SECONDS);
        assertThat(tookIt.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void should_take_the_step_at_once_when_the_job_is_stored_already() throws Exception {
        AtomicReference<Thread> tookIt = new AtomicReference<>();

        StartGate.OPEN.whenStored(() -> tookIt.set(Thread.currentThread()));

        assertThat(tookIt.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void should_never_take_the_step_of_a_job_never_stored() {
        StartGate gate = new StartGate();
        AtomicReference<Thread> tookIt = new AtomicReference<>();
        gate.whenStored(() -> tookIt.set(Thread.currentThread()));

        gate.abandoned();

        assertThatThrownBy(gate::await).isInstanceOf(StartGate.NeverStored.class);
        assertThat(tookIt.get()).isNull();
    }

    @Test
    void should_give_the_waiting_thread_what_the_step_threw() {
        StartGate gate = new StartGate();
        gate.whenStored(() -> {
            throw new IllegalStateException("no hand-off");
        });

        gate.stored();

        assertThatThrownBy(gate::await)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no hand-off");
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

    private static boolean gateHasStep(StartGate gate) {
        synchronized (gate) {
            return gate.hasStepLeft();
        }
    }

    private static void awaitQuietly(StartGate gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
