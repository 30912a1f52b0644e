package org.jobstack.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import org.jobstack.support.ClusterNode;

/**
 * Scale (issue 17): the API under load, a million jobs stored, and retention, each measured side
 * by side in one run on servers started from {@code target/jobstack.jar} ({@link JarServers}: one
 * JVM each, free loopback ports; PostgreSQL is one embedded PostgreSQL shared with the harness,
 * H2 a data folder). {@code -Dmode} lists the modes to run, in order (all by default):
 *
 * <ul>
 *   <li>{@code enqueue} ({@link EnqueueMode}): {@code POST /jobs/queue/log} and {@code POST
 *       /jobs/webhooks/:id} against {@code GET /actuator/health}, requests/s and their ratios.
 *       Settings: {@code clients} (8), {@code warmup} (10 s, or {@code jit}), {@code round} (10 s), {@code rounds}
 *       (3), {@code database} (h2), {@code paused} (false: the log jobs run meanwhile; true: the log
 *       worker is paused, the way in alone).
 *   <li>{@code events} ({@link EventsMode}): batches of events into jobs, with 10, then 100 000
 *       other triggers on other doctypes, then 100 000 more on the same doctype. Settings: {@code
 *       batch} (100), {@code eventClients} (4), {@code few} (10), {@code many} (100 000), {@code
 *       warmup} (10 s), {@code duration} (20 s per stage), {@code database} (postgres).
 *   <li>{@code store} ({@link StoreMode}): empty against a million jobs and 100 000 triggers: queue
 *       throughput, listing latencies (API, dashboard, CLI), heap and RSS. Settings: {@code
 *       databases} (postgres,h2), {@code jobs} (1 000 000), {@code triggers} (100 000), {@code
 *       domains} (100), {@code share} (0.1), {@code hotShare} (0.5), {@code days} (180), {@code
 *       clients} (8), {@code warmupJobs} (5 000), {@code queue} (20 000), {@code runs} (3), {@code
 *       samples} (50), {@code warmups} (5), {@code cliRuns} (5), {@code cli.commands} (--help,jobs ls log,triggers
 *       ls,instances ls), {@code nmt} (false: true prints where each server's memory goes, with
 *       NMT when {@code jvm.opts} has {@code -XX:NativeMemoryTracking=summary}).
 *   <li>{@code purge} ({@link PurgeMode}): queue throughput while a million old jobs are purged.
 *       Settings: {@code database} (postgres), {@code jobs}, {@code triggers}, {@code domains}, {@code
 *       share}, {@code days} as for {@code store}, {@code age} (30 days), {@code retention} (1d),
 *       {@code purgeInterval} (5s), {@code clients}, {@code warmupJobs} (5 000), {@code queue} (5
 *       000), {@code runs} (3), {@code purgeTimeout} (900 s).
 * </ul>
 *
 * Also: {@code -Dserver.args="--name=value …"} (server settings, last, so they override the
 * harness's), {@code -Djvm.opts="…"} (the servers' JVM options; none by default), {@code
 * -Dkeep=true} (keep {@code target/scale-bench/run-*}: node logs, H2 databases). Each mode prints
 * its figures and a summary row for docs/benchmarks.md, and a loud line when any call was not
 * answered as expected. Builds nothing: {@code bench/scale.sh} builds the jar if it is missing.
 *
 * <pre>bench/scale.sh [-Dmode=enqueue,events,store,purge] [-Djobs=1000000] …</pre>
 */
public final class ScaleBench {

    /** Rate limits that would refuse the load: webhook calls and service jobs per instance and hour. */
    static final List<String> NO_RATE_LIMITS =
            List.of("--jobstack.jobs.rate-limits.webhook-trigger=0", "--jobstack.jobs.rate-limits.job-service=0");

    private ScaleBench() {}

    public static void main(String[] args) throws Exception {
        // the harness's HTTP clients send the instance's Host header (bench/scale.sh also sets it in MAVEN_OPTS)
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        if (!Files.isRegularFile(ClusterNode.JAR)) {
            throw new IllegalStateException(ClusterNode.JAR + " is missing: run ./mvnw -DskipTests package first");
        }
        ScaleSettings settings = new ScaleSettings(System.getProperties());
        Path root = Files.createDirectories(
                Path.of("target/scale-bench").toAbsolutePath().resolve("run-" + System.currentTimeMillis()));
        boolean keep = Boolean.parseBoolean(settings.text("keep", "false"));
        JarServers servers = new JarServers(root, settings.words("jvm.opts", ""), settings.words("server.args", ""));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                servers.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        int status = 0;
        try {
            run(settings, servers, System.out);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            servers.close();
            if (keep) {
                System.out.println("kept " + root);
            } else {
                deleteTree(root);
            }
        }
        System.exit(status);
    }

    /** Runs the modes of {@code -Dmode}, in order, on {@code servers}. */
    static void run(ScaleSettings settings, ScaleServers servers, PrintStream out) throws Exception {
        List<String> modes = settings.list("mode", "enqueue,events,store,purge");
        out.printf(
                "ScaleBench %s: cpus=%d java=%s%n",
                modes, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (String mode : modes) {
            switch (mode) {
                case "enqueue" -> new EnqueueMode(settings, servers, out).run();
                case "events" -> new EventsMode(settings, servers, out).run();
                case "store" -> new StoreMode(settings, servers, out).run();
                case "purge" -> new PurgeMode(settings, servers, out).run();
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
        }
        out.printf("%nsettings: %s%n", settings.used());
    }

    /** Finished jobs kept for {@code age} ({@code 0}: forever), whatever their state. */
    static List<String> retention(String age) {
        return List.of("--jobstack.jobs.retention.done=" + age, "--jobstack.jobs.retention.errored=" + age);
    }

    /** {@code prefix0.test}, {@code prefix1.test}, … */
    static List<String> domains(String prefix, int count) {
        List<String> names = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            names.add(prefix + d + ".test");
        }
        return names;
    }

    static void printFailures(PrintStream out, String what, Clients clients) {
        printFailures(out, what, clients.failures());
        if (clients.lastFailure() != null) {
            out.println("  last failed call: " + clients.lastFailure());
        }
    }

    /** One line, loud when any call was not answered as expected. */
    static void printFailures(PrintStream out, String what, long failures) {
        if (failures == 0) {
            out.printf("%s: failures 0%n", what);
        } else {
            out.printf(
                    "%n!!!!!!!! %s: failures %d: CALLS NOT ANSWERED AS EXPECTED, THESE FIGURES ARE NOT VALID !!!!!!!!%n%n",
                    what, failures);
        }
    }

    static String verdict(boolean met) {
        return met ? "met" : "**MISSED**";
    }

    /** A figure as docs/benchmarks.md writes it: thousands apart, one decimal under 100. */
    static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        if (Math.abs(value) < 100 && value != Math.rint(value)) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%,.0f", value).replace(',', ' ');
    }

    static double median(double... values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static <T> double median(List<T> items, ToDoubleFunction<T> value) {
        return median(items.stream().mapToDouble(value).toArray());
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
