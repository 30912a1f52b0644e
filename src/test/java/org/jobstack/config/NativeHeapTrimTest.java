package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NativeHeapTrimTest {

    @Test
    void should_trim_again_every_interval_until_stopped() {
        FakeVmFlags flags = new FakeVmFlags(true);
        NativeHeapTrim trim = new NativeHeapTrim(Duration.ofMillis(10), flags);

        trim.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> flags.trims.get() >= 3);
        } finally {
            trim.stop();
        }
        int afterStop = flags.trims.get();

        assertThat(trim.isRunning()).isFalse();
        await().during(Duration.ofMillis(100)).until(() -> flags.trims.get() == afterStop);
    }

    @Test
    void should_trim_only_when_the_heap_was_not_collected_since_the_previous_check() {
        FakeVmFlags flags = new FakeVmFlags(true);
        NativeHeapTrim trim = new NativeHeapTrim(Duration.ofSeconds(10), flags);

        trim.pass();
        assertThat(flags.trims)
                .as("the first check has nothing to compare with")
                .hasValue(0);
        trim.pass();
        assertThat(flags.trims).as("no collection since").hasValue(1);
        flags.collections = 3;
        trim.pass();
        assertThat(flags.trims).as("collected meanwhile: busy").hasValue(1);
        trim.pass();
        assertThat(flags.trims).hasValue(2);
    }

    @Test
    void should_leave_the_trimming_to_the_jvm_when_its_flag_is_given() {
        NativeHeapTrim trim =
                new NativeHeapTrim(Duration.ofMillis(10), new FakeVmFlags(true, "TrimNativeHeapInterval"));

        trim.start();

        assertThat(trim.isRunning()).isFalse();
    }

    @Test
    void should_not_trim_when_the_interval_is_zero_and_refuse_a_negative_one() {
        NativeHeapTrim trim = new NativeHeapTrim(Duration.ZERO, new FakeVmFlags(true));

        trim.start();

        assertThat(trim.isRunning()).isFalse();
        assertThatThrownBy(() -> new NativeHeapTrim(Duration.ofSeconds(-1), new FakeVmFlags(true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("native-trim-interval");
    }

    @Test
    void should_stop_asking_a_jvm_that_cannot_trim() {
        FakeVmFlags flags = new FakeVmFlags(true);
        flags.canTrim = false;
        NativeHeapTrim trim = new NativeHeapTrim(Duration.ofSeconds(30), flags);

        assertThat(trim.trim()).isEmpty();
        assertThat(trim.trim()).isEmpty();

        assertThat(flags.trims).hasValue(1);
    }

    @Test
    void should_trim_this_jvms_native_heap() {
        NativeHeapTrim trim = new NativeHeapTrim(Duration.ofSeconds(30), VmFlags.hotSpot());

        assertThat(trim.trim())
                .as("JDK 17.0.9 and later have System.trim_native_heap")
                .hasValueSatisfying(report -> assertThat(report).contains("Trim native heap"));
        assertThat(VmFlags.hotSpot().given("NoSuchFlagAnywhere")).isFalse();
        long before = VmFlags.hotSpot().collections();
        System.gc();
        assertThat(VmFlags.hotSpot().collections()).isGreaterThan(before);
    }
}
