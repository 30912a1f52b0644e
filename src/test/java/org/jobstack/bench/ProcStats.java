package org.jobstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jobstack.support.Api;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A JVM as Linux and the JDK's tools see it: CPU time ({@code utime + stime} in {@code
 * /proc/<pid>/stat}), resident memory ({@code VmRSS}), and heap in use after a full GC ({@code jcmd
 * <pid> GC.run}, then the server's {@code jvm.memory.used} metric for the heap).
 */
final class ProcStats {

    private static final double TICK_MILLIS = 1000.0 / clockTicks();
    private static final Map<DataSource, Long> POSTMASTERS = new ConcurrentHashMap<>();

    private ProcStats() {}

    /** CPU time of {@code pid} so far, user and system, in ms. */
    static double cpuMillis(long pid) {
        return ticks(read(Path.of("/proc", Long.toString(pid), "stat"))) * TICK_MILLIS;
    }

    /**
     * CPU time, in ms, of {@code pid}'s children that have ended and been waited for, user and
     * system ({@code cutime + cstime}): for a server, its node processes and whatever ran in their
     * place before they exec'd (the JDK's spawn helper, {@code setsid}, the wrapper shell), not a
     * process they left to be reparented.
     */
    static double childrenCpuMillis(long pid) {
        String[] f = afterName(read(Path.of("/proc", Long.toString(pid), "stat")));
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * TICK_MILLIS;
    }

    /**
     * The share of one CPU under which a server's JIT compilers are taken as settled over a warm-up
     * step ({@code -Dwarmup=jit} of the harnesses): on two CPUs they take about half of one for the
     * first minute or so of load.
     */
    static final double SETTLED_JIT_SHARE = 0.05;

    /**
     * CPU time so far of {@code pid}'s JIT compiler threads (HotSpot's {@code C1 CompilerThread…} and
     * {@code C2 CompilerThread…}), in ms: how much of a young server's CPU is compiling rather than
     * working. A compiler thread that exits between two readings takes its time with it (HotSpot
     * adds and removes compiler threads beyond the first of each kind on larger machines), so on
     * those a difference is a lower bound.
     */
    static double compilerCpuMillis(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        double total = 0;
        try (var threads = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) threads::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        total += ticks(stat) * TICK_MILLIS;
                    }
                } catch (IOException exited) {
                    // the thread ended while the list was read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /**
     * CPU time so far, in ms, of the PostgreSQL server behind {@code dataSource} when it runs on this
     * machine: its postmaster and every process of it still running (the backends of the server's
     * pooled connections, the WAL writer, the checkpointer…). A process that ended between two
     * readings takes its time with it, so a difference is a lower bound.
     */
    static double postgresCpuMillis(DataSource dataSource) {
        long postmaster = POSTMASTERS.computeIfAbsent(dataSource, ProcStats::postmasterOf);
        double total = cpuMillis(postmaster);
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : (Iterable<Path>) processes::iterator) {
                if (!process.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String stat = Files.readString(process.resolve("stat"));
                    if (parentPid(stat) == postmaster) {
                        total += ticks(stat) * TICK_MILLIS;
                    }
                } catch (IOException ended) {
                    // the process ended while /proc was read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /** The postmaster: the parent of the backend serving a connection of {@code dataSource}. */
    private static long postmasterOf(DataSource dataSource) {
        int backend = JdbcClient.create(dataSource)
                .sql("SELECT pg_backend_pid()")
                .query(Integer.class)
                .single();
        return parentPid(read(Path.of("/proc", Integer.toString(backend), "stat")));
    }

    /** utime + stime of a {@code stat} line (its fields 14 and 15), in clock ticks. */
    private static long ticks(String stat) {
        String[] f = afterName(stat);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** The parent's pid in a {@code stat} line (its field 4). */
    private static long parentPid(String stat) {
        return Long.parseLong(afterName(stat)[1]);
    }

    /** The fields of a {@code stat} line after the command name, which is in parentheses and may hold spaces. */
    private static String[] afterName(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    static double rssMb(long pid) {
        return Long.parseLong(status(pid, "VmRSS").replaceAll("[^0-9]", "")) / 1024.0;
    }

    /** The value of a field of {@code /proc/<pid>/status} ({@code VmRSS} gives {@code "1234 kB"}). */
    static String status(long pid, String field) {
        return read(Path.of("/proc", Long.toString(pid), "status"))
                .lines()
                .filter(l -> l.startsWith(field + ":"))
                .map(l -> l.substring(field.length() + 1).strip())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + field + " in /proc/" + pid + "/status"));
    }

    /** What {@code jcmd <pid> <command…>} prints (the harness's own JDK's jcmd); throws when it fails. */
    static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
        argv.addAll(List.of(command));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** Heap in use right after a full GC of {@code pid}, in MB, read from the server's metrics. */
    static double heapAfterGcMb(long pid, Api api) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Api.Response r = api.admin("GET", "/actuator/metrics/jvm.memory.used?tag=area:heap", null);
        if (r.status() != 200) {
            throw new IllegalStateException("heap metric: " + r.status() + " " + r.body());
        }
        return r.json().path("measurements").path(0).path("value").asDouble() / 1024 / 1024;
    }

    /** {@code VmRSS} once it has settled ({@link #settledRss}), and how it went down since the first reading. */
    record Settled(double firstMb, double mb, double seconds, String timeline) {}

    /**
     * {@code VmRSS} of {@code pid} once it has settled: read every 250 ms until it varied by less
     * than 1 % over the last 2 s (at most 30 s). After a full GC, G1 gives the heap it shrank back
     * to the system on a concurrent thread (JDK 17: JDK-8236926), which takes seconds after {@code
     * jcmd GC.run} returns: read at once, RSS still holds the heap the load had grown.
     */
    static Settled settledRss(long pid) throws InterruptedException {
        List<Double> mb = new ArrayList<>();
        StringBuilder timeline = new StringBuilder();
        long start = System.nanoTime();
        for (int i = 0; ; i++) {
            long wait = start + i * 250_000_000L - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            double rss = rssMb(pid);
            double seconds = (System.nanoTime() - start) / 1e9;
            mb.add(rss);
            if (i % 2 == 0) {
                timeline.append(timeline.length() == 0 ? "" : ", ").append(String.format("%.1f s %.0f", seconds, rss));
            }
            if (i >= 8) {
                List<Double> last = mb.subList(i - 8, i + 1);
                double max =
                        last.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                double min =
                        last.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                if (max - min < 0.01 * max || seconds >= 30) {
                    return new Settled(mb.get(0), rss, seconds, timeline.toString());
                }
            }
        }
    }

    static String read(Path file) {
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
