package org.jobstack.bench;

import static org.jobstack.bench.ScaleBench.fmt;
import static org.jobstack.bench.ScaleBench.median;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.jobstack.support.Api;

/**
 * {@code -Dmode=enqueue}: the way in. One client with {@code clients} keep-alive connections
 * ({@link Clients}) against a fresh server ({@code database}, H2 by default; rate limits of
 * webhooks off). After {@code warmup} seconds of all three calls in turn ({@code jit}: until the
 * server's JIT compilers settle, see {@link #warmUp}), {@code rounds} rounds of
 * {@code round} seconds each of: {@code GET /actuator/health} (the HTTP floor), {@code POST
 * /jobs/queue/log} (a CLI token of scope {@code io.cozy.jobs}; 202) and {@code POST
 * /jobs/webhooks/:id} (a {@code @webhook} trigger of the {@code log} worker; 204). Prints requests/s
 * of each, the ratios enqueue/health and webhook/health (median of the rounds' ratios), and the CPU
 * time per request of the server JVM (the log jobs it runs meanwhile included; and of that, its JIT
 * compiler threads'), of PostgreSQL's processes when it is the database, and of the client.
 * {@code paused} (false): pause the {@code log} worker first (the dashboard's control), so that the
 * server only takes jobs in and the way in is measured alone.
 */
final class EnqueueMode {

    private final ScaleServers servers;
    private final PrintStream out;
    private final int clientCount;
    /** Null: warm up until the server's JIT compilers settle ({@code -Dwarmup=jit}). */
    private final Duration warmup;

    private final Duration round;
    private final int rounds;
    private final String databaseKind;
    private final boolean paused;

    EnqueueMode(ScaleSettings settings, ScaleServers servers, PrintStream out) {
        this.servers = servers;
        this.out = out;
        this.clientCount = settings.integer("clients", 8);
        String warm = settings.text("warmup", "10");
        this.warmup = warm.equals("jit") ? null : Duration.ofSeconds(Integer.parseInt(warm));
        this.round = Duration.ofSeconds(settings.integer("round", 10));
        this.rounds = settings.integer("rounds", 3);
        this.databaseKind = settings.text("database", "h2");
        this.paused = Boolean.parseBoolean(settings.text("paused", "false"));
    }

    /**
     * One kind of call in one round: requests/s, and CPU ms per request of the server (and its JIT
     * compilers), of PostgreSQL's processes (NaN for H2, which runs inside the server) and of the client.
     */
    record Phase(double perSecond, double serverCpu, double serverJit, double databaseCpu, double clientCpu) {}

    private static final Duration WARMUP_STEP = Duration.ofSeconds(10);
    private static final int MAX_WARMUP_STEPS = 60;

    void run() throws Exception {
        ScaleServers.Database database = servers.database(databaseKind);
        try (ScaleServers.Server server = servers.start(database, ScaleBench.NO_RATE_LIMITS);
                Clients clients = new Clients(clientCount)) {
            Instance setup = Instance.create(
                    server.api(), "enqueue.test", servers.passphrase(), "io.cozy.jobs io.cozy.triggers");
            String webhook = setup.trigger("{\"type\":\"@webhook\",\"worker\":\"log\"}");
            Instance jobs = setup.withScope("io.cozy.jobs");
            if (paused) {
                Api.Response pause = server.api().admin("POST", "/dashboard/workers/log/pause", null);
                if (pause.status() != 302) {
                    throw new IllegalStateException("pausing the log worker: " + pause.status() + " " + pause.body());
                }
            }
            List<Clients.Call> calls = List.of(
                    new Clients.Call("health", n -> jobs.health(), 200),
                    LogQueue.enqueue(jobs),
                    new Clients.Call("webhook", n -> jobs.postAnonymous("/jobs/webhooks/" + webhook, "{}"), 204));
            out.printf(
                    "%nenqueue: %d keep-alive connections, %s, server pid %d; warm-up %s, %d rounds of %d s per call%s%n",
                    clientCount,
                    database.kind(),
                    server.pid(),
                    warmup == null ? "until the JIT settles" : warmup.toSeconds() + " s",
                    rounds,
                    round.toSeconds(),
                    paused ? "; log worker paused (jobs taken in, not run)" : "; the log jobs run meanwhile");
            warmUp(clients, server.pid(), calls, warmup, out);

            Map<String, List<Phase>> phases = new LinkedHashMap<>();
            out.printf("| round | call | requests/s | server CPU ms/request | of which JIT compilers | database CPU"
                    + " ms/request | client CPU ms/request |%n");
            out.printf("|---|---|---|---|---|---|---|%n");
            for (int r = 1; r <= rounds; r++) {
                for (Clients.Call call : calls) {
                    Phase phase = phase(clients, server.pid(), () -> databaseCpu(database), call, round);
                    phases.computeIfAbsent(call.label(), k -> new ArrayList<>()).add(phase);
                    out.printf(
                            "| %d | %s | %s | %.2f | %.2f | %s | %.2f |%n",
                            r,
                            call.label(),
                            fmt(phase.perSecond()),
                            phase.serverCpu(),
                            phase.serverJit(),
                            Double.isNaN(phase.databaseCpu())
                                    ? "in the server"
                                    : String.format("%.2f", phase.databaseCpu()),
                            phase.clientCpu());
                }
            }
            summary(phases, clients, database.kind());
        }
    }

