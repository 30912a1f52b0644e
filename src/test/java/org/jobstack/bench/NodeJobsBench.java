package org.jobstack.bench;

import com.sun.management.OperatingSystemMXBean;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jobstack.app.AppInstaller;
import org.jobstack.app.manifest.AppKind;
import org.jobstack.exec.ExecSettings;
import org.jobstack.job.JobQueue;
import org.jobstack.job.JobRequest;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Node jobs: Jobstack's {@code service} worker against raw {@code node} spawns of the same trivial
 * script, at the same concurrency, side by side in one run. Both get a clean environment (PATH
 * only for raw spawns; the cozy one for Jobstack). Reports the median of the runs and the ratio.
 *
 * <pre>./mvnw -q -Pbench exec:java -Dbench=NodeJobsBench [-Djobs=300 -Dconcurrency=4 -Druns=3 -Dwarmup=200]</pre>
 */
public final class NodeJobsBench {

    private static final int JOBS = Integer.getInteger("jobs", 300);
    private static final int RUNS = Integer.getInteger("runs", 3);
    private static final String SCRIPT = "// a service that does nothing\n";

    private NodeJobsBench() {}

    public static void main(String[] args) throws Exception {
        int concurrency =
                Integer.getInteger("concurrency", 2 * Runtime.getRuntime().availableProcessors());
        String node = Path.of(System.getProperty("node", "/usr/bin/node")).toString();
        Path root = Files.createTempDirectory("bench-node");
        Path build = Files.createDirectories(root.resolve("build/services"));
        Files.writeString(build.resolve("noop.js"), SCRIPT);
        Files.writeString(
                root.resolve("build/manifest.webapp"),
                "{\"version\":\"1.0.0\",\"services\":" + "{\"noop\":{\"file\":\"services/noop.js\"}}}");
        Path rawDir = Files.createDirectories(root.resolve("raw"));
        Files.writeString(rawDir.resolve("index.js"), SCRIPT);
        System.out.printf(
                "jobs=%d concurrency=%d runs=%d cpus=%d node=%s%n",
                JOBS, concurrency, RUNS, Runtime.getRuntime().availableProcessors(), node);

        ConfigurableApplicationContext context = InProcessServer.start(
                "--server.port=0",
                "--jobstack.admin.port=0",
                "--jobstack.data-dir=" + root.resolve("data"),
                "--jobstack.jobs.workers.service.concurrency=" + concurrency,
                "--jobstack.jobs.rate-limits.job-service=0",
                "--jobstack.jobs.workers.service.prefetch=" + Integer.getInteger("prefetch", 1),
                "--logging.level.root=WARN");
        context.getBean(AppInstaller.class)
                .install(
                        "localhost",
                        AppKind.WEBAPP,
                        "bench",
                        root.resolve("build").toUri().toString());
        JobQueue queue = context.getBean(JobQueue.class);
        Counter done = context.getBean(MeterRegistry.class)
                .counter("jobstack.jobs.attempts", "worker", "service", "outcome", "done");

        List<String> wrapped = context.getBean(ExecSettings.class).argv(rawDir.toString());
        int warmup = Integer.getInteger("warmup", 200);
        jobstack(queue, done, warmup);
        raw(List.of(node, rawDir.toString()), rawDir, concurrency, warmup / 4);
        List<Double> js = new ArrayList<>();
        List<Double> rs = new ArrayList<>();
        List<Double> ws = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            js.add(jobstack(queue, done, JOBS));
            double cpu = lastJvmCpuPerJobMillis;
            rs.add(raw(List.of(node, rawDir.toString()), rawDir, concurrency, JOBS));
            double rawCpu = lastRawCpu;
            ws.add(raw(wrapped, rawDir, concurrency, JOBS));
            System.out.printf(
                    "  run %d: jobstack %.1f jobs/s (JVM CPU %.2f ms/job), raw node %.1f spawns/s (JVM CPU %.2f ms/spawn),"
                            + " raw node in Jobstack's wrapper %.1f%n",
                    i + 1, js.get(i), cpu, rs.get(i), rawCpu, ws.get(i));
        }
        context.close();
        double j = QueueThroughputBench.median(js);
        double r = QueueThroughputBench.median(rs);
        double w = QueueThroughputBench.median(ws);
        System.out.println();
        System.out.println(
                "| concurrency | Jobstack service jobs/s | raw node spawns/s | ratio | raw spawns in Jobstack's process wrapper/s |");
        System.out.println("|---|---|---|---|---|");
        System.out.printf("| %d | %.1f | %.1f | %.2f | %.1f |%n", concurrency, j, r, j / r, w);
        System.exit(0);
    }

    private static double jobstack(JobQueue queue, Counter done, int jobs) throws InterruptedException {
        long before = (long) done.count();
        long cpuBefore = jvmCpuNanos();
        long start = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            queue.push(JobRequest.of("localhost", "service", "{\"slug\":\"bench\",\"name\":\"noop\"}"));
        }
        double rate = QueueThroughputBench.waitFor(() -> (long) done.count() - before, jobs, start);
        lastJvmCpuPerJobMillis = (jvmCpuNanos() - cpuBefore) / 1e6 / jobs;
        return rate;
    }

    private static double lastJvmCpuPerJobMillis;
    private static double lastRawCpu;

    /** CPU time used by this JVM (all its threads, not its children). */
    private static long jvmCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** {@code concurrency} threads spawning {@code argv} until {@code jobs} spawns have exited (stdin: an open pipe). */
    private static double raw(List<String> argv, Path dir, int concurrency, int jobs) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger left = new AtomicInteger(jobs);
        long cpuBefore = jvmCpuNanos();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < concurrency; t++) {
            workers.add(pool.submit(() -> {
                while (left.getAndDecrement() > 0) {
                    ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
                    builder.environment().clear();
                    builder.environment().putAll(Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"));
                    Process p = builder.start();
                    p.getInputStream().readAllBytes();
                    p.waitFor(30, TimeUnit.SECONDS);
                    p.getOutputStream().close();
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        lastRawCpu = (jvmCpuNanos() - cpuBefore) / 1e6 / jobs;
        return jobs / ((System.nanoTime() - start) / 1e9);
    }
}
