package org.jobstack.bench;

import static org.jobstack.bench.ScaleBench.fmt;
import static org.jobstack.bench.ScaleBench.median;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jobstack.support.Api;

/**
 * {@code -Dmode=store}: a million jobs stored. For each of {@code databases} (PostgreSQL and H2 by
 * default), two fresh databases, each set up the same way by a server started on it (the harness's
 * instances and triggers): one stays empty, the other is filled by {@link StoreFiller} with {@code
 * jobs} finished jobs queued over the last {@code days} days and {@code triggers} triggers (while
 * no server runs: H2's file is locked by its server) over {@code domains} instances, the measured
 * one holding a {@code share} of them; a {@code hotShare} of its jobs belong to one {@code @event}
 * trigger. Jobs are kept whatever their age (retention 0). Each database is measured by a server
 * of its own, after a warm-up of {@code warmupJobs}:
 *
 * <ul>
 *   <li>(a) queue throughput: {@code queue} {@code log} jobs queued over HTTP by {@code clients}
 *       connections until drained ({@link LogQueue}), median of {@code runs}; then, for the
 *       target, {@code alternations} rounds of a fresh server on the empty database and one on
 *       the stored one in turn, each round's ratio a sample (this machine's speed drifts by more
 *       than the difference measured, so the two are never measured minutes apart);
 *   <li>(b) latency, one call at a time, p50 and p95 of {@code samples} calls after {@code warmups}: {@code GET
 *       /jobs/triggers/:id/jobs} (the busy trigger), {@code GET /jobs/queue/log}, {@code GET
 *       /jobs/triggers}, every dashboard page (the jobs page with each of its filters, the app filter
 *       included), and the CLI's listings ({@code cli.commands}, {@code cliRuns} runs after one,
 *       their wall time; {@code --help}, which calls no server, is the JVM's start);
 *   <li>(c) the server's heap right after a full GC ({@code jcmd GC.run}), and its resident memory
 *       (VmRSS) at once after the GC and once settled ({@link ProcStats#settledRss}: G1 gives the
 *       heap it shrank back on a concurrent thread, for a second or more after the GC returns, and
 *       the heap the load grew is larger on the stored database); the row held to the target is
 *       the settled one. {@code -Dnmt=true} also prints, for each server, where its memory goes
 *       ({@link MemoryReport}: NMT, heap, class histogram, buffer pools, mappings);
 *       run it with {@code -Djvm.opts=-XX:NativeMemoryTracking=summary} for the NMT part.
 * </ul>
 *
 * Prints a table per database: empty, stored, their ratio and the target (queue ≥ 0.9 ×
 * empty, p95 under 200 ms, memory within 10 %), and the databases' sizes.
 */
final class StoreMode {

    private static final String HOT_DOCTYPE = "io.cozy.bench.store";

    private final ScaleServers servers;
    private final PrintStream out;
    private final List<String> databases;
    private final int jobs;
    private final int triggers;
    private final int domains;
    private final double share;
    private final double hotShare;
    private final double days;
    private final int clientCount;
    private final int warmupJobs;
    private final int queueJobs;
    private final int runs;
    private final int alternations;
    private final int samples;
    private final int warmups;
    private final int cliRuns;
    private final List<String> cliCommands;
    private final boolean nmt;

    StoreMode(ScaleSettings settings, ScaleServers servers, PrintStream out) {
        this.servers = servers;
        this.out = out;
        this.databases = settings.list("databases", "postgres,h2");
        this.jobs = settings.integer("jobs", 1_000_000);
        this.triggers = settings.integer("triggers", 100_000);
        this.domains = settings.integer("domains", 100);
        this.share = settings.decimal("share", 0.1);
        this.hotShare = settings.decimal("hotShare", 0.5);
        this.days = settings.decimal("days", 180);
        this.clientCount = settings.integer("clients", 8);
        this.warmupJobs = settings.integer("warmupJobs", 5_000);
        this.queueJobs = settings.integer("queue", 20_000);
        this.runs = settings.integer("runs", 3);
        this.alternations = settings.integer("alternations", 3);
        this.samples = settings.integer("samples", 50);
        this.warmups = settings.integer("warmups", 5);
        this.cliRuns = settings.integer("cliRuns", 5);
        this.cliCommands = settings.list("cli.commands", "--help,jobs ls log,triggers ls,instances ls");
        this.nmt = Boolean.parseBoolean(settings.text("nmt", "false"));
    }

    /** The harness's own instances and trigger, made on the empty database. */
    private record Setup(Instance instance, List<String> domains, String hotTrigger, String eventJob) {}

