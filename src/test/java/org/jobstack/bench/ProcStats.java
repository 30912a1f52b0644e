package org.jobstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jobstack.support.Api;

/**
 * A JVM as Linux and the JDK's tools see it: CPU time ({@code utime + stime} in {@code
 * /proc/<pid>/stat}), resident memory ({@code VmRSS}), and heap in use after a full GC ({@code jcmd
 * <pid> GC.run}, then the server's {@code jvm.memory.used} metric for the heap).
 */
final class ProcStats {

    private static final double TICK_MILLIS = 1000.0 / clockTicks();

    private ProcStats() {}

    /** CPU time of {@code pid} so far, user and system, in ms. */
    static double cpuMillis(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // the fields after the command name (in parentheses, which may hold spaces); utime and stime are 14 and 15
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_MILLIS;
    }

    static double rssMb(long pid) {
        return read(Path.of("/proc", Long.toString(pid), "status"))
                        .lines()
                        .filter(l -> l.startsWith("VmRSS:"))
                        .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", "")))
                        .findFirst()
                        .orElseThrow()
                / 1024.0;
    }

    /** Heap in use right after a full GC of {@code pid}, in MB, read from the server's metrics. */
    static double heapAfterGcMb(long pid, Api api) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.run")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd GC.run failed: " + out);
        }
        Api.Response r = api.admin("GET", "/actuator/metrics/jvm.memory.used?tag=area:heap", null);
        if (r.status() != 200) {
            throw new IllegalStateException("heap metric: " + r.status() + " " + r.body());
        }
        return r.json().path("measurements").path(0).path("value").asDouble() / 1024 / 1024;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code getconf CLK_TCK}, the unit of {@code /proc/<pid>/stat}'s CPU times (100 if unknown). */
    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | InterruptedException | NumberFormatException e) {
            return 100;
        }
    }
}
