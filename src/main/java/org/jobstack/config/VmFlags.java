package org.jobstack.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import javax.management.JMException;
import javax.management.ObjectName;

/** The JVM's manageable flags, read and set while it runs, its collections and its diagnostic commands. */
interface VmFlags {

    /** The flag's value when the JVM left it at its default; empty when it was set otherwise, or is unknown. */
    Optional<Long> defaultValue(String name);

    /** Sets a manageable flag; false when the JVM refused it. */
    boolean set(String name, long value);

    /** Whether the heap is G1's. */
    boolean g1();

    /** How many collections the JVM has run so far, all collectors together. */
    long collections();

    /** Whether the flag exists and was given a value (on the command line, say) rather than left at its default. */
    boolean given(String name);

    /**
     * Gives the C library's free memory back to the system ({@code System.trim_native_heap}, glibc's
     * {@code malloc_trim}); the JVM's report, or empty when this JVM has no such command.
     */
    Optional<String> trimNativeHeap();

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
            public boolean given(String name) {
                try {
                    return bean.getVMOption(name).getOrigin() != VMOption.Origin.DEFAULT;
                } catch (IllegalArgumentException e) {
                    return false;
                }
            }

            @Override
            public Optional<String> trimNativeHeap() {
                try {
                    Object report = ManagementFactory.getPlatformMBeanServer()
                            .invoke(
                                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                                    "systemTrimNativeHeap",
                                    new Object[0],
                                    new String[0]);
                    return Optional.of(String.valueOf(report).strip());
                } catch (JMException e) {
                    return Optional.empty();
                }
            }

            @Override
            public long collections() {
                return ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .mapToLong(collector -> Math.max(0, collector.getCollectionCount()))
                        .sum();
            }

            @Override
            public boolean g1() {
                return ManagementFactory.getGarbageCollectorMXBeans().stream()
                        .anyMatch(collector -> collector.getName().startsWith("G1"));
            }
        };
    }
}