    /** What one server measured: (a) jobs/s, (b) latencies, (c) heap and RSS in MB; calls not answered as expected. */
    private record Measures(
            double jobsPerSecond,
            List<Timing> timings,
            double heapMb,
            double rssAtOnceMb,
            double rssMb,
            long failures) {}

    void run() throws Exception {
        for (String kind : databases) {
            compare(kind);
        }
    }

    private void compare(String kind) throws Exception {
        ScaleServers.Database empty = servers.database(kind);
        ScaleServers.Database stored = servers.database(kind);
        StoreFiller filler = new StoreFiller(stored);
        List<String> settings = new ArrayList<>(ScaleBench.NO_RATE_LIMITS);
        settings.addAll(ScaleBench.retention("0"));
        out.printf(
                "%nstore, %s: empty, then %s jobs over %s days and %s triggers over %d instances (%.0f %% in the"
                        + " measured one)%n",
                kind, fmt(jobs), fmt(days), fmt(triggers), domains, share * 100);
        Setup emptySetup;
        Measures emptyMeasures;
        try (ScaleServers.Server server = servers.start(empty, settings)) {
            emptySetup = setUp(server.api(), "scale");
            emptyMeasures = measure(server, emptySetup.instance(), emptySetup, emptySetup.eventJob());
        }
        Setup storedSetup;
        try (ScaleServers.Server server = servers.start(stored, settings)) {
            // Instances of other names: a harness whose two databases are one (the smoke test) needs them
            storedSetup = setUp(server.api(), "stored");
        }
        Instant now = Instant.now();
        StoreFiller.Filled filled = filler.fill(new StoreFiller.Layout(
                jobs,
                triggers,
                storedSetup.domains(),
                share,
                storedSetup.hotTrigger(),
                hotShare,
                now.minusSeconds((long) (days * 86_400)),
                now));
        out.printf("  filled %s rows in %.1f s%n", fmt(filled.rows()), filled.seconds());
        Measures storedMeasures;
        try (ScaleServers.Server server = servers.start(stored, settings)) {
            String job = filled.sampleJob() != null ? filled.sampleJob() : storedSetup.eventJob();
            storedMeasures = measure(server, storedSetup.instance().on(server.api()), storedSetup, job);
        }
        double[][] alternated = alternate(empty, emptySetup, stored, storedSetup, settings);
        print(kind, emptyMeasures, storedMeasures, alternated, sizeMb(empty), sizeMb(stored));
    }

    /**
     * The queue's throughput on the empty database and on the stored one in turn, {@code
     * alternations} rounds of a fresh server on each (warm-up, then {@code queue} jobs), so that a
     * machine whose speed drifts over the run weighs on both alike: each round's stored/empty
     * ratio is one sample. Returns the rates, empty then stored, per round.
     */
    private double[][] alternate(
            ScaleServers.Database empty,
            Setup emptySetup,
            ScaleServers.Database stored,
            Setup storedSetup,
            List<String> settings)
            throws Exception {
        double[][] rates = new double[alternations][2];
        for (int round = 0; round < alternations; round++) {
            rates[round][0] = queueRate(empty, emptySetup, settings);
            rates[round][1] = queueRate(stored, storedSetup, settings);
            out.printf(
                    "  round %d: empty %s, stored %s log jobs/s (%.2f)%n",
                    round + 1, fmt(rates[round][0]), fmt(rates[round][1]), rates[round][1] / rates[round][0]);
        }
        return rates;
    }

    private double queueRate(ScaleServers.Database database, Setup setup, List<String> settings) throws Exception {
        try (ScaleServers.Server server = servers.start(database, settings);
                Clients clients = new Clients(clientCount)) {
            LogQueue queue = new LogQueue(clients, setup.instance().on(server.api()));
            queue.drainRate(warmupJobs);
            return queue.drainRate(queueJobs);
        }
    }

    private Setup setUp(Api api, String prefix) {
        List<String> names = ScaleBench.domains(prefix, domains);
        Instance instance = Instance.create(api, names.get(0), servers.passphrase(), "io.cozy.jobs io.cozy.triggers");
        names.subList(1, names.size()).forEach(d -> Instance.register(api, d));
        String hot = instance.trigger(
                "{\"type\":\"@event\",\"arguments\":\"" + HOT_DOCTYPE + ":CREATED\",\"worker\":\"log\"}");
        Api.Response r = api.admin(
                "POST",
                "/instances/" + instance.domain() + "/events",
                "{\"verb\":\"CREATED\",\"doctype\":\"" + HOT_DOCTYPE + "\",\"doc\":{\"_id\":\"first\"}}");
        if (r.status() != 202 || r.json().path("jobs").isEmpty()) {
            throw new IllegalStateException("event: " + r.status() + " " + r.body());
        }
        return new Setup(instance, names, hot, r.json().path("jobs").get(0).asString());
    }

