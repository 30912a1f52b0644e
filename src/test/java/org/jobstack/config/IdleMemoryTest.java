package org.jobstack.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdleMemoryTest {

    private static JobstackProperties.Memory memory(int ratio, String idle) {
        return new JobstackProperties.Memory(ratio, Duration.parse("PT" + idle), Duration.ZERO);
    }

    @Test
    void should_keep_less_of_the_heap_free_and_collect_an_idle_g1_heap() {
        FakeVmFlags flags = new FakeVmFlags(true);

        new IdleMemory(memory(30, "30S"), flags).apply();

        assertThat(flags.set)
                .containsExactly(
                        Map.entry("MinHeapFreeRatio", 10L),
                        Map.entry("MaxHeapFreeRatio", 30L),
                        Map.entry("G1PeriodicGCInterval", 30_000L));
    }

    @Test
    void should_leave_the_flags_given_on_the_command_line() {
        FakeVmFlags flags = new FakeVmFlags(true, "MaxHeapFreeRatio", "G1PeriodicGCInterval");

        new IdleMemory(memory(30, "30S"), flags).apply();

        assertThat(flags.set).isEmpty();
    }

    @Test
    void should_collect_when_idle_only_on_g1() {
        FakeVmFlags flags = new FakeVmFlags(false);

        new IdleMemory(memory(30, "30S"), flags).apply();

        assertThat(flags.set).containsOnlyKeys("MinHeapFreeRatio", "MaxHeapFreeRatio");
    }

    @Test
    void should_change_nothing_when_both_are_off() {
        FakeVmFlags flags = new FakeVmFlags(true);

        new IdleMemory(memory(0, "0S"), flags).apply();

        assertThat(flags.set).isEmpty();
    }

    @Test
    void should_refuse_a_ratio_or_an_interval_it_cannot_use() {
        FakeVmFlags flags = new FakeVmFlags(true);

        assertThatThrownBy(() -> new IdleMemory(memory(100, "30S"), flags))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-heap-free-ratio");
        assertThatThrownBy(() -> new IdleMemory(memory(-1, "30S"), flags)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdleMemory(memory(30, "-1S"), flags))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("idle-gc-interval");
    }

    @Test
    void should_read_and_set_this_jvms_flags() {
        VmFlags flags = VmFlags.hotSpot();
        long min = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MinHeapFreeRatio")
                .getValue());

        assertThat(flags.defaultValue("NoSuchFlagAnywhere")).isEmpty();
        assertThat(flags.set("NoSuchFlagAnywhere", 1)).isFalse();
        assertThat(flags.set("MinHeapFreeRatio", min)).as("its own value again").isTrue();
        assertThat(flags.defaultValue("MinHeapFreeRatio"))
                .as("a flag set while the JVM runs is no longer its default")
                .isEmpty();
    }
}
