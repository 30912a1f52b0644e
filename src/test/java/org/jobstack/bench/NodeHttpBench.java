package org.jobstack.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jobstack.support.Api;
import org.jobstack.support.ClusterNode;
import tools.jackson.databind.JsonNode;

/**
 * Node jobs as a user sees them: through the HTTP API of a server started apart ({@code java -jar
 * target/jobstack.jar}, H2 in a fresh temporary data folder, free loopback ports, admin passphrase
 * passed as a setting), on a fresh instance with a CLI token, the app installed over {@code POST
 * /apps/:slug?Source=file://…}.
 *
 * <ul>
 *   <li><b>{@code -Dmode=http}</b> (throughput): {@code jobs} trivial service jobs (an empty script)
 *       queued at once over {@code POST /jobs/queue/service} by {@code clients} threads, timed from
 *       the first request until {@code GET /jobs/queue/service} (queued and running jobs) is empty;
 *       then each job is read to check it is {@code done}. After a warm-up batch of {@code warmup}
 *       jobs, {@code runs} times: one such batch, then {@code jobs} raw {@code node <dir>} spawns of
 *       the same script (PATH-only environment) at {@code concurrency} (2 × CPUs by default, which is
 *       also the server's service concurrency unless {@code server.args} sets it). Prints jobs/s of
 *       both, their medians and ratio, and the CPU time of the server JVM per job ({@code utime +
 *       stime} of its pid in {@code /proc}, before and after each batch: HTTP handling and polls
 *       included, node children not), and how much of it its JIT compiler threads took; then where a
 *       job's CPU goes against a raw spawn's: node and what ran before it in its process (the
 *       server's reaped children, {@code cutime + cstime}), the server JVM, and this harness.
 *   <li><b>{@code -Dmode=latency}</b>: a service triggered by {@code @event io.cozy.bench:CREATED}
 *       whose first statement logs the wall clock ({@code performance.timeOrigin +
 *       performance.now()}). One event at a time on an idle server ({@code pause} ms between them):
 *       the clock is read just before {@code POST /instances/:domain/events}, the job is waited for,
 *       its log line read; latency = service's clock − post clock. Two clients take turns, one
 *       event each: the JDK's {@code HttpClient} (clock read before its call) and {@link RawHttp}
 *       (clock read just before its request's one write). {@code n} samples (half each) after
 *       {@code warmupSamples}; prints per client p50, p90, p99, max, and the p50 of the 202 answer
 *       and of the job's {@code started_at} on the way; and each client's health-check round trip.
 * </ul>
 *
 * Both print one summary row for docs/benchmarks.md. Settings: {@code -Dserver.args="--name=value
 * …"} (server settings, overriding the harness's; unknown ones are ignored by the server), {@code
 * -Djvm.opts="-Xmx512m …"} (server JVM options; none by default), {@code -Dnode=/usr/bin/node} (raw
 * spawns; default: node on the PATH), {@code -Dkeep=true} (keep the temporary folder), {@code -Dphases=true} (http mode: the service logs,
 * as it exits, when its process began and ended, and each run prints the medians from a job's claim to
 * node's start, from there to node's exit, and from that exit to the job's end; the log lines cost
 * the server some work, so the throughput figures of such a run are not the plain ones).
 *
 * <p>{@code -Dwarmup=jit} (http mode): warm-up batches of {@value #JIT_WARMUP_BATCH} jobs until one in
 * which the server's JIT compilers took under 5 % of a CPU (a long-running server's figures).
 *
 * <pre>bench/node.sh http [-Djobs=120 -Dwarmup=120|jit -Druns=3 -Dconcurrency=4 -Dclients=8]
 * bench/node.sh latency [-Dn=200 -DwarmupSamples=20 -Dpause=50]</pre>
 */
public final class NodeHttpBench {

    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private static final String MODE = System.getProperty("mode", "http");
    private static final int JOBS = Integer.getInteger("jobs", 120);
    /** Jobs of the warm-up batch; 0 with {@code -Dwarmup=jit} (warm-up batches until the JIT settles). */
    private static final int WARMUP = warmupJobs(System.getProperty("warmup", Integer.toString(JOBS)));
    /** With -Dwarmup=jit: jobs per warm-up batch, and at most so many batches. */
    private static final int JIT_WARMUP_BATCH = 500;

