package org.jobstack.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Flags as a JVM started without options has them, those {@code fromCommandLine} aside. */
final class FakeVmFlags implements VmFlags {
    final Map<String, Long> values =
            new HashMap<>(Map.of("MinHeapFreeRatio", 40L, "MaxHeapFreeRatio", 70L, "G1PeriodicGCInterval", 0L));
    final Map<String, Long> set = new LinkedHashMap<>();
    /** Flags read as text, with a JVM's defaults on a machine with several CPUs. */
    final Map<String, String> texts = new HashMap<>(Map.of("TieredCompilation", "true", "TieredStopAtLevel", "4"));
    /** The compiler directives stack, its top last. */
    final List<String> directives = new ArrayList<>();

    volatile boolean acceptsDirectives = true;
    final Set<String> fromCommandLine;
    final boolean g1;
    final AtomicInteger trims = new AtomicInteger();
    volatile boolean canTrim = true;
    volatile long collections;

    FakeVmFlags(boolean g1, String... fromCommandLine) {
        this.g1 = g1;
        this.fromCommandLine = Set.of(fromCommandLine);
    }

    @Override
    public Optional<Long> defaultValue(String name) {
        return fromCommandLine.contains(name) || set.containsKey(name)
                ? Optional.empty()
                : Optional.ofNullable(values.get(name));
    }

    @Override
    public boolean set(String name, long value) {
        if (name.equals("MaxHeapFreeRatio") && value < current("MinHeapFreeRatio")) {
            return false;
        }
        set.put(name, value);
        return true;
    }

    long current(String name) {
        return set.getOrDefault(name, values.get(name));
    }

    @Override
    public boolean g1() {
        return g1;
    }

    @Override
    public long collections() {
        return collections;
    }

    @Override
    public boolean given(String name) {
        return fromCommandLine.contains(name) || set.containsKey(name);
    }

    @Override
    public Optional<String> value(String name) {
        return Optional.ofNullable(texts.get(name));
    }

    @Override
    public void addCompilerDirectives(String json) {
        if (acceptsDirectives) {
            directives.add(json);
        }
    }

    /** Each directive's whole text on its {@code matching:} line, top first, as the JVM prints its patterns. */
    @Override
    public Optional<String> compilerDirectives() {
        StringBuilder printed = new StringBuilder();
        for (int i = directives.size() - 1; i >= 0; i--) {
            printed.append("Directive:\n matching: ").append(directives.get(i)).append('\n');
        }
        return Optional.of(
                printed.append("Directive: (default)\n matching: *.*\n").toString());
    }

    @Override
    public boolean removeCompilerDirective() {
        if (!directives.isEmpty()) {
            directives.remove(directives.size() - 1);
        }
        return true;
    }

    @Override
    public Optional<String> trimNativeHeap() {
        trims.incrementAndGet();
        return canTrim ? Optional.of("Trim native heap: RSS+Swap: 351M->322M (-29352K)") : Optional.empty();
    }
}
