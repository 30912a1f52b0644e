package org.jobstack.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class BackgroundLoopTest {

    private static final Duration LONG = Duration.ofHours(1);

    @Test
    void should_run_the_next_pass_at_once_when_woken_during_a_long_wait() throws Exception {
        CountDownLatch second = new CountDownLatch(2);
        BackgroundLoop loop = BackgroundLoop.of("test-wake", LONG, "failed", () -> {
            second.countDown();
            return LONG;
        });
        loop.start();
        try {
            awaitPasses(() -> second.getCount() == 1);
            loop.wake();
            assertThat(second.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void should_not_lose_a_wake_that_comes_during_a_pass() throws Exception {
        CountDownLatch inFirstPass = new CountDownLatch(1);
        CountDownLatch woken = new CountDownLatch(1);
        AtomicInteger passes = new AtomicInteger();
        BackgroundLoop loop = BackgroundLoop.of("test-wake-during-pass", LONG, "failed", () -> {
            if (passes.incrementAndGet() == 1) {
                inFirstPass.countDown();
                woken.await(10, TimeUnit.SECONDS);
            }
            return LONG;
        });
        loop.start();
        try {
            assertThat(inFirstPass.await(10, TimeUnit.SECONDS)).isTrue();
            loop.wake();
            woken.countDown();
            awaitPasses(() -> passes.get() >= 2);
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void should_keep_running_after_a_failed_pass_waiting_the_error_wait() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BackgroundLoop loop = BackgroundLoop.of("test-error", Duration.ofMillis(1), "expected failure", () -> {
            if (passes.incrementAndGet() == 1) {
                throw new IllegalStateException("first pass fails");
            }
            return LONG;
        });
        loop.start();
        try {
            awaitPasses(() -> passes.get() >= 2);
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void should_let_the_pass_under_way_end_then_run_the_last_pass_on_stop() throws Exception {
        CountDownLatch inPass = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean lastPassRan = new AtomicBoolean();
        BackgroundLoop loop = BackgroundLoop.of("test-stop", LONG, "failed", () -> {
                    inPass.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                    return Duration.ZERO;
                })
                .withLastPass(() -> lastPassRan.set(true));
        loop.start();
        assertThat(inPass.await(10, TimeUnit.SECONDS)).isTrue();

        Thread stopper = new Thread(() -> loop.stop(Duration.ofSeconds(10)));
        stopper.start();
        awaitPasses(() -> !loop.isRunning());
        assertThat(lastPassRan).as("not before the pass under way ends").isFalse();
        release.countDown();
        stopper.join(10_000);

        assertThat(lastPassRan).isTrue();
        assertThat(interrupted).isFalse();
    }

    @Test
    void should_wait_before_its_first_pass_when_started_after_a_delay() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BackgroundLoop loop = BackgroundLoop.of("test-start-after", LONG, "failed", () -> {
            passes.incrementAndGet();
            return LONG;
        });
        loop.startAfter(LONG);
        try {
            Thread.sleep(200);
            assertThat(passes).as("no pass before the first wait ends").hasValue(0);
            loop.wake();
            awaitPasses(() -> passes.get() == 1);
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void should_start_again_after_a_stop() throws Exception {
        AtomicInteger passes = new AtomicInteger();
        BackgroundLoop loop = BackgroundLoop.of("test-restart", LONG, "failed", () -> {
            passes.incrementAndGet();
            return LONG;
        });
        loop.start();
        awaitPasses(() -> passes.get() == 1);
        loop.stop(Duration.ofSeconds(5));
        loop.start();
        try {
            awaitPasses(() -> passes.get() == 2);
            assertThat(loop.isRunning()).isTrue();
        } finally {
            loop.stop(Duration.ofSeconds(5));
        }
    }

    private static void awaitPasses(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 10 s").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
