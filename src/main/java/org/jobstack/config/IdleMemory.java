package org.jobstack.config;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Lets an idle server give back the heap it no longer uses (JEP 346). With the JVM's defaults a
 * collection keeps up to 70 % of the heap free, so what the start-up touched stays resident (about
 * 470 MB idle here); with {@code jobstack.memory.max-heap-free-ratio} (15 by default) and, on G1, a
 * concurrent collection after {@code idle-gc-interval} without one (30 s), an idle server settles
 * near 285 MB with the native heap trim (docs/benchmarks.md). A busy server keeps growing its heap
 * as the collector needs. Flags given on the command line are left as they are.
 */
@Component
class IdleMemory {

    private static final Logger log = LoggerFactory.getLogger(IdleMemory.class);

    private final JobstackProperties.Memory settings;
    private final VmFlags flags;

    @Autowired
    IdleMemory(JobstackProperties properties) {
        this(properties.memory(), VmFlags.hotSpot());
    }

    IdleMemory(JobstackProperties.Memory settings, VmFlags flags) {
        if (settings.maxHeapFreeRatio() < 0
                || settings.maxHeapFreeRatio() > 99
                || settings.idleGcInterval().isNegative()) {
            throw new IllegalArgumentException(
                    "jobstack.memory: max-heap-free-ratio must be in 0..99 and idle-gc-interval >= 0");
        }
        this.settings = settings;
        this.flags = flags;
    }

    @EventListener(ApplicationReadyEvent.class)
    void apply() {
        int ratio = settings.maxHeapFreeRatio();
        if (ratio > 0) {
            var min = flags.defaultValue("MinHeapFreeRatio");
            if (min.isPresent() && flags.defaultValue("MaxHeapFreeRatio").isPresent()) {
                // the minimum first: the JVM refuses a maximum under the minimum
                boolean set = flags.set("MinHeapFreeRatio", Math.min(min.get(), ratio / 3))
                        && flags.set("MaxHeapFreeRatio", ratio);
                log.atDebug().log("Heap kept at most {} % free after a collection: {}", ratio, set);
            }
        }
        Duration idle = settings.idleGcInterval();
        if (!idle.isZero()
                && flags.g1()
                && flags.defaultValue("G1PeriodicGCInterval").isPresent()) {
            boolean set = flags.set("G1PeriodicGCInterval", Math.max(1, idle.toMillis()));
            log.atDebug().log("A collection after {} idle: {}", idle, set);
        }
    }
}
