package org.jobstack.bench;

import static org.jobstack.bench.ScaleBench.fmt;
import static org.jobstack.bench.ScaleBench.median;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jobstack.bench.EnqueueMode.Phase;
import org.jobstack.config.PrivateFiles;
import org.jobstack.support.ServerProcess;

/**
 * The floor of the way in: {@code bench/floor/target/floor.jar} (bench/floor: Jobstack's starters
 * and H2 file settings with nearly no application code, a job row committed per {@code POST
 * /jobs/queue/:worker}) measured as {@link EnqueueMode} measures Jobstack, health against enqueue,
 * so that the enqueue/health ratio can be split into the stack's share and Jobstack's own. One
 * server, {@code java -jar} on a fresh data folder (0700) and a free port; {@code clients}
 * keep-alive connections ({@link Clients}, 8). After {@code warmup} seconds of both calls in turn
 * (10; {@code jit}: 10 s steps until the server's JIT compilers took under {@link
 * ProcStats#SETTLED_JIT_SHARE} of a CPU in a step), {@code rounds} (3) rounds of {@code round}
 * (10) seconds of each call: {@code GET /actuator/health} (200) and {@code POST /jobs/queue/log}
 * with a bearer token (202). Prints per round the requests/s of each, their ratio, the server's
 * CPU ms per request (and of that its JIT compilers') and the client's; then the median of the
 * rounds' ratios and a summary row for docs/benchmarks.md. {@code java} (the {@code JAVA}
 * environment variable, else this JVM's java): the server's JVM. The server is killed and its
 * folder deleted at the end, also after a failure. Builds nothing: {@code bench/floor.sh} builds
 * the jar if it is missing. The floor's start-up is measured by {@code
 * JAR=bench/floor/target/floor.jar bench/startup.sh 3 5}.
 *
 * {@code server.args}: more arguments for the server, space-separated ({@code --floor.write-job=false}:
 * the same request and answer without the job row, the HTTP side of an enqueue alone).
 *
 * <pre>bench/floor.sh [-Dclients=8] [-Dwarmup=10|jit] [-Dround=10] [-Drounds=3] [-Djava=…] [-Dserver.args=…]</pre>
 */
public final class FloorBench {

    static final Path JAR = Path.of("bench/floor/target/floor.jar");
    private static final String TOKEN = "floor-bench-token";
    private static final String QUEUE_TYPE = "application/vnd.api+json";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private FloorBench() {}