    private static final int MAX_JIT_WARMUP_BATCHES = 30;
    private static final int RUNS = Integer.getInteger("runs", 3);
    private static final int CONCURRENCY = Integer.getInteger("concurrency", 2 * CPUS);
    private static final int CLIENTS = Integer.getInteger("clients", 8);
    private static final int SAMPLES = Integer.getInteger("n", 200);
    private static final int WARMUP_SAMPLES = Integer.getInteger("warmupSamples", 20);
    private static final long PAUSE_MILLIS = Long.getLong("pause", 50);
    private static final String SERVER_ARGS =
            System.getProperty("server.args", "").strip();
    private static final List<String> JVM_OPTS = words(System.getProperty("jvm.opts", ""));
    private static final boolean KEEP = Boolean.getBoolean("keep");
    private static final boolean PHASES = Boolean.getBoolean("phases");

    private static final String SCOPE = "io.cozy.jobs io.cozy.apps";
    private static final String CONCURRENCY_KEY = "--jobstack.jobs.workers.service.concurrency";
    private static final String NOOP = "// a service that does nothing\n";
    /** For -Dphases=true: a service that does nothing but log, as it exits, when its process began and ends. */
    private static final String PHASES_SCRIPT = "process.on('exit', () => console.log(JSON.stringify({type: 'info',"
            + " message: 'phases ' + performance.timeOrigin + ' ' + (performance.timeOrigin + performance.now())})))\n";

    private static final Pattern PHASES_LINE = Pattern.compile("phases ([0-9.]+) ([0-9.]+)");
    private static final String STAMP = "console.log(JSON.stringify({type: 'info', message: 't=' +"
            + " (performance.timeOrigin + performance.now())}))\n";
    private static final Pattern STAMP_LINE = Pattern.compile("t=([0-9]+(?:\\.[0-9]+)?)");
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration JOB_TIMEOUT = Duration.ofMinutes(2);

    private final Path root;
    private final Map<String, String> settings;
    private final ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    private ClusterNode server;
    private String domain;
    private String token;
    private boolean closed;
    private final AtomicInteger lateLogs = new AtomicInteger();

    private NodeHttpBench(Path root) {
        this.root = root;
        this.settings = serverSettings();
    }

    public static void main(String[] args) throws Exception {
        // the Api sends the instance's Host header (bench/node.sh also sets it in MAVEN_OPTS)
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        if (!MODE.equals("http") && !MODE.equals("latency")) {
            throw new IllegalArgumentException("-Dmode must be http or latency, not " + MODE);
        }
        requireJar();
        NodeHttpBench bench = new NodeHttpBench(Files.createTempDirectory("bench-node-http"));
        Runtime.getRuntime().addShutdownHook(new Thread(bench::close));
        try {
            bench.start();
            if (MODE.equals("http")) {
                bench.throughput();
            } else {
                bench.latency();
            }
        } catch (Exception e) {
            bench.printServerLog();
            throw e;
        } finally {
            bench.close();
        }
        System.exit(0);
    }

    // ---- server

