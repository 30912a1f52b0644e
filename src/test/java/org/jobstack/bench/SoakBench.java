package org.jobstack.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jobstack.soak.SoakLoad;
import org.jobstack.soak.SoakRun;
import org.jobstack.support.ClusterNode;
import org.jobstack.support.IntegrationTest;

/**
 * The soak harness for as long as asked, on a server started apart from {@code target/jobstack.jar}
 * (H2 in a fresh data folder, no rate limit on webhooks and service jobs): the mixed load of {@link SoakLoad} at a bounded rate, and each period
 * the calls answered as expected and not, with the server's heap after a GC ({@code jcmd
 * GC.run}), live threads and open files. SoakTest runs the same for 60 s in the suite. Builds
 * nothing: run {@code ./mvnw -B -DskipTests package} first.
 *
 * <pre>bench/soak.sh [-Dminutes=10] [-Drate=40] [-Dthreads=4] [-Dperiod=60]</pre>
 */
public final class SoakBench {

    private static final Path PROBE = Path.of("src/test/resources/apps/probe").toAbsolutePath();

    private SoakBench() {}

    public static void main(String[] args) {
        try {
            run();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        Duration total = Duration.ofMinutes(Long.getLong("minutes", 10));
        Duration period = Duration.ofSeconds(Long.getLong("period", 60));
        int rate = Integer.getInteger("rate", 40);
        int threads = Integer.getInteger("threads", 4);
        Path data = Files.createTempDirectory("bench-soak");
        try (ClusterNode server = ClusterNode.of(
                "soak",
                data.resolve("server"),
                List.of(),
                List.of(
                        "--jobstack.jobs.rate-limits.webhook-trigger=0",
                        "--jobstack.jobs.rate-limits.job-service=0"))) {
            server.launch().awaitHealthy(Duration.ofSeconds(90));
            System.out.printf(
                    "SoakBench: %s at %d calls/s from %d clients, a sample every %s; cpus=%d, server pid %d, data %s%n%n",
                    total, rate, threads, period, Runtime.getRuntime().availableProcessors(), server.pid(), data);
            SoakLoad load = new SoakLoad(server.api(), PROBE, IntegrationTest.PASSPHRASE);
            load.setUp();
            List<SoakRun.Sample> samples = new SoakRun(load, server.api(), () -> gc(server.pid()))
                    .run(threads, rate, total, period, System.out);
            System.out.printf(
                    "%nby kind, as expected: %s%nby kind, unexpected: %s (last statuses %s)%n",
                    load.ok(), load.unexpected(), load.lastUnexpected());
            SoakRun.Sample first = samples.get(0);
            SoakRun.Sample last = samples.get(samples.size() - 1);
            System.out.printf(
                    "first -> last period: heap %.0f -> %.0f MB, threads %.0f -> %.0f, open files %.0f -> %.0f%n",
                    first.heapMb(),
                    last.heapMb(),
                    first.threads(),
                    last.threads(),
                    first.openFiles(),
                    last.openFiles());
            server.stop();
        }
    }

    private static void gc(long pid) {
        try {
            new ProcessBuilder("jcmd", Long.toString(pid), "GC.run")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(true)
                    .start()
                    .waitFor();
        } catch (Exception e) {
            throw new IllegalStateException("jcmd GC.run failed", e);
        }
    }
}
