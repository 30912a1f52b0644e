package org.jobstack.config;

/** Run in a JVM of its own by {@link StartupCompilationTest}: a hot method under the directive, another after it. */
public final class CompilerDirectivesProbe {

    private CompilerDirectivesProbe() {}

    public static void main(String[] args) {
        VmFlags flags = VmFlags.hotSpot();
        flags.addCompilerDirectives(StartupCompilation.NO_C2);
        System.out.println("ours on top " + StartupCompilation.oursOnTop(flags));
        long sum = 0;
        for (int i = 0; i < 300_000; i++) {
            sum += whileExcluded(i);
        }
        System.out.println(
                "removed " + flags.removeCompilerDirective() + ", ours on top " + StartupCompilation.oursOnTop(flags));
        for (int i = 0; i < 300_000; i++) {
            sum += afterRemoval(i);
        }
        System.out.println("sum " + sum);
    }

    static long whileExcluded(long x) {
        long s = 0;
        for (int i = 0; i < 200; i++) {
            s += (x * i) ^ (s >>> 3);
        }
        return s;
    }

    static long afterRemoval(long x) {
        long s = 0;
        for (int i = 0; i < 200; i++) {
            s += (x * i) ^ (s >>> 5);
        }
        return s;
    }
}