    private Measures measure(ScaleServers.Server server, Instance instance, Setup setup, String jobPage)
            throws Exception {
        try (Clients clients = new Clients(clientCount);
                Clients single = new Clients(1)) {
            LogQueue queue = new LogQueue(clients, instance);
            queue.drainRate(warmupJobs);
            double[] rates = new double[runs];
            for (int i = 0; i < runs; i++) {
                rates[i] = queue.drainRate(queueJobs);
            }
            out.printf("  queue: %s log jobs/s%n", fmt(median(rates)));
            List<Timing> timings = new ArrayList<>();
            for (Map.Entry<String, String> call : apiCalls(setup).entrySet()) {
                timings.add(time(single, call.getKey(), () -> instance.get(call.getValue())));
            }
            String cookie = single.send(instance.dashboardLogin())
                    .headers()
                    .firstValue("Set-Cookie")
                    .orElseThrow(() -> new IllegalStateException("no dashboard session"))
                    .split(";")[0];
            for (Map.Entry<String, String> page : pages(setup, jobPage).entrySet()) {
                timings.add(time(single, page.getKey(), () -> instance.dashboard(page.getValue(), cookie)));
            }
            for (String command : cliCommands) {
                timings.add(Timing.of(
                        "jobstack " + command,
                        Math.min(1, warmups),
                        cliRuns,
                        () -> cli(server.api(), instance, command)));
            }
            for (String last : new String[] {clients.lastFailure(), single.lastFailure()}) {
                if (last != null) {
                    out.println("  last failed call: " + last);
                }
            }
            double rssBeforeGc = ProcStats.rssMb(server.pid());
            double heapMb = ProcStats.heapAfterGcMb(server.pid(), server.api());
            ProcStats.Settled rss = ProcStats.settledRss(server.pid());
            out.printf(
                    "  (c) heap after a full GC %.0f MB; RSS %.0f MB before the GC, %.0f MB at once after it, %.0f MB"
                            + " settled after %.1f s%n",
                    heapMb, rssBeforeGc, rss.firstMb(), rss.mb(), rss.seconds());
            if (nmt) {
                out.printf(
                        "  memory of the server on %s (pid %d), VmRSS since the GC, MB: %s%n%s",
                        setup.instance().domain(),
                        server.pid(),
                        rss.timeline(),
                        MemoryReport.of(server.pid(), server.api()).indent(4));
            }
            return new Measures(
                    median(rates),
                    timings,
                    heapMb,
                    rss.firstMb(),
                    rss.mb(),
                    clients.failures()
                            + timings.stream().mapToLong(Timing::failures).sum());
        }
    }

    /** {@code samples} calls after {@code warmups}, expecting 200. */
    private Timing time(Clients single, String label, Supplier<HttpRequest> request) throws Exception {
        Clients.Call call = new Clients.Call(label, n -> request.get(), 200);
        return Timing.of(label, warmups, samples, () -> single.once(call));
    }

    /** The instance API's listings, by label. */
    private static Map<String, String> apiCalls(Setup setup) {
        Map<String, String> calls = new LinkedHashMap<>();
        calls.put("GET /jobs/triggers/:id/jobs", "/jobs/triggers/" + setup.hotTrigger() + "/jobs");
        calls.put("GET /jobs/queue/log", "/jobs/queue/log");
        calls.put("GET /jobs/triggers", "/jobs/triggers");
        return calls;
    }

    /** Every dashboard page, the jobs page with each filter, by label. */
    private static Map<String, String> pages(Setup setup, String job) {
        String other = setup.domains().get(setup.domains().size() > 3 ? 3 : 0);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("/dashboard", "/dashboard");
        pages.put("/dashboard/jobs", "/dashboard/jobs");
        pages.put("/dashboard/jobs?state=errored", "/dashboard/jobs?state=errored");
        pages.put("/dashboard/jobs?worker=konnector&domain=:other", "/dashboard/jobs?worker=konnector&domain=" + other);
        pages.put("/dashboard/jobs?trigger=:busy", "/dashboard/jobs?trigger=" + setup.hotTrigger());
        pages.put("/dashboard/jobs?app=app7", "/dashboard/jobs?app=app7");
        pages.put("/dashboard/jobs?app=k3&state=errored", "/dashboard/jobs?app=k3&state=errored");
        pages.put("/dashboard/jobs?app=nope", "/dashboard/jobs?app=nope");
        pages.put("/dashboard/jobs?since=1h", "/dashboard/jobs?since=1h");
        pages.put("/dashboard/jobs/:id", "/dashboard/jobs/" + job);
        pages.put("/dashboard/instances", "/dashboard/instances");
        pages.put(
                "/dashboard/instances/:measured",
                "/dashboard/instances/" + setup.instance().domain());
        return pages;
    }