    /** The harness's settings, then those of {@code server.args} (same name: theirs win). */
    private static Map<String, String> serverSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("--jobstack.jobs.rate-limits.job-service", "0");
        s.put(CONCURRENCY_KEY, String.valueOf(CONCURRENCY));
        for (String arg : words(SERVER_ARGS)) {
            int eq = arg.indexOf('=');
            s.put(eq < 0 ? arg : arg.substring(0, eq), eq < 0 ? null : arg.substring(eq + 1));
        }
        return s;
    }

    private List<String> settingsArgs() {
        List<String> args = new ArrayList<>();
        settings.forEach((k, v) -> args.add(v == null ? k : k + "=" + v));
        return args;
    }

    private void start() throws Exception {
        System.out.printf(
                "NodeHttpBench %s: cpus=%d java=%s node=%s%n  server: java %s-jar %s %s%n  data under %s%n",
                MODE,
                CPUS,
                System.getProperty("java.version"),
                nodeBinary(),
                JVM_OPTS.isEmpty() ? "" : String.join(" ", JVM_OPTS) + " ",
                ClusterNode.JAR,
                String.join(" ", settingsArgs()),
                root);
        server = ClusterNode.of("bench", root.resolve("server"), JVM_OPTS, settingsArgs());
        Instant t0 = Instant.now();
        server.launch().awaitHealthy(START_TIMEOUT);
        System.out.printf(
                "  server pid %d up in %d ms%n",
                server.pid(), Duration.between(t0, Instant.now()).toMillis());
        domain = server.api().newInstance(null);
        token = server.api().cliToken(domain, SCOPE);
    }

    private void install(String slug, Path build) {
        Api.Response r = call(
                "POST", "/apps/" + slug + "?Source=" + Api.enc(build.toUri().toString()), null);
        String state = r.status() == 202
                ? r.json().path("data").path("attributes").path("state").asString()
                : null;
        if (!"ready".equals(state)) {
            throw new IllegalStateException("cannot install " + slug + ": " + r.status() + " " + r.body());
        }
    }

    private Api.Response call(String method, String path, String body) {
        return server.api().call(domain, token, method, path, body);
    }

    /** Kills the server (and its children), stops the clients, deletes the temporary folder; once. */
    private synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        clients.shutdownNow();
        try {
            if (server != null) {
                server.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (KEEP) {
            System.out.println("kept " + root);
        } else {
            deleteTree(root);
        }
    }

    private void printServerLog() {
        if (server != null) {
            System.out.println("---- last lines of the server's output\n" + server.logTail(40));
        }
    }

    // ---- mode http

    /**
     * A batch: jobs/s; per job, the server JVM's CPU and, of that, its JIT compilers', the CPU of
     * the server's children (node and what ran before it in its process), and this harness's own
     * (the HTTP client: queuing and polling); and the share of the slots' time (service concurrency
     * × the batch's wall time) that jobs spent claimed and not yet ended.
     */
    private record Batch(
            double jobsPerSecond,
            double cpuMillisPerJob,
            double jitMillisPerJob,
            double childMillisPerJob,
            double clientMillisPerJob,
            double slotsBusy,
            Jobs jobs) {}

    /** Raw spawns: spawns/s; per spawn, node's CPU and this harness's own (starting and reaping it). */
    private record RawBatch(double spawnsPerSecond, double childMillisPerSpawn, double clientMillisPerSpawn) {}

    private void throughput() throws Exception {
        install("bench", app("noop", PHASES ? PHASES_SCRIPT : NOOP, null));
        Path rawDir = Files.createDirectories(root.resolve("raw"));
        Files.writeString(rawDir.resolve("index.js"), NOOP);
        String concurrency = settings.get(CONCURRENCY_KEY);
        System.out.printf(
                "jobs=%d warmup=%s runs=%d clients=%d; server service concurrency %s, raw spawns concurrency %d%n",
                JOBS, WARMUP > 0 ? WARMUP : "jit", RUNS, CLIENTS, concurrency, CONCURRENCY);

        Batch warm = WARMUP > 0 ? jobstackBatch(WARMUP) : warmUpUntilTheJitSettles();
        rawBatch(rawDir, Math.max(1, (WARMUP > 0 ? WARMUP : JIT_WARMUP_BATCH) / 4));
        System.out.printf("  warm-up: jobstack %.1f jobs/s%n", warm.jobsPerSecond());
        List<Batch> batches = new ArrayList<>();
        List<RawBatch> raws = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            Batch b = jobstackBatch(JOBS);
            RawBatch raw = rawBatch(rawDir, JOBS);
            batches.add(b);
            raws.add(raw);
            System.out.printf(
                    "  run %d: jobstack %.1f jobs/s (server JVM CPU %.2f ms/job, JIT compilers %.2f%s), raw node %.1f"
                            + " spawns/s, ratio %.2f%n",
                    i + 1,
                    b.jobsPerSecond(),
                    b.cpuMillisPerJob(),
                    b.jitMillisPerJob(),
                    b.jobs().notDone() > 0 ? ", " + b.jobs().notDone() + " NOT DONE" : "",
                    raw.spawnsPerSecond(),
                    b.jobsPerSecond() / raw.spawnsPerSecond());
            if (PHASES) {
                System.out.printf(
                        "    medians: claim to node's start %.1f ms, node's start to its exit %.1f ms, exit to the"
                                + " job's end %.1f ms%n",
                        b.jobs().toStart(), b.jobs().inNode(), b.jobs().toEnd());
            }
        }
        List<Double> js = values(batches, Batch::jobsPerSecond);
        List<Double> rs = values(raws, RawBatch::spawnsPerSecond);
        double j = median(js);
        double r = median(rs);
        double cpu = median(values(batches, Batch::cpuMillisPerJob));
        double jit = median(values(batches, Batch::jitMillisPerJob));
        System.out.printf(
                "%nmedian: jobstack %.1f jobs/s, raw node %.1f spawns/s, ratio %.2f, server JVM CPU %.2f ms/job"
                        + " (JIT compilers %.2f)%n%n",
                j, r, j / r, cpu, jit);
        printBudget(batches, raws);
        System.out.println("| date | jobs × runs | service concurrency (raw) | server.args | Jobstack jobs/s (runs)"
                + " | raw node spawns/s (runs) | ratio | server JVM CPU ms/job | of which JIT compilers |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        System.out.printf(
                "| %s | %d × %d | %s (%d) | %s | %.1f (%s) | %.1f (%s) | **%.2f** | %.2f | %.2f |%n",
                LocalDate.now(),
                JOBS,
                RUNS,
                concurrency,
                CONCURRENCY,
                SERVER_ARGS.isEmpty() ? "—" : "`" + SERVER_ARGS + "`",
                j,
                list(js),
                r,
                list(rs),
                j / r,
                cpu,
                jit);
    }

    /** Queues {@code count} service jobs at once, waits until none is queued or running. */
    private Batch jobstackBatch(int count) throws Exception {
        long pid = server.pid();
        long self = ProcessHandle.current().pid();
        double cpu = ProcStats.cpuMillis(pid);
        double jit = ProcStats.compilerCpuMillis(pid);
        double children = ProcStats.childrenCpuMillis(pid);
        double client = ProcStats.cpuMillis(self);
        long start = System.nanoTime();
        List<String> ids = queueAll(count);
        awaitQueueEmpty();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMillis = ProcStats.cpuMillis(pid) - cpu;
        double jitMillis = ProcStats.compilerCpuMillis(pid) - jit;
        double childMillis = ProcStats.childrenCpuMillis(pid) - children;
        double clientMillis = ProcStats.cpuMillis(self) - client;
        Jobs jobs = readJobs(ids);
        return new Batch(
                count / seconds,
                cpuMillis / count,
                jitMillis / count,
                childMillis / count,
                clientMillis / count,
                jobs.claimedMillis() / (serviceConcurrency() * seconds * 1000),
                jobs);
    }

    private int serviceConcurrency() {
        return Integer.parseInt(settings.get(CONCURRENCY_KEY));
    }

    /**
     * Batches of {@value #JIT_WARMUP_BATCH} jobs, {@value #MAX_JIT_WARMUP_BATCHES} at most, until one
     * in which the server's JIT compiler threads took less than {@link ProcStats#SETTLED_JIT_SHARE} of one CPU:
     * a server that has run long enough for its compilers to be done with the job path.
     */
    private Batch warmUpUntilTheJitSettles() throws Exception {
        Batch batch = null;
        for (int i = 1; i <= MAX_JIT_WARMUP_BATCHES; i++) {
            batch = jobstackBatch(JIT_WARMUP_BATCH);
            double share = batch.jitMillisPerJob() * batch.jobsPerSecond() / 1000;
            System.out.printf(
                    "  warm-up %d jobs: %.1f jobs/s, the JIT compilers took %.0f %% of a CPU%n",
                    i * JIT_WARMUP_BATCH, batch.jobsPerSecond(), share * 100);
            if (share < ProcStats.SETTLED_JIT_SHARE) {
                return batch;
            }
        }
        System.out.printf(
                "  the JIT did not settle in %d jobs of warm-up; measuring anyway%n",
                MAX_JIT_WARMUP_BATCHES * JIT_WARMUP_BATCH);
        return batch;
    }

    private static int warmupJobs(String setting) {
        return setting.equals("jit") ? 0 : Integer.parseInt(setting);
    }

    /**
     * Where the CPU of a job goes, against a raw spawn's, medians over the runs: what separates the
     * two rates on a machine whose CPUs are all busy. Children's CPU is counted once they have been
     * waited for, so a job still being reaped at the end of a batch is left out of it.
     */
    private static void printBudget(List<Batch> batches, List<RawBatch> raws) {
        double server = median(values(batches, Batch::cpuMillisPerJob));
        double jit = median(values(batches, Batch::jitMillisPerJob));
        double child = median(values(batches, Batch::childMillisPerJob));
        double client = median(values(batches, Batch::clientMillisPerJob));
        double rawChild = median(values(raws, RawBatch::childMillisPerSpawn));
        double rawClient = median(values(raws, RawBatch::clientMillisPerSpawn));
        double capacity = median(values(batches, b -> 1000.0 * CPUS / b.jobsPerSecond()));
        double rawCapacity = median(values(raws, b -> 1000.0 * CPUS / b.spawnsPerSecond()));
        double busy = median(values(batches, Batch::slotsBusy));
        System.out.println("CPU per job, ms (medians) | node and its wrapper | server JVM (of which JIT) | harness"
                + " | sum | CPUs x wall time per job");
        System.out.printf(
                "  jobstack                | %.2f | %.2f (%.2f) | %.2f | %.2f | %.2f%n",
                child, server, jit, client, child + server + client, capacity);
        System.out.printf(
                "  raw spawns              | %.2f | - | %.2f | %.2f | %.2f%n",
                rawChild, rawClient, rawChild + rawClient, rawCapacity);
        System.out.printf(
                "slots busy (jobs claimed and not ended, of concurrency x wall time): %.0f %%%n%n", 100 * busy);
    }

    private List<String> queueAll(int count) throws Exception {
        String body = "{\"data\":{\"attributes\":{\"arguments\":{\"slug\":\"bench\",\"name\":\"noop\"}}}}";
        Queue<String> ids = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        List<Callable<Void>> senders = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            senders.add(() -> {
                while (next.getAndIncrement() < count) {
                    Api.Response r = call("POST", "/jobs/queue/service", body);
                    if (r.status() != 202) {
                        throw new IllegalStateException("queue: " + r.status() + " " + r.body());
                    }
                    ids.add(r.json().path("data").path("id").asString());
                }
                return null;
            });
        }
        all(clients.invokeAll(senders));
        return new ArrayList<>(ids);
    }

    /**
     * Polls the list of queued and running service jobs, less often while many are left (about 2
     * ms per job left, between 10 and 250 ms), so that polling costs the server little.
     */
    private void awaitQueueEmpty() throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        while (true) {
            Api.Response r = call("GET", "/jobs/queue/service", null);
            if (r.status() != 200) {
                throw new IllegalStateException("list: " + r.status() + " " + r.body());
            }
            int left = r.json().path("data").size();
            if (left == 0) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(left + " jobs still queued or running after " + JOB_TIMEOUT);
            }
            Thread.sleep(Math.max(10, Math.min(250, 2L * left)));
        }
    }

    /**
     * What the jobs of a batch say once read: how many are not done, their time from claim to end,
     * and with {@code -Dphases=true} the medians, in ms, from a job's claim to its node process's
     * start ({@code performance.timeOrigin}), from there to node's exit, and from that exit to the
     * job's end ({@code finished_at}); NaN without.
     */
    private record Jobs(int notDone, double claimedMillis, double toStart, double inNode, double toEnd) {}

    /**
     * Reads every job (after the measure); counts those not done, prints the first error, and adds
     * up the time each done job spent between its claim ({@code started_at}) and its end.
     */
    private Jobs readJobs(List<String> ids) throws Exception {
        List<Callable<JsonNode>> reads = new ArrayList<>();
        for (String id : ids) {
            reads.add(() -> call("GET", "/jobs/" + id, null).json().path("data"));
        }
        int notDone = 0;
        double claimed = 0;
        List<Callable<double[]>> phases = new ArrayList<>();
        for (Future<JsonNode> f : clients.invokeAll(reads)) {
            JsonNode job = f.get();
            JsonNode a = job.path("attributes");
            if (a.path("state").asString().equals("done")) {
                double start = millis(Instant.parse(a.path("started_at").asString()));
                double end = millis(Instant.parse(a.path("finished_at").asString()));
                claimed += end - start;
                String id = job.path("id").asString();
                phases.add(() -> {
                    Matcher m = logged(id, PHASES_LINE);
                    double origin = Double.parseDouble(m.group(1));
                    double exit = Double.parseDouble(m.group(2));
                    return new double[] {origin - start, exit - origin, end - exit};
                });
            } else if (notDone++ == 0) {
                System.out.println("  job not done: " + job.path("id").asString() + " "
                        + a.path("state").asString() + ": " + a.path("error").asString());
            }
        }
        if (!PHASES) {
            return new Jobs(notDone, claimed, Double.NaN, Double.NaN, Double.NaN);
        }
        List<double[]> each = new ArrayList<>();
        for (Future<double[]> f : clients.invokeAll(phases)) {
            each.add(f.get());
        }
        return new Jobs(
                notDone,
                claimed,
                median(values(each, p -> p[0])),
                median(values(each, p -> p[1])),
                median(values(each, p -> p[2])));
    }

    /** {@code concurrency} threads spawning {@code node <dir>} until {@code count} spawns have exited. */
    private static RawBatch rawBatch(Path dir, int count) throws Exception {
        long self = ProcessHandle.current().pid();
        double children = ProcStats.childrenCpuMillis(self);
        double client = ProcStats.cpuMillis(self);
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        List<String> argv = List.of(nodeBinary(), dir.toString());
        AtomicInteger left = new AtomicInteger(count);
        long start = System.nanoTime();
        List<Callable<Void>> spawners = new ArrayList<>();
        for (int t = 0; t < CONCURRENCY; t++) {
            spawners.add(() -> {
                while (left.getAndDecrement() > 0) {
                    spawn(argv, dir);
                }
                return null;
            });
        }
        try {
            all(pool.invokeAll(spawners));
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new RawBatch(
                count / seconds,
                (ProcStats.childrenCpuMillis(self) - children) / count,
                (ProcStats.cpuMillis(self) - client) / count);
    }

    private static void spawn(List<String> argv, Path dir) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/bin:/usr/bin:/bin");
        Process p = builder.redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("raw node spawn failed: " + argv);
        }
    }

    // ---- mode latency

    /** Milliseconds from the post to: its 202 answer, the job's started_at, the service's first statement. */
    private record Sample(double answered, double started, double service) {}

    /**
     * The two clients take turns, one event each: the JDK's {@code HttpClient}, and {@link RawHttp},
     * whose clock is read just before its request is written. Their health-check round trips, taken
     * in turn with the same pause, show what each client adds on its own.
     */
    private void latency() throws Exception {
        install("bench", app("stamp", STAMP, "@event io.cozy.bench:CREATED"));
        System.out.printf(
                "n=%d (each client n/2) warmupSamples=%d pause=%d ms; server service concurrency %s%n",
                SAMPLES, WARMUP_SAMPLES, PAUSE_MILLIS, settings.get(CONCURRENCY_KEY));
        try (RawHttp raw =
                new RawHttp(server.api().adminPort(), Api.basic(server.api().passphrase()))) {
            for (int i = 0; i < WARMUP_SAMPLES; i++) {
                sample("w" + i, i % 2 == 0 ? null : raw);
            }
            List<Sample> viaHttpClient = new ArrayList<>();
            List<Sample> viaRaw = new ArrayList<>();
            for (int i = 0; i < SAMPLES; i++) {
                if (i % 2 == 0) {
                    viaHttpClient.add(sample("d" + i, null));
                } else {
                    viaRaw.add(sample("d" + i, raw));
                }
            }
            double[][] floor = healthRoundTrips(raw, SAMPLES / 2);
            System.out.printf(
                    "%nGET /actuator/health round trip, same pause, %d each: p50 HttpClient %.2f ms, raw %.2f ms%n",
                    SAMPLES / 2, percentile(floor[0], 50), percentile(floor[1], 50));
            report("HttpClient", viaHttpClient);
            report("raw socket", viaRaw);
        }
        if (lateLogs.get() > 0) {
            System.out.printf(
                    "  %d of %d jobs read done before their log line was stored%n",
                    lateLogs.get(), SAMPLES + WARMUP_SAMPLES);
        }
    }

    private void report(String client, List<Sample> samples) {
        double[] total = sorted(samples, Sample::service);
        double answered = percentile(sorted(samples, Sample::answered), 50);
        double started = percentile(sorted(samples, Sample::started), 50);
        System.out.printf(
                "%n%s: event posted -> service's first statement, %d samples: p50 %.1f ms, p90 %.1f ms,"
                        + " p99 %.1f ms, max %.1f ms, mean %.1f ms%n  p50 on the way: 202 answered %.1f ms,"
                        + " job started_at %.1f ms%n",
                client,
                samples.size(),
                percentile(total, 50),
                percentile(total, 90),
                percentile(total, 99),
                total[total.length - 1],
                Arrays.stream(total).average().orElse(0),
                answered,
                started);
        System.out.println("| date | client | samples | server.args | p50 ms | p90 ms | p99 ms | max ms"
                + " | p50 202 answered / started_at ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        System.out.printf(
                "| %s | %s | %d | %s | **%.1f** | %.1f | %.1f | %.1f | %.1f / %.1f |%n",
                LocalDate.now(),
                client,
                samples.size(),
                SERVER_ARGS.isEmpty() ? "—" : "`" + SERVER_ARGS + "`",
                percentile(total, 50),
                percentile(total, 90),
                percentile(total, 99),
                total[total.length - 1],
                answered,
                started);
    }

    /** Health-check round trips in ms, the two clients in turn after the same pause: [HttpClient, raw]. */
    private double[][] healthRoundTrips(RawHttp raw, int n) throws Exception {
        double[][] times = new double[2][n];
        for (int i = 0; i < n; i++) {
            Thread.sleep(PAUSE_MILLIS);
            long t0 = System.nanoTime();
            int status = server.api().adminWith(null, "GET", "/actuator/health").status();
            times[0][i] = (System.nanoTime() - t0) / 1e6;
            Thread.sleep(PAUSE_MILLIS);
            t0 = System.nanoTime();
            int rawStatus = raw.send("GET", "/actuator/health", null).status();
            times[1][i] = (System.nanoTime() - t0) / 1e6;
            if (status != 200 || rawStatus != 200) {
                throw new IllegalStateException("health: " + status + ", " + rawStatus);
            }
        }
        Arrays.sort(times[0]);
        Arrays.sort(times[1]);
        return times;
    }

    /** After a pause, posts one event (with {@code raw}, or the HttpClient when null) and waits for its job. */
    private Sample sample(String docId, RawHttp raw) throws Exception {
        Thread.sleep(PAUSE_MILLIS);
        String event = "{\"verb\":\"CREATED\",\"doctype\":\"io.cozy.bench\",\"doc\":{\"_id\":\"" + docId + "\"}}";
        String path = "/instances/" + domain + "/events";
        Instant posted;
        int status;
        String body;
        if (raw == null) {
            posted = Instant.now();
            Api.Response r = server.api().admin("POST", path, event);
            status = r.status();
            body = r.body();
        } else {
            RawHttp.Response r = raw.send("POST", path, event);
            posted = r.sent();
            status = r.status();
            body = r.body();
        }
        Instant answered = Instant.now();
        JsonNode jobs = status == 202 ? Api.JSON.readTree(body).path("jobs") : null;
        if (jobs == null || jobs.size() != 1) {
            throw new IllegalStateException("event: " + status + " " + body);
        }
        String id = jobs.get(0).asString();
        JsonNode job = awaitFinal(id);
        if (!job.path("state").asString().equals("done")) {
            throw new IllegalStateException("job " + id + " " + job);
        }
        double at = millis(posted);
        return new Sample(
                millis(answered) - at,
                millis(Instant.parse(job.path("started_at").asString())) - at,
                Double.parseDouble(logged(id, STAMP_LINE).group(1)) - at);
    }

    /** The job's attributes once done or errored: first read after 100 ms, then every 10 ms. */
    private JsonNode awaitFinal(String id) throws InterruptedException {
        long deadline = System.nanoTime() + JOB_TIMEOUT.toNanos();
        Thread.sleep(100);
        while (true) {
            JsonNode a = call("GET", "/jobs/" + id, null).json().path("data").path("attributes");
            String state = a.path("state").asString();
            if (state.equals("done") || state.equals("errored")) {
                return a;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + id + " still " + state + " after " + JOB_TIMEOUT);
            }
            Thread.sleep(10);
        }
    }

    /**
     * The first line the service logged that matches {@code pattern}, matched. A job may read done
     * before its log lines are stored: then the logs are read again, every 10 ms, and the sample counted.
     */
    private Matcher logged(String id, Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (boolean late = false; ; late = true) {
            Api.Response r = call("GET", "/jobs/" + id + "/logs", null);
            for (JsonNode line : r.json().path("data")) {
                Matcher m =
                        pattern.matcher(line.path("attributes").path("message").asString());
                if (m.find()) {
                    lateLogs.addAndGet(late ? 1 : 0);
                    return m;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no time logged by job " + id + ": " + r.status() + " " + r.body());
            }
            Thread.sleep(10);
        }
    }

    // ---- helpers

    /** An app folder with one service {@code name} (with the trigger given, or none). */
    private Path app(String name, String script, String trigger) throws IOException {
        Path build = Files.createDirectories(root.resolve("app-" + name + "/services"))
                .getParent();
        Files.writeString(build.resolve("services/" + name + ".js"), script);
        Files.writeString(build.resolve("manifest.webapp"), """
                {"name":"Bench","slug":"bench","version":"1.0.0","type":"webapp",
                 "services":{"%s":{"type":"node","file":"services/%s.js"%s}}}""".formatted(
                        name, name, trigger == null ? "" : ",\"trigger\":\"" + trigger + "\""));
        return build;
    }

    private static String nodeBinary() {
        String node = System.getProperty("node");
        if (node != null) {
            return node;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "/usr/bin/node";
    }

    /** Fails if the jar is missing; warns if sources changed since it was built. */
    private static void requireJar() throws IOException {
        if (!Files.isRegularFile(ClusterNode.JAR)) {
            throw new IllegalStateException(ClusterNode.JAR + " is missing: run ./mvnw -B -DskipTests package first");
        }
        long built = Files.getLastModifiedTime(ClusterNode.JAR).toMillis();
        try (Stream<Path> files = Files.walk(Path.of("src/main"))) {
            long newer = files.filter(Files::isRegularFile)
                    .filter(f -> lastModified(f) > built)
                    .count();
            if (newer > 0) {
                System.out.printf(
                        "WARNING: %d files under src/main are newer than %s (built %s): the bench measures the jar%n",
                        newer, ClusterNode.JAR, Instant.ofEpochMilli(built));
            }
        }
    }

    private static long lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.out.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    private static <T> void all(List<Future<T>> futures) throws Exception {
        for (Future<T> f : futures) {
            f.get();
        }
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
    }

    private static double millis(Instant t) {
        return t.getEpochSecond() * 1000.0 + t.getNano() / 1e6;
    }

    private static <T> List<Double> values(List<T> items, ToDoubleFunction<T> field) {
        return items.stream().map(field::applyAsDouble).toList();
    }

    private static double median(List<Double> values) {
        List<Double> s = values.stream().sorted().toList();
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static double[] sorted(List<Sample> samples, ToDoubleFunction<Sample> field) {
        return samples.stream().mapToDouble(field).sorted().toArray();
    }

    /** Nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static String list(List<Double> values) {
        return String.join(
                ", ", values.stream().map(v -> String.format("%.1f", v)).toList());
    }
}
