package org.jobstack.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jobstack.support.Api;

/** Where a server's memory goes ({@code bench/scale.sh -Dmode=store -Dnmt=true}). */
final class MemoryReport {

    private MemoryReport() {}

    /**
     * Where {@code pid}'s memory goes, for {@code -Dnmt=true}: {@code jcmd VM.native_memory summary}
     * (when the JVM runs with {@code -XX:NativeMemoryTracking}), {@code GC.heap_info}, the JDK's
     * buffer pools (direct, mapped), {@code /proc/<pid>/smaps_rollup}, its threads, and its
     * mappings grouped by kind (heap, glibc arenas, other anonymous, files), with the largest by RSS.
     */
    static String of(long pid, Api api) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        for (String command : new String[] {"VM.native_memory summary", "GC.heap_info"}) {
            out.append("## jcmd ").append(command).append('\n').append(ProcStats.jcmd(pid, command.split(" ")));
        }
        out.append("## jcmd GC.class_histogram, first 25 classes\n")
                .append(ProcStats.jcmd(pid, "GC.class_histogram")
                        .lines()
                        .limit(28)
                        .collect(Collectors.joining("\n")))
                .append('\n');
        out.append("## buffer pools (jvm.buffer.memory.used, jvm.buffer.count)\n");
        for (String id : new String[] {"direct", "mapped"}) {
            out.append(String.format(
                    "%s: %.1f MB in %.0f buffers%n",
                    id,
                    metric(api, "jvm.buffer.memory.used?tag=id:" + id) / 1024 / 1024,
                    metric(api, "jvm.buffer.count?tag=id:" + id)));
        }
        out.append("## /proc/").append(pid).append("/smaps_rollup\n");
        out.append(ProcStats.read(Path.of("/proc", Long.toString(pid), "smaps_rollup")));
        out.append("## threads: ").append(ProcStats.status(pid, "Threads")).append('\n');
        out.append(mappings(ProcStats.read(Path.of("/proc", Long.toString(pid), "smaps"))));
        return out.toString();
    }

    /** The mappings of an smaps text grouped by kind, RSS in MB, and the 15 largest by RSS. */
    private static String mappings(String smaps) {
        record Mapping(long start, long end, String perms, String name, long rssKb) {}
        List<Mapping> maps = new ArrayList<>();
        long start = 0, end = 0;
        String perms = "", name = "";
        long rss = -1;
        for (String line : smaps.split("\n")) {
            if (line.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                if (rss >= 0) {
                    maps.add(new Mapping(start, end, perms, name, rss));
                }
                String[] f = line.split("\\s+", 6);
                String[] range = f[0].split("-");
                start = Long.parseUnsignedLong(range[0], 16);
                end = Long.parseUnsignedLong(range[1], 16);
                perms = f[1];
                name = f.length > 5 ? f[5].strip() : "";
                rss = 0;
            } else if (line.startsWith("Rss:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        if (rss >= 0) {
            maps.add(new Mapping(start, end, perms, name, rss));
        }
        // glibc's arenas: anonymous read-write mappings starting on a 64 MB boundary, each followed
        // by its unused reserve (---p) up to 64 MB; the main arena is [heap]
        long arena = 64L << 20;
        Map<String, long[]> kinds = new TreeMap<>();
        for (int i = 0; i < maps.size(); i++) {
            Mapping m = maps.get(i);
            String kind;
            if (m.name().startsWith("/")) {
                kind = "file "
                        + (m.name().endsWith(".jar") ? "jar" : m.name().contains("/lib") ? "libraries" : m.name());
            } else if (!m.name().isEmpty()) {
                kind = m.name();
            } else if (m.start() % arena == 0
                    && m.perms().startsWith("rw")
                    && m.end() - m.start() <= arena
                    && (m.end() - m.start() == arena
                            || (i + 1 < maps.size()
                                    && maps.get(i + 1).start() == m.end()
                                    && maps.get(i + 1).perms().startsWith("---")
                                    && maps.get(i + 1).end() - m.start() == arena))) {
                kind = "anonymous, glibc arena (64 MB aligned)";
            } else {
                kind = "anonymous, other";
            }
            long[] sum = kinds.computeIfAbsent(kind, k -> new long[2]);
            sum[0] += m.rssKb();
            sum[1]++;
        }
        StringBuilder out = new StringBuilder("## mappings by kind: RSS MB (count)\n");
        kinds.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]))
                .filter(e -> e.getValue()[0] >= 1024)
                .forEach(e -> out.append(
                        String.format("%8.1f (%d) %s%n", e.getValue()[0] / 1024.0, e.getValue()[1], e.getKey())));
        out.append("## largest mappings by RSS: start, size MB, RSS MB, perms, name\n");
        maps.stream()
                .sorted((a, b) -> Long.compare(b.rssKb(), a.rssKb()))
                .limit(15)
                .forEach(m -> out.append(String.format(
                        "%x %8.1f %8.1f %s %s%n",
                        m.start(), (m.end() - m.start()) / 1048576.0, m.rssKb() / 1024.0, m.perms(), m.name())));
        return out.toString();
    }

    private static double metric(Api api, String path) {
        Api.Response r = api.admin("GET", "/actuator/metrics/" + path, null);
        return r.status() == 200
                ? r.json().path("measurements").path(0).path("value").asDouble()
                : Double.NaN;
    }
}
