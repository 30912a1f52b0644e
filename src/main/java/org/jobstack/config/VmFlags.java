package org.jobstack.config;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import javax.management.JMException;
import javax.management.ObjectName;
import org.jobstack.common.FileTrees;

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

    /** The flag's current value as the JVM prints it ({@code true}, {@code 4}); empty when there is no such flag. */
    Optional<String> value(String name);

    /** Pushes compiler directives (HotSpot's JSON format) on the JVM's stack ({@code Compiler.directives_add}), if it can. */
    void addCompilerDirectives(String json);

    /** The JVM's compiler directives, top first, as {@code Compiler.directives_print} shows them; empty if it cannot. */
    Optional<String> compilerDirectives();

    /** Pops the directive on top of the JVM's stack ({@code Compiler.directives_remove}). */
    boolean removeCompilerDirective();

    /** This JVM's flags (HotSpot's diagnostic bean). */
    static VmFlags hotSpot() {
        HotSpotDiagnosticMXBean bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return new VmFlags() {
            @Override
            public Optional<Long> defaultValue(String name) {
                return option(name)
                        .filter(option -> option.getOrigin() == VMOption.Origin.DEFAULT)
                        .map(option -> Long.parseLong(option.getValue()));
            }

            /** The flag, or empty when this JVM has no such flag. */
            private Optional<VMOption> option(String name) {
                try {
                    return Optional.of(bean.getVMOption(name));
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
            public Optional<String> value(String name) {
                return option(name).map(VMOption::getValue);
            }

            @Override
            public void addCompilerDirectives(String json) {
                Path folder = null;
                try {
                    // the command reads a file: in a folder of this user's only, so that nobody swaps it
                    folder = Files.createTempDirectory("jobstack-compiler");
                    Path file =
                            Files.writeString(folder.resolve("directives.json"), json, StandardOpenOption.CREATE_NEW);
                    command("compilerDirectivesAdd", file.toString());
                } catch (IOException | JMException e) {
                    // not pushed: the caller sees it in the stack
                } finally {
                    FileTrees.deleteQuietly(folder);
                }
            }

            @Override
            public Optional<String> compilerDirectives() {
                try {
                    return Optional.of(String.valueOf(command("compilerDirectivesPrint")));
                } catch (JMException e) {
                    return Optional.empty();
                }
            }

            @Override
            public boolean removeCompilerDirective() {
                try {
                    command("compilerDirectivesRemove");
                    return true;
                } catch (JMException e) {
                    return false;
                }
            }

            @Override
            public boolean given(String name) {
                return option(name)
                        .map(option -> option.getOrigin() != VMOption.Origin.DEFAULT)
                        .orElse(false);
            }

            @Override
            public Optional<String> trimNativeHeap() {
                try {
                    return Optional.of(
                            String.valueOf(command("systemTrimNativeHeap")).strip());
                } catch (JMException e) {
                    return Optional.empty();
                }
            }

            /** Runs one of the JVM's diagnostic commands, as {@code jcmd} would. */
            private Object command(String name, String... arguments) throws JMException {
                ObjectName commands = new ObjectName("com.sun.management:type=DiagnosticCommand");
                return arguments.length == 0
                        ? ManagementFactory.getPlatformMBeanServer()
                                .invoke(commands, name, new Object[0], new String[0])
                        : ManagementFactory.getPlatformMBeanServer()
                                .invoke(commands, name, new Object[] {arguments}, new String[] {String[].class.getName()
                                });
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