    /** Runs one CLI command against the server, its output read and dropped; whether it exited 0. */
    private boolean cli(Api api, Instance instance, String command) throws Exception {
        List<String> argv = new ArrayList<>(servers.cli());
        argv.addAll(List.of(command.split("\\s+")));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("JOBSTACK_URL", "http://127.0.0.1:" + api.port());
        env.put("JOBSTACK_ADMIN_URL", "http://127.0.0.1:" + api.adminPort());
        env.put("JOBSTACK_ADMIN_PASSPHRASE", servers.passphrase());
        env.put("JOBSTACK_DOMAIN", instance.domain());
        Process p = builder.start();
        p.getInputStream().transferTo(OutputStream.nullOutputStream());
        return p.waitFor() == 0;
    }

    private static double sizeMb(ScaleServers.Database database) throws Exception {
        if (database.kind().equals("postgres")) {
            return database.count("SELECT pg_database_size(current_database())") / 1024.0 / 1024;
        }
        return database.dataDir() == null
                ? Double.NaN
                : Files.size(database.dataDir().resolve("jobstack.mv.db")) / 1024.0 / 1024;
    }

    private void print(
            String kind, Measures empty, Measures stored, double[][] alternated, double emptySize, double storedSize) {
        out.printf(
                "%n| store, %s | empty | %s jobs, %s triggers | stored/empty | target |%n|---|---|---|---|---|%n",
                kind, fmt(jobs), fmt(triggers));
        out.printf(
                "| (a) queue, log jobs/s, the server of (b) (median of %d × %s) | %s | %s | %.2f | |%n",
                runs,
                fmt(queueJobs),
                fmt(empty.jobsPerSecond()),
                fmt(stored.jobsPerSecond()),
                stored.jobsPerSecond() / empty.jobsPerSecond());
        double[] emptyRates = Arrays.stream(alternated).mapToDouble(r -> r[0]).toArray();
        double[] storedRates = Arrays.stream(alternated).mapToDouble(r -> r[1]).toArray();
        double[] ratios =
                Arrays.stream(alternated).mapToDouble(r -> r[1] / r[0]).toArray();
        double ratio = ratios.length == 0 ? Double.NaN : median(ratios);
        out.printf(
                "| (a) queue, log jobs/s, servers on each in turn (%d rounds of %s; median, median of the"
                        + " rounds' ratios) | %s | %s | %.2f | >= 0.9: %s |%n",
                alternations,
                fmt(queueJobs),
                ratios.length == 0 ? "-" : fmt(median(emptyRates)),
                ratios.length == 0 ? "-" : fmt(median(storedRates)),
                ratio,
                ScaleBench.verdict(ratio >= 0.9));
        Map<String, Timing> before = new HashMap<>();
        empty.timings().forEach(t -> before.put(t.label(), t));
        for (Timing t : stored.timings()) {
            Timing e = before.get(t.label());
            out.printf(
                    "| (b) %s, p50 / p95 ms | %.1f / %.1f | %.1f / %.1f | %.2f | p95 < 200: %s |%n",
                    t.label(),
                    e.p50(),
                    e.p95(),
                    t.p50(),
                    t.p95(),
                    t.p50() / e.p50(),
                    ScaleBench.verdict(t.p95() < 200));
        }
        double heap = stored.heapMb() / empty.heapMb();
        double rss = stored.rssMb() / empty.rssMb();
        out.printf(
                "| (c) resident memory (RSS) at once after the GC, MB (G1 still giving the heap back) | %.0f | %.0f |"
                        + " %.2f | |%n",
                empty.rssAtOnceMb(), stored.rssAtOnceMb(), stored.rssAtOnceMb() / empty.rssAtOnceMb());
        out.printf(
                "| (c) heap after a full GC, MB | %.0f | %.0f | %.2f | <= 1.1: %s |%n",
                empty.heapMb(), stored.heapMb(), heap, ScaleBench.verdict(heap <= 1.1));
        out.printf(
                "| (c) resident memory (RSS) once settled after the GC, MB | %.0f | %.0f | %.2f | <= 1.1: %s |%n",
                empty.rssMb(), stored.rssMb(), rss, ScaleBench.verdict(rss <= 1.1));
        out.printf("| database size, MB | %s | %s | | |%n", fmt(emptySize), fmt(storedSize));
        out.printf(
                "(%s; CLI rows: wall time of a whole process, JVM start included: see `jobstack --help`)%n",
                LocalDate.now());
        ScaleBench.printFailures(out, "store, " + kind, empty.failures() + stored.failures());
    }
}