    public static void main(String[] args) throws Exception {
        ScaleSettings settings = new ScaleSettings(System.getProperties());
        int clientCount = settings.integer("clients", 8);
        String warm = settings.text("warmup", "10");
        Duration warmup = warm.equals("jit") ? null : Duration.ofSeconds(Integer.parseInt(warm));
        Duration round = Duration.ofSeconds(settings.integer("round", 10));
        int rounds = settings.integer("rounds", 3);
        String fallback = System.getenv("JAVA") != null
                ? System.getenv("JAVA")
                : Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String java = settings.text("java", fallback);
        List<String> serverArgs = List.of(settings.text("server.args", "").split("\\s+"));
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run bench/floor.sh, which builds it");
        }
        Path data = Files.createTempDirectory("bench-floor", PrivateFiles.folderAttribute());
        int port = ServerProcess.freePort();
        Process server;
        try {
            List<String> command = new ArrayList<>(List.of(
                    java,
                    "-jar",
                    JAR.toAbsolutePath().toString(),
                    "--jobstack.data-dir=" + data,
                    "--server.port=" + port,
                    "--floor.token=" + TOKEN,
                    "--logging.level.root=WARN"));
            serverArgs.stream().filter(a -> !a.isBlank()).forEach(command::add);
            server = new ProcessBuilder(command)
                    .directory(data.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(data.resolve("server.log").toFile())
                    .start();
        } catch (IOException e) {
            deleteTree(data);
            throw e;
        }
        // also when the run is interrupted (Ctrl-C)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server, data)));
        int status = 0;
        try (Clients clients = new Clients(clientCount)) {
            long started = System.nanoTime();
            List<Clients.Call> calls = List.of(
                    new Clients.Call("health", n -> health(port), 200),
                    new Clients.Call("enqueue", n -> enqueue(port), 202));
            awaitHealthy(clients, calls.get(0), server, data);
            System.out.printf(
                    "FloorBench: cpus=%d, server %s (pid %d, java %s) healthy after %d ms; %d keep-alive connections,"
                            + " warm-up %s, %d rounds of %d s per call%n",
                    Runtime.getRuntime().availableProcessors(),
                    JAR,
                    server.pid(),
                    java,
                    (System.nanoTime() - started) / 1_000_000,
                    clientCount,
                    warmup == null ? "until the JIT settles" : warmup.toSeconds() + " s",
                    rounds,
                    round.toSeconds());
            if (!clients.once(calls.get(1))) {
                throw new IllegalStateException("the first enqueue failed: " + clients.lastFailure());
            }
            EnqueueMode.warmUp(clients, server.pid(), calls, warmup, System.out);
            System.out.printf("| round | health req/s | enqueue req/s | enqueue/health | server CPU ms/req health"
                    + " (JIT) | server CPU ms/req enqueue (JIT) | client CPU ms/req (health, enqueue) |%n"
                    + "|---|---|---|---|---|---|---|%n");
            List<Phase> health = new ArrayList<>();
            List<Phase> enqueue = new ArrayList<>();
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                Phase h = EnqueueMode.phase(clients, server.pid(), () -> Double.NaN, calls.get(0), round);
                Phase e = EnqueueMode.phase(clients, server.pid(), () -> Double.NaN, calls.get(1), round);
                health.add(h);
                enqueue.add(e);
                ratios[r] = e.perSecond() / h.perSecond();
                System.out.printf(
                        "| %d | %s | %s | %.2f | %.3f (%.3f) | %.3f (%.3f) | %.3f, %.3f |%n",
                        r + 1,
                        fmt(h.perSecond()),
                        fmt(e.perSecond()),
                        ratios[r],
                        h.serverCpu(),
                        h.serverJit(),
                        e.serverCpu(),
                        e.serverJit(),
                        h.clientCpu(),
                        e.clientCpu());
            }
            System.out.printf(
                    "%nfloor: ratio enqueue/health %.2f (median of the rounds' ratios; Jobstack's target >= 0.8)%n",
                    median(ratios));
            ScaleBench.printFailures(System.out, "floor", clients);
            System.out.printf(
                    "%n| date | server | connections | rounds | health req/s | enqueue req/s | enqueue/health"
                            + " | server CPU ms/req (health, enqueue) | failures |%n|---|---|---|---|---|---|---|---|---|%n"
                            + "| %s | floor (H2) | %d | %d × %d s | %s | %s | **%.2f** | %.2f, %.2f | %d |%n",
                    LocalDate.now(),
                    clientCount,
                    rounds,
                    round.toSeconds(),
                    fmt(median(health, Phase::perSecond)),
                    fmt(median(enqueue, Phase::perSecond)),
                    median(ratios),
                    median(health, Phase::serverCpu),
                    median(enqueue, Phase::serverCpu),
                    clients.failures());
            System.out.printf("%nsettings: %s%n", settings.used());
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            stop(server, data);
        }
        System.exit(status);
    }

    /** As a load balancer calls it: no token, no Accept header. */
    private static HttpRequest health(int port) {
        return request(port, "/actuator/health").GET().build();
    }

    private static HttpRequest enqueue(int port) {
        return request(port, "/jobs/queue/log")
                .header("Accept", QUEUE_TYPE)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", QUEUE_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString(LogQueue.BODY))
                .build();
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(TIMEOUT);
    }

    private static void awaitHealthy(Clients clients, Clients.Call health, Process server, Path data)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the floor exited with " + server.exitValue() + ":\n" + logTail(data));
            }
            try {
                if (clients.send(health.request().apply(0)).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the floor is not healthy after " + START_TIMEOUT + ":\n" + logTail(data));
    }

    private static String logTail(Path data) throws IOException {
        List<String> lines = Files.readAllLines(data.resolve("server.log"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Kills the server (it has nothing to keep) and deletes its data folder; twice is harmless. */
    private static synchronized void stop(Process server, Path data) {
        server.destroyForcibly();
        try {
            server.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteTree(data);
    }

    private static void deleteTree(Path data) {
        if (Files.exists(data)) {
            try (Stream<Path> paths = Files.walk(data)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.err.println("could not delete " + data + ": " + e);
            }
        }
    }
}