    /**
     * All the calls in turn for {@code warmup}; or, with {@code -Dwarmup=jit}, in 10 s steps ({@value
     * #MAX_WARMUP_STEPS} at most) until a step in which the server's JIT compiler threads took less
     * than {@link ProcStats#SETTLED_JIT_SHARE} of one CPU (a server "warmed up": on two CPUs the compilers take
     * about half of one for the first minute or so of load).
     */
    static void warmUp(Clients clients, long pid, List<Clients.Call> calls, Duration warmup, PrintStream out)
            throws InterruptedException {
        if (warmup != null) {
            clients.during(warmup, calls);
            return;
        }
        for (int step = 1; step <= MAX_WARMUP_STEPS; step++) {
            double jit = ProcStats.compilerCpuMillis(pid);
            clients.during(WARMUP_STEP, calls);
            double share = (ProcStats.compilerCpuMillis(pid) - jit) / WARMUP_STEP.toMillis();
            out.printf(
                    "  warm-up %d s: the JIT compilers took %.0f %% of a CPU%n",
                    step * WARMUP_STEP.toSeconds(), share * 100);
            if (share < ProcStats.SETTLED_JIT_SHARE) {
                return;
            }
        }
        out.printf(
                "  the JIT did not settle in %d s of warm-up; measuring anyway%n",
                MAX_WARMUP_STEPS * WARMUP_STEP.toSeconds());
    }

    /**
     * {@code call} alone for {@code round}: its requests/s and, per request, the CPU of the server
     * ({@code pid}), of its JIT compilers, of the database ({@code databaseCpu}: its CPU so far, NaN
     * where it runs inside the server) and of this client.
     */
    static Phase phase(Clients clients, long pid, DoubleSupplier databaseCpu, Clients.Call call, Duration round)
            throws InterruptedException {
        long self = ProcessHandle.current().pid();
        double server = ProcStats.cpuMillis(pid);
        double jit = ProcStats.compilerCpuMillis(pid);
        double db = databaseCpu.getAsDouble();
        double client = ProcStats.cpuMillis(self);
        Clients.Tally tally = clients.during(round, List.of(call));
        long requests = Math.max(1, tally.ok(call.label()));
        return new Phase(
                tally.perSecond(call.label()),
                (ProcStats.cpuMillis(pid) - server) / requests,
                (ProcStats.compilerCpuMillis(pid) - jit) / requests,
                (databaseCpu.getAsDouble() - db) / requests,
                (ProcStats.cpuMillis(self) - client) / requests);
    }

    /** PostgreSQL's CPU so far (its processes on this machine); NaN for H2, whose CPU is the server's. */
    private static double databaseCpu(ScaleServers.Database database) {
        return database.kind().equals("postgres") ? ProcStats.postgresCpuMillis(database.dataSource()) : Double.NaN;
    }

    private void summary(Map<String, List<Phase>> phases, Clients clients, String database) {
        List<Phase> health = phases.get("health");
        double enqueueRatio = medianRatio(phases.get("enqueue"), health);
        double webhookRatio = medianRatio(phases.get("webhook"), health);
        out.printf("%nmedian requests/s: ");
        phases.forEach((label, list) -> out.printf(
                "%s %s (server CPU %.2f ms/request)  ",
                label, fmt(median(list, Phase::perSecond)), median(list, Phase::serverCpu)));
        out.printf(
                "%nratio enqueue/health %.2f, webhook/health %.2f (median of the rounds' ratios; target >= 0.8)%n",
                enqueueRatio, webhookRatio);
        ScaleBench.printFailures(out, "enqueue", clients);
        out.printf("%n| date | database | connections | rounds | health req/s | enqueue req/s | webhook req/s"
                + " | enqueue/health | webhook/health | server CPU ms/req (health, enqueue, webhook) | failures |%n"
                + "|---|---|---|---|---|---|---|---|---|---|---|%n");
        out.printf(
                "| %s | %s | %d | %d × %d s | %s | %s | %s | **%.2f** | **%.2f** | %.2f, %.2f, %.2f | %d |%n",
                LocalDate.now(),
                database,
                clientCount,
                rounds,
                round.toSeconds(),
                fmt(median(health, Phase::perSecond)),
                fmt(median(phases.get("enqueue"), Phase::perSecond)),
                fmt(median(phases.get("webhook"), Phase::perSecond)),
                enqueueRatio,
                webhookRatio,
                median(health, Phase::serverCpu),
                median(phases.get("enqueue"), Phase::serverCpu),
                median(phases.get("webhook"), Phase::serverCpu),
                clients.failures());
    }

    private static double medianRatio(List<Phase> calls, List<Phase> health) {
        double[] ratios = new double[calls.size()];
        for (int i = 0; i < ratios.length; i++) {
            ratios[i] = calls.get(i).perSecond() / health.get(i).perSecond();
        }
        return median(ratios);
    }
}
