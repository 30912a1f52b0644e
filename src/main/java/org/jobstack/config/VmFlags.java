package org.jobstack.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/** The JVM's manageable flags, read and set while it runs. */
interface VmFlags {

    /** The flag's value when the JVM left it at its default; empty when it was set otherwise, or is unknown. */
    Optional<Long> defaultValue(String name);

    /** Sets a manageable flag; false when the JVM refused it. */
    boolean set(String name, long value);

    /** Whether the heap is G1's. */
    boolean g1();

    /** This JVM's flags (HotSpot's diagnostic bean). */
    static VmFlags hotSpot() {
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return new VmFlags() {
            @Override
            public Optional<Long> defaultValue(String name) {
                try {
                    VMOption option = bean.getVMOption(name);
                    return option.getOrigin() == VMOption.Origin.DEFAULT
                            ? Optional.of(Long.parseLong(option.getValue()))
                            : Optional.empty();
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }

            @Override
            public boolean set(String name, long value) {
                try {
                    bean.setVMOption(name, Long.toString(value));
                    return true;
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }

            @Override
            public boolean g1() {
                return ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .anyMatch(collector -> collector.getName().startsWith("G1"));
            }
        };
    }
}
